"""Busybox's own test suite on Ringlet: the `testsuite/` of Debian's busybox source package (the
same version as the busybox-static binary), run by busybox's sh with busybox's `runtest`.

`testsuite_initrd` makes an initrd with busybox and its applets (ringlet.busybox), and under
/bb: the binary, the build's `.config` (Debian's static flavour, debian/config/pkg/static:
runtest reads it to leave out tests of features that are not built), the testsuite as it is in
the source, and run.sh, which runs `./runtest APPLETS` in /bb/testsuite with LANG=C.UTF-8
(busybox looks there for UTF-8, as a Debian login has it), removes the applet links runtest
leaves, and then says it is done. `parse_results` reads runtest's PASS/FAIL/SKIPPED/UNTESTED
lines. docs/busybox-testsuite.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ringlet.busybox import PACKAGE, busybox_binary, busybox_initrd_parts
from ringlet.debian import fetch_source, source_of
from ringlet.errors import SetupError
from ringlet.ramdisk import make_initrd

DONE = "runtest finished, status"
RESULT = re.compile(r"^(PASS|FAIL|SKIPPED|UNTESTED): (.+?)\r?$", re.M)


def testsuite_source() -> Path:
    """The unpacked source tree of the busybox-static binary's own version (fetched once into
    build/debian/)."""
    busybox_binary()  # the binary first: its control file names the source and version
    name, version = source_of(PACKAGE)
    tree = fetch_source(name, version)
    for need in ("testsuite/runtest", "debian/config/pkg/static"):
        if not (tree / need).is_file():
            raise SetupError(f"Debian's {name} {version} source has no {need}")
    return tree


def run_script(applets: list[str]) -> bytes:
    """/bb/run.sh: runtest over applets in /bb/testsuite, then one line with its status (the
    marker is assembled at run time, so no listing of the script can pass for it)."""
    return (
        "#!/bin/sh\n"
        "export LANG=C.UTF-8  # busybox's ls looks for UTF-8 here, as on a Debian login\n"
        "cd /bb/testsuite || exit 1\n"
        f"./runtest {' '.join(applets)}\n"
        "status=$?\n"
        "rm -rf /bb/runtest-tempdir-links  # runtest leaves its applet links\n"
        'echo "runtest finished, ""status $status"\n'
    ).encode()


def testsuite_initrd(applets: list[str], out: Path) -> Path:
    """An initrd with busybox, its applets, and /bb (see the module's docstring)."""
    tree = testsuite_source()
    files, links = busybox_initrd_parts()
    files["/bb/busybox"] = busybox_binary()
    files["/bb/.config"] = tree / "debian" / "config" / "pkg" / "static"
    suite = tree / "testsuite"
    for path in sorted(suite.rglob("*")):
        if path.is_file() and not path.is_symlink():
            files[f"/bb/testsuite/{path.relative_to(suite)}"] = path
    files["/bb/run.sh"] = run_script(applets)
    return make_initrd(files, out, links, executable={"/bb/run.sh"})


@dataclass
class Results:
    """runtest's verdicts in the order it printed them: (verdict, test name)."""

    verdicts: list[tuple[str, str]] = field(default_factory=list)
    finished: bool = False

    def count(self, verdict: str) -> int:
        return sum(1 for v, _ in self.verdicts if v == verdict)

    def names(self, verdict: str) -> list[str]:
        return sorted(n for v, n in self.verdicts if v == verdict)


def parse_results(output: str) -> Results:
    """The PASS/FAIL/SKIPPED/UNTESTED lines of runtest's output, and whether it finished."""
    verdicts = [(verdict, name.strip()) for verdict, name in RESULT.findall(output)]
    return Results(verdicts, DONE in output)
