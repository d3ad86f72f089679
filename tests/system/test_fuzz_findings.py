"""Regression tests for what the fuzzers found (docs/reliability.md): each boots the smallest
program that shows the bug, next to nothing else, and asserts the right outcome and that no
panic appeared and nothing leaked."""

from __future__ import annotations

import pytest

from harness import run_without_leaks, user_elf
from ringlet.image import Module

pytestmark = pytest.mark.boots


def test_proc_status_with_an_odd_umask_reads_well() -> None:
    """syscall_fuzz seed 2: reading /proc/PID/status panicked the kernel (a %04o the kernel's
    formatter did not know shifted the arguments; the umask became a string pointer)."""
    out = run_without_leaks("proc_status", [Module(user_elf("proc_status"), "proc_status")])
    assert "proc_status: Umask:\t0075\n" in out
    assert "proc_status: State:\tR (running)\n" in out
