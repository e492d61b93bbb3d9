"""Benchmark at scale: a million files on one machine, each figure beside the 100,000 one.

Run: python benchmarks/bench_scale.py [--sizes 100000 1000000] [--smoke] [--keep DIR | --reuse DIR]

For each size a corpus of the hard generator is made (benchmarks/make_corpus.py, cached
under the temp folder: about 2 KB a file) and then, with the figures printed as a table
so growth is visible:
- cold index: `newsreader index` in a child process, timed, and its peak memory taken as
  the largest sum of the resident sets of it and its worker processes (read from /proc
  every 50 ms: what the machine had to give the whole run at once);
- re-scan: `newsreader index` again with nothing changed;
- re-open to list: the app started on the index (Pilot, 120x40) until the full story list
  is there, and its first paint;
- search p50/p95 over 100 queries of corpus words;
- per key on the list: G, g, page down/up, j, and expanding a story (ms; a frame is 16.7).
Targets (issue 16, this 2-core machine): at 1M, cold <= 15 min, peak <= 2 GiB, re-open
<= 3 s (<= 1 s at 100k), search p95 <= 50 ms, no key > 50 ms. Not run in CI; `--smoke`
(a few hundred files) is a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_index import app_timings, percentile, queries_for, timed
from bench_stories import corpus_folder

from reader.store.index import CorpusIndex

#: Issue 16's targets at a million files.
TARGETS = {
    "cold s": 15 * 60,
    "peak MiB": 2048,
    "re-open s": 3.0,
    "search p95 ms": 50.0,
    "worst key ms": 50.0,
}


def tree_rss_kib(root: int) -> int:
    """Resident set of a process and all its descendants, in KiB (0 once it is gone)."""
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            for tid in os.listdir(f"/proc/{pid}/task"):
                children = Path(f"/proc/{pid}/task/{tid}/children").read_text().split()
                stack.extend(int(child) for child in children)
        except (OSError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


@dataclass
class PeakSampler:
    """Samples a process tree's memory in a thread until stopped."""

    pid: int
    peak_kib: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.pid))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kib / 1024


def index_command(folder: Path, index_file: Path) -> tuple[dict[str, int], float, float]:
    """`newsreader index` in a child process: its JSON summary, seconds, peak MiB."""
    command = [sys.executable, "-m", "reader", "index", "--json", "--index", str(index_file)]
    started = time.perf_counter()
    process = subprocess.Popen([*command, str(folder)], stdout=subprocess.PIPE, text=True)
    sampler = PeakSampler(process.pid)
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    peak = sampler.stop()
    if process.returncode:
        raise SystemExit(f"newsreader index failed ({process.returncode})")
    return json.loads(output), seconds, peak


def measure(size: int, seed: int, work: Path, *, cold: bool = True) -> dict[str, float]:
    """Every figure of one size; `cold` False: the index in `work` is there already (the
    cold figures are left out)."""
    folder, _ = corpus_folder(size, seed, "hard")
    index_file = work / f"index-{size}.sqlite3"
    figures: dict[str, float] = {}
    if cold:
        _, figures["cold s"], figures["peak MiB"] = index_command(folder, index_file)
    rescan, figures["re-scan s"], figures["re-scan peak MiB"] = index_command(folder, index_file)
    figures["articles"] = rescan["articles"]
    figures["stories"] = rescan["stories"]
    assert rescan["indexed"] == 0, "nothing changed, nothing is read again"
    first_paint, ready, keys = asyncio.run(app_timings(folder, index_file))
    figures["first paint s"], figures["re-open s"] = first_paint, ready
    figures["rows"] = keys.pop("rows")
    keys.pop("pilot G+g round trip")
    figures["worst key ms"] = max(keys.values())
    index = CorpusIndex.open(index_file)
    try:
        queries = queries_for(index, 100, seed)
        latencies = [timed(index.search, query, 20)[1] * 1000 for query in queries]
    finally:
        index.close()
    figures["search p50 ms"] = percentile(latencies, 0.5)
    figures["search p95 ms"] = percentile(latencies, 0.95)
    return figures


def print_table(results: dict[int, dict[str, float]]) -> None:
    sizes = sorted(results)
    names = list(results[sizes[0]])
    print(f"\n{'':>18}" + "".join(f"{size:>14,}" for size in sizes) + f"{'target (1M)':>14}")
    for name in names:
        cells = "".join(f"{results[size][name]:>14,.2f}" for size in sizes)
        target = TARGETS.get(name)
        print(f"{name:>18}{cells}{'' if target is None else f'{target:>14,.0f}'}")
    largest = results[sizes[-1]]
    missed = [name for name, target in TARGETS.items() if largest.get(name, 0.0) > target]
    print(
        f"\nat {sizes[-1]:,} files: "
        + ("every target met" if not missed else "missed: " + ", ".join(missed))
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for the test suite")
    parser.add_argument(
        "--reuse",
        type=Path,
        help="time all but the cold index on the indexes --keep left in this folder",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the indexes in this folder (new or empty), to look at or time again",
    )
    args = parser.parse_args(argv)
    sizes = [200, 400] if args.smoke else args.sizes
    results: dict[int, dict[str, float]] = {}
    with contextlib.ExitStack() as stack:
        if args.reuse is not None:
            work = args.reuse
        elif args.keep is None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-scale-")))
        else:
            work = args.keep
            work.mkdir(parents=True, exist_ok=True)
            if any(work.iterdir()):
                raise SystemExit(f"{work} is not empty: --keep needs a new or empty folder")
        for size in sizes:
            print(f"== {size:,} files", flush=True)
            results[size] = measure(size, args.seed, work, cold=args.reuse is None)
            print(json.dumps(results[size]), flush=True)
    print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
