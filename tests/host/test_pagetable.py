"""arch/x86/pagetable.c on the host: pt_walk and pt_user_range_ok on simulated physical memory.

Each request goes to build/host/pagetable_driver (protocol at the top of
tests/host/drivers/pagetable_driver.c), which keeps 4 KiB frames in one block of exactly their
size under AddressSanitizer and UBSan; the page directory is the frame at 0x1000.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hostdriver import HostDriver

P, W, U = 0x1, 0x2, 0x4
ACCESSED, DIRTY = 0x20, 0x40
LARGE = 0x80
GLOBAL = 0x100
PGDIR = 0x1000
PAGE = 0x1000
KERNBASE = 0xC000_0000
U32_MAX = 0xFFFF_FFFF


def pdx(va: int) -> int:
    return va >> 22


def ptx(va: int) -> int:
    return (va >> 12) & 0x3FF


class Memory:
    """The driver's simulated memory, reset for each test."""

    def __init__(self, driver: HostDriver) -> None:
        self.driver = driver
        assert driver.ask("reset") == "ok"

    def budget(self, n: int) -> None:
        assert self.driver.ask(f"budget {n}") == "ok"

    def new_table(self) -> int:
        phys = int(self.driver.ask("newtable"), 16)
        assert phys != 0 and phys % PAGE == 0
        return phys

    def set(self, phys: int, value: int) -> None:
        assert self.driver.ask(f"set {phys:x} {value:x}") == "ok"

    def get(self, phys: int) -> int:
        return int(self.driver.ask(f"get {phys:x}"), 16)

    def pde(self, va: int) -> int:
        return self.get(PGDIR + 4 * pdx(va))

    def set_pde(self, va: int, value: int) -> None:
        self.set(PGDIR + 4 * pdx(va), value)

    def walk(self, va: int, create: bool = False) -> tuple[int, int] | None:
        """(physical address of the entry, its value), or None."""
        answer = self.driver.ask(f"walk {va:x} {int(create)}")
        if answer == "null":
            return None
        word, phys, value = answer.split()
        assert word == "pte", answer
        return int(phys, 16), int(value, 16)

    def ok(self, va: int, length: int, write: bool = False, top: int = KERNBASE) -> bool:
        answer = self.driver.ask(f"ok {va:x} {length:x} {int(write)} {top:x}")
        assert answer in ("0", "1"), answer
        return answer == "1"

    def allocs(self) -> tuple[int, int]:
        words = self.driver.ask("allocs").split()
        assert words[0] == "made" and words[2] == "failed", words
        return int(words[1]), int(words[3])

    def map(self, va: int, flags: int, frame: int = 0x0050_0000) -> None:
        """Maps the page at va (a table made with newtable when there is none)."""
        pde = self.pde(va)
        if not pde & P:
            pde = self.new_table() | P | W | U
            self.set_pde(va, pde)
        self.set((pde & ~0xFFF) + 4 * ptx(va), (frame & ~0xFFF) | flags)


@pytest.fixture
def mem(pagetable_driver: HostDriver) -> Memory:
    return Memory(pagetable_driver)


# --- pt_walk ---


@pytest.mark.parametrize("va", [0, 0x1000, 0x0804_8123, 0xBFFF_FFFF, KERNBASE, U32_MAX])
def test_walk_without_create_on_an_empty_directory(mem: Memory, va: int) -> None:
    assert mem.walk(va) is None
    assert mem.allocs() == (0, 0)
    assert mem.pde(va) == 0


@pytest.mark.parametrize("va", [0x0804_8123, 0x0, 0x003F_F000, U32_MAX])
def test_walk_with_create_makes_one_table(mem: Memory, va: int) -> None:
    assert mem.walk(va, create=True) == (0x2000 + 4 * ptx(va), 0)
    assert mem.allocs() == (1, 0)
    assert mem.pde(va) == 0x2000 | P | W | U
    # The rest of the directory is untouched, and the same 4 MiB needs no second table.
    assert [mem.pde(va ^ (1 << 22)), mem.pde(va ^ (1 << 31))] == [0, 0]
    other = (va & ~0x3F_FFFF) | ((ptx(va) ^ 0x3FF) << 12)
    assert mem.walk(other, create=True) == (0x2000 + 4 * ptx(other), 0)
    assert mem.walk(other, create=False) == (0x2000 + 4 * ptx(other), 0)
    assert mem.allocs() == (1, 0)


