"""GDB commands that read Ringlet's kernel structures (like Linux's scripts/gdb).

`./ringlet gdb` loads this file; by hand: `source tools/gdb/ringlet.py` after `file
build/kernel/ringlet.elf`. Every command reads memory through the kernel's symbols (the kernel
half is mapped in every address space, so any moment works):

    ringlet-ps              the process table: pid, parent, state, name, and '*' for current
    ringlet-frames          free and used physical frames
    ringlet-vm ADDR [PID]   what maps ADDR in a process (default: current): the page directory
                            and page table entries, the frame, and the area (vma) that covers it
    ringlet-trapframe [PID] the user registers saved when the process last entered the kernel
    ringlet-user [PID]      loads the symbols of the process's program from build/user/

docs/debugging.md walks through a session.
"""

from __future__ import annotations

import os

import gdb  # provided by GDB itself

KERNBASE = 0xC0000000
DIRECT_MAP_SIZE = 0x30000000
USER_STACK_TOP = KERNBASE  # kernel/proc.h
PAGE_PRESENT, PAGE_WRITE, PAGE_USER, PAGE_SIZE_4M = 0x1, 0x2, 0x4, 0x80
PROT_NAMES = ((1, "r"), (2, "w"), (4, "x"))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Where the user programs were built: ./ringlet gdb says (build/clang/user for a Clang build).
USER_BUILD = os.environ.get("RINGLET_USER_BUILD", os.path.join(REPO, "build", "user"))


def _procs() -> list[gdb.Value]:
    table = gdb.parse_and_eval("procs")
    count = table.type.range()[1] + 1
    return [table[i] for i in range(count)]


def _current() -> gdb.Value | None:
    """The process on the CPU gdb has selected. QEMU's gdbstub shows each CPU as a thread, in
    CPU order, and the kernel's current is that CPU's cpus[i].proc (kernel/cpu.h)."""
    thread = gdb.selected_thread()
    index = thread.num - 1 if thread is not None else 0
    current = gdb.parse_and_eval(f"cpus[{index}].proc")
    return None if int(current) == 0 else current.dereference()


def _process(argument: str) -> gdb.Value:
    """The process with the pid in argument, or the current one when argument is empty."""
    if not argument.strip():
        proc = _current()
        if proc is None:
            raise gdb.GdbError("no current process (the CPU is in the scheduler or at boot)")
        return proc
    pid = int(gdb.parse_and_eval(argument))
    for proc in _procs():
        if int(proc["pid"]) == pid and pid != 0:
            return proc
    raise gdb.GdbError(f"no process with pid {pid}")


def _name(proc: gdb.Value) -> str:
    return proc["name"].string(length=int(proc["name"].type.sizeof)).split("\0", 1)[0]


def _read_word(address: int) -> int:
    memory = gdb.selected_inferior().read_memory(address, 4)
    return int.from_bytes(bytes(memory), "little")


def _phys_word(phys: int) -> int:
    if phys >= DIRECT_MAP_SIZE:
        raise gdb.GdbError(f"physical {phys:#x} is above the kernel's direct map")
    return _read_word(KERNBASE + phys)


def _flags(entry: int) -> str:
    present = "present" if entry & PAGE_PRESENT else "not present"
    write = "writable" if entry & PAGE_WRITE else "read-only"
    user = "user" if entry & PAGE_USER else "kernel"
    return f"{present}, {write}, {user}"


class RingletPs(gdb.Command):
    """The process table: pid, parent, thread group, state, name; '*' marks the current one."""

    def __init__(self) -> None:
        super().__init__("ringlet-ps", gdb.COMMAND_DATA)

    def invoke(self, argument: str, from_tty: bool) -> None:
        current = _current()
        current_pid = int(current["pid"]) if current is not None else 0
        gdb.write(f"  {'pid':>5} {'ppid':>5} {'tgid':>5}  {'state':<14} name\n")
        for proc in _procs():
            pid = int(proc["pid"])
            if pid == 0:
                continue
            mark = "*" if pid == current_pid else " "
            state = str(proc["state"])
            gdb.write(
                f"{mark} {pid:>5} {int(proc['parent_pid']):>5} {int(proc['tgid']):>5}  "
                f"{state:<14} {_name(proc)}\n"
            )


class RingletFrames(gdb.Command):
    """Physical frames: free, used and managed (kernel/frames.c's counters)."""

    def __init__(self) -> None:
        super().__init__("ringlet-frames", gdb.COMMAND_DATA)

    def invoke(self, argument: str, from_tty: bool) -> None:
        free = int(gdb.parse_and_eval("free_frames"))
        managed = int(gdb.parse_and_eval("managed_frames"))
        gdb.write(
            f"frames: {free} free, {managed - free} used, {managed} managed ({free * 4} KiB free)\n"
        )


