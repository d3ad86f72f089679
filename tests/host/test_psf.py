"""lib/psf.c on the host: the console font Ringlet embeds, hand-made PSF1 and PSF2 fonts, broken
and mutated ones.

Each font goes to build/host/psf_driver (protocol at the top of tests/host/drivers/psf_driver.c),
which parses a copy of exactly its bytes under AddressSanitizer and UBSan and reads every glyph
the parser hands out.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostdriver import HostDriver
from ringlet.paths import ROOT
from ringlet.psf import Psf1

CONSOLE_FONT = ROOT / "kernel" / "fonts" / "Lat15-Fixed16.psf"
PSF1_MAGIC = b"\x36\x04"
PSF2_MAGIC = struct.pack("<I", 0x864AB572)


@dataclass(frozen=True)
class Font:
    version: int
    width: int
    height: int
    glyphs: int
    bytes_per_glyph: int
    bytes_per_row: int
    map: tuple[int, ...]


def parse(driver: HostDriver, data: bytes) -> Font | str:
    """The parsed font, or the error text."""
    lines = driver.ask_lines(b"P" + struct.pack("<I", len(data)) + data)
    if lines[0] != b"status ok":
        assert lines[0].startswith(b"status error "), lines
        return lines[0].removeprefix(b"status error ").decode("ascii")
    assert lines[1].startswith(b"font ") and lines[2].startswith(b"map "), lines
    numbers = [int(n) for n in lines[1].split()[1:]]
    glyph_map = tuple(int(n) for n in lines[2].split()[1:])
    assert len(glyph_map) == 256
    return Font(*numbers, map=glyph_map)


def psf1(glyphs: list[bytes], height: int, table: list[list[int]] | None = None) -> bytes:
    """A PSF1 font; table gives each glyph its u16 characters (0xfffe starts a sequence)."""
    mode = (0x01 if len(glyphs) == 512 else 0) | (0x02 if table is not None else 0)
    data = PSF1_MAGIC + bytes([mode, height]) + b"".join(glyphs)
    if table is not None:
        for chars in table:
            data += b"".join(struct.pack("<H", c) for c in chars) + b"\xff\xff"
    return data


def psf2(
    glyphs: list[bytes],
    width: int,
    height: int,
    table: list[bytes] | None = None,
    *,
    header_size: int = 32,
    version: int = 0,
    bytes_per_glyph: int | None = None,
    count: int | None = None,
) -> bytes:
    """A PSF2 font; table gives each glyph its UTF-8 bytes (0xfe starts a sequence)."""
    size = bytes_per_glyph if bytes_per_glyph is not None else (width + 7) // 8 * height
    header = PSF2_MAGIC + struct.pack(
        "<7I",
        version,
        header_size,
        1 if table is not None else 0,
        len(glyphs) if count is None else count,
        size,
        height,
        width,
    )
    data = header.ljust(header_size, b"\0") + b"".join(glyphs)
    if table is not None:
        data += b"".join(entry + b"\xff" for entry in table)
    return data


def glyph(index: int, size: int) -> bytes:
    return bytes([index & 0xFF]) * size


# --- the font the kernel draws with ---


def test_console_font_is_8x16_psf1_with_every_latin1_character(psf_driver: HostDriver) -> None:
    data = CONSOLE_FONT.read_bytes()
    font = parse(psf_driver, data)
    assert isinstance(font, Font), font
    assert (font.version, font.width, font.height, font.glyphs) == (1, 8, 16, 256)
    table = Psf1.parse(data).first_glyph  # the Unicode table, read in Python
    for c in range(0x20, 0x7F):  # every printable ASCII character has its own glyph
        assert font.map[c] == table[c], chr(c)
    assert font.map[ord("A")] != font.map[ord("B")]
    assert all(font.map[c] == table[c] for c in range(0xA0, 0x100) if c in table)


def test_console_font_draws_letters_not_blanks() -> None:
    font = Psf1.load(CONSOLE_FONT)
    assert sum(bin(b).count("1") for b in font.bitmap("H")) > 10
    assert font.bitmap(" ") == bytes(16)


# --- hand-made fonts ---


def test_psf1_without_table_maps_each_character_to_its_own_glyph(psf_driver: HostDriver) -> None:
    font = parse(psf_driver, psf1([glyph(i, 8) for i in range(256)], 8))
    assert font == Font(1, 8, 8, 256, 8, 1, tuple(range(256)))


def test_psf1_512_glyphs(psf_driver: HostDriver) -> None:
    font = parse(psf_driver, psf1([glyph(i, 14) for i in range(512)], 14))
    assert isinstance(font, Font) and (font.glyphs, font.height) == (512, 14)


def test_psf1_table_first_glyph_wins_and_sequences_are_skipped(psf_driver: HostDriver) -> None:
    table = [[] for _ in range(256)]
    table[5] = [ord("A"), 0xC1]  # glyph 5 draws A and Á
    table[6] = [ord("A"), ord("?")]  # a second A is ignored
    table[7] = [0xFFFE, ord("B"), 0x301]  # B only inside a sequence: not mapped
    font = parse(psf_driver, psf1([glyph(i, 16) for i in range(256)], 16, table))
    assert isinstance(font, Font)
    assert font.map[ord("A")] == 5 and font.map[0xC1] == 5 and font.map[ord("?")] == 6
    assert font.map[ord("B")] == 6  # undrawn characters fall back to the glyph of '?'


def test_psf2_of_any_width(psf_driver: HostDriver) -> None:
    font = parse(psf_driver, psf2([glyph(i, 2 * 20) for i in range(100)], 12, 20))
    assert isinstance(font, Font)
    assert (font.version, font.width, font.height, font.bytes_per_row) == (2, 12, 20, 2)
    assert font.map[:100] == tuple(range(100))
    assert set(font.map[100:]) == {ord("?")}  # no glyph of their own: '?'


def test_psf2_utf8_table(psf_driver: HostDriver) -> None:
    table = [b""] * 4
    table[1] = b"A" + "é".encode()  # one glyph, two characters
    table[2] = "€".encode() + b"\xfe" + "e\u0301".encode()  # not Latin-1, then a sequence
    table[3] = b"?"
    font = parse(psf_driver, psf2([glyph(i, 16) for i in range(4)], 8, 16, table))
    assert isinstance(font, Font)
    assert font.map[ord("A")] == 1 and font.map[0xE9] == 1
    assert font.map[ord("e")] == 3  # only in a sequence: the '?' glyph


def test_psf2_with_a_longer_header(psf_driver: HostDriver) -> None:
    font = parse(psf_driver, psf2([glyph(i, 16) for i in range(3)], 8, 16, header_size=40))
    assert isinstance(font, Font) and font.glyphs == 3


def test_table_cut_short_keeps_what_was_read(psf_driver: HostDriver) -> None:
    table = [[ord("x")], [ord("y")]] + [[] for _ in range(254)]
    data = psf1([glyph(i, 8) for i in range(256)], 8, table)
    font = parse(psf_driver, data[: 4 + 256 * 8 + 5])  # "x", end, then half of "y"
    assert isinstance(font, Font) and font.map[ord("x")] == 0 and font.map[ord("y")] == 0


# --- broken fonts ---

GOOD2 = psf2([glyph(i, 16) for i in range(4)], 8, 16)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "not a PSF font (bad magic)"),
        (b"\x36", "not a PSF font (bad magic)"),
        (b"BM\0\0" + bytes(60), "not a PSF font (bad magic)"),
        (PSF1_MAGIC + b"\0", "PSF1 header needs 4 bytes, 3 given"),
        (
            PSF1_MAGIC + b"\0\x10" + bytes(100),
            "256 glyphs of 16 bytes run past the end of 104 bytes",
        ),
        (PSF1_MAGIC + b"\0\0" + bytes(100), "glyph height 0 is outside 1..64"),
        (PSF1_MAGIC + b"\0\x41" + bytes(256 * 65), "glyph height 65 is outside 1..64"),
        (GOOD2[:31], "PSF2 header needs 32 bytes, 31 given"),
        (psf2([], 8, 16, version=1), "PSF2 version 1 is unknown"),
        (psf2([glyph(0, 16)], 8, 16, header_size=16), "PSF2 header size 16 is outside 32..48"),
        (psf2([], 8, 16, header_size=64)[:40], "PSF2 header size 64 is outside 32..40"),
        (psf2([glyph(0, 16)], 0, 16), "glyph width 0 is outside 1..32"),
        (psf2([glyph(0, 80)], 40, 16), "glyph width 40 is outside 1..32"),
        (
            psf2([glyph(0, 16)], 8, 16, bytes_per_glyph=15),
            "15 bytes per glyph do not hold 8x16 pixels",
        ),
        (psf2([], 8, 16), "the font has no glyphs"),
        (GOOD2[:-1], "4 glyphs of 16 bytes run past the end of 95 bytes"),
        (
            psf2([glyph(0, 16)], 8, 16, count=0x1000_0001),
            "268435457 glyphs of 16 bytes run past the end of 48 bytes",
        ),
    ],
)
def test_broken_fonts_are_refused(psf_driver: HostDriver, data: bytes, error: str) -> None:
    assert parse(psf_driver, data) == error


# --- mutated fonts (hypothesis) ---

SEEDS = [
    psf1([glyph(i, 8) for i in range(256)], 8, [[i, 0x100 + i] for i in range(256)]),
    psf2(
        [glyph(i, 32) for i in range(8)],
        16,
        16,
        [bytes([0x41 + i, 0xC3, 0xA0 + i]) for i in range(8)],
    ),
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(0, len(data)))])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_fonts_parse_or_fail_cleanly(psf_driver: HostDriver, data: bytes) -> None:
    result = parse(psf_driver, data)  # the driver aborts on any bad read or broken invariant
    if isinstance(result, Font):
        assert 1 <= result.width <= 32 and 1 <= result.height <= 64
        assert all(g < result.glyphs for g in result.map)
