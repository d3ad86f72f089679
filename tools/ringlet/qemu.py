"""QEMU: the command line (one function, easy to test) and the Machine that owns a running QEMU.

How the kernel's ending reaches us: the kernel writes a stop reason to QEMU's isa-debug-exit
device at port 0xf4, and QEMU exits with status 2 * reason + 1. A machine that resets instead
(a triple fault) makes QEMU exit 0, because we pass -no-reboot.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ringlet.errors import RingletError
from ringlet.process import dies_with_this_process

# ./ringlet run's exit statuses (a contract: see README).
EXIT_POWER_OFF = 0
EXIT_PANIC = 1
EXIT_USAGE = 2
EXIT_PROCESS_FAILED = 3
EXIT_TIMEOUT = 124

DEBUG_EXIT_PORT = 0xF4

# UEFI firmware for x86_64 machines from Debian's ovmf package: the code read-only, and a
# template of the variable store, which each run uses as a throw-away copy (snapshot=on).
OVMF_CODE = Path("/usr/share/OVMF/OVMF_CODE_4M.fd")
OVMF_VARS = Path("/usr/share/OVMF/OVMF_VARS_4M.fd")
_QEMU_STATUS_TO_EXIT = {1: EXIT_POWER_OFF, 3: EXIT_PANIC, 5: EXIT_PROCESS_FAILED}


# The CPUs ./ringlet run gives the machine unless told (--cpus), and the variable through which
# ./ringlet test --cpus N tells tests/harness.py how many each test machine gets.
DEFAULT_CPUS = 2
TEST_CPUS_VARIABLE = "RINGLET_TEST_CPUS"


@dataclass
class QemuConfig:
    iso: Path
    memory_mib: int = 128
    cpus: int = 1  # -smp: the CPUs the machine has
    window: bool = False
    interactive: bool = False  # stdin is a terminal: Ctrl-A X quits, Ctrl-C goes to Ringlet
    qmp_socket: Path | None = None
    uefi: bool = False  # boot through OVMF (64-bit UEFI) instead of the BIOS
    extra_args: list[str] = field(default_factory=list)
    # Another kernel booted by QEMU itself (-kernel, -initrd, -append) instead of the ISO.
    linux: tuple[Path, Path, str] | None = None


def qemu_argv(config: QemuConfig) -> list[str]:
    """The whole QEMU command line for config.

    UEFI runs use qemu-system-x86_64: Debian's OVMF is a 64-bit firmware, and x86_64 GRUB's
    multiboot2 loader still enters the 32-bit kernel in 32-bit protected mode, as on a PC.
    """
    argv = [
        "qemu-system-x86_64" if config.uefi else "qemu-system-i386",
        "-machine",
        "pc",
        "-m",
        str(config.memory_mib),
        "-smp",
        str(config.cpus),
        *(
            _direct_boot(config.linux)
            if config.linux
            else ["-cdrom", str(config.iso), "-boot", "d"]
        ),
        "-no-reboot",
        "-nic",
        "none",
        "-serial",
        "mon:stdio" if config.interactive else "stdio",
        "-device",
        f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=0x04",
    ]
    if config.uefi:
        argv += [
            "-drive",
            f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
            "-drive",
            f"if=pflash,format=raw,unit=1,snapshot=on,file={OVMF_VARS}",
        ]
    if not config.interactive:
        argv += ["-monitor", "none"]
    if not config.window:
        argv += ["-display", "none"]
    if config.qmp_socket is not None:
        argv += ["-qmp", f"unix:{config.qmp_socket},server=on,wait=off"]
    return argv + list(config.extra_args)


def _direct_boot(linux: tuple[Path, Path, str]) -> list[str]:
    kernel, initrd, append = linux
    return ["-kernel", str(kernel), "-initrd", str(initrd), "-append", append]


def exit_status(qemu_returncode: int) -> int:
    """Turns QEMU's exit status into ringlet run's (0 power-off, 1 panic, 3 a process failed)."""
    return _QEMU_STATUS_TO_EXIT.get(qemu_returncode, EXIT_PANIC)


def describe_end(qemu_returncode: int) -> str:
    if qemu_returncode in _QEMU_STATUS_TO_EXIT:
        return {1: "powered off", 3: "kernel panic", 5: "a process failed"}[qemu_returncode]
    if qemu_returncode == 0:
        return "the machine reset itself (triple fault?)"
    return f"QEMU failed with status {qemu_returncode}"


class MachineError(RingletError):
    """Something went wrong with a booted machine; the message names its serial log."""


class _SerialPump(threading.Thread):
    """Copies QEMU's serial output into a log file, a buffer, and optionally a terminal."""

    def __init__(self, source: IO[bytes], log: IO[bytes], echo: IO[bytes] | None) -> None:
        super().__init__(daemon=True)
        self.source, self.log, self.echo = source, log, echo
        self.buffer = bytearray()
        self.changed = threading.Condition()

    def run(self) -> None:
        while chunk := self.source.read1(4096):
            self.log.write(chunk)
            self.log.flush()
            if self.echo is not None:
                self.echo.write(chunk)
                self.echo.flush()
            with self.changed:
                self.buffer += chunk
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def text(self) -> str:
        with self.changed:
            return self.buffer.decode("utf-8", "replace").replace("\r\n", "\n")


