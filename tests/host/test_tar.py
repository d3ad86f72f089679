"""lib/tar.c on the host: archives made by Python's tarfile (ustar and GNU), broken and mutated.

Each archive goes to build/host/tar_driver (protocol at the top of
tests/host/drivers/tar_driver.c), which iterates over a copy of exactly its bytes under
AddressSanitizer and UBSan and checks every returned entry against the buffer itself.
"""

from __future__ import annotations

import io
import re
import struct
import tarfile
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hostdriver import HostDriver

BLOCK = 512
USTAR, GNU = tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT

# --- what the driver says ---


@dataclass(frozen=True)
class Entry:
    type: str
    offset: int  # of the data, from the start of the archive
    size: int
    path: str
    link: str = ""  # a hard or symbolic link's target


@dataclass
class Listing:
    entries: list[Entry]
    error: str | None = None  # None: tar_next returned 0 at the end
    modes: list[int] = field(default_factory=list, compare=False)  # each entry's permission bits


def unescape(text: bytes) -> str:
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m[1], 16)), text.decode("ascii"))


def iterate(driver: HostDriver, archive: bytes) -> Listing:
    lines = driver.ask_lines(b"T" + struct.pack("<I", len(archive)) + archive)
    *body, last = lines
    out = Listing([])
    for line in body:
        word, type_, offset, size, path, link, mode = line.decode("ascii").split(" ")
        assert word == "entry" and path.startswith("x") and link.startswith("x"), line
        out.modes.append(int(mode, 8))
        out.entries.append(
            Entry(
                type_,
                int(offset),
                int(size),
                bytes.fromhex(path[1:]).decode("latin-1"),
                bytes.fromhex(link[1:]).decode("latin-1"),
            )
        )
    if last != b"end":
        assert last.startswith(b"error "), lines
        out.error = unescape(last.removeprefix(b"error "))
    return out


# --- making archives ---

DIR = None  # in a member list: a directory


