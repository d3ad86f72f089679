"""User programs built against libsys, run from every source the boot loader can hand over:
ELF modules, the initrd (a ustar archive) and the flat ramdisk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness import (
    PANIC,
    boot,
    free_frames_at_start_and_end,
    run_without_leaks,
    summary_results,
    user_elf,
    user_flat,
)
from ringlet.image import Module
from ringlet.ramdisk import PAGE, make_flat_ramdisk, make_initrd, pack_flat_ramdisk

pytestmark = pytest.mark.boots

# program -> (module command line, lines its output must contain)
PROGRAMS: dict[str, tuple[str, list[str]]] = {
    "hello": ("hello", ["Hello from ring 3!"]),
    "args": (
        "args first 'second' third",
        ["args: argc 4", "argv[1] = first", "argv[3] = third", "auxv: pagesz 4096"],
    ),
    "bss": ("bss", ["bss: ok"]),
    "stack": ("stack", ["stack: 600 KiB ok"]),
    "cxx": ("cxx", ["cxx: constructor ran", "cxx: ok", "cxx: destructor ran"]),
    "malloc": ("malloc", ["malloc: ok"]),
    "sysinfo_check": ("sysinfo_check", ["sysinfo: ok", "uname: Ringlet"]),
    "syscall_table": ("syscall_table", []),
}


def run_all(name: str, modules: list[Module], cmdline: str = "init=none") -> str:
    with boot(name, modules=modules, cmdline=cmdline, deadline=120) as machine:
        status = machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
    assert status == 0, f"every process must exit 0; see {machine.log_path}"
    return out


def check_outputs(out: str) -> None:
    for program, (_, lines) in PROGRAMS.items():
        for line in lines:
            assert line in out, f"{program}: missing {line!r}"
    assert re.search(r"^syscall_table: \d+ checks, 0 failed$", out, re.M)
    cxx = out.index("cxx: constructor ran"), out.index("cxx: ok"), out.index("cxx: destructor ran")
    assert list(cxx) == sorted(cxx), "constructor before main, destructor after"


def test_programs_as_elf_modules() -> None:
    modules = [Module(user_elf(p), cmdline) for p, (cmdline, _) in PROGRAMS.items()]
    out = run_all("programs_elf_modules", modules)
    check_outputs(out)
    results = summary_results(out)
    assert set(results) == {cmdline.split()[0] for cmdline, _ in PROGRAMS.values()}
    assert set(results.values()) == {"exit 0"}
    start, end = free_frames_at_start_and_end(out)
    assert start == end, "every page a process had comes back"


def test_programs_from_the_flat_ramdisk(tmp_path: Path) -> None:
    names = [*PROGRAMS, "flat"]
    disk = make_flat_ramdisk([user_flat(p) for p in names], tmp_path / "flat.img")
    out = run_all("programs_flat_ramdisk", [Module(disk, "flatdisk")])
    assert "flat: hello from a flat binary" in out
    for program in ("hello", "bss", "stack", "cxx", "malloc", "sysinfo_check"):
        for line in PROGRAMS[program][1]:
            assert line in out, f"{program} (flat): missing {line!r}"
    results = summary_results(out)
    assert sorted(results) == sorted(f"flat{i}" for i in range(len(names)))
    start, end = free_frames_at_start_and_end(out)
    assert start == end


@pytest.mark.parametrize("program", [p for p in PROGRAMS if p != "args"] + ["args"])
def test_program_from_the_initrd(tmp_path: Path, program: str) -> None:
    initrd = make_initrd(
        {f"/bin/{program}": user_elf(program), "/etc/motd": b"hi\n"}, tmp_path / "initrd.tar"
    )
    out = run_all(f"initrd_{program}", [Module(initrd, "initrd")], cmdline=f"init=/bin/{program}")
    for line in PROGRAMS[program][1]:
        if line.startswith("argv[") or line.startswith("args: argc"):
            continue  # from the initrd, init gets only its own path as argv
        assert line in out, f"{program} (initrd): missing {line!r}"
    assert summary_results(out) == {program: "exit 0"}


def test_yield_ping_pong_takes_turns() -> None:
    out = run_all("ping_pong", [Module(user_elf("ping"), "ping"), Module(user_elf("pong"), "pong")])
    lines = [line for line in out.splitlines() if re.fullmatch(r"(ping|pong) \d", line)]
    assert [x for x in lines if x.startswith("ping")] == [f"ping {i}" for i in range(5)]
    assert [x for x in lines if x.startswith("pong")] == [f"pong {i}" for i in range(5)]
    # Each yields after every line, so neither finishes before the other starts. (The timer may
    # also preempt either one between a line and its yield, so exact alternation is not certain.)
    first_pong, last_ping = lines.index("pong 0"), lines.index("ping 4")
    first_ping, last_pong = lines.index("ping 0"), lines.index("pong 4")
    assert first_pong < last_ping and first_ping < last_pong


def test_arguments_reach_main_exactly() -> None:
    out = run_all("args_words", [Module(user_elf("args"), "args  one two   three")])
    assert "args: argc 4" in out
    assert "argv[0] = args\nargv[1] = one\nargv[2] = two\nargv[3] = three\n" in out


def test_arguments_larger_than_a_page() -> None:
    """execve takes what Linux takes (a quarter of the stack limit; 32 pages a string) and says
    E2BIG past it; busybox's runtest exports a 10 KiB variable to every test it runs."""
    out = run_without_leaks("bigargs", [Module(user_elf("bigargs"), "bigargs")])
    assert "bigargs: child saw 2000 arguments, 601 variables and " in out
    assert "bigargs: ok a string over 32 pages is E2BIG" in out
    assert "bigargs: ok 300 KiB of arguments is E2BIG" in out
    assert "bigargs: all ok" in out
    assert "bigargs: FAIL" not in out


