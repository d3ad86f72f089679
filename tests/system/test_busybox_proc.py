"""Busybox's applets that read /proc (ps, top, free, uptime, pidof, mount, df) and /etc (id,
hostname), run unmodified by busybox's sh: each must print what Linux's formats give for the
machine as it is — the pids that exist, their names, the memory /proc/meminfo reports, the
mounts Ringlet makes. Skips with the reason when the package cannot be had."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from harness import PANIC, boot, run_without_leaks
from ringlet.image import Module
from ringlet.paths import ROOT

pytestmark = pytest.mark.boots

SCRIPT = ROOT / "tests" / "data" / "busybox_proc.sh"
CHURN = ROOT / "tests" / "data" / "busybox_proc_churn.sh"


@pytest.fixture(scope="module")
def sections(busybox: tuple[Path, Path]) -> dict[str, str]:
    """What each section of the script printed, by name."""
    binary, initrd = busybox
    modules = [
        Module(initrd, "initrd"),
        Module(binary, f"sh /mod/{SCRIPT.name}"),
        Module(SCRIPT, SCRIPT.name),
    ]
    with boot("busybox_proc", modules=modules, cmdline="init=none", deadline=120) as machine:
        status = machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
    assert status == 0, f"the script must end normally (status {status})"
    parts = re.split(r"^@@(\w+)@@\r?\n", out, flags=re.M)
    found = dict(zip(parts[1::2], parts[2::2], strict=True))
    assert "end" in found, "the script ran to its end"
    return found


def meminfo(sections: dict[str, str]) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"^(\w+): +(\d+) kB$", sections["meminfo"], re.M)}


def test_ps_lists_the_processes_that_exist(sections: dict[str, str]) -> None:
    sleeper = int(sections["sleeper"])
    lines = sections["ps"].strip().splitlines()
    assert re.fullmatch(r"PID +USER +(TIME +)?COMMAND", lines[0].strip()), lines[0]
    rows = {int(m[1]): m[2] for m in (re.match(r"^ *(\d+) root +(.*)$", x) for x in lines[1:])}
    assert rows[1] == f"sh /mod/{SCRIPT.name}"
    assert rows[sleeper] == "sleep 30"
    # ps itself: a child of sh, running busybox's applet in it (comm "ps").
    assert any(r.startswith("{ps}") or r == "ps" for p, r in rows.items() if p > sleeper)
    assert len(rows) == 3, sections["ps"]


def test_top_batch_mode(sections: dict[str, str]) -> None:
    mem = meminfo(sections)
    top = sections["top"]
    used, free = map(int, re.search(r"^Mem: (\d+)K used, (\d+)K free", top, re.M).groups())
    assert used + free == mem["MemTotal"]
    assert re.search(r"^CPU: +\d+% usr +\d+% sys .* \d+% idle", top, re.M)
    assert re.search(r"^Load average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+$", top, re.M)
    sleeper = int(sections["sleeper"])
    assert re.search(rf"^ +{sleeper} +1 root +S +\d+ +\d+% +\d+% sleep 30$", top, re.M), top
    assert re.search(r"^ +1 +0 root +S ", top, re.M)
    assert re.search(r"^ +\d+ +1 root +R +\d+ +\d+% +\d+% top -b -n1$", top, re.M), top


def test_free_agrees_with_meminfo(sections: dict[str, str]) -> None:
    mem = meminfo(sections)
    row = re.search(r"^Mem: +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)$", sections["free"], re.M)
    total, used, free, shared, cache, available = map(int, row.groups())
    assert total == mem["MemTotal"]
    assert used + free + cache == total
    assert 0 < used < total // 4, "a few processes use a few megabytes"
    assert re.search(r"^Swap: +0 +0 +0$", sections["free"], re.M)
    # Kernel stacks (16 KiB each) and user page tables (a directory and its tables each), for
    # the few processes alive: more than one's worth, far less than memory.
    assert 16 < mem["KernelStack"] < total // 16 and mem["KernelStack"] % 16 == 0
    assert 8 < mem["PageTables"] < total // 16


def test_uptime(sections: dict[str, str]) -> None:
    match = re.fullmatch(
        r" (\d\d:\d\d:\d\d) up +(\d+) min, +0 users, +load average: "
        r"\d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n",
        sections["uptime"],
    )
    assert match, sections["uptime"]
    assert int(match[2]) < 5, "the machine has just booted"
    now = datetime.now(UTC)
    clock = datetime.strptime(f"{now:%Y-%m-%d} {match[1]}", "%Y-%m-%d %H:%M:%S")
    delta = abs(clock.replace(tzinfo=UTC) - now)
    assert min(delta, timedelta(days=1) - delta) < timedelta(minutes=10), "the guest's UTC clock"


def test_pidof(sections: dict[str, str]) -> None:
    sleeper = sections["sleeper"].strip()
    assert sections["pidof_sleep"].split() == [sleeper]
    # pidof also matches the last name of /proc/PID/exe, as on Linux: every process here runs
    # the busybox the kernel started as /mod/sh, so sh finds the shell, the sleeper and the
    # pidof process itself (the newest), and nothing else.
    pids = [int(p) for p in sections["pidof_sh"].split()]
    assert sorted(pids)[:2] == [1, int(sleeper)] and len(pids) == 3, pids
    assert max(pids) > int(sleeper)


def test_mount_and_df(sections: dict[str, str]) -> None:
    assert sections["mount"] == (
        "tmpfs on / type tmpfs (rw)\n"
        "tmpfs on /dev type tmpfs (rw)\n"
        "tmpfs on /tmp type tmpfs (rw)\n"
        "proc on /proc type proc (rw,nosuid,nodev,noexec)\n"
    )
    total = meminfo(sections)["MemTotal"]
    rows = re.findall(r"^tmpfs +(\d+) +(\d+) +(\d+) +(\d+)% (\S+)$", sections["df"], re.M)
    assert [r[4] for r in rows] == ["/", "/dev", "/tmp"], sections["df"]
    for blocks, used, available, _, _ in rows:
        # Each tmpfs may take half of RAM (Linux's default size=).
        assert abs(int(blocks) - total // 2) <= total // 100
        assert int(used) + int(available) == int(blocks)
    assert "/proc" not in sections["df"], "df leaves out file systems of no blocks, as on Linux"


def test_id_and_hostname(sections: dict[str, str]) -> None:
    assert sections["id"] == "uid=0(root) gid=0(root)\n"
    assert sections["hostname"] == "ringlet\n" == sections["etc_hostname"]


def test_proc_pid_directories(sections: dict[str, str]) -> None:
    names = ["cmdline", "comm", "cwd", "exe", "fd", "stat", "statm", "status"]
    assert sections["ls_self"].split() == names
    assert sections["ls_self_slashes"].split() == names
    # readlink runs in the shell's child without an exec (a busybox NOEXEC applet), so its
    # program is the shell's: busybox, here the module the kernel started as /mod/sh.
    assert sections["exe"] == "/mod/sh\n"
    # Linux's modes; a PID's directory has 3 links (., its entry in /proc, fd/..).
    lines = sections["ls_ld"].splitlines()
    assert re.match(r"^dr-xr-xr-x +3 root +root +0 .* /proc/1$", lines[0]), lines
    assert re.match(r"^dr-x------ +2 root +root +0 .* /proc/1/fd$", lines[1]), lines
    assert sections["ls_fd"].split() == ["0", "1", "2", "3"]


def test_proc_pid_status(sections: dict[str, str]) -> None:
    """Linux's status lines, the umask in octal (printing it once crashed the kernel)."""
    status = dict(re.findall(r"^(\w+):\t(.*)$", sections["status"], re.M))
    assert status["Name"] == "cat"
    assert status["Umask"] == "0022"
    assert status["State"] == "R (running)"
    assert status["PPid"] == "1" and status["Uid"] == "0\t0\t0\t0"
    assert status["Pid"] == status["Tgid"] and int(status["Pid"]) > 1


def test_proc_read_while_processes_come_and_go(busybox: tuple[Path, Path]) -> None:
    """Hundreds of processes start and end while ps and cat read every PID's files; a file of
    a process that has ended still reads. No panic, and every frame and heap byte comes back."""
    binary, initrd = busybox
    modules = [
        Module(initrd, "initrd"),
        Module(binary, f"sh /mod/{CHURN.name}"),
        Module(CHURN, CHURN.name),
    ]
    out = run_without_leaks("busybox_proc_churn", modules, deadline=240)
    assert "churn done 40" in out
    assert "read after exit: 0" in out
