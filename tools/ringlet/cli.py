"""The ringlet command: setup, build, run, gdb, trace, test, bench, cc, fuzz, soak, symbolize."""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ringlet import environment
from ringlet.errors import RingletError, UsageError
from ringlet.paths import BUILD, KERNEL_ELF, MOTD, USER_BUILD
from ringlet.process import Terminated, raise_on_termination_signals
from ringlet.qemu import DEFAULT_CPUS, TEST_CPUS_VARIABLE

if TYPE_CHECKING:
    from ringlet.qemu import Machine

DESCRIPTION = """\
Ringlet: a small x86 kernel booted by GRUB through Multiboot2.

  ./ringlet run     build, boot in QEMU and attach the serial console
  ./ringlet test    run every test (host, kernel and system layers)
  ./ringlet fuzz    fuzz the system calls (QEMU) or the parsers (libFuzzer)
  ./ringlet soak    the shell and a churn program for minutes, memory plotted
"""


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (exit 2) instead of a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.removeprefix("ringlet").strip()
        raise UsageError(f"{command}: {message}" if command else message)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text}")
    return value


def add_boot_options(p: argparse.ArgumentParser) -> None:
    """The options that say what to boot, shared by run, gdb and trace."""
    p.add_argument(
        "--uefi",
        action="store_true",
        help="boot through UEFI firmware (OVMF, in qemu-system-x86_64) instead of the BIOS; "
        "the same ISO, the same kernel, with a framebuffer console instead of VGA text",
    )
    p.add_argument(
        "--module",
        action="append",
        default=[],
        metavar="FILE[=CMDLINE]",
        help="load FILE as a Multiboot2 module; its command line is CMDLINE "
        "(default: the file's base name). Repeatable.",
    )
    p.add_argument("--cmdline", default="", metavar="STRING", help="kernel command line")
    p.add_argument(
        "--memory",
        type=positive_int,
        default=128,
        metavar="MIB",
        help="guest RAM in MiB (default 128)",
    )
    p.add_argument(
        "--cpus",
        type=positive_int,
        default=DEFAULT_CPUS,
        metavar="N",
        help=f"CPUs the machine has (QEMU's -smp; default {DEFAULT_CPUS}); Ringlet starts all "
        "of them (docs/smp.md)",
    )
    p.add_argument(
        "--timeout",
        type=positive_float,
        metavar="SECONDS",
        help="stop QEMU after this many seconds (exit status 124)",
    )
    p.add_argument("--window", action="store_true", help="show the VGA screen in a window")
    p.add_argument(
        "--no-initrd",
        action="store_true",
        help="leave out the initrd (every program in build/user at /bin, and /etc/motd) that is "
        "otherwise the first module, so /bin/init and the shell start",
    )
    p.add_argument(
        "--busybox",
        action="store_true",
        help="put Debian's busybox-static (i386) and its applets into the initrd, so the shell "
        "/bin/sh is busybox's ash (fetched once with apt-get into build/debian/)",
    )
    p.add_argument(
        "--qemu-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="pass ARG to QEMU unchanged. Repeatable: --qemu-arg=-icount "
        "--qemu-arg=shift=0,sleep=off",
    )


