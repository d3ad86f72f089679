"""The shell over the serial console: Ringlet as a person uses it. One boot serves the tests
that leave the machine as they found it; the fork bomb and the leak test boot on their own."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from harness import (
    PANIC,
    TEST_OUTPUT,
    Shell,
    boot,
    default_initrd_module,
    motd_counts,
    shell_session,
)

pytestmark = pytest.mark.boots


@pytest.fixture(scope="module")
def shell() -> Iterator[Shell]:
    with shell_session("shell_session", 400) as sh:
        yield sh


def pids_named(ps_output: str, name: str) -> list[int]:
    return [
        int(m) for m in re.findall(rf"^\s*(\d+)\s+\d+\s+\w+\s+\d+\s+\d+\s+{name}$", ps_output, re.M)
    ]


def test_boots_to_init_and_sh(shell: Shell) -> None:
    out = shell.machine.output()
    assert "init: starting /bin/sh" in out
    ps = shell.run("ps")
    assert pids_named(ps, "init") == [1]
    assert len(pids_named(ps, "sh")) == 1


def test_arguments_with_quotes(shell: Shell) -> None:
    assert shell.run("echo \"hello   world\" 'single quoted' plain") == (
        "hello   world single quoted plain\n"
    )
    out = shell.run("args 'two words' three")
    assert "argv[1] = two words\nargv[2] = three\n" in out


def test_unknown_command_lists_builtins(shell: Shell) -> None:
    out = shell.run("frobnicate")
    assert "sh: frobnicate: command not found" in out
    assert "help" in out and "ps" in out and "kill" in out and "exec" in out


def test_nonzero_exit_status_is_shown(shell: Shell) -> None:
    assert shell.run("false") == "sh: false: exit status 1\n"
    assert shell.run("cat /no/such/file") == (
        "cat: /no/such/file: No such file or directory\nsh: cat: exit status 1\n"
    )


def test_background_spin_is_preempted_and_killed(shell: Shell) -> None:
    started = shell.run("spin &")
    pid = int(re.search(r"\[(\d+)\]", started).group(1))
    # Typed as a person types: each pause lets spin's slice run out many times over while the
    # shell waits for input, so the shell's next line finds spin the only runnable process.
    time.sleep(2)
    ps = shell.run("ps", timeout=30)
    assert pid in pids_named(ps, "spin")
    time.sleep(2)
    assert shell.count_motd(30) == motd_counts()
    time.sleep(2)
    shell.run(f"kill {pid}", timeout=30)
    time.sleep(2)
    ps = shell.run("ps", timeout=30)
    assert pid not in pids_named(ps, "spin")


def test_ctrl_c_ends_a_foreground_program(shell: Shell) -> None:
    machine = shell.machine
    start = len(machine.output())
    machine.send("spin\n")
    machine.wait_for(r"spin\n", start=start)
    time.sleep(0.5)
    machine.send("\x03")
    machine.wait_for(r"killed by signal 2", 30, start=start)
    machine.wait_for(Shell.PROMPT, 30, start=start + 6)
    assert shell.run("echo back") == "back\n"


def test_ctrl_c_at_the_prompt_gives_a_new_prompt(shell: Shell) -> None:
    machine = shell.machine
    start = len(machine.output())
    machine.send("half typed")
    machine.wait_for("half typed", 30, start=start)
    machine.send("\x03")
    machine.wait_for(r"\^C\n\$ ", 30, start=start)
    assert shell.run("echo fresh line") == "fresh line\n"


def test_pipeline_counts_motd(shell: Shell) -> None:
    assert shell.count_motd() == motd_counts()


def test_yes_pipeline_ends_when_the_reader_exits(shell: Shell) -> None:
    out = shell.run("yes | head -n 3", timeout=30)
    assert out == "y\ny\ny\n"


def test_fork_test_program(shell: Shell) -> None:
    out = shell.run("fork_test", timeout=60)
    assert "fork_test: all ok" in out, out


def test_pipes_and_files(shell: Shell) -> None:
    assert "pipe_test: ok" in shell.run("pipe_test", timeout=60)
    assert "files_test: ok" in shell.run("files_test", timeout=60)
    listing = shell.run("ls /bin").split()
    assert "sh" in listing and "init" in listing


def test_two_fpu_programs_at_once_get_exact_results(shell: Shell) -> None:
    out = shell.run("fpu & fpu", timeout=120)
    time.sleep(1)
    out += shell.run("echo done", timeout=60)
    results = re.findall(r"fpu: ok ([0-9a-f]+)", shell.machine.output())
    # Both get the bits the same computation gives on Linux (a preempted process whose FPU
    # state was clobbered would not).
    assert results == ["403009a4126d32af", "403009a4126d32af"], out


def test_nanosleep_is_accurate_and_sleepers_block(shell: Shell) -> None:
    assert "sleeptest: ok" in shell.run("sleeptest", timeout=60)
    started = shell.run("sleep 3 &")
    pid = int(re.search(r"\[(\d+)\]", started).group(1))
    time.sleep(0.3)  # let it reach its nanosleep
    ps = shell.run("ps")
    row = re.search(rf"^\s*{pid}\s+\d+\s+(\w+)\s+", ps, re.M)
    assert row and row.group(1) == "blocked", ps


def test_dev_lists_devices(shell: Shell) -> None:
    out = shell.run("dev")
    for name in ("serial0", "vga", "kbd", "pit", "tty", "null"):
        assert re.search(rf"^{name}\b", out, re.M), out


def test_failed_exec_leaves_the_shell_running(shell: Shell) -> None:
    ps_before = pids_named(shell.run("ps"), "sh")
    out = shell.run("exec /etc/motd")  # mode 0644: execve refuses it, the old image stays
    assert out == "sh: exec: /etc/motd: Permission denied\n"
    assert shell.run("echo still the same shell") == "still the same shell\n"
    assert pids_named(shell.run("ps"), "sh") == ps_before


def test_exec_replaces_the_shell_and_init_starts_another(shell: Shell) -> None:
    machine = shell.machine
    start = len(machine.output())
    machine.send("exec hello\n")
    machine.wait_for(r"Hello from ring 3!", 30, start=start)
    machine.wait_for(r"init: sh exited \(status 0\); starting a new one", 30, start=start)
    machine.wait_for(Shell.PROMPT, 30, start=start + 12)
    assert shell.run("echo new shell") == "new shell\n"


def test_ctrl_c_reaches_a_program_the_shell_exec_ed(shell: Shell) -> None:
    machine = shell.machine
    start = len(machine.output())
    machine.send("exec spin\n")
    machine.wait_for(r"exec spin\n", 30, start=start)
    time.sleep(0.5)
    machine.send("\x03")
    machine.wait_for(r"init: sh exited \(signal 2\); starting a new one", 30, start=start)
    machine.wait_for(Shell.PROMPT, 30, start=start + 10)
    assert shell.run("echo after exec spin") == "after exec spin\n"


def test_fork_bomb_meets_the_limit_and_everything_comes_back() -> None:
    out_dir = TEST_OUTPUT / "forkbomb"
    out_dir.mkdir(parents=True, exist_ok=True)
    with boot("forkbomb", modules=[default_initrd_module(out_dir)], deadline=300) as machine:
        sh = Shell(machine)
        out = sh.run("forkbomb", timeout=200)
        assert "(EAGAIN)" in out and "forkbomb: all children reaped" in out
        assert "forkbomb: ok" in out, out
        assert sh.run("echo alive") == "alive\n"
        machine.assert_absent(PANIC)


def test_usertests_leak_nothing() -> None:
    out_dir = TEST_OUTPUT / "usertests"
    out_dir.mkdir(parents=True, exist_ok=True)
    with boot("usertests", modules=[default_initrd_module(out_dir)], deadline=300) as machine:
        sh = Shell(machine)
        out = sh.run("usertests", timeout=200)
        assert "usertests: ok" in out, out
        machine.assert_absent(PANIC)


def test_ctrl_z_stops_a_job_and_fg_and_bg_continue_it(shell: Shell) -> None:
    """Ctrl-Z stops the foreground job (SIGTSTP to its group; the shell sees it through
    WUNTRACED), ps shows it stopped, jobs lists it, fg waits for it again, and bg lets another
    stopped job finish in the background — typed with pauses, as a person types."""
    machine = shell.machine
    start = len(machine.output())
    machine.send("sleep 3\n")
    machine.wait_for(r"sleep 3\n", 30, start=start)
    time.sleep(1.0)
    machine.send("\x1a")  # Ctrl-Z
    stopped = machine.wait_for(r"\[(\d+)\] stopped \(signal 20\): sleep\n", 30, start=start)
    pgid = int(stopped.group(1))
    machine.wait_for(Shell.PROMPT, 30, start=stopped.end())
    time.sleep(1.0)
    ps = shell.run("ps")
    row = re.search(rf"^\s*{pgid}\s+\d+\s+(\w+)\s+", ps, re.M)
    assert row and row.group(1) == "stopped", ps
    time.sleep(1.0)
    # (other tests' background jobs may be announced as done before the prompt, too)
    assert re.search(rf"^\[{pgid}\] stopped sleep$", shell.run("jobs"), re.M)
    time.sleep(1.0)
    before = time.monotonic()
    assert shell.run("fg", timeout=30).startswith("sleep\n")  # the rest of the 3 s, then $
    assert time.monotonic() - before < 10
    assert "stopped" not in shell.run("jobs")
    # bg: the job finishes on its own and is announced.
    start = len(machine.output())
    machine.send("sleep 2\n")
    machine.wait_for(r"sleep 2\n", 30, start=start)
    time.sleep(0.5)
    machine.send("\x1a")
    stopped = machine.wait_for(r"\[(\d+)\] stopped \(signal 20\): sleep\n", 30, start=start)
    machine.wait_for(Shell.PROMPT, 30, start=stopped.end())
    time.sleep(1.0)
    assert shell.run("bg").startswith(f"[{stopped.group(1)}] sleep &\n")
    time.sleep(3.0)
    assert re.search(r"\[\d+\] done \(status 0\)", shell.run("echo later")), "bg's job ended"
    assert shell.run("echo still here") == "still here\n"


def test_kill_stop_and_cont_a_background_job(shell: Shell) -> None:
    """kill -STOP stops a background spin (ps: stopped), kill -CONT lets it run again."""
    started = shell.run("spin &")
    pid = int(re.search(r"\[(\d+)\]", started).group(1))
    time.sleep(1.0)
    shell.run(f"kill -STOP {pid}", timeout=30)
    time.sleep(1.0)
    row = re.search(rf"^\s*{pid}\s+\d+\s+(\w+)\s+", shell.run("ps", timeout=30), re.M)
    assert row and row.group(1) == "stopped"
    time.sleep(1.0)
    shell.run(f"kill -CONT {pid}", timeout=30)
    time.sleep(1.0)
    row = re.search(rf"^\s*{pid}\s+\d+\s+(\w+)\s+", shell.run("ps", timeout=30), re.M)
    assert row and row.group(1) in ("runnable", "running")
    time.sleep(1.0)
    shell.run(f"kill -KILL {pid}", timeout=30)
    time.sleep(1.0)
    assert pid not in pids_named(shell.run("ps", timeout=30), "spin")
