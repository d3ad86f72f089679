"""What --uefi changes on the host side: QEMU's command line and GRUB's configuration."""

from __future__ import annotations

from pathlib import Path

from ringlet.image import grub_config
from ringlet.qemu import OVMF_CODE, OVMF_VARS, QemuConfig, qemu_argv


def pflash_drives(argv: list[str]) -> list[str]:
    return [
        argv[i + 1] for i, word in enumerate(argv) if word == "-drive" and "pflash" in argv[i + 1]
    ]


def test_bios_boots_in_qemu_system_i386_without_firmware_drives() -> None:
    argv = qemu_argv(QemuConfig(iso=Path("r.iso")))
    assert argv[0] == "qemu-system-i386"
    assert pflash_drives(argv) == []


def test_uefi_boots_ovmf_in_qemu_system_x86_64() -> None:
    argv = qemu_argv(QemuConfig(iso=Path("r.iso"), uefi=True))
    assert argv[0] == "qemu-system-x86_64"
    code, variables = pflash_drives(argv)
    assert "unit=0" in code and "readonly=on" in code and code.endswith(f"file={OVMF_CODE}")
    # The variable store is a template: each run writes only to a throw-away copy.
    assert "unit=1" in variables and "snapshot=on" in variables
    assert variables.endswith(f"file={OVMF_VARS}")
    assert argv[argv.index("-cdrom") + 1] == "r.iso"
    assert "isa-debug-exit,iobase=0xf4,iosize=0x04" in argv


def test_grub_keeps_vga_text_on_bios_only() -> None:
    lines = grub_config("", []).splitlines()
    assert lines[0] == "insmod all_video"
    multiboot = next(i for i, line in enumerate(lines) if "multiboot2" in line)
    text = lines.index('    if [ "$grub_platform" = pc ]; then set gfxpayload=text; fi')
    # multiboot2 sets gfxpayload from the kernel's framebuffer tag; text must come after it.
    assert multiboot < text < lines.index("    boot")


def test_the_tests_bios_only_iso_leaves_out_efi(monkeypatch, tmp_path: Path) -> None:
    """./ringlet run's ISO is hybrid (GRUB for every installed platform); bios_only asks
    grub-mkrescue for the BIOS platform alone."""
    from ringlet import image

    commands: list[list[str]] = []
    monkeypatch.setattr(image.process, "run", lambda argv, **kw: commands.append(argv))
    kernel = tmp_path / "ringlet.elf"
    kernel.write_bytes(b"\x7fELF")
    image.make_iso(kernel, [], "", tmp_path / "hybrid")
    image.make_iso(kernel, [], "", tmp_path / "bios", bios_only=True)
    hybrid, bios = commands
    assert hybrid[0] == "grub-mkrescue" and "-d" not in hybrid
    assert bios[bios.index("-d") + 1] == image.GRUB_BIOS_DIR
