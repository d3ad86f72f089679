"""Generates everything that follows from abi/syscalls.tbl (one table drives the ABI).

    python3 tools/ringlet/gen.py abi/syscalls.tbl build/gen docs/syscalls.md

writes build/gen/abi/syscall_numbers.h, build/gen/kernel/syscall_table.c,
build/gen/kernel/syscall_handlers.h (every handler's prototype, so the compiler checks each
definition against the table), build/gen/libsys/syscalls.h, build/gen/libsys/syscall_stubs.c
and docs/syscalls.md. Each file says on its first line that it is generated. Stdlib only: Make
runs it with any Python 3.11.

docs/syscalls.md also says how complete each call is, from abi/syscalls.status beside the
table (parse_status): every row of the table needs a status there, and the Linux calls
Ringlet lacks are listed there as absent.
"""

from __future__ import annotations

import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

DECLARATION_RE = re.compile(r"^(?P<ret>.+?)\s*\b(?P<name>\w+)\((?P<params>.*)\)$")


@dataclass(frozen=True)
class Syscall:
    number: int
    name: str  # the table's name: Linux's name for the call
    entry: str  # the kernel function
    noreturn: bool  # the flags column says the call never returns
    regs: bool  # it returns more registers than eax: libsys wraps it by hand (no stub)
    declaration: str  # the user-side C declaration
    returns: str
    function: str  # the user-side function name
    params: list[tuple[str, str]]  # (C type, name)


class TableError(Exception):
    pass


def parse_params(text: str) -> list[tuple[str, str]]:
    text = text.strip()
    if text in ("", "void"):
        return []
    params = []
    for part in text.split(","):
        match = re.match(r"^(.*?)(\w+)$", part.strip())
        if not match or not match.group(1).strip():
            raise TableError(f"cannot read parameter {part.strip()!r}")
        params.append((match.group(1).strip(), match.group(2)))
    return params


def parse_table(text: str) -> list[Syscall]:
    calls: list[Syscall] = []
    for line_number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split(None, 4)
        if len(fields) != 5:
            raise TableError(
                f"line {line_number}: expected number, name, entry, flags, declaration"
            )
        number, name, entry, flags, declaration = fields
        match = DECLARATION_RE.match(declaration.strip())
        if not number.isdigit() or not match:
            raise TableError(f"line {line_number}: cannot read {line!r}")
        if flags not in ("-", "noreturn", "regs"):
            raise TableError(f"line {line_number}: unknown flags {flags!r} (noreturn, regs or -)")
        if calls and int(number) <= calls[-1].number:
            raise TableError(f"line {line_number}: {name} is out of number order")
        params = parse_params(match.group("params"))
        if len(params) > 6:
            raise TableError(f"line {line_number}: {name} has more than 6 arguments")
        calls.append(
            Syscall(
                int(number),
                name,
                entry,
                flags == "noreturn",
                flags == "regs",
                declaration.strip(),
                match.group("ret").strip(),
                match.group("name"),
                params,
            )
        )
    numbers = [c.number for c in calls]
    if len(set(numbers)) != len(numbers):
        raise TableError("a system call number is used twice")
    names = [c.name for c in calls]
    if len(set(names)) != len(names):
        raise TableError("a system call name is used twice")
    return calls


STATUSES = ("complete", "partial", "absent")


@dataclass(frozen=True)
class Status:
    number: int
    name: str
    status: str  # complete, partial or absent
    note: str  # partial: what is missing; absent: optional


