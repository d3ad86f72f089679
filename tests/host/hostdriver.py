"""Talking to a host driver: a C program under build/host/ that answers requests on stdin.

The drivers (tests/host/drivers/*.c) are built with AddressSanitizer and UBSan, which abort the
program on the first error. HostDriver keeps one driver process running for many requests, and
when it dies (or hangs) fails the test with the request that killed it and the driver's stderr,
which holds the sanitizer report. The next request starts a fresh process.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO

from ringlet.paths import BUILD, HOST_BUILD

# Abort on the first error, with a stack trace; keep leak checking (reported at exit).
SANITIZER_ENV = {
    "ASAN_OPTIONS": "abort_on_error=1:detect_leaks=1:disable_coredump=1:color=never",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:color=never",
}


def describe_status(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def shorten(data: bytes, limit: int = 300) -> str:
    text = repr(data)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(data)} bytes)"


class HostDriver:
    """One persistent driver process: send a request, read its reply (lines of text)."""

    def __init__(self, name: str, *, timeout: float = 10.0) -> None:
        self.name = name
        self.path: Path = HOST_BUILD / name
        self.timeout = timeout
        self.requests = 0  # answered since the process started
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._pending = b""

    # --- process life ---

    def start(self) -> None:
        if not self.path.is_file():
            raise AssertionError(
                f"{self.path} is missing: build it with `make -C {BUILD.parent} host`"
            )
        env = dict(os.environ)
        for key, value in SANITIZER_ENV.items():
            env.setdefault(key, value)
        self._stderr = tempfile.TemporaryFile(prefix=f"{self.name}-stderr-")
        self._proc = subprocess.Popen(
            [str(self.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        self._pending = b""
        self.requests = 0

    def _stderr_text(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def _discard(self) -> None:
        if self._stderr is not None:
            self._stderr.close()
        self._proc = None
        self._stderr = None
        self._pending = b""

    def _fail(self, what: str, request: bytes) -> AssertionError:
        """Stops the process and builds the failure, with everything it wrote to stderr."""
        proc = self._proc
        assert proc is not None
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        assert proc.returncode is not None
        stderr = self._stderr_text().rstrip() or "(nothing on stderr)"
        message = (
            f"{self.name} {what} ({describe_status(proc.returncode)}) on request "
            f"{self.requests + 1} of this process: {shorten(request)}\n"
            f"--- {self.name} stderr ---\n{stderr}"
        )
        self._discard()
        return AssertionError(message)

    def close(self) -> None:
        """Ends the driver with EOF on stdin; fails unless it exits 0 with an empty stderr."""
        proc = self._proc
        if proc is None:
            return
        assert proc.stdin is not None
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise self._fail("did not exit at EOF", b"(EOF)") from None
        stderr = self._stderr_text().rstrip()
        code = proc.returncode
        if code != 0 or stderr:
            raise self._fail("ended badly", b"(EOF)")
        self._discard()

    # --- requests ---

    def _read_line(self, request: bytes, deadline: float) -> bytes:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._fail(f"gave no answer within {self.timeout:g} s", request)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise self._fail("died", request)
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return line

    def _send(self, request: bytes) -> None:
        if self._proc is None:
            self.start()
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        try:
            proc.stdin.write(request)
            proc.stdin.flush()
        except BrokenPipeError:
            raise self._fail("died", request) from None

    def ask(self, line: str) -> str:
        """Sends one request line and returns the one answer line (without the newline)."""
        request = line.encode("ascii") + b"\n"
        self._send(request)
        answer = self._read_line(request, time.monotonic() + self.timeout)
        self.requests += 1
        return answer.decode("ascii")

    def ask_lines(self, request: bytes, end: bytes = b".") -> list[bytes]:
        """Sends a binary request and returns the answer lines, up to the line `end`."""
        self._send(request)
        deadline = time.monotonic() + self.timeout
        lines: list[bytes] = []
        while (line := self._read_line(request, deadline)) != end:
            lines.append(line)
        self.requests += 1
        return lines


def hex_arg(data: bytes | str) -> str:
    """A byte string in the drivers' "xHEX" notation (str is taken as Latin-1)."""
    if isinstance(data, str):
        data = data.encode("latin-1")
    return "x" + data.hex()


def from_hex_arg(word: str) -> bytes:
    if not word.startswith("x"):
        raise AssertionError(f"expected xHEX from the driver, got {word!r}")
    return bytes.fromhex(word[1:])
