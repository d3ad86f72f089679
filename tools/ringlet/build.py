"""Compiling: ringlet only decides what to build; GNU Make does the work."""

from __future__ import annotations

import fcntl
import os

from ringlet import process
from ringlet.errors import UsageError
from ringlet.paths import BUILD, COMPILER, COMPILERS, OUT, ROOT


def make(*targets: str, verbose: bool = False) -> None:
    """Brings targets ("kernel", "host", ...) up to date under build/.

    One make at a time per checkout: two runs started together (two terminals, a terminal and
    a test run) would otherwise write the same objects at once. The second waits for the first
    under a lock on build/.make.lock, then finds everything up to date.
    """
    if COMPILER not in COMPILERS:
        raise UsageError(f"RINGLET_CC is gcc or clang, not {COMPILER!r}")
    argv = ["make", "-C", str(ROOT), f"-j{os.cpu_count() or 2}"]
    if COMPILER != "gcc":
        argv += [f"BUILD={OUT}", f"COMPILER={COMPILER}"]
    if not verbose:
        argv.append("-s")
    BUILD.mkdir(parents=True, exist_ok=True)
    with open(BUILD / ".make.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        process.run([*argv, *targets])
