"""lib/format.c on the host: format_snprintf and format_vsnprintf against Python's % operator.

Each call goes to build/host/format_driver (protocol at the top of
tests/host/drivers/format_driver.c), which runs it under AddressSanitizer and UBSan with a buffer
of exactly the given size and checks the terminating NUL and the untouched rest itself.

Python's % agrees with C for d i u x X s c with the '-' and '0' flags, a width and a precision,
except in two places the oracle below adjusts for: C turns the '0' flag off for an integer with
a precision, and a '*' argument that is negative means '-' (width) or no precision at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostdriver import HostDriver, from_hex_arg, hex_arg

INT_MIN, INT_MAX, UINT_MAX = -(2**31), 2**31 - 1, 2**32 - 1
LLONG_MIN, LLONG_MAX, ULLONG_MAX = -(2**63), 2**63 - 1, 2**64 - 1


@dataclass(frozen=True)
class Sizes:
    pointer: int
    long: int


@pytest.fixture(scope="module")
def sizes(format_driver: HostDriver) -> Sizes:
    words = format_driver.ask("?").split()
    assert words[0] == "ptr" and words[2] == "long", words
    return Sizes(int(words[1]), int(words[3]))


def call(
    driver: HostDriver,
    fmt: str | bytes,
    arg_type: str = "none",
    value: int | str | bytes | None = None,
    *,
    stars: tuple[int, ...] = (),
    size: int = 4096,
    api: str = "s",
) -> tuple[int, bytes]:
    """One format call; returns (the return value, what the buffer holds before the NUL)."""
    words = [api, str(size), hex_arg(fmt), *(f"*{s}" for s in stars), arg_type]
    if isinstance(value, str | bytes):
        words.append(hex_arg(value))
    elif value is not None:
        words.append(format(value, "x") if arg_type == "ptr" else str(value))
    n_text, out = driver.ask(" ".join(words)).split(" ")
    return int(n_text), from_hex_arg(out)


def formatted(
    driver: HostDriver,
    fmt: str | bytes,
    arg_type: str = "none",
    value: int | str | bytes | None = None,
    *,
    stars: tuple[int, ...] = (),
) -> bytes:
    """The whole output, through both APIs, checking that the return value is its length."""
    results = [call(driver, fmt, arg_type, value, stars=stars, api=api) for api in "sv"]
    assert results[0] == results[1], results
    n, out = results[0]
    assert n == len(out), (n, out)
    return out


# --- fixed cases ---


@pytest.mark.parametrize(
    "fmt, arg_type, value, expected",
    [
        ("%d", "int", INT_MIN, b"-2147483648"),
        ("%i", "int", INT_MAX, b"2147483647"),
        ("%u", "uint", UINT_MAX, b"4294967295"),
        ("%x", "uint", 0xDEADBEEF, b"deadbeef"),
        ("%X", "uint", 0xDEADBEEF, b"DEADBEEF"),
        ("%o", "uint", UINT_MAX, b"37777777777"),
        ("%04o", "uint", 0o22, b"0022"),  # /proc/PID/status's Umask line
        ("%llo", "ullong", ULLONG_MAX, b"1777777777777777777777"),
        ("%lld", "llong", LLONG_MIN, b"-9223372036854775808"),
        ("%lli", "llong", LLONG_MAX, b"9223372036854775807"),
        ("%llu", "ullong", ULLONG_MAX, b"18446744073709551615"),
        ("%llx", "ullong", ULLONG_MAX, b"ffffffffffffffff"),
        ("%016llX", "ullong", 0xABC, b"0000000000000ABC"),
        ("%-6d|", "int", -42, b"-42   |"),
        ("%06d", "int", -42, b"-00042"),
        ("%6.4d", "int", -42, b" -0042"),
        ("%06.4d", "int", 42, b"  0042"),  # a precision turns '0' off
        ("%.30d", "int", 7, b"0" * 29 + b"7"),  # more digits than fit any integer
        ("%-32.30llx|", "ullong", 0xF, b"0" * 29 + b"f  |"),
        ("%.0d", "int", 0, b"0"),  # format.c prints "0" here, unlike C (which prints "")
        ("%.0x", "uint", 0, b"0"),
        ("%5.0u|", "uint", 0, b"    0|"),
        ("%s", "str", "hello", b"hello"),
        ("%.3s", "str", "hello", b"hel"),
        ("%-7.3s|", "str", "hello", b"hel    |"),
        ("%07s", "str", "ab", b"     ab"),  # '0' pads strings with spaces
        ("%s", "null", None, b"(null)"),
        ("%.3s", "null", None, b"(nu"),
        ("%8s", "null", None, b"  (null)"),
        ("%c", "char", 65, b"A"),
        ("%3c|", "char", 0x141, b"  A|"),  # an int, cut to a char
        ("%-3c|", "char", -191, b"A  |"),
        ("%c", "char", 0, b"\0"),
        ("%%", "none", None, b"%"),
        ("100%% sure", "none", None, b"100% sure"),
        ("%5%", "none", None, b"%"),
        ("trailing %", "none", None, b"trailing %"),
        ("%-05", "none", None, b"%"),  # flags and width, then the string ends
        ("%q and %5w", "none", None, b"%q and %w"),  # unknown conversions show as written
        ("%04o", "uint", 0o22, b"0022"),  # octal: /proc/PID/status's Umask
        ("", "none", None, b""),
        ("tab\there\nnewline", "none", None, b"tab\there\nnewline"),
    ],
)
def test_fixed_cases(
    format_driver: HostDriver, fmt: str, arg_type: str, value: int | str | None, expected: bytes
) -> None:
    assert formatted(format_driver, fmt, arg_type, value) == expected


def test_long_follows_the_host_size(format_driver: HostDriver, sizes: Sizes) -> None:
    bits = 8 * sizes.long
    low, high = -(2 ** (bits - 1)), 2**bits - 1
    assert formatted(format_driver, "%ld", "long", low) == str(low).encode()
    assert formatted(format_driver, "%lu", "ulong", high) == str(high).encode()
    assert formatted(format_driver, "%lx", "ulong", high) == b"f" * (bits // 4)


def test_star_width_and_precision(format_driver: HostDriver) -> None:
    assert formatted(format_driver, "%*d|", "int", 7, stars=(4,)) == b"   7|"
    assert formatted(format_driver, "%*d|", "int", 7, stars=(-4,)) == b"7   |"  # '-' implied
    assert formatted(format_driver, "%.*s|", "str", "abcdef", stars=(2,)) == b"ab|"
    assert formatted(format_driver, "%.*s|", "str", "abcdef", stars=(-1,)) == b"abcdef|"
    assert formatted(format_driver, "%*.*d", "int", 5, stars=(6, 3)) == b"   005"
    assert formatted(format_driver, "%-*d|", "int", 7, stars=(-4,)) == b"7   |"
    assert formatted(format_driver, "%0*x", "uint", 0xAB, stars=(6,)) == b"0000ab"


# --- %p: always "0x" and all the digits of a pointer (8 on the 32-bit kernel) ---


@pytest.mark.parametrize("value", [0, 1, 0xC0100000, 0xDEADBEEF])
def test_pointer(format_driver: HostDriver, sizes: Sizes, value: int) -> None:
    digits = 2 * sizes.pointer
    expected = f"0x{value:0{digits}x}".encode()
    assert len(expected) == 2 + digits
    assert formatted(format_driver, "%p", "ptr", value) == expected
    pad = 24 - len(expected)
    assert formatted(format_driver, "%24p|", "ptr", value) == b" " * pad + expected + b"|"
    assert formatted(format_driver, "%-24p|", "ptr", value) == expected + b" " * pad + b"|"
    assert formatted(format_driver, "%024p|", "ptr", value) == b" " * pad + expected + b"|"


def test_pointer_highest_value(format_driver: HostDriver, sizes: Sizes) -> None:
    digits = 2 * sizes.pointer
    value = 2 ** (8 * sizes.pointer) - 1
    assert formatted(format_driver, "%p", "ptr", value) == b"0x" + b"f" * digits


# --- truncation ---


@pytest.mark.parametrize("size", [0, 1, 2, 5, 11, 12, 13, 100])
def test_truncation_returns_the_full_length(format_driver: HostDriver, size: int) -> None:
    full = b"-2147483648"  # 11 characters
    for api in "sv":
        n, out = call(format_driver, "%d", "int", INT_MIN, size=size, api=api)
        assert n == 11
        assert out == full[: max(size - 1, 0)]


def test_truncation_inside_padding_and_a_long_string(format_driver: HostDriver) -> None:
    assert call(format_driver, "%-20s|", "str", "ab", size=8) == (21, b"ab     ")
    assert call(format_driver, "%s", "str", "x" * 5000, size=3) == (5000, b"xx")
    assert call(format_driver, "%.*d", "int", 1, stars=(1000,), size=4) == (1000, b"000")


# --- hypothesis: against Python's % ---

INT_CONVERSIONS = "diuoxX"
SIGNED_TYPES = {"": ("int", INT_MIN, INT_MAX), "ll": ("llong", LLONG_MIN, LLONG_MAX)}
UNSIGNED_TYPES = {"": ("uint", 0, UINT_MAX), "ll": ("ullong", 0, ULLONG_MAX)}


@dataclass(frozen=True)
class Spec:
    """One conversion: flags, width and precision (None: absent), possibly taken from '*'."""

    flags: str
    width: int | None
    precision: int | None
    star_width: bool
    star_precision: bool
    length: str
    conversion: str

    def c_format(self) -> str:
        width = "*" if self.star_width else ("" if self.width is None else str(self.width))
        precision = (
            ""
            if self.precision is None and not self.star_precision
            else ("." + ("*" if self.star_precision else str(self.precision)))
        )
        return f"%{self.flags}{width}{precision}{self.length}{self.conversion}"

    def stars(self) -> tuple[int, ...]:
        values = []
        if self.star_width:
            values.append(0 if self.width is None else self.width)
        if self.star_precision:
            values.append(-1 if self.precision is None else self.precision)
        return tuple(values)

    def python_format(self) -> str:
        """The same conversion for Python's %, with C's meaning of '*' and of '0' spelled out."""
        flags, width, precision = self.flags, self.width, self.precision
        if width is not None and width < 0:  # only through '*'
            flags, width = flags + "-", -width
        if precision is not None and precision < 0:
            precision = None
        if precision is not None and self.conversion in INT_CONVERSIONS:
            flags = flags.replace("0", "")
        return (
            f"%{flags}{'' if width is None else width}"
            f"{'' if precision is None else '.' + str(precision)}{self.conversion}"
        )


@st.composite
def specs(draw: st.DrawFn, conversions: str) -> Spec:
    conversion = draw(st.sampled_from(conversions))
    star_width = draw(st.booleans())
    star_precision = draw(st.booleans())
    width = draw(st.none() | st.integers(-40 if star_width else 0, 40))
    precision = draw(st.none() | st.integers(-3 if star_precision else 0, 40))
    if star_width and width is None:
        width = 0
    return Spec(
        flags="".join(draw(st.lists(st.sampled_from("-0"), max_size=3))),
        width=width,
        precision=precision,
        star_width=star_width,
        star_precision=star_precision,
        length=draw(st.sampled_from(["", "ll"])) if conversion in INT_CONVERSIONS else "",
        conversion=conversion,
    )


@st.composite
def integer_calls(draw: st.DrawFn) -> tuple[Spec, str, int]:
    spec = draw(specs(INT_CONVERSIONS))
    types = SIGNED_TYPES if spec.conversion in "di" else UNSIGNED_TYPES
    arg_type, low, high = types[spec.length]
    value = draw(
        st.one_of(
            st.sampled_from([low, high, 0, 1, -1 if low < 0 else 2]),
            st.integers(low, high),
        )
    )
    return spec, arg_type, value


# Text: bytes 1..255 (as Latin-1), with no '%' so the format string stays one conversion.
plain_text = st.text(
    st.characters(min_codepoint=1, max_codepoint=255, exclude_characters="%"), max_size=12
)


@settings(max_examples=300, deadline=None)
@given(integer_calls(), plain_text, plain_text)
def test_integers_match_python(
    format_driver: HostDriver, call_spec: tuple[Spec, str, int], before: str, after: str
) -> None:
    spec, arg_type, value = call_spec
    expected = before + spec.python_format() % value + after
    fmt = before + spec.c_format() + after
    out = formatted(format_driver, fmt, arg_type, value, stars=spec.stars())
    assert out == expected.encode("latin-1"), (fmt, spec.stars(), value)


@settings(max_examples=200, deadline=None)
@given(specs("s"), plain_text | st.none(), plain_text)
def test_strings_match_python(
    format_driver: HostDriver, spec: Spec, value: str | None, before: str
) -> None:
    expected = before + spec.python_format() % ("(null)" if value is None else value)
    fmt = before + spec.c_format()
    if value is None:
        out = formatted(format_driver, fmt, "null", None, stars=spec.stars())
    else:
        out = formatted(format_driver, fmt, "str", value, stars=spec.stars())
    assert out == expected.encode("latin-1"), (fmt, spec.stars(), value)


@settings(max_examples=150, deadline=None)
@given(specs("c"), st.integers(INT_MIN, INT_MAX))
def test_chars_match_python(format_driver: HostDriver, spec: Spec, value: int) -> None:
    expected = spec.python_format() % chr(value & 0xFF)
    out = formatted(format_driver, spec.c_format(), "char", value, stars=spec.stars())
    assert out == expected.encode("latin-1"), (spec.c_format(), spec.stars(), value)


@settings(max_examples=200, deadline=None)
@given(integer_calls(), plain_text, st.integers(0, 80), st.sampled_from("sv"))
def test_truncation_matches_python(
    format_driver: HostDriver, call_spec: tuple[Spec, str, int], text: str, size: int, api: str
) -> None:
    spec, arg_type, value = call_spec
    full = (text + spec.python_format() % value + text).encode("latin-1")
    fmt = text + spec.c_format() + text
    n, out = call(format_driver, fmt, arg_type, value, stars=spec.stars(), size=size, api=api)
    assert n == len(full)
    assert out == full[: max(size - 1, 0)]


def test_huge_widths_and_precisions_are_capped_not_overflowed(format_driver: HostDriver) -> None:
    # A field is never wider than 4096: a '*' of INT_MIN (whose negation overflows an int) or a
    # literal too long for an int is capped, not undefined behaviour.
    cases = [
        ("%*d|", (INT_MIN,), b"7" + b" " * 4095 + b"|"),  # negative: left-aligned
        ("%99999999999d|", (), b" " * 4095 + b"7|"),
        ("%.99999999999d|", (), b"0" * 4095 + b"7|"),
        ("%.*d|", (INT_MIN,), b"7|"),  # a negative precision is none
    ]
    for fmt, stars, expected in cases:
        for api in "sv":
            n, out = call(format_driver, fmt, "int", 7, stars=stars, size=8192, api=api)
            assert (n, out) == (len(expected), expected), fmt
