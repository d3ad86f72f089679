"""Programs nobody wrote for Ringlet: ordinary C in user/libc/, built in the test run against
two real libcs and run unmodified — musl through `./ringlet cc` (zig's cc) and glibc through
the distribution's `gcc -m32 -static` (gcc-multilib). They start the way Linux starts them
(auxv, set_thread_area for %gs, set_tid_address) and use the calls each libc really makes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from harness import ringlet_command, run_without_leaks
from ringlet.image import Module
from ringlet.paths import BUILD, ROOT

pytestmark = pytest.mark.boots

SOURCES = ROOT / "user" / "libc"
LIBCS = ("musl", "glibc")


@pytest.fixture(params=LIBCS)
def libc(request: pytest.FixtureRequest) -> str:
    return request.param


def build(name: str, libc: str = "musl") -> Path:
    """Compiles user/libc/NAME.c as a static i386 program against libc, the way a user would:
    `./ringlet cc` for musl, `gcc -m32 -static` for glibc."""
    out = BUILD / libc
    out.mkdir(parents=True, exist_ok=True)
    program = out / name
    source = str(SOURCES / f"{name}.c")
    if libc == "musl":
        argv = [*ringlet_command(), "cc", "-O2", source, "-o", str(program)]
    else:
        argv = ["gcc", "-m32", "-static", "-pthread", "-O2", source, "-o", str(program)]
    subprocess.run(argv, check=True)
    header = program.read_bytes()[:20]
    assert header[:4] == b"\x7fELF" and header[4] == 1, "a 32-bit ELF"
    assert int.from_bytes(header[18:20], "little") == 3, "for i386"
    return program


def run_program(
    name: str, libc: str, cmdline: str | None = None, lines: tuple[str, ...] = ()
) -> str:
    """Builds user/libc/NAME.c against libc, runs it alone (init=none) without leaks, checks
    that every one of lines is in its output and that no check of its own failed; returns the
    output."""
    program = build(name, libc)
    out = run_without_leaks(f"{libc}_{name}", modules=[Module(program, cmdline or name)])
    for line in lines:
        assert line in out, f"{name}: missing {line!r}"
    assert "FAIL" not in out
    return out


def run_checks(
    name: str, libc: str, cmdline: str | None = None, lines: tuple[str, ...] = ()
) -> str:
    """run_program for a program built on check.h whose CHECK_NAME is its name: also asserts
    its "NAME: N checks, 0 failed" line."""
    out = run_program(name, libc, cmdline, lines)
    assert re.search(rf"^{name}: (\d+) checks, 0 failed$", out, re.M), out
    return out


def test_hello_prints_what_it_computes(libc: str) -> None:
    run_program("hello", libc, "hello 3 4 8", ("hello: 3 arguments, sum 15, mean 5.00",))


def test_thread_local_storage_survives_fork(libc: str) -> None:
    out = run_program(
        "tls_fork",
        libc,
        lines=(
            "tls: before fork: counter 42 tag parent",
            "tls: in the child: counter 142 tag child",
            "tls: parent after the child: counter 42 tag parent, child exit 142",
        ),
    )
    assert "killed" not in out


def test_cc_without_arguments_is_a_usage_error() -> None:
    result = subprocess.run([*ringlet_command(), "cc"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "cc: give the compiler something to do" in result.stderr


def test_mmap_munmap_mprotect(libc: str) -> None:
    """musl's malloc up to 8 MiB, anonymous and file mappings, holes, PROT_NONE, MAP_FIXED and
    bad calls' errno; faults are seen as the SIGSEGV of forked children."""
    out = run_program(
        "mmap_edges",
        libc,
        lines=(
            "mmap: malloc of 10 sizes up to 8 MiB ok",
            "mmap: hole in the middle: child signal 11, neighbours xx",
            "mmap: read-only write: signal 11; PROT_NONE read: signal 11; data after: x",
            "mmap: file mapping: ELF, page 2 matches read()",
            "mmap: after the child wrote its copy of a read-only page the parent sees A",
        ),
    )
    assert re.search(r"^mmap: (\d+) checks, 0 failed$", out, re.M)
    assert len(re.findall(r"^pid \d+ \(mmap_edges\) killed: page fault", out, re.M)) == 5


def test_identity_time_and_vfork(libc: str) -> None:
    run_program(
        "ids",
        libc,
        lines=(
            "ids: uid 0 euid 0 gid 0 egid 0 groups 0",
            "ids: tid is pid: yes; pgrp matches getpgid",
            "ids: affinity 0, 1 cpu(s)",
            "ids: slept at least 30 ms; the year is at least 2024",
            "ids: vfork child exit 9",
            "ids: prctl name now renamed-by-prct",
            "ids: getrandom gave 64 bytes, varied; bad flags: EINVAL",
            "ids: ok",
        ),
    )


