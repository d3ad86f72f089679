"""tools/ringlet/syscall_fuzz.py's judge: what makes a fuzzing run a failure, on made-up logs."""

from __future__ import annotations

from pathlib import Path

from ringlet.syscall_fuzz import FuzzRun, judge

DONE = "syscall_fuzz: done: 20100 calls by 90 workers (80 ended by a signal, 2 stuck and killed)"
SUMMARY = (
    "ringlet: heap bytes in use: 100 at start, 100 at end\n"
    "ringlet: free frames: 500 at start, 500 at end\n"
)


def judged(output: str, status: int | None = 0) -> FuzzRun:
    run = FuzzRun(seed=7, calls=20000, procs=4, log=Path("seed-7.log"))
    judge(output, status, run)
    return run


def test_a_clean_run_passes_with_its_figures() -> None:
    run = judged(f"{DONE} in 5000 ms\n{SUMMARY}")
    assert run.problems == []
    assert (run.calls_made, run.workers) == (20100, 90)
    assert run.reproduce() == "./ringlet fuzz syscalls --seed 7 --calls 20000 --procs 4"


def test_a_panic_fails_and_is_quoted() -> None:
    run = judged("panic: page fault in kernel mode\n", status=1)
    assert run.problems == ["kernel panic: panic: page fault in kernel mode"]


def test_a_leak_of_frames_or_heap_fails() -> None:
    leaky = SUMMARY.replace("500 at end", "498 at end").replace("100 at end", "164 at end")
    run = judged(f"{DONE} in 5000 ms\n{leaky}")
    assert run.problems == [
        "free frames: 500 at start, 498 at end",
        "heap bytes in use: 100 at start, 164 at end",
    ]


def test_a_hang_and_an_unfinished_fuzzer_fail() -> None:
    run = judged("syscall_fuzz: seed 7, 20000 calls\n", status=None)
    assert "the machine did not stop before the deadline (a hang?)" in run.problems
    assert "the fuzzer never said it was done" in run.problems


def test_too_few_calls_or_a_failed_fuzzer_fail() -> None:
    short = DONE.replace("20100", "1500")
    run = judged(f"{short} in 5000 ms\n{SUMMARY}", status=3)
    assert run.problems == [
        "the machine ended with status 3, not a power-off",
        "only 1500 of 20000 calls were made",
    ]


def test_leftovers_the_fuzzer_could_not_remove_fail() -> None:
    left = "syscall_fuzz: cannot remove /tmp/fuzz/w3 (Directory not empty)"
    run = judged(f"{left}\n{DONE} in 5000 ms\n{SUMMARY}")
    assert run.problems == [left]
