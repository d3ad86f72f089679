"""CPU-bound jobs must not starve anyone: the shell typed at as a person types (with pauses
longer than a time slice between commands), several spinning jobs at once, a job started before
the shell is idle, and the scheduler's promise measured by a program (with N CPU-bound processes
runnable, a process woken by input runs within N+1 slices)."""

from __future__ import annotations

import re
import time

import pytest

from harness import (
    TEST_OUTPUT,
    Shell,
    boot,
    default_initrd_module,
    motd_counts,
    run_without_leaks,
    summary_results,
    user_elf,
)
from ringlet.image import Module

pytestmark = pytest.mark.boots

PAUSE = 2.0  # seconds between commands: a hundred slices, as a person types
ANSWER = 30  # seconds the shell may take to answer on a busy host (it answers in milliseconds)


def spin_pids(ps_output: str) -> list[int]:
    return [
        int(m) for m in re.findall(r"^\s*(\d+)\s+\d+\s+\w+\s+\d+\s+\d+\s+spin$", ps_output, re.M)
    ]


def test_shell_answers_after_pauses_with_several_spinning_jobs() -> None:
    out = TEST_OUTPUT / "sched_pauses"
    out.mkdir(parents=True, exist_ok=True)
    with boot("sched_pauses", modules=[default_initrd_module(out)], deadline=300) as machine:
        shell = Shell(machine)
        started = []
        for _ in range(3):
            job = shell.run("spin &", timeout=ANSWER)
            started.append(int(re.search(r"^\[(\d+)\]$", job, re.M).group(1)))
            time.sleep(PAUSE)
            assert shell.count_motd(ANSWER) == motd_counts()
            time.sleep(PAUSE)
            assert sorted(spin_pids(shell.run("ps", timeout=ANSWER))) == sorted(started)
            time.sleep(PAUSE)
        for pid in started:
            shell.run(f"kill {pid}", timeout=ANSWER)
            time.sleep(PAUSE)
        assert spin_pids(shell.run("ps", timeout=ANSWER)) == []
        time.sleep(PAUSE)
        shell.power_off(ANSWER)


def test_job_started_before_the_shell_is_idle() -> None:
    """The command is typed while init is still starting the shell: spin runs before the shell
    has ever waited for input, and the shell must still get its turn when the next line comes."""
    out = TEST_OUTPUT / "sched_typeahead"
    out.mkdir(parents=True, exist_ok=True)
    with boot("sched_typeahead", modules=[default_initrd_module(out)], deadline=300) as machine:
        machine.wait_for(r"^init: starting /bin/sh$", 60)
        machine.send("spin &\n")
        shell = Shell(machine)
        machine.wait_for(r"\[\d+\]$", ANSWER)
        time.sleep(PAUSE)
        assert shell.count_motd(ANSWER) == motd_counts()
        time.sleep(PAUSE)
        assert len(spin_pids(shell.run("ps", timeout=ANSWER))) == 1
        time.sleep(PAUSE)
        shell.power_off(ANSWER)


@pytest.mark.parametrize("spinners", ["1 2 4"])
def test_woken_process_runs_within_n_plus_one_slices(spinners: str) -> None:
    modules = [
        Module(user_elf("wakeup_latency"), f"wakeup_latency {spinners}"),
        Module(user_elf("hello"), "hello"),
    ]
    out = run_without_leaks("sched_wakeup_latency", modules)
    for n in spinners.split():
        row = re.search(
            rf"^wakeup_latency: N={n}: (\d+) wakeups, (\d+) measured, longest (\d+) ms, "
            rf"bound (\d+) ms$",
            out,
            re.M,
        )
        assert row, f"no measurement for N={n}"
        wakeups, measured, longest, bound = (int(g) for g in row.groups())
        assert bound == (int(n) + 1) * 20
        assert measured >= wakeups // 2 > 0
        assert longest <= bound, f"N={n}: a woken process waited {longest} ms"
    assert "wakeup_latency: ok" in out
    assert "Hello from ring 3!" in out
    assert summary_results(out) == {"wakeup_latency": "exit 0", "hello": "exit 0"}
