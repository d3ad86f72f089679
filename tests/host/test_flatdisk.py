"""lib/flatdisk.c on the host, against the image builder (tools/ringlet/ramdisk.py).

Each ramdisk goes to build/host/flatdisk_driver (protocol at the top of
tests/host/drivers/flatdisk_driver.c), which parses a copy of exactly its bytes under
AddressSanitizer and UBSan.
"""

from __future__ import annotations

import re
import struct

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hostdriver import HostDriver
from ringlet.ramdisk import pack_flat_ramdisk

PAGE = 4096
MAX_PROGRAMS = 32
U32_MAX = 0xFFFF_FFFF

Parsed = list[tuple[int, int]] | str  # [(offset, size)] or the error


def unescape(text: bytes) -> str:
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m[1], 16)), text.decode("ascii"))


def parse(driver: HostDriver, disk: bytes) -> Parsed:
    lines = driver.ask_lines(b"F" + struct.pack("<I", len(disk)) + disk)
    first, *rest = lines
    if first.startswith(b"error "):
        assert not rest, lines
        return unescape(first.removeprefix(b"error "))
    word, count = first.split(b" ")
    assert word == b"count" and int(count) == len(rest), lines
    programs = []
    for line in rest:
        word, offset, size = line.split(b" ")
        assert word == b"program", line
        programs.append((int(offset), int(size)))
    return programs


def round_up(n: int) -> int:
    return (n + PAGE - 1) // PAGE * PAGE


def layout(sizes: list[int]) -> list[tuple[int, int]]:
    """Where the programs must be: the first on the first page after the header, each next one
    on the first page boundary after the one before."""
    out = []
    offset = round_up(16 + 4 * len(sizes))
    for size in sizes:
        out.append((offset, size))
        offset = round_up(offset + size)
    return out


def header(count: int, sizes: list[int], *, magic: bytes = b"RINGFLAT", version: int = 1) -> bytes:
    return (
        magic + struct.pack("<II", version, count) + b"".join(struct.pack("<I", s) for s in sizes)
    )


# --- good ramdisks ---


def test_three_programs(flatdisk_driver: HostDriver) -> None:
    programs = [b"\xeb\xfe", b"A" * PAGE, b"B" * (PAGE + 1)]
    disk = pack_flat_ramdisk(programs)
    assert parse(flatdisk_driver, disk) == [(PAGE, 2), (2 * PAGE, PAGE), (3 * PAGE, PAGE + 1)]
    assert len(disk) == 5 * PAGE


def test_no_programs(flatdisk_driver: HostDriver) -> None:
    assert parse(flatdisk_driver, pack_flat_ramdisk([])) == []
    assert parse(flatdisk_driver, header(0, [])) == []  # just the 16 bytes


def test_empty_programs_share_an_offset(flatdisk_driver: HostDriver) -> None:
    disk = pack_flat_ramdisk([b"", b"x", b"", b""])
    assert parse(flatdisk_driver, disk) == [(PAGE, 0), (PAGE, 1), (2 * PAGE, 0), (2 * PAGE, 0)]


def test_thirty_two_programs(flatdisk_driver: HostDriver) -> None:
    programs = [bytes([i]) * (i * 100) for i in range(MAX_PROGRAMS)]
    assert parse(flatdisk_driver, pack_flat_ramdisk(programs)) == layout([len(p) for p in programs])


def test_a_ramdisk_made_by_hand(flatdisk_driver: HostDriver) -> None:
    # Not through pack_flat_ramdisk: the header, zeros to the first page, the program.
    disk = header(1, [3]) + bytes(PAGE - 20) + b"abc"
    assert parse(flatdisk_driver, disk) == [(PAGE, 3)]


def test_the_last_program_needs_no_padding(flatdisk_driver: HostDriver) -> None:
    disk = pack_flat_ramdisk([b"one", b"two!"])
    end = 2 * PAGE + 4
    assert parse(flatdisk_driver, disk[:end]) == [(PAGE, 3), (2 * PAGE, 4)]


# --- refusals ---


def cut(disk: bytes, n: int) -> bytes:
    return disk[:n]


GOOD = pack_flat_ramdisk([b"a" * 10, b"b" * 5000, b"c" * 3])  # programs at 4096, 8192, 16384


