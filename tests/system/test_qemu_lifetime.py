"""QEMU never outlives ./ringlet run (issue 9, item 3): however ringlet ends, its QEMU ends too.

Each test starts `./ringlet run` in its own session, waits until the guest has printed its first
line (the boot is under way), ends ringlet one way (a signal sent to the ringlet process only,
a Python exception, a normal power-off) and then looks for the run's QEMU in /proc. The QEMU is
told apart from every other by a unique `-name` on its command line; the tests only ever kill
processes they started themselves (and only when something is already wrong).
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harness import ringlet_command
from ringlet.paths import ROOT

BOOTING = r"Ringlet \S+ booting"
GONE_WITHIN = 15.0  # seconds for ringlet to exit and its QEMU to vanish after the event


def qemu_pids(name: str) -> list[int]:
    """Pids of the running QEMU processes whose command line holds `-name NAME`."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile
        if Path(argv[0].decode(errors="replace")).name.startswith("qemu-system") and any(
            a == b"-name" and b == name.encode() for a, b in zip(argv, argv[1:], strict=False)
        ):
            pids.append(int(entry.name))
    return pids


def wait_until_gone(name: str, within: float = GONE_WITHIN) -> list[int]:
    """Waits up to `within` seconds for every QEMU named NAME to end; returns those still left."""
    limit = time.monotonic() + within
    while (left := qemu_pids(name)) and time.monotonic() < limit:
        time.sleep(0.1)
    return left


def as_at_a_terminal() -> None:
    """Gives the signals under test their default action, as in a terminal session, even when
    whoever started the tests ignored them (nohup ignores SIGHUP; a non-interactive shell's
    background jobs ignore SIGINT). ringlet rightly keeps a signal it was started with ignored."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def under_nohup() -> None:
    as_at_a_terminal()
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


class RingletRun:
    """A `./ringlet run` (or another command running ringlet's CLI) in its own session."""

    def __init__(self, argv: list[str], name: str, log: Path, ignore_hangup: bool = False) -> None:
        self.name = name
        self.stderr_path = log
        self.output = b""
        self._stderr = open(log, "wb")
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            start_new_session=True,  # a signal for ringlet reaches ringlet only
            preexec_fn=under_nohup if ignore_hangup else as_at_a_terminal,
        )

    def wait_for(self, pattern: str, timeout: float = 120) -> None:
        """Reads ringlet's standard output until it matches the regex pattern."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        limit = time.monotonic() + timeout
        while not re.search(pattern, self.output.decode(errors="replace")):
            left = limit - time.monotonic()
            if left <= 0:
                pytest.fail(f"no /{pattern}/ from ringlet in {timeout} s:\n{self.text()}")
            if select.select([fd], [], [], min(left, 1.0))[0]:
                chunk = os.read(fd, 65536)
                if not chunk:
                    pytest.fail(f"ringlet ended before printing /{pattern}/:\n{self.text()}")
                self.output += chunk

    def type(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def wait(self, timeout: float = GONE_WITHIN) -> int:
        """Waits for ringlet to exit; returns its status (negative: the signal that killed it)."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"ringlet still running {timeout} s later:\n{self.text()}")

    def text(self) -> str:
        stderr = self.stderr_path.read_text(errors="replace")
        out = self.output.decode(errors="replace")
        return f"--- stdout (end) ---\n{out[-2000:]}\n--- stderr ---\n{stderr[-2000:]}"

    def cleanup(self) -> None:
        """Kills what is left of this run (only its own ringlet and its own QEMU)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pid in qemu_pids(self.name):
            os.kill(pid, signal.SIGKILL)
        for f in (self.proc.stdin, self.proc.stdout, self._stderr):
            if f is not None:
                f.close()


@contextmanager
def started(
    tmp_path: Path, *, wrapper: str | None = None, ignore_hangup: bool = False
) -> Iterator[RingletRun]:
    """Starts `./ringlet run` with a QEMU named uniquely; yields once the guest is booting.

    With wrapper, runs that Python source instead of ./ringlet; it receives ringlet's arguments
    in sys.argv[1:] and the tools/ folder on sys.path.
    """
    name = f"ringlet-lifetime-{uuid.uuid4().hex[:12]}"
    args = ["run", "--timeout", "300", "--qemu-arg=-name", f"--qemu-arg={name}"]
    if wrapper is None:
        argv = [*ringlet_command(), *args]
    else:
        source = f"import sys\nsys.path.insert(0, {str(ROOT / 'tools')!r})\n{wrapper}"
        argv = [sys.executable, "-c", source, *args]
    run = RingletRun(argv, name, tmp_path / "ringlet.stderr", ignore_hangup)
    try:
        run.wait_for(BOOTING)
        assert qemu_pids(name), f"no QEMU named {name} while the guest is booting"
        yield run
    finally:
        run.cleanup()


@pytest.mark.boots
@pytest.mark.parametrize(
    "sig, status",
    [
        (signal.SIGINT, 130),
        (signal.SIGTERM, 128 + signal.SIGTERM),
        (signal.SIGHUP, 128 + signal.SIGHUP),
        (signal.SIGKILL, -signal.SIGKILL),
    ],
    ids=lambda v: v.name if isinstance(v, signal.Signals) else None,
)
def test_qemu_ends_when_ringlet_gets_a_signal(
    tmp_path: Path, sig: signal.Signals, status: int
) -> None:
    with started(tmp_path) as run:
        os.kill(run.proc.pid, sig)
        assert run.wait() == status, run.text()
        assert wait_until_gone(run.name) == [], f"QEMU outlived ringlet after {sig.name}"
        if sig != signal.SIGKILL:
            assert "Traceback" not in run.stderr_path.read_text(), run.text()


@pytest.mark.boots
def test_a_run_started_under_nohup_survives_a_hangup(tmp_path: Path) -> None:
    with started(tmp_path, ignore_hangup=True) as run:
        os.kill(run.proc.pid, signal.SIGHUP)
        with pytest.raises(subprocess.TimeoutExpired):
            run.proc.wait(2)
        assert qemu_pids(run.name), "QEMU must keep running under nohup"
        os.kill(run.proc.pid, signal.SIGTERM)
        assert run.wait() == 128 + signal.SIGTERM, run.text()
        assert wait_until_gone(run.name) == []


@pytest.mark.boots
def test_qemu_ends_after_a_normal_power_off(tmp_path: Path) -> None:
    with started(tmp_path) as run:
        run.wait_for(r"(?m)^\$ ")
        run.type("poweroff\n")
        assert run.wait() == 0, run.text()
        assert qemu_pids(run.name) == []


# ringlet's own CLI, with the wait for the machine replaced by a failure that comes once the
# guest boots and the test has seen the QEMU (it then creates the file named in RINGLET_FAIL_NOW).
PROVOKED_EXCEPTION = """\
import os
import time

