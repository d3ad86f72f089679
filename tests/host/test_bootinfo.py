"""lib/bootinfo.c on the host: hand-made, generated and mutated Multiboot2 boot information.

Each request goes to build/host/bootinfo_driver (see the protocol at the top of
tests/host/drivers/bootinfo_driver.c), which parses a copy of exactly the given bytes under
AddressSanitizer and UBSan and describes the result.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostdriver import HostDriver

KERNEL_START = 0x0010_0000
KERNEL_END = 0x0040_0000
KERNEL = (KERNEL_START, KERNEL_END)
FOUR_GIB = 1 << 32
U32_MAX = FOUR_GIB - 1
MAX_REGIONS = 64
MAX_MODULES = 32
MAX_NOTES = 8
TEXT_SIZE = 112  # BOOTINFO_TEXT_SIZE: notes and the error are at most 111 characters

TAG_END, TAG_CMDLINE, TAG_LOADER, TAG_MODULE, TAG_MMAP, TAG_FRAMEBUFFER = 0, 1, 2, 3, 6, 8
TAG_EFI32, TAG_EFI64 = 11, 12
FB_INDEXED, FB_RGB, FB_EGA_TEXT = 0, 1, 2
FB_TYPE_NAMES = {FB_INDEXED: "indexed colour", FB_RGB: "RGB", FB_EGA_TEXT: "EGA text"}
AVAILABLE, RESERVED, ACPI_RECLAIMABLE, ACPI_NVS, BAD = 1, 2, 3, 4, 5
TYPE_NAMES = {
    AVAILABLE: "available",
    RESERVED: "reserved",
    ACPI_RECLAIMABLE: "ACPI reclaimable",
    ACPI_NVS: "ACPI NVS",
    BAD: "bad RAM",
}


def type_name(region_type: int) -> str:
    return TYPE_NAMES.get(region_type, "unknown")


# --- building boot information ---


def align8(n: int) -> int:
    return (n + 7) & ~7


def latin1(text: str | bytes) -> bytes:
    return text.encode("latin-1") if isinstance(text, str) else text


def tag(tag_type: int, payload: bytes = b"", *, size: int | None = None) -> bytes:
    """A tag: type, size (header included; `size` overrides it), payload, zeros to 8 bytes."""
    real = 8 + len(payload)
    header = struct.pack("<II", tag_type, real if size is None else size)
    return (header + payload).ljust(align8(real), b"\0")


def string_tag(tag_type: int, text: str | bytes, *, nul: bool = True) -> bytes:
    return tag(tag_type, latin1(text) + (b"\0" if nul else b""))


def cmdline_tag(text: str | bytes, *, nul: bool = True) -> bytes:
    return string_tag(TAG_CMDLINE, text, nul=nul)


def loader_tag(text: str | bytes, *, nul: bool = True) -> bytes:
    return string_tag(TAG_LOADER, text, nul=nul)


def module_tag(start: int, end: int, cmdline: str | bytes, *, nul: bool = True) -> bytes:
    text = latin1(cmdline) + (b"\0" if nul else b"")
    return tag(TAG_MODULE, struct.pack("<II", start, end) + text)


def mmap_entry(base: int, length: int, region_type: int, entry_size: int = 24) -> bytes:
    entry = struct.pack("<QQII", base, length, region_type, 0)
    return entry[:entry_size].ljust(entry_size, b"\xee")  # padding a newer version might use


def mmap_tag(
    regions: Sequence[tuple[int, int, int]],
    *,
    entry_size: int = 24,
    entry_version: int = 0,
    extra: bytes = b"",
) -> bytes:
    entries = b"".join(mmap_entry(b, n, t, entry_size) for b, n, t in regions)
    return tag(TAG_MMAP, struct.pack("<II", entry_size, entry_version) + entries + extra)


def framebuffer_tag(
    addr: int,
    pitch: int,
    width: int,
    height: int,
    bpp: int,
    fb_type: int,
    colour_info: bytes = b"",
) -> bytes:
    """Tag 8 as GRUB writes it: u64 address, u32 pitch, width, height, u8 bpp, u8 type, a u16
    reserved word, then the colour information (offset 32 from the tag's start)."""
    fixed = struct.pack("<QIIIBBH", addr, pitch, width, height, bpp, fb_type, 0)
    return tag(TAG_FRAMEBUFFER, fixed + colour_info)


END_TAG = tag(TAG_END)


def boot_info(*tags: bytes, total: int | None = None, end: bool = True) -> bytes:
    """The header (total size, reserved), the tags, then an end tag unless end=False."""
    body = b"".join(tags) + (END_TAG if end else b"")
    return struct.pack("<II", 8 + len(body) if total is None else total, 0) + body


# --- what the driver says ---


@dataclass(frozen=True)
class Region:
    base: int
    length: int
    type: int

    @property
    def end(self) -> int:
        return self.base + self.length


@dataclass(frozen=True)
class Module:
    start: int
    end: int
    cmdline: str


@dataclass(frozen=True)
class Framebuffer:
    addr: int
    pitch: int
    width: int
    height: int
    bpp: int
    type: int
    colours: tuple[int, int, int, int, int, int] = (0, 0, 0, 0, 0, 0)  # R, G, B: position, size


@dataclass
class Parsed:
    error: str | None = None
    cmdline: str = ""
    loader: str = ""
    regions: list[Region] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notes_dropped: int = 0
    usable: int = 0
    framebuffer: Framebuffer | None = None
    efi: tuple[int, int] | None = None  # (bits, system table address)


def unescape(text: bytes) -> str:
    """Undoes the driver's escaping; the result holds the original bytes as Latin-1."""
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m[1], 16)), text.decode("ascii"))


