"""`ringlet fuzz parsers`: libFuzzer, with AddressSanitizer and UndefinedBehaviorSanitizer, on
the pure parsers of kernel/lib (one fuzzer per tests/host/fuzzers/NAME.c, built by `make
fuzzers` with clang). Each starts from its seed corpus in tests/data/fuzz/NAME/ and keeps what
it learns in build/fuzz/corpus/NAME/. An input that crashes one (or breaks a contract the
fuzzer checks) is copied to tests/data/fuzz/NAME/crash-*, where it becomes part of the corpus
every later run and tests/host/test_parser_fuzz.py replay: commit it with the fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ringlet.paths import BUILD, ROOT
from ringlet.process import show

FUZZERS_SRC = ROOT / "tests" / "host" / "fuzzers"
FUZZERS_BIN = BUILD / "fuzzers"
CORPUS = ROOT / "tests" / "data" / "fuzz"
WORK = BUILD / "fuzz"


def parser_names() -> list[str]:
    return sorted(p.stem for p in FUZZERS_SRC.glob("*.c"))


@dataclass
class ParserRun:
    name: str
    runs: int
    ok: bool
    seconds: float
    crash: Path | None  # where the crashing input was saved
    output: str  # libFuzzer's last lines


def build() -> None:
    from ringlet.build import make

    make("fuzzers")


def fuzz(
    name: str, runs: int, seed: int = 1, work_dir: Path = WORK, keep_crash: bool = True
) -> ParserRun:
    """Runs one fuzzer for `runs` inputs (after its corpus) from libFuzzer seed `seed`, learning
    into work_dir/corpus/NAME. With keep_crash, a crashing input is copied into the seed corpus
    in tests/data/fuzz/NAME/ (the tool does; the tests leave the tree alone)."""
    work = work_dir / "corpus" / name
    crashes = work_dir / "crashes" / name
    for d in (work, crashes):
        d.mkdir(parents=True, exist_ok=True)
    seeds = CORPUS / name
    argv = [
        str(FUZZERS_BIN / name),
        f"-runs={runs}",
        f"-seed={seed}",
        "-max_len=65536",
        "-rss_limit_mb=1024",
        "-timeout=20",
        "-print_final_stats=1",
        f"-artifact_prefix={crashes}/",
        str(work),
        *([str(seeds)] if seeds.is_dir() else []),
    ]
    show(argv)
    start = time.monotonic()
    result = subprocess.run(argv, capture_output=True, text=True, errors="replace")
    seconds = time.monotonic() - start
    tail = "\n".join(result.stderr.splitlines()[-25:])
    crash = None
    if result.returncode != 0 and keep_crash:
        found = sorted(crashes.glob("*"), key=lambda p: p.stat().st_mtime)
        if found:
            seeds.mkdir(parents=True, exist_ok=True)
            crash = seeds / f"crash-{found[-1].name.split('-', 1)[-1]}"
            shutil.copyfile(found[-1], crash)
    return ParserRun(name, runs, result.returncode == 0, seconds, crash, tail)


def replay(name: str) -> subprocess.CompletedProcess[str]:
    """Runs one fuzzer once over every saved input of its corpus (seeds and past crashes)."""
    argv = [str(FUZZERS_BIN / name), *sorted(str(p) for p in (CORPUS / name).glob("*"))]
    show(argv)
    return subprocess.run(argv, capture_output=True, text=True, errors="replace")


def main(runs: int, only: list[str], new_corpus: bool = False) -> int:
    names = parser_names()
    unknown = [n for n in only if n not in names]
    if unknown:
        from ringlet.errors import UsageError

        raise UsageError(f"fuzz parsers: no fuzzer {', '.join(unknown)} (have {', '.join(names)})")
    build()
    if new_corpus:
        from ringlet import fuzz_corpus

        fuzz_corpus.write()
        print(f"fuzz: seed corpora written to {CORPUS}")
    failed = 0
    for name in only or names:
        print(f"fuzz: {name}: {runs} inputs...", flush=True)
        r = fuzz(name, runs)
        if r.ok:
            print(f"fuzz: {name}: ok, {runs} inputs in {r.seconds:.0f} s, no finding")
            continue
        failed += 1
        print(r.output, file=sys.stderr)
        print(f"fuzz: {name}: FAIL (see above)", file=sys.stderr)
        if r.crash:
            print(
                f"fuzz: {name}: the input is saved as {r.crash.relative_to(ROOT)}; replay it with "
                f"{(FUZZERS_BIN / name).relative_to(ROOT)} {r.crash.relative_to(ROOT)}",
                file=sys.stderr,
            )
    return 1 if failed else 0