def make_parser() -> Parser:
    parser = Parser(
        prog="ringlet", description=DESCRIPTION, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show compiler commands")
    parser.add_argument(
        "--cc",
        choices=["gcc", "clang"],
        help="the compiler for the kernel and user programs (default gcc; clang builds into "
        "build/clang/ with Debian's clang and lld). Any command takes it, anywhere: "
        "./ringlet build --cc clang; RINGLET_CC=clang does the same",
    )
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )

    sub.add_parser("setup", help="install system packages and the Python environment")
    sub.add_parser("build", help="compile the kernel and the host test programs")

    run = sub.add_parser(
        "run",
        help="build, boot in QEMU, attach the serial console",
        description="Builds what is out of date, makes the ISO, boots it in QEMU and attaches "
        "the serial console. Exit status: 0 power-off, 1 panic, 2 usage error, "
        "3 a process failed (init=none), 124 timeout.",
    )
    add_boot_options(run)
    run.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="write the screen (VGA console) to FILE.png as QEMU last showed it: refreshed "
        "every half second while the machine runs",
    )

    gdb = sub.add_parser(
        "gdb",
        help="boot under QEMU's gdbstub, stopped at the kernel entry, and start GDB",
        description="Builds and boots like run (same options), with QEMU waiting for GDB; "
        "starts GDB with the kernel's symbols and tools/gdb/ringlet.py (ringlet-ps, "
        "ringlet-vm, ringlet-frames, ringlet-trapframe, ringlet-user) and runs to the kernel's "
        "first instruction. The serial output goes to build/run/serial.log (the newest run).",
    )
    add_boot_options(gdb)
    gdb.add_argument(
        "--batch",
        type=Path,
        metavar="FILE",
        help="run the GDB commands in FILE without a terminal, then stop (gdb -batch -x FILE)",
    )

    test = sub.add_parser(
        "test",
        help="run all tests with pytest; other options go to pytest (-k, -x, ...)",
        description="Builds everything and runs pytest over tests/. Options ringlet does not "
        "know are passed to pytest, for example: ./ringlet test -k bootinfo -x",
        add_help=False,
    )
    test.add_argument(
        "--cpus",
        type=positive_int,
        default=1,
        metavar="N",
        help="boot every test machine with N CPUs (default 1; CI runs the suite with 1 and 2)",
    )
    test.add_argument(
        "--fresh-root",
        action="store_true",
        help="run only the fresh-machine test: a new Debian 12 root where both commands must "
        "work (as root; the whole suite again plus debootstrap; CI runs it after ./ringlet test)",
    )

    bench = sub.add_parser(
        "bench",
        help="run the benchmarks (instruction counts under -icount) and report them",
        description="Boots a DEBUG=0 build under -icount shift=0,sleep=off, runs /bin/bench and "
        "the in-kernel cases, writes JSON and prints a table.",
    )
    bench.add_argument(
        "--compare",
        type=Path,
        metavar="FILE",
        help="show the change against an earlier results JSON",
    )
    bench.add_argument("--plot", action="store_true", help="also write a PNG bar chart")
    bench.add_argument(
        "--linux",
        action="store_true",
        help="instead, run one static musl program (user/libc/abibench.c) on Ringlet and on "
        "Debian's i386 Linux in the same QEMU, and compare them case by case",
    )
    bench.add_argument(
        "--smp",
        action="store_true",
        help="instead, measure what more CPUs buy: K CPU-bound workers and K fork/exit loops "
        "on 1, 2 and 4 CPUs, in wall-clock time (median and spread of repeated rounds; "
        "docs/smp.md); writes smp.json beside --out",
    )
    bench.add_argument(
        "--out",
        type=Path,
        default=BUILD / "bench" / "results.json",
        metavar="FILE",
        help="where to write the JSON (default build/bench/)",
    )

    sub.add_parser(
        "cc",
        help="compile a C program for Ringlet against musl (static i386); arguments go to the "
        "compiler",
        description="Compiles an ordinary C program into a static i386 Linux executable against "
        "musl, with zig's cc from the virtual environment. Every argument goes to the compiler: "
        "./ringlet cc hello.c -o hello. Run it with ./ringlet run --module hello.",
        add_help=False,
    )

    trace = sub.add_parser(
        "trace",
        help="run with trace=1 and write the scheduling timeline as Chrome trace-event JSON",
        description="Boots like run (same options) with trace=1: the kernel records context "
        "switches, system calls and interrupts and prints them at power-off; the timeline is "
        "written as JSON for ui.perfetto.dev or chrome://tracing.",
    )
    add_boot_options(trace)
    trace.set_defaults(cpus=1)  # the trace is one timeline: one CPU unless told otherwise
    trace.add_argument(
        "--out",
        type=Path,
        default=BUILD / "trace.json",
        metavar="FILE",
        help="where to write the JSON (default build/trace.json)",
    )

    fuzz = sub.add_parser(
        "fuzz",
        help="fuzz the system calls in QEMU, or the parsers on the host (docs/reliability.md)",
        description="syscalls: typed random system calls from several processes in one boot, "
        "then checks for a panic, a hang or a leak. parsers: libFuzzer with ASan and UBSan on "
        "the pure parsers of kernel/lib.",
    )
    fuzz_sub = fuzz.add_subparsers(
        dest="target", required=True, metavar="TARGET", parser_class=Parser
    )
    syscalls = fuzz_sub.add_parser("syscalls", help="typed random system calls in QEMU")
    syscalls.add_argument(
        "--calls", type=positive_int, default=20000, metavar="N", help="calls (default 20000)"
    )
    syscalls.add_argument(
        "--seed", type=int, metavar="S", help="replay this seed (default: a new one, printed)"
    )
    syscalls.add_argument(
        "--procs",
        type=positive_int,
        default=4,
        metavar="P",
        help="fuzzing processes at a time, 1..16 (default 4)",
    )
    syscalls.add_argument(
        "--trace", action="store_true", help="log every call before it is made (slow)"
    )
    parsers = fuzz_sub.add_parser("parsers", help="libFuzzer on the kernel/lib parsers")
    parsers.add_argument(
        "--runs",
        type=positive_int,
        default=100000,
        metavar="N",
        help="inputs per parser (default 100000)",
    )
    parsers.add_argument(
        "--only", action="append", default=[], metavar="NAME", help="fuzz only this parser"
    )
    parsers.add_argument(
        "--new-corpus",
        action="store_true",
        help="write the seed corpora in tests/data/fuzz/ again from real inputs first",
    )

    soak = sub.add_parser(
        "soak",
        help="the shell, utilities and a churn program for minutes; memory sampled and plotted",
        description="Boots the shell, starts the churn program and utilities, samples free "
        "frames, heap bytes and processes every second, writes a PNG plot, and checks for a "
        "panic, a hang, and free memory back at the baseline at each quiet point.",
    )
    soak.add_argument(
        "--minutes", type=positive_float, default=2.0, metavar="M", help="how long (default 2)"
    )

    symbolize = sub.add_parser("symbolize", help="add function+offset to addresses in a log")
    symbolize.add_argument("log", type=Path, help="a saved serial log")
    symbolize.add_argument("--elf", type=Path, default=KERNEL_ELF, help="kernel ELF to use")
    return parser