def request(mode: bytes, payload: bytes) -> bytes:
    return mode + struct.pack("<I", len(payload)) + payload


def parse(driver: HostDriver, data: bytes, kernel: tuple[int, int] | None = KERNEL) -> Parsed:
    """Runs bootinfo_parse on exactly these bytes (kernel=None: no limits) and reads the result."""
    if kernel is None:
        lines = driver.ask_lines(request(b"N", data))
    else:
        lines = driver.ask_lines(request(b"P", struct.pack("<II", *kernel) + data))
    out = Parsed()
    rest = iter(lines)
    status = next(rest)
    if status != b"status ok":
        assert status.startswith(b"status error "), lines
        out.error = unescape(status.removeprefix(b"status error "))
    for line in rest:
        word, _, value = line.partition(b" ")
        if word == b"cmdline":
            out.cmdline = unescape(value)
        elif word == b"loader":
            out.loader = unescape(value)
        elif word == b"region":
            base, length, number, name = value.decode("ascii").split(" ", 3)
            region = Region(int(base, 16), int(length, 16), int(number))
            assert name == type_name(region.type), line
            out.regions.append(region)
        elif word == b"module":
            start, end, cmdline = value.split(b" ", 2)
            out.modules.append(Module(int(start, 16), int(end, 16), unescape(cmdline)))
        elif word == b"note":
            out.notes.append(unescape(value))
        elif word == b"framebuffer":
            *numbers, name = value.decode("ascii").split(" ", 12)
            addr, pitch, width, height, bpp, fb_type, *colours = (int(n, 0) for n in numbers)
            assert name == FB_TYPE_NAMES.get(fb_type, "unknown"), line
            rp, rs, gp, gs, bp, bs = colours
            out.framebuffer = Framebuffer(
                addr, pitch, width, height, bpp, fb_type, (rp, rs, gp, gs, bp, bs)
            )
        elif word == b"efi":
            bits, table = value.split(b" ")
            out.efi = (int(bits), int(table, 16))
        elif word == b"notes_dropped":
            out.notes_dropped = int(value)
        elif word == b"usable":
            out.usable = int(value)
        else:
            raise AssertionError(f"unexpected line from the driver: {line!r}")
    return out


def usable(regions: Sequence[Region]) -> int:
    return sum(r.length for r in regions if r.type == AVAILABLE)


def classify(driver: HostDriver, data: bytes) -> str:
    lines = driver.ask_lines(request(b"C", data))
    assert len(lines) == 1 and lines[0].startswith(b"kind "), lines
    return lines[0].removeprefix(b"kind ").decode("ascii")


def error_of(driver: HostDriver, data: bytes) -> str | None:
    return parse(driver, data).error


# --- well-formed boot information ---


def test_well_formed_boot_information_comes_back_exactly(bootinfo_driver: HostDriver) -> None:
    regions = [
        Region(0x0, 0x9FC00, AVAILABLE),
        Region(0x9FC00, 0x400, RESERVED),
        Region(0xF0000, 0x10000, RESERVED),
        Region(0x100000, 0x7EE0000, AVAILABLE),
        Region(0x7FE0000, 0x20000, ACPI_RECLAIMABLE),
        Region(0x8000000, 0x1000, BAD),
        Region(0x9000000, 0x1000, 9),
        Region(0xFFFC0000, 0x40000, ACPI_NVS),
    ]
    data = boot_info(
        cmdline_tag("ktest=string* quiet"),
        loader_tag("GRUB 2.06"),
        tag(21, struct.pack("<I", 0x100000)),  # image load base address: not ours, skipped
        module_tag(0x500000, 0x501234, "/boot/hello.txt greeting"),
        mmap_tag([(r.base, r.length, r.type) for r in regions]),
        tag(4, struct.pack("<II", 639, 130048)),  # basic memory information: skipped
        module_tag(0x600000, 0x600000, ""),
        module_tag(0x0, 0x1000, "low"),
    )
    assert parse(bootinfo_driver, data) == Parsed(
        cmdline="ktest=string* quiet",
        loader="GRUB 2.06",
        regions=regions,
        modules=[
            Module(0x500000, 0x501234, "/boot/hello.txt greeting"),
            Module(0x600000, 0x600000, ""),
            Module(0x0, 0x1000, "low"),
        ],
        usable=0x9FC00 + 0x7EE0000,
    )


def test_smallest_boot_information_is_just_the_end_tag(bootinfo_driver: HostDriver) -> None:
    assert parse(bootinfo_driver, boot_info()) == Parsed()


def test_bytes_after_total_size_are_not_read_as_tags(bootinfo_driver: HostDriver) -> None:
    data = boot_info(cmdline_tag("a")) + cmdline_tag("b") + b"\xff" * 13
    assert parse(bootinfo_driver, data) == Parsed(cmdline="a")


def test_tags_after_the_end_tag_are_ignored(bootinfo_driver: HostDriver) -> None:
    data = boot_info(cmdline_tag("first"), END_TAG, cmdline_tag("second"), tag(1, size=3))
    assert parse(bootinfo_driver, data) == Parsed(cmdline="first")


