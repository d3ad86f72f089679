"""Tests for tools/ringlet/ktap.py on saved serial logs and small inline snippets."""

from pathlib import Path

from ringlet.ktap import KtapReport, parse_ktap

DATA = Path(__file__).resolve().parent.parent / "data"


def parse_log(name: str) -> KtapReport:
    with open(DATA / name, encoding="utf-8") as log:
        return parse_ktap(log)  # lines straight from the file, "\n" included


def statuses(report: KtapReport, suite_index: int) -> list[tuple[str, str]]:
    return [(c.name, c.status) for c in report.suites[suite_index].cases]


def test_all_pass() -> None:
    report = parse_log("ktap_all_pass.log")
    assert report.errors == []
    assert report.ok()
    assert report.planned == 2
    assert [(s.name, s.planned, s.status) for s in report.suites] == [
        ("string", 3, "pass"),
        ("heap", 2, "pass"),
    ]
    assert statuses(report, 0) == [
        ("memcpy_copies", "pass"),
        ("strlen_counts", "pass"),
        ("memset_fills", "pass"),
    ]
    assert [c.number for c in report.suites[1].cases] == [1, 2]


def test_failure_with_diagnostic_and_skip() -> None:
    report = parse_log("ktap_failure.log")
    assert report.errors == []
    assert not report.ok()
    assert [(s.name, s.status) for s in report.suites] == [
        ("string", "fail"),
        ("strtoul", "pass"),
    ]
    assert statuses(report, 0) == [
        ("memcpy_copies", "pass"),
        ("strlen_counts", "fail"),
        ("wide_chars", "skip"),
    ]
    failed = report.case("string", "strlen_counts")
    assert failed is not None
    assert failed.diagnostics == [
        'strlen_counts: EXPECT failed at kernel/tests/string_ktest.c:20: strlen("ab") == 3'
    ]
    skipped = report.case("string", "wide_chars")
    assert skipped is not None
    assert skipped.directive == "SKIP not on this machine"
    assert report.suites[0].diagnostics == []
    assert report.case("string", "no_such_case") is None
    assert report.case("heap", "memcpy_copies") is None


def test_crash_mid_suite() -> None:
    report = parse_log("ktap_crash_mid_suite.log")
    assert not report.ok()
    assert report.planned == 3
    assert [(s.name, s.status) for s in report.suites] == [
        ("string", "pass"),
        ("paging", "crashed"),
    ]
    paging = report.suites[1]
    assert [(c.name, c.status, c.number) for c in paging.cases] == [
        ("identity_map", "pass", 1),
        ("map_page", "pass", 2),
        ("#3", "crashed", 3),
        ("#4", "crashed", 4),
    ]
    assert paging.diagnostics[-1].startswith("panic: page fault in kernel mode")
    assert len(report.errors) == 2
    assert "'paging' crashed after 2 of 4 cases" in report.errors[0]
    assert "panic: page fault" in report.errors[0]
    assert report.errors[1] == "suite 3 of 3 never ran"


def test_missing_top_level_plan_keeps_results() -> None:
    report = parse_log("ktap_missing_plan.log")
    assert report.planned is None
    assert report.errors == ["missing plan: no top-level '1..N' line"]
    assert not report.ok()
    assert [(s.name, s.status) for s in report.suites] == [
        ("string", "pass"),
        ("strtoul", "pass"),
    ]
    assert statuses(report, 0) == [("memcpy_copies", "pass"), ("strlen_counts", "pass")]


def test_missing_suite_plan() -> None:
    report = parse_ktap(
        "KTAP version 1\n1..1\n"
        "    KTAP version 1\n    # Subtest: heap\n    ok 1 alloc_free\nok 1 heap\n"
    )
    assert report.errors == ["suite 'heap': missing plan"]
    assert report.suites[0].planned is None
    assert statuses(report, 0) == [("alloc_free", "pass")]
    assert not report.ok()


def test_skip_directive_on_case_and_suite() -> None:
    report = parse_ktap(
        "KTAP version 1\n1..2\n"
        "    KTAP version 1\n    # Subtest: fpu\n    1..2\n"
        "    ok 1 fxsave # SKIP no SSE\n    ok 2 fninit # skip\n"
        "ok 1 fpu\n"
        "ok 2 net # SKIP no NIC\n"
    )
    assert report.errors == []
    assert report.ok()
    assert statuses(report, 0) == [("fxsave", "skip"), ("fninit", "skip")]
    assert report.suites[0].cases[0].directive == "SKIP no SSE"
    net = report.suites[1]
    assert (net.name, net.status, net.directive, net.cases) == (
        "net",
        "skip",
        "SKIP no NIC",
        [],
    )


