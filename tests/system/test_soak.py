"""The soak's short form (./ringlet soak runs it for minutes; .ci/run for two): 30 seconds of
churn beside the shell and its utilities, sampled once a second. No panic, no hang, a normal
power-off, and free memory, the kernel heap and the process count back at the baseline at
every quiet point."""

from __future__ import annotations

import pytest

from ringlet import soak

pytestmark = pytest.mark.boots


def test_half_a_minute_of_churn_comes_back_to_the_baseline() -> None:
    result = soak.run(0.5)
    assert result.problems == [], f"{result.problems}; serial log {soak.SOAK_OUT}/serial.log"
    busy = [s for s in result.samples if s.phase == "busy"]
    quiet = [s for s in result.samples if s.phase == "quiet"]
    assert len(quiet) >= 4, "at least two quiet points of two samples each"
    assert len(busy) >= 10
    assert max(s.procs for s in busy) > quiet[0].procs, "churn must have had children running"
    assert min(s.free_kb for s in busy) < quiet[0].free_kb, "and used memory while busy"
    assert result.commands >= 5, "the shell must have run utilities meanwhile"


def test_a_quiet_point_off_the_baseline_is_a_failure() -> None:
    samples = soak.samples_of(
        "soak: 1 1000 20 5 busy\nsoak: 9 1200 16 3 quiet\nsoak: 10 1200 16 3 quiet\n"
        "soak: 20 1196 17 3 quiet\n"
    )
    assert soak.judge_quiet_points(samples) == [
        "quiet point at 20 s: free_kb 1196, baseline 1200 (at 9 s)",
        "quiet point at 20 s: heap_kb 17, baseline 16 (at 9 s)",
    ]
    assert soak.judge_quiet_points(samples[:1]) == ["no quiet point was sampled"]
