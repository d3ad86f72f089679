"""Pid 1 and the shell it keeps alive: no program can take them away, whether by signalling
init or by filling the process table with zombies. Each hostile program runs in its own boot,
next to a well-behaved program that must finish, or under the shell, which must still answer."""

from __future__ import annotations

import re
import time

import pytest

from harness import (
    PANIC,
    TEST_OUTPUT,
    Shell,
    boot,
    default_initrd_module,
    free_frames_at_start_and_end,
    motd_counts,
    summary_results,
    user_elf,
)
from ringlet.image import Module

pytestmark = pytest.mark.boots


def rows(ps_output: str) -> dict[int, str]:
    """pid -> name, from ps."""
    found = re.findall(r"^\s*(\d+)\s+\d+\s+\w+\s+\d+\s+\d+\s+(\S+)$", ps_output, re.M)
    return {int(pid): name for pid, name in found}


def shell_still_works(shell: Shell, sh_pid: int) -> None:
    """The same shell answers, computes, and init is still pid 1."""
    table = rows(shell.run("ps", timeout=30))
    assert table.get(1) == "init"
    assert table.get(sh_pid) == "sh", "the shell must be the same one, not a restarted one"
    assert shell.count_motd(30) == motd_counts()
    shell.machine.assert_absent(r"^init: sh exited")


def test_kill_init_does_nothing_next_to_a_program_that_finishes() -> None:
    # init=none: pid 1 is the first module, sleeptest, which must finish its ten sleeps.
    modules = [
        Module(user_elf("sleeptest"), "sleeptest"),
        Module(user_elf("hostile_kill_init"), "hostile_kill_init"),
    ]
    with boot("init_kill_pid1", modules=modules, cmdline="init=none") as machine:
        status = machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
    for sig in (9, 15, 2):
        assert f"hostile_kill_init: kill(1, {sig}) = 0\n" in out
    assert "hostile_kill_init: pid 1 survived" in out
    assert "sleeptest: ok" in out
    assert summary_results(out) == {"sleeptest": "exit 0", "hostile_kill_init": "exit 0"}
    assert status == 0
    start, end = free_frames_at_start_and_end(out)
    assert start == end


def test_kill_init_from_the_shell_leaves_init_and_the_shell() -> None:
    out = TEST_OUTPUT / "init_kill_from_shell"
    out.mkdir(parents=True, exist_ok=True)
    with boot("init_kill_from_shell", modules=[default_initrd_module(out)]) as machine:
        shell = Shell(machine)
        sh_pid = [pid for pid, name in rows(shell.run("ps")).items() if name == "sh"][0]
        assert "hostile_kill_init: pid 1 survived" in shell.run("hostile_kill_init", timeout=30)
        shell.run("kill 1", timeout=30)
        time.sleep(1)
        shell_still_works(shell, sh_pid)
        shell.power_off(30)
