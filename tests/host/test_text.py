"""lib/text.c and lib/string.c on the host: glob_match, cmdline_get and the string functions.

Each call goes to build/host/text_driver (protocol at the top of
tests/host/drivers/text_driver.c), which copies every argument into a buffer of exactly its size
so that AddressSanitizer catches a read or write one byte too far.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostdriver import HostDriver, from_hex_arg, hex_arg

# --- talking to the driver ---


def glob(driver: HostDriver, pattern: str, text: str) -> bool:
    answer = driver.ask(f"glob {hex_arg(pattern)} {hex_arg(text)}")
    assert answer in ("0", "1"), answer
    return answer == "1"


def cmdline_get(driver: HostDriver, cmdline: str, key: str, size: int = 256) -> str | None:
    """The value of key, truncated to size - 1 characters; None when the key is absent."""
    answer = driver.ask(f"cmdline {hex_arg(cmdline)} {hex_arg(key)} {size}")
    if answer == "absent":
        return None
    word, value = answer.split(" ")
    assert word == "found", answer
    return from_hex_arg(value).decode("latin-1")


def strlcpy(driver: HostDriver, src: bytes, size: int) -> tuple[int, bytes]:
    n, dst = driver.ask(f"strlcpy {hex_arg(src)} {size}").split(" ")
    return int(n), from_hex_arg(dst)


def sign_of(driver: HostDriver, op: str, *args: bytes | int) -> int:
    words = [hex_arg(a) if isinstance(a, bytes) else str(a) for a in args]
    answer = int(driver.ask(" ".join([op, *words])))
    assert answer in (-1, 0, 1)
    return answer


def find(driver: HostDriver, op: str, s: bytes, c: int) -> int | None:
    answer = driver.ask(f"{op} {hex_arg(s)} {c}")
    return None if answer == "null" else int(answer)


def mem(driver: HostDriver, op: str, buf: bytes, a: int, b: int, n: int) -> bytes:
    return from_hex_arg(driver.ask(f"{op} {hex_arg(buf)} {a} {b} {n}"))


def number(driver: HostDriver, request: str) -> int:
    return int(driver.ask(request))


# --- glob_match ---


@pytest.mark.parametrize(
    "pattern, text, matches",
    [
        ("", "", True),
        ("", "a", False),
        ("*", "", True),
        ("**", "", True),
        ("?", "", False),
        ("?", "a", True),
        ("a", "", False),
        ("string", "string", True),
        ("string", "strings", False),
        ("strings", "string", False),
        ("str*", "string", True),
        ("*ing", "string", True),
        ("*ng*", "string", True),
        ("s*t*g", "string", True),
        ("s*x*g", "string", False),
        ("*ab", "aab", True),  # needs the '*' to give back a character
        ("*aab", "aaab", True),
        ("a*b*c", "abcbc", True),
        ("a*b*c", "abcb", False),
        ("*?", "", False),
        ("?*?", "ab", True),
        ("heap_*", "heap", False),
        ("String", "string", False),  # case matters
    ],
)
def test_glob_cases(text_driver: HostDriver, pattern: str, text: str, matches: bool) -> None:
    assert glob(text_driver, pattern, text) is matches


@settings(max_examples=400, deadline=None)
@given(st.text("ab*?", max_size=8), st.text("ab", max_size=10))
def test_glob_matches_fnmatch_small_alphabet(
    text_driver: HostDriver, pattern: str, text: str
) -> None:
    assert glob(text_driver, pattern, text) is fnmatchcase(text, pattern), (pattern, text)


@settings(max_examples=200, deadline=None)
@given(st.text("abcxyzAB*?", max_size=16), st.text("abcxyzAB", max_size=24))
def test_glob_matches_fnmatch(text_driver: HostDriver, pattern: str, text: str) -> None:
    assert glob(text_driver, pattern, text) is fnmatchcase(text, pattern), (pattern, text)


# --- cmdline_get ---

CMDLINE = "root=/dev/ram initrd=/boot/initrd.img quiet init=/sbin/init console= ktest=heap_*"


@pytest.mark.parametrize(
    "cmdline, key, expected",
    [
        (CMDLINE, "root", "/dev/ram"),  # the first word
        (CMDLINE, "ktest", "heap_*"),  # the last word
        (CMDLINE, "init", "/sbin/init"),  # not "initrd=", which comes first
        (CMDLINE, "initrd", "/boot/initrd.img"),
        (CMDLINE, "console", ""),  # present with an empty value
        (CMDLINE, "quiet", None),  # a word without '=' is no key=value
        (CMDLINE, "ini", None),  # a prefix of keys is not a key
        (CMDLINE, "nosuch", None),
        (CMDLINE, "root=/dev", None),
        ("init=/bin/sh", "init=/bin", None),
        ("", "root", None),
        ("   ", "root", None),
        ("  a=1   b=2  ", "b", "2"),  # runs of spaces
        ("a=1 a=2", "a", "1"),  # the first one wins
        ("a=b=c", "a", "b=c"),  # the value runs to the next space
        ("a=b=c", "a=b", "c"),
        ("xa=1 a=2", "a", "2"),  # the key must start the word
        ("=v", "", "v"),
        ("k=\xe9t\xe9", "k", "\xe9t\xe9"),
    ],
)
def test_cmdline_get(text_driver: HostDriver, cmdline: str, key: str, expected: str | None) -> None:
    assert cmdline_get(text_driver, cmdline, key) == expected


@pytest.mark.parametrize(
    "size, expected",
    [(0, ""), (1, ""), (2, "/"), (5, "/sbi"), (11, "/sbin/init"), (12, "/sbin/init")],
)
def test_cmdline_get_truncates(text_driver: HostDriver, size: int, expected: str) -> None:
    assert cmdline_get(text_driver, CMDLINE, "init", size) == expected


def test_cmdline_get_absent_with_no_room(text_driver: HostDriver) -> None:
    assert cmdline_get(text_driver, CMDLINE, "nosuch", 0) is None


def reference_cmdline_get(cmdline: str, key: str) -> str | None:
    for word in cmdline.split(" "):
        if word.startswith(key + "="):
            return word[len(key) + 1 :]
    return None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text("ab= ", max_size=6), max_size=6).map(" ".join),
    st.text("ab=", max_size=3),
    st.integers(0, 8),
)
def test_cmdline_get_matches_a_reference(
    text_driver: HostDriver, cmdline: str, key: str, size: int
) -> None:
    expected = reference_cmdline_get(cmdline, key)
    if expected is not None:
        expected = expected[: max(size - 1, 0)]
    assert cmdline_get(text_driver, cmdline, key, size) == expected


# --- the string functions ---


@pytest.mark.parametrize(
    "src, size, expected",
    [
        (b"hello", 0, b""),
        (b"hello", 1, b""),
        (b"hello", 3, b"he"),
        (b"hello", 5, b"hell"),
        (b"hello", 6, b"hello"),
        (b"hello", 64, b"hello"),
        (b"", 1, b""),
        (b"", 0, b""),
    ],
)
def test_strlcpy(text_driver: HostDriver, src: bytes, size: int, expected: bytes) -> None:
    assert strlcpy(text_driver, src, size) == (len(src), expected)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=40).map(lambda b: b.replace(b"\0", b"")), st.integers(0, 48))
def test_strlcpy_matches_a_reference(text_driver: HostDriver, src: bytes, size: int) -> None:
    assert strlcpy(text_driver, src, size) == (len(src), src[: max(size - 1, 0)])


@pytest.mark.parametrize(
    "dst, src, n, expected",
    [
        (2, 0, 5, b"ababcdehij"),  # forward overlap: must copy from the end
        (0, 2, 5, b"cdefgfghij"),  # backward overlap
        (0, 0, 10, b"abcdefghij"),
        (3, 4, 0, b"abcdefghij"),
        (0, 5, 5, b"fghijfghij"),
        (1, 0, 9, b"aabcdefghi"),
        (0, 1, 9, b"bcdefghijj"),
    ],
)
def test_memmove(text_driver: HostDriver, dst: int, src: int, n: int, expected: bytes) -> None:
    assert mem(text_driver, "memmove", b"abcdefghij", dst, src, n) == expected


@st.composite
def move_requests(draw: st.DrawFn) -> tuple[bytes, int, int, int]:
    buf = draw(st.binary(min_size=1, max_size=32))
    n = draw(st.integers(0, len(buf)))
    return (buf, draw(st.integers(0, len(buf) - n)), draw(st.integers(0, len(buf) - n)), n)


@settings(max_examples=200, deadline=None)
@given(move_requests())
def test_memmove_matches_a_reference(
    text_driver: HostDriver, request: tuple[bytes, int, int, int]
) -> None:
    buf, dst, src, n = request
    expected = bytearray(buf)
    expected[dst : dst + n] = buf[src : src + n]
    assert mem(text_driver, "memmove", buf, dst, src, n) == bytes(expected)


def test_memcpy_and_memset(text_driver: HostDriver) -> None:
    assert mem(text_driver, "memcpy", b"abcdefghij", 6, 0, 4) == b"abcdefabcd"
    assert mem(text_driver, "memcpy", b"abcdefghij", 0, 5, 5) == b"fghijfghij"
    assert mem(text_driver, "memset", b"abcdefghij", 2, 0x2A, 3) == b"ab***fghij"
    assert mem(text_driver, "memset", b"abcdefghij", 0, 0x141, 10) == b"A" * 10  # an int, cut
    assert mem(text_driver, "memset", b"abc", 3, 0, 0) == b"abc"


@pytest.mark.parametrize(
    "a, b, n, expected",
    [
        (b"abc", b"abc", 3, 0),
        (b"abc", b"abd", 3, -1),
        (b"abd", b"abc", 3, 1),
        (b"abc", b"abd", 2, 0),
        (b"abc", b"xyz", 0, 0),
        (b"ab", b"abc", 5, -1),  # stops at the NUL of the shorter string
        (b"abc", b"ab", 5, 1),
        (b"ab", b"ab", 100, 0),  # n past both NULs: nothing is read after them
        (b"\xff", b"a", 1, 1),  # bytes compare as unsigned char
        (b"a", b"\x80", 1, -1),
    ],
)
def test_strncmp(text_driver: HostDriver, a: bytes, b: bytes, n: int, expected: int) -> None:
    assert sign_of(text_driver, "strncmp", a, b, n) == expected


def cmp(a: bytes, b: bytes) -> int:
    return (a > b) - (a < b)


nul_free = st.binary(max_size=12).map(lambda b: b.replace(b"\0", b""))


@settings(max_examples=200, deadline=None)
@given(nul_free, nul_free, st.integers(0, 16))
def test_strcmp_and_strncmp_match_a_reference(
    text_driver: HostDriver, a: bytes, b: bytes, n: int
) -> None:
    assert sign_of(text_driver, "strcmp", a, b) == cmp(a, b)
    assert sign_of(text_driver, "strncmp", a, b, n) == cmp(a[:n], b[:n])


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=12), st.binary(max_size=12), st.data())
def test_memcmp_matches_a_reference(
    text_driver: HostDriver, a: bytes, b: bytes, data: st.DataObject
) -> None:
    n = data.draw(st.integers(0, min(len(a), len(b))))
    assert sign_of(text_driver, "memcmp", a, b, n) == cmp(a[:n], b[:n])


def test_memcmp_reads_bytes_past_a_nul(text_driver: HostDriver) -> None:
    assert sign_of(text_driver, "memcmp", b"a\0b", b"a\0c", 3) == -1
    assert sign_of(text_driver, "memcmp", b"a\0\xff", b"a\0\x01", 3) == 1


@pytest.mark.parametrize(
    "s, c, first, last",
    [
        (b"a/b/c", ord("/"), 1, 3),
        (b"a/b/c", ord("a"), 0, 0),
        (b"a/b/c", ord("x"), None, None),
        (b"a/b/c", 0, 5, 5),  # the NUL itself is found
        (b"", 0, 0, 0),
        (b"", ord("a"), None, None),
        (b"a/b/c", 0x100 + ord("/"), 1, 3),  # c is converted to char
        (b"\xe9t\xe9", 0xE9, 0, 2),
        (b"\xe9t\xe9", -23, 0, 2),  # (char)-23 is 0xe9 too
    ],
)
def test_strchr_and_strrchr(
    text_driver: HostDriver, s: bytes, c: int, first: int | None, last: int | None
) -> None:
    assert find(text_driver, "strchr", s, c) == first
    assert find(text_driver, "strrchr", s, c) == last


def test_strlen_and_strnlen(text_driver: HostDriver) -> None:
    assert number(text_driver, f"strlen {hex_arg(b'')}") == 0
    assert number(text_driver, f"strlen {hex_arg(b'hello')}") == 5
    # strnlen's buffers hold no NUL unless given one: it must stop at max.
    assert number(text_driver, f"strnlen {hex_arg(b'hello')} 5") == 5
    assert number(text_driver, f"strnlen {hex_arg(b'hello')} 3") == 3
    assert number(text_driver, f"strnlen {hex_arg(b'')} 0") == 0
    inner_nul = hex_arg(b"he\0llo")
    assert number(text_driver, f"strnlen {inner_nul} 100") == 2
    only_nul = hex_arg(b"\0")
    assert number(text_driver, f"strnlen {only_nul} 1") == 0
