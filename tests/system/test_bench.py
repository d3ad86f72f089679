"""./ringlet bench runs and reports every case (never their speed: a slow machine is no failure)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from harness import ringlet_command
from ringlet import abibench
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


ABI_CASES = {
    "getpid",
    "sched_yield_round_trip",
    "pipe_round_trip",
    "fork_exit_wait",
    "fork_execve_wait",
    "anonymous_page_fault",
    "stack_growth_fault",
} | {f"{c}_pages_{n}" for c in ("fork_exit_wait", "fork_execve_wait") for n in (1, 16, 256)}


def test_bench_linux_runs_one_binary_on_both_kernels(tmp_path: Path) -> None:
    """./ringlet bench --linux: about 30 s (Linux boots in about 5 s under -icount)."""
    out = tmp_path / "linux.json"
    result = subprocess.run(
        [*ringlet_command(), "bench", "--linux", "--plot", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    results = json.loads(out.read_text())
    assert results["systems"]["ringlet"].startswith("Ringlet ")
    if results["linux_skipped"]:
        pytest.skip(f"Debian's {abibench.PACKAGE} cannot be had here: {results['linux_skipped']}")
    # The Linux column came from Linux: the binary's own uname, as Debian 12's kernel gives it.
    assert results["systems"]["linux"].startswith("Linux 6.1.")
    cases = {c["case"]: c for c in results["cases"]}
    assert set(cases) == ABI_CASES
    for c in cases.values():
        assert c["ringlet"] > 0 and c["linux"] > 0, c
        assert c["linux_over_ringlet"] == round(c["linux"] / c["ringlet"], 2)
        assert c["case"] in result.stdout
    for curve in ("fork_exit_wait", "fork_execve_wait"):
        for system in ("ringlet", "linux"):
            points = results["scale"][curve][system]
            assert set(points) == {"1", "16", "256"}
            assert points["256"] > points["1"]  # copying 255 more pages' mappings costs
    memory = results["memory_per_process_bytes"]
    assert memory["ringlet"] > 4096 and memory["linux"] > 4096  # a kernel stack at least
    # Each kernel's own accounts of it: the same three on both.
    for system in ("linux", "ringlet"):
        parts = results["memory_parts_bytes"][system]
        assert set(parts) == {"Slab", "KernelStack", "PageTables"}, system
        assert parts["KernelStack"] >= 4096 and parts["PageTables"] >= 4096, system
    assert "Linux/Ringlet" in result.stdout and "memory per idle process" in result.stdout
    assert out.with_suffix(".png").read_bytes().startswith(b"\x89PNG")


def test_abibench_parser_reads_its_lines_and_refuses_an_unfinished_run() -> None:
    log = (
        "[    0.9] noise\nabibench uname=Linux 6.1.0-50-686\n"
        "abibench case=getpid iterations=10000 instructions=341.24\n"
        "abibench memory_per_process bytes=17408 processes=16\n"
        "abibench memory_part name=KernelStack bytes=8192\nabibench: done\n"
    )
    run = abibench.parse(log)
    assert (run.system, run.cases, run.memory_per_process, run.memory_parts) == (
        "Linux 6.1.0-50-686",
        {"getpid": 341.24},
        17408,
        {"KernelStack": 8192},
    )
    with pytest.raises(abibench.RingletError):
        abibench.parse(log.replace("abibench: done", ""))
    table = abibench.format_table(abibench.side_by_side(run, None))
    assert "getpid" in table and "no Linux" in table
