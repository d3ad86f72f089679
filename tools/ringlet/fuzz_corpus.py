"""The parser fuzzers' seed corpora (tests/data/fuzz/NAME/), made from real inputs: Ringlet's
own programs (stripped), a small initrd and flat ramdisk packed by ringlet's own code, and the
Multiboot2 boot information GRUB handed a booted kernel, read out of QEMU's memory.

    ./ringlet fuzz parsers --new-corpus    writes them again (then commit what changed)
"""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path

from ringlet.paths import BUILD, KERNEL_ELF, MOTD, ROOT, USER_BUILD

CORPUS = ROOT / "tests" / "data" / "fuzz"
PROGRAMS = ("true", "hello", "cat")
BOOT_INFO_RE = re.compile(r"^\s+0x([0-9a-f]{8})-0x([0-9a-f]{8})\s+boot information$", re.M)


def stripped(elf: Path) -> bytes:
    out = BUILD / "fuzz" / "stripped" / elf.name
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["strip", "-o", str(out), str(elf)], check=True)
    return out.read_bytes()


def capture_boot_info(name: str, cmdline: str, modules: int) -> bytes:
    """Boots the kernel with cmdline and `modules` copies of /etc/motd, and returns the boot
    information GRUB gave it (the range the kernel reports as "boot information")."""
    from qemu.qmp import QMPClient

    from ringlet.image import Module, make_iso
    from ringlet.qemu import Machine, QemuConfig

    out = BUILD / "fuzz" / "capture" / name
    mods = [Module(MOTD, f"motd{i} some words") for i in range(modules)]
    iso = make_iso(KERNEL_ELF, mods, cmdline, out)
    socket = out / "qmp.sock"
    dump = out / "bootinfo.bin"
    with Machine(QemuConfig(iso=iso, qmp_socket=socket), out / "serial.log", deadline=60) as m:
        match = m.wait_for(BOOT_INFO_RE.pattern, 30)
        start, end = int(match.group(1), 16), int(match.group(2), 16)

        async def save() -> None:
            client = QMPClient("ringlet-corpus")
            await client.connect(str(socket))
            await client.execute(
                "pmemsave", {"val": start, "size": end - start, "filename": str(dump)}
            )
            await client.disconnect()

        asyncio.run(save())
        m.shutdown()
    return dump.read_bytes()


def seeds() -> dict[str, dict[str, bytes]]:
    """Every seed input by parser name and file name."""
    from ringlet.ramdisk import make_initrd, pack_flat_ramdisk

    programs = {name: stripped(USER_BUILD / f"{name}.elf") for name in PROGRAMS}
    initrd = make_initrd(
        {"/bin/true": programs["true"], "/etc/motd": MOTD},
        BUILD / "fuzz" / "seed-initrd.tar",
        links={"/bin/also-true": "/bin/true"},
    ).read_bytes()
    flat = (USER_BUILD / "true.flat").read_bytes()
    return {
        "elf": {f"{name}.elf": data for name, data in programs.items()},
        "tar": {"initrd.tar": initrd},
        "flatdisk": {
            "one-program.flat": pack_flat_ramdisk([flat]),
            "two-small.flat": pack_flat_ramdisk([b"\x90" * 16 + b"\xc3", b"\xc3"]),
        },
        "bootinfo": {
            "qemu-plain.bin": capture_boot_info("plain", "", 0),
            "qemu-modules.bin": capture_boot_info("modules", "init=none ktest=none x=1", 3),
        },
        "format": {
            "ints.bin": bytes.fromhex("1401020304051c00d5ffffffffffff086a00000000000303"),
            "strings.bin": bytes.fromhex("176869206f6b00070861626364650107"),
        },
        "text": {
            "cmdline.bin": b"\x20init=none ktest=mm* x=1\x00ktest\x00",
            "paths.bin": b"\x08../a/./b//c/..\x00tmp/x\x00",
        },
    }


def write(dest: Path = CORPUS) -> None:
    for parser, files in seeds().items():
        (dest / parser).mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (dest / parser / name).write_bytes(data)
