"""Benchmark story grouping: pairwise precision, recall and F1, time and peak memory.

Run: python benchmarks/bench_stories.py [--sizes 1000 10000 100000] [--corpus hard|easy]
         [--curve] [--smoke]

For each size a labelled corpus is generated (benchmarks/make_corpus.py, cached under the
system temp folder; `hard` by default) and opened cold through `open_corpus`, as the app opens
it: read, parse, sign, group, index (a file in a temporary folder), with worker processes
when the corpus is large. Then, on one set of signatures read once, the grouping alone is timed twice in the same run: LSH candidates,
and the naive all-pairs baseline (exact similarity of every pair). When the baseline runs
out of time, only its pair comparisons are extrapolated (from the pairs it did compare),
never the reading, and the line says so.

Memory: `peak MiB` is this process's peak resident set (getrusage RUSAGE_SELF);
`worker MiB` is the largest peak of any worker process that has ended
(getrusage RUSAGE_CHILDREN, which reports the largest child, not a sum). Workers run at
the same time, so the peak of the whole run is at most peak + workers x worker MiB; the
`bound MiB` column gives that sum.

After the table: scores per kind of family (a pair counts for a kind when both files
were made in families of that kind), the similarity of true pairs against false pairs
that share a family (the hard negatives), and with `--curve` the scores across
thresholds 0.30 ... 0.75.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from make_corpus import CORPORA, GENERATOR_VERSION, write_corpus

from reader.grouping.decide import overlap
from reader.grouping.stories import DEFAULT_THRESHOLD, Signature, Story, StoryGrouper, similarity
from reader.ingest.article import Article
from reader.ingest.workers import PARALLEL_MIN_FILES, default_workers, worker_pool
from reader.store.library import open_corpus

#: The all-pairs baseline gives up after this long and extrapolates.
BASELINE_BUDGET_S = 60.0
#: Thresholds of the curve.
CURVE = [round(0.30 + 0.05 * step, 2) for step in range(10)]
#: Bins of the similarity histogram (lower edges).
BINS = [round(0.1 * step, 1) for step in range(10)]


def corpus_folder(files: int, seed: int, corpus: str = "easy") -> tuple[Path, dict[str, str]]:
    """The cached generated corpus (generated on first use) and its truth: name -> label.
    `easy` by default: the index benchmark and the soak run keep their corpus."""
    out = (
        Path(tempfile.gettempdir()) / f"newsreader-bench-{corpus}{GENERATOR_VERSION}-{files}-{seed}"
    )
    truth_file = out / "truth.json"
    if not truth_file.exists():
        write_corpus(out, files, seed, corpus)
    return out / "articles", json.loads(truth_file.read_text(encoding="utf-8"))


def corpus_kinds(folder: Path) -> dict[str, dict[str, str]]:
    """name -> {"kind", "family"} of a corpus made by corpus_folder."""
    return json.loads((folder.parent / "kinds.json").read_text(encoding="utf-8"))


def pairwise_scores(labels_by_cluster: Sequence[Sequence[str]]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of predicted clusters holding true labels."""
    predicted = sum(comb(len(cluster), 2) for cluster in labels_by_cluster)
    true_sizes = Counter(label for cluster in labels_by_cluster for label in cluster)
    actual = sum(comb(size, 2) for size in true_sizes.values())
    correct = sum(
        comb(count, 2) for cluster in labels_by_cluster for count in Counter(cluster).values()
    )
    return _prf(correct, predicted, actual)


def _prf(correct: int, predicted: int, actual: int) -> tuple[float, float, float]:
    precision = correct / predicted if predicted else 1.0
    recall = correct / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


CROSS_KIND = "cross-kind"


def scores_by_kind(
    clusters: Sequence[Sequence[str]], kind_of: dict[str, str], labels_of: dict[str, str]
) -> dict[str, tuple[int, int, int]]:
    """kind -> (correct, predicted, actual) pair counts. `clusters` hold file names; a pair
    belongs to a kind when both files were made in families of that kind (labels never
    span kinds), else to `cross-kind`, which has no true pairs."""
    correct: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    actual: Counter[str] = Counter()
    label_sizes = Counter(labels_of.values())
    label_kind = {labels_of[name]: kind_of[name] for name in labels_of}
    for label, size in label_sizes.items():
        actual[label_kind[label]] += comb(size, 2)
    for cluster in clusters:
        kinds = Counter(kind_of[name] for name in cluster)
        for kind, count in kinds.items():
            predicted[kind] += comb(count, 2)
        predicted[CROSS_KIND] += comb(len(cluster), 2) - sum(comb(n, 2) for n in kinds.values())
        for label, count in Counter(labels_of[name] for name in cluster).items():
            correct[label_kind[label]] += comb(count, 2)
    kinds = sorted(set(actual) | set(predicted))
    return {kind: (correct[kind], predicted[kind], actual[kind]) for kind in kinds}


