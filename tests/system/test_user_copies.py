"""User memory as system calls see it: copies that fault go through the ordinary fault path
(stack growth, copy-on-write, demand-zero), waitpid checks its pointer before reaping, and large
heaps and bss cost nothing until touched, so no system call holds the kernel for long."""

from __future__ import annotations

import re
import time

import pytest

from harness import PANIC, boot, free_frames_at_start_and_end, summary_results, user_elf
from ringlet.image import Module

pytestmark = pytest.mark.boots


def test_copies_grow_the_stack_and_stop_at_its_limit() -> None:
    elf = user_elf("copyfault")
    modules = [Module(elf, "copyfault 1024"), Module(user_elf("hello"), "hello")]
    with boot("copyfault", modules=modules, cmdline="init=none ustack=1M") as machine:
        machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
        machine.assert_absent(r"^copyfault: FAIL")
        machine.assert_absent(r"killed")
    got = re.search(r"^copyfault: stack read (\d+) bytes sum (\d+)$", out, re.M)
    assert got, "the read into an untouched stack buffer must report what it read"
    n, total = int(got[1]), int(got[2])
    assert n == 64 * 1024, "the module is larger than the buffer, so the read fills it"
    assert total == sum(elf.read_bytes()[:n]), "the bytes read are the file's"
    assert "copyfault: stack write 1000 bytes, 1000 zero bytes back" in out
    assert "copyfault: read inside the limit: 100, past the limit: -14" in out
    assert "copyfault: waitpid without children, kernel pointer: -10" in out
    assert "copyfault: waitpid to read-only: -14; again: same child, exit 41" in out
    assert "copyfault: ok" in out
    assert "Hello from ring 3!" in out
    assert re.search(r"^  1 +copyfault +exit 0$", out, re.M), "the program the kernel started"
    assert summary_results(out)["hello"] == "exit 0"
    start, end = free_frames_at_start_and_end(out)
    assert start == end


def test_a_large_bss_is_demand_zero() -> None:
    # 64 MiB of bss in a 32 MiB machine: it runs only if the bss is mapped on first touch.
    with boot(
        "bigbss", modules=[Module(user_elf("bigbss"), "bigbss")], cmdline="init=none", memory_mib=32
    ) as machine:
        status = machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
        machine.assert_absent("not loaded")
    assert re.search(r"^bigbss: 16 pages touched, \d+ frames taken$", out, re.M)
    assert "bigbss: ok" in out
    assert status == 0
    start, end = free_frames_at_start_and_end(out)
    assert start == end


def test_huge_brk_moves_lose_no_ticks() -> None:
    """The guest's clock must keep up with the host's while a program moves its break by
    96 MiB and back over and over: a system call that zero-fills the whole range with interrupts
    off loses the timer ticks that fall inside it (the guest's second then takes several host
    seconds)."""
    with boot(
        "brkticks", modules=[Module(user_elf("brkticks"), "brkticks")], cmdline="init=none"
    ) as machine:
        machine.wait_for(r"^brkticks: start$")
        host_start = time.monotonic()
        done = machine.wait_for(r"^brkticks: (\d+) rounds in (\d+) ms")
        host_seconds = time.monotonic() - host_start
        status = machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
    rounds, guest_ms = int(done[1]), int(done[2])
    assert rounds >= 10 and guest_ms >= 1000
    # Generous for a loaded two-core machine; losing ticks makes it 5 to 10 times slower.
    assert host_seconds <= 1.5 * guest_ms / 1000 + 0.75, (
        f"the guest's {guest_ms} ms took {host_seconds:.2f} s of host time: ticks were lost"
    )
    assert "brkticks: ok" in out
    assert status == 0
    start, end = free_frames_at_start_and_end(out)
    assert start == end