def test_walk_finds_what_is_there(mem: Memory) -> None:
    table = mem.new_table()
    mem.set_pde(0x0040_0000, table | P | ACCESSED)  # other bits of the entry do not matter
    mem.set(table + 4 * 5, 0x0012_3000 | P | U)
    assert mem.walk(0x0040_5ABC) == (table + 20, 0x0012_3000 | P | U)
    assert mem.walk(0x0040_6000) == (table + 24, 0)
    assert mem.walk(0x007F_F000, create=True) == (table + 4092, 0)  # the last entry
    assert mem.allocs() == (1, 0)  # only newtable's


def test_walk_into_a_large_page_is_null(mem: Memory) -> None:
    large = 0x0040_0000 | P | W | U | LARGE
    mem.set_pde(0x0040_0000, large)
    assert mem.walk(0x0040_1000) is None
    assert mem.walk(0x0040_1000, create=True) is None
    assert mem.pde(0x0040_0000) == large
    assert mem.allocs() == (0, 0)


def test_walk_when_no_table_can_be_had(mem: Memory) -> None:
    mem.budget(0)
    assert mem.walk(0x0804_8000, create=True) is None
    assert mem.pde(0x0804_8000) == 0
    assert mem.allocs() == (0, 1)
    mem.budget(1)
    assert mem.walk(0x0804_8000, create=True) == (0x2000 + 4 * 0x48, 0)
    assert mem.walk(0x0C00_0000, create=True) is None
    assert mem.allocs() == (1, 2)


def test_a_present_directory_entry_is_not_replaced(mem: Memory) -> None:
    table = mem.new_table()
    mem.set_pde(0x0800_0000, table | P)  # present, not writable, not user
    assert mem.walk(0x0800_0000, create=True) == (table, 0)
    assert mem.pde(0x0800_0000) == table | P
    assert mem.allocs() == (1, 0)


# --- pt_user_range_ok ---


def test_one_page(mem: Memory) -> None:
    mem.map(0x0040_0000, P | W | U)
    assert mem.ok(0x0040_0000, PAGE, write=True)
    assert mem.ok(0x0040_0FFF, 1, write=True)
    assert mem.ok(0x0040_0800, 0x800)
    assert not mem.ok(0x0040_0000, PAGE + 1)  # one byte into the next page
    assert not mem.ok(0x003F_FFFF, 1)
    assert not mem.ok(0x003F_FFFF, 2)


@pytest.mark.parametrize(
    "flags, read, write",
    [
        (P | W | U, True, True),
        (P | U, True, False),
        (P | W, False, False),  # a kernel page
        (P, False, False),
        (W | U, False, False),  # not present
        (U, False, False),
        (0, False, False),
        (P | U | ACCESSED | DIRTY | GLOBAL, True, False),
    ],
)
def test_permissions(mem: Memory, flags: int, read: bool, write: bool) -> None:
    mem.map(0x0804_8000, flags)
    assert mem.ok(0x0804_8000, 16) == read
    assert mem.ok(0x0804_8000, 16, write=True) == write


def test_every_page_of_the_range_counts(mem: Memory) -> None:
    for i in range(4):
        mem.map(0x0804_8000 + i * PAGE, P | W | U)
    assert mem.ok(0x0804_8001, 4 * PAGE - 1, write=True)
    mem.map(0x0804_A000, P | U)  # the third one read-only
    assert mem.ok(0x0804_8001, 4 * PAGE - 1)
    assert not mem.ok(0x0804_8001, 4 * PAGE - 1, write=True)
    assert mem.ok(0x0804_8000, 2 * PAGE, write=True)
    mem.map(0x0804_9000, 0)  # the second one gone
    assert not mem.ok(0x0804_8000, 4 * PAGE)
    assert mem.ok(0x0804_8000, PAGE)


def test_a_range_over_two_page_tables(mem: Memory) -> None:
    mem.map(0x007F_F000, P | W | U)
    assert not mem.ok(0x007F_F000, 2 * PAGE)  # no table for 0x00800000 yet
    mem.map(0x0080_0000, P | W | U)
    assert mem.ok(0x007F_F000, 2 * PAGE, write=True)
    assert mem.ok(0x007F_FFFF, 2)


