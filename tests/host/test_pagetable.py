"""arch/x86/pagetable.c on the host: pt_walk on simulated physical memory.

Each request goes to build/host/pagetable_driver (protocol at the top of
tests/host/drivers/pagetable_driver.c), which keeps 4 KiB frames in one block of exactly their
size under AddressSanitizer and UBSan; the page directory is the frame at 0x1000.
"""

from __future__ import annotations

import pytest

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

    def allocs(self) -> tuple[int, int]:
        words = self.driver.ask("allocs").split()
        assert words[0] == "made" and words[2] == "failed", words
        return int(words[1]), int(words[3])


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
