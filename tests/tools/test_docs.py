"""The docs point at real things: every repository path and test name they cite exists.

Paths are words starting with a top-level directory of the repository (kernel/, tools/, ...);
`NAME` and `*` in them are placeholders. Test names are words starting with test_; each must be
a test function or a test file under tests/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ringlet.paths import ROOT

DOCS = [ROOT / "README.md", ROOT / "user" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PATH_RE = re.compile(r"(?<![\w/.-])((?:kernel|tools|tests|user|abi|docs|\.ci)/[\w./*-]*[\w*])")
TEST_RE = re.compile(r"\b(test_\w+)\b")


def defined_tests() -> set[str]:
    names = set()
    for path in (ROOT / "tests").rglob("*.py"):
        names.add(path.stem)
        names.update(re.findall(r"^\s*def (test_\w+)", path.read_text(), re.MULTILINE))
    return names


def exists(cited: str) -> bool:
    """A plain path must exist; a pattern (NAME, *) must match something, or name files to come
    in a directory that does (tests/data/fuzz/NAME/crash-*: where a crash input will go)."""
    pattern = cited.rstrip("/").replace("NAME", "*")
    if "*" not in pattern:
        return (ROOT / pattern).exists()
    parent = pattern.rsplit("/", 1)[0]
    return any(ROOT.glob(pattern)) or any(p.is_dir() for p in ROOT.glob(parent))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cited_path_and_test_exists(doc: Path) -> None:
    text = doc.read_text()
    missing_paths = sorted({m for m in PATH_RE.findall(text) if not exists(m.rstrip("."))})
    known = defined_tests()
    missing_tests = sorted({t for t in TEST_RE.findall(text) if t not in known})
    missing_tests = [t for t in missing_tests if t != "test_NAME"]  # the placeholder
    assert not missing_paths and not missing_tests, (missing_paths, missing_tests)
