"""Pictures of the guest's screen: QMP's `screendump` (a PPM file), written out as PNG.

Stdlib only, so `./ringlet run` needs nothing from the virtual environment: a few lines of QMP
over the machine's Unix socket, and a PNG encoder (one IDAT chunk of zlib-compressed rows).
"""

from __future__ import annotations

import json
import os
import socket
import struct
import tempfile
import zlib
from pathlib import Path


class ScreenError(Exception):
    pass


def qmp_execute(socket_path: Path, command: str, arguments: dict | None = None) -> dict:
    """Runs one QMP command on a fresh connection and returns its "return" value."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(str(socket_path))
        reader = s.makefile("r", encoding="utf-8")

        def reply() -> dict:
            while line := reader.readline():
                message = json.loads(line)
                if "return" in message:
                    return message["return"]
                if "error" in message:
                    raise ScreenError(f"QMP {command}: {message['error'].get('desc')}")
            raise ScreenError(f"QMP {command}: QEMU closed the connection")

        greeting = json.loads(reader.readline() or "{}")
        if "QMP" not in greeting:
            raise ScreenError("QMP: no greeting from QEMU")
        s.sendall(b'{"execute": "qmp_capabilities"}\n')
        reply()
        request = {"execute": command, **({"arguments": arguments} if arguments else {})}
        s.sendall(json.dumps(request).encode() + b"\n")
        return reply()


def ppm_to_png(ppm: bytes) -> bytes:
    """A binary PPM (P6, 8 bits per channel: what QEMU writes) as a PNG file."""
    fields: list[bytes] = []
    at = 0
    while len(fields) < 4:  # magic, width, height, maxval; '#' comments are not written by QEMU
        while ppm[at : at + 1].isspace():
            at += 1
        end = at
        while end < len(ppm) and not ppm[end : end + 1].isspace():
            end += 1
        fields.append(ppm[at:end])
        at = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ScreenError("screendump: not an 8-bit binary PPM")
    width, height = int(fields[1]), int(fields[2])
    pixels = ppm[at + 1 : at + 1 + width * height * 3]
    if len(pixels) != width * height * 3:
        raise ScreenError("screendump: the PPM is cut short")
    stride = width * 3
    rows = b"".join(b"\0" + pixels[y * stride : (y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


def screenshot(socket_path: Path, png: Path) -> None:
    """Writes the guest's screen (VGA text or framebuffer, as QEMU shows it) to png."""
    with tempfile.TemporaryDirectory(prefix="ringlet-screen-") as tmp:
        ppm = Path(tmp) / "screen.ppm"
        qmp_execute(socket_path, "screendump", {"filename": str(ppm)})
        data = ppm_to_png(ppm.read_bytes())
    png.parent.mkdir(parents=True, exist_ok=True)
    partial = png.with_name(png.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, png)  # a reader never sees half a picture
