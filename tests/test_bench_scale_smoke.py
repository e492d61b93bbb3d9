"""A smoke run of the scale benchmark at a tiny size, so it never rots."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_scale.py"


def test_bench_scale_smoke_reports_every_figure_for_each_size_beside_the_targets() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--smoke"], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    figures = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [run["articles"] for run in figures] == [200, 400]
    for run in figures:
        assert 0 < run["stories"] < run["articles"], "versions are grouped into stories"
        assert run["rows"] == run["stories"], "the re-opened app lists every story"
        assert run["peak MiB"] > 20, "the child process tree's memory was sampled"
        assert run["search p95 ms"] >= run["search p50 ms"] > 0
    table = result.stdout.split("\n\n")[-2]
    assert "target (1M)" in table and "cold s" in table and "re-open s" in table
    assert result.stdout.rstrip().splitlines()[-1].startswith("at 400 files:")
