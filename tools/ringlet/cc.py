"""`ringlet cc`: builds an ordinary C program for Ringlet against a real libc (musl).

The compiler is zig's `zig cc` (clang with musl's sources for every target), from the pinned
`ziglang` package in pyproject.toml: self-contained, the same on every machine, and able to
make static i386 Linux executables, which is all Ringlet runs. Debian's own musl-gcc targets
only the host's architecture. Everything after `cc` goes to the compiler unchanged.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

from ringlet.paths import BUILD

TARGET_FLAGS = ["-target", "x86-linux-musl", "-static"]
ZIG_CACHE = BUILD / "zig-cache"


def cc_argv(args: Sequence[str]) -> list[str]:
    """The command line that compiles args as a static i386 musl program."""
    return [sys.executable, "-m", "ziglang", "cc", *TARGET_FLAGS, *args]


def cc_env() -> dict[str, str]:
    """zig's caches (it builds musl once per target) go under build/, not the user's home."""
    return dict(
        os.environ,
        ZIG_GLOBAL_CACHE_DIR=str(ZIG_CACHE),
        ZIG_LOCAL_CACHE_DIR=str(ZIG_CACHE),
    )


def compile_program(args: Sequence[str]) -> int:
    """Runs the compiler; returns its exit status."""
    return subprocess.call(cc_argv(args), env=cc_env())
