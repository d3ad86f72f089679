"""./ringlet gdb: a real GDB on QEMU's gdbstub with tools/gdb/ringlet.py, driven in batch mode."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from harness import ringlet_command, user_elf
from ringlet.paths import ROOT

SCRIPT = """\
break sys_write
continue
ringlet-ps
ringlet-frames
ringlet-trapframe
set $tf = (struct trap_frame *)(cpus[$_thread - 1].proc->kstack_top - sizeof(struct trap_frame))
ringlet-vm $tf->user_esp
ringlet-vm $tf->eip 1
ringlet-vm 0x1000
ringlet-user
info symbol $tf->eip
ringlet-vm 0x1000 77
"""


def test_gdb_stops_at_the_entry_and_reads_the_kernel_at_a_system_call(tmp_path: Path) -> None:
    script = tmp_path / "commands.gdb"
    script.write_text(SCRIPT)
    result = subprocess.run(
        [
            *ringlet_command(),
            "gdb",
            "--no-initrd",
            "--module",
            f"{user_elf('hello')}=hello",
            "--cmdline",
            "init=none",
            "--batch",
            str(script),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = result.stdout + result.stderr
    # The last command fails (pid 77 does not exist): GDB stops the script there, status 1.
    assert result.returncode == 1, out
    assert re.search(
        r"commands.gdb:12: Error in sourced command file:\nno process with pid 77$",
        out,
        re.MULTILINE,
    ), out
    # Stopped at the kernel's first instruction, then at the program's first write.
    assert re.search(r"Breakpoint 1, _start \(\) at kernel/arch/x86/boot.S", out), out
    assert re.search(r"Breakpoint 2, sys_write \(fd=1, buf=\d+, count=\d+\)", out), out
    # ringlet-ps: the one process, running, marked current.
    assert re.search(r"^\*\s+1\s+0\s+1\s+PROC_RUNNING\s+hello$", out, re.MULTILINE), out
    # ringlet-frames: free + used = managed.
    free, used, managed = map(
        int, re.search(r"^frames: (\d+) free, (\d+) used, (\d+) managed", out, re.M).groups()
    )
    assert free + used == managed and used > 0 and free > 1000
    # ringlet-trapframe: a system call (int 0x80) from ring 3 asking for write (4).
    assert re.search(r"eax 00000004$", out, re.MULTILINE), out
    assert re.search(r"vector 00000080 .* cs 0000001b", out), out
    # ringlet-vm: the user stack is a present, writable user page of the main stack; the code
    # a present, read-only user page in a read-execute area; page 1 is mapped by nothing.
    assert re.search(
        r"pte\[1023\] = 0x[0-9a-f]{8}: present, writable, user\n.*\n"
        r"  the main stack, which may grow down to 0x[0-9a-f]{8}\n",
        out,
    ), out
    assert re.search(
        r"pte\[\d+\] = 0x[0-9a-f]{8}: present, read-only, user\n.*\n"
        r"  area 0x0[0-9a-f]{7}-0x[0-9a-f]{8} r-x",
        out,
    ), out
    assert re.search(
        r"pde\[0\] = 0x00000000: not present, read-only, kernel\n"
        r"  no area covers it: an access faults \(SIGSEGV\)\n",
        out,
    ), out
    # ringlet-user: the program's symbols name the user eip (libsys's write wrapper).
    assert f"pid 1: symbols from {user_elf('hello').relative_to(ROOT)}" in out
    assert re.search(r"^write \+ \d+ in section \.text of .*hello\.elf$", out, re.MULTILINE), out
    # A bad pid is a one-line error, and nothing in the extension raised.
    assert "no process with pid 77" in out
    assert "Python Exception" not in out and "Traceback" not in out
