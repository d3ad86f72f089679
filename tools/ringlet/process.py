"""Running external commands: each is shown before it runs, nothing happens behind your back."""

from __future__ import annotations

import ctypes
import os
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from ringlet.errors import RingletError


def show(argv: Sequence[str | Path]) -> None:
    print("+ " + shlex.join(str(a) for a in argv), file=sys.stderr, flush=True)


def run(
    argv: Sequence[str | Path], *, quiet: bool = False, **kwargs: object
) -> subprocess.CompletedProcess:
    """Runs argv and raises RingletError (naming the command) when it fails.

    With quiet=True the command's output is captured and shown only if it fails.
    """
    show(argv)
    if quiet:
        kwargs.setdefault("stdout", subprocess.PIPE)
        kwargs.setdefault("stderr", subprocess.STDOUT)
        kwargs.setdefault("text", True)
    try:
        result = subprocess.run([str(a) for a in argv], **kwargs)
    except FileNotFoundError as e:
        raise RingletError(f"cannot run {argv[0]}: {e.strerror}") from None
    if result.returncode != 0:
        if quiet and result.stdout:
            sys.stderr.write(result.stdout)
        raise RingletError(f"{Path(str(argv[0])).name} failed with status {result.returncode}")
    return result


# ---- children that cannot outlive ringlet ----

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Loaded here, before any fork: a child between fork and exec must not have to load a library.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None


def dies_with_this_process() -> Callable[[], None] | None:
    """A preexec_fn for subprocess.Popen: the child is killed (SIGKILL) when this process dies.

    This holds on every path, SIGKILL of this process included, because the kernel sends the
    signal (Linux's parent-death signal, set in the child before it execs). Linux sends it when
    the *thread* that forked the child ends, so call Popen from the thread that outlives the
    child: the main thread, as ringlet and pytest do. Returns None off Linux.
    """
    if _LIBC is None:
        return None
    libc, parent = _LIBC, os.getpid()

    def set_parent_death_signal() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl: nobody will send it
            os._exit(1)

    return set_parent_death_signal


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: raised in the main thread so that every `with` block unwinds
    (a Machine stops its QEMU) before ringlet exits with status 128 + the signal's number.

    A BaseException, like KeyboardInterrupt, so that `except Exception` cannot swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def status(self) -> int:
        return 128 + self.signum


TERMINATION_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def raise_on_termination_signals() -> None:
    """Makes SIGTERM and SIGHUP raise Terminated in the main thread (call it from there).

    A signal this process was started with ignored (nohup) stays ignored.
    """
    for sig in TERMINATION_SIGNALS:
        if signal.getsignal(sig) != signal.SIG_IGN:
            signal.signal(sig, _raise_terminated)
