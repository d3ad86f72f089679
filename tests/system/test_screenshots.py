"""Pictures of the screen: QMP screendump turned into PNG (tools/ringlet/screen.py), taken by
./ringlet run --screenshot and beside every failure's serial log."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from harness import boot, ringlet_command, user_elf
from ringlet.image import Module
from ringlet.qemu import MachineError
from ringlet.screen import ScreenError, ppm_to_png


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB bytes) of an 8-bit RGB PNG with filter 0 on every row."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, width, height = 8, b"", 0, 0
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert (depth, color) == (8, 2)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 3 + 1
    rows = [raw[y * stride : (y + 1) * stride] for y in range(height)]
    assert all(row[0] == 0 for row in rows)
    return width, height, [row[1:] for row in rows]


def test_ppm_to_png_keeps_every_pixel() -> None:
    pixels = bytes(range(2 * 3 * 3))  # 3 wide, 2 high
    width, height, rows = decode_png(ppm_to_png(b"P6\n3 2\n255\n" + pixels))
    assert (width, height) == (3, 2)
    assert rows == [pixels[:9], pixels[9:]]


@pytest.mark.parametrize("ppm", [b"P5\n1 1\n255\n\0", b"P6\n4 4\n255\n" + bytes(10)])
def test_ppm_to_png_refuses_what_it_cannot_read(ppm: bytes) -> None:
    with pytest.raises(ScreenError):
        ppm_to_png(ppm)


def lit_rows(png: Path) -> int:
    """Rows of the picture with any pixel brighter than the black background."""
    _, _, rows = decode_png(png.read_bytes())
    return sum(1 for row in rows if max(row) > 0x40)


def test_run_screenshot_shows_the_console(tmp_path: Path) -> None:
    picture = tmp_path / "screen.png"
    result = subprocess.run(
        [*ringlet_command(), "run", "--screenshot", str(picture), "--timeout", "6"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 124, result.stderr  # still at the shell when the time ran out
    width, height, _ = decode_png(picture.read_bytes())
    assert (width, height) == (720, 400)  # 80 x 25 characters of 9 x 16 pixels
    assert lit_rows(picture) > 100, "the boot report fills the screen with text"


def test_a_failure_keeps_a_picture_beside_the_serial_log() -> None:
    sleeper = Module(user_elf("sleep"), "sleep 30")  # keeps the machine up past the failure
    with boot("screenshot_on_failure", modules=[sleeper], cmdline="init=none") as machine:
        with pytest.raises(MachineError) as failure:
            machine.wait_for("a line nothing prints", timeout=3)
        picture = machine.log_path.with_suffix(".png")
        assert f"screen: {picture}" in str(failure.value)
        assert lit_rows(picture) > 10
