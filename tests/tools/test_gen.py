"""tools/ringlet/gen.py: the system-call table's rules and what it generates for the kernel."""

from __future__ import annotations

import pytest

from ringlet.gen import (
    TableError,
    handler_prototype,
    kernel_table,
    kernel_type,
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
