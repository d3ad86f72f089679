"""Kernel addresses to function+offset, read from the kernel ELF's symbol table (pyelftools).

`./ringlet symbolize LOG` prints a saved serial log with every kernel text address followed by
<function+0xoffset>; the QEMU harness does the same to every log it keeps.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from pathlib import Path

from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

# An 8-digit hexadecimal word, with or without 0x, not already annotated.
ADDRESS_RE = re.compile(r"\b(0x)?([0-9a-fA-F]{8})\b(?! <)")


class Symbolizer:
    def __init__(self, functions: list[tuple[int, int, str]]) -> None:
        self.functions = sorted(functions)  # (start, size, name)
        self.starts = [f[0] for f in self.functions]

    @staticmethod
    @lru_cache(maxsize=4)
    def _load(path: str, mtime: float) -> Symbolizer:
        functions = []
        with open(path, "rb") as f:
            elf = ELFFile(f)
            for section in elf.iter_sections():
                if not isinstance(section, SymbolTableSection):
                    continue
                for sym in section.iter_symbols():
                    if sym["st_info"]["type"] == "STT_FUNC" and sym["st_value"]:
                        functions.append((sym["st_value"], sym["st_size"], sym.name))
        return Symbolizer(functions)

    @classmethod
    def for_elf(cls, path: Path) -> Symbolizer:
        return cls._load(str(path), path.stat().st_mtime)

    def lookup(self, address: int) -> str | None:
        """ "function+0xoffset" for an address inside a known function, else None."""
        i = bisect.bisect_right(self.starts, address) - 1
        if i < 0:
            return None
        start, size, name = self.functions[i]
        if address >= start + max(size, 1):
            return None
        return f"{name}+{address - start:#x}"

    def annotate(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            where = self.lookup(int(match.group(2), 16))
            return f"{match.group(0)} <{where}>" if where else match.group(0)

        return ADDRESS_RE.sub(replace, text)


def symbolize_file(log: Path, elf: Path) -> str:
    return Symbolizer.for_elf(elf).annotate(log.read_text(errors="replace"))
