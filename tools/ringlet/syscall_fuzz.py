"""`ringlet fuzz syscalls`: boots the system-call fuzzer (user/tests/syscall_fuzz.c) as the only
program (init=none) and judges the run from its serial log: no panic, the machine powered off
by itself, the fuzzer finished, and every frame and heap byte the kernel had free at the start
free again at the end. A failing run keeps its log and prints the command that replays it."""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ringlet.paths import BUILD, KERNEL_ELF, MOTD, USER_BUILD

FUZZ_OUT = BUILD / "fuzz"
DONE_RE = re.compile(
    r"^syscall_fuzz: done: (\d+) calls by (\d+) workers \((\d+) ended by a signal, (\d+) stuck",
    re.M,
)
FRAMES_RE = re.compile(r"^ringlet: free frames: (\d+) at start, (\d+) at end$", re.M)
HEAP_RE = re.compile(r"^ringlet: heap bytes in use: (\d+) at start, (\d+) at end$", re.M)
PANIC_RE = re.compile(r"^panic:.*$", re.M)


@dataclass
class FuzzRun:
    seed: int
    calls: int
    procs: int
    log: Path
    calls_made: int = 0
    workers: int = 0
    problems: list[str] = field(default_factory=list)

    def reproduce(self) -> str:
        return (
            f"./ringlet fuzz syscalls --seed {self.seed} --calls {self.calls} --procs {self.procs}"
        )


def new_seed() -> int:
    return int.from_bytes(os.urandom(4), "little")


def judge(output: str, status: int | None, run: FuzzRun) -> None:
    """Fills run's figures from the serial output and lists in run.problems everything that
    makes the run a failure (status is ringlet run's exit status; None: it never stopped)."""
    panic = PANIC_RE.search(output)
    if panic:
        run.problems.append(f"kernel panic: {panic.group(0)}")
    if status is None:
        run.problems.append("the machine did not stop before the deadline (a hang?)")
    elif status != 0 and not panic:
        run.problems.append(f"the machine ended with status {status}, not a power-off")
    done = DONE_RE.search(output)
    if done:
        run.calls_made, run.workers = int(done.group(1)), int(done.group(2))
        if run.calls_made < run.calls:
            run.problems.append(f"only {run.calls_made} of {run.calls} calls were made")
    elif not panic:
        run.problems.append("the fuzzer never said it was done")
    for line in re.findall(r"^syscall_fuzz: (?:cannot remove|gave up).*$", output, re.M):
        run.problems.append(line)
    for what, pattern in (("free frames", FRAMES_RE), ("heap bytes in use", HEAP_RE)):
        match = pattern.search(output)
        if match is None:
            if not panic and status is not None:
                run.problems.append(f"no '{what}' line in the kernel's summary")
        elif match.group(1) != match.group(2):
            start, end = int(match.group(1)), int(match.group(2))
            run.problems.append(f"{what}: {start} at start, {end} at end")


def run(seed: int, calls: int, procs: int, trace: bool, memory_mib: int = 128) -> FuzzRun:
    """Boots the fuzzer once and judges the run; the serial log is build/fuzz/seed-SEED.log."""
    from ringlet.image import Module, make_iso
    from ringlet.qemu import Machine, MachineError, QemuConfig
    from ringlet.ramdisk import default_initrd

    out_dir = FUZZ_OUT / f"seed-{seed}"
    log = FUZZ_OUT / f"seed-{seed}.log"
    result = FuzzRun(seed, calls, procs, log)
    initrd = default_initrd(USER_BUILD, MOTD, out_dir / "initrd.tar")
    cmdline = f"syscall_fuzz {seed} {calls} {procs}" + (" trace" if trace else "")
    modules = [Module(initrd, "initrd"), Module(USER_BUILD / "syscall_fuzz.elf", cmdline)]
    iso = make_iso(KERNEL_ELF, modules, "init=none", out_dir)
    deadline = 120 + calls / 200  # the slowest machines here make well over 500 calls a second
    config = QemuConfig(iso=iso, memory_mib=memory_mib)
    status: int | None
    with Machine(config, log, deadline=deadline) as machine:
        try:
            status = machine.wait_exit()
        except MachineError:
            status = None
        output = machine.output()
    judge(output, status, result)
    shutil.rmtree(out_dir, ignore_errors=True)  # the ISO; the log stays
    return result


def main(seed: int | None, calls: int, procs: int, trace: bool) -> int:
    """`ringlet fuzz syscalls`: prints the seed first, the figures or the problems, and on a
    failure the command that reproduces it and where the log is. Returns the exit status."""
    seed = new_seed() if seed is None else seed
    print(f"fuzz: seed {seed}, {calls} calls, {procs} processes", flush=True)
    result = run(seed, calls, procs, trace)
    if result.problems:
        for problem in result.problems:
            print(f"fuzz: FAIL: {problem}", file=sys.stderr)
        print(f"fuzz: serial log: {result.log}", file=sys.stderr)
        print(
            f"fuzz: reproduce: {result.reproduce()} (add --trace to log every call)",
            file=sys.stderr,
        )
        return 1
    print(
        f"fuzz: ok: {result.calls_made} calls by {result.workers} workers; no panic; "
        f"every frame and heap byte came back (log: {result.log})"
    )
    return 0
