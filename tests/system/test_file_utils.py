"""Ringlet's own file utilities and the shell's redirections, typed at the serial console as a
person types them: mkdir, rmdir, rm, cp, mv, ln, touch, ls -l (Linux's format, names from
/etc/passwd and /etc/group), and `>`, `>>`, `<`, `N>`, `N>&M`. One boot serves every test;
each works in its own directory and leaves the machine as it found it, which the last test
checks (the free memory /proc/meminfo reports is back where it started)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from harness import (
    Shell,
    motd_counts,
    shell_session,
)

pytestmark = pytest.mark.boots

LONG_LINE = re.compile(
    r"^(?P<mode>[-dlcbps][-rwxsStT]{9}) +(?P<links>\d+) (?P<owner>\S+) +(?P<group>\S+) +"
    r"(?P<size>\d+|\d+, +\d+) (?P<when>[A-Z][a-z]{2} [ \d]\d (?:\d\d:\d\d| \d{4})) "
    r"(?P<name>.+?)(?: -> (?P<target>.*))?$"
)


@pytest.fixture(scope="module")
def shell() -> Iterator[Shell]:
    with shell_session("file_utils", 300, absent=[r"killed by signal|page fault"]) as sh:
        yield sh


def long_lines(text: str) -> dict[str, re.Match[str]]:
    """ls -l's entry lines by name; asserts every line but "total N" has the format."""
    lines = {}
    for line in text.splitlines():
        if line.startswith("total "):
            continue
        match = LONG_LINE.match(line)
        assert match, f"not ls -l's format: {line!r}"
        lines[match["name"]] = match
    return lines


def mem_free(shell: Shell) -> int:
    out = shell.run("cat /proc/meminfo")
    return int(re.search(r"^MemFree: +(\d+) kB$", out, re.M).group(1))


@pytest.fixture(scope="module")
def free_at_start(shell: Shell) -> int:
    """MemFree after one warm-up copy, cross-mount move and removal: the first one takes a
    page for good (a slab's first page for an object kind, kept for the next), every later
    one gives everything back, which is what the last test checks."""
    shell.run("cp /etc/motd /tmp/w; mv /tmp/w /w; rm /w")
    return mem_free(shell)


def test_mkdir_rmdir(shell: Shell, free_at_start: int) -> None:
    assert shell.run("mkdir -p /tmp/m/a/b/c") == ""
    assert shell.run("ls /tmp/m/a/b") == "c/\n"
    assert shell.run("mkdir /tmp/m/x/y") == (
        "mkdir: cannot create directory '/tmp/m/x/y': No such file or directory\n"
        "sh: mkdir: exit status 1\n"
    )
    assert shell.run("mkdir /tmp/m/a") == (
        "mkdir: cannot create directory '/tmp/m/a': File exists\nsh: mkdir: exit status 1\n"
    )
    assert shell.run("rmdir /tmp/m/a/b") == (
        "rmdir: failed to remove '/tmp/m/a/b': Directory not empty\nsh: rmdir: exit status 1\n"
    )
    assert shell.run("rmdir /tmp/m/a/b/c /tmp/m/a/b /tmp/m/a /tmp/m") == ""
    assert "No such file or directory" in shell.run("ls /tmp/m")


def test_redirections(shell: Shell) -> None:
    shell.run("mkdir /tmp/r")
    assert shell.run("echo first line > /tmp/r/f") == ""
    assert shell.run("echo second >> /tmp/r/f") == ""
    assert shell.run("wc < /tmp/r/f").split() == ["2", "3", "18"]
    assert shell.run("echo replaced > /tmp/r/f; cat /tmp/r/f") == "replaced\n"
    # 2> sends the error to the file, nothing to the console.
    assert shell.run("cat /nope 2> /tmp/r/err") == "sh: cat: exit status 1\n"
    assert shell.run("cat /tmp/r/err") == "cat: /nope: No such file or directory\n"
    # 2>&1 after > puts both into the file; in the other order the error stays on the console.
    lines, _, _ = motd_counts()
    shell.run("cat /etc/motd /nope > /tmp/r/both 2>&1")
    assert shell.run("wc -l < /tmp/r/both").split()[0] == str(lines + 1)
    out = shell.run("cat /nope 2>&1 > /tmp/r/out")
    assert "cat: /nope: No such file or directory" in out
    assert shell.run("wc -c /tmp/r/out").split()[0] == "0"
    # A redirection alone makes the file; a builtin's output goes to its file and the shell's
    # own stdout comes back afterwards.
    assert shell.run("> /tmp/r/empty") == ""
    assert shell.run("pwd > /tmp/r/pwd") == ""
    assert shell.run("cat /tmp/r/pwd") == "/\n"
    assert shell.run("echo still here") == "still here\n"
    assert shell.run("cat < /tmp/r/missing") == (
        "sh: /tmp/r/missing: No such file or directory\nsh: cat: exit status 1\n"
    )
    assert shell.run("echo x >") == "sh: syntax error: no file after '>'\n"
    shell.run("rm -r /tmp/r")


