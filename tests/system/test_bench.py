"""./ringlet bench runs and reports every case (never their speed: a slow machine is no failure)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from harness import ringlet_command
from ringlet.bench import parse_kernel, parse_user

pytestmark = pytest.mark.boots

USER_CASES = {
    "getpid",
    "sched_yield_round_trip",
    "pipe_round_trip",
    "ipc_call_reply_round_trip",
    "ipc_call_reply_round_trip_slow_path",
    "ipc_long_message_round_trip",
    "fork_exit_wait",
    "fork_execve_wait",
    "stack_growth_fault",
}
KERNEL_CASES = {"frame_alloc_free", "kmalloc64_kfree", "page_zero"}


def test_bench_reports_every_case_as_json_table_and_plot(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = subprocess.run(
        [*ringlet_command(), "bench", "--plot", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    results = json.loads(out.read_text())
    cases = {c["case"]: c for c in results["cases"]}
    assert set(cases) == USER_CASES | KERNEL_CASES | {
        "stack_growth_fault_without_zeroing",
        "boot_to_prompt",
    }
    # From the kernel's first instructions to the shell's first wait for the terminal: the
    # whole boot report, init and the shell's start, but not GRUB (kernel/bootstat.c).
    assert 500_000 < cases["boot_to_prompt"]["instructions_per_op"] < 50_000_000
    assert all(c["instructions_per_op"] > 0 and c["iterations"] > 0 for c in cases.values())
    assert cases["getpid"]["events_per_op"]["kernel_entries"] == 1.0
    assert cases["stack_growth_fault"]["events_per_op"]["page_faults"] == 1.0
    for ipc in ("ipc_call_reply_round_trip", "ipc_call_reply_round_trip_slow_path"):
        # Two address spaces: one system call and one CR3 load each way.
        assert cases[ipc]["events_per_op"] == {
            "kernel_entries": 2.0,
            "cr3_loads": 2.0,
            "page_faults": 0.0,
        }
    fast = cases["ipc_call_reply_round_trip"]["instructions_per_op"]
    assert fast < cases["ipc_call_reply_round_trip_slow_path"]["instructions_per_op"]
    assert "ipc_call_reply_round_trip: published" in result.stdout
    assert results["ringlet_commit"] and results["anchors"]["getpid"]["linux_6.1"] == 336
    for name in cases:
        assert name in result.stdout  # the table
    assert out.with_suffix(".png").read_bytes().startswith(b"\x89PNG")

    earlier = tmp_path / "earlier.json"
    shutil.copy(out, earlier)
    compared = subprocess.run(
        [
            *ringlet_command(),
            "bench",
            "--out",
            str(tmp_path / "again.json"),
            "--compare",
            str(earlier),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert compared.returncode == 0, compared.stderr
    # Instruction counts are deterministic: the same build gives the same figures.
    assert "+0.0%" in compared.stdout and "getpid" in compared.stdout


def test_parsers_read_the_bench_lines() -> None:
    user = parse_user(
        "bench case=getpid iterations=10 instructions=44.06 kernel_entries=1.00 "
        "cr3_loads=0.00 page_faults=0.00\nnoise\n"
    )
    assert [(c.case, c.iterations, c.instructions_per_op) for c in user] == [("getpid", 10, 44.06)]
    assert user[0].events_per_op == {"kernel_entries": 1.0, "cr3_loads": 0.0, "page_faults": 0.0}
    kernel = parse_kernel("kbench: page_zero: 10000 iterations, 1037 instructions/op\n")
    assert [(c.case, c.source, c.instructions_per_op) for c in kernel] == [
        ("page_zero", "kernel", 1037.0)
    ]
