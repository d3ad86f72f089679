"""System tests for memory: frame accounting at boot and the kernel's own failures, explained."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from harness import (
    PANIC,
    boot,
    free_frames_at_start_and_end,
    ringlet_command,
    run_to_power_off,
    summary_results,
    user_flat,
)
from ringlet.image import Module
from ringlet.paths import KERNEL_ELF
from ringlet.ramdisk import make_flat_ramdisk

pytestmark = pytest.mark.boots

FRAME = 4096
DIRECT_MAP = 768 * 2**20
REGION_RE = re.compile(r"^  0x([0-9a-f]{16})  0x([0-9a-f]{16})  (.+)$", re.MULTILINE)
RESERVED_RE = re.compile(r"^  0x([0-9a-f]{8,})-0x([0-9a-f]{8,})  (.+)$", re.MULTILINE)


def frames_of(start: int, end: int, *, inward: bool) -> range:
    """Frame numbers of [start, end): whole frames only (inward) or every frame touched."""
    if inward:
        return range(-(-start // FRAME), end // FRAME)
    return range(start // FRAME, -(-end // FRAME))


def expected_free_frames(out: str) -> tuple[int, int]:
    """(usable frames below 768 MiB, free frames) computed from the boot log's own tables."""
    regions = [(int(b, 16), int(n, 16), kind) for b, n, kind in REGION_RE.findall(out)]
    usable: set[int] = set()
    for base, length, kind in regions:
        if kind == "available":
            usable.update(frames_of(base, min(base + length, DIRECT_MAP), inward=True))
    for base, length, kind in regions:
        if kind != "available":
            usable.difference_update(frames_of(base, base + length, inward=False))
    free = set(usable)
    reserved_block = out.split("reserved physical memory:\n", 1)[1]
    for start, end, _ in RESERVED_RE.findall(reserved_block.split("frames:", 1)[0]):
        free.difference_update(frames_of(int(start, 16), int(end, 16), inward=False))
    return len(usable), len(free)


@pytest.mark.parametrize("memory_mib", [16, 32, 512, 2048])
def test_free_frames_at_boot_add_up(memory_mib: int) -> None:
    out = run_to_power_off(f"frames_{memory_mib}", memory_mib=memory_mib)
    usable, free_before_paging = expected_free_frames(out)
    reported_usable = re.search(
        r"^frames: (\d+) usable below 768 MiB, (\d+) free at boot$", out, re.MULTILINE
    )
    assert reported_usable, out
    assert int(reported_usable.group(1)) == usable
    assert int(reported_usable.group(2)) == free_before_paging
    paging = re.search(
        r"^paging: kernel page tables take (\d+) frames; (\d+) frames free$", out, re.MULTILINE
    )
    assert paging, out
    tables, free = int(paging.group(1)), int(paging.group(2))
    assert tables >= 2  # the directory and at least one table for the kernel image
    assert free == free_before_paging - tables
    if memory_mib > 768:
        unused = re.search(
            r"^frames: (\d+) MiB of RAM above 768 MiB is not mapped by the "
            r"kernel; not used$",
            out,
            re.MULTILINE,
        )
        assert unused, "a machine with more RAM than the direct map must say so"
        assert memory_mib - 768 - 2 <= int(unused.group(1)) <= memory_mib - 768
    else:
        assert "not mapped by the kernel" not in out


def crash_log(kind: str) -> tuple[str, Path]:
    """What the kernel itself printed (not the log the harness symbolizes), and the log's path."""
    with boot(f"crash_{kind}", cmdline=f"crash={kind}") as machine:
        assert machine.wait_exit() == 1, "a kernel failure must end as a panic (status 1)"
        return machine.output(), machine.log_path


def test_null_write_in_the_kernel_is_decoded_and_symbolized() -> None:
    text, log = crash_log("null")
    assert re.search(
        r"^panic: page fault \(exception 14\) in kernel mode at eip 0x[0-9a-f]{8}"
        r" <crash_write_null\+0x[0-9a-f]+>: writing 0x00000000 \(not present, kernel mode\)$",
        text,
        re.MULTILINE,
    ), log
    assert re.search(r"^  cr0 [0-9a-f]{8}.* cr2 00000000", text, re.MULTILINE)
    # The kernel's own symbol table (kernel/ksyms.c) names the way here: crash_if_asked called
    # from kmain, each frame once.
    backtrace = text.split("backtrace:\n", 1)[1]
    assert "<crash_write_null+" in backtrace
    assert "<crash_if_asked+" in backtrace
    assert "<kmain+" in backtrace
    assert "> <" not in backtrace, "an address annotated twice"


