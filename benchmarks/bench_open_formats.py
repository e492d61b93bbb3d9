"""Benchmark opening a corpus per format end to end: open_corpus (sniff, read, sign, index,
group) on the generated corpora of bench_formats.py, beside the plain-text corpus.

Run: python benchmarks/bench_open_formats.py [--items 10000] [--formats text jsonl warc ...]
     [--smoke]

Each format is opened in a fresh process with the index in memory and one worker process
(`workers=1`), so seconds and peak memory (max RSS, interpreter and imports included) are the
format's own. The wire formats are one file per item (three versions per story, so metadata
groups them); WARC, CSV and JSONL are one file holding every item, read record by record.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_formats import FORMATS, corpus


def worker(folder: Path) -> dict[str, float]:
    """Open the folder as the app does and report what it took; runs in its own process."""
    from reader.store.library import open_corpus

    started = time.perf_counter()
    library, _, _ = open_corpus([folder], in_memory=True, workers=1)
    return {
        "articles": len(library.corpus.articles),
        "stories": len(library.stories),
        "skipped": len(library.corpus.skipped),
        "seconds": time.perf_counter() - started,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_worker(folder: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--worker", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--formats", nargs="+", default=FORMATS, choices=FORMATS)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--smoke", action="store_true", help="a tiny run that checks it works")
    parser.add_argument("--worker", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(Path(args.worker))))
        return 0
    count = 12 if args.smoke else args.items
    formats = ["text", *(f for f in args.formats if f != "text")]
    print(f"{'format':<10} {'articles':>8} {'stories':>7} {'skipped':>7} {'s':>7} "
          f"{'articles/s':>10} {'peak MiB':>8} {'vs text':>7}")  # fmt: skip
    baseline = None
    for fmt in formats:
        figures = run_worker(corpus(fmt, count, args.seed))
        rate = figures["articles"] / figures["seconds"] if figures["seconds"] else 0.0
        baseline = baseline or rate
        print(
            f"{fmt:<10} {figures['articles']:>8.0f} {figures['stories']:>7.0f} "
            f"{figures['skipped']:>7.0f} {figures['seconds']:>7.2f} {rate:>10.0f} "
            f"{figures['peak_mib']:>8.0f} {rate / baseline if baseline else 0:>6.2f}x"
        )
    print(f"baseline: open_corpus on {count} .txt files; one worker; cpu count {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