def test_unknown_tags_are_skipped(bootinfo_driver: HostDriver) -> None:
    unknown = [
        tag(4, struct.pack("<II", 639, 130048)),
        tag(5, b"\x80\0\0\0" * 4),
        tag(9, b"\xab" * 29),  # size 37: the next tag starts after 3 bytes of padding
        tag(14, b"RSD PTR " + b"\0" * 12),
        tag(21, b"\0\0\x10\0"),
        tag(0x7FFFFFFF),
        tag(U32_MAX, b"x"),
    ]
    data = boot_info(
        unknown[0],
        cmdline_tag("root=/dev/ram"),
        unknown[1],
        unknown[2],
        module_tag(0x800000, 0x801000, "mod"),
        *unknown[3:],
        mmap_tag([(0, 0x1000, AVAILABLE)]),
    )
    assert parse(bootinfo_driver, data) == Parsed(
        cmdline="root=/dev/ram",
        regions=[Region(0, 0x1000, AVAILABLE)],
        modules=[Module(0x800000, 0x801000, "mod")],
        usable=0x1000,
    )


# --- the framebuffer tag (type 8) ---

# What GRUB hands over on UEFI in QEMU: 1024x768, 32 bits, x8r8g8b8 at 0x80000000.
GRUB_RGB = (0x8000_0000, 4096, 1024, 768, 32, FB_RGB)
XRGB = bytes([16, 8, 8, 8, 0, 8])


def test_rgb_framebuffer_is_read_with_its_colour_fields(bootinfo_driver: HostDriver) -> None:
    data = boot_info(cmdline_tag("x"), framebuffer_tag(*GRUB_RGB, XRGB + b"\0\0"))
    assert parse(bootinfo_driver, data) == Parsed(
        cmdline="x", framebuffer=Framebuffer(*GRUB_RGB, (16, 8, 8, 8, 0, 8))
    )


def test_ega_text_framebuffer_has_no_colour_fields(bootinfo_driver: HostDriver) -> None:
    """What GRUB says on a BIOS PC that stayed in text mode (gfxpayload=text)."""
    data = boot_info(framebuffer_tag(0xB8000, 160, 80, 25, 16, FB_EGA_TEXT))
    assert parse(bootinfo_driver, data).framebuffer == Framebuffer(
        0xB8000, 160, 80, 25, 16, FB_EGA_TEXT
    )


def test_framebuffer_above_4_gib_keeps_its_64_bit_address(bootinfo_driver: HostDriver) -> None:
    data = boot_info(framebuffer_tag(0x1_2000_0000, 7680, 1920, 1080, 32, FB_RGB, XRGB))
    assert parse(bootinfo_driver, data).framebuffer == Framebuffer(
        0x1_2000_0000, 7680, 1920, 1080, 32, FB_RGB, (16, 8, 8, 8, 0, 8)
    )


def test_indexed_framebuffer_is_reported_by_type(bootinfo_driver: HostDriver) -> None:
    palette = struct.pack("<H", 2) + bytes([0, 0, 0, 255, 255, 255])
    data = boot_info(framebuffer_tag(0xA0000, 320, 320, 200, 8, FB_INDEXED, palette))
    assert parse(bootinfo_driver, data).framebuffer == Framebuffer(
        0xA0000, 320, 320, 200, 8, FB_INDEXED
    )


@pytest.mark.parametrize("cut", [0, 1, 23])
def test_framebuffer_tag_too_small_is_ignored(bootinfo_driver: HostDriver, cut: int) -> None:
    whole = framebuffer_tag(*GRUB_RGB, XRGB)
    size = 8 + cut
    data = boot_info(tag(TAG_FRAMEBUFFER, whole[8:size]), cmdline_tag("after"))
    assert parse(bootinfo_driver, data) == Parsed(
        cmdline="after", notes=[f"framebuffer tag of {size} bytes is too small; ignored"]
    )


@pytest.mark.parametrize("colour_bytes", [0, 5])
def test_rgb_framebuffer_without_colour_fields_is_ignored(
    bootinfo_driver: HostDriver, colour_bytes: int
) -> None:
    data = boot_info(framebuffer_tag(*GRUB_RGB, XRGB[:colour_bytes]))
    size = 32 + colour_bytes
    assert parse(bootinfo_driver, data) == Parsed(
        notes=[f"RGB framebuffer tag of {size} bytes has no colour fields; ignored"]
    )


def test_the_last_framebuffer_tag_wins(bootinfo_driver: HostDriver) -> None:
    data = boot_info(
        framebuffer_tag(0xB8000, 160, 80, 25, 16, FB_EGA_TEXT),
        framebuffer_tag(*GRUB_RGB, XRGB),
    )
    assert parse(bootinfo_driver, data).framebuffer == Framebuffer(*GRUB_RGB, (16, 8, 8, 8, 0, 8))


# --- UEFI's system table (tags 11 and 12): the machine booted through UEFI ---


def test_efi64_system_table_says_uefi(bootinfo_driver: HostDriver) -> None:
    data = boot_info(tag(TAG_EFI64, struct.pack("<Q", 0x7F9E_E018)), cmdline_tag("x"))
    assert parse(bootinfo_driver, data) == Parsed(cmdline="x", efi=(64, 0x7F9E_E018))