def test_signals(libc: str) -> None:
    """Handlers (rt and old frames), masks, SIG_IGN, a SIGSEGV handler that siglongjmps out,
    SIGCHLD, SIGPIPE, SIGTERM seen by wait, EINTR and SA_RESTART, nanosleep and sigsuspend."""
    out = run_program(
        "signals",
        libc,
        lines=(
            "signals: SIGUSR1 handled 2 times, last si_code 0, sender is me: yes",
            "signals: the interrupted FPU control word was 0x37f",
            "signals: blocked SIGUSR2 pending 1, ran while blocked 0, ran after 1",
            "signals: SIGSEGV at offset 100 of the read-only page, recovered: yes",
            "signals: child killed by signal 15, SIGCHLD seen: yes",
            "signals: read without SA_RESTART: -1 (EINTR); with it: 4 bytes",
            "signals: nanosleep interrupted: EINTR, at least 1 s left: yes",
            "signals: broken pipe: handler ran 1 time(s); a default writer died of signal 13",
            "signals: zombie answers kill 0: yes; SIG_IGN SIGCHLD wait: ECHILD",
            "signals: stack overflow caught on the alternate stack: yes",
        ),
    )
    assert re.search(r"^signals: (\d+) checks, 0 failed$", out, re.M)
    # Only the two children meant to die did; the SIGSEGV was handled, not fatal.
    assert len(re.findall(r"^  \d+ +signals +killed", out, re.M)) == 2
    assert "killed: page fault" not in out


def test_descriptors_and_paths(libc: str) -> None:
    """openat, the stat family, access, readlink, fcntl, dup3, pipe2 with O_NONBLOCK, the
    descriptor limit, and close-on-exec seen from a program started by posix_spawn (clone)."""
    out = run_program(
        "files",
        libc,
        "files /mod/files",
        lines=(
            "files: the program is ",
            "files: 247 more descriptors until EMFILE; the limit is 256",
            "files: in the new program descriptor 50 is closed",
            "files: select timed out after at least 60 ms: yes; then 2 ready",
        ),
    )
    assert re.search(
        r"^files: the program is (\d+) bytes, a regular file; /mod is a directory$", out, re.M
    )
    assert re.search(r"^files: (\d+) checks, 0 failed$", out, re.M)


def test_file_system_calls(libc: str) -> None:
    """The file-system layer through a real libc: files, directories, rename, links, symbolic
    links and loops, long names, modes, owners and times, statfs, a deep tree, devices,
    /proc/self, a program copied into /tmp and run, mmap of a written file, and four processes
    appending to one file; user/libc/fsops.c checks each errno. Nothing may leak."""
    out = run_program(
        "fsops",
        libc,
        "fsops /mod/fsops",
        lines=("fsops: appended lines per writer: 200 200 200 200, broken 0",),
    )
    assert re.search(r"^fsops: (\d+) checks, 0 failed$", out, re.M)


def test_tmpfs_fills_up_with_enospc_and_gives_the_memory_back(libc: str) -> None:
    """Writing to /tmp until ENOSPC (tmpfs may take half of RAM), a fork and a pipe still
    working then, and every page back after rm."""
    out = run_program("fsops", libc, "fsops fill")
    found = re.search(r"^fsops: /tmp took (\d+) MiB of (\d+) MiB before ENOSPC$", out, re.M)
    assert found and 0.4 < int(found[1]) / int(found[2]) <= 0.5, out
    assert re.search(r"^fsops: (\d+) checks, 0 failed$", out, re.M)


def test_the_auxiliary_vector(libc: str) -> None:
    """AT_PLATFORM, AT_EXECFN, AT_CLKTCK, AT_PAGESZ, AT_HWCAP, AT_UID, AT_SECURE, AT_RANDOM as
    the libc reads them (getauxval, sysconf)."""
    run_program(
        "auxv",
        libc,
        "auxv /mod/auxv",
        (
            "auxv: platform i686, execfn /mod/auxv, clock ticks 100, page 4096",
            "auxv: hwcap has fpu yes; uid 0 secure 0; random bytes present",
            "auxv: ok",
        ),
    )


def test_threads(libc: str) -> None:
    """pthreads: a mutex under contention from four threads, a condition variable between a
    producer and three consumers, thread-local storage per thread, a thread that ends early,
    join, and tids that are not the pid (clone with CLONE_THREAD, futex)."""
    out = run_program(
        "threads",
        libc,
        lines=(
            "threads: counter 80000 of 80000, joined sum 10, early exit 42",
            "threads: thread-local storage per thread: yes; main's still -1; tids differ: yes",
            "threads: condition variable: consumed 45150 of 45150",
            "threads: ok",
        ),
    )
    assert "killed" not in out


