"""`./ringlet bench --linux`: the same static musl program (user/libc/abibench.c) measured on
Ringlet and on Debian 12's i386 Linux, in the same QEMU with the same flags.

Ringlet boots it as a module with init=none; Linux (linux-image-686, fetched with Debian's own
client by ringlet.debian) boots it as /init of a cpio initramfs, straight from QEMU's -kernel.
Both run under -icount shift=0,sleep=off on the same machine, CPU and memory, so the rdtsc
deltas the program prints are guest instructions on both. docs/performance.md.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ringlet import cc
from ringlet.debian import DEBIAN, fetch_package
from ringlet.errors import RingletError, SetupError
from ringlet.image import Module
from ringlet.paths import ROOT
from ringlet.qemu import Machine, QemuConfig
from ringlet.ramdisk import pack_cpio

PACKAGE = "linux-image-686"  # Debian's metapackage: depends on the current 6.1 kernel
SOURCE = ROOT / "user" / "libc" / "abibench.c"
LINUX_CMDLINE = "console=ttyS0 quiet"

CASE_LINE = re.compile(r"^abibench case=(\w+) iterations=(\d+) instructions=([\d.]+)$", re.M)
UNAME_LINE = re.compile(r"^abibench uname=(\S+) (\S+)$", re.M)
MEMORY_LINE = re.compile(r"^abibench memory_per_process bytes=(-?\d+) processes=(\d+)$", re.M)
PART_LINE = re.compile(r"^abibench memory_part name=(\w+) bytes=(-?\d+)$", re.M)
DONE = "abibench: done"
CONSOLE = {"/dev/console": (5, 1)}  # init's stdin, stdout and stderr (Linux opens it)


@dataclass
class Run:
    """What one kernel printed: its uname, instructions per operation by case, the kernel
    memory per idle process in bytes, and the part of it in each of the /proc/meminfo
    accounts (Slab, KernelStack, PageTables) that kernel keeps."""

    system: str
    cases: dict[str, float]
    memory_per_process: int | None
    memory_parts: dict[str, int]


def parse(output: str) -> Run:
    """The abibench lines of a serial log; RingletError when the program did not finish."""
    uname = UNAME_LINE.search(output)
    if uname is None or DONE not in output:
        raise RingletError("abibench did not run to its end")
    memory = MEMORY_LINE.search(output)
    return Run(
        f"{uname.group(1)} {uname.group(2)}",
        {name: float(instr) for name, _, instr in CASE_LINE.findall(output)},
        int(memory.group(1)) if memory else None,
        {name: int(value) for name, value in PART_LINE.findall(output)},
    )


def build(out: Path) -> Path:
    """Compiles abibench against musl (`ringlet cc`), static i386."""
    out.parent.mkdir(parents=True, exist_ok=True)
    argv = cc.cc_argv(["-O2", str(SOURCE), "-o", str(out)])
    if subprocess.call(argv, env=cc.cc_env()) != 0:
        raise RingletError(f"cannot compile {SOURCE.relative_to(ROOT)}")
    return out


def linux_kernel(debian: Path = DEBIAN) -> Path:
    """Debian's i386 Linux kernel image (vmlinuz): the metapackage names the kernel package,
    which is fetched and unpacked once. SetupError when apt cannot have them."""
    fetch_package(PACKAGE, debian)
    debs = sorted((debian / PACKAGE).glob(f"{PACKAGE}_*.deb"))
    depends = subprocess.run(
        ["dpkg-deb", "-f", str(debs[-1]), "Depends"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"linux-image-[\w.+-]+", depends)
    if match is None:
        raise SetupError(f"{PACKAGE} names no kernel package ({depends.strip()})")
    images = sorted((fetch_package(match.group(0), debian) / "boot").glob("vmlinuz-*"))
    if not images:
        raise SetupError(f"{match.group(0)} has no boot/vmlinuz")
    return images[-1]


def run_on_linux(binary: Path, out_dir: Path, extra_args: list[str]) -> str:
    """Boots Linux with binary as /init of a cpio initramfs; returns the serial output."""
    initramfs = out_dir / "initramfs.cpio"
    out_dir.mkdir(parents=True, exist_ok=True)
    initramfs.write_bytes(pack_cpio({"/init": binary.read_bytes()}, CONSOLE))
    config = QemuConfig(
        iso=initramfs,  # unused: Linux boots from -kernel
        linux=(linux_kernel(), initramfs, LINUX_CMDLINE),
        extra_args=extra_args,
    )
    log = out_dir / "linux.log"
    with Machine(config, log, deadline=600) as machine:
        machine.wait_exit()
        output = machine.output()
    if machine.returncode != 0 or DONE not in output:  # Linux powers off: QEMU exits 0
        raise RingletError(f"Linux did not run abibench to its end; see {log}")
    return output


def module(binary: Path) -> Module:
    """abibench as a Ringlet boot module (/mod/abibench), for init=none."""
    return Module(binary, "abibench")


SCALE = re.compile(r"^(fork_exit_wait|fork_execve_wait)_pages_(\d+)$")


def side_by_side(ringlet: Run, linux: Run | None) -> dict:
    """The JSON of a comparison: per case both counts and Linux's over Ringlet's, the scale
    curves (cost against pages the parent touched) and the memory per process."""
    cases = []
    for name, mine in ringlet.cases.items():
        theirs = linux.cases.get(name) if linux else None
        ratio = round(theirs / mine, 2) if theirs and mine > 0 else None
        cases.append({"case": name, "ringlet": mine, "linux": theirs, "linux_over_ringlet": ratio})
    scale: dict[str, dict[str, dict[str, float]]] = {}
    for run, system in ((ringlet, "ringlet"), (linux, "linux")):
        for name, value in (run.cases if run else {}).items():
            match = SCALE.match(name)
            if match:
                curve = scale.setdefault(match.group(1), {}).setdefault(system, {})
                curve[match.group(2)] = value
    return {
        "systems": {"ringlet": ringlet.system, "linux": linux.system if linux else None},
        "cases": cases,
        "scale": scale,
        "memory_per_process_bytes": {
            "ringlet": ringlet.memory_per_process,
            "linux": linux.memory_per_process if linux else None,
        },
        "memory_parts_bytes": {
            "ringlet": ringlet.memory_parts,
            "linux": linux.memory_parts if linux else {},
        },
    }


def format_table(results: dict) -> str:
    """The side-by-side table the tool prints (and docs/performance.md shows)."""
    systems = results["systems"]
    lines = [
        "abibench, one static musl binary: instructions per operation (-icount shift=0,sleep=off)",
        f"{systems['ringlet']} against {systems['linux'] or 'no Linux'}",
        f"{'case':28} {'Ringlet':>12} {'Linux':>12} {'Linux/Ringlet':>14}",
    ]
    for c in results["cases"]:
        linux = f"{c['linux']:,.0f}" if c["linux"] is not None else "-"
        ratio = f"{c['linux_over_ringlet']:.2f}" if c["linux_over_ringlet"] else "-"
        lines.append(f"{c['case']:28} {c['ringlet']:>12,.0f} {linux:>12} {ratio:>14}")
    memory = results["memory_per_process_bytes"]
    shown = {k: f"{v:,} bytes" if v is not None else "-" for k, v in memory.items()}
    lines.append(
        f"kernel memory per idle process: Ringlet {shown['ringlet']}, Linux {shown['linux']}"
    )
    for system, parts in results["memory_parts_bytes"].items():
        if parts:
            shown_parts = ", ".join(f"{name} {value:,}" for name, value in parts.items())
            lines.append(f"  of which, in /proc/meminfo's accounts on {system}: {shown_parts}")
    if results.get("linux_skipped"):
        lines.append(f"Linux column skipped: {results['linux_skipped']}")
    return "\n".join(lines)


def plot(results: dict, out: Path) -> Path:
    """Two panels: both kernels per case (log scale), and the scale curves."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (bars, curves) = plt.subplots(1, 2, figsize=(13, 5))
    cases = [c for c in results["cases"] if not SCALE.match(c["case"])]
    rows = range(len(cases))
    bars.barh([y - 0.2 for y in rows], [c["ringlet"] for c in cases], 0.4, label="Ringlet")
    linux = [c["linux"] or 0 for c in cases]
    bars.barh([y + 0.2 for y in rows], linux, 0.4, label="Linux", color="#d08c3a")
    bars.set_yticks(list(rows), [c["case"] for c in cases])
    bars.set_xscale("log")
    bars.invert_yaxis()
    bars.set_xlabel("guest instructions per operation (log scale)")
    bars.legend()
    for case, systems in results["scale"].items():
        for system, curve in systems.items():
            pages = sorted(curve, key=int)
            style = "-o" if system == "ringlet" else "--s"
            curves.plot(
                [int(p) for p in pages],
                [curve[p] for p in pages],
                style,
                label=f"{case} ({system})",
            )
    curves.set_xscale("log")
    curves.set_xlabel("pages the parent has touched")
    curves.set_ylabel("instructions per operation")
    curves.legend(fontsize="small")
    figure.suptitle("One static musl binary on Ringlet and on Linux (-icount)")
    figure.tight_layout()
    figure.savefig(out, dpi=100)
    plt.close(figure)
    return out


def main(plot_it: bool, out: Path) -> int:
    """./ringlet bench --linux: builds, boots both kernels, writes out (JSON), prints the table.
    Linux's column is left empty, with the reason, when its package cannot be had."""
    import time

    from ringlet import bench

    bench.build_tree()
    binary = build(bench.BENCH_BUILD / "abibench" / "abibench")
    ringlet = parse(bench.boot_and_collect("abibench", [module(binary)], "init=none"))
    linux, skipped = None, None
    try:
        linux = parse(run_on_linux(binary, bench.BENCH_BUILD / "runs" / "linux", bench.ICOUNT))
    except SetupError as e:
        skipped = str(e)
    results = {
        "ringlet_commit": bench.commit(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "method": "abibench: one static musl binary, rdtsc under qemu -icount shift=0,sleep=off",
        **side_by_side(ringlet, linux),
        "linux_skipped": skipped,
    }
    bench.report(
        results, out, format_table(results), (lambda png: plot(results, png)) if plot_it else None
    )
    return 0
