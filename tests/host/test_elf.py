"""lib/elf.c on the host: hand-made, toolchain-made, generated and mutated ELF32 files.

Each file goes to build/host/elf_driver (protocol at the top of tests/host/drivers/elf_driver.c),
which runs elf_parse on a copy of exactly its bytes under AddressSanitizer and UBSan.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hostdriver import HostDriver
from ringlet.paths import BUILD

USER_TOP = 0xC000_0000  # KERNBASE: what the kernel's loader passes
U32_MAX = 0xFFFF_FFFF
MAX_SEGMENTS = 16
EHDR_SIZE, PHDR_SIZE = 52, 32
ET_REL, ET_EXEC, ET_DYN = 1, 2, 3
EM_386, EM_X86_64 = 3, 62
PT_NULL, PT_LOAD, PT_NOTE, PT_PHDR, PT_GNU_STACK = 0, 1, 4, 6, 0x6474E551
PF_X, PF_W, PF_R = 1, 2, 4
IDENT = b"\x7fELF\x01\x01\x01" + bytes(9)

# --- building ELF files ---


@dataclass(frozen=True)
class Phdr:
    type: int = PT_LOAD
    offset: int = 0
    vaddr: int = 0
    filesz: int = 0
    memsz: int = 0
    flags: int = PF_R
    align: int = 0x1000

    def pack(self) -> bytes:
        return struct.pack(
            "<8I",
            self.type,
            self.offset,
            self.vaddr,
            self.vaddr,  # p_paddr, which the parser ignores
            self.filesz,
            self.memsz,
            self.flags,
            self.align,
        )


def elf_file(
    entry: int,
    phdrs: list[Phdr],
    body: bytes = b"",
    *,
    ident: bytes = IDENT,
    e_type: int = ET_EXEC,
    machine: int = EM_386,
    version: int = 1,
    phoff: int = EHDR_SIZE,
    phentsize: int = PHDR_SIZE,
    phnum: int | None = None,
) -> bytes:
    """ELF header, the program headers at phoff (zeros up to there), then body right after."""
    header = struct.pack(
        "<16sHHIIIIIHHHHHH",
        ident,
        e_type,
        machine,
        version,
        entry,
        phoff,
        0,  # e_shoff: no section headers
        0,  # e_flags
        EHDR_SIZE,
        phentsize,
        len(phdrs) if phnum is None else phnum,
        40,
        0,
        0,
    )
    table = b"".join(p.pack() for p in phdrs)
    return header.ljust(phoff, b"\0") + table + body


@dataclass(frozen=True)
class Seg:
    """A segment for program(): its bytes go into the file, zeros follow up to memsz."""

    vaddr: int
    data: bytes
    memsz: int | None = None
    flags: int = PF_R | PF_X


def program(entry: int, segs: list[Seg], extra: list[Phdr] | None = None) -> bytes:
    """A file whose PT_LOAD segments hold segs' bytes, one after the other after the headers;
    the `extra` program headers (not loaded) come after them in the table."""
    extra = extra or []
    offset = EHDR_SIZE + PHDR_SIZE * (len(segs) + len(extra))
    phdrs = []
    for s in segs:
        memsz = len(s.data) if s.memsz is None else s.memsz
        phdrs.append(Phdr(PT_LOAD, offset, s.vaddr, len(s.data), memsz, s.flags))
        offset += len(s.data)
    return elf_file(entry, phdrs + extra, b"".join(s.data for s in segs))


# --- what the driver says ---


@dataclass(frozen=True)
class Segment:
    vaddr: int
    memsz: int
    offset: int
    filesz: int
    writable: bool
    executable: bool


@dataclass
class Parsed:
    error: str | None = None
    entry: int = 0
    phdr: int = 0
    phnum: int = 0
    segments: list[Segment] = field(default_factory=list)


def unescape(text: bytes) -> str:
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m[1], 16)), text.decode("ascii"))


def parse(driver: HostDriver, data: bytes, user_top: int = USER_TOP) -> Parsed:
    payload = struct.pack("<I", user_top) + data
    lines = driver.ask_lines(b"P" + struct.pack("<I", len(payload)) + payload)
    out = Parsed()
    for line in lines:
        word, _, value = line.partition(b" ")
        if word == b"status":
            if value != b"ok":
                assert value.startswith(b"error "), line
                out.error = unescape(value.removeprefix(b"error "))
        elif word == b"entry":
            out.entry = int(value, 16)
        elif word == b"phdr":
            out.phdr = int(value, 16)
        elif word == b"phnum":
            out.phnum = int(value)
        elif word == b"segment":
            vaddr, memsz, offset, filesz, flags = value.decode("ascii").split(" ")
            assert flags in ("--", "-x", "w-", "wx"), line
            numbers = (int(vaddr, 16), int(memsz, 16), int(offset, 16), int(filesz, 16))
            out.segments.append(Segment(*numbers, flags[0] == "w", flags[1] == "x"))
        else:
            raise AssertionError(f"unexpected line from the driver: {line!r}")
    return out


def error_of(driver: HostDriver, data: bytes, user_top: int = USER_TOP) -> str | None:
    return parse(driver, data, user_top).error


# --- a good file ---

TEXT_VADDR = 0x0804_8000
DATA_VADDR = 0x0804_A123  # not page-aligned


def good_file() -> tuple[bytes, Parsed]:
    """Text (R+X, from offset 0, so it covers the headers), data (RW, memsz > filesz, not
    page-aligned) and a PT_GNU_STACK header that loads nothing."""
    code = bytes(range(0x40))
    data = b"D" * 0x30
    headers = EHDR_SIZE + 3 * PHDR_SIZE
    text_size = headers + len(code)
    entry = TEXT_VADDR + headers + 0x10
    phdrs = [
        Phdr(PT_LOAD, 0, TEXT_VADDR, text_size, text_size, PF_R | PF_X),
        Phdr(PT_LOAD, text_size, DATA_VADDR, len(data), 0x2000, PF_R | PF_W),
        Phdr(PT_GNU_STACK, 0, 0, 0, 0, PF_R | PF_W, 0x10),
    ]
    expected = Parsed(
        entry=entry,
        phdr=TEXT_VADDR + EHDR_SIZE,
        phnum=3,
        segments=[
            Segment(TEXT_VADDR, text_size, 0, text_size, False, True),
            Segment(DATA_VADDR, 0x2000, text_size, len(data), True, False),
        ],
    )
    return elf_file(entry, phdrs, code + data), expected


def test_good_file_comes_back_exactly(elf_driver: HostDriver) -> None:
    data, expected = good_file()
    assert parse(elf_driver, data) == expected


def test_phdr_vaddr_is_0_when_no_segment_covers_the_headers(elf_driver: HostDriver) -> None:
    data = program(0x40_0000, [Seg(0x40_0000, b"\x90" * 16)])  # bytes after the headers only
    assert parse(elf_driver, data) == Parsed(
        entry=0x40_0000,
        phdr=0,
        phnum=1,
        segments=[Segment(0x40_0000, 16, EHDR_SIZE + PHDR_SIZE, 16, False, True)],
    )


def test_phdr_vaddr_when_the_headers_are_in_the_middle_of_a_segment(
    elf_driver: HostDriver,
) -> None:
    # The program header table at offset 0x100, inside a segment that starts at offset 0x80.
    phdrs = [Phdr(PT_LOAD, 0x80, 0x10_0000, 0x200, 0x200, PF_R | PF_X)]
    data = elf_file(0x10_0010, phdrs, bytes(0x300), phoff=0x100)
    assert parse(elf_driver, data) == Parsed(
        entry=0x10_0010,
        phdr=0x10_0000 + 0x80,
        phnum=1,
        segments=[Segment(0x10_0000, 0x200, 0x80, 0x200, False, True)],
    )


def test_phdr_vaddr_is_0_when_a_segment_ends_right_before_the_headers(
    elf_driver: HostDriver,
) -> None:
    phdrs = [Phdr(PT_LOAD, 0x80, 0x10_0000, 0x80, 0x80, PF_R | PF_X)]  # file bytes 0x80..0x100
    data = elf_file(0x10_0010, phdrs, bytes(0x100), phoff=0x100)
    parsed = parse(elf_driver, data)
    assert (parsed.error, parsed.phdr) == (None, 0)


def test_segments_may_touch_both_ends_of_user_space(elf_driver: HostDriver) -> None:
    data = program(
        0x1000,
        [Seg(0x1000, b"\xc3"), Seg(USER_TOP - 0x1000, b"", memsz=0x1000, flags=PF_R | PF_W)],
    )
    parsed = parse(elf_driver, data)
    assert parsed.error is None
    assert [(s.vaddr, s.vaddr + s.memsz) for s in parsed.segments] == [
        (0x1000, 0x1001),
        (USER_TOP - 0x1000, USER_TOP),
    ]


def test_sixteen_loadable_segments_are_fine(elf_driver: HostDriver) -> None:
    segs = [Seg(0x10_0000 + i * 0x1000, bytes([i]) * 8) for i in range(MAX_SEGMENTS)]
    parsed = parse(elf_driver, program(0x10_0000, segs))
    assert parsed.error is None
    assert [s.vaddr for s in parsed.segments] == [s.vaddr for s in segs]


def test_other_program_headers_are_not_checked(elf_driver: HostDriver) -> None:
    # Nonsense in a PT_NOTE, PT_NULL or PT_PHDR header does not matter: nothing of it is loaded.
    extra = [
        Phdr(PT_NOTE, U32_MAX, 0, 0x10, 0x8, PF_R),
        Phdr(PT_NULL, 0, 0xFFFF_F000, 0, 0x2000, 0),
        Phdr(PT_PHDR, 0x10_0000, 0, 0x1000, 0x1000, PF_R),
    ]
    data = program(0x2000, [Seg(0x2000, b"\x90" * 4)], extra)
    parsed = parse(elf_driver, data)
    assert parsed.error is None
    assert parsed.phnum == 4
    assert len(parsed.segments) == 1


def test_the_entry_may_be_the_last_byte_of_an_executable_segment(elf_driver: HostDriver) -> None:
    segs = [Seg(0x1000, b"\x90" * 8, memsz=0x20)]
    assert parse(elf_driver, program(0x101F, segs)).entry == 0x101F  # in the zero-filled part


def test_user_top_is_a_parameter(elf_driver: HostDriver) -> None:
    data = program(0x40_0000, [Seg(0x40_0000, b"\x90" * 16)])
    assert error_of(elf_driver, data, user_top=0x40_0010) is None
    assert error_of(elf_driver, data, user_top=0x40_000F) == (
        "segment 0: 0x00400000-0x00400010 is outside user space"
    )


# --- refusals, one a reason ---


def base_program(**header: int | bytes) -> bytes:
    phdrs = [Phdr(PT_LOAD, 0, TEXT_VADDR, 0x100, 0x100, PF_R | PF_X)]
    return elf_file(TEXT_VADDR + 0x80, phdrs, bytes(0x100 - EHDR_SIZE - PHDR_SIZE), **header)


def patched(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def with_ident(index: int, value: int) -> bytes:
    ident = bytearray(IDENT)
    ident[index] = value
    return base_program(ident=bytes(ident))


def one_load(phdr: Phdr, *, entry: int | None = None, size: int = 0x200) -> bytes:
    """A file of `size` bytes with this one program header (entry: its first byte)."""
    body = bytes(size - EHDR_SIZE - PHDR_SIZE)
    return elf_file(phdr.vaddr if entry is None else entry, [phdr], body)


LOAD = Phdr(PT_LOAD, 0, 0x1000, 0x100, 0x100, PF_R | PF_X)
MANY = [Seg(0x10_0000 + i * 0x1000, b"\x90") for i in range(MAX_SEGMENTS + 1)]

REFUSALS = [
    ("empty", b"", "bad ELF magic"),
    ("header cut short", base_program()[: EHDR_SIZE - 1], "bad ELF magic"),
    ("bad magic", b"\x7fELG" + base_program()[4:], "bad ELF magic"),
    ("class 2", with_ident(4, 2), "not a 32-bit ELF file (class 2)"),
    ("class 0", with_ident(4, 0), "not a 32-bit ELF file (class 0)"),
    ("data encoding 2", with_ident(5, 2), "not little-endian (data encoding 2)"),
    ("ident version 0", with_ident(6, 0), "unknown ELF version"),
    ("e_version 2", base_program(version=2), "unknown ELF version"),
    ("machine 62", base_program(machine=EM_X86_64), "not an i386 program (machine 62)"),
    ("ET_DYN", base_program(e_type=ET_DYN), "not a static executable (type 3)"),
    ("ET_REL", base_program(e_type=ET_REL), "not a static executable (type 1)"),
    ("phentsize 56", base_program(phentsize=56), "program headers of 56 bytes, not 32"),
    ("phentsize 0", base_program(phentsize=0), "program headers of 0 bytes, not 32"),
    (
        "phoff past end",
        patched(base_program(), 28, "<I", 0x101),
        "program header table past end of file",
    ),
    (
        "phoff at end",
        patched(base_program(), 28, "<I", 0x100),
        "program header table past end of file",
    ),
    (
        "phoff huge",
        patched(base_program(), 28, "<I", U32_MAX),
        "program header table past end of file",
    ),
    ("table past end", base_program(phnum=8), "program header table past end of file"),
    ("phnum 65535", base_program(phnum=0xFFFF), "program header table past end of file"),
    (
        "filesz > memsz",
        one_load(replace(LOAD, memsz=0xFF)),
        "segment 0: p_filesz 256 > p_memsz 255",
    ),
    (
        "offset past end",
        one_load(replace(LOAD, offset=0x201, filesz=0, memsz=0x10)),
        "segment 0: file bytes past end of file",
    ),
    (
        "file bytes one past end",
        one_load(replace(LOAD, offset=0x101, filesz=0x100)),
        "segment 0: file bytes past end of file",
    ),
    (
        "file bytes wrap",
        one_load(replace(LOAD, offset=0x100, filesz=U32_MAX - 0xFF, memsz=U32_MAX)),
        "segment 0: file bytes past end of file",
    ),
    (
        "wraps",
        one_load(replace(LOAD, vaddr=0xFFFF_F000, filesz=0, memsz=0x2000)),
        "segment 0: address range wraps around",
    ),
    (
        "wraps to exactly 0",
        one_load(replace(LOAD, vaddr=0xFFFF_F000, filesz=0, memsz=0x1000)),
        "segment 0: address range wraps around",
    ),
    (
        "at 0",
        one_load(replace(LOAD, vaddr=0, filesz=0, memsz=0x1000), entry=0x10),
        "segment 0: 0x00000000-0x00001000 is outside user space",
    ),
    (
        "in the NULL page",
        one_load(replace(LOAD, vaddr=0xFFF, memsz=0x1000)),
        "segment 0: 0x00000fff-0x00001fff is outside user space",
    ),
    (
        "one byte into user_top",
        one_load(replace(LOAD, vaddr=USER_TOP - 0x1000, memsz=0x1001)),
        "segment 0: 0xbffff000-0xc0000001 is outside user space",
    ),
    (
        "in the kernel half",
        one_load(replace(LOAD, vaddr=0xC010_0000)),
        "segment 0: 0xc0100000-0xc0100100 is outside user space",
    ),
    (
        "the second of two",
        program(0x1000, [Seg(0x1000, b"\x90"), Seg(0xBFFF_FFFF, b"\0\0")]),
        "segment 1: 0xbfffffff-0xc0000001 is outside user space",
    ),
    (
        "numbered among all program headers",
        elf_file(
            0x1000,
            [Phdr(PT_NOTE), Phdr(PT_GNU_STACK), replace(LOAD, offset=0, vaddr=0x800)],
            bytes(0x100),
        ),
        "segment 2: 0x00000800-0x00000900 is outside user space",
    ),
    ("no program headers", base_program(phnum=0), "no PT_LOAD segment"),
    (
        "no PT_LOAD",
        elf_file(0x1000, [Phdr(PT_NOTE, 0, 0x1000, 4, 4), Phdr(PT_GNU_STACK)], b"abcd"),
        "no PT_LOAD segment",
    ),
    ("entry 0", one_load(LOAD, entry=0), "entry point is 0"),
    (
        "entry below the segment",
        one_load(LOAD, entry=0xFFF),
        "entry point 0x00000fff is not in an executable segment",
    ),
    (
        "entry just past the segment",
        one_load(LOAD, entry=0x1100),
        "entry point 0x00001100 is not in an executable segment",
    ),
    (
        "entry in a data segment",
        program(0x2000, [Seg(0x1000, b"\x90" * 0x10), Seg(0x2000, b"d" * 0x10, flags=PF_R | PF_W)]),
        "entry point 0x00002000 is not in an executable segment",
    ),
    (
        "entry in a memsz 0 segment",
        program(0x1000, [Seg(0x1000, b"", memsz=0)]),
        "entry point 0x00001000 is not in an executable segment",
    ),
    ("17 PT_LOAD", program(0x10_0000, MANY), "more than 16 loadable segments"),
]


@pytest.mark.parametrize(
    "data, message", [(d, m) for _, d, m in REFUSALS], ids=[name for name, _, _ in REFUSALS]
)
def test_refusal(elf_driver: HostDriver, data: bytes, message: str) -> None:
    assert error_of(elf_driver, data) == message


def test_refusals_are_about_the_first_problem(elf_driver: HostDriver) -> None:
    # Both the class and the machine are wrong: the class is looked at first.
    ident = bytearray(IDENT)
    ident[4] = 2
    assert error_of(elf_driver, base_program(ident=bytes(ident), machine=EM_X86_64)) == (
        "not a 32-bit ELF file (class 2)"
    )
    # An x86-64 relocatable object: the machine is reported before the type.
    assert error_of(elf_driver, base_program(machine=EM_X86_64, e_type=ET_REL)) == (
        "not an i386 program (machine 62)"
    )


# --- files made by the toolchain ---

TINY_PROGRAM = """
volatile int counter = 5;
volatile char buffer[8192];

