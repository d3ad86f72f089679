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
