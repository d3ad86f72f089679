"""lib/textgrid.c on the host: the cursor's way through a text console's grid of cells, against
a model in Python, for hand-picked and generated text.

Each request goes to build/host/textgrid_driver (protocol at the top of
tests/host/drivers/textgrid_driver.c), which keeps the cells and counts the scrolls.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostdriver import HostDriver, from_hex_arg, hex_arg


@dataclass
class Grid:
    row: int
    column: int
    scrolls: int
    lines: list[str]


def run(driver: HostDriver, rows: int, columns: int, text: str) -> Grid:
    row, column, scrolls, cells = driver.ask(f"{rows} {columns} {hex_arg(text)}").split(" ")
    data = from_hex_arg(cells).decode("latin-1")
    lines = [data[r * columns : (r + 1) * columns] for r in range(rows)]
    return Grid(int(row), int(column), int(scrolls), lines)


def model(rows: int, columns: int, text: str) -> Grid:
    """What a VGA text console does with text."""
    cells = [[" "] * columns for _ in range(rows)]
    grid = Grid(0, 0, 0, [])

    def new_line() -> None:
        grid.column = 0
        grid.row += 1
        if grid.row == rows:
            cells.pop(0)
            cells.append([" "] * columns)
            grid.scrolls += 1
            grid.row = rows - 1

    def put(c: str) -> None:
        if c == "\n":
            new_line()
        elif c == "\r":
            grid.column = 0
        elif c == "\b":
            if grid.column > 0:
                grid.column -= 1
                cells[grid.row][grid.column] = " "
        elif c == "\t":
            put(" ")
            while grid.column % 8:
                put(" ")
        else:
            cells[grid.row][grid.column] = c
            grid.column += 1
            if grid.column == columns:
                new_line()

    for c in text:
        put(c)
    grid.lines = ["".join(r) for r in cells]
    return grid


@pytest.mark.parametrize(
    ("rows", "columns", "text", "row", "column", "lines"),
    [
        (2, 5, "ab\ncd", 1, 2, ["ab   ", "cd   "]),
        (2, 5, "a\nb\nc", 1, 1, ["b    ", "c    "]),  # scrolled once
        (2, 3, "abcd", 1, 1, ["abc", "d  "]),  # a full line wraps
        (1, 3, "abc", 0, 0, ["   "]),  # ... and scrolls the only row away
        (1, 5, "abc\rX", 0, 1, ["Xbc  "]),
        (1, 5, "abc\b\bX", 0, 2, ["aX   "]),
        (1, 5, "\b\bX", 0, 1, ["X    "]),  # backspace stops at column 0
        (1, 12, "a\tb", 0, 9, ["a       b   "]),
        (2, 10, "abcdefgh\tX", 1, 1, ["abcdefgh  ", "X         "]),  # a tab runs to the end
    ],
)
def test_cursor_moves_as_on_a_vga_console(
    textgrid_driver: HostDriver,
    rows: int,
    columns: int,
    text: str,
    row: int,
    column: int,
    lines: list[str],
) -> None:
    grid = run(textgrid_driver, rows, columns, text)
    assert (grid.row, grid.column, grid.lines) == (row, column, lines)
    assert grid == model(rows, columns, text)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 12),
    st.text(st.sampled_from("ab \n\r\b\t"), max_size=80),
)
def test_generated_text_matches_the_model(
    textgrid_driver: HostDriver, rows: int, columns: int, text: str
) -> None:
    assert run(textgrid_driver, rows, columns, text) == model(rows, columns, text)
