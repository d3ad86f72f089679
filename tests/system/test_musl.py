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


def test_musl_hello_prints_what_it_computes() -> None:
    program = build("hello")
    out = run_without_leaks("musl_hello", modules=[Module(program, "hello 3 4 8")])
    assert "musl hello: 3 arguments, sum 15, mean 5.00" in out


def test_musl_thread_local_storage_survives_fork() -> None:
    program = build("tls_fork")
    out = run_without_leaks("musl_tls_fork", modules=[Module(program, "tls_fork")])
    assert "tls: before fork: counter 42 tag parent" in out
    assert "tls: in the child: counter 142 tag child" in out
    assert "tls: parent after the child: counter 42 tag parent, child exit 142" in out
    assert not re.search(r"killed", out)


def test_cc_without_arguments_is_a_usage_error() -> None:
    result = subprocess.run([*ringlet_command(), "cc"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "cc: give the compiler something to do" in result.stderr


def test_musl_mmap_munmap_mprotect() -> None:
    """musl's malloc up to 8 MiB, anonymous and file mappings, holes, PROT_NONE, MAP_FIXED and
    bad calls' errno; faults are seen as the SIGSEGV of forked children."""
    program = build("mmap_edges")
    out = run_without_leaks("musl_mmap", modules=[Module(program, "mmap_edges")])
    assert "mmap: malloc of 10 sizes up to 8 MiB ok" in out
    assert "mmap: hole in the middle: child signal 11, neighbours xx" in out
    assert "mmap: read-only write: signal 11; PROT_NONE read: signal 11; data after: x" in out
    assert "mmap: file mapping: ELF, page 2 matches read()" in out
    assert "mmap: after the child wrote its copy of a read-only page the parent sees A" in out
    assert re.search(r"^mmap: (\d+) checks, 0 failed$", out, re.M)
    assert "FAIL" not in out
    assert len(re.findall(r"^pid \d+ \(mmap_edges\) killed: page fault", out, re.M)) == 5


def test_musl_identity_time_and_vfork() -> None:
    program = build("ids")
    out = run_without_leaks("musl_ids", modules=[Module(program, "ids")])
    assert "ids: uid 0 euid 0 gid 0 egid 0 groups 0" in out
    assert "ids: tid is pid: yes; pgrp matches getpgid" in out
    assert "ids: affinity 0, 1 cpu(s)" in out
    assert "ids: slept at least 30 ms; the year is at least 2024" in out
    assert "ids: vfork child exit 9" in out
    assert "ids: ok" in out
