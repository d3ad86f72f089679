"""UEFI boot: the same ISO and kernel through OVMF and x86_64 GRUB, with the framebuffer console.

One BIOS boot and one UEFI boot for the whole module (OVMF is slow to start under TCG); both run
the same shell commands, and the tests compare their serial logs and read the framebuffer's
text back from QMP screendumps, glyph by glyph, with the font the kernel draws with.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness import PANIC, TEST_OUTPUT, Shell, boot, default_initrd_module, ringlet_command
from ringlet.paths import ROOT
from ringlet.psf import Psf1
from ringlet.qemu import OVMF_CODE, OVMF_VARS, Machine
from ringlet.screen import qmp_execute

pytestmark = pytest.mark.boots

FONT = ROOT / "kernel" / "fonts" / "Lat15-Fixed16.psf"
COMMANDS = ["echo same on both firmwares", "cat /etc/motd | wc", "ls /bin"]
VGA_ROWS, VGA_COLUMNS = 25, 80
SCROLL_LINES = 30  # echo commands after COMMANDS: enough to scroll a 48-row screen


@dataclass
class Run:
    """One boot: its serial output, what each command printed, and how long the boot took."""

    output: str = ""
    results: dict[str, str] = field(default_factory=dict)
    seconds_to_prompt: float = 0.0
    screen: list[str] = field(default_factory=list)  # the screen's text after COMMANDS


def firmware_missing() -> str | None:
    missing = [str(p) for p in (OVMF_CODE, OVMF_VARS) if not p.is_file()]
    if shutil.which("qemu-system-x86_64") is None:
        missing.append("qemu-system-x86_64")
    if missing:
        return "UEFI firmware is not installed (./ringlet setup installs ovmf): " + ", ".join(
            missing
        )
    return None


@contextmanager
def booted(name: str, uefi: bool) -> Iterator[tuple[Run, Shell]]:
    """Boots to the shell, runs COMMANDS; Run.output is filled in when the block ends."""
    out = TEST_OUTPUT / name
    out.mkdir(parents=True, exist_ok=True)
    run = Run()
    started = time.monotonic()
    modules = [default_initrd_module(out)]
    with boot(name, modules=modules, uefi=uefi, hybrid=True, deadline=180) as machine:
        sh = Shell(machine, timeout=150)
        run.seconds_to_prompt = time.monotonic() - started
        print(f"{name}: the shell's prompt after {run.seconds_to_prompt:.1f} s")
        for command in COMMANDS:
            run.results[command] = sh.run(command)
        if uefi:
            run.screen = screendump(machine, out / "screen.ppm").text()
        else:
            run.screen = vga_text(machine, out / "vga.bin")
        yield run, sh
        run.output = machine.output()
        machine.assert_absent(PANIC)


@pytest.fixture(scope="module")
def bios() -> Run:
    with booted("uefi-compare-bios", uefi=False) as (run, _):
        pass
    return run


@pytest.fixture(scope="module")
def uefi(bios: Run) -> Iterator[tuple[Run, Shell]]:
    """Boots after the BIOS machine has gone: one QEMU at a time."""
    reason = firmware_missing()
    if reason:
        pytest.skip(reason)
    with booted("uefi", uefi=True) as (run, sh):
        run.output = sh.machine.output()
        yield run, sh


def test_run_uefi_from_a_pipe_powers_off() -> None:
    """./ringlet run --uefi holds piped input back until the kernel's banner (OVMF and GRUB
    read the serial port too). Runs before the module's machines boot: one QEMU at a time."""
    reason = firmware_missing()
    if reason:
        pytest.skip(reason)
    result = subprocess.run(
        [*ringlet_command(), "run", "--uefi", "--timeout", "120"],
        input="free\npoweroff\n",
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^console: serial COM1 and framebuffer, ", result.stdout, re.M)
    assert re.search(r"memory: total \d+ KiB", result.stdout)  # only free prints this
    assert "ringlet: power off (asked by pid" in result.stdout
    assert "panic" not in result.stdout


# --- reading the framebuffer back ---


def font_glyphs() -> tuple[int, int, dict[bytes, str]]:
    """(width, height, bitmap -> character) for the printable ASCII characters of the console
    font, each also with the cursor (its bottom two rows lit) drawn over it."""
    font = Psf1.load(FONT)
    bitmaps: dict[bytes, str] = {}
    for c in map(chr, range(0x20, 0x7F)):
        bitmaps.setdefault(font.bitmap(c), c)
        bitmaps.setdefault(font.bitmap(c)[:-2] + b"\xff\xff", c)
    return font.width, font.height, bitmaps


@dataclass
class Screen:
    width: int
    height: int
    rows: list[bytes]  # one byte a pixel: 1 where the pixel is lit, 0 where it is background
    ppm: bytes

    def text(self) -> list[str]:
        """The screen's characters, row by row (trailing blanks removed); a cell that matches no
        glyph reads as '\\ufffd'."""
        glyph_width, glyph_height, bitmaps = font_glyphs()
        byte_of = {bytes(bits): int("".join(map(str, bits)), 2) for bits in bit_patterns()}
        lines = []
        for top in range(0, self.height - glyph_height + 1, glyph_height):
            chars = []
            for left in range(0, self.width - glyph_width + 1, glyph_width):
                bitmap = bytes(
                    byte_of[self.rows[top + y][left : left + glyph_width]]
                    for y in range(glyph_height)
                )
                chars.append(bitmaps.get(bitmap, "\ufffd"))
            lines.append("".join(chars).rstrip())
        return lines


def bit_patterns() -> Iterator[tuple[int, ...]]:
    for n in range(256):
        yield tuple((n >> (7 - i)) & 1 for i in range(8))


LIT = bytes(1 if v > 0x40 else 0 for v in range(256))


def screendump(machine: Machine, path: Path) -> Screen:
    assert machine.config.qmp_socket is not None
    qmp_execute(machine.config.qmp_socket, "screendump", {"filename": str(path)})
    ppm = path.read_bytes()
    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)  # one whitespace byte, then pixels
    assert header, "screendump: not an 8-bit binary PPM"
    width, height = int(header[1]), int(header[2])
    pixels = ppm[header.end() :]
    green = pixels[1 : width * height * 3 : 3].translate(LIT)  # the text is grey: any channel
    rows = [green[y * width : (y + 1) * width] for y in range(height)]
    return Screen(width, height, rows, ppm)