def boot_image(args: argparse.Namespace, out_dir: Path) -> Path:
    """Builds what is out of date and makes the ISO the boot options describe, in out_dir."""
    from ringlet.build import make
    from ringlet.image import Module, make_iso
    from ringlet.ramdisk import default_initrd

    modules = [Module.from_argument(m) for m in args.module]
    environment.ensure_system_packages()
    make("kernel", "user", verbose=args.verbose)
    if args.busybox and args.no_initrd:
        raise UsageError(
            f"{args.command}: --busybox goes into the initrd; it cannot go with --no-initrd"
        )
    if args.busybox:
        from ringlet.busybox import busybox_initrd

        initrd = busybox_initrd(USER_BUILD, MOTD, out_dir / "initrd.tar")
        modules.insert(0, Module(initrd, "initrd"))
    elif not args.no_initrd:
        initrd = default_initrd(USER_BUILD, MOTD, out_dir / "initrd.tar")
        modules.insert(0, Module(initrd, "initrd"))
    return make_iso(KERNEL_ELF, modules, args.cmdline, out_dir)


def keep_screenshots(machine: Machine, png: Path, interval: float = 0.5) -> None:
    """Pictures the screen into png every interval seconds while the machine runs (QEMU ends
    the moment the kernel stops it, so the last picture is at most interval seconds old)."""
    import threading
    import time

    def loop() -> None:
        while machine.screenshot(png):
            time.sleep(interval)

    threading.Thread(target=loop, daemon=True).start()