class Machine:
    """A running Ringlet in QEMU, owned by a `with` block with a deadline.

    The serial console is a pipe: read it with wait_for(), write it with send(). The whole
    serial output is kept in log_path under build/, and every failure names that file and a
    picture of the screen beside it (NAME.png), taken while QEMU still ran.
    """

    _sockets = 0  # QMP sockets made by this process, for unique names

    def __init__(
        self,
        config: QemuConfig,
        log_path: Path,
        *,
        deadline: float | None = 60.0,
        stdin_from_terminal: bool = False,
        echo: IO[bytes] | None = None,
        own_process_group: bool = False,
    ) -> None:
        """own_process_group: QEMU leaves the terminal's Ctrl-C alone (./ringlet gdb)."""
        if config.qmp_socket is None:  # every machine can be photographed (screenshot())
            Machine._sockets += 1
            name = f"ringlet-qmp-{os.getpid()}-{Machine._sockets}.sock"
            config = dataclasses.replace(config, qmp_socket=Path(tempfile.gettempdir()) / name)
            self._own_socket = True
        else:
            self._own_socket = False
        self.config = config
        self.own_process_group = own_process_group
        self.log_path = log_path
        self.deadline = deadline
        self.stdin_from_terminal = stdin_from_terminal
        self.echo = echo
        self.argv = qemu_argv(config)
        self.returncode: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._pump: _SerialPump | None = None
        self._started = 0.0

    # ---- lifecycle ----
    def __enter__(self) -> Machine:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.with_suffix(".png").unlink(missing_ok=True)  # pictures are of this run
        self._log = open(self.log_path, "wb")
        self._stderr_path = self.log_path.with_suffix(".qemu-stderr")
        self._stderr = open(self._stderr_path, "wb")
        try:
            # QEMU dies with this process on every path, SIGKILL included (see process.py).
            self._proc = subprocess.Popen(
                self.argv,
                stdin=None if self.stdin_from_terminal else subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                preexec_fn=dies_with_this_process(),
                process_group=0 if self.own_process_group else None,
            )
        except OSError as e:
            self._close_files()
            raise MachineError(f"cannot start QEMU ({e.strerror}): {' '.join(self.argv)}") from None
        try:
            return self._watch_start()
        except BaseException:
            self.shutdown()  # __exit__ will not run when __enter__ fails
            raise

    def _watch_start(self) -> Machine:
        """Starts copying the serial output; fails when QEMU refuses its options at once."""
        assert self._proc is not None
        self._started = time.monotonic()
        assert self._proc.stdout is not None
        self._pump = _SerialPump(self._proc.stdout, self._log, self.echo)
        self._pump.start()
        # QEMU refuses bad options at once; show the command and what it said.
        try:
            code = self._proc.wait(timeout=0.3)
        except subprocess.TimeoutExpired:
            return self
        if code not in _QEMU_STATUS_TO_EXIT and not self.output():
            self._pump.join(1)
            self._close_files()
            raise MachineError(
                f"QEMU exited at once with status {code}\n  command: {' '.join(self.argv)}\n"
                f"  QEMU said: {self._stderr_path.read_text(errors='replace').strip()}"
            )
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()

    def screenshot(self, png: Path) -> bool:
        """Writes the screen as QEMU shows it to png; False when QEMU cannot answer (it has
        ended, or someone else holds its QMP connection)."""
        from ringlet.screen import ScreenError, screenshot

        if self._proc is None or self._proc.poll() is not None:
            return False
        assert self.config.qmp_socket is not None
        try:
            screenshot(self.config.qmp_socket, png)
        except (OSError, ScreenError, ValueError):
            return False
        return True

    def shutdown(self) -> None:
        """Pictures the screen (NAME.png beside the log) if QEMU still runs, asks QEMU to stop
        (SIGTERM), then forces it (SIGKILL); keeps the log."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            self.screenshot(self.log_path.with_suffix(".png"))
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc is not None and self.returncode is None:
            self.returncode = proc.returncode
        if self._pump is not None:
            self._pump.join(5)
        self._close_files()
        symbolize_log_in_place(self.log_path)

    def _close_files(self) -> None:
        for f in (getattr(self, "_log", None), getattr(self, "_stderr", None)):
            if f is not None and not f.closed:
                f.close()
        if self._proc is not None and self._proc.stdin is not None:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
        if self._own_socket and self.config.qmp_socket is not None:
            self.config.qmp_socket.unlink(missing_ok=True)

    # ---- talking to the machine ----
    def remaining(self) -> float | None:
        """Seconds left before the deadline; None when there is no deadline."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - (time.monotonic() - self._started))

    def output(self) -> str:
        """Everything the machine has printed on its serial port so far ("\\r\\n" as "\\n")."""
        return self._pump.text() if self._pump else ""

    def fail(self, message: str) -> MachineError:
        tail = "\n".join(self.output().splitlines()[-15:])
        picture = self.log_path.with_suffix(".png")
        screen = f"\n  screen: {picture}" if self.screenshot(picture) else ""
        return MachineError(
            f"{message}\n  serial log: {self.log_path}{screen}\n  last lines:\n{tail}"
        )

    def wait_for(self, pattern: str, timeout: float | None = None, start: int = 0) -> re.Match[str]:
        """Waits until the serial output (from offset start) matches the regex pattern."""
        assert self._pump is not None
        regex = re.compile(pattern, re.MULTILINE)
        if timeout is None:
            timeout = self.remaining()
        limit = time.monotonic() + (timeout if timeout is not None else 1e9)
        with self._pump.changed:
            while True:
                text = self._pump.buffer.decode("utf-8", "replace").replace("\r\n", "\n")
                match = regex.search(text, start)
                if match:
                    return match
                if not self._pump.is_alive():
                    raise self.fail(f"machine stopped before printing /{pattern}/")
                left = limit - time.monotonic()
                if left <= 0:
                    raise self.fail(f"timed out waiting for /{pattern}/")
                self._pump.changed.wait(min(left, 0.5))

    def send(self, text: str | bytes) -> None:
        """Types text on the serial console."""
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.write(text if isinstance(text, bytes) else text.encode())
        self._proc.stdin.flush()

    def close_input(self) -> None:
        """Ends the serial console's input, as the end of a pipe does."""
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.close()

    def wait_exit(self, timeout: float | None = None) -> int:
        """Waits for the machine to stop by itself; returns ringlet run's exit status for it."""
        assert self._proc is not None
        try:
            code = self._proc.wait(timeout=self.remaining() if timeout is None else timeout)
        except subprocess.TimeoutExpired:
            raise self.fail("timed out waiting for the machine to stop") from None
        self.returncode = code
        if self._pump is not None:
            self._pump.join(5)
        return exit_status(code)

    def assert_absent(self, pattern: str) -> None:
        """Fails when the serial output so far matches pattern (for example "panic")."""
        match = re.search(pattern, self.output(), re.MULTILINE)
        if match:
            raise self.fail(f"output must not contain /{pattern}/ but has {match.group(0)!r}")


def symbolize_log_in_place(log_path: Path) -> None:
    """Adds function+offset after kernel addresses in a kept log (needs pyelftools)."""
    try:
        from ringlet.symbolize import Symbolizer
    except ImportError:
        return
    from ringlet.paths import KERNEL_ELF

    if not KERNEL_ELF.exists() or not log_path.exists():
        return
    text = log_path.read_text(errors="replace")
    annotated = Symbolizer.for_elf(KERNEL_ELF).annotate(text)
    if annotated != text:
        log_path.write_text(annotated)


def default_log_dir() -> Path:
    from ringlet.paths import BUILD

    return BUILD / "logs"


def stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty() and os.isatty(0)
