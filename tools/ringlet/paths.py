"""Where things are. Every output lives under build/.

RINGLET_CC picks the compiler for the kernel and the user programs: gcc (the default; its
outputs go straight into build/) or clang (Debian's clang and lld; outputs in build/clang/).
Downloads, run directories and test logs are shared by both, in build/.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
COMPILERS = ("gcc", "clang")
COMPILER = os.environ.get("RINGLET_CC", "gcc")
OUT = BUILD if COMPILER == "gcc" else BUILD / COMPILER  # what make builds
KERNEL_ELF = OUT / "kernel" / "ringlet.elf"
USER_BUILD = OUT / "user"
HOST_BUILD = OUT / "host"
VENV = ROOT / ".venv"
MOTD = ROOT / "user" / "etc" / "motd"
PYPROJECT = ROOT / "pyproject.toml"
