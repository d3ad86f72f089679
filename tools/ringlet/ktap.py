"""Parse the KTAP version 1 test report that Ringlet prints on its serial port.

The kernel prints one top-level KTAP document whose entries are suites; each
suite is a nested, 4-space indented KTAP document whose entries are cases:

    KTAP version 1                      <- everything before this is boot log
    1..2                                <- top-level plan: 2 suites
        KTAP version 1
        # Subtest: string
        1..2                            <- suite plan: 2 cases
        # strlen_counts: EXPECT failed  <- diagnostic for the next case
        not ok 1 strlen_counts
        ok 2 wide_chars # SKIP no SSE   <- directive
    not ok 1 string                     <- suite result
    ...

The parser never raises on bad input.  Anything it cannot make sense of is
either ignored (kernel noise) or recorded in KtapReport.errors, and the results
that did appear are kept.  A suite that never prints its result line (the log
ends, the kernel panics or reboots) is marked "crashed", and so are the cases
its plan announced but that never reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

HEADER = "KTAP version 1"
SUITE_INDENT = 4  # case lines are indented by this many spaces
PLAN_RE = re.compile(r"1\.\.(\d+)")
# "ok 3 wide_chars # SKIP not on this machine" -> not_ok, number, name, directive
RESULT_RE = re.compile(
    r"(?P<not_ok>not )?ok (?P<number>\d+)(?: -)?(?: (?P<name>.*?))?"
    r"(?:\s*#\s*(?P<directive>(?i:SKIP|TODO)\b.*))?"
)


@dataclass
class KtapCase:
    name: str
    status: str  # "pass" | "fail" | "skip" | "crashed"
    number: int
    diagnostics: list[str]
    directive: str = ""  # e.g. "SKIP not on this machine", "TODO flaky"


@dataclass
class KtapSuite:
    name: str
    planned: int | None  # number of cases from the suite's "1..N", if any
    cases: list[KtapCase]
    status: str  # "pass" | "fail" | "skip" | "crashed"
    diagnostics: list[str]
    directive: str = ""


@dataclass
class KtapReport:
    planned: int | None  # number of suites from the top-level "1..N", if any
    suites: list[KtapSuite]
    errors: list[str]

    def case(self, suite: str, name: str) -> KtapCase | None:
        """Find a case by suite name and case name."""
        for s in self.suites:
            for c in s.cases:
                if s.name == suite and c.name == name:
                    return c
        return None

    def ok(self) -> bool:
        """True if every planned suite ran, nothing failed or crashed, no errors."""
        if self.errors or self.planned is None or len(self.suites) < self.planned:
            return False
        results = [*self.suites, *(c for s in self.suites for c in s.cases)]
        return not any(_is_bad(r.status, r.directive) for r in results)


def _is_bad(status: str, directive: str) -> bool:
    # A failure marked "# TODO" is a known, expected failure (as in TAP).
    todo = directive.upper().startswith("TODO")
    return status == "crashed" or (status == "fail" and not todo)


def _status(match: re.Match[str]) -> str:
    if (match["directive"] or "").upper().startswith("SKIP"):
        return "skip"
    return "fail" if match["not_ok"] else "pass"


class _Parser:
    """Line-by-line state machine; feed() every line after the header, then finish()."""

    def __init__(self) -> None:
        self.report = KtapReport(planned=None, suites=[], errors=[])
        self.suite: KtapSuite | None = None  # suite being printed right now
        self.pending: list[str] = []  # diagnostics waiting for their case
        self.done = False  # set once nothing more should be read

    def error(self, message: str) -> None:
        self.report.errors.append(message)

    def feed(self, line: str) -> None:
        text = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if text.startswith("panic:"):
            self.crash(text)
        elif indent == 0:
            self.top_level_line(text)
        elif indent == SUITE_INDENT:
            self.suite_line(text)
        # Other indentation (deeper nesting) is not used by Ringlet: ignored.

    def top_level_line(self, text: str) -> None:
        if text == HEADER:  # a second header: the machine rebooted
            self.crash("log restarted with a new KTAP header (reboot?)")
        elif m := PLAN_RE.match(text):
            self.report.planned = int(m[1])
        elif m := RESULT_RE.fullmatch(text):
            self.suite_result(m)
        # Anything else at top level is kernel noise: ignored.

    def suite_line(self, text: str) -> None:
        if text == HEADER:
            if self.suite is not None:
                self.crash("no result line before the next suite started")
                self.done = False  # the kernel is still alive; keep reading
            self.suite = KtapSuite("", None, [], "", [])
            return
        suite = self.suite
        if suite is None:  # indented results without a header: be lenient
            suite = self.suite = KtapSuite("", None, [], "", [])
        if text.startswith("# Subtest:"):
            suite.name = text.removeprefix("# Subtest:").strip()
        elif m := PLAN_RE.match(text):
            suite.planned = int(m[1])
        elif m := RESULT_RE.fullmatch(text):
            self.case_result(suite, m)
        elif text.startswith("#"):
            self.diagnostic(suite, text[1:].strip())

    def diagnostic(self, suite: KtapSuite, message: str) -> None:
        """Attach "name: ..." to an already reported case, else keep it for later."""
        for case in suite.cases:
            if message.startswith(f"{case.name}:"):
                case.diagnostics.append(message)
                return
        self.pending.append(message)

    def case_result(self, suite: KtapSuite, m: re.Match[str]) -> None:
        name, number = m["name"] or "", int(m["number"])
        expected = len(suite.cases) + 1
        if number != expected:
            self.error(
                f"suite {suite.name!r}: case {name!r} is numbered {number}, expected {expected}"
            )
        if suite.planned is not None and expected > suite.planned:
            self.error(
                f"suite {suite.name!r}: case {name!r} is result {expected} "
                f"but only {suite.planned} were planned"
            )
        # Pending diagnostics that start with "name:" belong to this case.
        mine = [d for d in self.pending if d.startswith(f"{name}:")]
        suite.diagnostics += [d for d in self.pending if d not in mine]
        self.pending = []
        suite.cases.append(KtapCase(name, _status(m), number, mine, m["directive"] or ""))

    def suite_result(self, m: re.Match[str]) -> None:
        name, number = m["name"] or "", int(m["number"])
        suite = self.suite
        if suite is None:  # a suite may be reported with no body ("# SKIP")
            suite = KtapSuite(name, None, [], "", [])
        elif suite.planned is None:
            self.error(f"suite {suite.name or name!r}: missing plan")
        elif len(suite.cases) < suite.planned:
            self.error(
                f"suite {suite.name!r}: planned {suite.planned} cases, got {len(suite.cases)}"
            )
        if suite.name and name and suite.name != name:
            self.error(f"suite {suite.name!r} reported its result as {name!r}")
        suite.name = suite.name or name
        suite.status = _status(m)
        suite.directive = m["directive"] or ""
        expected = len(self.report.suites) + 1
        if number != expected:
            self.error(f"suite {name!r} is numbered {number}, expected {expected}")
        self.end_suite(suite)
        # Text after the last planned result (shutdown messages...) is ignored.
        planned = self.report.planned
        self.done = planned is not None and len(self.report.suites) >= planned

    def end_suite(self, suite: KtapSuite) -> None:
        suite.diagnostics += self.pending
        self.pending = []
        self.report.suites.append(suite)
        self.suite = None

    def crash(self, reason: str) -> None:
        """The kernel died: close the open suite as crashed and stop reading."""
        self.done = True
        suite = self.suite
        if suite is None:
            self.error(f"kernel crashed between suites: {reason}")
            return
        if suite.planned is None:
            self.error(f"suite {suite.name!r}: missing plan")
        ran = len(suite.cases)
        for n in range(ran + 1, (suite.planned or 0) + 1):
            suite.cases.append(KtapCase(f"#{n}", "crashed", n, []))
        suite.status = "crashed"
        suite.diagnostics.append(reason)
        planned = "?" if suite.planned is None else suite.planned
        self.error(f"suite {suite.name!r} crashed after {ran} of {planned} cases: {reason}")
        self.end_suite(suite)

    def finish(self) -> KtapReport:
        if self.suite is not None:
            self.crash("log ended before the suite's result line")
        planned = self.report.planned
        if planned is None:
            self.error("missing plan: no top-level '1..N' line")
        else:
            for n in range(len(self.report.suites) + 1, planned + 1):
                self.error(f"suite {n} of {planned} never ran")
        return self.report


def parse_ktap(text_or_lines: str | Iterable[str]) -> KtapReport:
    """Parse a serial log (a string, or lines with or without "\\r\\n")."""
    if isinstance(text_or_lines, str):
        text_or_lines = text_or_lines.splitlines()
    parser = _Parser()
    started = False
    for raw in text_or_lines:
        line = raw.rstrip()  # drops "\r\n" and trailing spaces
        if not started:  # skip the boot log
            started = line == HEADER
        else:
            parser.feed(line)
            if parser.done:
                break
    if not started:
        parser.error(f"no {HEADER!r} header found")
        return parser.report
    return parser.finish()