def test_the_null_page_is_never_ok(mem: Memory) -> None:
    mem.map(0x0, P | W | U)
    mem.map(0x1000, P | W | U)
    assert not mem.ok(0x0, 1)
    assert not mem.ok(0xFFF, 1)
    assert not mem.ok(0xFFF, 2)
    assert not mem.ok(0x0, 0)
    assert not mem.ok(0xFFF, 0)
    assert mem.ok(0x1000, 1)


def test_empty_ranges(mem: Memory) -> None:
    # Nothing mapped at all: an empty range below user_top is fine.
    assert mem.ok(0x1000, 0)
    assert mem.ok(0x0804_8000, 0, write=True)
    assert mem.ok(KERNBASE - 1, 0)
    assert not mem.ok(KERNBASE + 1, 0)
    assert not mem.ok(U32_MAX, 0)


def test_ranges_reaching_user_top(mem: Memory) -> None:
    top = 0x0040_2000
    for va in (0x0040_0000, 0x0040_1000, 0x0040_2000, 0x0040_3000):
        mem.map(va, P | W | U)
    assert mem.ok(0x0040_1000, PAGE, top=top)  # ends exactly at user_top
    assert not mem.ok(0x0040_1000, PAGE + 1, top=top)  # mapped, but reaches user_top
    assert not mem.ok(0x0040_2000, 1, top=top)
    assert mem.ok(0x0040_1000, PAGE + 1, top=0x0040_4000)
    # The real user_top: the last user page.
    mem.map(KERNBASE - PAGE, P | W | U)
    mem.set_pde(KERNBASE, 0x0000_0000 | P | W | LARGE | GLOBAL)  # the kernel's direct map
    assert mem.ok(KERNBASE - PAGE, PAGE, write=True)
    assert not mem.ok(KERNBASE - PAGE, PAGE + 1)
    assert not mem.ok(KERNBASE, 1)
    assert not mem.ok(KERNBASE - 1, 2)


def test_ranges_that_wrap(mem: Memory) -> None:
    mem.map(0x1000, P | W | U)
    assert not mem.ok(0x1000, U32_MAX, top=U32_MAX)
    assert not mem.ok(0xFFFF_F000, 0x2000, top=U32_MAX)
    assert not mem.ok(0x2000, 0xFFFF_F000, top=U32_MAX)
    assert not mem.ok(0x1000, 0xFFFF_F001)


def test_large_pages_are_refused(mem: Memory) -> None:
    mem.set_pde(0x0040_0000, 0x0040_0000 | P | W | U | LARGE)
    assert not mem.ok(0x0040_0000, 1)
    assert not mem.ok(0x0040_0000, 0x0040_0000)


def test_the_directory_entry_flags_are_not_looked_at(mem: Memory) -> None:
    """Only the page-table entries decide: pt_walk makes every user table's directory entry
    present, writable and user, and the kernel's own entries (not user) lie above KERNBASE."""
    table = mem.new_table()
    mem.set_pde(0x0040_0000, table | P)  # present only
    mem.set(table, 0x0050_0000 | P | W | U)
    assert mem.ok(0x0040_0000, PAGE, write=True)


# --- random page maps (hypothesis) ---


@dataclass
class PageMap:
    """The Python side of a page map: directory entries and the tables behind them."""

    pdes: dict[int, int] = field(default_factory=dict)
    ptes: dict[int, dict[int, int]] = field(default_factory=dict)  # pdx -> ptx -> entry

    def user_pages(self, write: bool) -> set[int]:
        """Page numbers (va >> 12) a user program may read (write) through this map."""
        need = P | U | (W if write else 0)
        out = set()
        for i, pde in self.pdes.items():
            if not pde & P or pde & LARGE:
                continue
            for j, pte in self.ptes.get(i, {}).items():
                if pte & need == need:
                    out.add(i << 10 | j)
        return out

    def pages_of(self, va: int, length: int) -> Iterator[int]:
        return iter(range(va >> 12, ((va + length - 1) >> 12) + 1))


def model_ok(page_map: PageMap, va: int, length: int, write: bool, top: int) -> bool:
    """From the contract: every byte of [va, va + len) mapped present and user (and writable
    for a write) below user_top; never the NULL page; len 0 is fine below user_top."""
    if va < 0x1000 or va + length > top or va > top:
        return False
    if length == 0:
        return True
    allowed = page_map.user_pages(write)
    return all(page in allowed for page in page_map.pages_of(va, length))