def test_todo_failure_does_not_fail_report() -> None:
    report = parse_ktap(
        "KTAP version 1\n1..1\n"
        "    KTAP version 1\n    # Subtest: sched\n    1..1\n"
        "    not ok 1 fairness # TODO scheduler is round-robin only\n"
        "ok 1 sched\n"
    )
    case = report.case("sched", "fairness")
    assert case is not None
    assert (case.status, case.directive) == (
        "fail",
        "TODO scheduler is round-robin only",
    )
    assert report.ok()


def test_crlf_line_endings_and_boot_noise() -> None:
    text = (
        "Ringlet 0.1.0 booting\r\nok 1 not_a_test\r\n"
        "KTAP version 1\r\n1..1\r\n"
        "    KTAP version 1\r\n    # Subtest: string\r\n    1..1\r\n"
        "    ok 1 memcpy_copies\r\nok 1 string\r\n"
    )
    for report in (parse_ktap(text), parse_ktap(text.splitlines(keepends=True))):
        assert report.errors == []
        assert report.ok()
        assert [s.name for s in report.suites] == ["string"]
        assert statuses(report, 0) == [("memcpy_copies", "pass")]


def test_out_of_order_numbering() -> None:
    report = parse_ktap(
        "KTAP version 1\n1..1\n"
        "    KTAP version 1\n    # Subtest: string\n    1..2\n"
        "    ok 2 strlen_counts\n    ok 1 memcpy_copies\n"
        "ok 1 string\n"
    )
    assert report.errors == [
        "suite 'string': case 'strlen_counts' is numbered 2, expected 1",
        "suite 'string': case 'memcpy_copies' is numbered 1, expected 2",
    ]
    assert [(c.name, c.number) for c in report.suites[0].cases] == [
        ("strlen_counts", 2),
        ("memcpy_copies", 1),
    ]
    assert not report.ok()


def test_more_results_than_planned() -> None:
    report = parse_ktap(
        "KTAP version 1\n1..1\n"
        "    KTAP version 1\n    # Subtest: heap\n    1..1\n"
        "    ok 1 alloc_free\n    ok 2 alloc_twice\n"
        "ok 1 heap\n"
    )
    assert report.errors == ["suite 'heap': case 'alloc_twice' is result 2 but only 1 were planned"]
    assert statuses(report, 0) == [("alloc_free", "pass"), ("alloc_twice", "pass")]
    assert not report.ok()


def test_log_ends_mid_suite_and_text_after_last_result() -> None:
    cut = parse_ktap(
        "KTAP version 1\n1..1\n"
        "    KTAP version 1\n    # Subtest: heap\n    1..2\n    ok 1 alloc_free\n"
    )
    assert cut.suites[0].status == "crashed"
    assert statuses(cut, 0) == [("alloc_free", "pass"), ("#2", "crashed")]
    assert cut.errors == [
        "suite 'heap' crashed after 1 of 2 cases: log ended before the suite's result line"
    ]

    trailing = parse_ktap(
        "KTAP version 1\n1..1\n"
        "    KTAP version 1\n    # Subtest: heap\n    1..1\n    ok 1 alloc_free\n"
        "ok 1 heap\nnot ok 2 leftovers\npanic: during shutdown\n"
    )
    assert trailing.errors == []
    assert trailing.ok()


def test_reboot_and_missing_suite_result() -> None:
    report = parse_ktap(
        "KTAP version 1\n1..3\n"
        "    KTAP version 1\n    # Subtest: heap\n    1..1\n    ok 1 alloc_free\n"
        "    KTAP version 1\n    # Subtest: string\n    1..1\n    ok 1 memcpy_copies\n"
        "ok 2 string\n"
        "    KTAP version 1\n    # Subtest: paging\n    1..1\n"
        "Ringlet 0.1.0 booting\nKTAP version 1\n1..3\n"
    )
    assert [(s.name, s.status) for s in report.suites] == [
        ("heap", "crashed"),
        ("string", "pass"),
        ("paging", "crashed"),
    ]
    assert report.case("paging", "#1") is not None
    assert report.errors == [
        "suite 'heap' crashed after 1 of 1 cases: no result line before the next suite started",
        "suite 'paging' crashed after 0 of 1 cases: log restarted with a new KTAP header (reboot?)",
    ]


def test_no_header() -> None:
    report = parse_ktap("Ringlet 0.1.0 booting\npanic: no memory map\n")
    assert report.errors == ["no 'KTAP version 1' header found"]
    assert report.suites == []
    assert not report.ok()
