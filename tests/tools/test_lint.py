"""The checks a reviewer would run by hand: ruff's lint and its formatter over all Python."""

from __future__ import annotations

import subprocess
import sys

from ringlet.paths import ROOT

PYTHON = ["ringlet", "tools", "tests"]  # every Python file in the repository lives here


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *PYTHON],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ruff_check_finds_nothing() -> None:
    result = ruff("check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_would_change_nothing() -> None:
    result = ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, "run: .venv/bin/ruff format\n" + result.stdout + result.stderr
