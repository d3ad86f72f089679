"""Programs nobody wrote for Ringlet: ordinary C against musl, built in the test run with
`./ringlet cc` (zig's cc, static i386), run unmodified. They start the way Linux starts them
(auxv, set_thread_area for %gs, set_tid_address) and print through writev."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from harness import ringlet_command, run_without_leaks
from ringlet.image import Module
from ringlet.paths import BUILD, ROOT

pytestmark = pytest.mark.boots

SOURCES = ROOT / "user" / "musl"
OUT = BUILD / "musl"


def build(name: str) -> Path:
    """Compiles user/musl/NAME.c through ./ringlet cc, the way a user would."""
    OUT.mkdir(parents=True, exist_ok=True)
    program = OUT / name
    subprocess.run(
        [*ringlet_command(), "cc", "-O2", str(SOURCES / f"{name}.c"), "-o", str(program)],
        check=True,
    )
    header = program.read_bytes()[:20]
    assert header[:4] == b"\x7fELF" and header[4] == 1, "a 32-bit ELF"
    assert int.from_bytes(header[18:20], "little") == 3, "for i386"
    return program


def run_musl(name: str, cmdline: str | None = None, lines: tuple[str, ...] = ()) -> str:
    """Builds user/musl/NAME.c, runs it alone (init=none) without leaks, checks that every one
    of lines is in its output and that no check of its own failed; returns the output."""
    program = build(name)
    out = run_without_leaks(f"musl_{name}", modules=[Module(program, cmdline or name)])
    for line in lines:
        assert line in out, f"{name}: missing {line!r}"
    assert "FAIL" not in out
    return out


def test_musl_hello_prints_what_it_computes() -> None:
    run_musl("hello", "hello 3 4 8", ("musl hello: 3 arguments, sum 15, mean 5.00",))


def test_musl_thread_local_storage_survives_fork() -> None:
    out = run_musl(
        "tls_fork",
        lines=(
            "tls: before fork: counter 42 tag parent",
            "tls: in the child: counter 142 tag child",
            "tls: parent after the child: counter 42 tag parent, child exit 142",
        ),
    )
    assert "killed" not in out


def test_cc_without_arguments_is_a_usage_error() -> None:
    result = subprocess.run([*ringlet_command(), "cc"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "cc: give the compiler something to do" in result.stderr


def test_musl_mmap_munmap_mprotect() -> None:
    """musl's malloc up to 8 MiB, anonymous and file mappings, holes, PROT_NONE, MAP_FIXED and
    bad calls' errno; faults are seen as the SIGSEGV of forked children."""
    out = run_musl(
        "mmap_edges",
        lines=(
            "mmap: malloc of 10 sizes up to 8 MiB ok",
            "mmap: hole in the middle: child signal 11, neighbours xx",
            "mmap: read-only write: signal 11; PROT_NONE read: signal 11; data after: x",
            "mmap: file mapping: ELF, page 2 matches read()",
            "mmap: after the child wrote its copy of a read-only page the parent sees A",
        ),
    )
    assert re.search(r"^mmap: (\d+) checks, 0 failed$", out, re.M)
    assert len(re.findall(r"^pid \d+ \(mmap_edges\) killed: page fault", out, re.M)) == 5


def test_musl_identity_time_and_vfork() -> None:
    run_musl(
        "ids",
        lines=(
            "ids: uid 0 euid 0 gid 0 egid 0 groups 0",
            "ids: tid is pid: yes; pgrp matches getpgid",
            "ids: affinity 0, 1 cpu(s)",
            "ids: slept at least 30 ms; the year is at least 2024",
            "ids: vfork child exit 9",
            "ids: ok",
        ),
    )


def test_musl_signals() -> None:
    """Handlers (rt and old frames), masks, SIG_IGN, a SIGSEGV handler that siglongjmps out,
    SIGCHLD, SIGPIPE, SIGTERM seen by wait, EINTR and SA_RESTART, nanosleep and sigsuspend."""
    out = run_musl(
        "signals",
        lines=(
            "signals: SIGUSR1 handled 2 times, last si_code 0, sender is me: yes",
            "signals: blocked SIGUSR2 pending 1, ran while blocked 0, ran after 1",
            "signals: SIGSEGV at offset 100 of the read-only page, recovered: yes",
            "signals: child killed by signal 15, SIGCHLD seen: yes",
            "signals: read without SA_RESTART: -1 (EINTR); with it: 4 bytes",
            "signals: nanosleep interrupted: EINTR, at least 1 s left: yes",
            "signals: broken pipe: handler ran 1 time(s); a default writer died of signal 13",
            "signals: zombie answers kill 0: yes; SIG_IGN SIGCHLD wait: ECHILD",
            "signals: stack overflow caught on the alternate stack: yes",
        ),
    )
    assert re.search(r"^signals: (\d+) checks, 0 failed$", out, re.M)
    # Only the two children meant to die did; the SIGSEGV was handled, not fatal.
    assert len(re.findall(r"^  \d+ +signals +killed", out, re.M)) == 2
    assert "killed: page fault" not in out


def test_musl_descriptors_and_paths() -> None:
    """openat, the stat family, access, readlink, fcntl, dup3, pipe2 with O_NONBLOCK, the
    descriptor limit, and close-on-exec seen from a program started by posix_spawn (clone)."""
    out = run_musl(
        "files",
        "files /mod/files",
        lines=(
            "files: the program is ",
            "files: 247 more descriptors until EMFILE; the limit is 256",
            "files: in the new program descriptor 50 is closed",
        ),
    )
    assert re.search(
        r"^files: the program is (\d+) bytes, a regular file; /mod is a directory$", out, re.M
    )
    assert re.search(r"^files: (\d+) checks, 0 failed$", out, re.M)