# Directory slots around the places that matter: the bottom, a few middle ones, the last ones
# before KERNBASE (0x300) and the top.
SLOTS = [0, 1, 2, 0x20, 0x2FF, 0x300, 0x3FF]
PTE_SLOTS = [0, 1, 2, 3, 0x1FF, 0x200, 0x3FE, 0x3FF]
flag_sets = st.sampled_from([P | W | U, P | W | U, P | U, P | W, P, W | U, 0])


@st.composite
def page_maps(draw: st.DrawFn) -> PageMap:
    page_map = PageMap()
    for slot in draw(st.lists(st.sampled_from(SLOTS), unique=True, min_size=1, max_size=4)):
        kind = draw(st.sampled_from(["table", "table", "table", "large", "absent"]))
        if kind == "large":
            page_map.pdes[slot] = (slot << 22) | LARGE | draw(flag_sets) | P
        elif kind == "absent":
            page_map.pdes[slot] = draw(st.sampled_from([0, W | U, 0x0050_0000 | W | U]))
        else:
            page_map.pdes[slot] = draw(st.sampled_from([P | W | U, P | W | U, P, P | U]))
            ptes = draw(
                st.dictionaries(
                    st.sampled_from(PTE_SLOTS) | st.integers(0, 0x3FF), flag_sets, max_size=10
                )
            )
            # A run of user pages, some read-only, so that ranges of several pages can be fine
            # too and a write into them is checked page by page.
            start = draw(st.sampled_from([0, 0x3F8]) | st.integers(0, 0x3F8))
            for j in range(start, start + draw(st.integers(0, 8))):
                ptes[j] = draw(st.sampled_from([P | W | U, P | W | U, P | U]))
            page_map.ptes[slot] = ptes
    return page_map


def load(mem: Memory, page_map: PageMap) -> None:
    for slot, pde in page_map.pdes.items():
        if slot in page_map.ptes:
            table = mem.new_table()
            pde |= table
            for j, flags in page_map.ptes[slot].items():
                mem.set(table + 4 * j, (0x0100_0000 + j * PAGE) | flags)
        mem.set(PGDIR + 4 * slot, pde)


@st.composite
def queries(draw: st.DrawFn, page_map: PageMap) -> tuple[int, int, bool, int]:
    places = [(i << 22) | (j << 12) for i, t in page_map.ptes.items() for j in t] + [
        s << 22 for s in SLOTS
    ]
    readable = [page << 12 for page in sorted(page_map.user_pages(write=False))]
    # Half the time start in a page the program may read, so that some ranges are fine.
    base = draw(st.sampled_from(readable if readable and draw(st.booleans()) else places))
    va = U32_MAX & draw(
        st.one_of(
            st.integers(0, 0xFFF).map(lambda d: base + d),
            st.integers(1, 0x2000).map(lambda d: base - d),
            st.integers(0, U32_MAX),
        )
    )
    tops = [KERNBASE, KERNBASE, KERNBASE, 0x0080_0000, 0x0040_1000, 0xFFFF_F000, U32_MAX]
    top = draw(st.sampled_from(tops))
    length = draw(
        st.one_of(
            st.integers(0, 64),
            st.integers(0, 3 * PAGE),
            st.integers(0, 8).map(lambda n: n * PAGE),
            st.integers(0, 8).map(lambda n: n * PAGE + 1),  # one byte into a last page
            st.integers(0, U32_MAX),
            st.integers(-1, 1).map(lambda d: (top - va + d) & U32_MAX),  # up to user_top
        )
    )
    return va, length, draw(st.booleans()), top


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_maps(), st.data())
def test_range_checks_match_the_model(
    pagetable_driver: HostDriver, page_map: PageMap, data: st.DataObject
) -> None:
    mem = Memory(pagetable_driver)
    load(mem, page_map)
    oks = 0
    for _ in range(8):
        va, length, write, top = data.draw(queries(page_map))
        expected = model_ok(page_map, va, length, write, top)
        oks += expected
        assert mem.ok(va, length, write, top) == expected, (hex(va), hex(length), write, hex(top))
    event(f"{oks} of 8 ranges fine")
