"""tools/ringlet/gen.py: the system-call table's rules and what it generates for the kernel."""

from __future__ import annotations

import pytest

from ringlet.gen import (
    TableError,
    handler_prototype,
    kernel_table,
    kernel_type,
    markdown,
    parse_status,
    parse_table,
    user_header,
    user_stubs,
)
from ringlet.paths import ROOT

ROW = "{n:<9} {name:<16} sys_{name:<16} {flags:<9} {decl}"


def table(*rows: tuple[int, str, str, str]) -> str:
    return "\n".join(ROW.format(n=n, name=name, flags=f, decl=d) for n, name, f, d in rows)


def test_the_real_table_parses_in_number_order() -> None:
    calls = parse_table((ROOT / "abi" / "syscalls.tbl").read_text())
    numbers = [c.number for c in calls]
    assert numbers == sorted(numbers)
    assert {c.entry for c in calls if c.noreturn} == {"sys_exit", "sys_exit_group"}
    by_name = {c.name: c for c in calls}
    assert by_name["read"].number == 3 and by_name["mmap2"].number == 192


def test_rows_out_of_order_are_refused() -> None:
    text = table((4, "write", "-", "long write(int fd)"), (3, "read", "-", "long read(int fd)"))
    with pytest.raises(TableError, match="out of number order"):
        parse_table(text)


def test_unknown_flags_are_refused() -> None:
    with pytest.raises(TableError, match="unknown flags"):
        parse_table(table((1, "exit", "never", "void _exit(int status)")))


@pytest.mark.parametrize(
    ("user", "kernel"),
    [
        ("int", "int"),
        ("long", "int32_t"),
        ("unsigned long", "uint32_t"),
        ("const char *", "uint32_t"),
        ("char *const *", "uint32_t"),
        ("struct timespec64 *", "uint32_t"),
    ],
)
def test_kernel_types(user: str, kernel: str) -> None:
    assert kernel_type(user) == kernel


def test_a_type_with_no_kernel_meaning_is_refused() -> None:
    with pytest.raises(TableError, match="no kernel type"):
        kernel_type("double")


def test_prototypes_carry_noreturn_and_kernel_types() -> None:
    calls = parse_table(
        table(
            (1, "exit", "noreturn", "void _exit(int status)"),
            (3, "read", "-", "long read(int fd, void *buf, unsigned long count)"),
            (20, "getpid", "-", "int getpid(void)"),
        )
    )
    assert [handler_prototype(c) for c in calls] == [
        "__attribute__((noreturn)) long sys_exit(int status);",
        "long sys_read(int fd, uint32_t buf, uint32_t count);",
        "long sys_getpid(void);",
    ]


def test_regs_calls_get_a_handler_but_no_generated_stub() -> None:
    calls = parse_table(
        table(
            (20, "getpid", "-", "int getpid(void)"),
            (1004, "ipc_call", "regs", "long ipc_call(int cap, struct ipc_ext *ext)"),
        )
    )
    assert handler_prototype(calls[1]) == "long sys_ipc_call(int cap, uint32_t ext);"
    assert "ipc_call" not in user_stubs(calls) and "ipc_call" not in user_header(calls)
    assert "getpid" in user_stubs(calls) and "ipc_call" in kernel_table(calls)


def test_the_real_status_file_covers_every_call() -> None:
    calls = parse_table((ROOT / "abi" / "syscalls.tbl").read_text())
    statuses = parse_status((ROOT / "abi" / "syscalls.status").read_text(), calls)
    assert all(statuses[c.number].status in ("complete", "partial") for c in calls)
    assert statuses[163].status == "partial" and "EFAULT" in statuses[163].note
    assert statuses[13].name == "time" and statuses[13].status == "absent"


TWO = table((1, "exit", "noreturn", "void _exit(int status)"), (2, "fork", "-", "int fork(void)"))


@pytest.mark.parametrize(
    ("status", "complaint"),
    [
        ("1 exit complete\n", "no status for fork"),
        ("1 exit complete\n2 fork partial\n", "says what is missing"),
        ("1 exit complete\n2 fork complete but not quite\n", "says what is missing"),
        ("1 exit complete\n2 fork done\n", "is not one of"),
        ("2 fork complete\n1 exit complete\n", "out of number order"),
        ("1 exit complete\n2 fork complete\n2 fork absent\n", "out of number order"),
        ("1 exit complete\n2 vfork complete\n", "not in the table"),
        ("1 exit complete\n2 fork absent\n", "so it is not absent"),
    ],
)
def test_status_rules(status: str, complaint: str) -> None:
    with pytest.raises(TableError, match=complaint):
        parse_status(status, parse_table(TWO))


def test_markdown_shows_each_status_and_the_absent_calls() -> None:
    calls = parse_table(TWO)
    text = "# a comment\n1 exit complete\n2 fork partial no #! here\n13 time absent old\n"
    doc = markdown(calls, parse_status(text, calls))
    assert "| 1 | exit | complete |" in doc
    assert "| 2 | fork | partial: no #! here |" in doc
    assert "1 calls are complete, 1 partial" in doc and "1 of Linux's are absent" in doc
    assert doc.rstrip().endswith("time (13: old).")
