"""`ringlet soak --minutes M`: boots to the shell, starts the churn program (user/tests/churn.c)
in the background for M minutes and keeps typing utility commands while it runs; churn samples
free memory, the kernel heap and the process count once a second. Writes the samples as JSON
and a PNG plot under build/soak/. Passes when nothing panicked, the shell answered every
command and churn kept reporting (no hang), the machine powered off normally, and at every quiet
point (churn's children all reaped, its memory released, no command running) free memory, the
heap and the process count were back at the first quiet point's values."""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import asdict, dataclass, field

from ringlet.paths import BUILD, KERNEL_ELF, MOTD, USER_BUILD

SOAK_OUT = BUILD / "soak"
# Not anchored: a sample may follow the shell's prompt on its line (churn writes each in one
# call, and the console never splits one call's bytes).
SAMPLE_RE = re.compile(r"soak: (\d+) (-?\d+) (-?\d+) (-?\d+) (busy|quiet)")
PROMPT_RE = re.compile(r"^\$ ", re.M)
COMMANDS = (
    "ls /bin",
    "cat /etc/motd | wc",
    "ps",
    "echo soaking",
    "uptime",
    "free",
    "head -n 2 /etc/motd",
)
SILENCE_LIMIT = 30.0  # seconds without a sample from churn: a hang


@dataclass
class Sample:
    second: int
    free_kb: int
    heap_kb: int
    procs: int
    phase: str


@dataclass
class SoakResult:
    minutes: float
    samples: list[Sample] = field(default_factory=list)
    commands: int = 0
    problems: list[str] = field(default_factory=list)


def samples_of(output: str) -> list[Sample]:
    return [
        Sample(int(m[1]), int(m[2]), int(m[3]), int(m[4]), m[5]) for m in SAMPLE_RE.finditer(output)
    ]


def judge_quiet_points(samples: list[Sample]) -> list[str]:
    """Every quiet sample must equal the first one (the baseline) in free memory, heap and
    processes. Returns the differences, one line each."""
    quiet = [s for s in samples if s.phase == "quiet"]
    if not quiet:
        return ["no quiet point was sampled"]
    base = quiet[0]
    problems = []
    for s in quiet[1:]:
        for what in ("free_kb", "heap_kb", "procs"):
            if getattr(s, what) != getattr(base, what):
                problems.append(
                    f"quiet point at {s.second} s: {what} {getattr(s, what)}, "
                    f"baseline {getattr(base, what)} (at {base.second} s)"
                )
    return problems


def plot(samples: list[Sample], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = [s.second for s in samples]
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=(10, 7))
    for ax, what, label in zip(
        axes,
        ("free_kb", "heap_kb", "procs"),
        ("free memory (KiB)", "kernel heap (KiB)", "processes"),
        strict=True,
    ):
        ax.plot(t, [getattr(s, what) for s in samples], linewidth=0.8)
        quiet = [s for s in samples if s.phase == "quiet"]
        ax.scatter(
            [s.second for s in quiet],
            [getattr(s, what) for s in quiet],
            s=10,
            color="tab:red",
            label="quiet points",
            zorder=3,
        )
        ax.set_ylabel(label)
    axes[0].legend(loc="lower right")
    axes[-1].set_xlabel("seconds")
    fig.suptitle("ringlet soak: churn, shell and utilities")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def run(minutes: float) -> SoakResult:
    """Boots once and soaks for `minutes`; the serial log is build/soak/serial.log."""
    from ringlet.image import Module, make_iso
    from ringlet.qemu import Machine, MachineError, QemuConfig
    from ringlet.ramdisk import default_initrd

    result = SoakResult(minutes)
    seconds = max(1, round(minutes * 60))
    initrd = default_initrd(USER_BUILD, MOTD, SOAK_OUT / "initrd.tar")
    iso = make_iso(KERNEL_ELF, [Module(initrd, "initrd")], "", SOAK_OUT)
    log = SOAK_OUT / "serial.log"
    with Machine(QemuConfig(iso=iso), log, deadline=seconds + 300) as machine:
        try:
            machine.wait_for(PROMPT_RE.pattern, 60)
            machine.send(f"churn {seconds} &\n")
            quiet_mark = 0
            last_sample_at, samples_seen = time.monotonic(), 0
            while "churn: done" not in machine.output():
                out = machine.output()
                seen = len(SAMPLE_RE.findall(out))
                if seen != samples_seen:
                    last_sample_at, samples_seen = time.monotonic(), seen
                elif time.monotonic() - last_sample_at > SILENCE_LIMIT:
                    result.problems.append(f"churn said nothing for {SILENCE_LIMIT:.0f} s")
                    break
                # No command during a quiet phase: its samples must see churn alone.
                quiet_mark = max(out.rfind("churn: quiet"), quiet_mark)
                if out.rfind("churn: busy") < quiet_mark:
                    time.sleep(0.2)
                    continue
                command = COMMANDS[result.commands % len(COMMANDS)]
                start = len(out)
                machine.send(command + "\n")
                machine.wait_for(PROMPT_RE.pattern, 60, start=start + 1)
                result.commands += 1
                time.sleep(1.0)
            start = len(machine.output())
            machine.send("\n")  # a background job's end prints no prompt: ask for one
            machine.wait_for(PROMPT_RE.pattern, 60, start=start)
            machine.send("poweroff\n")
            status = machine.wait_exit(60)
            if status != 0:
                result.problems.append(f"poweroff ended the machine with status {status}")
        except MachineError as e:
            result.problems.append(f"no answer in time (a hang?): {str(e).splitlines()[0]}")
        output = machine.output()
    panic = re.search(r"^panic:.*$", output, re.M)
    if panic:
        result.problems.insert(0, f"kernel panic: {panic.group(0)}")
    result.samples = samples_of(output)
    result.problems += judge_quiet_points(result.samples)
    return result


def main(minutes: float) -> int:
    """`ringlet soak`: runs, writes build/soak/samples.json and soak.png, prints the verdict."""
    print(f"soak: {minutes:g} minutes of churn, shell and utilities", flush=True)
    result = run(minutes)
    SOAK_OUT.mkdir(parents=True, exist_ok=True)
    (SOAK_OUT / "samples.json").write_text(
        json.dumps({**asdict(result), "samples": [asdict(s) for s in result.samples]}, indent=1)
    )
    if result.samples:
        plot(result.samples, str(SOAK_OUT / "soak.png"))
    quiet = sum(s.phase == "quiet" for s in result.samples)
    print(
        f"soak: {len(result.samples)} samples ({quiet} at quiet points), {result.commands} shell "
        f"commands; plot {SOAK_OUT / 'soak.png'}, log {SOAK_OUT / 'serial.log'}"
    )
    if result.problems:
        for problem in result.problems:
            print(f"soak: FAIL: {problem}", file=sys.stderr)
        return 1
    print("soak: ok: no panic, no hang, memory back at the baseline at every quiet point")
    return 0
