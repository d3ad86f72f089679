"""lib/memrange.c on the host: range_normalize and range_free_frames against a Python model.

Each call goes to build/host/memrange_driver (protocol at the top of
tests/host/drivers/memrange_driver.c), which passes arrays of exactly the documented sizes under
AddressSanitizer and UBSan.

The model works on frame numbers: the free frames are the whole frames inside an available
region and below limit, minus every frame that a non-available region or a reserved range
touches. It keeps them as sorted, disjoint intervals, so huge addresses cost nothing.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hostdriver import HostDriver

FRAME = 4096
U64_MAX = (1 << 64) - 1
FOUR_GIB = 1 << 32
AVAILABLE, RESERVED, ACPI_RECLAIMABLE, ACPI_NVS, BAD = 1, 2, 3, 4, 5

Range = tuple[int, int]  # [start, end)


@dataclass(frozen=True)
class Region:
    base: int
    length: int
    type: int = AVAILABLE


# --- talking to the driver ---


def request(mode: bytes, payload: bytes) -> bytes:
    return mode + struct.pack("<I", len(payload)) + payload


def read_ranges(lines: list[bytes]) -> tuple[list[Range], int]:
    ranges = []
    for line in lines[:-1]:
        word, start, end = line.decode("ascii").split(" ")
        assert word == "range", line
        ranges.append((int(start, 16), int(end, 16)))
    word, frames = lines[-1].split(b" ")
    assert word == b"frames", lines
    assert int(frames) == sum((end - start) // FRAME for start, end in ranges)
    return ranges, int(frames)


def normalize(driver: HostDriver, ranges: Sequence[Range]) -> list[Range]:
    payload = b"".join(struct.pack("<QQ", s, e) for s, e in ranges)
    first, *rest = driver.ask_lines(request(b"N", payload))
    word, count = first.split(b" ")
    assert word == b"count", first
    out, _ = read_ranges(rest)
    assert len(out) == int(count)
    return out


def free_frames(
    driver: HostDriver,
    regions: Sequence[Region],
    reserved: Sequence[Range] = (),
    limit: int = U64_MAX,
    out_cap: int = 256,
) -> tuple[int, list[Range]]:
    """(the return value, the ranges written to out)."""
    payload = struct.pack("<QIII", limit, out_cap, len(regions), len(reserved))
    payload += b"".join(struct.pack("<QQI", r.base, r.length, r.type) for r in regions)
    payload += b"".join(struct.pack("<QQ", s, e) for s, e in reserved)
    first, *rest = driver.ask_lines(request(b"F", payload))
    word, total = first.split(b" ")
    assert word == b"total", first
    out, _ = read_ranges(rest)
    assert len(out) == min(int(total), out_cap)
    return int(total), out


def free(
    driver: HostDriver,
    regions: Sequence[Region],
    reserved: Sequence[Range] = (),
    limit: int = U64_MAX,
) -> list[Range]:
    """The free ranges, checked to be sorted, disjoint and page-aligned, adjacent ones merged."""
    total, out = free_frames(driver, regions, reserved, limit)
    assert total == len(out)
    check_shape(out)
    return merged(out)


# --- the model ---


def merged(ranges: Iterable[Range]) -> list[Range]:
    """Sorted, with empty ones dropped and ones that overlap or touch merged."""
    out: list[Range] = []
    for start, end in sorted(ranges):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def minus(ranges: list[Range], holes: list[Range]) -> list[Range]:
    """ranges minus holes, both merged."""
    out = []
    for start, end in ranges:
        for hole_start, hole_end in holes:
            if hole_end <= start or hole_start >= end:
                continue
            if hole_start > start:
                out.append((start, hole_start))
            start = max(start, hole_end)
        if start < end:
            out.append((start, end))
    return out


def model(regions: Sequence[Region], reserved: Sequence[Range], limit: int) -> list[Range]:
    """The free frames as byte ranges, merged. Frame f is [f * 4096, (f + 1) * 4096)."""
    available = []
    blocked = []
    for r in regions:
        end = min(r.base + r.length, U64_MAX)  # the map's end saturates at the top
        if r.type == AVAILABLE:
            # Whole frames inside [base, end) and below limit: shrunk inward.
            first = -(-r.base // FRAME)
            last = min(end, limit) // FRAME
            available.append((first, last))
        else:
            # Every frame the region touches: grown outward.
            blocked.append((r.base // FRAME, -(-(r.base + r.length) // FRAME)))
    for start, end in reserved:
        blocked.append((start // FRAME, -(-end // FRAME)))
    frames = minus(merged(available), merged(blocked))
    return [(start * FRAME, end * FRAME) for start, end in frames]


def check_shape(out: Sequence[Range]) -> None:
    """Sorted, disjoint, non-empty, page-aligned."""
    for start, end in out:
        assert start % FRAME == 0 and end % FRAME == 0 and start < end, out
    for (_, end), (start, _) in zip(out, out[1:], strict=False):
        assert end <= start, out


# --- range_normalize ---


@pytest.mark.parametrize(
    "ranges, expected",
    [
        ([], []),
        ([(0, 0)], []),
        ([(5, 5), (7, 3)], []),  # empty and backwards ranges are dropped
        ([(30, 40), (10, 20)], [(10, 20), (30, 40)]),
        ([(10, 20), (20, 30)], [(10, 30)]),  # touching: merged
        ([(10, 20), (21, 30)], [(10, 20), (21, 30)]),
        ([(10, 50), (20, 30)], [(10, 50)]),  # contained
        ([(20, 30), (10, 25), (28, 40), (0, 1)], [(0, 1), (10, 40)]),
        ([(10, 20), (15, 15), (20, 20), (20, 25)], [(10, 25)]),
        ([(U64_MAX - 1, U64_MAX), (0, U64_MAX - 1)], [(0, U64_MAX)]),
        ([(1, 2)] * 5, [(1, 2)]),
    ],
)
def test_normalize(memrange_driver: HostDriver, ranges: list[Range], expected: list[Range]) -> None:
    assert normalize(memrange_driver, ranges) == expected


addresses = st.one_of(
    st.integers(0, 200),
    st.integers(0, 64 << 20),
    st.sampled_from([FOUR_GIB - 1, FOUR_GIB, U64_MAX - FRAME, U64_MAX - 1, U64_MAX]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(addresses, addresses), max_size=24))
def test_normalize_matches_the_model(memrange_driver: HostDriver, ranges: list[Range]) -> None:
    assert normalize(memrange_driver, ranges) == merged(ranges)


# --- range_free_frames ---

KERNEL = (0x10_0000, 0x40_0000)
PC_MAP = [
    Region(0x0, 0x9FC00),
    Region(0x9FC00, 0x400, RESERVED),
    Region(0xF0000, 0x10000, RESERVED),
    Region(0x10_0000, 0x7EE_0000),
    Region(0x7FE_0000, 0x2_0000, RESERVED),
    Region(0xFFFC_0000, 0x4_0000, RESERVED),
]


def test_a_pc_memory_map(memrange_driver: HostDriver) -> None:
    total, out = free_frames(memrange_driver, PC_MAP, [KERNEL], limit=0x3000_0000)
    assert (total, out) == (2, [(0x0, 0x9F000), (0x40_0000, 0x7FE_0000)])


def test_available_regions_shrink_to_whole_frames(memrange_driver: HostDriver) -> None:
    assert free(memrange_driver, [Region(0x1001, 0x4FFE)]) == [(0x2000, 0x5000)]
    assert free(memrange_driver, [Region(0x1001, 0x1FFE)]) == []  # no whole frame in it
    assert free(memrange_driver, [Region(0x1000, 0x1000)]) == [(0x1000, 0x2000)]
    assert free(memrange_driver, [Region(0x1000, 0xFFF)]) == []


def test_reserved_ranges_grow_to_whole_frames(memrange_driver: HostDriver) -> None:
    regions = [Region(0, 0x10000)]
    assert free(memrange_driver, regions, [(0x2001, 0x2002)]) == [(0, 0x2000), (0x3000, 0x10000)]
    assert free(memrange_driver, regions, [(0x1FFF, 0x3001)]) == [(0, 0x1000), (0x4000, 0x10000)]
    assert free(memrange_driver, regions, [(0x2000, 0x3000)]) == [(0, 0x2000), (0x3000, 0x10000)]
    assert free(memrange_driver, regions, [(0x3000, 0x2000)]) == [(0, 0x10000)]  # backwards
    assert free(memrange_driver, regions, [(0x2000, 0x2000)]) == [(0, 0x10000)]  # empty
    # An empty range inside a frame still takes the frame (it is grown outward first).
    assert free(memrange_driver, regions, [(0x2800, 0x2800)]) == [(0, 0x2000), (0x3000, 0x10000)]


@pytest.mark.parametrize("kind", [RESERVED, ACPI_RECLAIMABLE, ACPI_NVS, BAD, 0, 77])
def test_every_other_region_type_is_taken_out(memrange_driver: HostDriver, kind: int) -> None:
    regions = [Region(0, 0x10000), Region(0x4800, 0x100, kind)]
    assert free(memrange_driver, regions) == [(0, 0x4000), (0x5000, 0x10000)]


def test_available_and_reserved_overlapping_in_the_map_is_reserved(
    memrange_driver: HostDriver,
) -> None:
    expected = [(0, 0x3000), (0x8000, 0x10000)]
    available, reserved = Region(0, 0x10000), Region(0x3000, 0x5000, RESERVED)
    assert free(memrange_driver, [available, reserved]) == expected
    assert free(memrange_driver, [reserved, available]) == expected
    assert free(memrange_driver, [reserved, available, available]) == expected


def test_overlapping_and_unsorted_available_regions(memrange_driver: HostDriver) -> None:
    regions = [Region(0x8000, 0x8000), Region(0x1000, 0x9000), Region(0x2000, 0x1000)]
    assert free(memrange_driver, regions) == [(0x1000, 0x10000)]


def test_limit_clips(memrange_driver: HostDriver) -> None:
    regions = [Region(0, 0x10000), Region(0x2_0000, 0x1000)]
    assert free(memrange_driver, regions, limit=0x5800) == [(0, 0x5000)]
    assert free(memrange_driver, regions, limit=0x5000) == [(0, 0x5000)]
    assert free(memrange_driver, regions, limit=0xFFF) == []
    assert free(memrange_driver, regions, limit=0) == []
    assert free(memrange_driver, regions, limit=0x2_1000) == [(0, 0x10000), (0x2_0000, 0x2_1000)]


def test_above_4_gib(memrange_driver: HostDriver) -> None:
    regions = [Region(0, 0x1000), Region(FOUR_GIB, 0x1_0000_0000)]
    assert free(memrange_driver, regions, limit=FOUR_GIB) == [(0, 0x1000)]
    assert free(memrange_driver, regions) == [(0, 0x1000), (FOUR_GIB, 2 * FOUR_GIB)]


def test_base_plus_length_overflowing_64_bits(memrange_driver: HostDriver) -> None:
    top = U64_MAX - 0xFFFF  # 0xffffffffffff0000
    # The region's end saturates at 2**64 - 1, so its last whole frame ends at 2**64 - 4096.
    assert free(memrange_driver, [Region(top, U64_MAX)]) == [(top, U64_MAX - 0xFFF)]
    # A reserved map entry that overflows takes everything from its base up.
    regions = [Region(0, 0x10000), Region(0x8000, U64_MAX, RESERVED)]
    assert free(memrange_driver, regions) == [(0, 0x8000)]
    assert free(memrange_driver, [Region(0, 0x10000)], [(0x8000, U64_MAX)]) == [(0, 0x8000)]


def test_out_cap_truncates_but_counts_everything(memrange_driver: HostDriver) -> None:
    regions = [Region(0, 0x10000)]
    reserved = [(0x2000, 0x3000), (0x5000, 0x6000), (0x9000, 0xA000)]
    full = [(0, 0x2000), (0x3000, 0x5000), (0x6000, 0x9000), (0xA000, 0x10000)]
    for cap in range(6):
        assert free_frames(memrange_driver, regions, reserved, out_cap=cap) == (4, full[:cap])


# --- generated memory maps (hypothesis) ---

small_address = st.integers(0, 64 << 20)
aligned_address = st.integers(0, (64 << 20) // FRAME).map(lambda f: f * FRAME)
huge = st.sampled_from(
    [FOUR_GIB - FRAME, FOUR_GIB, FOUR_GIB + 1, 1 << 40, U64_MAX - FRAME, U64_MAX - 1, U64_MAX]
)
address = st.one_of(small_address, aligned_address, aligned_address, huge)
length = st.one_of(
    st.just(0),
    st.integers(1, 3 * FRAME),
    st.integers(0, 16 << 20),
    st.integers(0, 256).map(lambda f: f * FRAME),
    huge,
)
small_length = st.one_of(st.just(0), st.integers(1, 3 * FRAME), st.integers(0, 4 << 20))
other_type = st.sampled_from([RESERVED, ACPI_NVS, BAD, 9])


@st.composite
def regions_strategy(draw: st.DrawFn) -> list[Region]:
    """Mostly available regions; the others mostly small, so that something is left free."""
    out = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 2)) > 0:
            out.append(Region(draw(address), draw(length), AVAILABLE))
        else:
            size = draw(st.one_of(small_length, small_length, small_length, length))
            out.append(Region(draw(address), size, draw(other_type)))
    return out


reserved_range = st.tuples(small_address, small_length).map(
    lambda t: (t[0], min(t[0] + t[1], U64_MAX))
)
reserved_strategy = st.lists(
    st.one_of(reserved_range, reserved_range, reserved_range, st.tuples(address, address)),
    max_size=6,
)
big_limits = st.sampled_from([U64_MAX, U64_MAX - 1, FOUR_GIB, 0x3000_0000])
limits = st.one_of(big_limits, big_limits, st.integers(0, 80 << 20))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regions_strategy(), reserved_strategy, limits, st.integers(0, 8))
def test_free_frames_match_the_model(
    memrange_driver: HostDriver,
    regions: list[Region],
    reserved: list[Range],
    limit: int,
    cap: int,
) -> None:
    biggest = 2 * (len(regions) + len(reserved)) + 2
    total, out = free_frames(memrange_driver, regions, reserved, limit, out_cap=biggest)
    assert total == len(out)
    check_shape(out)
    expected = model(regions, reserved, limit)
    event(f"{min(len(expected), 4)} free ranges (4: more)")
    assert merged(out) == expected
    # With a smaller out: the same count, and the same first ranges.
    assert free_frames(memrange_driver, regions, reserved, limit, out_cap=cap) == (
        total,
        out[:cap],
    )
