"""A smoke run of the story-following benchmark at a tiny size, so it never rots."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_follow.py"


def test_bench_follow_smoke_times_cold_warm_and_the_app() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--smoke", "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("story: 6 of 6 versions grouped")
    assert [line.split(":")[0] for line in lines[1:5]] == [
        "provenance + timeline, built and cached",
        "provenance + timeline, from the cache",
        "app",
        "  of which off the UI thread",
    ]
    assert all(line.rstrip().endswith(" ms") for line in lines[1:5])
