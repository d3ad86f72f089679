"""Helpers the test layers share: booting Ringlet in QEMU from a test, with its own ISO and log."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ringlet import paths
from ringlet.image import Module, make_iso
from ringlet.paths import BUILD, KERNEL_ELF, ROOT
from ringlet.qemu import TEST_CPUS_VARIABLE, Machine, QemuConfig

TEST_OUTPUT = BUILD / "tests"
PANIC = r"^panic:"


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


def machine_cpus() -> int:
    """The CPUs every test machine gets: ./ringlet test --cpus N (1 when run otherwise)."""
    return int(os.environ.get(TEST_CPUS_VARIABLE, "1"))


@contextmanager
def boot(
    name: str,
    *,
    modules: Sequence[Module] = (),
    cmdline: str = "",
    memory_mib: int = 128,
    deadline: float = 60.0,
    qemu_args: Sequence[str] = (),
    qmp_socket: Path | None = None,
    grub_commands: Sequence[str] = (),
    uefi: bool = False,
    hybrid: bool = False,
    cpus: int | None = None,
) -> Iterator[Machine]:
    """Boots Ringlet with these modules and command line; the serial log is build/tests/NAME.log.
    grub_commands run in GRUB before it loads the kernel (cutmem, to shape the memory map).
    uefi: through OVMF (UEFI firmware) instead of the BIOS. A BIOS boot's ISO holds GRUB for
    BIOS PCs alone (quicker to make) unless hybrid: then it is ./ringlet run's ISO, which also
    boots on UEFI. cpus: the machine's CPUs; by default as many as ./ringlet test --cpus says."""
    out = TEST_OUTPUT / safe_name(name)
    bios_only = not (uefi or hybrid)
    iso = make_iso(KERNEL_ELF, list(modules), cmdline, out, grub_commands, bios_only=bios_only)
    config = QemuConfig(
        iso=iso,
        memory_mib=memory_mib,
        cpus=cpus if cpus is not None else machine_cpus(),
        extra_args=list(qemu_args),
        qmp_socket=qmp_socket,
        uefi=uefi,
    )
    with Machine(config, out.with_suffix(".log"), deadline=deadline) as machine:
        yield machine


def run_to_power_off(name: str, **kwargs) -> str:
    """Boots, waits for the machine to stop by itself, checks it powered off without a panic."""
    with boot(name, **kwargs) as machine:
        status = machine.wait_exit()
        machine.assert_absent(PANIC)
        if status != 0:
            raise machine.fail(f"expected a normal power-off, got ringlet status {status}")
        return machine.output()


def ringlet_command() -> list[str]:
    import sys

    return [sys.executable, str(ROOT / "ringlet")]


def write_file(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    return path


USER_BUILD = paths.USER_BUILD  # build/user, or build/clang/user with RINGLET_CC=clang


def user_elf(name: str) -> Path:
    """build/user/NAME.elf, a program built against libsys."""
    return USER_BUILD / f"{name}.elf"


def user_flat(name: str) -> Path:
    return USER_BUILD / f"{name}.flat"


def summary_results(output: str) -> dict[str, str]:
    """name -> "exit N" or "killed (signal N)", from the init=none summary."""
    block = output.split("ringlet: all processes have exited\n", 1)[1]
    return dict(re.findall(r"^  \d+\s+(\S+)\s+(exit \d+|killed \(signal \d+\))$", block, re.M))


def free_frames_at_start_and_end(output: str) -> tuple[int, int]:
    match = re.search(r"^ringlet: free frames: (\d+) at start, (\d+) at end$", output, re.M)
    assert match, "the init=none summary must report free frames"
    return int(match.group(1)), int(match.group(2))


def heap_bytes_at_start_and_end(output: str) -> tuple[int, int]:
    match = re.search(r"^ringlet: heap bytes in use: (\d+) at start, (\d+) at end$", output, re.M)
    assert match, "the init=none summary must report the heap's bytes in use"
    return int(match.group(1)), int(match.group(2))


def run_without_leaks(
    name: str, modules: Sequence[Module], deadline: float = 120, cpus: int | None = None
) -> str:
    """init=none: boots these modules (say a hostile program next to one that must finish),
    checks that the machine powers off normally (every program the kernel started exited 0)
    without a panic and that every frame and every heap byte came back (a small object left
    behind hides in a slab page the frame count cannot see); returns the serial output."""
    out = run_to_power_off(name, modules=modules, cmdline="init=none", deadline=deadline, cpus=cpus)
    start, end = free_frames_at_start_and_end(out)
    assert start == end, f"{start - end} frames did not come back; see {TEST_OUTPUT / name}.log"
    heap_start, heap_end = heap_bytes_at_start_and_end(out)
    assert heap_start == heap_end, (
        f"{heap_end - heap_start} heap bytes did not come back; see {TEST_OUTPUT / name}.log"
    )
    return out


class Shell:
    """Drives /bin/sh over the serial console: run() types a command line and returns what it
    printed before the next prompt."""

    PROMPT = r"^\$ "

    def __init__(self, machine: Machine, timeout: float = 60) -> None:
        self.machine = machine
        machine.wait_for(self.PROMPT, timeout)
        self.mark = len(machine.output())

    def run(self, command: str, timeout: float = 60) -> str:
        start = len(self.machine.output())
        self.machine.send(command + "\n")
        # The echo of the command line comes first; the next prompt starts a line after it.
        echoed = self.machine.wait_for(re.escape(command) + r"\n", timeout, start=start)
        prompt = self.machine.wait_for(self.PROMPT, timeout, start=echoed.end())
        self.mark = prompt.end()
        return self.machine.output()[echoed.end() : prompt.start()]

    def count_motd(self, timeout: float = 60) -> list[int]:
        """Lines, words and bytes of /etc/motd as `cat /etc/motd | wc` counts them: output the
        programs compute (three processes that must each get the CPU), not an echo."""
        return [int(n) for n in self.run("cat /etc/motd | wc", timeout).split()[:3]]

    def power_off(self, timeout: float = 60) -> None:
        """Types poweroff and checks that the machine ends normally, without a panic."""
        self.machine.send("poweroff\n")
        status = self.machine.wait_exit(timeout)
        self.machine.assert_absent(PANIC)
        if status != 0:
            raise self.machine.fail(f"poweroff must end the machine normally, got {status}")


def motd_counts() -> list[int]:
    """What wc prints for user/etc/motd: lines, words, bytes."""
    from ringlet.paths import MOTD

    text = MOTD.read_text()
    return [text.count("\n"), len(text.split()), len(text.encode())]


def default_initrd_module(out_dir: Path) -> Module:
    """The initrd ./ringlet run uses: every program at /bin/NAME, and /etc/motd."""
    from ringlet.paths import MOTD
    from ringlet.ramdisk import default_initrd

    return Module(default_initrd(USER_BUILD, MOTD, out_dir / "initrd.tar"), "initrd")


@contextmanager
def shell_session(name: str, deadline: float, absent: Sequence[str] = ()) -> Iterator[Shell]:
    """A boot of the default initrd (init, then the shell) shared by a module's tests; at the
    end the whole session must show no panic and none of the patterns in absent."""
    out = TEST_OUTPUT / name
    out.mkdir(parents=True, exist_ok=True)
    with boot(name, modules=[default_initrd_module(out)], deadline=deadline) as machine:
        yield Shell(machine)
        for pattern in (PANIC, *absent):
            machine.assert_absent(pattern)