def vga_text(machine: Machine, dump: Path) -> list[str]:
    """The 25 rows of the VGA text screen, read from guest memory (as test_consoles.py does)."""
    assert machine.config.qmp_socket is not None
    size = VGA_ROWS * VGA_COLUMNS * 2
    qmp_execute(
        machine.config.qmp_socket, "pmemsave", {"val": 0xB8000, "size": size, "filename": str(dump)}
    )
    chars = dump.read_bytes()[0::2].decode("latin-1")
    return [chars[r * VGA_COLUMNS : (r + 1) * VGA_COLUMNS].rstrip() for r in range(VGA_ROWS)]


# --- the tests ---

# GRUB's last terminal escape sequences may stand just before the banner on the same line.
BANNER = re.compile(r"Ringlet \S+ booting$", re.MULTILINE)
VARIES = re.compile(  # what the firmware decides: itself, the screen, memory
    r"^(firmware|console|framebuffer|memory map|memory|frames|paging): .*$\n"
    r"|^  base  .*$\n|^  0x[0-9a-f]{16}  0x[0-9a-f]{16}  .*$\n",  # the memory map's table
    re.MULTILINE,
)


def boot_report(output: str) -> str:
    """From the banner to the first prompt, without the lines the firmware decides (memory map,
    frame counts, the console) and with addresses, the ACPI table list and the measured timer
    rate masked."""
    start = BANNER.search(output)
    assert start, "no banner"
    end = output.index("\n$ ", start.start())
    report = VARIES.sub("", output[start.start() : end + 1])
    # OVMF lists the MADT in an XSDT, SeaBIOS in an RSDT; the timer's rate is measured.
    report = re.sub(r"through the [RX]SDT", "through the ?SDT", report)
    report = re.sub(r"local APIC timer \d+ counts", "local APIC timer N counts", report)
    return re.sub(r"0x[0-9a-f]{8}", "0x........", report)


def test_uefi_boot_report_is_the_bios_one(bios: Run, uefi: tuple[Run, Shell]) -> None:
    run, _ = uefi
    assert boot_report(run.output) == boot_report(bios.output)
    assert "init: starting /bin/sh" in boot_report(run.output)


