"""Synchronous IPC (docs/ipc.md): the semantics test program, the example servers started as
Multiboot2 modules through the documented ./ringlet run command line, and a hostile program
next to a well-behaved one. Each boot ends with every frame and every endpoint given back."""

from __future__ import annotations

import re
import subprocess

import pytest

from harness import (
    PANIC,
    free_frames_at_start_and_end,
    ringlet_command,
    run_to_power_off,
    summary_results,
    user_elf,
)
from ringlet.image import Module

pytestmark = pytest.mark.boots

IPC_CHECKS = [
    "ordering",
    "fast and slow",
    "capability",
    "server death",
    "caller killed",
    "signal",
    "timeouts",
    "stack buffer",
    "hostile",
]


def assert_nothing_leaked(out: str) -> None:
    start, end = free_frames_at_start_and_end(out)
    assert start == end, f"{start - end} frames did not come back"
    assert "ringlet: endpoints: 0 live at end" in out


def test_ipc_semantics_and_no_leaks() -> None:
    modules = [Module(user_elf("ipc_test"), "ipc_test"), Module(user_elf("hello"), "hello")]
    out = run_to_power_off("ipc_test", modules=modules, cmdline="init=none", deadline=120)
    assert "ipc_test: FAIL" not in out
    for check in IPC_CHECKS:
        assert f"ipc_test: ok {check}\n" in out
    assert "ipc_test: ok\n" in out
    match = re.search(r"fast and slow runs agree \(checksum \d+; (\d+) and 0 direct", out)
    assert match and int(match.group(1)) >= 150, "the fast run must switch directly"
    assert "Hello from ring 3!" in out
    assert_nothing_leaked(out)


def servers_command() -> list[str]:
    """The command line docs/ipc.md gives for the example servers, with this build's paths."""
    modules = ["names", "counter", "ramfs", "ipc_client"]
    args = ["run", "--no-initrd", "--cmdline", "init=none names=names", "--timeout", "90"]
    for name in modules:
        args += ["--module", f"{user_elf(name)}={name}"]
    return [*ringlet_command(), *args]


def test_servers_from_modules_through_the_documented_run_command() -> None:
    result = subprocess.run(servers_command(), capture_output=True, text=True, timeout=180)
    out = result.stdout
    assert result.returncode == 0, f"{result.stderr}\n{out[-3000:]}"
    assert not re.search(PANIC, out, re.M)
    assert "names: registered counter\n" in out and "names: registered ramfs\n" in out
    assert "ipc_client: counter total 55 after 10 calls\n" in out
    assert "ipc_client: echo returned 300 bytes, words 7 8 9, same\n" in out
    assert (
        "ipc_client: read 54 bytes back: Hello from a client, stored by a server in user space.\n"
        in out
    )
    assert "ipc_client: 4 bytes at offset 6: from\n" in out
    assert "ipc_client: open of a missing file: -2\n" in out
    assert "ipc_client: a call after the counter quit: EPIPE\n" in out
    assert "counter: quit after 12 calls, total 55\n" in out
    assert summary_results(out) == {
        "names": "exit 0",
        "counter": "exit 0",
        "ramfs": "exit 0",
        "ipc_client": "exit 0",
    }
    assert_nothing_leaked(out)


def test_hostile_ipc_next_to_hello() -> None:
    modules = [Module(user_elf("hostile_ipc"), "hostile_ipc"), Module(user_elf("hello"), "hello")]
    out = run_to_power_off("hostile_ipc", modules=modules, cmdline="init=none", deadline=120)
    assert "hostile_ipc: 126 endpoints, then errno 24\n" in out  # 3 descriptors + 2 per endpoint
    assert "hostile_ipc: unanswered call ended: -1 errno 32\n" in out  # EPIPE
    assert "hostile_ipc: 0 of 3000 garbage calls succeeded\n" in out
    assert "hostile_ipc: survived\n" in out
    assert "Hello from ring 3!" in out
    assert_nothing_leaked(out)
