"""A smoke run of the format benchmark at a tiny size, so it never rots."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_formats.py"
FORMATS = ["text", "nitf", "newsml-g2", "newsml1", "ninjs", "anpa", "html", "warc", "csv", "jsonl"]


def test_bench_formats_smoke_reads_every_item_of_every_format_beside_the_text_baseline() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--smoke"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["format", "files", "items", "problems"]
    rows = {line.split()[0]: line.split() for line in lines[1:-1]}
    assert list(rows) == FORMATS
    for name, row in rows.items():
        assert (row[2], row[3]) == ("12", "0"), name  # every item read, no problem
    assert rows["text"][-1] == "1.00x"
    assert lines[-1].startswith("baseline: reader.ingest.corpus.read_article")