def forward_stdin_after_banner(machine: Machine) -> None:
    """Copies this process's standard input to the machine's serial port once the kernel's
    banner is out. For UEFI runs from a pipe: OVMF and GRUB read the serial port too and would
    swallow what was meant for Ringlet (QEMU holds input back only while the UART is full)."""
    import threading

    from ringlet.qemu import MachineError

    def loop() -> None:
        try:
            machine.wait_for(r"Ringlet \S+ booting")
            while chunk := sys.stdin.buffer.read1(4096):
                machine.send(chunk)
            machine.close_input()
        except (MachineError, OSError, ValueError):
            return  # the machine has stopped: nobody to type to

    threading.Thread(target=loop, daemon=True).start()


def cmd_run(args: argparse.Namespace) -> int:
    return run_machine(args)[0]


def cmd_trace(args: argparse.Namespace) -> int:
    from ringlet.trace import TraceError, write_chrome_json

    args.cmdline = f"{args.cmdline} trace=1".strip()
    args.screenshot = None
    status, log = run_machine(args)
    try:
        trace = write_chrome_json(log.read_text(errors="replace"), args.out)
    except TraceError as e:
        print(f"ringlet: trace: {e} (serial log: {log})", file=sys.stderr)
        return status or 1
    print(
        f"ringlet: trace: {len(trace.events)} events written to {args.out}"
        " (open it in ui.perfetto.dev or chrome://tracing)",
        file=sys.stderr,
    )
    return status


def run_machine(args: argparse.Namespace) -> tuple[int, Path]:
    """Boots what args describe with the console attached; the run's status and serial log."""
    from ringlet.qemu import (
        EXIT_TIMEOUT,
        Machine,
        MachineError,
        QemuConfig,
        describe_end,
        exit_status,
        stdin_is_terminal,
    )
    from ringlet.rundir import new_run_dir

    out_dir = new_run_dir()
    iso = boot_image(args, out_dir)
    interactive = stdin_is_terminal()
    config = QemuConfig(
        iso=iso,
        memory_mib=args.memory,
        cpus=args.cpus,
        window=args.window,
        interactive=interactive,
        uefi=args.uefi,
        extra_args=list(args.qemu_arg),
    )
    if interactive:
        print("ringlet: serial console attached (Ctrl-A X quits QEMU)", file=sys.stderr)
    log = out_dir / "serial.log"
    hold_input = args.uefi and not interactive
    with Machine(
        config,
        log,
        deadline=args.timeout,
        stdin_from_terminal=not hold_input,
        echo=sys.stdout.buffer,
    ) as machine:
        if hold_input:
            forward_stdin_after_banner(machine)
        if args.screenshot is not None:
            keep_screenshots(machine, args.screenshot)
        try:
            machine.wait_exit()
        except MachineError:
            machine.shutdown()
            print(
                f"\nringlet: timed out after {args.timeout:g} s; QEMU stopped (serial log: {log})",
                file=sys.stderr,
            )
            return EXIT_TIMEOUT, log
        code = machine.returncode
    assert code is not None
    status = exit_status(code)
    if status != 0:
        print(f"ringlet: {describe_end(code)} (serial log: {log})", file=sys.stderr)
    return status, log


def cmd_test(pytest_args: list[str], verbose: bool, fresh_root: bool, cpus: int = 1) -> int:
    from ringlet.build import make

    os.environ[TEST_CPUS_VARIABLE] = str(cpus)  # tests/harness.py boots with this many
    if fresh_root:
        # The plain run skips the fresh_root tests (tests/conftest.py); this runs them alone.
        pytest_args = ["--fresh-root", "-m", "fresh_root", *pytest_args]

    environment.setup()
    environment.ensure_fuzzing_packages()  # the parser fuzzers' short runs are tests too
    environment.reexec_in_venv(sys.argv[1:])
    make("kernel", "host", "user", verbose=verbose)
    import pytest

    return int(pytest.main(pytest_args))


