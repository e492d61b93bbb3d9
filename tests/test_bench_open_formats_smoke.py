"""A smoke run of the end-to-end format benchmark at a tiny size, so it never rots."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_open_formats.py"


def test_bench_open_formats_smoke_opens_every_item_and_groups_wire_versions_by_metadata() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--smoke", "--formats", "nitf", "jsonl"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["format", "articles", "stories", "skipped"]
    rows = {line.split()[0]: line.split() for line in lines[1:-1]}
    assert list(rows) == ["text", "nitf", "jsonl"]
    for name, row in rows.items():
        assert (row[1], row[3]) == ("12", "0"), name  # every item an article, nothing skipped
    assert rows["nitf"][2] == "4"  # twelve items: four stories of three versions, by their ids
    assert rows["text"][-1] == "1.00x"
    assert lines[-1].startswith("baseline: open_corpus on 12 .txt files")
