"""lib/slab.c on the host: a slab cache on pages from aligned_alloc, against a Python model.

Each request goes to build/host/slab_driver (protocol at the top of
tests/host/drivers/slab_driver.c). The driver itself fills every object it gets with a tag and
checks the tags of all live objects after every request, checks that a refused free changes
nothing at all, and that the partial list is well linked; the tests here check what the
allocator answers against a model of which objects are live on which pages.

On the 64-bit host struct slab is larger than in the kernel, so a page holds fewer objects; the
tests ask the driver for the header size instead of assuming one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from hostdriver import HostDriver, from_hex_arg

PAGE = 4096
POISON = 0x6B
SIZES = [16, 32, 64, 128, 256, 512, 1024, 2048]
MAX_HELD = 200  # pages the state machine lets the cache hold

Obj = tuple[int, int]  # (page number, offset in the page)


@dataclass(frozen=True)
class Stats:
    slabs: int
    in_use: int
    partial: int
    held: int
    sum: int


class Slab:
    """The driver's cache, one request a method."""

    def __init__(self, driver: HostDriver, size: int) -> None:
        self.driver = driver
        self.size = size
        words = driver.ask("?").split()
        assert words[0] == "ptr" and words[2] == "header", words
        self.pointer_size = int(words[1])
        self.header = int(words[3])
        self.capacity = (PAGE - self.header) // size
        assert driver.ask(f"init {size}") == "ok"

    def budget(self, pages: int) -> None:
        assert self.driver.ask(f"budget {pages}") == "ok"

    def alloc(self) -> Obj | None:
        answer = self.driver.ask("alloc")
        if answer == "null":
            return None
        word, page, offset = answer.split()
        assert word == "obj", answer
        return int(page), int(offset)

    def free(self, page: int | str, offset: int, poison: bool = False) -> str:
        """freed, empty PAGE, double or bad."""
        return self.driver.ask(f"free {page} {offset} {int(poison)}")

    def stats(self) -> Stats:
        words = self.driver.ask("stats").split()
        assert words[0::2] == ["slabs", "in_use", "partial", "held", "sum"], words
        return Stats(*(int(w) for w in words[1::2]))

    def read(self, page: int | str, offset: int, n: int) -> bytes:
        return from_hex_arg(self.driver.ask(f"read {page} {offset} {n}"))

    def object_size(self, page: int | str, offset: int) -> int:
        return int(self.driver.ask(f"size {page} {offset}"))

    def fill_page(self) -> list[Obj]:
        """Allocates a page's worth of objects."""
        objects = [self.alloc() for _ in range(self.capacity)]
        assert None not in objects
        return [o for o in objects if o is not None]


@pytest.fixture(params=SIZES)
def slab(slab_driver: HostDriver, request: pytest.FixtureRequest) -> Slab:
    return Slab(slab_driver, request.param)


@pytest.fixture(params=SIZES[:-1])
def shared_slab(slab_driver: HostDriver, request: pytest.FixtureRequest) -> Slab:
    """A cache whose pages hold two objects or more (2048-byte objects are one a page)."""
    slab = Slab(slab_driver, request.param)
    assert slab.capacity >= 2
    return slab


# --- allocation ---


def test_a_page_holds_capacity_objects_aligned_and_apart(slab: Slab) -> None:
    objects = slab.fill_page()
    assert {page for page, _ in objects} == {0}
    offsets = sorted(offset for _, offset in objects)
    assert offsets[0] >= slab.header > 0  # never page-aligned: the header comes first
    assert all(offset % 16 == 0 for offset in offsets)
    assert all(b - a >= slab.size for a, b in zip(offsets, offsets[1:], strict=False))
    assert offsets[-1] + slab.size <= PAGE
    assert slab.stats() == Stats(
        slabs=1, in_use=slab.capacity, partial=0, held=1, sum=slab.capacity
    )
    assert slab.alloc() == (1, offsets[0])  # the next object is on a new page
    room = 1 if slab.capacity > 1 else 0  # the new page is full at once when it holds one
    assert slab.stats() == Stats(2, slab.capacity + 1, room, 2, slab.capacity + 1)


