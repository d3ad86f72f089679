"""The boot image: an ISO made by grub-mkrescue holding GRUB, the kernel and the modules.

The ISO is hybrid: grub-mkrescue puts in GRUB for every platform whose files are installed
(i386-pc for BIOS PCs, x86_64-efi and i386-efi for UEFI), so one image boots both ways, from a
CD or written to a USB stick.

GRUB loads the kernel with `multiboot2` and each module with `module2`; the words after a
module's file name become that module's command line, which the kernel sees.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ringlet import process
from ringlet.errors import UsageError

GRUB_BIOS_DIR = Path("/usr/lib/grub/i386-pc")  # Debian's grub-pc-bin


@dataclass(frozen=True)
class Module:
    path: Path
    cmdline: str  # the first word names the module: /mod/NAME

    @staticmethod
    def from_argument(text: str) -> Module:
        """Parses FILE[=CMDLINE]; the command line defaults to the file's base name."""
        file, sep, cmdline = text.partition("=")
        path = Path(file)
        if not path.is_file():
            raise UsageError(f"module file not found: {file}")
        if not sep:
            cmdline = path.name
        if not cmdline.strip():
            raise UsageError(f"module {file}: empty command line")
        return Module(path, cmdline)


def grub_quote(text: str) -> str:
    """Quotes text as one GRUB script word (GRUB's quoting follows the shell's)."""
    return "'" + text.replace("'", "'\\''") + "'"


def grub_config(
    kernel_cmdline: str, modules: list[Module], grub_commands: Sequence[str] = ()
) -> str:
    """grub.cfg: grub_commands (tests use them, e.g. cutmem to shape the memory map) run
    before the menu entry that loads the kernel and the modules."""
    lines = [
        "insmod all_video",  # GRUB's video drivers (UEFI GOP, VBE) for the kernel's framebuffer
        "set timeout=0",
        "set default=0",
        *grub_commands,
        'menuentry "Ringlet" {',
        "    multiboot2 /boot/ringlet.elf "
        + " ".join(grub_quote(w) for w in kernel_cmdline.split()),
    ]
    for index, module in enumerate(modules):
        words = " ".join(grub_quote(w) for w in module.cmdline.split())
        lines.append(f"    module2 /boot/mod/{index} {words}")
    # multiboot2 asked for the kernel's framebuffer (gfxpayload=1024x768x32,...); a BIOS PC
    # keeps VGA text instead, and the kernel's VGA console. UEFI has no text mode to keep.
    lines += [
        '    if [ "$grub_platform" = pc ]; then set gfxpayload=text; fi',
        "    boot",
        "}",
    ]
    return "\n".join(lines) + "\n"


def make_iso(
    kernel: Path,
    modules: list[Module],
    kernel_cmdline: str,
    out_dir: Path,
    grub_commands: Sequence[str] = (),
    bios_only: bool = False,
) -> Path:
    """Writes out_dir/ringlet.iso (and its staging tree out_dir/iso/) and returns the ISO path.
    bios_only: GRUB for BIOS PCs alone instead of the hybrid image, which takes grub-mkrescue
    about three times as long (the tests' BIOS boots use it; ./ringlet run never does)."""
    tree = out_dir / "iso"
    if tree.exists():
        shutil.rmtree(tree)
    (tree / "boot" / "grub").mkdir(parents=True)
    (tree / "boot" / "mod").mkdir()
    shutil.copyfile(kernel, tree / "boot" / "ringlet.elf")
    for index, module in enumerate(modules):
        shutil.copyfile(module.path, tree / "boot" / "mod" / str(index))
    (tree / "boot" / "grub" / "grub.cfg").write_text(
        grub_config(kernel_cmdline, modules, grub_commands)
    )
    iso = out_dir / "ringlet.iso"
    platform = ["-d", GRUB_BIOS_DIR] if bios_only else []
    process.run(["grub-mkrescue", *platform, "-o", iso, tree], quiet=True)
    return iso
