"""Kernel layer: boot once with ktest=*, and turn every in-kernel test into its own pytest result.

The list of tests comes from the sources (KTEST_SUITE / KTEST_CASE in kernel/tests/*_ktest.c),
so a test that the kernel never reports (a crash, a suite left out of the link) fails here.
"""

from __future__ import annotations

import re

import pytest

from harness import PANIC, boot, machine_cpus
from ringlet.ktap import KtapReport, parse_ktap
from ringlet.paths import ROOT

SUITE_RE = re.compile(r"KTEST_SUITE\(\s*(\w+)\s*,(.*?)\);", re.DOTALL)
CASE_RE = re.compile(r"KTEST_CASE\(\s*(\w+)\s*\)")


def declared_tests() -> list[tuple[str, str]]:
    tests = []
    for source in sorted((ROOT / "kernel" / "tests").glob("*_ktest.c")):
        for suite, body in SUITE_RE.findall(source.read_text()):
            tests += [(suite, case) for case in CASE_RE.findall(body)]
    return tests


@pytest.fixture(scope="module")
def report() -> KtapReport:
    # Two CPUs at least, so that the smp suite's cases that need a second one run too.
    cpus = max(2, machine_cpus())
    with boot("ktest_all", cmdline="ktest=*", deadline=120, cpus=cpus) as machine:
        status = machine.wait_exit()
        output = machine.output()
        log = machine.log_path
    parsed = parse_ktap(output)
    assert re.search(PANIC, output, re.MULTILINE) is None, f"kernel panicked; see {log}"
    assert status == 0, f"kernel tests did not end in a power-off; see {log}"
    return parsed


def test_every_declared_suite_ran(report: KtapReport) -> None:
    assert not report.errors
    declared = sorted({suite for suite, _ in declared_tests()})
    assert sorted(s.name for s in report.suites) == declared


@pytest.mark.parametrize("suite, case", declared_tests(), ids=lambda v: v)
def test_kernel(report: KtapReport, suite: str, case: str) -> None:
    result = report.case(suite, case)
    assert result is not None, f"{suite}.{case} was never reported (crash?)"
    if result.status == "skip":
        pytest.skip(result.directive)
    assert result.status == "pass", "\n".join(result.diagnostics)


def test_ktest_glob_selects_only_matching_suites() -> None:
    with boot("ktest_glob", cmdline="ktest=fo*") as machine:
        assert machine.wait_exit() == 0
        parsed = parse_ktap(machine.output())
    assert [s.name for s in parsed.suites] == ["format"]
    assert parsed.ok()
