"""Fixtures the system tests share: Debian's busybox-static and an initrd with its applets,
fetched once per session; a test that needs them skips with the reason when the package
cannot be had."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import TEST_OUTPUT
from ringlet.errors import SetupError
from ringlet.paths import MOTD, USER_BUILD


@pytest.fixture(scope="session")
def busybox() -> tuple[Path, Path]:
    """(the busybox binary, an initrd with it and its applets)."""
    from ringlet.busybox import busybox_binary, busybox_initrd

    try:
        binary = busybox_binary()
        initrd = busybox_initrd(USER_BUILD, MOTD, TEST_OUTPUT / "busybox" / "initrd.tar")
    except SetupError as e:
        pytest.skip(f"Debian's busybox-static cannot be had here: {e}")
    return binary, initrd