def test_kernel_stack_overflow_is_a_double_fault_not_a_reset() -> None:
    text, log = crash_log("stack")
    assert "panic: double fault (kernel stack overflow?)" in text, log
    assert re.search(r"eip [0-9a-f]{8} <crash_recurse[.\w]*\+0x[0-9a-f]+>", text)
    cr2 = int(re.search(r"cr2 ([0-9a-f]{8})", text).group(1), 16)
    guard = int(
        re.search(
            r"^([0-9a-f]{8}) B boot_stack_guard$",
            (KERNEL_ELF.parent / "ringlet.sym").read_text(),
            re.MULTILINE,
        ).group(1),
        16,
    )
    assert guard <= cr2 < guard + 4096, "the fault must be in the boot stack's guard page"


@pytest.mark.parametrize(
    "kind, message",
    [
        ("frame-double-free", r"panic: frame_free: frame 0x[0-9a-f]{8} freed twice"),
        ("kfree-double-free", r"panic: kfree: double free of 0xc[0-9a-f]{7}"),
    ],
)
def test_double_frees_panic_with_the_address(kind: str, message: str) -> None:
    text, log = crash_log(kind)
    assert re.search(message, text), log


def test_unknown_crash_kind_is_reported_and_ignored() -> None:
    out = run_to_power_off("crash_unknown", cmdline="crash=sideways")
    assert "crash: unknown kind 'sideways'" in out


def test_symbolize_command_annotates_a_saved_log(tmp_path: Path) -> None:
    kmain = int(
        re.search(
            r"^([0-9a-f]{8}) T kmain$",
            (KERNEL_ELF.parent / "ringlet.sym").read_text(),
            re.MULTILINE,
        ).group(1),
        16,
    )
    log = tmp_path / "saved.log"
    log.write_text(f"  eip {kmain + 4:08x}  eflags 00000046\n  #1 0x{kmain + 16:08x}\nno address\n")
    result = subprocess.run(
        [*ringlet_command(), "symbolize", str(log)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"  eip {kmain + 4:08x} <kmain+0x4>  eflags 00000046\n"
        f"  #1 0x{kmain + 16:08x} <kmain+0x10>\nno address\n"
    )


def test_no_panic_with_little_memory() -> None:
    with boot("memory_16_no_panic", memory_mib=16) as machine:
        assert machine.wait_exit() == 0
        machine.assert_absent(PANIC)


def test_flat_ramdisk_above_every_free_frame_runs(tmp_path: Path) -> None:
    """A module at the top of RAM, above every free frame: the frame table must still cover it,
    or the first exec that shares its pages panics in frame_ref. GRUB puts modules low, so a
    first boot learns where the ramdisk lands, and the second has GRUB cut the RAM above it out
    of the memory map (cutmem), leaving the ramdisk at the top."""
    disk = make_flat_ramdisk([user_flat("hello")], tmp_path / "flat.img")
    modules = [Module(disk, "flatdisk")]
    where = re.compile(r"^  0x([0-9a-f]{8})-0x([0-9a-f]{8})  module$", re.M)
    probe = run_to_power_off("frames_module_probe", modules=modules, cmdline="init=none")
    ((start, end),) = [(int(a, 16), int(b, 16)) for a, b in where.findall(probe)]
    cut = ["insmod mmap", f"cutmem {end:#x} 0x10000000"]
    with boot(
        "frames_module_at_top", modules=modules, cmdline="init=none", grub_commands=cut
    ) as machine:
        status = machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
    assert where.findall(out) == where.findall(probe), "the ramdisk must land where it did"
    top = max(
        int(b, 16) + int(n, 16) for b, n, kind in REGION_RE.findall(out) if kind == "available"
    )
    assert top == end, "GRUB must have cut the RAM above the ramdisk out of the map"
    assert "Hello from ring 3!" in out
    assert summary_results(out) == {"flat0": "exit 0"}
    assert status == 0
    frames_start, frames_end = free_frames_at_start_and_end(out)
    assert frames_start == frames_end
