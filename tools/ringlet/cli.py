"""The ringlet command: setup, build, run, test, bench, cc, fuzz, soak, symbolize."""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
from pathlib import Path

from ringlet import environment
from ringlet.errors import RingletError, UsageError
from ringlet.paths import BUILD, KERNEL_ELF, MOTD, USER_BUILD
from ringlet.process import Terminated, raise_on_termination_signals

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


def make_parser() -> Parser:
    parser = Parser(
        prog="ringlet", description=DESCRIPTION, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show compiler commands")
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
    run.add_argument(
        "--module",
        action="append",
        default=[],
        metavar="FILE[=CMDLINE]",
        help="load FILE as a Multiboot2 module; its command line is CMDLINE "
        "(default: the file's base name). Repeatable.",
    )
    run.add_argument("--cmdline", default="", metavar="STRING", help="kernel command line")
    run.add_argument(
        "--memory",
        type=positive_int,
        default=128,
        metavar="MIB",
        help="guest RAM in MiB (default 128)",
    )
    run.add_argument(
        "--timeout",
        type=positive_float,
        metavar="SECONDS",
        help="stop QEMU after this many seconds (exit status 124)",
    )
    run.add_argument("--window", action="store_true", help="show the VGA screen in a window")
    run.add_argument(
        "--no-initrd",
        action="store_true",
        help="leave out the initrd (every program in build/user at /bin, and /etc/motd) that is "
        "otherwise the first module, so /bin/init and the shell start",
    )
    run.add_argument(
        "--busybox",
        action="store_true",
        help="put Debian's busybox-static (i386) and its applets into the initrd, so the shell "
        "/bin/sh is busybox's ash (fetched once with apt-get into build/debian/)",
    )
    run.add_argument(
        "--qemu-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="pass ARG to QEMU unchanged. Repeatable: --qemu-arg=-icount "
        "--qemu-arg=shift=0,sleep=off",
    )

    test = sub.add_parser(
        "test",
        help="run all tests with pytest; other options go to pytest (-k, -x, ...)",
        description="Builds everything and runs pytest over tests/. Options ringlet does not "
        "know are passed to pytest, for example: ./ringlet test -k bootinfo -x",
        add_help=False,
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


def cmd_run(args: argparse.Namespace) -> int:
    from ringlet.build import make
    from ringlet.image import Module, make_iso
    from ringlet.qemu import (
        EXIT_TIMEOUT,
        Machine,
        MachineError,
        QemuConfig,
        describe_end,
        exit_status,
        stdin_is_terminal,
    )
    from ringlet.ramdisk import default_initrd

    modules = [Module.from_argument(m) for m in args.module]
    environment.ensure_system_packages()
    make("kernel", "user", verbose=args.verbose)
    out_dir = BUILD / "run"
    if args.busybox and args.no_initrd:
        raise UsageError("run: --busybox goes into the initrd; it cannot go with --no-initrd")
    if args.busybox:
        from ringlet.busybox import busybox_initrd

        initrd = busybox_initrd(USER_BUILD, MOTD, out_dir / "initrd.tar")
        modules.insert(0, Module(initrd, "initrd"))
    elif not args.no_initrd:
        initrd = default_initrd(USER_BUILD, MOTD, out_dir / "initrd.tar")
        modules.insert(0, Module(initrd, "initrd"))
    iso = make_iso(KERNEL_ELF, modules, args.cmdline, out_dir)
    interactive = stdin_is_terminal()
    config = QemuConfig(
        iso=iso,
        memory_mib=args.memory,
        window=args.window,
        interactive=interactive,
        extra_args=list(args.qemu_arg),
    )
    if interactive:
        print("ringlet: serial console attached (Ctrl-A X quits QEMU)", file=sys.stderr)
    log = out_dir / "serial.log"
    with Machine(
        config, log, deadline=args.timeout, stdin_from_terminal=True, echo=sys.stdout.buffer
    ) as machine:
        try:
            machine.wait_exit()
        except MachineError:
            machine.shutdown()
            print(
                f"\nringlet: timed out after {args.timeout:g} s; QEMU stopped (serial log: {log})",
                file=sys.stderr,
            )
            return EXIT_TIMEOUT
        code = machine.returncode
    assert code is not None
    status = exit_status(code)
    if status != 0:
        print(f"ringlet: {describe_end(code)} (serial log: {log})", file=sys.stderr)
    return status


def cmd_test(pytest_args: list[str], verbose: bool, fresh_root: bool) -> int:
    from ringlet.build import make

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
        if args.command in ("run", "bench"):
            # Unwind (stopping QEMU) on SIGTERM and SIGHUP too, as on Ctrl-C. Not for `test`:
            # pytest would report the exception as one failed test and go on.
            raise_on_termination_signals()
        if args.command == "run":
            return cmd_run(args)
        if args.command == "test":
            return cmd_test(extra, args.verbose, args.fresh_root)
        if args.command == "bench":
            environment.setup()
            environment.reexec_in_venv(sys.argv[1:])
            from ringlet import bench

            if args.compare is not None and not args.compare.is_file():
                raise UsageError(f"no such results file: {args.compare}")
            return bench.main(args.compare, args.plot, args.out)
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
