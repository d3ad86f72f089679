"""The in-kernel benchmarks run and report every case (their speed is never a test failure)."""

from __future__ import annotations

import re

import pytest

from harness import run_to_power_off

pytestmark = pytest.mark.boots

CASES = ["frame_alloc_free", "kmalloc64_kfree", "page_zero"]


def test_kbench_reports_every_case_in_instructions() -> None:
    out = run_to_power_off(
        "kbench_all", cmdline="kbench=*", qemu_args=["-icount", "shift=0,sleep=off"]
    )
    found = dict(
        re.findall(r"^kbench: (\w+): 10000 iterations, (\d+) instructions/op$", out, re.MULTILINE)
    )
    assert sorted(found) == sorted(CASES)
    assert all(int(count) > 0 for count in found.values())


def test_kbench_glob_selects_cases() -> None:
    out = run_to_power_off("kbench_frames", cmdline="kbench=frame*")
    assert re.findall(r"^kbench: (\w+):", out, re.MULTILINE) == ["frame_alloc_free"]
