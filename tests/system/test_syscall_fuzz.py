"""The system-call fuzzer's short form (./ringlet fuzz syscalls runs it long): 20,000 typed
random calls from four processes at a time, from a fixed seed, in one boot. The kernel must not
panic or hang, the fuzzer must make every call and clean up after itself, and every frame and
heap byte free at the start must be free again once every fuzzing process has died."""

from __future__ import annotations

import pytest

from ringlet import syscall_fuzz

pytestmark = pytest.mark.boots

SEED = 1
CALLS = 20000


def test_twenty_thousand_random_calls_leave_the_kernel_well() -> None:
    run = syscall_fuzz.run(SEED, CALLS, procs=4, trace=False)
    assert run.problems == [], f"{run.problems}; serial log {run.log}; {run.reproduce()}"
    assert run.calls_made >= CALLS
    assert run.workers >= 1
    log = run.log.read_text(errors="replace")
    assert f"syscall_fuzz: seed {SEED}, {CALLS} calls, 4 processes" in log
    assert "SHOULD NOT PRINT" not in log


def calls_before_the_first_fork(log: str) -> list[str]:
    """Worker 0's calls, by name, up to its first fork-like call (after that, children that
    timing lets live longer or shorter print lines of their own)."""
    names = []
    for line in log.splitlines():
        if line.startswith("fuzz 0."):
            name = line.split(": ", 1)[1].split("(", 1)[0]
            names.append(name)
            if name in ("fork", "clone", "vfork"):
                break
    return names


def test_a_seed_replays_the_same_calls() -> None:
    """The seed is the replay: two boots with the same seed make the same calls in order."""
    logs = []
    for _ in range(2):
        run = syscall_fuzz.run(7, 400, procs=1, trace=True)
        assert run.problems == [], f"{run.problems}; serial log {run.log}"
        logs.append(calls_before_the_first_fork(run.log.read_text(errors="replace")))
    assert len(logs[0]) >= 5
    assert logs[0] == logs[1]
    other = syscall_fuzz.run(8, 400, procs=1, trace=True)
    assert calls_before_the_first_fork(other.log.read_text(errors="replace"))[:5] != logs[0][:5]