def test_efi32_system_table_says_uefi(bootinfo_driver: HostDriver) -> None:
    data = boot_info(tag(TAG_EFI32, struct.pack("<I", 0x7E00_0000)))
    assert parse(bootinfo_driver, data) == Parsed(efi=(32, 0x7E00_0000))


def test_no_efi_tag_means_a_bios(bootinfo_driver: HostDriver) -> None:
    assert parse(bootinfo_driver, boot_info(cmdline_tag("x"))).efi is None


@pytest.mark.parametrize(("tag_type", "bits", "payload"), [(11, 32, 3), (12, 64, 7), (12, 64, 4)])
def test_efi_system_table_tag_too_small_is_ignored(
    bootinfo_driver: HostDriver, tag_type: int, bits: int, payload: int
) -> None:
    data = boot_info(tag(tag_type, b"\x11" * payload))
    assert parse(bootinfo_driver, data) == Parsed(
        notes=[f"EFI {bits}-bit system table tag of {8 + payload} bytes is too small; ignored"]
    )


def test_empty_strings_are_accepted(bootinfo_driver: HostDriver) -> None:
    data = boot_info(cmdline_tag(""), loader_tag(""), module_tag(0x500000, 0x500100, ""))
    assert parse(bootinfo_driver, data) == Parsed(modules=[Module(0x500000, 0x500100, "")])


def test_string_ends_at_its_first_nul(bootinfo_driver: HostDriver) -> None:
    data = boot_info(cmdline_tag(b"console=ttyS0\0garbage"), loader_tag(b"GRUB\0\0\0"))
    assert parse(bootinfo_driver, data) == Parsed(cmdline="console=ttyS0", loader="GRUB")


def test_without_limits_modules_are_not_checked_against_a_kernel(
    bootinfo_driver: HostDriver,
) -> None:
    data = boot_info(module_tag(KERNEL_START, KERNEL_END, "anywhere"))
    assert parse(bootinfo_driver, data, kernel=None) == Parsed(
        modules=[Module(KERNEL_START, KERNEL_END, "anywhere")]
    )


# --- broken structure: status error, with one exact line ---


@pytest.mark.parametrize("size", range(8))
def test_fewer_than_8_readable_bytes(bootinfo_driver: HostDriver, size: int) -> None:
    data = boot_info()[:size]
    assert error_of(bootinfo_driver, data) == f"boot information: only {size} bytes readable"


@pytest.mark.parametrize("total", [0, 7, 8, 15])
def test_total_size_too_small(bootinfo_driver: HostDriver, total: int) -> None:
    assert error_of(bootinfo_driver, boot_info(total=total)) == (
        f"boot information: total size {total} is too small"
    )


@pytest.mark.parametrize("total", [17, 20, 23])
def test_total_size_not_a_multiple_of_8(bootinfo_driver: HostDriver, total: int) -> None:
    data = boot_info(tag(9)).ljust(24, b"\0")  # 24 bytes readable
    assert error_of(bootinfo_driver, struct.pack("<I", total) + data[4:]) == (
        f"boot information: total size {total} is not a multiple of 8"
    )


def test_total_size_larger_than_the_buffer(bootinfo_driver: HostDriver) -> None:
    data = boot_info(cmdline_tag("abc"))  # 32 bytes
    assert error_of(bootinfo_driver, data[:24]) == (
        "boot information: total size 32 is larger than the 24 bytes given"
    )
    assert error_of(bootinfo_driver, boot_info(total=U32_MAX - 7)) == (
        "boot information: total size 4294967288 is larger than the 16 bytes given"
    )


def test_tag_running_past_the_end(bootinfo_driver: HostDriver) -> None:
    data = boot_info(cmdline_tag("abc"), tag(7, b"\0" * 8, size=64))
    result = parse(bootinfo_driver, data)
    assert result.error == "boot information: tag 1 (type 7, 64 bytes) runs past the end"
    assert result.cmdline == "abc"  # tags before the broken one are still filled in


def test_end_tag_running_past_the_end(bootinfo_driver: HostDriver) -> None:
    data = boot_info(tag(TAG_END, size=16), end=False)
    assert error_of(bootinfo_driver, data) == (
        "boot information: tag 0 (type 0, 16 bytes) runs past the end"
    )


def test_tag_size_of_u32_max_runs_past_the_end(bootinfo_driver: HostDriver) -> None:
    data = boot_info(tag(TAG_MMAP, struct.pack("<II", 24, 0), size=U32_MAX))
    assert error_of(bootinfo_driver, data) == (
        "boot information: tag 0 (type 6, 4294967295 bytes) runs past the end"
    )


@pytest.mark.parametrize("size", [0, 1, 4, 7])
def test_tag_smaller_than_8_bytes(bootinfo_driver: HostDriver, size: int) -> None:
    data = boot_info(loader_tag("L"), tag(5, b"\0" * 8, size=size))
    result = parse(bootinfo_driver, data)
    assert result.error == f"boot information: tag 1 (type 5) has size {size}, less than 8"
    assert result.loader == "L"


def test_no_end_tag(bootinfo_driver: HostDriver) -> None:
    assert error_of(bootinfo_driver, boot_info(tag(9), end=False)) == (
        "boot information: no end tag"
    )


def test_no_end_tag_after_tags(bootinfo_driver: HostDriver) -> None:
    data = boot_info(cmdline_tag("console=ttyS0"), tag(9), end=False)
    result = parse(bootinfo_driver, data)
    assert result.error == "boot information: no end tag"
    assert result.cmdline == "console=ttyS0"