def cmd_fuzz(args: argparse.Namespace) -> int:
    from ringlet.build import make

    if args.target == "syscalls":
        if args.procs > 16:
            raise UsageError("fuzz syscalls: --procs must be 1..16")
        environment.ensure_system_packages()
        raise_on_termination_signals()
        make("kernel", "user", verbose=args.verbose)
        from ringlet import syscall_fuzz

        return syscall_fuzz.main(args.seed, args.calls, args.procs, args.trace)
    environment.setup()
    environment.ensure_fuzzing_packages()
    environment.reexec_in_venv(sys.argv[1:])
    from ringlet import parser_fuzz

    return parser_fuzz.main(args.runs, args.only, args.new_corpus)


def main(argv: list[str]) -> int:
    parser = make_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra and args.command not in ("test", "cc"):
            raise UsageError(f"ringlet {args.command}: unrecognized arguments: {' '.join(extra)}")
        if args.command == "setup":
            environment.setup()
            print("ringlet: system packages and .venv/ are in place")
            return 0
        if args.command == "build":
            from ringlet.build import make

            environment.ensure_system_packages()
            make("kernel", "host", "user", verbose=args.verbose)
            return 0
        if args.command in ("run", "gdb", "trace", "bench"):
            # Unwind (stopping QEMU) on SIGTERM and SIGHUP too, as on Ctrl-C. Not for `test`:
            # pytest would report the exception as one failed test and go on.
            raise_on_termination_signals()
        if args.command == "run":
            return cmd_run(args)
        if args.command == "trace":
            return cmd_trace(args)
        if args.command == "gdb":
            from ringlet.debugger import run_gdb

            if args.uefi:
                raise UsageError(
                    "gdb: --uefi is not supported (GDB would attach to "
                    "qemu-system-x86_64 running a 32-bit kernel); boot BIOS"
                )
            if args.batch is not None and not args.batch.is_file():
                raise UsageError(f"gdb: no such command file: {args.batch}")
            from ringlet.rundir import new_run_dir

            out_dir = new_run_dir()
            iso = boot_image(args, out_dir)
            return run_gdb(iso, args, out_dir / "serial.log")
        if args.command == "test":
            return cmd_test(extra, args.verbose, args.fresh_root, args.cpus)
        if args.command == "bench":
            environment.setup()
            environment.reexec_in_venv(sys.argv[1:])
            from ringlet import bench

            if args.compare is not None and args.linux:
                raise UsageError("bench: --compare compares Ringlet's own cases, not --linux")
            if args.compare is not None and not args.compare.is_file():
                raise UsageError(f"no such results file: {args.compare}")
            return bench.main(args.compare, args.plot, args.out, args.linux, args.smp)
        if args.command == "cc":
            environment.setup(with_system_packages=False)
            environment.reexec_in_venv(sys.argv[1:])
            from ringlet.cc import compile_program

            if not extra:
                raise UsageError(
                    "cc: give the compiler something to do: ./ringlet cc hello.c -o hello"
                )
            return compile_program(extra)
        if args.command == "fuzz":
            return cmd_fuzz(args)
        if args.command == "soak":
            environment.setup()
            environment.reexec_in_venv(sys.argv[1:])
            from ringlet import soak
            from ringlet.build import make

            make("kernel", "user", verbose=args.verbose)
            return soak.main(args.minutes)
        if args.command == "symbolize":
            environment.setup()
            environment.reexec_in_venv(sys.argv[1:])
            from ringlet.symbolize import symbolize_file

            if not args.log.is_file():
                raise UsageError(f"no such log: {args.log}")
            if not args.elf.is_file():
                raise UsageError(f"no kernel ELF at {args.elf}: run ./ringlet build first")
            sys.stdout.write(symbolize_file(args.log, args.elf))
            return 0
        raise UsageError(f"unknown command {args.command}")
    except RingletError as e:
        print(f"ringlet: {e}", file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        print("ringlet: interrupted", file=sys.stderr)
        return 130
    except Terminated as e:
        with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
            print(f"ringlet: stopped by {e}", file=sys.stderr)
        return e.status
