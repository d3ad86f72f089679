"""The Python side of the initrd and of busybox's test suite, on the host: the modes
make_initrd gives, /etc from user/etc, the runner script and the reading of runtest's verdicts
(tools/ringlet/ramdisk.py, tools/ringlet/busybox_testsuite.py)."""

from __future__ import annotations

import tarfile
from pathlib import Path

from ringlet.busybox_testsuite import parse_results, run_script
from ringlet.paths import MOTD
from ringlet.ramdisk import make_initrd, ringlet_files


def modes(archive: Path) -> dict[str, int]:
    with tarfile.open(archive) as tar:
        return {m.name: m.mode for m in tar.getmembers() if m.isfile()}


def test_initrd_modes(tmp_path: Path) -> None:
    script = tmp_path / "script.tests"
    script.write_text("#!/bin/sh\necho hi\n")
    script.chmod(0o755)
    plain = tmp_path / "data.txt"
    plain.write_text("data\n")
    plain.chmod(0o644)
    files = {
        "/a/script.tests": script,
        "/a/data.txt": plain,
        "/a/elf": b"\x7fELF" + bytes(12),
        "/a/run.sh": b"#!/bin/sh\n",
        "/a/other": b"text\n",
    }
    got = modes(make_initrd(files, tmp_path / "initrd.tar", executable={"/a/run.sh"}))
    assert got == {
        "a/script.tests": 0o755,  # a host file with an execute bit
        "a/data.txt": 0o644,
        "a/elf": 0o755,
        "a/run.sh": 0o755,  # named executable
        "a/other": 0o644,
    }


def test_etc_comes_from_user_etc(tmp_path: Path) -> None:
    files = ringlet_files(tmp_path, MOTD)
    assert {"/etc/motd", "/etc/passwd", "/etc/group", "/etc/hostname"} <= set(files)
    assert files["/etc/passwd"].read_text().startswith("root:x:0:0:")


def test_run_script_names_the_applets_and_builds_its_marker_at_run_time() -> None:
    text = run_script(["cat", "sed"]).decode()
    assert "./runtest cat sed\n" in text
    assert "LANG=C.UTF-8" in text
    assert "runtest finished, status" not in text  # the marker only exists when it runs


def test_parse_results() -> None:
    output = (
        "PASS: cat-prints-a-file\r\n"
        "FAIL: sed embedded NUL\n"
        "SKIPPED: awk large integer\n"
        "UNTESTED: foo\n"
        "PASS: seq (exit with error)\n"
        "PASS: seq (exit with error)\n"
        "noise PASS: not a verdict\n"
        "runtest finished, status 1\n"
    )
    results = parse_results(output)
    assert results.finished
    assert results.count("PASS") == 3
    assert results.names("FAIL") == ["sed embedded NUL"]
    assert results.names("SKIPPED") == ["awk large integer"]
    assert results.names("UNTESTED") == ["foo"]
    assert not parse_results("PASS: x\n").finished
