"""Shared pytest set-up: everything under test is built before the first test runs, and the
fresh-root test runs only when asked for (--fresh-root)."""

from __future__ import annotations

import pytest

from ringlet.build import make


@pytest.fixture(scope="session", autouse=True)
def built_tree() -> None:
    # ./ringlet test has built already; this keeps a bare `pytest` run honest too (a no-op then).
    make("kernel", "host", "user")


FRESH_ROOT_SKIP = (
    "builds a new Debian 12 root and runs the whole suite again inside it (many minutes); "
    "CI runs it: ./ringlet test --fresh-root"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fresh-root",
        action="store_true",
        help="also run the tests marked fresh_root (./ringlet test --fresh-root runs only them)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--fresh-root"):
        return
    skip = pytest.mark.skip(reason=FRESH_ROOT_SKIP)
    for item in items:
        if "fresh_root" in item.keywords:
            item.add_marker(skip)
