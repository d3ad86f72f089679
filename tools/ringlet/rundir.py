"""Each `./ringlet run` (or `gdb`) boots from its own directory, so two at once never collide.

build/runs/PID/ holds one run's ISO, initrd and serial log; build/run is a symbolic link to the
newest, so "build/run/serial.log" always means the last run started. A new run removes the
directories of runs whose process is gone (except the one build/run points at).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ringlet.paths import BUILD

RUNS = BUILD / "runs"
LATEST = BUILD / "run"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_finished(keep: Path | None) -> None:
    for d in RUNS.iterdir():
        if not d.name.isdigit() or d == keep or _alive(int(d.name)):
            continue
        shutil.rmtree(d, ignore_errors=True)


def new_run_dir() -> Path:
    """A fresh build/runs/PID/ for this process, with build/run pointing at it."""
    RUNS.mkdir(parents=True, exist_ok=True)
    if LATEST.is_dir() and not LATEST.is_symlink():
        shutil.rmtree(LATEST)  # the layout before runs had their own directories
    keep = LATEST.resolve() if LATEST.is_symlink() else None
    _remove_finished(keep)
    mine = RUNS / str(os.getpid())
    shutil.rmtree(mine, ignore_errors=True)
    mine.mkdir()
    link = BUILD / f".run-link-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(mine.relative_to(BUILD))
    os.replace(link, LATEST)  # atomic: build/run always names a whole run
    return mine
