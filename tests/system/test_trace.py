"""./ringlet trace: the kernel's ring buffer of switches, system calls and interrupts, written
as Chrome trace-event JSON, for a known run: ping and pong yielding to each other."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from harness import ringlet_command, user_elf
from ringlet.trace import CALLS_TID, TraceError, parse


def test_ping_pong_timeline(tmp_path: Path) -> None:
    out = tmp_path / "trace.json"
    modules = [f"{user_elf('ping')}=ping", f"{user_elf('pong')}=pong"]
    argv = [*ringlet_command(), "trace", "--no-initrd", "--cmdline", "init=none"]
    for module in modules:
        argv += ["--module", module]
    result = subprocess.run(
        [*argv, "--timeout", "120", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"events written to {out}" in result.stderr
    events = json.loads(out.read_text())["traceEvents"]
    names = {e["pid"]: e["args"]["name"] for e in events if e["name"] == "process_name"}
    assert names == {0: "scheduler", 1: "ping (pid 1)", 2: "pong (pid 2)"}
    # Who ran, in order: ping and pong take turns (each yields after every line), with the
    # scheduler in between; each runs five times plus once more to exit.
    running = [e for e in events if e["ph"] == "X" and e["tid"] in (1, 2)]
    order = [e["pid"] for e in running]
    assert order[:10] == [1, 2] * 5, order
    assert order.count(1) >= 6 and order.count(2) >= 6
    # Their system calls, on the second track: five writes and five yields each, then exit.
    for pid, word in ((1, "ping"), (2, "pong")):
        calls = [e for e in events if e["ph"] == "X" and e["tid"] == CALLS_TID + pid]
        writes = [c for c in calls if c["name"] == "write"]
        assert len(writes) == 5 and all(c["args"]["result"] == len(f"{word} 0\n") for c in writes)
        assert [c["name"] for c in calls].count("sched_yield") == 5
        assert calls[-1]["name"] in ("exit", "exit_group")
    # The timer interrupts someone; every slice has a time and a length, in order.
    assert any(e["name"] == "irq 0 (timer)" and e["ph"] == "i" for e in events)
    slices = [e for e in events if e["ph"] == "X"]
    assert all(e["dur"] >= 0 for e in slices)
    assert [e["ts"] for e in slices] == sorted(e["ts"] for e in slices)


def test_a_log_without_a_trace_or_with_a_cut_one_is_a_clear_error() -> None:
    with pytest.raises(TraceError, match="no trace in the log"):
        parse("Ringlet booting\nringlet: power off\n")
    cut = "trace: begin 2 events (0 overwritten), 1000 cycles per 10000000 ns tick\nT 10 1 1 0\n"
    with pytest.raises(TraceError, match="cut short"):
        parse(cut)
    with pytest.raises(TraceError, match="announced 2 events and holds 1"):
        parse(cut + "trace: end\n")
