"""Bad programs and archives from the boot loader: each refused with one line naming the module,
the rest still run, the kernel does not panic."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from harness import PANIC, boot, summary_results, user_elf
from ringlet.image import Module
from ringlet.ramdisk import make_initrd

pytestmark = pytest.mark.boots

E_TYPE, E_MACHINE, E_ENTRY, E_PHOFF, E_PHENTSIZE, E_PHNUM = 16, 18, 24, 28, 42, 44


def first_load_header(elf: bytes) -> int:
    """File offset of the first PT_LOAD program header."""
    phoff = struct.unpack_from("<I", elf, E_PHOFF)[0]
    phnum = struct.unpack_from("<H", elf, E_PHNUM)[0]
    for i in range(phnum):
        if struct.unpack_from("<I", elf, phoff + 32 * i)[0] == 1:
            return phoff + 32 * i
    raise AssertionError("no PT_LOAD in the sample")


def corrupt(elf: bytes, how: str) -> bytes:
    data = bytearray(elf)
    ph = first_load_header(elf)
    phnum = struct.unpack_from("<H", elf, E_PHNUM)[0]
    if how == "magic":
        data[1:4] = b"ALF"
    elif how == "class":
        data[4] = 2
    elif how == "encoding":
        data[5] = 2
    elif how == "machine":
        struct.pack_into("<H", data, E_MACHINE, 62)
    elif how == "type":
        struct.pack_into("<H", data, E_TYPE, 3)
    elif how == "phentsize":
        struct.pack_into("<H", data, E_PHENTSIZE, 40)
    elif how == "phoff":
        struct.pack_into("<I", data, E_PHOFF, len(elf) - 16)
    elif how == "filesz":
        memsz = struct.unpack_from("<I", elf, ph + 20)[0]
        struct.pack_into("<I", data, ph + 16, memsz + 1)
    elif how == "offset":
        struct.pack_into("<I", data, ph + 4, len(elf) + 4096)
    elif how in ("wrap", "kernel"):
        # A segment at the very top of the address space, or reaching into the kernel half;
        # memsz stays at least filesz so that this is the first thing wrong.
        filesz = struct.unpack_from("<I", elf, ph + 16)[0]
        struct.pack_into("<I", data, ph + 8, 0xFFFFF000 if how == "wrap" else 0xBFFFF000)
        struct.pack_into("<I", data, ph + 20, max(filesz, 0x2000))
    elif how == "no_load":
        phoff = struct.unpack_from("<I", elf, E_PHOFF)[0]
        for i in range(phnum):
            if struct.unpack_from("<I", data, phoff + 32 * i)[0] == 1:
                struct.pack_into("<I", data, phoff + 32 * i, 4)  # PT_NOTE
    elif how == "entry":
        struct.pack_into("<I", data, E_ENTRY, 0)
    else:
        raise ValueError(how)
    return bytes(data)


REFUSALS = {
    "magic": "bad ELF magic",
    "class": "not a 32-bit ELF file (class 2)",
    "encoding": "not little-endian (data encoding 2)",
    "machine": "not an i386 program (machine 62)",
    "type": "not a static executable (type 3)",
    "phentsize": "program headers of 40 bytes, not 32",
    "phoff": "program header table past end of file",
    "filesz": "p_filesz",
    "offset": "file bytes past end of file",
    "wrap": "address range wraps around",
    "kernel": "is outside user space",
    "no_load": "no PT_LOAD segment",
    "entry": "entry point is 0",
}


def test_each_malformed_elf_module_is_refused_and_the_rest_run(tmp_path: Path) -> None:
    sample = user_elf("hello").read_bytes()
    modules = []
    for how in REFUSALS:
        path = tmp_path / f"bad_{how}"
        path.write_bytes(corrupt(sample, how))
        modules.append(Module(path, f"bad_{how}"))
    modules.append(Module(user_elf("hello"), "hello"))
    with boot("malformed_elf_modules", modules=modules, cmdline="init=none") as machine:
        status = machine.wait_exit()
        out = machine.output()
        machine.assert_absent(PANIC)
    for how, reason in REFUSALS.items():
        lines = [line for line in out.splitlines() if line.startswith(f"mod bad_{how}: ")]
        assert len(lines) == 1, f"bad_{how}: expected one line, got {lines}"
        assert lines[0].startswith(f"mod bad_{how}: not loaded: ") and reason in lines[0]
    assert "Hello from ring 3!" in out
    assert summary_results(out) == {"hello": "exit 0"}
    assert status == 0


def test_corrupt_tar_keeps_the_entries_before_the_bad_header(tmp_path: Path) -> None:
    initrd = make_initrd(
        {"/bin/hello": user_elf("hello"), "/etc/motd": b"motd\n", "/etc/zz": b"last\n"},
        tmp_path / "initrd.tar",
    )
    data = bytearray(initrd.read_bytes())
    # Entries in order: bin/, etc/, bin/hello, etc/motd, etc/zz. Break the header of etc/motd.
    offset = data.index(b"etc/motd")
    data[offset + 148 : offset + 156] = b"0000000\0"  # a wrong checksum
    initrd.write_bytes(bytes(data))
    with boot("corrupt_tar", modules=[Module(initrd, "initrd")], cmdline="init=/bin/hello") as m:
        status = m.wait_exit()
        out = m.output()
        m.assert_absent(PANIC)
    assert f"mod initrd: bad tar header at offset {offset}: checksum mismatch; " in out
    assert "the 3 entries before it are kept" in out
    assert "Hello from ring 3!" in out
    assert status == 0
