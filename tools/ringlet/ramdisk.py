"""Images of programs for the boot loader to hand over: the initrd (a POSIX ustar archive, made
with Python's tarfile) and the flat ramdisk (StuBS's image builder: a header of count and sizes,
then the flat binaries, each on its own page so the kernel can map them without copying).
"""

from __future__ import annotations

import io
import struct
import tarfile
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

PAGE = 4096
FLAT_MAGIC = b"RINGFLAT"
FLAT_VERSION = 1


def make_initrd(
    files: Mapping[str, bytes | Path],
    out: Path,
    links: Mapping[str, str] | None = None,
    executable: Collection[str] = (),
) -> Path:
    """Writes a ustar archive holding files (path in the tree -> content), hard links (path ->
    the path of one of files: another name for the same bytes) and their directories. A file
    is executable (0755, else 0644) when it is an ELF program, a host file with an execute
    bit (a script), or its path is in executable."""
    out.parent.mkdir(parents=True, exist_ok=True)
    links = links or {}
    directories = sorted(
        {str(Path(p).parent).lstrip("/") for p in [*files, *links] if str(Path(p).parent) != "/"}
    )
    with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as tar:
        for directory in directories:
            parts = Path(directory).parts
            for depth in range(1, len(parts) + 1):
                name = "/".join(parts[:depth])
                if name in tar.getnames():
                    continue
                info = tarfile.TarInfo(name)
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
        for path, content in sorted(files.items()):
            data = content.read_bytes() if isinstance(content, Path) else content
            info = tarfile.TarInfo(path.lstrip("/"))
            info.size = len(data)
            runs = data.startswith(b"\x7fELF") or path in executable
            runs = runs or (isinstance(content, Path) and content.stat().st_mode & 0o111 != 0)
            info.mode = 0o755 if runs else 0o644
            tar.addfile(info, io.BytesIO(data))
        for path, target in sorted(links.items()):
            info = tarfile.TarInfo(path.lstrip("/"))
            info.type = tarfile.LNKTYPE
            info.linkname = target.lstrip("/")
            info.mode = 0o755
            tar.addfile(info)
    return out


def ringlet_files(user_build: Path, motd: Path) -> dict[str, bytes | Path]:
    """Ringlet's own tree: every program in user_build at /bin/NAME, and every file of the
    folder that holds motd (user/etc: motd, passwd, group, hostname) at /etc/NAME."""
    files: dict[str, bytes | Path] = {
        f"/bin/{elf.stem}": elf for elf in sorted(user_build.glob("*.elf"))
    }
    for etc in sorted(motd.parent.iterdir()):
        if etc.is_file():
            files[f"/etc/{etc.name}"] = etc
    files["/etc/motd"] = motd
    return files


def default_initrd(user_build: Path, motd: Path, out: Path) -> Path:
    """The initrd ./ringlet run boots with: Ringlet's own tree (ringlet_files)."""
    return make_initrd(ringlet_files(user_build, motd), out)


def pack_flat_ramdisk(programs: Sequence[bytes]) -> bytes:
    """The flat ramdisk for these flat binaries (see kernel/lib/flatdisk.h for the layout)."""
    header = FLAT_MAGIC + struct.pack("<II", FLAT_VERSION, len(programs))
    header += b"".join(struct.pack("<I", len(p)) for p in programs)
    image = bytearray(header)
    for program in programs:
        image += bytes(-len(image) % PAGE)
        image += program
    image += bytes(-len(image) % PAGE)  # whole pages: the kernel maps the last one too
    return bytes(image)


def make_flat_ramdisk(programs: Sequence[Path], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pack_flat_ramdisk([p.read_bytes() for p in programs]))
    return out


CPIO_TRAILER = "TRAILER!!!"


def _cpio_entry(
    ino: int, name: str, mode: int, data: bytes, rdev: tuple[int, int] = (0, 0)
) -> bytes:
    """One "newc" (SVR4, no checksum) member: a 110-byte ASCII header, the NUL-ended name and
    the data, each padded to 4 bytes."""
    fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, *rdev, len(name) + 1, 0)
    header = b"070701" + b"".join(b"%08X" % f for f in fields)
    entry = header + name.encode() + b"\0"
    entry += bytes(-len(entry) % 4) + data
    return entry + bytes(-len(entry) % 4)


def pack_cpio(
    files: Mapping[str, bytes], devices: Mapping[str, tuple[int, int]] | None = None
) -> bytes:
    """A cpio archive in the "newc" format Linux unpacks as its initramfs: files (path ->
    content; ELF programs 0755, others 0644) and character devices (path -> major, minor; 0600)
    after their directories, then the trailer."""
    devices = devices or {}
    directories = sorted(
        {str(q).lstrip("/") for p in [*files, *devices] for q in Path(p).parents} - {""}
    )
    members = [(d, 0o040755, b"", (0, 0)) for d in directories]
    for path, data in sorted(files.items()):
        mode = 0o100755 if data.startswith(b"\x7fELF") else 0o100644
        members.append((path.lstrip("/"), mode, data, (0, 0)))
    for path, rdev in sorted(devices.items()):
        members.append((path.lstrip("/"), 0o020600, b"", rdev))
    archive = b"".join(_cpio_entry(ino, *member) for ino, member in enumerate(members, 1))
    return archive + _cpio_entry(0, CPIO_TRAILER, 0, b"")
