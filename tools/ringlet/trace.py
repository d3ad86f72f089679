"""`./ringlet trace`: the kernel's scheduling timeline (trace=1) as Chrome trace-event JSON.

The kernel prints its ring buffer at power-off (kernel/trace.c):

    trace: begin 68 events (0 overwritten), 15990228 cycles per 10000000 ns tick
    trace: name 0 ping
    T 038941b83 1 1 0          cycles (hex), kind, pid, arg (hex)
    trace: end

Kinds: 1 switch to pid (0: the scheduler), 2 system call (arg: number), 3 its end (arg: the
result), 4 interrupt (arg: IRQ line), 5 name (arg: a slot of the name lines). This module turns
that into the JSON Perfetto (ui.perfetto.dev) and chrome://tracing open: one track per process
with "running" slices and interrupts as instants, a second track beside it with its system
calls (from entry to return, blocked time included), and the scheduler's own track for the time
it idles or chooses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ringlet.gen import parse_table
from ringlet.paths import ROOT

SWITCH, SYSCALL, SYSCALL_END, IRQ, NAME = 1, 2, 3, 4, 5
# A process has two tracks: tid = pid for when it runs (and the interrupts that hit it), and
# this plus pid for its system calls, which may span the time it is switched out (a blocking
# read, a yield) and so cannot nest inside one "running" slice.
CALLS_TID = 1_000_000
IRQ_NAMES = {0: "timer", 1: "keyboard", 4: "serial"}
BEGIN_RE = re.compile(
    r"^trace: begin (\d+) events \((\d+) overwritten\), (\d+) cycles per (\d+) ns"
)
NAME_RE = re.compile(r"^trace: name (\d+) (.*)$")
EVENT_RE = re.compile(r"^T ([0-9a-f]+) (\d+) (\d+) ([0-9a-f]+)$")


class TraceError(Exception):
    pass


@dataclass(frozen=True)
class Event:
    cycles: int
    kind: int
    pid: int
    arg: int


@dataclass
class Trace:
    events: list[Event]
    overwritten: int
    ns_per_cycle: float
    names: dict[int, str]  # name slot -> name


def parse(serial: str) -> Trace:
    """The last trace block in a serial log."""
    lines = serial.replace("\r\n", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if BEGIN_RE.match(line)]
    if not starts:
        raise TraceError(
            "no trace in the log: was trace=1 on the command line, and did the "
            "machine power off normally (the kernel prints the trace then)?"
        )
    begin = BEGIN_RE.match(lines[starts[-1]])
    assert begin is not None
    count, overwritten, cycles_per_tick, ns_per_tick = map(int, begin.groups())
    events, names = [], {}
    for line in lines[starts[-1] + 1 :]:
        if line == "trace: end":
            break
        if m := NAME_RE.match(line):
            names[int(m.group(1))] = m.group(2)
        elif m := EVENT_RE.match(line):
            events.append(
                Event(int(m.group(1), 16), int(m.group(2)), int(m.group(3)), int(m.group(4), 16))
            )
    else:
        raise TraceError("the trace is cut short (no 'trace: end' line)")
    if len(events) != count:
        raise TraceError(f"the trace announced {count} events and holds {len(events)}")
    if cycles_per_tick == 0:
        raise TraceError("the trace has no clock rate (the run ended within one tick)")
    return Trace(events, overwritten, ns_per_tick / cycles_per_tick, names)


def syscall_names() -> dict[int, str]:
    table = (ROOT / "abi" / "syscalls.tbl").read_text()
    return {c.number: c.name for c in parse_table(table)}


def chrome_events(trace: Trace) -> list[dict]:
    """The trace-event list: metadata, "X" slices (running, system calls), "i" instants."""
    calls = syscall_names()
    start = trace.events[0].cycles if trace.events else 0

    def us(cycles: int) -> float:
        return round((cycles - start) * trace.ns_per_cycle / 1000, 3)

    out: list[dict] = []
    named: dict[int, str] = {0: "scheduler"}
    running: tuple[int, int] | None = None  # (pid, since)
    open_calls: dict[int, list[tuple[int, int]]] = {}  # pid -> [(number, since)]

    def track(pid: int, tid: int | None = None) -> dict:
        return {"pid": pid, "tid": pid if tid is None else tid}

    def slice_(name: str, pid: int, begin: int, end: int, args: dict | None = None) -> None:
        tid = pid if args is None else CALLS_TID + pid
        duration = round(us(end) - us(begin), 3)
        event = {"name": name, "ph": "X", "ts": us(begin), "dur": duration, **track(pid, tid)}
        if args:
            event["args"] = args
        out.append(event)

    for e in trace.events:
        if e.kind == NAME:
            named[e.pid] = trace.names.get(e.arg, f"pid {e.pid}")
        elif e.kind == SWITCH:
            if running is not None:
                pid, since = running
                slice_("idle or choosing" if pid == 0 else "running", pid, since, e.cycles)
            running = (e.pid, e.cycles)
        elif e.kind == SYSCALL:
            open_calls.setdefault(e.pid, []).append((e.arg, e.cycles))
        elif e.kind == SYSCALL_END and open_calls.get(e.pid):
            number, since = open_calls[e.pid].pop()
            result = e.arg - (1 << 32) if e.arg >= 1 << 31 else e.arg
            slice_(
                calls.get(number, f"syscall {number}"),
                e.pid,
                since,
                e.cycles,
                {"number": number, "result": result},
            )
        elif e.kind == IRQ:
            name = f"irq {e.arg}" + (f" ({IRQ_NAMES[e.arg]})" if e.arg in IRQ_NAMES else "")
            out.append({"name": name, "ph": "i", "s": "t", "ts": us(e.cycles), **track(e.pid)})
    end = trace.events[-1].cycles if trace.events else 0
    if running is not None:
        pid, since = running
        slice_("idle or choosing" if pid == 0 else "running", pid, since, end)
    for pid, stack in open_calls.items():  # calls still open at the end (exit, a last wait)
        for number, since in stack:
            slice_(calls.get(number, f"syscall {number}"), pid, since, end, {"open": number})
    metadata = []
    for pid, name in sorted(named.items()):
        label = name if pid == 0 else f"{name} (pid {pid})"
        metadata.append({"name": "process_name", "ph": "M", "pid": pid, "args": {"name": label}})
        metadata.append({"name": "thread_name", "ph": "M", **track(pid), "args": {"name": label}})
        if pid != 0:
            calls_name = {"name": f"{name}: system calls"}
            metadata.append(
                {
                    "name": "thread_name",
                    "ph": "M",
                    **track(pid, CALLS_TID + pid),
                    "args": calls_name,
                }
            )
    return metadata + sorted(out, key=lambda event: event["ts"])


def write_chrome_json(serial: str, out: Path) -> Trace:
    """Parses the trace in serial and writes it to out as {"traceEvents": [...]}."""
    import json

    trace = parse(serial)
    document = {
        "traceEvents": chrome_events(trace),
        "displayTimeUnit": "ns",
        "otherData": {"source": "Ringlet trace=1", "overwritten": trace.overwritten},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=None, separators=(",", ":")))
    return trace
