"""`ringlet setup`: the system packages and the Python virtual environment Ringlet needs.

Everything here is idempotent: a second run finds everything in place and installs nothing.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass

from ringlet import process
from ringlet.errors import SetupError
from ringlet.paths import PYPROJECT, ROOT, VENV

STAMP = VENV / ".ringlet-installed"


def _has_command(name: str) -> Callable[[], bool]:
    return lambda: shutil.which(name) is not None


# A 64-bit division on i686 is a call into libgcc (__udivdi3): linking this proves that
# `gcc -m32 ... -lgcc` works, which is what the kernel's link needs. Asking gcc where libgcc
# is (-print-libgcc-file-name) is not enough: without gcc-multilib it names the 64-bit one.
_LIBGCC_PROBE = """
unsigned long long ringlet_probe(unsigned long long a, unsigned long long b) { return a / b; }
void _start(void) { for (;;) { } }
"""


def _links_32bit_libgcc() -> bool:
    if shutil.which("gcc") is None:
        return False
    with tempfile.TemporaryDirectory(prefix="ringlet-probe-") as tmp:
        source = os.path.join(tmp, "probe.c")
        with open(source, "w") as f:
            f.write(_LIBGCC_PROBE)
        result = subprocess.run(
            [
                "gcc",
                "-m32",
                "-ffreestanding",
                "-nostdlib",
                "-static",
                "-no-pie",
                "-O1",
                "-o",
                os.path.join(tmp, "probe"),
                source,
                "-lgcc",
            ],
            capture_output=True,
            text=True,
        )
        return result.returncode == 0


@dataclass(frozen=True)
class Requirement:
    what: str  # shown to the user
    package: str  # the Debian package that provides it
    present: Callable[[], bool]


REQUIREMENTS = [
    Requirement("make", "make", _has_command("make")),
    Requirement("gcc", "gcc", _has_command("gcc")),
    Requirement("g++ (C++ user programs)", "g++", _has_command("g++")),
    Requirement("32-bit libgcc (gcc -m32)", "gcc-multilib", _links_32bit_libgcc),
    Requirement("binutils (objcopy, nm, objdump)", "binutils", _has_command("objdump")),
    Requirement("qemu-system-i386", "qemu-system-x86", _has_command("qemu-system-i386")),
    Requirement("grub-mkrescue", "grub-common", _has_command("grub-mkrescue")),
    Requirement("GRUB for BIOS PCs", "grub-pc-bin", lambda: os.path.isdir("/usr/lib/grub/i386-pc")),
    # UEFI: grub-mkrescue adds GRUB for every platform installed, so the one ISO boots both ways.
    Requirement(
        "GRUB for 64-bit UEFI",
        "grub-efi-amd64-bin",
        lambda: os.path.isdir("/usr/lib/grub/x86_64-efi"),
    ),
    Requirement(
        "GRUB for 32-bit UEFI", "grub-efi-ia32-bin", lambda: os.path.isdir("/usr/lib/grub/i386-efi")
    ),
    Requirement(
        "UEFI firmware (OVMF, ./ringlet run --uefi)",
        "ovmf",
        lambda: os.path.isfile("/usr/share/OVMF/OVMF_CODE_4M.fd"),
    ),
    Requirement(
        "qemu-system-x86_64 (./ringlet run --uefi)",
        "qemu-system-x86",
        _has_command("qemu-system-x86_64"),
    ),
    Requirement("xorriso (ISO images)", "xorriso", _has_command("xorriso")),
    Requirement("gdb (./ringlet gdb)", "gdb", _has_command("gdb")),
    Requirement("mtools (for grub-mkrescue)", "mtools", _has_command("mformat")),
    Requirement(
        "dpkg-source (busybox's source for its test suite)",
        "dpkg-dev",
        _has_command("dpkg-source"),
    ),
    Requirement(
        "Python venv support",
        "python3-venv",
        lambda: importlib.util.find_spec("ensurepip") is not None,
    ),
]


def _clang_builtins_i386() -> bool:
    """compiler-rt's i386 builtins, which stand in for libgcc in the Clang build."""
    if shutil.which("clang") is None:
        return False
    result = subprocess.run(
        ["clang", "--target=i686-linux-gnu", "--rtlib=compiler-rt", "-print-libgcc-file-name"],
        capture_output=True,
        text=True,
    )
    return result.returncode == 0 and os.path.isfile(result.stdout.strip())


