"""tools/ringlet/qemu.py's command line and exit-status mapping, without starting QEMU."""

from __future__ import annotations

from pathlib import Path

from ringlet.qemu import (
    DEBUG_EXIT_PORT,
    EXIT_PANIC,
    EXIT_POWER_OFF,
    EXIT_PROCESS_FAILED,
    QemuConfig,
    describe_end,
    exit_status,
    qemu_argv,
)


def option(argv: list[str], name: str) -> list[str]:
    """Every value given to option name."""
    return [argv[i + 1] for i, word in enumerate(argv) if word == name]


def test_a_plain_run_boots_the_iso_headless_with_serial_on_stdio() -> None:
    argv = qemu_argv(QemuConfig(iso=Path("/x/ringlet.iso")))
    assert argv[0] == "qemu-system-i386"
    assert option(argv, "-cdrom") == ["/x/ringlet.iso"]
    assert option(argv, "-m") == ["128"]
    assert option(argv, "-smp") == ["1"]
    assert option(argv, "-serial") == ["stdio"]
    assert option(argv, "-monitor") == ["none"]
    assert option(argv, "-display") == ["none"]
    assert "-no-reboot" in argv  # a triple fault ends QEMU instead of looping
    assert option(argv, "-nic") == ["none"]
    assert option(argv, "-device") == [f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=0x04"]
    assert "-qmp" not in argv


def test_a_terminal_gets_the_monitor_multiplexed_and_a_window_shows_the_screen() -> None:
    argv = qemu_argv(
        QemuConfig(iso=Path("a.iso"), interactive=True, window=True, memory_mib=64, cpus=4)
    )
    assert option(argv, "-serial") == ["mon:stdio"]
    assert "-monitor" not in argv and "-display" not in argv
    assert option(argv, "-m") == ["64"]
    assert option(argv, "-smp") == ["4"]


def test_qmp_and_extra_arguments_come_last_and_unchanged() -> None:
    config = QemuConfig(
        iso=Path("a.iso"), qmp_socket=Path("/tmp/q.sock"), extra_args=["-icount", "shift=0"]
    )
    argv = qemu_argv(config)
    assert option(argv, "-qmp") == ["unix:/tmp/q.sock,server=on,wait=off"]
    assert argv[-2:] == ["-icount", "shift=0"]


def test_exit_statuses_follow_the_debug_exit_device() -> None:
    # The kernel writes a reason r to port 0xf4; QEMU exits 2 * r + 1.
    assert exit_status(1) == EXIT_POWER_OFF
    assert exit_status(3) == EXIT_PANIC
    assert exit_status(5) == EXIT_PROCESS_FAILED
    assert exit_status(0) == EXIT_PANIC  # a reset (triple fault) is a failure too
    assert describe_end(0) == "the machine reset itself (triple fault?)"
    assert describe_end(7) == "QEMU failed with status 7"


def test_a_linux_boot_replaces_the_iso_and_keeps_every_other_flag() -> None:
    linux = (Path("/k/vmlinuz"), Path("/k/initramfs.cpio"), "console=ttyS0 quiet")
    argv = qemu_argv(QemuConfig(iso=Path("x.iso"), linux=linux, extra_args=["-icount", "shift=0"]))
    assert option(argv, "-kernel") == ["/k/vmlinuz"]
    assert option(argv, "-initrd") == ["/k/initramfs.cpio"]
    assert option(argv, "-append") == ["console=ttyS0 quiet"]
    assert "-cdrom" not in argv and "-boot" not in argv
    ringlet = qemu_argv(QemuConfig(iso=Path("x.iso"), extra_args=["-icount", "shift=0"]))
    assert [w for w in ringlet if w not in ("-cdrom", "x.iso", "-boot", "d")] == [
        w for w in argv if w not in ("-kernel", "-initrd", "-append", *map(str, linux))
    ]
