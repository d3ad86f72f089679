"""Compiling: ringlet only decides what to build; GNU Make does the work."""

from __future__ import annotations

import os

from ringlet import process
from ringlet.paths import ROOT


def make(*targets: str, verbose: bool = False) -> None:
    """Brings targets ("kernel", "host", ...) up to date under build/."""
    argv = ["make", "-C", str(ROOT), f"-j{os.cpu_count() or 2}"]
    if not verbose:
        argv.append("-s")
    process.run([*argv, *targets])
