"""Busybox's own test suite (testsuite/ of Debian's busybox source, the binary's version), run on
Ringlet by busybox's sh with busybox's runtest, over the applets the issue names. Every test
that passes under Linux must pass here: the known failures below fail under Linux too (each is
one of busybox's own known bugs, in the suite's SKIP_KNOWN_BUGS blocks), and a new failure
fails this test. Skips with the reason when the package or its source cannot be had.

Cost: one boot of about 50 s of the 10-minute budget on 2 cores (docs/busybox-testsuite.md)."""

from __future__ import annotations

import pytest

from harness import (
    PANIC,
    TEST_OUTPUT,
    boot,
    free_frames_at_start_and_end,
    heap_bytes_at_start_and_end,
)
from ringlet.errors import SetupError
from ringlet.image import Module

pytestmark = pytest.mark.boots

APPLETS = (
    "cat wc sed tr head tail sort cut uniq expr basename dirname grep xargs find ls cp mv rm "
    "mkdir ln touch printf echo test seq md5sum awk"
).split()

# At the time of writing: 468 PASS, 3 FAIL (below), 1 SKIPPED (below) — the same as on Linux.
PASS_FLOOR = 468

KNOWN_FAILURES = {
    "sed embedded NUL": "busybox's known bug: s/// does not go past a NUL byte in a line",
    "sed NUL in command": "busybox's known bug: a NUL in a -f script ends the command",
    "sed nonexistent label": "busybox's known bug: a jump to a missing label is not reported",
}

KNOWN_SKIPS = {
    "awk large integer": "needs FEATURE_AWK_LIBM, which Debian's static build leaves out",
}


@pytest.fixture(scope="module")
def suite_output() -> str:
    from ringlet.busybox import busybox_binary
    from ringlet.busybox_testsuite import testsuite_initrd

    try:
        binary = busybox_binary()
        initrd = testsuite_initrd(APPLETS, TEST_OUTPUT / "busybox_testsuite" / "initrd.tar")
    except SetupError as e:
        pytest.skip(f"Debian's busybox-static or its source cannot be had here: {e}")
    modules = [Module(initrd, "initrd"), Module(binary, "sh /bb/run.sh")]
    with boot(
        "busybox_testsuite", modules=modules, cmdline="init=none", memory_mib=256, deadline=300
    ) as machine:
        status = machine.wait_exit(timeout=290)
        out = machine.output()
        machine.assert_absent(PANIC)
    assert status == 0, f"run.sh ends with status 0 after runtest (got {status})"
    return out


def test_busybox_testsuite(suite_output: str) -> None:
    from ringlet.busybox_testsuite import parse_results

    results = parse_results(suite_output)
    assert results.finished, "runtest ran to its end"
    failures = set(results.names("FAIL"))
    skips = set(results.names("SKIPPED")) | set(results.names("UNTESTED"))
    summary = f"{results.count('PASS')} PASS, {len(failures)} FAIL, {len(skips)} SKIPPED/UNTESTED"
    (TEST_OUTPUT / "busybox_testsuite.txt").write_text(summary + "\n")
    new = sorted(failures - set(KNOWN_FAILURES))
    assert not new, f"new failures ({summary}): {new}"
    fixed = sorted(set(KNOWN_FAILURES) - failures - set(results.names("PASS")))
    assert not fixed, f"known failures that did not run at all: {fixed}"
    passing = sorted(set(KNOWN_FAILURES) & set(results.names("PASS")))
    assert not passing, f"known failures that pass now (take them off the list): {passing}"
    assert skips == set(KNOWN_SKIPS), f"skipped: {sorted(skips)}"
    assert results.count("PASS") >= PASS_FLOOR, summary


def test_busybox_testsuite_gives_the_memory_back(suite_output: str) -> None:
    """Every file the tests made is gone at the end (run.sh removes runtest's applet links), and
    so is every frame and heap byte they took."""
    start, end = free_frames_at_start_and_end(suite_output)
    assert start == end, f"{start - end} frames did not come back"
    heap_start, heap_end = heap_bytes_at_start_and_end(suite_output)
    assert heap_start == heap_end, f"{heap_end - heap_start} heap bytes did not come back"
