"""The C formatter's check: clang-format (pinned in pyproject.toml, so every machine runs the same
version) would change nothing in the kernel, the user programs or the ABI headers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ringlet.paths import ROOT

# Every C source and header in the repository's own code. Nothing in these folders is generated
# (generated files go to build/) or copied from elsewhere (the console font is a .psf file).
C_FOLDERS = ["kernel", "user", "abi"]
CLANG_FORMAT = Path(sys.executable).parent / "clang-format"


def c_files() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for folder in C_FOLDERS
        for pattern in ("*.c", "*.h")
        for path in (ROOT / folder).rglob(pattern)
    )


def test_clang_format_would_change_nothing() -> None:
    files = c_files()
    assert len(files) > 100, "the C files were not found"
    result = subprocess.run(
        [str(CLANG_FORMAT), "--dry-run", "--Werror", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        "run: .venv/bin/clang-format -i on the files named\n" + result.stderr[-4000:]
    )
