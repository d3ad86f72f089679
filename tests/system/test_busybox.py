"""Debian's busybox-static (i386, static glibc), fetched by Debian's own client, run unmodified:
its shell on scripts with 20-odd applets, and interactively on the serial console, typed as a
person types. Skips with the reason when the package cannot be had; never passes silently."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from harness import PANIC, boot, free_frames_at_start_and_end
from ringlet.image import Module
from ringlet.paths import MOTD, ROOT
from ringlet.qemu import Machine

pytestmark = pytest.mark.boots

SCRIPT = ROOT / "tests" / "data" / "busybox_script.sh"
# The busybox fixture (the binary and an initrd with its applets) is in conftest.py.
PROMPT = r"(?m)^/ # "


class Typist:
    """Types into a machine with a pause before each input, as a person types, and waits for
    what the input should bring, each search starting where the last match ended."""

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        machine.wait_for(PROMPT, timeout=60)
        self.mark = len(machine.output())

    def typed(self, text: str, expect: str, timeout: float = 20) -> str:
        time.sleep(1.0)
        self.machine.send(text)
        match = self.machine.wait_for(expect, timeout=timeout, start=self.mark)
        self.mark = match.end()
        return match.group(0)


def test_busybox_sh_runs_a_script_of_applets(busybox: tuple[Path, Path]) -> None:
    binary, initrd = busybox
    modules = [
        Module(initrd, "initrd"),
        Module(binary, "sh /mod/busybox_script.sh"),
        Module(SCRIPT, "busybox_script.sh"),
    ]
    with boot("busybox_script", modules=modules, cmdline="init=none", deadline=120) as machine:
        status = machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
    results = dict(re.findall(r"^R(\d+): (.*)$", out, re.M))
    motd_size = len(MOTD.read_bytes())
    expected = {
        "1": "42",
        "2": "55",
        "3": "a,b,c,",
        "4": "TWO",
        "5": "b1946ac92492",  # md5 of "hello\n"
        "6": "43",
        "7": "3",
        "8": "3",
        "9": "1",
        "10": "sed worked",
        "11": "doc /usr/share",
        "13": f"{motd_size} {motd_size}",
        "14": "tests pass",
        "15": "144",
        "16": "heredoc 5",
        "17": "subshell status 3",
        "18": "background 4",
        "19": "slept 1",
        "20": "cracecar",
        "21": "trap on exit",
    }
    for key, value in expected.items():
        assert results.get(key) == value, f"R{key}: got {results.get(key)!r}, want {value!r}"
    assert int(results["12"]) > 100, "ls /bin lists busybox's applets"
    assert status == 0
    start, end = free_frames_at_start_and_end(out)
    assert start == end


def test_busybox_interactive_shell_over_serial(busybox: tuple[Path, Path]) -> None:
    """Prompt, a command, backspace, history with the up arrow, Ctrl-C ending a foreground
    sleep, a pipeline, and exit (init starts a new shell) — with pauses, as a person types."""
    _, initrd = busybox
    with boot("busybox_interactive", modules=[Module(initrd, "initrd")], deadline=120) as machine:
        typist = Typist(machine)
        typed = typist.typed

        typed("echo $((6*7))\n", r"(?m)^42\r?$")
        typed("echo abx\x7fc\n", r"(?m)^abc\r?$")  # backspace over the x
        typed("\x1b[A\n", r"(?m)^abc\r?$")  # up arrow: the last command again
        typed("seq 4 | awk '{s+=$1} END {print s*10}'\n", r"(?m)^100\r?$")
        time.sleep(1.0)
        machine.send("sleep 30\n")
        time.sleep(2.0)
        before = time.monotonic()
        machine.send("\x03")  # Ctrl-C
        typed("echo after-$((1+1))\n", r"(?m)^after-2\r?$")
        assert time.monotonic() - before < 15, "Ctrl-C ended the sleep"
        typed("exit\n", r"init: sh exited \(status \d+\); starting a new one")
        machine.wait_for(PROMPT, timeout=30, start=typist.mark)
        machine.send("poweroff\n")
        assert machine.wait_exit() == 0
        machine.assert_absent(PANIC)


def test_busybox_job_control_over_serial(busybox: tuple[Path, Path]) -> None:
    """Ctrl-Z stops busybox's foreground sleep (ash sees it through WUNTRACED and says
    Stopped), jobs lists it, fg brings it back and waits for it, bg lets another one finish in
    the background — typed with pauses, as a person types."""
    _, initrd = busybox
    with boot("busybox_jobs", modules=[Module(initrd, "initrd")], deadline=120) as machine:
        typist = Typist(machine)
        typed = typist.typed

        typed("sleep 4\n", r"sleep 4\r?\n")
        typed("\x1a", r"(?m)^\[1\]\+\s+Stopped\s+sleep 4\r?$")  # Ctrl-Z
        typed("jobs\n", r"(?m)^\[1\]\+\s+Stopped\s+sleep 4\r?$")
        before = time.monotonic()
        typed("fg\n", r"(?m)^sleep 4\r?$")
        typed("echo back-$((2+3))\n", r"(?m)^back-5\r?$")
        assert time.monotonic() - before < 15, "fg waited for the rest of the sleep"
        typed("sleep 2\n", r"sleep 2\r?\n")
        typed("\x1a", r"(?m)^\[1\]\+\s+Stopped\s+sleep 2\r?$")
        typed("bg\n", r"(?m)^\[1\]\+? sleep 2\r?$")
        time.sleep(3.0)
        typed("echo after-bg\n", r"(?m)^\[1\]\+\s+Done\s+sleep 2\r?$")
        machine.send("poweroff\n")
        assert machine.wait_exit() == 0
        machine.assert_absent(PANIC)
