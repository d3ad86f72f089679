"""System tests: boot the real ISO through GRUB in QEMU and read the serial console."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness import PANIC, boot, run_to_power_off, write_file
from ringlet.image import Module
from ringlet.paths import KERNEL_ELF

pytestmark = pytest.mark.boots

REGION_RE = re.compile(r"^  0x([0-9a-f]{16})  0x([0-9a-f]{16})  (.+)$", re.MULTILINE)
MODULE_RE = re.compile(r"^  (\d+)\s+0x([0-9a-f]{8})-0x([0-9a-f]{8})  (\d+)\s+(.*)$", re.MULTILINE)


def module_lines(output: str) -> list[tuple[int, int, int, int, str]]:
    return [
        (int(i), int(start, 16), int(end, 16), int(size), cmdline.strip())
        for i, start, end, size, cmdline in MODULE_RE.findall(output)
    ]


def test_boots_without_modules_and_powers_off() -> None:
    out = run_to_power_off("no_modules", cmdline="quiet answer=42")
    assert re.search(r"^Ringlet \d+\.\d+\.\d+ booting$", out, re.MULTILINE)
    assert re.search(r"^boot loader: GRUB 2\.", out, re.MULTILINE)
    assert "command line: quiet answer=42\n" in out
    assert "modules: 0\n" in out
    assert "bootinfo:" not in out  # GRUB's information is well formed: no complaints
    assert out.rstrip().endswith("power off")


def test_one_text_module_is_listed_and_shown(tmp_path: Path) -> None:
    text = "Hello from a Multiboot2 module.\nSecond line, with tabs\tand UTF-8: žluťoučký kůň.\n"
    notes = write_file(tmp_path / "notes.txt", text)
    out = run_to_power_off("one_text_module", modules=[Module(notes, "notes.txt")])
    assert "modules: 1\n" in out
    [(index, start, end, size, cmdline)] = module_lines(out)
    size_bytes = len(text.encode())
    assert (index, size, cmdline) == (0, size_bytes, "notes.txt")
    assert end - start == size_bytes
    assert start % 4096 == 0, "the module-alignment tag asks GRUB for page-aligned modules"
    assert f"module 0 (notes.txt) holds text, {size_bytes} bytes:\n{text}" in out


def test_three_modules_each_with_its_command_line(tmp_path: Path) -> None:
    readme = write_file(tmp_path / "readme.txt", "plain text\n")
    blob = write_file(tmp_path / "blob.bin", bytes(range(256)) * 8)
    modules = [
        Module(readme, "readme.txt"),
        Module(blob, "blob --level 3"),
        Module(KERNEL_ELF, "kernel-copy"),
    ]
    out = run_to_power_off("three_modules", modules=modules)
    lines = module_lines(out)
    assert [(i, size, cmd) for i, _, _, size, cmd in lines] == [
        (0, 11, "readme.txt"),
        (1, 2048, "blob --level 3"),
        (2, KERNEL_ELF.stat().st_size, "kernel-copy"),
    ]
    starts = [start for _, start, _, _, _ in lines]
    ends = [end for _, _, end, _, _ in lines]
    assert all(s % 4096 == 0 for s in starts)
    assert all(ends[i] <= starts[i + 1] for i in range(2)), "modules must not overlap"
    assert "module 0 (readme.txt) holds text, 11 bytes:\nplain text\n" in out
    assert "module 1 (blob --level 3) holds binary data, 2048 bytes\n" in out
    assert re.search(r"module 2 \(kernel-copy\) holds ELF data, \d+ bytes\n", out)


def test_long_text_module_is_cut_at_4_kib(tmp_path: Path) -> None:
    line = "0123456789abcdef" * 4 + "\n"  # 65 bytes
    text = line * 80  # 5200 bytes
    big = write_file(tmp_path / "big.txt", text)
    out = run_to_power_off("long_text_module", modules=[Module(big, "big.txt")])
    shown = text[:4096]
    assert f"holds text, 5200 bytes:\n{shown}\n... (1104 more bytes)\n" in out


@pytest.mark.parametrize("memory_mib", [32, 128, 1024])
def test_reported_memory_matches_the_map(memory_mib: int) -> None:
    out = run_to_power_off(f"memory_{memory_mib}", memory_mib=memory_mib)
    regions = [(int(b, 16), int(n, 16), t) for b, n, t in REGION_RE.findall(out)]
    count = int(re.search(r"^memory map: (\d+) regions$", out, re.MULTILINE).group(1))
    assert len(regions) == count >= 3
    available = [(base, length) for base, length, kind in regions if kind == "available"]
    usable = sum(length for _, length in available)
    kib = int(re.search(r"^memory: (\d+) KiB usable \((\d+) MiB\)$", out, re.MULTILINE).group(1))
    assert kib == usable // 1024
    # QEMU's BIOS reports conventional memory below 640 KiB and the rest above 1 MiB; the top
    # of available RAM lies within the last MiB of what we gave the machine.
    assert available[0][0] == 0 and available[0][1] <= 640 * 1024
    top = max(base + length for base, length in available)
    assert (memory_mib - 1) * 2**20 <= top <= memory_mib * 2**20
    assert (memory_mib - 2) * 1024 <= kib <= memory_mib * 1024


def test_panic_stops_the_machine_with_status_1() -> None:
    with boot("panic_on_request", cmdline="crash=panic") as machine:
        status = machine.wait_exit()
        out = machine.output()
    assert status == 1
    assert re.search(r"^panic: kmain: crash requested on the command line$", out, re.MULTILINE)
    # The kernel names the function after eip since it has a symbol table: "eip c01061d2
    # <panic+0x12>  eflags ...".
    assert re.search(r"^  eip [0-9a-f]{8}( <\w+\+0x[0-9a-f]+>)?  eflags", out, re.MULTILINE)
    assert "backtrace:" in out


def test_no_panic_in_a_normal_boot() -> None:
    with boot("normal_boot_has_no_panic") as machine:
        assert machine.wait_exit() == 0
        machine.assert_absent(PANIC)
