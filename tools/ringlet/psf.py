"""PSF1 console fonts read on the host: the font the kernel draws its framebuffer console with
(kernel/fonts/), for the tests that check the kernel's own parser (kernel/lib/psf.c) and read
the framebuffer's text back from a screenshot.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

PSF1_MAGIC = b"\x36\x04"
MODE_512 = 0x01
TABLE_END, SEQUENCE = 0xFFFF, 0xFFFE


@dataclass(frozen=True)
class Psf1:
    height: int
    glyphs: list[bytes]  # each height bytes, one a row, the leftmost pixel in the high bit
    first_glyph: dict[int, int]  # character -> the first glyph its Unicode table names for it

    width = 8

    @staticmethod
    def parse(data: bytes) -> Psf1:
        """Reads a PSF1 font with a Unicode table (ValueError for anything else)."""
        if data[:2] != PSF1_MAGIC or len(data) < 4 or not data[2] & 0x02:
            raise ValueError("not a PSF1 font with a Unicode table")
        height, count = data[3], 512 if data[2] & MODE_512 else 256
        glyphs = [data[4 + i * height : 4 + (i + 1) * height] for i in range(count)]
        at, first = 4 + count * height, {}
        for index in range(count):
            in_sequence = False
            while True:
                (c,) = struct.unpack_from("<H", data, at)
                at += 2
                if c == TABLE_END:
                    break
                in_sequence = in_sequence or c == SEQUENCE
                if not in_sequence:
                    first.setdefault(c, index)
        return Psf1(height, glyphs, first)

    @staticmethod
    def load(path: Path) -> Psf1:
        return Psf1.parse(path.read_bytes())

    def bitmap(self, character: str) -> bytes:
        """The glyph that draws character (KeyError when none does)."""
        return self.glyphs[self.first_glyph[ord(character)]]
