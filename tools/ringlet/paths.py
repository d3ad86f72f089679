"""Where things are. Every output lives under build/."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
KERNEL_ELF = BUILD / "kernel" / "ringlet.elf"
VENV = ROOT / ".venv"
USER_BUILD = BUILD / "user"
MOTD = ROOT / "user" / "etc" / "motd"
PYPROJECT = ROOT / "pyproject.toml"
