"""The VGA screen and the PS/2 keyboard, seen and driven through QEMU's monitor (QMP)."""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from qemu.qmp.legacy import QEMUMonitorProtocol

from harness import PANIC, TEST_OUTPUT, Shell, boot, default_initrd_module

pytestmark = pytest.mark.boots

VGA_TEXT = 0xB8000
ROWS, COLUMNS = 25, 80


@pytest.fixture(scope="module")
def session() -> Iterator[tuple[Shell, QEMUMonitorProtocol]]:
    out = TEST_OUTPUT / "consoles"
    out.mkdir(parents=True, exist_ok=True)
    socket = Path(tempfile.gettempdir()) / f"ringlet-qmp-{os.getpid()}.sock"
    with boot("consoles", modules=[default_initrd_module(out)], qmp_socket=socket) as machine:
        sh = Shell(machine)
        qmp = QEMUMonitorProtocol(str(socket))
        qmp.connect()
        try:
            yield sh, qmp
        finally:
            qmp.close()
            socket.unlink(missing_ok=True)
        machine.assert_absent(PANIC)


def screen_lines(qmp: QEMUMonitorProtocol, dump: Path) -> list[str]:
    """The 25 rows of the text screen, read from guest memory with pmemsave."""
    qmp.cmd("pmemsave", val=VGA_TEXT, size=ROWS * COLUMNS * 2, filename=str(dump))
    cells = dump.read_bytes()
    chars = bytes(cells[0::2]).decode("latin-1")
    return [chars[r * COLUMNS : (r + 1) * COLUMNS].rstrip() for r in range(ROWS)]


def test_vga_screen_shows_the_same_last_lines_as_serial(
    session: tuple[Shell, QEMUMonitorProtocol], tmp_path: Path
) -> None:
    sh, qmp = session
    sh.run("echo vga check one")
    sh.run("echo vga check two")
    screen = [line for line in screen_lines(qmp, tmp_path / "vga.bin") if line]
    serial = [line.rstrip() for line in sh.machine.output().splitlines() if line.strip()]
    assert screen[-5:] == [
        "$ echo vga check one",
        "vga check one",
        "$ echo vga check two",
        "vga check two",
        "$",  # the prompt waiting for input ("$ " with its space trimmed)
    ]
    assert screen[-5:] == serial[-5:]


def test_keyboard_types_into_the_shell(session: tuple[Shell, QEMUMonitorProtocol]) -> None:
    sh, qmp = session
    machine = sh.machine
    start = len(machine.output())
    keys = ["e", "c", "h", "o", "spc", "k", "b", "d", "spc", "shift-1", "ret"]
    for key in keys:
        parts = key.split("-")
        qmp.cmd("send-key", keys=[{"type": "qcode", "data": p} for p in parts])
        time.sleep(0.05)
    machine.wait_for(r"echo kbd !\nkbd !\n", 30, start=start)
    machine.wait_for(Shell.PROMPT, 30, start=start + 5)


def test_ctrl_z_from_the_keyboard_stops_a_job(session: tuple[Shell, QEMUMonitorProtocol]) -> None:
    """Ctrl-Z typed on the PS/2 keyboard stops the shell's foreground job, as on serial."""
    sh, qmp = session
    machine = sh.machine
    start = len(machine.output())
    machine.send("sleep 5\n")
    machine.wait_for(r"sleep 5\n", 30, start=start)
    time.sleep(1.0)
    qmp.cmd("send-key", keys=[{"type": "qcode", "data": k} for k in ("ctrl", "z")])
    stopped = machine.wait_for(r"\[(\d+)\] stopped \(signal 20\): sleep\n", 30, start=start)
    machine.wait_for(Shell.PROMPT, 30, start=stopped.end())
    time.sleep(1.0)
    assert re.search(rf"^\[{stopped.group(1)}\] stopped sleep$", sh.run("jobs"), re.M)
    time.sleep(1.0)
    sh.run(f"kill -KILL {stopped.group(1)}", timeout=30)
    time.sleep(1.0)
    assert "stopped" not in sh.run("jobs"), "a stopped job that was killed leaves the list"
