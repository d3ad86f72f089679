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


def test_two_writers_on_a_full_pipe_finish_with_whole_records() -> None:
    """Two writers blocked on a full pipe and a slow reader: the machine used to stop (the
    writers woke each other for ever in the kernel, interrupts off). Both must finish, every
    byte arrive, and no record of at most PIPE_BUF bytes be split by the other writer's."""
    name = "hostile_pipe_writers"
    out = run_without_leaks(name, [Module(user_elf(name), name)], deadline=60)
    assert "hostile_pipe_writers: A 200 B 200 whole\n" in out
    assert "short write" not in out


def test_no_process_sees_tls_entries_another_left_behind() -> None:
    """The TLS descriptors in the GDT (Ringlet's LDT) belong to the running process only:
    not to its parent while it runs, not after it exits, not after an exec."""
    name = "hostile_tls_leftover"
    out = run_without_leaks(name, [Module(user_elf(name), name)])
    assert "hostile_tls_leftover: ok\n" in out
    assert "SHOULD NOT PRINT" not in out