def test_no_page_until_the_first_object(slab_driver: HostDriver) -> None:
    slab = Slab(slab_driver, 64)
    assert slab.stats() == Stats(0, 0, 0, 0, 0)
    assert slab.alloc() is not None
    assert slab.stats() == Stats(1, 1, 1, 1, 1)


def test_get_page_failing_gives_null_and_changes_nothing(slab_driver: HostDriver) -> None:
    slab = Slab(slab_driver, 1024)
    slab.budget(1)
    objects = slab.fill_page()
    before = slab.stats()
    assert slab.alloc() is None
    assert slab.alloc() is None
    assert slab.stats() == before
    assert slab.free(*objects[0]) == "freed"
    assert slab.alloc() == objects[0]  # there is room again, and no page is needed for it


def test_object_size(slab: Slab) -> None:
    page, offset = slab.fill_page()[0]
    assert slab.object_size(page, offset) == slab.size
    assert slab.object_size(page, 0) == slab.size  # anywhere in a slab's page
    assert slab.object_size("F", 0) == 0
    assert slab.object_size("F", 100) == 0


# --- freeing ---


def test_freed_objects_are_reused(slab_driver: HostDriver) -> None:
    slab = Slab(slab_driver, 128)
    a, b, c = slab.alloc(), slab.alloc(), slab.alloc()
    assert a and b and c
    assert slab.free(*b) == "freed"
    assert slab.free(*a) == "freed"
    assert slab.alloc() == a  # the free list is last in, first out
    assert slab.alloc() == b
    assert slab.stats() == Stats(1, 3, 1, 1, 3)


def test_double_free_changes_nothing(slab: Slab) -> None:
    a = slab.alloc()
    b = slab.alloc()
    assert a and b
    assert slab.free(*a, poison=True) == "freed"
    before = slab.stats()
    # The driver checks that the cache and every page are byte for byte what they were.
    assert slab.free(*a) == "double"
    assert slab.free(*a, poison=True) == "double"
    assert slab.stats() == before
    assert slab.alloc() == a
    assert slab.alloc() not in (a, b)


def test_freeing_an_object_never_handed_out_is_a_double_free(shared_slab: Slab) -> None:
    slab = shared_slab
    page, offset = slab.alloc() or (0, 0)
    second = slab.header + slab.size if offset == slab.header else slab.header
    assert slab.free(page, second) == "double"
    last = slab.header + (slab.capacity - 1) * slab.size
    assert slab.free(page, last) == "double"


def test_pointers_that_are_not_objects(slab: Slab) -> None:
    page, offset = slab.alloc() or (0, 0)
    before = slab.stats()
    past_last = slab.header + slab.capacity * slab.size
    bad = [
        (page, offset + 1),
        (page, offset + 8),
        (page, offset + slab.size - 1),
        (page, 0),  # the header
        (page, slab.header - 16),
        (page, 8),
        ("F", 0),
        ("F", slab.header),
        ("F", 2048),
    ]
    if past_last < PAGE:
        bad.append((page, past_last))  # the tail of the page, after the last object
    for p, o in bad:
        assert slab.free(p, o) == "bad", (p, o)
    assert slab.stats() == before


def test_poison(slab: Slab) -> None:
    a = slab.alloc()
    b = slab.alloc()
    assert a and b
    # The driver filled each object with a tag byte; a free without poison leaves the bytes after
    # the free-list link alone, a poisoned free fills them with 0x6b.
    tag_a = slab.read(*a, slab.size)[-1]
    assert slab.free(*a, poison=False) == "freed"
    assert slab.read(a[0], a[1] + slab.pointer_size, slab.size - slab.pointer_size) == bytes(
        [tag_a]
    ) * (slab.size - slab.pointer_size)
    # (With one object a page, b's page is empty now and a's has room: b's page goes back.)
    assert slab.free(*b, poison=True) == ("freed" if slab.capacity > 1 else f"empty {b[0]}")
    assert slab.read(b[0], b[1] + slab.pointer_size, slab.size - slab.pointer_size) == bytes(
        [POISON]
    ) * (slab.size - slab.pointer_size)


