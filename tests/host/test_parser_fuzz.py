"""The parser fuzzers' short form (./ringlet fuzz parsers runs them long): each libFuzzer build
of a kernel/lib parser (tests/host/fuzzers/NAME.c, with ASan and UBSan) replays its saved inputs
(the seed corpus and every crash found before) and then runs a fixed number of new inputs from
a fixed seed. Any crash, sanitizer report or broken contract fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from ringlet import parser_fuzz

RUNS = 30000
PARSERS = ["bootinfo", "elf", "flatdisk", "format", "tar", "text"]


@pytest.fixture(scope="module", autouse=True)
def fuzzers_built() -> None:
    parser_fuzz.build()


def test_every_fuzzer_is_here() -> None:
    assert parser_fuzz.parser_names() == PARSERS


@pytest.mark.parametrize("name", PARSERS)
def test_saved_inputs_replay_clean(name: str) -> None:
    saved = sorted((parser_fuzz.CORPUS / name).glob("*"))
    assert saved, f"tests/data/fuzz/{name}/ must hold seed inputs"
    result = parser_fuzz.replay(name)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr.count("Executed ") == len(saved)
    assert "ERROR" not in result.stderr and "runtime error" not in result.stderr


@pytest.mark.parametrize("name", PARSERS)
def test_a_short_fuzz_finds_nothing(name: str, tmp_path: Path) -> None:
    run = parser_fuzz.fuzz(name, RUNS, seed=1, work_dir=tmp_path, keep_crash=False)
    assert run.ok, run.output
    assert f"Done {RUNS} runs" in run.output
    assert "contract broken" not in run.output and "ERROR" not in run.output
