"""More than one CPU (docs/smp.md): the CPUs the boot report finds in ACPI's MADT and starts,
maxcpus=, CPU-bound processes running on every CPU at once, fork/exit churn and pipes across
four CPUs with every frame and heap byte given back, and the lock-order checker's panic.

Each test boots the number of CPUs it is about, whatever ./ringlet test --cpus says."""

from __future__ import annotations

import re

import pytest

from harness import (
    PANIC,
    TEST_OUTPUT,
    boot,
    default_initrd_module,
    run_to_power_off,
    run_without_leaks,
    user_elf,
)
from ringlet.image import Module

pytestmark = pytest.mark.boots

BUSY_RE = re.compile(r"^ringlet: cpu(\d+) ran processes for (\d+) ticks, idle for (\d+)$", re.M)


def busy_ticks(out: str) -> dict[int, int]:
    return {int(cpu): int(busy) for cpu, busy, _ in BUSY_RE.findall(out)}


@pytest.mark.parametrize("cpus", [1, 2, 4])
def test_the_boot_report_lists_and_starts_every_cpu(cpus: int) -> None:
    out = run_to_power_off(
        f"smp_report_{cpus}",
        modules=[Module(user_elf("hello"), "hello")],
        cmdline="init=none",
        cpus=cpus,
    )
    ids = " ".join(str(i) for i in range(cpus))
    assert re.search(
        rf"^cpus: {cpus} in the ACPI MADT \(through the [RX]SDT\), local APIC ids {ids}; "
        r"local APIC at 0xfee00000; I/O APIC 0 at 0xfec00000$",
        out,
        re.M,
    ), out
    for i in range(1, cpus):
        assert re.search(rf"^cpu{i}: online \(local APIC id {i}\)$", out, re.M), out
    assert f"cpu{cpus}: online" not in out
    if cpus == 1:
        assert "running; local APIC timer" not in out  # nothing to start
    else:
        running = rf"^cpus: {cpus} running; local APIC timer \d+ counts per tick$"
        assert re.search(running, out, re.M), out
    assert "hello: exit 0" in out or re.search(r"^\s*\d+\s+hello\s+exit 0$", out, re.M), out
    assert sorted(busy_ticks(out)) == list(range(cpus))


def test_maxcpus_starts_only_that_many() -> None:
    out = run_to_power_off(
        "smp_maxcpus",
        modules=[Module(user_elf("hello"), "hello")],
        cmdline="init=none maxcpus=2",
        cpus=4,
    )
    assert re.search(r"^cpus: 4 in the ACPI MADT", out, re.M), out
    assert re.search(r"^cpu1: online", out, re.M)
    assert "cpu2: online" not in out and "cpu3: online" not in out
    assert re.search(r"^cpus: 2 running;", out, re.M)
    assert sorted(busy_ticks(out)) == [0, 1]


def test_cpu_bound_processes_run_on_every_cpu_at_once() -> None:
    """Two spinners for 3 s of wall-clock time each on two CPUs: both finish, and each CPU
    spent a good part of that time running a process (one CPU alone could not have)."""
    spin = user_elf("spin")
    out = run_to_power_off(
        "smp_spinners",
        modules=[Module(spin, "spin 3"), Module(spin, "spin_b 3")],
        cmdline="init=none",
        cpus=2,
        deadline=120,
    )
    assert out.count("spin: done after 3 s") == 2, out
    busy = busy_ticks(out)
    assert sorted(busy) == [0, 1]
    assert all(ticks >= 50 for ticks in busy.values()), busy


def test_fork_exit_and_pipes_across_four_cpus_give_everything_back() -> None:
    """churn (the soak's load: forks, exec, pipes to grandchildren, files in /tmp, mmap, kills)
    for 12 s, next to fork_test (exit statuses, signals, orphans) and pipe_test (blocking reads,
    EPIPE, EOF, dup2), on four CPUs; every frame and heap byte must come back."""
    out_dir = TEST_OUTPUT / "smp_churn"
    out_dir.mkdir(parents=True, exist_ok=True)
    modules = [
        default_initrd_module(out_dir),  # /bin/true for churn's exec, /tmp
        Module(user_elf("churn"), "churn 12"),
        Module(user_elf("fork_test"), "fork_test"),
        Module(user_elf("pipe_test"), "pipe_test"),
    ]
    out = run_without_leaks("smp_churn", modules, deadline=300, cpus=4)
    assert "churn: done" in out, out
    assert "fork_test: all ok" in out, out
    assert re.search(r"^pipe_test: ok$", out, re.M), out
    assert "FAIL" not in out
    assert re.search(r"^cpus: 4 running", out, re.M)
    busy = busy_ticks(out)
    assert sorted(busy) == [0, 1, 2, 3]
    assert sum(1 for ticks in busy.values() if ticks > 0) >= 2, busy  # spread over the CPUs


def test_a_lock_taken_out_of_order_panics_naming_both() -> None:
    with boot("smp_lock_order", cmdline="crash=lock-order", cpus=2) as machine:
        status = machine.wait_exit()
        out = machine.output()
    assert status == 1, out
    assert re.search(
        r"^panic: spinlock: lock order: cpu0 takes crash early lock \(order 2\) "
        r"while holding crash late lock \(order 4\)$",
        out,
        re.M,
    ), out
    assert re.search(PANIC, out, re.M)