def parse_status(text: str, calls: list[Syscall]) -> dict[int, Status]:
    """Reads abi/syscalls.status: `number name status [note]` a line, in number order. A call
    of the table is complete or partial (partial says what is missing); a Linux call that is not
    in the table is absent. Every call of the table must have a line."""
    by_number = {c.number: c for c in calls}
    statuses: dict[int, Status] = {}
    for line_number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue  # a note may hold '#' (#! scripts): only whole lines are comments
        fields = line.split(None, 3)
        if len(fields) < 3 or not fields[0].isdigit():
            raise TableError(f"status line {line_number}: expected number, name, status, note")
        number, name, status = int(fields[0]), fields[1], fields[2]
        note = fields[3] if len(fields) == 4 else ""
        where = f"status line {line_number} ({name})"
        if status not in STATUSES:
            raise TableError(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}")
        if statuses and number <= max(statuses):
            raise TableError(f"{where}: out of number order")
        call = by_number.get(number)
        if status == "absent" and call is not None:
            raise TableError(f"{where}: the table has {call.name}, so it is not absent")
        if status != "absent" and (call is None or call.name != name):
            raise TableError(f"{where}: not in the table under that number and name")
        if (status == "partial") != bool(note) and status != "absent":
            raise TableError(f"{where}: a partial call says what is missing, a complete one not")
        statuses[number] = Status(number, name, status, note)
    missing = [c.name for c in calls if c.number not in statuses]
    if missing:
        raise TableError(f"no status for {', '.join(missing)}")
    return statuses


def header_line(comment: str) -> str:
    return f"{comment} generated by tools/ringlet/gen.py from abi/syscalls.tbl — do not edit"


def numbers_header(calls: list[Syscall]) -> str:
    lines = ["/* " + header_line("")[1:] + " */", "#pragma once", ""]
    lines += [f"#define SYS_{c.name} {c.number}" for c in calls]
    lines += ["", f"#define SYSCALL_TABLE_SIZE {max(c.number for c in calls) + 1}", ""]
    return "\n".join(lines)


def kernel_type(user_type: str) -> str:
    """The type a handler receives for a parameter declared user_type on the user side: user
    pointers arrive as plain 32-bit addresses, to be used only through uaccess.h."""
    if "*" in user_type:
        return "uint32_t"
    words = user_type.replace("const", "").split()
    if words == ["int"]:
        return "int"
    if words == ["long"]:
        return "int32_t"
    if words and words[0] == "unsigned":
        return "uint32_t"
    raise TableError(f"no kernel type for parameter type {user_type!r}")


def handler_prototype(c: Syscall) -> str:
    params = ", ".join(f"{kernel_type(t)} {n}" for t, n in c.params) or "void"
    attribute = "__attribute__((noreturn)) " if c.noreturn else ""
    return f"{attribute}long {c.entry}({params});"


def kernel_handlers(calls: list[Syscall]) -> str:
    lines = [
        "/* " + header_line("")[1:] + " */",
        "/*",
        " * Every system-call handler's prototype. Each file that defines handlers includes this",
        " * (through syscall.h), so a definition that disagrees with the table does not compile.",
        " */",
        "#pragma once",
        "#include <stdint.h>",
        "",
    ]
    lines += [handler_prototype(c) for c in calls]
    return "\n".join(lines) + "\n"


def kernel_table(calls: list[Syscall]) -> str:
    lines = [
        "/* " + header_line("")[1:] + " */",
        "/*",
        " * The system-call dispatch table. The entry code (syscall_entry in trap_entry.S) pushes",
        " * ebx, ecx, edx, esi, edi and ebp as the six C arguments and calls the handler, so each",
        " * handler is an ordinary C function declared with its own parameters.",
        " */",
        "#include <syscall.h>",
        "",
    ]
    lines += ["const syscall_handler syscall_table[SYSCALL_TABLE_SIZE] = {"]
    lines += [f"    [SYS_{c.name}] = {c.entry}," for c in calls]
    lines += ["};", ""]
    return "\n".join(lines)


def user_header(calls: list[Syscall]) -> str:
    lines = [
        "/* " + header_line("")[1:] + " */",
        "#pragma once",
        "",
        "#include <abi/dirent.h>",
        "#include <abi/poll.h>",
        "#include <abi/ringlet.h>",
        "#include <abi/signal.h>",
        "#include <abi/stat.h>",
        "#include <abi/sysinfo.h>",
        "#include <abi/time.h>",
        "#include <abi/uio.h>",
        "#include <abi/utsname.h>",
        "",
    ]
    for c in calls:
        if c.regs:
            continue  # declared by libsys's hand-written wrapper
        attribute = "__attribute__((noreturn)) " if c.noreturn else ""
        lines.append(f"{attribute}{c.declaration};")
    return "\n".join(lines) + "\n"