@pytest.mark.parametrize(
    "disk, message",
    [
        (b"", "not a flat ramdisk (bad magic)"),
        (GOOD[:15], "not a flat ramdisk (bad magic)"),
        (b"RINGFLAX" + GOOD[8:], "not a flat ramdisk (bad magic)"),
        (b"ringflat" + GOOD[8:], "not a flat ramdisk (bad magic)"),
        (header(0, [], version=2), "flat ramdisk version 2, expected 1"),
        (header(0, [], version=0), "flat ramdisk version 0, expected 1"),
        (header(33, [1] * 33) + bytes(PAGE), "33 programs, more than 32"),
        (header(U32_MAX, []), "4294967295 programs, more than 32"),
        (header(5, [1, 2, 3, 4]), "header past the end of the ramdisk"),
        (header(32, [0] * 31) + b"\0\0\0", "header past the end of the ramdisk"),
        (header(1, [0]), "program 0 (0 bytes) past the end of the ramdisk"),
        (header(1, [1]) + bytes(PAGE - 20), "program 0 (1 bytes) past the end of the ramdisk"),
        (cut(GOOD, 4 * PAGE + 2), "program 2 (3 bytes) past the end of the ramdisk"),
        (cut(GOOD, 3 * PAGE), "program 1 (5000 bytes) past the end of the ramdisk"),
        (cut(GOOD, PAGE + 9), "program 0 (10 bytes) past the end of the ramdisk"),
        (
            header(2, [1, U32_MAX]) + bytes(2 * PAGE),
            "program 1 (4294967295 bytes) past the end of the ramdisk",
        ),
    ],
    ids=[
        "empty",
        "15 bytes",
        "magic",
        "magic lowercase",
        "version 2",
        "version 0",
        "33 programs",
        "count 2**32-1",
        "sizes cut short",
        "sizes cut by one byte",
        "no pages",
        "first page missing",
        "last cut",
        "last missing",
        "first cut",
        "size 2**32-1",
    ],
)
def test_refusal(flatdisk_driver: HostDriver, disk: bytes, message: str) -> None:
    assert parse(flatdisk_driver, disk) == message


# --- generated and mutated ramdisks (hypothesis) ---

program_bytes = st.integers(0, 3).flatmap(
    lambda kind: (
        st.binary(max_size=64)
        if kind < 3
        else st.sampled_from([PAGE - 1, PAGE, PAGE + 1, 3 * PAGE]).map(lambda n: b"\x90" * n)
    )
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(program_bytes, max_size=MAX_PROGRAMS))
def test_generated_ramdisks_round_trip(flatdisk_driver: HostDriver, programs: list[bytes]) -> None:
    disk = pack_flat_ramdisk(programs)
    parsed = parse(flatdisk_driver, disk)
    assert parsed == layout([len(p) for p in programs])
    assert isinstance(parsed, list)
    for (offset, size), program in zip(parsed, programs, strict=True):
        assert offset % PAGE == 0
        assert disk[offset : offset + size] == program


def model(disk: bytes) -> Parsed:
    """flatdisk_parse in Python, from the layout in kernel/lib/flatdisk.h."""
    if len(disk) < 16 or disk[:8] != b"RINGFLAT":
        return "not a flat ramdisk (bad magic)"
    version, count = struct.unpack_from("<II", disk, 8)
    if version != 1:
        return f"flat ramdisk version {version}, expected 1"
    if count > MAX_PROGRAMS:
        return f"{count} programs, more than 32"
    if 16 + 4 * count > len(disk):
        return "header past the end of the ramdisk"
    sizes = list(struct.unpack_from(f"<{count}I", disk, 16))
    for i, (offset, size) in enumerate(layout(sizes)):
        if offset + size > len(disk):
            return f"program {i} ({size} bytes) past the end of the ramdisk"
    return layout(sizes)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(pack_flat_ramdisk(draw(st.lists(program_bytes, max_size=8))))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["u32", "u32", "flip", "truncate"]))
        if action == "u32":
            count = struct.unpack_from("<I", data, 12)[0] if len(data) >= 16 else 0
            off = 4 * draw(st.integers(2, 3 + min(count, 40)))
            if off + 4 > len(data):
                continue
            value = draw(
                st.sampled_from([0, 1, 2, 31, 32, 33, PAGE - 1, PAGE, len(data), U32_MAX])
                | st.integers(0, U32_MAX)
            )
            struct.pack_into("<I", data, off, value)
        elif action == "flip" and data:
            data[draw(st.integers(0, min(len(data), 64) - 1))] ^= 1 << draw(st.integers(0, 7))
        else:
            del data[draw(st.integers(0, len(data))) :]
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_ramdisks_agree_with_the_model(flatdisk_driver: HostDriver, disk: bytes) -> None:
    # The driver dying (a sanitizer report, a crash, a hang) fails the test by itself.
    parsed = parse(flatdisk_driver, disk)
    event("refused" if isinstance(parsed, str) else "accepted")
    assert parsed == model(disk)
    if isinstance(parsed, list):
        end = 16 + 4 * len(parsed)
        for offset, size in parsed:
            assert offset % PAGE == 0 and offset >= end and offset + size <= len(disk)
            end = offset + size
