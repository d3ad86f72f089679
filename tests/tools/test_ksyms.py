"""tools/ringlet/ksyms.py: the kernel symbol table's generator and its no-function-moved check."""

from __future__ import annotations

import re

from ringlet import ksyms
from ringlet.paths import KERNEL_ELF

NM = """\
c0100000 00000010 T _start_helper
c0100010 t local_label
c0100020 00000008 t static_one
c0100028 00000004 W weak_one
c0101000 00000100 R some_table
c0102000 00000004 B counter
"""


def test_only_sized_code_symbols_go_into_the_table() -> None:
    assert ksyms.functions(NM) == [
        (0xC0100000, 0x10, "_start_helper"),
        (0xC0100020, 8, "static_one"),
        (0xC0100028, 4, "weak_one"),
    ]


def test_the_c_table_holds_sorted_addresses_sizes_and_names_in_the_ksyms_section() -> None:
    text = ksyms.c_table(ksyms.functions(NM))
    assert "const uint32_t ksyms_count = 3;" in text
    assert '__attribute__((section(".ksyms")))' in text
    assert re.search(r"ksyms_addresses\[\] = \{\n    0xc0100000,\n    0xc0100020,\n", text)
    assert 'ksyms_names[] = "_start_helper\\0static_one\\0weak_one\\0";' in text
    # Offsets into the names: 0, len("_start_helper") + 1, then + len("static_one") + 1.
    assert "ksyms_name_offsets[] = {\n    0x0,\n    0xe,\n    0x19,\n};" in text


def test_the_empty_table_still_compiles_to_arrays() -> None:
    text = ksyms.c_table([])
    assert "ksyms_count = 0;" in text
    assert "ksyms_addresses[] = {\n    0,\n};" in text


def test_check_finds_a_moved_function() -> None:
    assert ksyms.check(NM, NM) is None
    moved = NM.replace("c0100020 00000008 t static_one", "c0100024 00000008 t static_one")
    assert ksyms.check(NM, moved) == (
        "static_one at 0xc0100020 in the first link, static_one at 0xc0100024 in the second"
    )


def test_the_built_kernel_holds_every_function_of_its_first_link() -> None:
    listing = (KERNEL_ELF.parent / "ringlet.final.sym").read_text()
    first = (KERNEL_ELF.parent / "ringlet.pass1.sym").read_text()
    assert ksyms.check(first, listing) is None
    count = len(ksyms.functions(listing))
    assert count > 300, "the kernel has hundreds of functions"
    assert re.search(r"^[0-9a-f]{8} [0-9a-f]{8} R ksyms_names$", listing, re.MULTILINE)