def test_exec_through_proc_self_exe_records_the_file() -> None:
    out = run_without_leaks("selfexec", [Module(user_elf("selfexec"), "selfexec")])
    runs = re.findall(r"^selfexec: generation (\d) runs (\S+) as (\S+)$", out, re.M)
    names = ["selfexec", "exe", "exe", "exe"]  # Linux's comm: the name execve was given
    assert runs == [(str(g), "/mod/selfexec", names[g]) for g in range(4)], out
    assert "selfexec: FAIL" not in out


def test_ustack_limit_from_the_command_line() -> None:
    with boot(
        "ustack_512k", modules=[Module(user_elf("stack"), "stack")], cmdline="init=none ustack=512K"
    ) as machine:
        status = machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
    assert re.search(
        r"^pid 1 \(stack\) killed: page fault writing 0xbff7[0-9a-f]{4} \(not present\) at eip "
        r"0x0400[0-9a-f]{4} \(stack overflow: past the stack limit\)$",
        out,
        re.M,
    ), "a 600 KiB stack does not fit a 512 KiB limit"
    assert status == 3


def test_flat_program_sees_zeros_after_its_end(tmp_path: Path) -> None:
    """The flat ramdisk's first program is followed, in its last page, by bytes that are not
    its own (here recognisable marks where the packer would pad with zeros): the program must
    see zeros there, not what follows it in memory."""
    tail = user_flat("flat_tail").read_bytes()
    assert len(tail) % PAGE, "flat_tail must end inside a page for this test to mean anything"
    image = bytearray(pack_flat_ramdisk([tail, user_flat("hello").read_bytes()]))
    start = PAGE + len(tail)  # the header fits the first page; programs start page-aligned
    end = start + (-start % PAGE)
    image[start:end] = (b"NOT-THE-PROGRAM!" * PAGE)[: end - start]
    disk = tmp_path / "flat_tail.img"
    disk.write_bytes(bytes(image))
    out = run_all("programs_flat_tail", [Module(disk, "flatdisk")])
    after = re.search(r"^flat_tail: (\d+) bytes after the image, 0 not zero$", out, re.M)
    assert after and int(after.group(1)) == -len(tail) % PAGE
    assert "flat_tail: ok" in out and "Hello from ring 3!" in out
    assert summary_results(out) == {"flat0": "exit 0", "flat1": "exit 0"}
    start_frames, end_frames = free_frames_at_start_and_end(out)
    assert start_frames == end_frames


def test_unknown_system_calls_are_reported_when_asked() -> None:
    """syscalls=unknown names every call a program makes that Ringlet lacks (the call still
    returns -ENOSYS: syscall_table checks that); without it the kernel says nothing."""
    module = Module(user_elf("syscall_table"), "syscall_table")
    out = run_all("unknown_calls_reported", [module], cmdline="init=none syscalls=unknown")
    assert re.search(r"^syscall_table: \d+ checks, 0 failed$", out, re.M)
    for number in (9999, 1500):
        assert f"(syscall_table): system call {number} is not in Ringlet (-ENOSYS)" in out
    quiet = run_all("unknown_calls_quiet", [module])
    assert "is not in Ringlet" not in quiet
