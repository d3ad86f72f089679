"""The ./ringlet command's contract: exit statuses and one-line errors, run through pipes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from harness import ringlet_command, user_elf, write_file


def ringlet(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ringlet_command(), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("+ ")]


@pytest.mark.parametrize(
    "args, message",
    [
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["run", "--module", "no/such/file.txt"], "module file not found: no/such/file.txt"),
        (["run", "--memory", "lots"], "--memory: expected a whole number, got 'lots'"),
        (["run", "--memory", "-5"], "--memory: expected a positive number, got -5"),
        (["run", "--timeout", "soon"], "--timeout: expected a number of seconds, got 'soon'"),
        (["run", "--bogus"], "unrecognized arguments: --bogus"),
        (["bench", "--linux", "--compare", "x.json"], "--compare compares Ringlet's own cases"),
    ],
)
def test_usage_errors_are_one_line_with_status_2(args: list[str], message: str) -> None:
    result = ringlet(*args)
    assert result.returncode == 2
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ringlet: ") and message in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.boots
def test_run_shows_a_text_module_and_exits_0(tmp_path: Path) -> None:
    notes = write_file(tmp_path / "notes.txt", "Remember the milk.\n")
    result = ringlet(
        "run", "--no-initrd", "--module", f"{notes}=notes.txt extra words", "--timeout", "60"
    )
    assert result.returncode == 0, result.stderr
    assert "modules: 1\n" in result.stdout and "  0    0x" in result.stdout
    assert "notes.txt extra words\n" in result.stdout
    assert "holds text, 19 bytes:\nRemember the milk.\n" in result.stdout


@pytest.mark.boots
def test_run_reports_a_panic_with_status_1() -> None:
    result = ringlet("run", "--no-initrd", "--cmdline", "crash=panic", "--timeout", "60")
    assert result.returncode == 1
    assert "panic: kmain: crash requested" in result.stdout
    assert "kernel panic (serial log:" in result.stderr


@pytest.mark.boots
def test_run_timeout_gives_status_124() -> None:
    # -S starts QEMU with the CPU stopped, so the machine can never power off by itself.
    result = ringlet("run", "--timeout", "2", "--qemu-arg=-S")
    assert result.returncode == 124
    assert "timed out after 2 s" in result.stderr


@pytest.mark.boots
def test_run_passes_memory_and_command_line_through() -> None:
    result = ringlet("run", "--memory", "64", "--cmdline", "init=none hello", "--timeout", "60")
    assert result.returncode == 0, result.stderr
    assert "command line: init=none hello\n" in result.stdout
    assert "(63 MiB)" in result.stdout


@pytest.mark.boots
def test_run_boots_to_the_shell_and_powers_off_from_a_pipe() -> None:
    result = subprocess.run(
        [*ringlet_command(), "run", "--timeout", "120"],
        input="free\npoweroff\n",
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "init: starting /bin/sh" in result.stdout
    # free's output (the tty's echo of the typed lines may come anywhere in the boot messages:
    # they were typed before anyone read them, so look for what only free prints).
    assert re.search(r"memory: total \d+ KiB", result.stdout)
    assert "ringlet: power off (asked by pid" in result.stdout
    assert "panic" not in result.stdout


@pytest.mark.boots
def test_run_status_counts_only_the_programs_the_kernel_started() -> None:
    """init=none: workers forks children that exit 41 on purpose and reaps them; their statuses
    are its own business, so the run exits 0. A program the kernel started itself that exits
    non-zero (false) makes it exit 3."""
    workers = f"{user_elf('workers')}=workers 3"
    result = ringlet("run", "--no-initrd", "--module", workers, "--cmdline", "init=none")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "workers: 3 workers exited with 41 and were reaped\n" in result.stdout
    assert len(re.findall(r"^  \d+\s+workers\s+exit 41$", result.stdout, re.M)) == 3
    result = ringlet(
        "run",
        "--no-initrd",
        "--module",
        workers,
        "--module",
        f"{user_elf('false')}=false",
        "--cmdline",
        "init=none",
    )
    assert result.returncode == 3, result.stdout[-2000:]
    assert "workers: ok\n" in result.stdout
    assert re.search(r"^  \d+\s+false\s+exit 1$", result.stdout, re.M)


@pytest.mark.boots
def test_two_runs_at_once_from_one_checkout_each_boot_their_own_modules() -> None:
    """Two terminals (or a terminal and a test) running ./ringlet run together: each boots its
    own ISO from build/runs/PID/ and keeps its own serial log; build/run names the newest."""
    from ringlet.paths import BUILD

    def start(count: int) -> subprocess.Popen[str]:
        module = f"{user_elf('workers')}=workers {count}"
        argv = ["run", "--no-initrd", "--module", module, "--cmdline", "init=none"]
        return subprocess.Popen(
            [*ringlet_command(), *argv, "--timeout", "120"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )

    runs = {2: start(2), 4: start(4)}
    outputs = {count: run.communicate(timeout=300) for count, run in runs.items()}
    for count, (stdout, stderr) in outputs.items():
        other = 6 - count
        assert runs[count].returncode == 0, stdout[-2000:] + stderr[-2000:]
        # What workers computed, not its command line (the boot report echoes that).
        assert f"workers: {count} workers exited with 41 and were reaped\n" in stdout
        assert f"workers: {other} workers exited" not in stdout
        own_log = BUILD / "runs" / str(runs[count].pid) / "serial.log"
        assert f"workers: {count} workers exited" in own_log.read_text()
    newest = (BUILD / "run").resolve()
    assert newest in {BUILD / "runs" / str(run.pid) for run in runs.values()}