def test_the_boot_report_names_the_firmware_and_the_console(
    bios: Run, uefi: tuple[Run, Shell]
) -> None:
    run, _ = uefi
    assert re.search(
        r"^console: serial COM1 and VGA text, 80x25 characters at 0xb8000$", bios.output, re.M
    )
    assert not re.search(r"^framebuffer:", bios.output, re.M)
    assert re.search(
        r"^firmware: BIOS \(no UEFI system table from the boot loader\)$", bios.output, re.M
    )
    assert re.search(r"^firmware: UEFI, 64-bit \(system table at 0x[0-9a-f]+\)$", run.output, re.M)
    assert re.search(
        r"^console: serial COM1 and framebuffer, 128x48 characters \(font 8x16\)$", run.output, re.M
    )
    fb = re.search(
        r"^framebuffer: 1024x768, 32 bits per pixel \(RGB\), pitch (\d+), at 0x([0-9a-f]+)$",
        run.output,
        re.M,
    )
    assert fb, "the framebuffer's geometry must be in the boot report"
    assert int(fb[1]) >= 1024 * 4
    assert int(fb[2], 16) >= 0x3000_0000, "QEMU's framebuffer lies above the 768 MiB direct map"


def test_commands_print_the_same_on_both(bios: Run, uefi: tuple[Run, Shell]) -> None:
    run, _ = uefi
    assert run.results == bios.results
    assert run.results["echo same on both firmwares"] == "same on both firmwares\n"
    assert "sh" in run.results["ls /bin"].split()


def test_framebuffer_shows_what_the_vga_screen_shows(bios: Run, uefi: tuple[Run, Shell]) -> None:
    """After the same commands, the framebuffer's last 25 rows are the VGA screen's 25 rows."""
    run, _ = uefi
    assert len(bios.screen) == 25 and len(run.screen) == 48
    last_program = bios.results["ls /bin"].splitlines()[-1]
    assert bios.screen[-2:] == [last_program, "$"]  # the end of ls /bin, then the prompt
    assert run.screen[-25:] == bios.screen


def test_framebuffer_shows_the_serial_console(uefi: tuple[Run, Shell], tmp_path: Path) -> None:
    _, sh = uefi
    before = screendump(sh.machine, tmp_path / "before.ppm")
    assert (before.width, before.height) == (1024, 768)
    assert before.text()[-1] == "$", "the prompt, its cursor after it"
    sh.run("echo framebuffer check one")
    after = screendump(sh.machine, tmp_path / "after.ppm")
    assert after.ppm != before.ppm, "the picture must change when a command prints"
    row = after.text().index("framebuffer check one")
    band = after.rows[row * 16 : (row + 1) * 16]  # the pixel rows of that line of text
    assert sum(sum(pixels) for pixels in band) > 100, "the output's pixels are lit"
    assert band != before.rows[row * 16 : (row + 1) * 16]
    screen = [line for line in after.text() if line]
    serial = [line.rstrip() for line in sh.machine.output().splitlines() if line.strip()]
    assert screen[-3:] == ["$ echo framebuffer check one", "framebuffer check one", "$"]
    assert screen[-12:] == serial[-12:]
    assert "framebuffer check one" not in before.text()


def test_framebuffer_scrolls(uefi: tuple[Run, Shell], tmp_path: Path) -> None:
    _, sh = uefi
    for n in range(SCROLL_LINES // 2):
        sh.run(f"echo scrolled line {n}")
    screen = screendump(sh.machine, tmp_path / "scrolled.ppm").text()
    serial = [line.rstrip() for line in sh.machine.output().splitlines()]
    assert len(screen) == 48
    assert not screen[0].startswith("Ringlet"), "the banner must have scrolled off"
    assert screen == serial[-48:], "every row on the screen is a line of the serial console"
    assert "\ufffd" not in "".join(screen), "every cell holds a glyph of the font"


def test_keyboard_types_into_the_shell_on_uefi(uefi: tuple[Run, Shell]) -> None:
    """The PS/2 keyboard still works once OVMF has handed the machine over."""
    _, sh = uefi
    machine = sh.machine
    assert machine.config.qmp_socket is not None
    start = len(machine.output())
    for key in ["e", "c", "h", "o", "spc", "u", "e", "f", "i", "ret"]:
        qmp_execute(
            machine.config.qmp_socket, "send-key", {"keys": [{"type": "qcode", "data": key}]}
        )
        time.sleep(0.05)
    machine.wait_for(r"echo uefi\nuefi\n", 30, start=start)
    machine.wait_for(Shell.PROMPT, 30, start=start + 5)
