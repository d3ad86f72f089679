"""The initramfs writer (ringlet.ramdisk.pack_cpio), read back by a separate "newc" reader
written from the format's description (cpio(5)), not from the writer."""

from __future__ import annotations

import pytest

from ringlet.ramdisk import pack_cpio


def read_newc(archive: bytes) -> list[tuple[str, int, int, int, bytes]]:
    """(name, mode, rdev major, rdev minor, data) of every member up to the trailer."""
    members, at = [], 0
    while True:
        header = archive[at : at + 110]
        assert header[:6] == b"070701", f"bad magic at {at}"
        fields = [int(header[6 + 8 * i : 14 + 8 * i], 16) for i in range(13)]
        mode, size, major, minor, name_size = (
            fields[1],
            fields[6],
            fields[9],
            fields[10],
            fields[11],
        )
        name_at = at + 110
        name = archive[name_at : name_at + name_size]
        assert name.endswith(b"\0")
        data_at = (name_at + name_size + 3) & ~3
        data = archive[data_at : data_at + size]
        at = (data_at + size + 3) & ~3
        if name[:-1] == b"TRAILER!!!":
            assert at == len(archive)
            return members
        members.append((name[:-1].decode(), mode, major, minor, data))


def test_files_devices_and_their_directories_come_back_as_written() -> None:
    elf = b"\x7fELF" + bytes(range(7))  # an odd size: the padding must be right
    archive = pack_cpio({"/init": elf, "/etc/deep/motd": b"hi\n"}, {"/dev/console": (5, 1)})
    members = {name: rest for name, *rest in read_newc(archive)}
    assert members == {
        "dev": [0o040755, 0, 0, b""],
        "etc": [0o040755, 0, 0, b""],
        "etc/deep": [0o040755, 0, 0, b""],
        "init": [0o100755, 0, 0, elf],
        "etc/deep/motd": [0o100644, 0, 0, b"hi\n"],
        "dev/console": [0o020600, 5, 1, b""],
    }
    names = [m[0] for m in read_newc(archive)]
    assert names.index("etc") < names.index("etc/deep") < names.index("etc/deep/motd")
    assert len(archive) % 4 == 0


@pytest.mark.parametrize("size", range(8))
def test_every_data_size_keeps_the_next_header_aligned(size: int) -> None:
    archive = pack_cpio({"/a": b"x" * size, "/b": b"y"})
    assert [(m[0], m[4]) for m in read_newc(archive)] == [("a", b"x" * size), ("b", b"y")]


def test_an_empty_archive_is_the_trailer_alone() -> None:
    assert read_newc(pack_cpio({})) == []
