"""Smoke runs of the benchmarks at tiny sizes, so they never rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run_benchmark(name: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / name), "--smoke", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_bench_diff_smoke_prints_ours_git_and_dmp() -> None:
    output = run_benchmark("bench_diff.py")
    assert "ours ms" in output and "git ms" in output and "dmp ms" in output
    assert "sample 000 -> 001" in output
    assert "re-edited copies" in output


def test_bench_stories_smoke_prints_scores_for_lsh_and_all_pairs() -> None:
    output = run_benchmark("bench_stories.py", "--seed", "7", "--corpus", "easy")
    assert "lsh" in output and "all-pairs" in output and "speed-up" in output
    f1 = float(output.splitlines()[1].split()[4])
    assert f1 > 0.9


def test_bench_index_smoke_prints_each_figure_beside_its_baseline() -> None:
    output = run_benchmark("bench_index.py")
    for figure in (
        "cold index",
        "re-scan unchanged",
        "re-open to list",
        "app launch to list",
        "warm start",
        "search p50",
        "palette p50",
        "keys on",
    ):
        assert figure in output
    assert "linear scan" in output and "re-reading every file" in output
    assert "previous re-scan" in output and "event loop stalled" in output


def test_soak_smoke_presses_keys_without_an_exception() -> None:
    output = run_benchmark("soak.py")
    assert "exceptions 0" in output


def test_refile_pairs_smoke_keeps_our_marked_words_within_the_bound() -> None:
    output = run_benchmark("refile_pairs.py")
    rows = [line for line in output.splitlines() if line.startswith("opec")]
    assert len(rows) == 3
    assert all(row.split()[-2] == "yes" for row in rows)
    assert "re-flow + house style " in rows[0] and rows[0].split()[-1] == "0"
