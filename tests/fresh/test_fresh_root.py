"""The two commands on a fresh Debian 12 machine (issue 9, item 1): `./ringlet test --fresh-root`.

A green run on the developer's machine hides whatever was installed there by hand (gcc-multilib
was). This test builds a new Debian root with debootstrap, carries in the host's package-client
configuration as a new machine of this kind has it, clones the project at HEAD into it and runs
`./ringlet test` (which must install everything itself) and `./ringlet run` (which must reach the
shell prompt) there. tests/fresh/freshroot.py does the work inside a private mount and pid
namespace, so no mount and no process of the run can outlive it; see docs/testing.md.

Only the committed state is tested (the clone is of HEAD). It takes about as long as the whole
suite again plus debootstrap and apt, so the plain `./ringlet test` skips it (tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from freshroot import mounts_under
from ringlet.paths import BUILD, ROOT
from ringlet.process import dies_with_this_process

WORK = BUILD / "fresh-root"
DRIVER = Path(__file__).with_name("freshroot.py")
TIMEOUT = 80 * 60
# The namespace's init is the driver; when it dies the kernel ends everything in the namespace
# and drops its mounts. --kill-child ends the driver when unshare dies (and unshare dies with
# this process: parent-death signal).
UNSHARE = ["unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc"]
UNSHARE += ["--kill-child"]


def tail(path: str | Path, lines: int = 60) -> str:
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return f"--- {path} (last {lines} lines) ---\n" + "\n".join(text.splitlines()[-lines:])


def head_commit() -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.fresh_root
def test_both_commands_work_on_a_fresh_debian_12_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root (debootstrap, mount, chroot)")
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "result.json").unlink(missing_ok=True)  # the driver writes a new one
    commit = head_commit()
    driver_log = WORK / "driver.log"
    argv = [*UNSHARE, "--", sys.executable, str(DRIVER)]
    argv += ["--work", str(WORK), "--source", str(ROOT), "--commit", commit]
    print(f"fresh root: testing commit {commit}; logs in {WORK / 'logs'}", file=sys.stderr)
    with open(driver_log, "wb") as log:
        proc = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, preexec_fn=dies_with_this_process()
        )
        try:
            code = proc.wait(TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()  # unshare: --kill-child then ends the whole namespace
                proc.wait()

    # Whatever happened inside, no mount under the root is left here, nor was in the namespace
    # after the driver's own cleanup.
    assert mounts_under(WORK) == []
    result = json.loads((WORK / "result.json").read_text())
    assert result["mounts_left"] == [], result["mounts_left"]
    assert result["commit"] == commit

    steps = result["steps"]
    failed = [name for name, step in steps.items() if step["status"] != "passed"]
    if failed or code != 0:
        logs = "\n".join(tail(steps[name]["log"]) for name in failed)
        notes = {name: steps[name]["notes"] for name in failed}
        pytest.fail(f"fresh root: {failed} failed {notes}\n{logs}\n{tail(driver_log)}")
    assert list(steps) == [
        "remove-old-root",
        "debootstrap",
        "configure",
        "clone",
        "mount",
        "inner-test",
        "inner-run",
    ]

    # ./ringlet test installed what the fresh root lacked, then the whole suite passed, and the
    # suite inside did not run this test again.
    inner = Path(steps["inner-test"]["log"]).read_text(errors="replace")
    assert "+ apt-get install -y" in inner and "gcc-multilib" in inner
    assert "-m venv" in inner
    summaries = re.findall(r"^=+ (.*) in [\d.]+s\b.*=+$", inner, re.M)
    assert summaries, "no pytest summary line in the inner run"
    summary = summaries[-1]
    assert re.match(r"\d+ passed", summary), summary
    assert "failed" not in summary and "error" not in summary, summary
    assert re.search(r"SKIPPED \[1\] tests/fresh/test_fresh_root\.py.*--fresh-root", inner)
    assert "freshroot: ./ringlet test exited with status 0" in inner

    # ./ringlet run reached the shell and powered off when told.
    run = Path(steps["inner-run"]["log"]).read_text(errors="replace")
    assert "init: starting /bin/sh" in run
    assert "freshroot: saw the prompt; typing poweroff" in run
    assert "ringlet: power off (asked by pid" in run
    assert "panic" not in run
    assert "freshroot: ./ringlet run exited with status 0" in run