def test_exit_group_ends_every_thread(libc: str) -> None:
    """main returns while a thread spins, one reads a pipe and one waits on a condition: the
    process ends (the run powers off) and gives back every frame."""
    run_program("threads_exit", libc, lines=("threads_exit: leaving with 3 threads running",))


def test_the_first_thread_leaves_first(libc: str) -> None:
    """pthread_exit in main while another thread signals itself, forks, waits and ends the
    process last: no panic, the run ends, every frame comes back."""
    run_program(
        "threads_leader_exit",
        libc,
        lines=(
            "leader_exit: pthread_kill 0, handled 1; child exit 5, waited by the survivor: yes",
        ),
    )


def test_mremap(libc: str) -> None:
    """realloc of large blocks (the libc's malloc moves them with mremap), shrinking, growing
    in place, MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP, PROT_NONE and copy-on-write pages
    moved, and Linux's errno for bad calls; every frame comes back."""
    out = run_checks(
        "mremap",
        libc,
        lines=(
            "mremap: realloc 256 KiB -> 16 MiB -> 300 KiB kept the data: yes",
            "mremap: moved 3 pages to 64 at a new address: yes",
            "mremap: copy-on-write page moved in the child (exit 7), parent still sees parent",
        ),
    )
    assert "killed" not in out


def test_timers_and_waiting_for_signals(libc: str) -> None:
    """alarm and its leftover seconds, a periodic ITIMER_REAL, getitimer, sigwaitinfo of the
    timer's SIGALRM, sigtimedwait's timeout, a blocked SIGCHLD taken by sigwaitinfo, sigqueue's
    value, EINTR, and the errno of bad setitimer, sigtimedwait and rt_sigqueueinfo calls."""
    run_checks(
        "timers",
        libc,
        lines=(
            "timers: alarm 5 then 0 left 5; alarm(1) woke pause after at least 1 s: yes",
            "timers: periodic timer fired 5 times in at least 130 ms: yes",
            "timers: SIGPROF while spinning 3 or more; SIGVTALRM while asleep 0, then spinning 1",
            "timers: sigwaitinfo got SIGALRM from the timer, si_code 0x80",
            "timers: sigtimedwait timed out after at least 50 ms: yes",
            "timers: sigqueue value 1234 code -1",
            "timers: queued SIGRTMIN+1 values 10 20 30; SIGUSR1 sent 3 times, taken 1",
        ),
    )


def test_job_control(libc: str) -> None:
    """SIGSTOP and SIGTSTP stop a child (every thread of it), SIGCONT continues it; waitpid's
    WUNTRACED and WCONTINUED statuses; SIGCHLD's codes and SA_NOCLDSTOP; a SIGTSTP handler;
    SIGCONT discarding a pending stop; SIGTSTP in an orphaned group; SIGTTIN for a background
    read, EIO when it is ignored; SIGHUP and SIGCONT for a stopped group orphaned later."""
    run_checks(
        "jobctl",
        libc,
        lines=(
            "jobctl: SIGSTOP: status 0x137f, stopped by 19",
            "jobctl: SIGTSTP (2 threads): status 0x147f, stopped by 20",
            "jobctl: bytes while stopped 0, after SIGCONT some: yes, continued status 0xffff",
            "jobctl: SIGCHLD codes 5 6 2",
            "jobctl: SIGTSTP handler and SIGCONT over a pending SIGTTOU: exit 40",
            "jobctl: SIGTSTP in an orphaned group ignored: yes",
            "jobctl: background read stopped by signal 21",
            "jobctl: background tcsetattr stopped by signal 22",
            "jobctl: a stopped group orphaned by its parent's end got: hc",
        ),
    )


def test_a_thread_group_is_one_process(libc: str) -> None:
    """getpid in every thread; kill(getpid()) handled by the thread that does not block it;
    sigwait in a thread; SIGTERM and one thread's fault ending every thread; execve from the
    main thread and from another one leaving the new program alone with the same pid."""
    out = run_checks(
        "thread_group",
        libc,
        "thread_group /mod/thread_group",
        lines=(
            "thread_group: same pid in the thread: yes; SIGUSR1 to the process ran in the "
            "worker: yes",
            "thread_group: sigwait in a thread got signal 12",
            "thread_group: sent before the waiter started, sigwait got signal 12; pending seen "
            "from another thread: yes",
            "thread_group: SIGTERM to 3 threads: signal 15; a thread's fault: signal 11",
            "thread_group: exec from the main thread: exit 33",
            "thread_group: exec from the second thread: exit 33",
        ),
    )
    assert out.count("thread_group: after exec: 1 thread(s), same pid: yes") == 2