def test_a_lone_empty_slab_stays(slab: Slab) -> None:
    a = slab.alloc()
    assert a
    assert slab.free(*a) == "freed"
    assert slab.stats() == Stats(1, 0, 1, 1, 0)
    assert slab.alloc() == a


def test_an_empty_slab_goes_back_only_when_the_cache_has_other_room(shared_slab: Slab) -> None:
    slab = shared_slab
    first = slab.fill_page()  # page 0, full
    extra = slab.alloc()  # page 1
    assert extra and extra[0] == 1
    # Page 0 is full, so page 1 is the only room: emptying it keeps it.
    assert slab.free(*extra) == "freed"
    assert slab.stats() == Stats(2, slab.capacity, 1, 2, slab.capacity)
    extra = slab.alloc()
    assert extra and extra[0] == 1
    # Now give page 0 room, then empty page 1: it goes back.
    assert slab.free(*first[0]) == "freed"
    assert slab.free(*extra, poison=True) == "empty 1"
    assert slab.stats() == Stats(1, slab.capacity - 1, 1, 1, slab.capacity - 1)
    # A pointer into the page that went back is no object any more.
    assert slab.free(*extra) == "bad"
    # The cache fills page 0 again before it asks for a page (the pool's page 1 again).
    assert slab.alloc() == first[0]
    assert slab.alloc() == (1, slab.header)


def test_emptying_a_full_slab_of_one_object(slab_driver: HostDriver) -> None:
    slab = Slab(slab_driver, 2048)
    assert slab.capacity == 1
    a, b = slab.alloc(), slab.alloc()
    assert a and b and a[0] != b[0]
    assert slab.free(*a) == "freed"  # the only slab with room now: kept
    assert slab.free(*b) == f"empty {b[0]}"  # a's page has room: b's goes back
    assert slab.stats() == Stats(1, 0, 1, 1, 0)


# --- random sequences (hypothesis state machine) ---