class RingletVm(gdb.Command):
    """ringlet-vm ADDR [PID]: walks the page tables and the area list for ADDR."""

    def __init__(self) -> None:
        super().__init__("ringlet-vm", gdb.COMMAND_DATA)

    def invoke(self, argument: str, from_tty: bool) -> None:
        words = gdb.string_to_argv(argument)
        if not words or len(words) > 2:
            raise gdb.GdbError("usage: ringlet-vm ADDR [PID]")
        address = int(gdb.parse_and_eval(words[0])) & 0xFFFFFFFF
        proc = _process(words[1] if len(words) == 2 else "")
        mm = proc["mm"]
        if int(mm) == 0:
            raise gdb.GdbError(f"pid {int(proc['pid'])} has no address space")
        pgdir = int(mm["space"]["pgdir_phys"])
        gdb.write(f"pid {int(proc['pid'])} ({_name(proc)}), page directory at phys {pgdir:#x}\n")
        pde = _phys_word(pgdir + (address >> 22) * 4)
        gdb.write(f"  pde[{address >> 22}] = {pde:#010x}: {_flags(pde)}\n")
        if pde & PAGE_PRESENT and pde & PAGE_SIZE_4M:
            frame = (pde & 0xFFC00000) + (address & 0x3FFFFF)
            gdb.write(f"  a 4 MiB page: {address:#010x} is physical {frame:#x}\n")
        elif pde & PAGE_PRESENT:
            table = pde & 0xFFFFF000
            pte = _phys_word(table + ((address >> 12) & 0x3FF) * 4)
            gdb.write(f"  pte[{(address >> 12) & 0x3FF}] = {pte:#010x}: {_flags(pte)}\n")
            if pte & PAGE_PRESENT:
                phys = (pte & 0xFFFFF000) + (address & 0xFFF)
                gdb.write(f"  {address:#010x} is physical {phys:#x}\n")
        if address >= KERNBASE:
            gdb.write("  the kernel half: the same in every address space\n")
            return
        self._area(mm, address)

    @staticmethod
    def _area(mm: gdb.Value, address: int) -> None:
        areas = mm["space"]["areas"]
        for i in range(int(areas["count"])):
            vma = areas["items"][i]
            start, end = int(vma["start"]), int(vma["end"])
            if start <= address < end:
                prot = "".join(n if int(vma["prot"]) & bit else "-" for bit, n in PROT_NAMES)
                kind = "file-backed" if int(vma["data"]) else "anonymous"
                gdb.write(f"  area {start:#010x}-{end:#010x} {prot} {kind}\n")
                return
        brk_start, brk = int(mm["brk_start"]), int(mm["brk"])
        if brk_start <= address < (brk + 0xFFF) & ~0xFFF:
            gdb.write(f"  the heap (brk) {brk_start:#010x}-{brk:#010x}, demand-zero\n")
        elif int(mm["stack_limit"]) <= address < USER_STACK_TOP:
            limit = int(mm["stack_limit"])
            gdb.write(f"  the main stack, which may grow down to {limit:#010x}\n")
        else:
            gdb.write("  no area covers it: an access faults (SIGSEGV)\n")


class RingletTrapframe(gdb.Command):
    """ringlet-trapframe [PID]: the user registers saved at the top of its kernel stack."""

    def __init__(self) -> None:
        super().__init__("ringlet-trapframe", gdb.COMMAND_DATA)

    def invoke(self, argument: str, from_tty: bool) -> None:
        proc = _process(argument)
        frame_type = gdb.lookup_type("struct trap_frame")
        address = int(proc["kstack_top"]) - frame_type.sizeof
        tf = gdb.Value(address).cast(frame_type.pointer()).dereference()
        gdb.write(f"pid {int(proc['pid'])} ({_name(proc)}), trap frame at {address:#x}\n")
        names = [f.name for f in frame_type.fields()]
        for i in range(0, len(names), 4):
            row = "  ".join(f"{n} {int(tf[n]) & 0xFFFFFFFF:08x}" for n in names[i : i + 4])
            gdb.write(f"  {row}\n")


class RingletUser(gdb.Command):
    """ringlet-user [PID]: adds the symbols of the process's program (USER_BUILD/NAME.elf)."""

    def __init__(self) -> None:
        super().__init__("ringlet-user", gdb.COMMAND_FILES)

    def invoke(self, argument: str, from_tty: bool) -> None:
        proc = _process(argument)
        exe = proc["mm"]["exe"].string(length=256).split("\0", 1)[0] if int(proc["mm"]) else ""
        program = os.path.basename(exe) or _name(proc)
        elf = os.path.join(USER_BUILD, program + ".elf")
        shown = os.path.relpath(elf, REPO)
        if not os.path.isfile(elf):
            raise gdb.GdbError(f"no {shown} for {exe or program}")
        gdb.execute(f"add-symbol-file {elf}", to_string=True)
        gdb.write(f"pid {int(proc['pid'])}: symbols from {shown}\n")


for command in (RingletPs, RingletFrames, RingletVm, RingletTrapframe, RingletUser):
    command()