def make_tar(members: list[tuple[str, bytes | None]], fmt: int = USTAR) -> bytes:
    """An archive of these members (path, content; DIR for a directory), as tarfile writes it."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as tar:
        for path, content in members:
            info = tarfile.TarInfo(path)
            if content is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
            else:
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    return out.getvalue()


def expected_entries(archive: bytes) -> list[Entry]:
    """What tar_next must return, read independently with tarfile: files and directories in
    order, "/" + the path without "./" in front or "/" behind, the archive root left out."""
    out = []
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for m in tar.getmembers():
            if not (m.isreg() or m.isdir()):
                continue
            path = m.name
            while path.startswith("./"):
                path = path[2:]
            path = "/" + path.rstrip("/")
            if path in ("/", "/."):
                continue
            out.append(Entry("5" if m.isdir() else "0", m.offset_data, m.size, path))
    return out


def checksum(header: bytes | bytearray) -> int:
    return sum(header[:148]) + 8 * ord(" ") + sum(header[156:BLOCK])


def fix_checksum(data: bytearray, offset: int) -> None:
    header = data[offset : offset + BLOCK]
    data[offset + 148 : offset + 156] = b"%06o\0 " % checksum(header)


def set_field(data: bytes, header: int, start: int, value: bytes, *, fix: bool = True) -> bytes:
    """The archive with bytes at header + start replaced (and the checksum made right again)."""
    out = bytearray(data)
    out[header + start : header + start + len(value)] = value
    if fix:
        fix_checksum(out, header)
    return bytes(out)


def data_at(archive: bytes, entry: Entry) -> bytes:
    return archive[entry.offset : entry.offset + entry.size]


# --- well-formed archives ---

TREE: list[tuple[str, bytes | None]] = [
    ("bin", DIR),
    ("bin/sh", b"\x7fELF shell"),
    ("etc", DIR),
    ("etc/motd", b"Welcome to Ringlet.\n"),
    ("etc/empty", b""),
    ("usr/share/doc/deep/nested/readme.txt", b"nested\n" * 100),
    ("exact512", bytes(range(256)) * 2),
    ("exact1024", b"k" * 1024),
    ("one-less", b"l" * 511),
    ("one-more", b"m" * 513),
]


@pytest.mark.parametrize("fmt", [USTAR, GNU], ids=["ustar", "gnu"])
def test_a_tree_comes_back_in_order(tar_driver: HostDriver, fmt: int) -> None:
    archive = make_tar(TREE, fmt)
    listing = iterate(tar_driver, archive)
    assert listing.error is None
    assert [(e.type, e.path, e.size) for e in listing.entries] == [
        ("5" if content is None else "0", "/" + path, len(content or b"")) for path, content in TREE
    ]
    assert listing.entries == expected_entries(archive)
    for entry, (_, content) in zip(listing.entries, TREE, strict=True):
        assert data_at(archive, entry) == (content or b"")


def test_data_offsets_follow_the_blocks(tar_driver: HostDriver) -> None:
    archive = make_tar([("a", b"x" * 512), ("b", b""), ("c", b"y" * 513), ("d", b"z")])
    # a: header at 0, data 512..1024; b: header at 1024, no data; c: header 1536, 3 blocks.
    assert iterate(tar_driver, archive).entries == [
        Entry("0", 512, 512, "/a"),
        Entry("0", 1536, 0, "/b"),
        Entry("0", 2048, 513, "/c"),
        Entry("0", 3584, 1, "/d"),
    ]


def test_a_path_in_the_prefix_field(tar_driver: HostDriver) -> None:
    path = "p" * 60 + "/" + "q" * 60 + "/" + "name.txt"  # 130 characters: prefix + name
    archive = make_tar([(path, b"long")])
    assert archive[345:346] == b"p"  # tarfile put the directories in the prefix field
    listing = iterate(tar_driver, archive)
    assert listing == Listing([Entry("0", 512, 4, "/" + path)])


@pytest.mark.parametrize("length", [101, 200, 254, 255, 256])
def test_long_ustar_paths(tar_driver: HostDriver, length: int) -> None:
    # The longest path ustar holds is 256 characters: a full 155-byte prefix, "/", and a full
    # 100-byte name. With "/" in front that is 257 characters, and the NUL.
    name = "n" * 100 if length > 200 else "n" * 50
    prefix = "p" * (length - len(name) - 1)
    archive = make_tar([(prefix + "/" + name, b"data"), ("after", b"more")])
    assert iterate(tar_driver, archive) == Listing(
        [Entry("0", 512, 4, f"/{prefix}/{name}"), Entry("0", 1536, 4, "/after")]
    )


def test_leading_dot_slash_and_the_root_are_dropped(tar_driver: HostDriver) -> None:
    archive = make_tar([(".", DIR), ("./etc", DIR), ("./etc/x", b"x"), ("././y/", DIR)])
    assert [(e.type, e.path) for e in iterate(tar_driver, archive).entries] == [
        ("5", "/etc"),
        ("0", "/etc/x"),
        ("5", "/y"),
    ]


@pytest.mark.parametrize("name", [b".", b"./.", b"./", b"/"])
def test_a_header_for_the_root_itself_is_skipped(tar_driver: HostDriver, name: bytes) -> None:
    archive = make_tar([("root", DIR), ("file", b"f")])
    archive = set_field(archive, 0, 0, name.ljust(100, b"\0"))
    assert iterate(tar_driver, archive) == Listing([Entry("0", 1024, 1, "/file")])


def test_devices_are_skipped_links_kept(tar_driver: HostDriver) -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=USTAR) as tar:
        for name, kind in [
            ("sym", tarfile.SYMTYPE),
            ("hard", tarfile.LNKTYPE),
            ("fifo", tarfile.FIFOTYPE),
            ("chr", tarfile.CHRTYPE),
        ]:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "target" if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE) else ""
            tar.addfile(info)
        info = tarfile.TarInfo("file")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    assert iterate(tar_driver, out.getvalue()) == Listing(
        [
            Entry("2", BLOCK, 0, "/sym", "target"),
            Entry("1", 2 * BLOCK, 0, "/hard", "/target"),
            Entry("0", 5 * BLOCK, 3, "/file"),
        ]
    )


def test_modes_are_read_and_a_bad_mode_field_means_0644(tar_driver: HostDriver) -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=USTAR) as tar:
        for name, mode in [("run", 0o4755), ("data", 0o600)]:
            info = tarfile.TarInfo(name)
            info.mode = mode
            tar.addfile(info)
    archive = set_field(out.getvalue(), BLOCK, 100, b"zzzzzzz\0")  # the second header's mode
    assert iterate(tar_driver, archive).modes == [0o4755, 0o644]


def test_a_hard_link_names_its_target_like_a_path(tar_driver: HostDriver) -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=USTAR) as tar:
        info = tarfile.TarInfo("bin/busybox")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"\x7fELF"))
        for name in ("bin/sh", "./usr/bin/awk"):
            link = tarfile.TarInfo(name)
            link.type = tarfile.LNKTYPE
            link.linkname = "./bin/busybox"
            tar.addfile(link)
    assert iterate(tar_driver, out.getvalue()).entries == [
        Entry("0", BLOCK, 4, "/bin/busybox"),
        Entry("1", 3 * BLOCK, 0, "/bin/sh", "/bin/busybox"),
        Entry("1", 4 * BLOCK, 0, "/usr/bin/awk", "/bin/busybox"),
    ]


def test_type_nul_is_a_regular_file(tar_driver: HostDriver) -> None:
    archive = set_field(make_tar([("old", b"v7")]), 0, 156, b"\0")
    assert iterate(tar_driver, archive) == Listing([Entry("0", 512, 2, "/old")])


def test_gnu_long_names(tar_driver: HostDriver) -> None:
    """GNU format writes a name longer than 100 characters into an 'L' entry before the real
    header, whose name field holds the first 100 characters. tar_next skips the 'L' entry (as it
    skips links and devices), so the file comes back under those 100 characters."""
    long_name = "d" * 60 + "/" + "f" * 90
    archive = make_tar([("short", b"s"), (long_name, b"long"), ("after", b"a")], GNU)
    # What tarfile wrote: short and its data, L and the long name, the file and its data, ...
    assert [archive[off + 156 : off + 157] for off in (0, 2 * BLOCK, 4 * BLOCK)] == [
        b"0",
        b"L",
        b"0",
    ]
    assert iterate(tar_driver, archive) == Listing(
        [
            Entry("0", 512, 1, "/short"),
            Entry("0", 5 * BLOCK, 4, "/" + long_name[:100]),
            Entry("0", 7 * BLOCK, 1, "/after"),
        ]
    )


def test_end_of_archive(tar_driver: HostDriver) -> None:
    archive = make_tar([("a", b"1")])
    assert len(archive) == 10240  # tarfile pads to a whole record with zero blocks
    one = Listing([Entry("0", 512, 1, "/a")])
    assert iterate(tar_driver, archive) == one
    assert iterate(tar_driver, archive[:1024]) == one  # no zero blocks: the data just ends
    assert iterate(tar_driver, archive[:1024] + b"\x55" * 511) == one  # a partial block
    assert iterate(tar_driver, archive[:513]) == one  # the data fits, its padding does not
    # Anything after the first zero block is never looked at.
    assert iterate(tar_driver, archive[:1536] + b"\xff" * 512) == one
    assert iterate(tar_driver, b"") == Listing([])
    assert iterate(tar_driver, bytes(511)) == Listing([])
    assert iterate(tar_driver, bytes(1024)) == Listing([])


# --- bad headers ---

GOOD = make_tar([("first", b"1" * 600), ("second", b"2"), ("third", b"3" * 10)])
# Headers at 0 (data 512..1112), 1536 (data 2048), 2560 (data 3072).
BEFORE = [Entry("0", 512, 600, "/first"), Entry("0", 2048, 1, "/second")]
THIRD = 2560


@pytest.mark.parametrize(
    "archive, message",
    [
        (set_field(GOOD, THIRD, 0, b"X", fix=False), "checksum mismatch"),
        (set_field(GOOD, THIRD, 148, b"0000000\0", fix=False), "checksum mismatch"),
        (set_field(GOOD, THIRD, 148, b"12a456\0 ", fix=False), "checksum field is not a number"),
        (set_field(GOOD, THIRD, 148, b"        ", fix=False), "checksum field is not a number"),
        (set_field(GOOD, THIRD, 124, b"0000000001x\0"), "size field is not a number"),
        (set_field(GOOD, THIRD, 124, b"00000000009\0"), "size field is not a number"),
        (set_field(GOOD, THIRD, 124, b"\0" * 12), "size field is not a number"),
        (set_field(GOOD, THIRD, 124, b"37777777777\0"), "file data past the end of the archive"),
        (set_field(GOOD, THIRD, 124, b"40000000000\0"), "size field is not a number"),
        (set_field(GOOD, THIRD, 257, b"ustaR"), "not a ustar header"),
        (GOOD[: THIRD + BLOCK + 9], "file data past the end of the archive"),
        (GOOD[: THIRD + BLOCK], "file data past the end of the archive"),
    ],
    ids=[
        "checksum mismatch",
        "checksum zero",
        "checksum not octal",
        "checksum blank",
        "size not octal",
        "size digit 9",
        "size empty",
        "size huge",
        "size over 32 bits",
        "magic",
        "data cut short",
        "data missing",
    ],
)
def test_a_bad_header_stops_the_iteration(
    tar_driver: HostDriver, archive: bytes, message: str
) -> None:
    listing = iterate(tar_driver, archive)
    assert listing == Listing(BEFORE, f"bad tar header at offset {THIRD}: {message}")
    assert [data_at(archive, e) for e in listing.entries] == [b"1" * 600, b"2"]


def test_octal_fields_may_be_padded_with_spaces(tar_driver: HostDriver) -> None:
    archive = set_field(GOOD, THIRD, 124, b"  12 \0\0 \0\0  ")
    assert iterate(tar_driver, archive) == Listing([*BEFORE, Entry("0", 3072, 10, "/third")])


def test_a_bad_first_header(tar_driver: HostDriver) -> None:
    archive = set_field(GOOD, 0, 0, b"?", fix=False)
    assert iterate(tar_driver, archive) == Listing(
        [], "bad tar header at offset 0: checksum mismatch"
    )


# --- generated archives (hypothesis) ---

name_parts = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="/"),
    min_size=1,
    max_size=12,
).filter(lambda s: s not in (".", ".."))


@st.composite
def members(draw: st.DrawFn) -> list[tuple[str, bytes | None]]:
    out: list[tuple[str, bytes | None]] = []
    for _ in range(draw(st.integers(0, 8))):
        path = "/".join(draw(st.lists(name_parts, min_size=1, max_size=4)))
        if draw(st.integers(0, 3)) == 0:
            out.append((path, DIR))
        else:
            size = draw(st.sampled_from([0, 1, 511, 512, 513, 1024]) | st.integers(0, 1500))
            out.append((path, draw(st.binary(min_size=size, max_size=size))))
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(members(), st.sampled_from([USTAR, GNU]))
def test_generated_archives_round_trip(
    tar_driver: HostDriver, files: list[tuple[str, bytes | None]], fmt: int
) -> None:
    archive = make_tar(files, fmt)
    listing = iterate(tar_driver, archive)
    assert listing == Listing(expected_entries(archive))
    for entry, (_, content) in zip(listing.entries, files, strict=True):
        assert data_at(archive, entry) == (content or b"")


# --- mutated archives (hypothesis) ---

ERROR_RE = re.compile(
    r"bad tar header at offset \d+: (checksum mismatch|checksum field is not a number|"
    r"not a ustar header|size field is not a number|file data past the end of the archive|"
    r"path too long|symbolic link without a target|link target too long|"
    r"hard link without a target)"
)
# (start, length) of the header fields the parser reads.
FIELDS = [(0, 100), (124, 12), (148, 8), (156, 1), (257, 6), (345, 155)]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(make_tar(draw(members()), draw(st.sampled_from([USTAR, GNU]))))
    for _ in range(draw(st.integers(1, 5))):
        if not data:
            break
        headers = [off for off, _ in header_offsets(bytes(data))] or [0]
        action = draw(st.sampled_from(["flip", "field", "field", "size", "truncate", "fill"]))
        if action == "flip":
            data[draw(st.integers(0, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))
        elif action in ("field", "size"):
            header = draw(st.sampled_from(headers))
            start, length = (124, 12) if action == "size" else draw(st.sampled_from(FIELDS))
            if header + start + length > len(data):
                continue
            if action == "size":
                digits = draw(st.integers(0, 0o77777777777))
                value = b"%011o\0" % digits
            else:
                value = draw(st.binary(min_size=length, max_size=length))
            data[header + start : header + start + length] = value
            if draw(st.booleans()) and header + BLOCK <= len(data):
                fix_checksum(data, header)  # get past the checksum check to the later ones
        elif action == "truncate":
            del data[draw(st.integers(0, len(data))) :]
        else:
            # Non-zero bytes where the zero blocks are: the parser reads on into them.
            start = draw(st.integers(0, len(data)))
            data[start : start + BLOCK] = b"\x01" * len(data[start : start + BLOCK])
    return bytes(data)


def header_offsets(archive: bytes) -> list[tuple[int, int]]:
    """(header offset, size) of each header with a good checksum and size, as far as they go."""
    out = []
    off = 0
    while off + BLOCK <= len(archive):
        header = archive[off : off + BLOCK]
        try:
            size = int(header[124:136].strip(b" \0") or b"x", 8)
            ok = int(header[148:156].strip(b" \0") or b"x", 8) == checksum(header)
        except ValueError:
            break
        if not ok:
            break
        out.append((off, size))
        off += BLOCK + (size + BLOCK - 1) // BLOCK * BLOCK
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_archives_never_break_the_parser(tar_driver: HostDriver, archive: bytes) -> None:
    # The driver dying (a sanitizer report, a crash, a hang) fails the test by itself; it also
    # checks that each entry's data lies inside the buffer. Here: the same from outside, and
    # that each entry really comes from a header with a right checksum and size.
    listing = iterate(tar_driver, archive)
    n = min(len(listing.entries), 3)
    event(listing.error.split(": ", 1)[1] if listing.error else f"end after {n} entries (3: more)")
    if listing.error is not None:
        assert ERROR_RE.fullmatch(listing.error), listing.error
    last = -1
    for entry in listing.entries:
        assert entry.offset % BLOCK == 0 and entry.offset > last, entry
        assert entry.offset + entry.size <= len(archive), entry
        header = archive[entry.offset - BLOCK : entry.offset]
        assert int(header[148:156].strip(b" \0"), 8) == checksum(header), entry
        assert header[257:262] == b"ustar", entry
        if entry.type == "0":
            assert int(header[124:136].strip(b" \0"), 8) == entry.size, entry
            assert header[156:157] in (b"0", b"\0"), entry
        else:
            assert entry.size == 0 and header[156:157] == b"5", entry
        last = entry.offset