@pytest.mark.parametrize(
    "make_tag, what",
    [(cmdline_tag, "command line"), (loader_tag, "boot loader name")],
)
@pytest.mark.parametrize("text", ["", "x", "1234567", "12345678", "quiet ktest=*"])
def test_string_without_terminating_nul(
    bootinfo_driver: HostDriver, make_tag: Callable[..., bytes], what: str, text: str
) -> None:
    data = boot_info(make_tag(text, nul=False))
    assert error_of(bootinfo_driver, data) == f"boot information: {what} has no terminating NUL"


@pytest.mark.parametrize(
    "make_tag, what",
    [(cmdline_tag, "command line"), (loader_tag, "boot loader name")],
)
def test_string_without_nul_at_the_very_end_of_the_buffer(
    bootinfo_driver: HostDriver, make_tag: Callable[..., bytes], what: str
) -> None:
    # No padding and no end tag after it: reading one byte past the string leaves the buffer.
    data = boot_info(make_tag("12345678", nul=False), end=False)
    assert len(data) == 24
    assert error_of(bootinfo_driver, data) == f"boot information: {what} has no terminating NUL"


def test_module_command_line_without_nul_at_the_very_end_of_the_buffer(
    bootinfo_driver: HostDriver,
) -> None:
    data = boot_info(module_tag(0x500000, 0x501000, "initrd.i", nul=False), end=False)
    assert len(data) == 32
    assert parse(bootinfo_driver, data) == Parsed(
        error="boot information: no end tag",
        notes=["module 0: command line has no terminating NUL; skipped"],
    )


def test_string_whose_nul_is_only_in_the_padding(bootinfo_driver: HostDriver) -> None:
    # Size says 11 bytes, "abc" without NUL; the padding after it holds zeros but is not the tag's.
    data = boot_info(tag(TAG_CMDLINE, b"abc"))
    assert error_of(bootinfo_driver, data) == (
        "boot information: command line has no terminating NUL"
    )


# --- modules: bad ones are skipped with a note ---


def test_module_ending_before_its_start(bootinfo_driver: HostDriver) -> None:
    data = boot_info(module_tag(0x500000, 0x4FFFFF, "initrd"), module_tag(0x0, 0x10, "ok"))
    assert parse(bootinfo_driver, data) == Parsed(
        modules=[Module(0x0, 0x10, "ok")],
        notes=["module 0 (initrd): end 0x004fffff is before start 0x00500000; skipped"],
    )


@pytest.mark.parametrize(
    "start, end, overlaps",
    [
        (0x0, KERNEL_START, False),  # ends where the kernel starts
        (KERNEL_END, 0x500000, False),  # starts where the kernel ends
        (KERNEL_START, KERNEL_START, False),  # empty, right at the kernel's start
        (0x0, KERNEL_START + 1, True),
        (KERNEL_END - 1, 0x500000, True),
        (0x200000, 0x300000, True),  # inside
        (KERNEL_START, KERNEL_END, True),  # exactly the kernel
        (0x0, U32_MAX, True),  # around it
    ],
)
def test_module_overlapping_the_kernel(
    bootinfo_driver: HostDriver, start: int, end: int, overlaps: bool
) -> None:
    result = parse(bootinfo_driver, boot_info(module_tag(start, end, "/boot/initrd")))
    if overlaps:
        assert result == Parsed(
            notes=[
                f"module 0 (/boot/initrd): 0x{start:08x}-0x{end:08x} overlaps the kernel; skipped"
            ]
        )
    else:
        assert result == Parsed(modules=[Module(start, end, "/boot/initrd")])


@pytest.mark.parametrize("payload", [b"", b"\0" * 4, b"\0" * 8])
def test_module_tag_too_small(bootinfo_driver: HostDriver, payload: bytes) -> None:
    data = boot_info(tag(TAG_MODULE, payload))
    assert parse(bootinfo_driver, data) == Parsed(
        notes=[f"module 0: tag of {8 + len(payload)} bytes is too small; skipped"]
    )


def test_module_command_line_without_nul(bootinfo_driver: HostDriver) -> None:
    data = boot_info(module_tag(0x500000, 0x501000, "initrd", nul=False))
    assert parse(bootinfo_driver, data) == Parsed(
        notes=["module 0: command line has no terminating NUL; skipped"]
    )


def test_note_shows_at_most_40_characters_of_the_module_command_line(
    bootinfo_driver: HostDriver,
) -> None:
    name = "/boot/" + "m" * 60
    result = parse(bootinfo_driver, boot_info(module_tag(9, 8, name)))
    assert result.notes == [
        f"module 0 ({name[:40]}): end 0x00000008 is before start 0x00000009; skipped"
    ]
    assert all(len(n) < TEXT_SIZE for n in result.notes)


def test_more_than_32_modules(bootinfo_driver: HostDriver) -> None:
    modules = [
        Module(0x1000000 + i * 0x1000, 0x1000000 + i * 0x1000 + 0x800, f"m{i}")
        for i in range(MAX_MODULES + 1)
    ]
    data = boot_info(*(module_tag(m.start, m.end, m.cmdline) for m in modules))
    assert parse(bootinfo_driver, data) == Parsed(
        modules=modules[:MAX_MODULES],
        notes=["module 32 (m32): more than 32 modules; skipped"],
    )


# --- the memory map ---