from ringlet import cli, qemu

def failing_wait_exit(self, timeout=None):
    while not os.path.exists(os.environ["RINGLET_FAIL_NOW"]):
        time.sleep(0.05)
    raise RuntimeError("provoked by the test")

qemu.Machine.wait_exit = failing_wait_exit
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.boots
def test_qemu_ends_when_ringlet_fails_with_an_exception(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_now = tmp_path / "fail-now"
    monkeypatch.setenv("RINGLET_FAIL_NOW", str(fail_now))
    with started(tmp_path, wrapper=PROVOKED_EXCEPTION) as run:
        fail_now.touch()
        assert run.wait() == 1, run.text()
        assert "RuntimeError: provoked by the test" in run.stderr_path.read_text(), run.text()
        assert wait_until_gone(run.name) == [], "QEMU outlived ringlet after an exception"


# A test's machine (tests/harness.py) in a process that is then killed outright. It is killed
# once the shell waits for input: a guest that still printed could end its QEMU by chance
# (SIGPIPE, writing to a pipe nobody reads any more), hiding whether QEMU is tied to its parent.
HARNESS_MACHINE = """\
sys.path.insert(0, {tests!r})
import harness

name = sys.argv[sys.argv.index("--qemu-arg=-name") + 1].removeprefix("--qemu-arg=")
modules = [harness.default_initrd_module(harness.TEST_OUTPUT / "lifetime-harness")]
with harness.boot(
    "lifetime-harness", modules=modules, qemu_args=["-name", name], deadline=300
) as machine:
    harness.Shell(machine)
    print("Ringlet harness booting (at the shell prompt)", flush=True)
    machine.wait_exit()
"""


@pytest.mark.boots
def test_a_harness_machine_ends_when_its_test_process_is_killed(tmp_path: Path) -> None:
    wrapper = HARNESS_MACHINE.format(tests=str(ROOT / "tests"))
    with started(tmp_path, wrapper=wrapper) as run:
        os.kill(run.proc.pid, signal.SIGKILL)
        assert run.wait() == -signal.SIGKILL
        assert wait_until_gone(run.name) == [], "a harness QEMU outlived its test process"