void _start(void)
{
    buffer[counter] = 1;
    for (;;) {
    }
}
"""


def expected_from_pyelftools(path: Path) -> Parsed:
    """What elf_parse must say about a good executable, read independently with pyelftools."""
    with path.open("rb") as f:
        elf = ELFFile(f)
        header = elf.header
        phoff = header["e_phoff"]
        out = Parsed(entry=header["e_entry"], phnum=header["e_phnum"])
        for segment in elf.iter_segments():
            if segment["p_type"] != "PT_LOAD":
                continue
            offset, filesz = segment["p_offset"], segment["p_filesz"]
            flags = segment["p_flags"]
            out.segments.append(
                Segment(
                    segment["p_vaddr"],
                    segment["p_memsz"],
                    offset,
                    filesz,
                    bool(flags & PF_W),
                    bool(flags & PF_X),
                )
            )
            if offset <= phoff < offset + filesz:
                out.phdr = segment["p_vaddr"] + phoff - offset
    return out


def test_a_program_built_by_gcc(elf_driver: HostDriver, tmp_path: Path) -> None:
    if shutil.which("gcc") is None:
        pytest.skip("no gcc")
    source = tmp_path / "tiny.c"
    source.write_text(TINY_PROGRAM)
    exe = tmp_path / "tiny"
    command = [
        "gcc",
        "-m32",
        "-nostdlib",
        "-static",
        "-no-pie",
        "-O1",
        "-Wl,-Ttext=0x04000000",
        "-o",
        str(exe),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    expected = expected_from_pyelftools(exe)
    # What we know of it without pyelftools: code at 0x04000000, the zero-filled buffer.
    assert 0x0400_0000 <= expected.entry < 0x0400_1000
    assert any(s.executable and s.vaddr == 0x0400_0000 for s in expected.segments)
    assert any(s.writable and s.memsz >= s.filesz + 8192 for s in expected.segments)
    assert parse(elf_driver, exe.read_bytes()) == expected


def test_the_kernel_itself_is_refused(elf_driver: HostDriver) -> None:
    kernel = BUILD / "kernel" / "ringlet.elf"
    with kernel.open("rb") as f:
        elf = ELFFile(f)
        loads = [
            (i, s["p_vaddr"], s["p_memsz"])
            for i, s in enumerate(elf.iter_segments())
            if s["p_type"] == "PT_LOAD"
        ]
    # The kernel starts with its .boot code at 1 MiB (physical = virtual), which would be a
    # fine user address; its other segments are linked at KERNBASE + 1 MiB and up.
    first_high = next((i, v, m) for i, v, m in loads if v + m > USER_TOP)
    assert all(v >= 0x1000 and v + m <= USER_TOP for i, v, m in loads if i < first_high[0])
    assert loads[0][1] == 0x10_0000
    index, vaddr, memsz = first_high
    assert vaddr >= USER_TOP
    assert error_of(elf_driver, kernel.read_bytes()) == (
        f"segment {index}: 0x{vaddr:08x}-0x{vaddr + memsz:08x} is outside user space"
    )


# --- generated programs (hypothesis) ---


@st.composite
def good_programs(draw: st.DrawFn) -> tuple[bytes, Parsed, int]:
    """A valid program of 1 to 16 segments anywhere in user space, with its expected parse."""
    user_top = draw(st.sampled_from([USER_TOP, USER_TOP, 0x8000_0000, 0xFFFF_F000, U32_MAX]))
    count = draw(st.integers(1, MAX_SEGMENTS))
    nonload = draw(st.lists(st.sampled_from([PT_NOTE, PT_GNU_STACK, PT_NULL]), max_size=3))
    table_end = EHDR_SIZE + PHDR_SIZE * (count + len(nonload))
    offset = table_end
    body = b""
    phdrs: list[Phdr] = []
    segments: list[Segment] = []
    for i in range(count):
        filesz = draw(st.integers(0, 64))
        low = max(filesz, 1) if i == 0 else filesz  # the first may become the executable one
        memsz = draw(st.one_of(st.just(low), st.integers(low, 0x10_0000)))
        vaddr = draw(st.integers(0x1000, user_top - memsz))
        flags = draw(st.integers(0, 7))
        phdrs.append(Phdr(PT_LOAD, offset, vaddr, filesz, memsz, flags))
        segments.append(Segment(vaddr, memsz, offset, filesz, bool(flags & PF_W), bool(flags & 1)))
        body += draw(st.binary(min_size=filesz, max_size=filesz))
        offset += filesz
    runnable = [s for s in segments if s.executable and s.memsz > 0]
    if not runnable:
        s = segments[0]
        segments[0] = replace(s, executable=True)
        phdrs[0] = replace(phdrs[0], flags=phdrs[0].flags | PF_X)
        runnable = [segments[0]]
    target = draw(st.sampled_from(runnable))
    entry = target.vaddr + draw(st.integers(0, target.memsz - 1))
    order = draw(st.permutations(range(count + len(nonload))))
    table = phdrs + [Phdr(t, 0, 0, 0, 0, PF_R) for t in nonload]
    table = [table[i] for i in order]
    data = elf_file(entry, table, body)
    expected = Parsed(
        entry=entry,
        phnum=len(table),
        segments=[segments[i] for i in order if i < count],
    )
    return data, expected, user_top


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(good_programs())
def test_generated_programs_round_trip(
    elf_driver: HostDriver, generated: tuple[bytes, Parsed, int]
) -> None:
    data, expected, user_top = generated
    assert parse(elf_driver, data, user_top) == expected


# --- mutated files (hypothesis) ---

MESSAGES = [
    r"bad ELF magic",
    r"not a 32-bit ELF file \(class \d+\)",
    r"not little-endian \(data encoding \d+\)",
    r"unknown ELF version",
    r"not an i386 program \(machine \d+\)",
    r"not a static executable \(type \d+\)",
    r"program headers of \d+ bytes, not 32",
    r"program header table past end of file",
    r"entry point is 0",
    r"segment \d+: p_filesz \d+ > p_memsz \d+",
    r"segment \d+: file bytes past end of file",
    r"segment \d+: address range wraps around",
    r"segment \d+: 0x[0-9a-f]{8}-0x[0-9a-f]{8} is outside user space",
    r"more than 16 loadable segments",
    r"no PT_LOAD segment",
    r"entry point 0x[0-9a-f]{8} is not in an executable segment",
]
MESSAGE_RE = re.compile("|".join(MESSAGES))
INTERESTING_U32 = [0, 1, 0xFFF, 0x1000, 0x1001, 0xBFFF_FFFF, USER_TOP, 0x8000_0000, U32_MAX]
# Offsets of the 4-byte fields of the ELF header that lead somewhere: entry, phoff, and the
# halfword pairs (type, machine) and (phentsize, phnum).
HEADER_FIELDS = [16, 20, 24, 28, 40, 44]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    base = draw(st.one_of(good_programs().map(lambda g: g[0]), st.just(good_file()[0])))
    data = bytearray(base)
    phnum = struct.unpack_from("<H", data, 44)[0]
    headers_end = EHDR_SIZE + PHDR_SIZE * phnum
    for _ in range(draw(st.integers(1, 5))):
        if not data:
            break
        action = draw(st.sampled_from(["flip", "byte", "field", "phdr", "phdr", "truncate"]))
        # A byte of the headers; hypothesis likes small numbers, so the magic only now and then.
        first = 0 if draw(st.integers(0, 7)) == 0 else 4
        i = draw(st.sampled_from(range(min(first, len(data) - 1), min(len(data), headers_end))))
        if action == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif action == "byte":
            data[i] = draw(st.integers(0, 255))
        elif action in ("field", "phdr"):
            if action == "field":
                off = draw(st.sampled_from(HEADER_FIELDS))
            else:
                # Some field of some program header (type, offset, vaddr, ..., flags).
                off = EHDR_SIZE + PHDR_SIZE * draw(st.integers(0, max(phnum - 1, 0)))
                off += 4 * draw(st.integers(0, 7))
            if off + 4 > len(data):
                continue
            near = [len(data) + d for d in (-1, 0, 1)]
            value = draw(
                st.one_of(st.sampled_from(INTERESTING_U32 + near), st.integers(0, U32_MAX))
            )
            struct.pack_into("<I", data, off, value)
        else:
            # Mostly past the ELF header, where the program headers and segments are.
            low = 0 if draw(st.integers(0, 3)) == 0 else min(EHDR_SIZE, len(data))
            del data[draw(st.integers(low, len(data))) :]
    return bytes(data)


def check_invariants(data: bytes, parsed: Parsed, user_top: int) -> None:
    """What every accepted file must satisfy, whatever the bytes were."""
    assert parsed.error is None
    assert 1 <= len(parsed.segments) <= MAX_SEGMENTS
    for s in parsed.segments:
        assert 0x1000 <= s.vaddr, s
        assert s.vaddr + s.memsz <= user_top, s  # Python ints: a wrap would show as > 2**32
        assert s.offset + s.filesz <= len(data), s
        assert s.filesz <= s.memsz, s
    assert any(
        s.executable and s.vaddr <= parsed.entry < s.vaddr + s.memsz for s in parsed.segments
    ), parsed
    (phoff,) = struct.unpack_from("<I", data, 28)
    assert phoff + PHDR_SIZE * parsed.phnum <= len(data)


def model(data: bytes, user_top: int) -> Parsed:
    """elf_parse in Python, checks in the order elf.h lists them: the result, or the error."""
    if len(data) < EHDR_SIZE or data[:4] != b"\x7fELF":
        return Parsed("bad ELF magic")
    if data[4] != 1:
        return Parsed(f"not a 32-bit ELF file (class {data[4]})")
    if data[5] != 1:
        return Parsed(f"not little-endian (data encoding {data[5]})")
    e_type, machine, version, entry, phoff = struct.unpack_from("<HHIII", data, 16)
    phentsize, phnum = struct.unpack_from("<HH", data, 42)
    if data[6] != 1 or version != 1:
        return Parsed("unknown ELF version")
    if machine != EM_386:
        return Parsed(f"not an i386 program (machine {machine})")
    if e_type != ET_EXEC:
        return Parsed(f"not a static executable (type {e_type})")
    if phentsize != PHDR_SIZE:
        return Parsed(f"program headers of {phentsize} bytes, not 32")
    if phoff + PHDR_SIZE * phnum > len(data):
        return Parsed("program header table past end of file")
    if entry == 0:
        return Parsed("entry point is 0")
    out = Parsed(entry=entry, phnum=phnum)
    for i in range(phnum):
        p_type, offset, vaddr, _, filesz, memsz, flags, _ = struct.unpack_from(
            "<8I", data, phoff + PHDR_SIZE * i
        )
        if p_type != PT_LOAD:
            continue
        if filesz > memsz:
            return Parsed(f"segment {i}: p_filesz {filesz} > p_memsz {memsz}")
        if offset + filesz > len(data):
            return Parsed(f"segment {i}: file bytes past end of file")
        end = vaddr + memsz
        if end > U32_MAX:  # in 32 bits: vaddr + memsz < vaddr
            return Parsed(f"segment {i}: address range wraps around")
        if vaddr < 0x1000 or end > user_top:
            return Parsed(f"segment {i}: 0x{vaddr:08x}-0x{end:08x} is outside user space")
        if len(out.segments) == MAX_SEGMENTS:
            return Parsed("more than 16 loadable segments")
        out.segments.append(
            Segment(vaddr, memsz, offset, filesz, bool(flags & PF_W), bool(flags & 1))
        )
        if offset <= phoff < offset + filesz:
            out.phdr = vaddr + phoff - offset
    if not out.segments:
        return Parsed("no PT_LOAD segment")
    if not any(s.executable and s.vaddr <= entry < s.vaddr + s.memsz for s in out.segments):
        return Parsed(f"entry point 0x{entry:08x} is not in an executable segment")
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.sampled_from([USER_TOP, 0x0800_0000, U32_MAX]))
def test_mutated_files_never_break_the_parser(
    elf_driver: HostDriver, data: bytes, user_top: int
) -> None:
    # The driver dying (a sanitizer report, a crash, a hang) fails the test by itself.
    parsed = parse(elf_driver, data, user_top)
    event(re.sub(r"0x[0-9a-f]+|\d+", "N", parsed.error or "accepted"))
    if parsed.error is not None:
        assert MESSAGE_RE.fullmatch(parsed.error), parsed.error
        assert parsed.error == model(data, user_top).error
    else:
        check_invariants(data, parsed, user_top)
        assert parsed == model(data, user_top)
