"""Hostile programs: each misbehaves in its own boot, next to a well-behaved program that must
still finish. Only the hostile process dies, with one line saying why; the kernel never panics
and every page the process had comes back."""

from __future__ import annotations

import pytest

from harness import (
    PANIC,
    boot,
    free_frames_at_start_and_end,
    run_without_leaks,
    summary_results,
    user_elf,
)
from ringlet.image import Module

pytestmark = pytest.mark.boots

NOT_PRESENT = r"page fault {} 0x{} \(not present\) at eip 0x0400[0-9a-f]{{4}}"
PROTECTION = r"page fault {} 0x{} \(protection violation\) at eip 0x{}"
GP = r"general protection fault at eip 0x0400[0-9a-f]{4}"

# program -> (regex for the reason in "pid N (NAME) killed: REASON", signal)
HOSTILE: dict[str, tuple[str, int]] = {
    "null_read": (NOT_PRESENT.format("reading", "00000000"), 11),
    "null_write": (NOT_PRESENT.format("writing", "00000000"), 11),
    "write_text": (PROTECTION.format("writing", "0400[0-9a-f]{4}", "0400[0-9a-f]{4}"), 11),
    "read_kernel": (PROTECTION.format("reading", "c0000000", "0400[0-9a-f]{4}"), 11),
    "write_kernel": (PROTECTION.format("writing", "c0000000", "0400[0-9a-f]{4}"), 11),
    "jump_kernel": (PROTECTION.format("reading", "c0100000", "c0100000"), 11),
    "cli": (GP, 11),
    "hlt": (GP, 11),
    "lgdt": (GP, 11),
    "mov_cr3": (GP, 11),
    "inb": (GP, 11),
    "outb": (GP, 11),
    "popf_iopl": (GP, 11),
    "int13": (r"general protection fault \(error 0x6a\) at eip 0x0400[0-9a-f]{4}", 11),
    "int14": (r"general protection fault \(error 0x72\) at eip 0x0400[0-9a-f]{4}", 11),
    "int32": (r"general protection fault \(error 0x102\) at eip 0x0400[0-9a-f]{4}", 11),
    "ud2": (r"invalid opcode at eip 0x0400[0-9a-f]{4}", 4),
    "divide_zero": (r"divide error at eip 0x0400[0-9a-f]{4}", 8),
    "stack_overflow": (
        NOT_PRESENT.format("writing", "bfef[0-9a-f]{4}") + r" \(stack overflow: past the stack "
        r"limit\)",
        11,
    ),
    "bad_esp_push": (NOT_PRESENT.format("writing", "0000000c"), 11),
    "bad_esp_syscall": (NOT_PRESENT.format("writing", "0000000c"), 11),
    "tls_ss": (r"invalid stack segment on return to user mode", 4),
    "sigreturn": (GP, 11),
    "handler_kernel": (PROTECTION.format("reading", "c0100000", "c0100000"), 11),
    "map_over_stack": (NOT_PRESENT.format("(reading|writing)", "bfff[0-9a-f]{4}"), 11),
    "mremap_stack": (NOT_PRESENT.format("(reading|writing)", "bfff[0-9a-f]{4}"), 11),
    # An LDT selector whose descriptor the program wrote into its own memory: the LDT register
    # is null, so loading it is refused (found by the system-call fuzzer; hostile_ldt.c).
    "ldt": (r"general protection fault \(error 0x35b4\) at eip 0x0400[0-9a-f]{4}", 11),
}


@pytest.mark.parametrize("what", sorted(HOSTILE))
def test_hostile_program_dies_alone(what: str) -> None:
    name = f"hostile_{what}"
    reason, signal = HOSTILE[what]
    modules = [Module(user_elf(name), name), Module(user_elf("hello"), "hello")]
    with boot(f"hostile_{what}", modules=modules, cmdline="init=none") as machine:
        machine.wait_for(rf"^pid 1 \({name}\) killed: {reason}$")
        status = machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
        machine.assert_absent("SHOULD NOT PRINT")
    assert f"{name}: about to" in out
    if what == "sigreturn":
        assert "hostile_sigreturn: landed in ring 3; trying cli" in out, "forged CS refused"
    assert "Hello from ring 3!" in out, "the well-behaved program must still run"
    assert summary_results(out) == {name: f"killed (signal {signal})", "hello": "exit 0"}
    assert status == 3, "init=none with a killed process ends with status 3"
    start, end = free_frames_at_start_and_end(out)
    assert start == end


def test_whole_hostile_set_leaks_nothing() -> None:
    modules = [Module(user_elf(f"hostile_{w}"), f"hostile_{w}") for w in sorted(HOSTILE)]
    modules.append(Module(user_elf("hello"), "hello"))
    with boot("hostile_all", modules=modules, cmdline="init=none") as machine:
        status = machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
    results = summary_results(out)
    assert results.pop("hello") == "exit 0"
    assert sorted(results) == sorted(f"hostile_{w}" for w in HOSTILE)
    assert all(r.startswith("killed") for r in results.values())
    start, end = free_frames_at_start_and_end(out)
    assert start == end, "the hostile set must give back every frame"
    assert status == 3


def test_a_signal_storm_leaves_the_kernel_well() -> None:
    """20,000 kill()s at one process whose handler returns through the code the kernel put in
    each frame (libsys gives no restorer), next to a program that must finish."""
    modules = [Module(user_elf("signal_storm"), "signal_storm"), Module(user_elf("hello"), "hello")]
    out = run_without_leaks("signal_storm", modules=modules)
    assert "signal_storm: some of 20000 handled, child exit 0" in out
    assert "Hello from ring 3!" in out


def test_a_storm_of_stops_leaves_the_kernel_well() -> None:
    """5,000 SIGSTOP/SIGTSTP and SIGCONT pairs at a child that computes and sleeps in reads:
    it ends with the right result; a stopped child dies of SIGKILL; next to a program that
    must finish, and nothing leaks."""
    modules = [Module(user_elf("stop_storm"), "stop_storm"), Module(user_elf("hello"), "hello")]
    out = run_without_leaks("stop_storm", modules=modules)
    assert (
        "stop_storm: 5000 stops, worker's sum right: yes, stopped child killed by signal 9" in out
    )
    assert "Hello from ring 3!" in out
