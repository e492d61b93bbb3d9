"""A smoke run of the provenance benchmark at a tiny size, so it never rots."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_provenance.py"


def test_bench_provenance_smoke_prints_ours_beside_the_all_pairs_baseline() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--smoke", "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("story: 6 versions")
    rows = {line[:24].strip(): line[24:].split() for line in lines[2:5]}
    assert set(rows) == {"ours: provenance", "ours: timeline + diffs", "naive all-pairs"}
    assert rows["ours: provenance"][2] == "100.00%"
    assert "speed-up over all-pairs" in lines[5]
    assert lines[6].startswith("accuracy easy") and lines[7].startswith("accuracy hard")