def c_param(c_type: str, name: str) -> str:
    return f"{c_type}{name}" if c_type.endswith("*") else f"{c_type} {name}"


def user_stubs(calls: list[Syscall]) -> str:
    lines = [
        "/* " + header_line("")[1:] + " */",
        "/* Each stub traps into the kernel with int 0x80 (see libsys/syscall.h). */",
        "#include <syscall.h>",
        "#include <syscalls.h>",
        "",
    ]
    for c in calls:
        if c.regs:
            continue
        params = ", ".join(c_param(t, n) for t, n in c.params) or "void"
        args = "".join(f", (long){n}" for _, n in c.params)
        call = f"__syscall{len(c.params)}(SYS_{c.name}{args})"
        lines.append(f"{c.returns} {c.function}({params})")
        lines.append("{")
        if c.noreturn:
            lines += [f"    {call};", "    for (;;) {", "    }"]
        elif c.returns == "void":
            lines.append(f"    {call};")
        else:
            lines.append(f"    return ({c.returns})__syscall_result({call});")
        lines += ["}", ""]
    return "\n".join(lines)


def markdown(calls: list[Syscall], statuses: dict[int, Status]) -> str:
    counts = {s: sum(1 for x in statuses.values() if x.status == s) for s in STATUSES}
    generated = "generated by tools/ringlet/gen.py from abi/syscalls.tbl and abi/syscalls.status"
    lines = [
        f"<!-- {generated} — do not edit -->",
        "# System calls",
        "",
        "`int 0x80`: number in eax, arguments in ebx, ecx, edx, esi, edi, ebp, result in eax;",
        "failure is -errno with Linux's values. Numbers are Linux i386's; Ringlet's own start at",
        "1000. libsys's stubs return -1 and set errno on failure.",
        "",
        f"{counts['complete']} calls are complete, {counts['partial']} partial (the status says "
        "what is missing)",
        f"and {counts['absent']} of Linux's are absent (-ENOSYS; listed at the end).",
        "",
        "| number | name | status | user-side declaration | kernel entry |",
        "|---:|---|---|---|---|",
    ]
    for c in calls:
        s = statuses[c.number]
        status = f"partial: {s.note}" if s.status == "partial" else s.status
        lines.append(f"| {c.number} | {c.name} | {status} | `{c.declaration}` | `{c.entry}` |")
    absent = [s for s in statuses.values() if s.status == "absent"]
    lines += ["", "## Absent", "", "Linux i386 calls Ringlet does not have (each is -ENOSYS):", ""]
    named = ", ".join(f"{s.name} ({s.number}{': ' + s.note if s.note else ''})" for s in absent)
    lines += textwrap.wrap(named + ".", 100, break_on_hyphens=False)
    return "\n".join(lines) + "\n"


def outputs(
    calls: list[Syscall], statuses: dict[int, Status], gen_dir: Path, doc: Path
) -> dict[Path, str]:
    return {
        gen_dir / "abi" / "syscall_numbers.h": numbers_header(calls),
        gen_dir / "kernel" / "syscall_table.c": kernel_table(calls),
        gen_dir / "kernel" / "syscall_handlers.h": kernel_handlers(calls),
        gen_dir / "libsys" / "syscalls.h": user_header(calls),
        gen_dir / "libsys" / "syscall_stubs.c": user_stubs(calls),
        doc: markdown(calls, statuses),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: gen.py TABLE GEN_DIR DOC", file=sys.stderr)
        return 2
    table, gen_dir, doc = Path(argv[0]), Path(argv[1]), Path(argv[2])
    status_file = table.with_name("syscalls.status")
    try:
        calls = parse_table(table.read_text())
        statuses = parse_status(status_file.read_text(), calls)
    except TableError as e:
        print(f"gen.py: {table}: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"gen.py: {e}", file=sys.stderr)
        return 1
    for path, text in outputs(calls, statuses, gen_dir, doc).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
