"""Running external commands: each is shown before it runs, nothing happens behind your back."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

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