@pytest.mark.parametrize("entry_size", [0, 1, 16, 20, 23])
def test_memory_map_entries_smaller_than_24_bytes(
    bootinfo_driver: HostDriver, entry_size: int
) -> None:
    data = boot_info(mmap_tag([(0, 0x1000, AVAILABLE)] * 3, entry_size=entry_size))
    assert parse(bootinfo_driver, data) == Parsed(
        notes=[f"memory map entries of {entry_size} bytes are smaller than 24; map ignored"]
    )


@pytest.mark.parametrize("payload", [b"", b"\x18\0\0\0", b"\x18\0\0\0\0\0\0"])
def test_memory_map_tag_too_small(bootinfo_driver: HostDriver, payload: bytes) -> None:
    data = boot_info(tag(TAG_MMAP, payload))
    assert parse(bootinfo_driver, data) == Parsed(
        notes=[f"memory map tag of {8 + len(payload)} bytes is too small; map ignored"]
    )


def test_memory_map_with_larger_entries(bootinfo_driver: HostDriver) -> None:
    regions = [
        Region(0, 0x9F000, AVAILABLE),
        Region(0x100000, 0x1000000, AVAILABLE),
        Region(0xFEC00000, 0x1000, RESERVED),
    ]
    data = boot_info(
        mmap_tag([(r.base, r.length, r.type) for r in regions], entry_size=40, entry_version=1)
    )
    assert parse(bootinfo_driver, data) == Parsed(regions=regions, usable=0x9F000 + 0x1000000)


def test_memory_map_ignores_a_partial_last_entry(bootinfo_driver: HostDriver) -> None:
    data = boot_info(mmap_tag([(0x1000, 0x2000, AVAILABLE)], extra=b"\x01" * 23))
    assert parse(bootinfo_driver, data) == Parsed(
        regions=[Region(0x1000, 0x2000, AVAILABLE)], usable=0x2000
    )


def test_empty_memory_map(bootinfo_driver: HostDriver) -> None:
    assert parse(bootinfo_driver, boot_info(mmap_tag([]))) == Parsed()


def test_regions_above_4_gib_are_dropped_with_a_note(bootinfo_driver: HostDriver) -> None:
    data = boot_info(
        mmap_tag(
            [
                (0x0, 0x1000, AVAILABLE),
                (FOUR_GIB, 0x1000, AVAILABLE),
                (0x123456789AB, 0x40000000, RESERVED),
                ((1 << 64) - 1, 1, AVAILABLE),
            ]
        )
    )
    assert parse(bootinfo_driver, data) == Parsed(
        regions=[Region(0x0, 0x1000, AVAILABLE)],
        notes=[
            "memory region at 0x100000000 is above 4 GiB; ignored",
            "memory region at 0x123456789ab is above 4 GiB; ignored",
            "memory region at 0xffffffffffffffff is above 4 GiB; ignored",
        ],
        usable=0x1000,
    )


def test_regions_crossing_4_gib_are_clamped_with_a_note(bootinfo_driver: HostDriver) -> None:
    data = boot_info(
        mmap_tag(
            [
                (0xFFF00000, 0x200000, AVAILABLE),
                (0x0, (1 << 64) - 1, RESERVED),  # base + length would overflow 64 bits
                (0xFFFFF000, 0x1000, AVAILABLE),  # ends exactly at 4 GiB: fine as it is
                (U32_MAX, 2, BAD),
            ]
        )
    )
    assert parse(bootinfo_driver, data) == Parsed(
        regions=[
            Region(0xFFF00000, 0x100000, AVAILABLE),
            Region(0x0, FOUR_GIB, RESERVED),
            Region(0xFFFFF000, 0x1000, AVAILABLE),
            Region(U32_MAX, 1, BAD),
        ],
        notes=[
            "memory region at 0xfff00000 runs past 4 GiB; clamped to 4 GiB",
            "memory region at 0x0 runs past 4 GiB; clamped to 4 GiB",
            "memory region at 0xffffffff runs past 4 GiB; clamped to 4 GiB",
        ],
        usable=0x100000 + 0x1000,
    )


def test_more_than_64_regions(bootinfo_driver: HostDriver) -> None:
    regions = [Region(i * 0x10000, 0x8000, AVAILABLE if i % 3 else RESERVED) for i in range(70)]
    data = boot_info(mmap_tag([(r.base, r.length, r.type) for r in regions]))
    assert parse(bootinfo_driver, data) == Parsed(
        regions=regions[:MAX_REGIONS],
        notes=["memory map has 6 regions beyond the first 64; ignored"],
        usable=usable(regions[:MAX_REGIONS]),
    )


def test_more_than_64_regions_over_two_maps(bootinfo_driver: HostDriver) -> None:
    regions = [Region(i * 0x10000, 0x8000, AVAILABLE) for i in range(66)]
    data = boot_info(
        mmap_tag([(r.base, r.length, r.type) for r in regions[:40]]),
        mmap_tag([(r.base, r.length, r.type) for r in regions[40:]]),
    )
    assert parse(bootinfo_driver, data) == Parsed(
        regions=regions[:MAX_REGIONS],
        notes=["memory map has 2 regions beyond the first 64; ignored"],
        usable=MAX_REGIONS * 0x8000,
    )