def peak_memory_mib() -> float:
    """This process's peak resident set so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_peak_mib() -> float:
    """The largest peak resident set of any ended child process (not a sum)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


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


def run_cold(
    folder: Path, threshold: float
) -> tuple[list[Story], float, list[Article], list[Signature]]:
    """Open the corpus as users' corpora are opened (an index file, here in a temporary
    folder): its stories, the time it took, and the articles and signatures it read (for
    timing grouping alone)."""
    with tempfile.TemporaryDirectory(prefix="newsreader-bench-index-") as scratch:
        started = time.perf_counter()
        opened = open_corpus(
            [folder], index_file=Path(scratch) / "index.sqlite3", threshold=threshold
        )
        seconds = time.perf_counter() - started
        rows = opened.corpus_index.articles()
        found = opened.corpus_index.signatures([rowid for rowid, _, _ in rows])
        opened.corpus_index.close()
    articles = [article for _, article, _ in rows]
    return opened.library.stories, seconds, articles, [found[rowid] for rowid, _, _ in rows]


def group_only(
    articles: Sequence[Article],
    signatures: list[Signature],
    threshold: float,
    pool: ProcessPoolExecutor | None,
) -> tuple[list[Story], float]:
    """LSH grouping of signatures already read, timed alone (sketching in the workers
    when there are any, as `open_corpus` does)."""
    parallel_map = pool.map if pool is not None else map
    started = time.perf_counter()
    grouping = StoryGrouper(threshold).group(
        articles, signatures=signatures, parallel_map=parallel_map
    )
    return grouping.stories, time.perf_counter() - started


def run_baseline(
    articles: Sequence[Article], signatures: list[Signature], threshold: float
) -> tuple[float, list[Story] | None]:
    """Every pair compared exactly, then the same clustering, on signatures already read;
    None (and an extrapolated time) when out of time."""
    count = len(signatures)
    started = time.perf_counter()
    try:
        grouping = StoryGrouper(threshold).group(
            articles, signatures=signatures, pairs=budgeted_pairs(count, BASELINE_BUDGET_S)
        )
    except BudgetExceeded as exceeded:
        elapsed = time.perf_counter() - started
        return elapsed * comb(count, 2) / exceeded.done, None
    return time.perf_counter() - started, grouping.stories


def names(stories: list[Story]) -> list[list[str]]:
    return [[Path(v.name).name for v in story.versions] for story in stories]


def labels(stories: list[Story], truth: dict[str, str]) -> list[list[str]]:
    return [[truth[name] for name in cluster] for cluster in names(stories)]


def similarity_histogram(
    files: list[str],
    signatures: list[Signature],
    truth: dict[str, str],
    family_of: dict[str, str],
) -> dict[str, list[float]]:
    """Similarities of every true pair and of every false pair inside one family (the
    hard negatives), with the grouping's similarity (0 when a rule of `decide` says they
    are not versions) and with shingles alone (no rule)."""
    members: dict[str, list[int]] = defaultdict(list)
    for index, name in enumerate(files):
        members[family_of[name]].append(index)
    found: dict[str, list[float]] = defaultdict(list)
    for indices in members.values():
        for position, i in enumerate(indices):
            for j in indices[position + 1 :]:
                same = truth[files[i]] == truth[files[j]]
                a, b = signatures[i], signatures[j]
                found["true" if same else "false"].append(similarity(a, b))
                found["true shingles" if same else "false shingles"].append(max(overlap(a, b)[:2]))
    return found


