"""The host layer's drivers: one process each for the whole session (see hostdriver.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hostdriver import HostDriver


def running(name: str) -> Iterator[HostDriver]:
    # Every request takes milliseconds; a driver that hangs (a loop that never ends) fails fast.
    driver = HostDriver(name, timeout=3.0)
    driver.start()
    yield driver
    # EOF: the driver must exit 0 with nothing on stderr (LeakSanitizer reports leaks here).
    driver.close()


@pytest.fixture(scope="session")
def bootinfo_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("bootinfo_driver")


@pytest.fixture(scope="session")
def calendar_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("calendar_driver")


@pytest.fixture(scope="session")
def format_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("format_driver")


@pytest.fixture(scope="session")
def text_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("text_driver")


@pytest.fixture(scope="session")
def elf_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("elf_driver")


@pytest.fixture(scope="session")
def tar_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("tar_driver")


@pytest.fixture(scope="session")
def flatdisk_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("flatdisk_driver")


@pytest.fixture(scope="session")
def memrange_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("memrange_driver")


@pytest.fixture(scope="session")
def slab_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("slab_driver")


@pytest.fixture(scope="session")
def pagetable_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("pagetable_driver")


@pytest.fixture(scope="session")
def psf_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("psf_driver")


@pytest.fixture(scope="session")
def textgrid_driver(built_tree: None) -> Iterator[HostDriver]:
    yield from running("textgrid_driver")
