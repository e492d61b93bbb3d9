"""Benchmark story grouping: pairwise precision, recall and F1, time and peak memory.

Run: python benchmarks/bench_stories.py [--sizes 1000 10000 100000] [--smoke]

For each size a labelled corpus is generated (benchmarks/make_corpus.py, cached under
the system temp folder) and opened cold the way the app opens it (read, parse, sign,
group, index in memory; time and peak memory reported). Then the grouping alone is timed
twice on the same signatures: LSH candidates, and a naive all-pairs baseline (exact
similarity of every pair) where it finishes in time; beyond that the baseline's time is
extrapolated from the pairs it did compare (grouping time only), and marked so.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from make_corpus import write_corpus

from reader.article import Article
from reader.library import open_corpus
from reader.stories import DEFAULT_THRESHOLD, Signature, Story, StoryGrouper

#: The all-pairs baseline gives up after this long and extrapolates.
BASELINE_BUDGET_S = 60.0


def corpus_folder(files: int, seed: int) -> tuple[Path, dict[str, str]]:
    out = Path(tempfile.gettempdir()) / f"newsreader-bench-{files}-{seed}"
    truth_file = out / "truth.json"
    if not truth_file.exists():
        write_corpus(out, files, seed)
    return out / "articles", json.loads(truth_file.read_text(encoding="utf-8"))


def pairwise_scores(labels_by_cluster: Sequence[Sequence[str]]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of predicted clusters holding true labels."""
    predicted = sum(comb(len(cluster), 2) for cluster in labels_by_cluster)
    true_sizes = Counter(label for cluster in labels_by_cluster for label in cluster)
    actual = sum(comb(size, 2) for size in true_sizes.values())
    correct = sum(
        comb(count, 2) for cluster in labels_by_cluster for count in Counter(cluster).values()
    )
    precision = correct / predicted if predicted else 1.0
    recall = correct / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def peak_memory_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class BudgetExceeded(Exception):
    """The all-pairs baseline ran out of time after comparing `done` pairs."""

    def __init__(self, done: int) -> None:
        super().__init__(done)
        self.done = done


def budgeted_pairs(count: int, budget_s: float) -> Iterator[tuple[int, int]]:
    started = time.perf_counter()
    done = 0
    for i in range(count):
        for j in range(i + 1, count):
            yield i, j
        done += count - i - 1
        if time.perf_counter() - started > budget_s:
            raise BudgetExceeded(done)


def read_corpus(folder: Path, threshold: float) -> tuple[list[Article], list[Signature], float]:
    """Open the corpus as the app does; its articles and signatures, and the time it took."""
    started = time.perf_counter()
    opened = open_corpus([folder], in_memory=True, threshold=threshold)
    seconds = time.perf_counter() - started
    rows = opened.corpus_index.articles()
    signatures = opened.corpus_index.signatures([rowid for rowid, _, _ in rows])
    opened.corpus_index.close()
    return [article for _, article, _ in rows], [signatures[r] for r, _, _ in rows], seconds


def run_ours(
    articles: list[Article], signatures: list[Signature], threshold: float
) -> tuple[list[Story], float]:
    """LSH grouping alone, timed."""
    started = time.perf_counter()
    stories = StoryGrouper(threshold).group(articles, signatures=signatures).stories
    return stories, time.perf_counter() - started


def run_baseline(
    articles: list[Article], signatures: list[Signature], threshold: float
) -> tuple[float, list[Story] | None]:
    """Every pair compared exactly, then the same clustering; None when out of time."""
    started = time.perf_counter()
    count = len(signatures)
    try:
        stories = (
            StoryGrouper(threshold)
            .group(articles, signatures=signatures, pairs=budgeted_pairs(count, BASELINE_BUDGET_S))
            .stories
        )
    except BudgetExceeded as exceeded:
        elapsed = time.perf_counter() - started
        return elapsed * comb(count, 2) / exceeded.done, None
    return time.perf_counter() - started, stories


def labels(stories: list[Story], truth: dict[str, str]) -> list[list[str]]:
    return [[truth[Path(v.name).name] for v in story.versions] for story in stories]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="one tiny corpus, for the test suite")
    args = parser.parse_args(argv)
    sizes = [200] if args.smoke else args.sizes
    print(
        f"{'files':>8} {'method':10} {'precision':>9} {'recall':>7} {'F1':>6} {'time s':>8} {'peak MiB':>9}"
    )
    for size in sizes:
        folder, truth = corpus_folder(size, args.seed)
        articles, signatures, open_s = read_corpus(folder, args.threshold)
        stories, seconds = run_ours(articles, signatures, args.threshold)
        precision, recall, f1 = pairwise_scores(labels(stories, truth))
        print(
            f"{size:>8,} {'lsh':10} {precision:9.4f} {recall:7.4f} {f1:6.4f} {seconds:8.2f} "
            f"{peak_memory_mib():9.0f}",
            flush=True,
        )
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"{'':>8} {'open':10} cold open as the app does it (read, parse, sign, group, "
            f"index): {open_s:.2f} s; largest worker process {children:.0f} MiB",
            flush=True,
        )
        if args.no_baseline:
            continue
        baseline_s, baseline = run_baseline(articles, signatures, args.threshold)
        if baseline is not None:
            p, r, f = pairwise_scores(labels(baseline, truth))
            print(f"{size:>8,} {'all-pairs':10} {p:9.4f} {r:7.4f} {f:6.4f} {baseline_s:8.2f}")
        else:
            print(
                f"{size:>8,} {'all-pairs':10} {'':>9} {'':>7} {'':>6} {baseline_s:8.0f}  (extrapolated)"
            )
        print(f"{'':>8} {'speed-up':10} {baseline_s / seconds:>32.1f}x", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