def test_notes_beyond_8_are_counted_as_dropped(bootinfo_driver: HostDriver) -> None:
    data = boot_info(mmap_tag([(FOUR_GIB + i * 0x1000, 0x1000, AVAILABLE) for i in range(11)]))
    assert parse(bootinfo_driver, data) == Parsed(
        notes=[
            f"memory region at 0x{FOUR_GIB + i * 0x1000:x} is above 4 GiB; ignored"
            for i in range(MAX_NOTES)
        ],
        notes_dropped=3,
    )


# --- bootinfo_classify_module ---


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"", "empty"),
        (b"\x7fELF\x01\x01\x01" + b"\0" * 9, "ELF"),
        (b"\x7fELF", "ELF"),
        (b"\x7fEL", "binary"),
        (b"x" * 257 + b"ustar\x0000", "tar"),
        (b"x" * 257 + b"ustar", "tar"),  # exactly 262 bytes
        (b"x" * 256 + b"ustar", "text"),  # "ustar" one byte early
        (b"x" * 257 + b"usta", "text"),  # too short to hold "ustar" at 257
        (b"RINGFLAT" + b"\0" * 8, "flat ramdisk"),
        (b"RINGFLA", "text"),
        (b"hello, world\n\ttabs\r\n\f", "text"),
        ("caf\u00e9 na\u00efve\n".encode(), "text"),  # bytes >= 0x80 count as text
        (b"text\0", "binary"),
        (b"text\x7f", "binary"),
        (b"\x1b[0m", "binary"),
        (b"a" * 4096 + b"\0", "text"),  # only the first 4 KiB are looked at
        (b"a" * 4095 + b"\0", "binary"),
    ],
)
def test_classify_module(bootinfo_driver: HostDriver, data: bytes, kind: str) -> None:
    assert classify(bootinfo_driver, data) == kind


# --- generated boot information (hypothesis) ---

latin1_text = st.text(st.characters(min_codepoint=1, max_codepoint=255), max_size=48)


@st.composite
def good_modules(draw: st.DrawFn) -> Module:
    if draw(st.booleans()):
        start = draw(st.integers(0, KERNEL_START))
        end = draw(st.integers(start, KERNEL_START))
    else:
        start = draw(st.integers(KERNEL_END, U32_MAX))
        end = draw(st.integers(start, U32_MAX))
    return Module(start, end, draw(latin1_text))


@st.composite
def good_regions(draw: st.DrawFn) -> Region:
    base = draw(st.integers(0, U32_MAX))
    length = draw(st.integers(0, FOUR_GIB - base))
    return Region(base, length, draw(st.one_of(st.integers(1, 5), st.integers(0, U32_MAX))))


@st.composite
def unknown_tags(draw: st.DrawFn) -> bytes:
    tag_type = draw(
        st.one_of(
            st.sampled_from([4, 5, 7, 9, 10, 14, 15, 21]),
            st.integers(9, U32_MAX).filter(lambda t: t not in (TAG_EFI32, TAG_EFI64)),
        )
    )
    return tag(tag_type, draw(st.binary(max_size=40)))


@dataclass
class Generated:
    data: bytes
    expected: Parsed