def test_cp_mv_across_file_systems(shell: Shell) -> None:
    _, _, size = motd_counts()
    shell.run("mkdir /tmp/c")
    assert shell.run("cp /etc/motd /tmp/c/copy") == ""
    assert shell.run("wc -c /tmp/c/copy").split()[0] == str(size)
    assert shell.run("cp /tmp/c/copy /tmp/c") == (
        "cp: '/tmp/c/copy' and '/tmp/c/copy' are the same file\nsh: cp: exit status 1\n"
    )
    assert shell.run("cp /tmp /tmp/c/d") == (
        "cp: -r not specified; omitting directory '/tmp'\nsh: cp: exit status 1\n"
    )
    # -r: a tree, its link copied as a link; never into itself.
    shell.run("mkdir -p /tmp/c/t/sub; cp /etc/motd /tmp/c/t/sub/m; ln -s sub/m /tmp/c/t/l")
    assert shell.run("cp -r /tmp/c/t /tmp/c/u") == ""
    assert shell.run("wc -c /tmp/c/u/sub/m").split()[0] == str(size)
    assert long_lines(shell.run("ls -l /tmp/c/u/l"))["/tmp/c/u/l"]["target"] == "sub/m"
    assert shell.run("cp -r /tmp/c/t /tmp/c/t/sub") == (
        "cp: cannot copy a directory, '/tmp/c/t', into itself, '/tmp/c/t/sub/t'\n"
        "sh: cp: exit status 1\n"
    )
    assert shell.run("rm -r /tmp/c/t /tmp/c/u") == ""
    # / and /tmp are separate mounts: rename says EXDEV and mv copies, then removes.
    assert shell.run("mv /tmp/c/copy /moved") == ""
    assert shell.run("wc -c /moved").split()[0] == str(size)
    assert "No such file or directory" in shell.run("cat /tmp/c/copy")
    assert shell.run("mv /moved /tmp/c") == ""
    assert shell.run("ls /tmp/c") == "moved\n"
    assert shell.run("mv /tmp/c/moved /tmp/c/renamed; ls /tmp/c") == "renamed\n"
    shell.run("rm -r /tmp/c")


def test_ln_touch_and_ls_long_format(shell: Shell) -> None:
    _, _, size = motd_counts()
    shell.run("mkdir /tmp/l")
    shell.run("cp /etc/motd /tmp/l/f")
    assert shell.run("ln /tmp/l/f /tmp/l/hard") == ""
    assert shell.run("ln -s f /tmp/l/soft") == ""
    assert shell.run("touch /tmp/l/new") == ""
    assert shell.run("ln -s f /tmp/l/soft") == (
        "ln: failed to create symbolic link '/tmp/l/soft': File exists\nsh: ln: exit status 1\n"
    )
    assert shell.run("cat /tmp/l/soft | wc -c").split()[0] == str(size)
    listing = shell.run("ls -l /tmp/l")
    # Linux's tmpfs counts whole pages: two names of one small file make 8 KiB; links none.
    assert listing.startswith("total 8\n"), listing
    entries = long_lines(listing)
    assert sorted(entries) == ["f", "hard", "new", "soft"]
    for name in ("f", "hard"):
        e = entries[name]
        assert (e["mode"], e["links"], e["owner"], e["group"], e["size"]) == (
            "-rw-r--r--",
            "2",
            "root",
            "root",
            str(size),
        ), listing
    assert (entries["new"]["mode"], entries["new"]["size"], entries["new"]["links"]) == (
        "-rw-r--r--",
        "0",
        "1",
    )
    soft = entries["soft"]
    assert (soft["mode"], soft["size"], soft["target"]) == ("lrwxrwxrwx", "1", "f")
    # The time is the guest's clock (UTC from the CMOS clock): within minutes of the host's.
    when = datetime.strptime(f"{datetime.now(UTC).year} {entries['new']['when']}", "%Y %b %d %H:%M")
    assert abs(when.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=10), listing
    # Opened or run through a link, a file is known by its own path, as on Linux.
    fds = long_lines(shell.run("ls -l /proc/self/fd/ < /tmp/l/soft"))
    assert fds["0"]["target"] == "/tmp/l/f"
    shell.run("ln -s /bin/ls /tmp/l/myls")
    exe = long_lines(shell.run("/tmp/l/myls -l /proc/self/exe"))
    assert exe["/proc/self/exe"]["target"] == "/bin/ls"
    assert shell.run("rm /tmp/l/myls") == ""
    # Devices show major, minor; directories d, /tmp's sticky bit t.
    listing = shell.run("ls -l /dev/null /dev/zero /dev/ttyS0")
    # Files given as operands make one listing, aligned: every name starts in one column.
    assert len({line.index("/dev/") for line in listing.splitlines()}) == 1, listing
    dev = long_lines(listing)
    assert dev["/dev/null"]["size"] == "1, 3" and dev["/dev/null"]["mode"] == "crw-rw-rw-"
    assert dev["/dev/zero"]["size"] == "1, 5"
    assert dev["/dev/ttyS0"]["size"] == "4, 64"
    tmp = long_lines(shell.run("ls -la /tmp"))
    assert tmp["."]["mode"] == "drwxrwxrwt" and tmp["l"]["mode"] == "drwxr-xr-x"
    # A directory's size is Linux tmpfs's: 20 bytes an entry, . and .. included.
    assert tmp["l"]["size"] == str(20 * (2 + 4))
    shell.run("mkdir /tmp/l/d")
    assert long_lines(shell.run("ls -ld /tmp/l/d"))["/tmp/l/d"]["size"] == "40"
    assert long_lines(shell.run("ls -ld /tmp/l"))["/tmp/l"]["size"] == str(20 * (2 + 5))
    shell.run("rm -r /tmp/l")