# Needed only when RINGLET_CC=clang (./ringlet --cc clang ...).
CLANG_REQUIREMENTS = [
    Requirement("clang", "clang", _has_command("clang")),
    Requirement("ld.lld", "lld", _has_command("ld.lld")),
    Requirement("compiler-rt builtins for i386", "libclang-rt-dev", _clang_builtins_i386),
]


def _has_libfuzzer() -> bool:
    """Whether clang can link -fsanitize=fuzzer: its libFuzzer runtime is installed."""
    if shutil.which("clang") is None:
        return False
    result = subprocess.run(
        ["clang", "-print-file-name=libclang_rt.fuzzer-x86_64.a"], capture_output=True, text=True
    )
    return os.path.isabs(result.stdout.strip()) and os.path.exists(result.stdout.strip())


# For ./ringlet fuzz parsers and the tests that run it: Clang, its sanitizers and libFuzzer.
FUZZING_REQUIREMENTS = [
    Requirement("clang", "clang", _has_command("clang")),
    Requirement("libFuzzer and the sanitizer runtimes", "libclang-rt-dev", _has_libfuzzer),
]


def missing_packages(requirements: list[Requirement] | None = None) -> list[str]:
    """The Debian packages to install: of requirements, or by default of REQUIREMENTS plus
    CLANG_REQUIREMENTS when RINGLET_CC=clang."""
    if requirements is None:
        from ringlet.paths import COMPILER

        requirements = REQUIREMENTS + (CLANG_REQUIREMENTS if COMPILER == "clang" else [])
    return sorted({r.package for r in requirements if not r.present()})


def ensure_fuzzing_packages() -> None:
    """Like ensure_system_packages, for the parser fuzzers' compiler and runtimes."""
    ensure_system_packages(FUZZING_REQUIREMENTS)


def ensure_system_packages(requirements: list[Requirement] | None = None) -> None:
    """Installs missing Debian packages when root; otherwise stops with the command to run."""
    missing = missing_packages(requirements)
    if not missing:
        return
    install = ["apt-get", "install", "-y", *missing]
    if os.geteuid() != 0:
        raise SetupError(
            "ringlet needs these Debian packages: "
            + " ".join(missing)
            + "\n  run: sudo apt-get update && sudo "
            + " ".join(install)
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    process.run(["apt-get", "update"], quiet=True, env=env)
    process.run(install, quiet=True, env=env)
    still_missing = missing_packages(requirements)
    if still_missing:
        raise SetupError("apt-get did not provide: " + " ".join(still_missing))


def python_dependencies() -> list[str]:
    with open(PYPROJECT, "rb") as f:
        return list(tomllib.load(f)["project"]["dependencies"])


def _requirements_fingerprint() -> str:
    return hashlib.sha256("\n".join(python_dependencies()).encode()).hexdigest()


def venv_python() -> str:
    return str(VENV / "bin" / "python")


def ensure_venv() -> None:
    """Creates .venv/ with the pinned packages, unless it already has exactly those."""
    fingerprint = _requirements_fingerprint()
    installed = STAMP.read_text().strip() if STAMP.exists() else ""
    if installed == fingerprint and os.path.exists(venv_python()):
        return
    if not os.path.exists(venv_python()):
        process.run([sys.executable, "-m", "venv", VENV], quiet=True)
    process.run(
        [
            venv_python(),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            *python_dependencies(),
        ],
        quiet=True,
    )
    STAMP.write_text(fingerprint + "\n")


def in_venv() -> bool:
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def reexec_in_venv(argv: list[str]) -> None:
    """Replaces this process with the same ringlet command run by the venv's Python."""
    if in_venv():
        return
    os.execv(venv_python(), [venv_python(), str(ROOT / "ringlet"), *argv])


def setup(with_python: bool = True, with_system_packages: bool = True) -> None:
    """Installs what ringlet needs: the Debian packages and the virtual environment."""
    if with_system_packages:
        ensure_system_packages()
    if with_python:
        ensure_venv()
