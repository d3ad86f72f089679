"""Debian's busybox-static (i386, built against glibc) as Ringlet's shell and tools.

`./ringlet run --busybox` fetches the package with Debian's own client (ringlet.debian), asks
the binary itself which applets it has (`busybox --list-full`, run on Ringlet: no host can be
assumed to run i386 code), and boots an initrd with /bin/busybox, every applet as a hard link
to it at the path busybox names (so /bin/sh is busybox's ash), and Ringlet's own init and
poweroff. docs/linux-abi.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from ringlet.debian import fetch_package
from ringlet.errors import SetupError
from ringlet.image import Module, make_iso
from ringlet.paths import KERNEL_ELF, MOTD, USER_BUILD
from ringlet.qemu import Machine, QemuConfig
from ringlet.ramdisk import make_initrd, ringlet_files

PACKAGE = "busybox-static"
# Ringlet's own init starts /bin/sh and its poweroff powers off; busybox's versions of these
# talk to a busybox init (signals to pid 1, /proc), so they are left out wherever they live.
KEEP_FROM_RINGLET = ("init", "linuxrc", "poweroff", "reboot", "halt")
APPLET = re.compile(r"^((?:usr/)?s?bin/[A-Za-z0-9_.\[\]-]+)$", re.M)


def busybox_binary() -> Path:
    """The unpacked busybox (fetched once into build/debian/)."""
    binary = fetch_package(PACKAGE) / "bin" / "busybox"
    if not binary.is_file():
        raise SetupError(f"{PACKAGE} has no bin/busybox")
    return binary


def applets(binary: Path) -> list[str]:
    """The applet paths busybox reports (bin/ls, usr/bin/awk, ...), asked on Ringlet once and
    kept beside the binary."""
    cached = binary.parent.parent.parent / "applets.txt"
    if cached.is_file() and cached.stat().st_mtime >= binary.stat().st_mtime:
        return cached.read_text().split()
    out_dir = cached.parent / "list-applets"
    module = Module(binary, "busybox --list-full")
    iso = make_iso(KERNEL_ELF, [module], "init=none", out_dir, bios_only=True)  # booted here
    with Machine(QemuConfig(iso=iso, memory_mib=128), out_dir.with_suffix(".log")) as machine:
        status = machine.wait_exit()
        text = machine.output()
    names = APPLET.findall(text.split("frames free", 1)[-1])
    if status != 0 or len(names) < 50:
        raise SetupError(
            f"busybox --list-full on Ringlet gave {len(names)} applets (status "
            f"{status}); see {out_dir.with_suffix('.log')}"
        )
    cached.write_text("\n".join(sorted(set(names))) + "\n")
    return sorted(set(names))


def busybox_initrd_parts(
    user_build: Path = USER_BUILD, motd: Path = MOTD
) -> tuple[dict[str, bytes | Path], dict[str, str]]:
    """The files and hard links of Ringlet's tree with busybox and its applets over it (see the
    module's docstring), for make_initrd."""
    binary = busybox_binary()
    files = ringlet_files(user_build, motd)
    files["/bin/busybox"] = binary
    links: dict[str, str] = {}
    for applet in applets(binary):
        path = "/" + applet
        if Path(path).name in KEEP_FROM_RINGLET or path == "/bin/busybox":
            continue
        files.pop(path, None)
        links[path] = "/bin/busybox"
    return files, links


def busybox_initrd(user_build: Path, motd: Path, out: Path) -> Path:
    """Ringlet's tree with busybox and its applets over it (see the module's docstring)."""
    files, links = busybox_initrd_parts(user_build, motd)
    return make_initrd(files, out, links)