def print_histogram(found: dict[str, list[float]], threshold: float) -> None:
    columns = ["true", "false", "true shingles", "false shingles"]
    print(f"\nsimilarity of pairs in one family (hard negatives); threshold {threshold}")
    print(f"{'from':>6} " + " ".join(f"{c:>15}" for c in columns))
    for low in BINS:
        counts = [
            sum(low <= s < low + 0.1 or (low == 0.9 and s >= 1.0) for s in found[c])
            for c in columns
        ]
        print(f"{low:6.1f} " + " ".join(f"{n:15,}" for n in counts))
    for column in columns:
        values = sorted(found[column])
        if not values:
            continue
        above = sum(s >= threshold for s in values)
        quartiles = [values[int(q * (len(values) - 1))] for q in (0.05, 0.25, 0.5, 0.75, 0.95)]
        print(
            f"{column:>15}: {len(values):,} pairs, {above:,} at or above the threshold; "
            "p5/p25/p50/p75/p95 " + " ".join(f"{q:.2f}" for q in quartiles)
        )


def print_kinds(
    stories: list[Story], truth: dict[str, str], kinds: dict[str, dict[str, str]]
) -> None:
    kind_of = {name: meta["kind"] for name, meta in kinds.items()}
    table = scores_by_kind(names(stories), kind_of, truth)
    print(
        f"\n{'kind':>18} {'precision':>9} {'recall':>7} {'F1':>6} {'true pairs':>10} {'found':>8}"
    )
    for kind, (correct, predicted, actual) in table.items():
        p, r, f = _prf(correct, predicted, actual)
        print(f"{kind:>18} {p:9.4f} {r:7.4f} {f:6.4f} {actual:10,} {predicted:8,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", choices=CORPORA, default="hard")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--curve", action="store_true", help="scores across thresholds too")
    parser.add_argument("--smoke", action="store_true", help="one tiny corpus, for the test suite")
    args = parser.parse_args(argv)
    sizes = [200] if args.smoke else args.sizes
    print(
        f"{'files':>8} {'method':10} {'precision':>9} {'recall':>7} {'F1':>6} {'time s':>8} "
        f"{'peak MiB':>9} {'worker MiB':>10} {'bound MiB':>9}"
    )
    for size in sizes:
        folder, truth = corpus_folder(size, args.seed, args.corpus)
        kinds = corpus_kinds(folder)
        stories, seconds, articles, signatures = run_cold(folder, args.threshold)
        precision, recall, f1 = pairwise_scores(labels(stories, truth))
        workers = default_workers() if size >= PARALLEL_MIN_FILES else 0
        own, child = peak_memory_mib(), worker_peak_mib()
        print(
            f"{size:>8,} {'lsh':10} {precision:9.4f} {recall:7.4f} {f1:6.4f} {seconds:8.2f} "
            f"{own:9.0f} {child:10.0f} {own + workers * child:9.0f}  (cold: read + group)",
            flush=True,
        )
        files = [Path(a.name).name for a in articles]
        pool = worker_pool(workers) if workers else None
        try:
            ours, group_s = group_only(articles, signatures, args.threshold, pool)
            thresholds = CURVE if args.curve else []
            curve = [(t, *group_only(articles, signatures, t, pool)) for t in thresholds]
        finally:
            if pool is not None:
                pool.shutdown()
        print(f"{size:>8,} {'lsh group':10} {'':>9} {'':>7} {'':>6} {group_s:8.2f}")
        if not args.no_baseline:
            baseline_s, baseline = run_baseline(articles, signatures, args.threshold)
            if baseline is not None:
                p, r, f = pairwise_scores(labels(baseline, truth))
                print(f"{size:>8,} {'all-pairs':10} {p:9.4f} {r:7.4f} {f:6.4f} {baseline_s:8.2f}")
            else:
                print(
                    f"{size:>8,} {'all-pairs':10} {'':>9} {'':>7} {'':>6} {baseline_s:8.0f}  "
                    "(pair comparisons extrapolated)"
                )
            print(f"{'':>8} {'speed-up':10} {baseline_s / group_s:>32.1f}x  (grouping only)")
        print_kinds(ours, truth, kinds)
        family_of = {name: meta["family"] for name, meta in kinds.items()}
        print_histogram(similarity_histogram(files, signatures, truth, family_of), args.threshold)
        if curve:
            print(f"\n{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6} {'group s':>8}")
            for threshold, stories_at, took in curve:
                p, r, f = pairwise_scores(labels(stories_at, truth))
                print(f"{threshold:9.2f} {p:9.4f} {r:7.4f} {f:6.4f} {took:8.2f}")
        print(flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
