"""Where things are. Every output lives under build/."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
KERNEL_ELF = BUILD / "kernel" / "ringlet.elf"
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"
