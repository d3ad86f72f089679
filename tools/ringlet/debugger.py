"""`./ringlet gdb`: QEMU waiting on its gdbstub, and GDB attached with Ringlet's commands.

QEMU starts with -S (no instruction runs) and a gdbstub on a free local port. GDB loads the
kernel's symbols and tools/gdb/ringlet.py, connects, and runs to the kernel's first instruction
with a hardware breakpoint on _start (a software one would be overwritten when GRUB copies the
kernel into place). The serial output goes to a log, since GDB owns the terminal. Ctrl-C goes
to GDB alone (it interrupts the guest); QEMU runs in its own process group and stops with GDB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from ringlet.errors import SetupError
from ringlet.paths import KERNEL_ELF, ROOT, USER_BUILD

GDB_EXTENSION = ROOT / "tools" / "gdb" / "ringlet.py"


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on just now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gdb_argv(port: int, batch: Path | None) -> list[str]:
    """GDB's command line: symbols, the extension, the connection, the run to _start."""
    argv = ["gdb", "-q", "-nx"]
    if batch is not None:
        argv += ["-batch"]
    for command in (
        "set confirm off",
        "set pagination off",
        f"file {KERNEL_ELF}",
        f"source {GDB_EXTENSION}",
        f"target remote 127.0.0.1:{port}",
        "hbreak _start",
        "continue",
        "delete",
    ):
        argv += ["-ex", command]
    if batch is not None:
        argv += ["-x", str(batch)]
    return argv


def run_gdb(iso: Path, args: argparse.Namespace, log: Path) -> int:
    """Boots iso stopped under the gdbstub and runs GDB on it; returns GDB's exit status."""
    from ringlet.qemu import Machine, QemuConfig

    if shutil.which("gdb") is None:
        raise SetupError("gdb: GDB is not installed (Debian package gdb)")
    port = free_port()
    config = QemuConfig(
        iso=iso,
        memory_mib=args.memory,
        cpus=args.cpus,
        window=args.window,
        extra_args=["-S", "-gdb", f"tcp:127.0.0.1:{port}", *args.qemu_arg],
    )
    print(f"ringlet: QEMU waits for GDB on port {port}; serial output: {log}", file=sys.stderr)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is GDB's
    try:
        with Machine(config, log, deadline=None, own_process_group=True):
            gdb = subprocess.run(
                gdb_argv(port, args.batch),
                env=dict(os.environ, RINGLET_USER_BUILD=str(USER_BUILD)),
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            )
    finally:
        signal.signal(signal.SIGINT, previous)
    return gdb.returncode
