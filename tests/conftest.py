"""Shared pytest set-up: everything under test is built before the first test runs."""

from __future__ import annotations

import pytest

from ringlet.build import make


@pytest.fixture(scope="session", autouse=True)
def built_tree() -> None:
    # ./ringlet test has built already; this keeps a bare `pytest` run honest too (a no-op then).
    make("kernel", "host", "user")
