"""`./ringlet bench --smp`: what more CPUs buy (docs/smp.md).

The one wall-clock measure of the bench: under -icount every CPU's instructions count on one
virtual clock, so a speed-up cannot show there. Each case boots the DEBUG=0 kernel with 1, 2 and
4 CPUs and runs user/tests/parbench.c as the only process: WORKERS workers share a fixed amount
of work (CPU-bound loops that never enter the kernel, or fork + exit + wait, which is all kernel
work), ROUNDS times. The figure is the median round and the spread (fastest, slowest) of the
guest's own clock; the speed-up is the 1-CPU median over the N-CPU median. The host's cores
bound it: QEMU runs each virtual CPU on a host thread.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ringlet.bench import BENCH_BUILD, boot_and_collect, build_tree, commit, report
from ringlet.errors import RingletError
from ringlet.image import Module

CPUS = (1, 2, 4)
WORKERS = 4
ROUNDS = 5
UNITS = {"cpu": 48, "fork": 48}  # the work of one round, the same for every CPU count

ROUND_LINE = re.compile(r"^parbench mode=(\w+) workers=\d+ units=\d+ round=\d+ ms=(\d+)$", re.M)


@dataclass
class Point:
    mode: str
    cpus: int
    rounds_ms: list[int]
    median_ms: float
    fastest_ms: int
    slowest_ms: int
    speedup: float = 1.0  # the 1-CPU median over this one


def measure(mode: str, cpus: int) -> Point:
    program = BENCH_BUILD / "user" / "parbench.elf"
    args = f"parbench {mode} {WORKERS} {UNITS[mode]} {ROUNDS}"
    out = boot_and_collect(
        f"smp_{mode}_{cpus}", [Module(program, args)], "init=none", cpus=cpus, icount=False
    )
    rounds = [int(ms) for m, ms in ROUND_LINE.findall(out) if m == mode]
    if len(rounds) != ROUNDS:
        raise RingletError(f"parbench {mode} on {cpus} CPUs printed {len(rounds)} rounds")
    return Point(mode, cpus, rounds, statistics.median(rounds), min(rounds), max(rounds))


def run() -> list[Point]:
    build_tree()
    points = []
    for mode in UNITS:
        series = [measure(mode, cpus) for cpus in CPUS]
        for p in series:
            p.speedup = series[0].median_ms / p.median_ms if p.median_ms else 0.0
        points += series
    return points


def format_table(points: list[Point]) -> str:
    lines = [
        f"{'case':8} {'CPUs':>4} {'median ms':>10} {'fastest':>8} {'slowest':>8} {'speed-up':>9}"
    ]
    for p in points:
        lines.append(
            f"{p.mode:8} {p.cpus:>4} {p.median_ms:>10.0f} {p.fastest_ms:>8} {p.slowest_ms:>8} "
            f"{p.speedup:>8.2f}x"
        )
    return "\n".join(lines)


def plot(points: list[Point], out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 4))
    for mode in UNITS:
        series = [p for p in points if p.mode == mode]
        axes.plot([p.cpus for p in series], [p.speedup for p in series], marker="o", label=mode)
    axes.plot(CPUS, CPUS, linestyle=":", color="grey", label="linear")
    axes.set_xlabel("CPUs")
    axes.set_ylabel("speed-up over 1 CPU (wall clock)")
    axes.set_xticks(CPUS)
    axes.legend()
    figure.tight_layout()
    figure.savefig(out, dpi=100)
    plt.close(figure)
    return out


def main(plot_it: bool, out: Path) -> int:
    points = run()
    results = {
        "ringlet_commit": commit(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "method": f"wall-clock ms per round (guest clock), median of {ROUNDS}, no -icount; "
        f"{WORKERS} workers",
        "points": [asdict(p) for p in points],
    }
    report(results, out, format_table(points), (lambda png: plot(points, png)) if plot_it else None)
    return 0
