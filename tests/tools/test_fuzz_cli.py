"""The fuzz and soak commands' usage errors: one line and status 2, before anything boots."""

from __future__ import annotations

import pytest

from ringlet.cli import main


@pytest.mark.parametrize(
    "argv, message",
    [
        (["fuzz"], "the following arguments are required: TARGET"),
        (["fuzz", "kernel"], "invalid choice: 'kernel'"),
        (["fuzz", "syscalls", "--procs", "17"], "--procs must be 1..16"),
        (["fuzz", "syscalls", "--calls", "0"], "expected a positive number, got 0"),
        (["soak", "--minutes", "-1"], "expected a positive number of seconds"),
    ],
)
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