class SlabMachine(RuleBasedStateMachine):
    """Random allocs and frees (good, double, interior, foreign) against a model of which
    objects are live on which pages."""

    def __init__(self, driver: HostDriver) -> None:
        super().__init__()
        self.driver = driver
        self.slab: Slab
        self.live: set[Obj] = set()
        self.dead: list[Obj] = []  # freed once (their pages may have gone back since)
        self.held: dict[int, int] = {}  # page number -> live objects on it
        self.budget: int | None = None

    @initialize(
        size=st.sampled_from(SIZES + [512, 1024, 2048]), budget=st.none() | st.integers(0, 4)
    )
    def start(self, size: int, budget: int | None) -> None:
        self.slab = Slab(self.driver, size)
        if budget is not None:
            self.slab.budget(budget)
        self.budget = budget

    def has_room(self, except_page: int | None = None) -> bool:
        cap = self.slab.capacity
        return any(n < cap for p, n in self.held.items() if p != except_page)

    def check_new(self, obj: Obj) -> None:
        page, offset = obj
        size = self.slab.size
        assert offset % 16 == 0 and offset >= self.slab.header, obj
        assert offset + size <= PAGE, obj
        assert (offset - self.slab.header) % size == 0, obj
        assert obj not in self.live, obj
        # Objects of one cache are all the same size, so distinct starts cannot overlap.

    @rule(count=st.integers(1, 40))
    def alloc(self, count: int) -> None:
        for _ in range(count):
            room = self.has_room()
            if not room and len(self.held) >= MAX_HELD:
                return  # the driver keeps 256 pages at most
            obj = self.slab.alloc()
            if obj is None:
                assert not room and self.budget == 0
                return
            self.check_new(obj)
            if not room:
                # A new slab: a page the cache did not hold.
                assert obj[0] not in self.held, obj
                assert self.budget != 0
                if self.budget is not None:
                    self.budget -= 1
                self.held[obj[0]] = 0
            else:
                assert obj[0] in self.held and self.held[obj[0]] < self.slab.capacity, obj
            self.held[obj[0]] += 1
            self.live.add(obj)
            if obj in self.dead:
                self.dead.remove(obj)

    def expected_free(self, obj: Obj) -> str:
        page, offset = obj
        if page not in self.held:
            return "bad"
        rel = offset - self.slab.header
        if rel < 0 or rel % self.slab.size or rel // self.slab.size >= self.slab.capacity:
            return "bad"
        if obj not in self.live:
            return "double"
        if self.held[page] == 1 and self.has_room(except_page=page):
            return f"empty {page}"
        return "freed"

    def do_free(self, obj: Obj, poison: bool) -> None:
        expected = self.expected_free(obj)
        assert self.slab.free(*obj, poison=poison) == expected, obj
        if expected in ("bad", "double"):
            return
        self.live.remove(obj)
        self.dead.append(obj)
        self.held[obj[0]] -= 1
        if expected.startswith("empty"):
            del self.held[obj[0]]
        if poison:
            n = self.slab.size - self.slab.pointer_size
            assert self.slab.read(obj[0], obj[1] + self.slab.pointer_size, n) == bytes([POISON]) * n

    @precondition(lambda self: self.live)
    @rule(data=st.data(), poison=st.booleans())
    def free_live(self, data: st.DataObject, poison: bool) -> None:
        self.do_free(data.draw(st.sampled_from(sorted(self.live))), poison)

    @precondition(lambda self: self.live)
    @rule(data=st.data(), count=st.integers(1, 40))
    def free_many(self, data: st.DataObject, count: int) -> None:
        victims = data.draw(st.permutations(sorted(self.live)))[:count]
        for obj in victims:
            self.do_free(obj, False)

    @precondition(lambda self: self.dead)
    @rule(data=st.data())
    def free_again(self, data: st.DataObject) -> None:
        self.do_free(data.draw(st.sampled_from(self.dead)), data.draw(st.booleans()))

    @precondition(lambda self: self.live or self.dead)
    @rule(data=st.data(), delta=st.sampled_from([1, 8, 15, -16, -1]) | st.integers(-4096, 4096))
    def free_interior(self, data: st.DataObject, delta: int) -> None:
        page, offset = data.draw(st.sampled_from(sorted(self.live) + self.dead))
        self.do_free((page, (offset + delta) % PAGE), data.draw(st.booleans()))

    @precondition(lambda self: self.held)
    @rule(data=st.data(), poison=st.booleans())
    def free_slot(self, data: st.DataObject, poison: bool) -> None:
        """Where an object would start: handed out or not yet, the last one, or one past it
        (which is not an object even where the page has room for its start)."""
        page = data.draw(st.sampled_from(sorted(self.held)))
        cap = self.slab.capacity
        slot = data.draw(st.one_of(st.integers(0, cap - 1), st.just(cap - 1), st.just(cap)))
        offset = self.slab.header + slot * self.slab.size
        if offset < PAGE:
            self.do_free((page, offset), poison)

    @rule(offset=st.integers(0, PAGE - 1))
    def free_foreign(self, offset: int) -> None:
        assert self.slab.free("F", offset) == "bad"

    @invariant()
    def counters(self) -> None:
        if not hasattr(self, "slab"):
            return
        live = len(self.live)
        partial = sum(1 for n in self.held.values() if n < self.slab.capacity)
        assert self.slab.stats() == Stats(len(self.held), live, partial, len(self.held), live)


def test_random_sequences(slab_driver: HostDriver) -> None:
    run_state_machine_as_test(
        lambda: SlabMachine(slab_driver),
        settings=settings(
            max_examples=60,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