def test_owner_names_come_from_etc_passwd_and_group(shell: Shell) -> None:
    assert "root:x:0:0:" in shell.run("cat /etc/passwd")
    assert shell.run("cat /etc/hostname") == "ringlet\n"
    line = long_lines(shell.run("ls -l /etc/motd"))["/etc/motd"]
    assert (line["owner"], line["group"]) == ("root", "root")
    # Without /etc/passwd the owner is a number; the group still has its name.
    shell.run("mv /etc/passwd /etc/passwd.away")
    line = long_lines(shell.run("ls -l /etc/motd"))["/etc/motd"]
    assert (line["owner"], line["group"]) == ("0", "root")
    shell.run("mv /etc/passwd.away /etc/passwd")
    line = long_lines(shell.run("ls -l /etc/motd"))["/etc/motd"]
    assert line["owner"] == "root"


def test_rm(shell: Shell) -> None:
    shell.run("mkdir -p /tmp/t/a/b; touch /tmp/t/a/b/f /tmp/t/g; ln -s /bin /tmp/t/a/bin")
    assert shell.run("rm /tmp/t/a") == (
        "rm: cannot remove '/tmp/t/a': Is a directory\nsh: rm: exit status 1\n"
    )
    assert shell.run("rm /tmp/t/none") == (
        "rm: cannot remove '/tmp/t/none': No such file or directory\nsh: rm: exit status 1\n"
    )
    assert shell.run("rm -f /tmp/t/none") == ""
    # -r removes the link, never what it points to.
    assert shell.run("rm -r /tmp/t") == ""
    assert "No such file or directory" in shell.run("ls /tmp/t")
    assert "sh" in shell.run("ls /bin").split()
    assert shell.run("rm -rf /") == (
        "rm: it is dangerous to operate recursively on '/'\n"
        "rm: refusing to remove the root directory\nsh: rm: exit status 1\n"
    )
    assert "(same as '/')" in shell.run("rm -rf //")
    assert "refusing to remove '.' or '..'" in shell.run("rm -r /tmp/..")
    listing = shell.run("ls /").split()
    assert {"bin/", "etc/", "tmp/", "proc/", "dev/"} <= set(listing)


def test_ls_reads_proc(shell: Shell) -> None:
    """Every entry of a PID directory, found through self and through doubled slashes; the
    descriptors of ls itself, its directory among them."""
    names = ["cmdline", "comm", "cwd", "exe", "fd/", "stat", "statm", "status"]
    assert shell.run("ls /proc/self/").split() == names
    assert shell.run("ls //proc//self//").split() == names
    entries = long_lines(shell.run("ls -l /proc/self/"))
    assert entries["exe"]["target"] == "/bin/ls"
    assert entries["cwd"]["target"] == "/"
    assert entries["fd"]["mode"] == "dr-x------" and entries["stat"]["mode"] == "-r--r--r--"
    fds = long_lines(shell.run("ls -l /proc/self/fd"))
    assert [(n, e["target"]) for n, e in sorted(fds.items())][:3] == [
        ("0", "/dev/console"),
        ("1", "/dev/console"),
        ("2", "/dev/console"),
    ]
    assert fds["3"]["target"].startswith("/proc/"), "the directory ls is reading"
    pid = shell.run("ls -ld /proc/1")
    assert re.match(r"^dr-xr-xr-x 3 root root 0 .* /proc/1\n$", pid), pid


def test_memory_comes_back(shell: Shell, free_at_start: int) -> None:
    """Runs last: every file made above is gone, and so are its pages."""
    assert shell.run("ls /tmp") == ""
    assert mem_free(shell) == free_at_start
