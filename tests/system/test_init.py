"""Pid 1 and the shell it keeps alive: no program can take them away, whether by signalling
init or by filling the process table with zombies. Each hostile program runs in its own boot,
next to a well-behaved program that must finish, or under the shell, which must still answer."""

from __future__ import annotations

import re
import time

import pytest

from harness import (
    TEST_OUTPUT,
    Shell,
    boot,
    default_initrd_module,
    motd_counts,
    run_without_leaks,
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
    out = run_without_leaks("init_kill_pid1", modules)
    for sig in (9, 15, 2):
        assert f"hostile_kill_init: kill(1, {sig}) = 0\n" in out
    assert "hostile_kill_init: pid 1 survived" in out
    assert "sleeptest: ok" in out
    assert summary_results(out) == {"sleeptest": "exit 0", "hostile_kill_init": "exit 0"}


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


def test_zombies_leave_pid_1_a_slot_next_to_a_program_that_finishes() -> None:
    # init=none: pid 1 is sleeptest, which must finish; hostile_zombies (pid 2) fills the table
    # with zombies it never reaps. 64 slots, pid 1 and pid 2, one kept for pid 1: 61 children.
    modules = [
        Module(user_elf("sleeptest"), "sleeptest"),
        Module(user_elf("hostile_zombies"), "hostile_zombies 1"),
    ]
    out = run_without_leaks("init_zombies_pid1", modules)
    assert "hostile_zombies: fork failed (EAGAIN) after 61 children\n" in out
    assert "hostile_zombies: held the table for 1 s; 0 more children; exiting" in out
    assert "sleeptest: ok" in out
    assert summary_results(out) == {"sleeptest": "exit 0", "hostile_zombies": "exit 0"}


def test_shell_comes_back_while_zombies_fill_the_table() -> None:
    """The table is full of zombies when the shell exits: init must start a new one at once
    (the slot kept for pid 1), and once the hostile program has ended, init reaps its zombies
    and the new shell can run programs again."""
    out = TEST_OUTPUT / "init_zombies_shell"
    out.mkdir(parents=True, exist_ok=True)
    with boot("init_zombies_shell", modules=[default_initrd_module(out)], deadline=200) as machine:
        shell = Shell(machine)
        shell.run("hostile_zombies 6 &", timeout=30)
        machine.wait_for(r"hostile_zombies: fork failed \(EAGAIN\) after \d+ children$", 30)
        start = len(machine.output())
        machine.send("exit\n")
        machine.wait_for(r"^init: sh exited \(status 0\); starting a new one$", 30, start)
        machine.wait_for(Shell.PROMPT, 30, start)
        # The new shell answers while the table is still full (ps is a builtin: no fork).
        assert "hostile_zombies" in shell.run("ps", timeout=30)
        machine.wait_for(r"hostile_zombies: held the table for 6 s; \d+ more children", 60)
        time.sleep(1)
        table = rows(shell.run("ps", timeout=30))  # a builtin: init and the new shell only
        assert sorted(table.values()) == ["init", "sh"], table
        assert shell.count_motd(30) == motd_counts()
        shell.power_off(30)