@st.composite
def well_formed(draw: st.DrawFn) -> Generated:
    """Well-formed boot information with nothing to note, and what the parser must return."""
    expected = Parsed()
    tags: list[bytes] = []
    if draw(st.booleans()):
        expected.cmdline = draw(latin1_text)
        tags.append(cmdline_tag(expected.cmdline))
    if draw(st.booleans()):
        expected.loader = draw(latin1_text)
        tags.append(loader_tag(expected.loader))
    modules = draw(st.lists(good_modules(), max_size=MAX_MODULES))
    maps = draw(
        st.lists(
            st.tuples(st.lists(good_regions(), max_size=20), st.sampled_from([24, 24, 32, 48])),
            max_size=3,
        )
    )
    regions_left = MAX_REGIONS
    for regions, entry_size in maps:
        regions = regions[:regions_left]
        regions_left -= len(regions)
        tags.append(mmap_tag([(r.base, r.length, r.type) for r in regions], entry_size=entry_size))
    tags.extend(module_tag(m.start, m.end, m.cmdline) for m in modules)
    tags.extend(draw(st.lists(unknown_tags(), max_size=4)))
    order = draw(st.permutations(range(len(tags))))
    tags = [tags[i] for i in order]
    # Modules and regions come back in the order their tags come in.
    for t in tags:
        tag_type = struct.unpack_from("<I", t)[0]
        if tag_type == TAG_MODULE:
            start, end = struct.unpack_from("<II", t, 8)
            size = struct.unpack_from("<I", t, 4)[0]
            expected.modules.append(Module(start, end, t[16 : size - 1].decode("latin-1")))
        elif tag_type == TAG_MMAP:
            size, entry_size = struct.unpack_from("<II", t, 4)
            for off in range(16, size, entry_size):
                base, length, region_type = struct.unpack_from("<QQI", t, off)
                expected.regions.append(Region(base, length, region_type))
    expected.usable = usable(expected.regions)
    trailing = draw(st.binary(max_size=16))  # readable bytes beyond the total size
    return Generated(boot_info(*tags) + trailing, expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(well_formed())
def test_generated_boot_information_round_trips(
    bootinfo_driver: HostDriver, generated: Generated
) -> None:
    assert parse(bootinfo_driver, generated.data) == generated.expected


# --- mutated boot information (hypothesis) ---

ERRORS = [
    r"only \d+ bytes readable",
    r"total size \d+ is too small",
    r"total size \d+ is not a multiple of 8",
    r"total size \d+ is larger than the \d+ bytes given",
    r"no end tag",
    r"tag \d+ \(type \d+\) has size [0-7], less than 8",
    r"tag \d+ \(type \d+, \d+ bytes\) runs past the end",
    r"command line has no terminating NUL",
    r"boot loader name has no terminating NUL",
]
NOTES = [
    r"module \d+: tag of (8|9|1[0-6]) bytes is too small; skipped",
    r"module \d+: command line has no terminating NUL; skipped",
    r"module \d+ \(.{0,40}\): end 0x[0-9a-f]{8} is before start 0x[0-9a-f]{8}; skipped",
    r"module \d+ \(.{0,40}\): 0x[0-9a-f]{8}-0x[0-9a-f]{8} overlaps the kernel; skipped",
    r"module 32 \(.{0,40}\): more than 32 modules; skipped",
    r"memory map tag of (8|9|1[0-5]) bytes is too small; map ignored",
    r"memory map entries of \d+ bytes are smaller than 24; map ignored",
    r"memory region at 0x[0-9a-f]+ is above 4 GiB; ignored",
    r"memory region at 0x[0-9a-f]+ runs past 4 GiB; clamped to 4 GiB",
    r"memory map has \d+ regions beyond the first 64; ignored",
    r"framebuffer tag of ([89]|[12]\d|3[01]) bytes is too small; ignored",
    r"RGB framebuffer tag of 3[2-7] bytes has no colour fields; ignored",
    r"EFI (32-bit system table tag of (8|9|1[01])|64-bit system table tag of (8|9|1[0-5])) "
    r"bytes is too small; ignored",
]
ERROR_RE = re.compile("boot information: (?:" + "|".join(ERRORS) + ")", re.DOTALL)
NOTE_RE = re.compile("|".join(NOTES), re.DOTALL)
INTERESTING_U32 = [0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 32, 0x7FFFFFFF, 0xFFFFFFF8, U32_MAX]


def tags_in(data: bytes) -> list[tuple[int, int]]:
    """(offset, bytes taken up to the next tag) of each tag, as far as the size fields say."""
    tags = []
    off = 8
    while off + 8 <= len(data):
        step = align8(struct.unpack_from("<I", data, off + 4)[0])
        if step < 8 or off + step > len(data):
            break
        tags.append((off, step))
        off += step
    return tags


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """Valid boot information, then up to 6 blind or tag-aware changes."""
    data = bytearray(draw(well_formed()).data)
    actions = ["flip", "byte", "u32", "truncate", "extend", "field", "field", "tail", "cut", "cut"]
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        action = draw(st.sampled_from(actions))
        tags = tags_in(data)
        if action == "flip":
            data[draw(st.integers(0, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))
        elif action == "byte":
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        elif action in ("u32", "field") and len(data) >= 4:
            if action == "field" and tags:
                # The type, size or first payload word (entry_size, mod_start) of some tag.
                off, _ = draw(st.sampled_from(tags))
                off += draw(st.sampled_from([0, 4, 4, 8, 12]))
            else:
                # Size, type and address fields all sit on 4-byte boundaries.
                off = 4 * draw(st.integers(0, len(data) // 4 - 1))
            if off + 4 > len(data):
                continue
            near_len = [len(data) + d for d in (-8, 0, 8)]
            value = draw(
                st.one_of(
                    st.sampled_from(INTERESTING_U32 + [v for v in near_len if v >= 0]),
                    st.integers(0, U32_MAX),
                )
            )
            struct.pack_into("<I", data, off, value)
        elif action == "truncate":
            del data[draw(st.integers(0, len(data))) :]
        elif action == "extend":
            data += draw(st.binary(min_size=1, max_size=24))
        elif action == "tail" and tags:
            # Overwrite the last bytes of a tag (its NUL, its padding) with non-zero bytes.
            off, step = draw(st.sampled_from(tags))
            count = draw(st.integers(1, min(8, step - 8)) if step > 8 else st.just(0))
            data[off + step - count : off + step] = b"\xa5" * count
        elif action == "cut" and tags:
            # End the buffer, and the total size, right after some tag (dropping the end tag):
            # then a read past that tag is a read past the buffer, which ASan sees.
            off, step = draw(st.sampled_from(tags))
            del data[off + step :]
            struct.pack_into("<I", data, 0, len(data))
    return bytes(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_boot_information_never_breaks_the_parser(
    bootinfo_driver: HostDriver, data: bytes
) -> None:
    # The driver dying (a sanitizer report, a crash, a hang) fails the test by itself.
    result = parse(bootinfo_driver, data)
    if result.error is not None:
        assert ERROR_RE.fullmatch(result.error), result.error
    for note in result.notes:
        assert NOTE_RE.fullmatch(note), note
        assert len(note) < TEXT_SIZE
    assert len(result.notes) <= MAX_NOTES
    assert result.notes_dropped == 0 or len(result.notes) == MAX_NOTES
    assert len(result.regions) <= MAX_REGIONS
    assert len(result.modules) <= MAX_MODULES
    assert result.usable == usable(result.regions)
    if result.error is None:
        for m in result.modules:
            assert m.end >= m.start, m
            assert m.end <= KERNEL_START or m.start >= KERNEL_END, m
        for r in result.regions:
            assert r.end <= FOUR_GIB, r
