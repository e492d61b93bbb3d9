"""Benchmark building provenance for a long story, beside a naive all-pairs baseline.

Run: python benchmarks/bench_provenance.py [--smoke] [--seed N]

The story is a generated update chain (update_chains.py): a 2,000-word wire story and
49 later versions with 3 to 6 edits each (additions, cuts, updates, merges, splits,
moves, restores, house style). It prints the time (median of repeats) and peak memory
(tracemalloc, separate run) of `build_provenance`, of `build_timeline` (which adds a word
diff per version pair), and of a naive baseline that compares every sentence of each
version with every sentence of the previous one (the same Dice similarity, no index, no
stages), with the share of sentences whose provenance matches the known history. Then
the accuracy of ours over many smaller chains, easy and hard.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from update_chains import Chain, Truth, make_chain

from reader.follow.provenance import build_provenance
from reader.follow.sentences import split_sentences
from reader.follow.similarity import dice, sentence_features
from reader.follow.timeline import VersionInput, build_timeline


def naive_provenance(texts: list[str]) -> list[list[Truth]]:
    """Blame by comparing all pairs of sentences of consecutive versions: equal keys are
    the same sentence, the best match at Dice >= 0.5 an update, the rest new."""
    result: list[list[Truth]] = []
    previous: list[tuple[tuple[str, ...], frozenset[str], Truth]] = []
    for number, text in enumerate(texts, 1):
        current = []
        for sentence in split_sentences(text):
            features = sentence_features(sentence.text)
            best, best_score = None, 0.0
            for key, words, truth in previous:  # every pair: no index
                score = 2.0 if key == features.key else dice(words, features.words)
                if score > best_score:
                    best, best_score = (key, truth), score
            if best is None or best_score < 0.5:
                truth = Truth(number)
            elif best_score == 2.0:
                truth = best[1]
            else:
                truth = Truth(best[1].introduced, (*best[1].edited, number))
            current.append((features.key, features.words, truth))
        result.append([truth for _, _, truth in current])
        previous = current
    return result


def correct(found: list[list[Truth]], chain: Chain) -> tuple[int, int]:
    """Sentences whose provenance matches the known history, and all sentences (a version
    split into a different number of sentences counts as wholly wrong)."""
    right = total = 0
    for mine, truths in zip(found, chain.truths, strict=True):
        total += len(truths)
        if len(mine) == len(truths):
            right += sum(a == b for a, b in zip(mine, truths, strict=True))
    return right, total


def ours(texts: list[str]) -> list[list[Truth]]:
    provenance = build_provenance(texts)
    return [
        [Truth(s.introduced_in, s.edited_in) for s in version.sentences]
        for version in provenance.versions
    ]


def timed(function: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(function: Callable[[], object]) -> float:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def words(text: str) -> int:
    return len(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check it runs")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    versions, paragraphs, repeats, chains = (6, 12, 1, 5) if args.smoke else (50, 115, 5, 200)

    chain = make_chain(args.seed, versions=versions, paragraphs=paragraphs, edits=6)
    texts = chain.texts
    inputs = [VersionInput(text, f"v{n}.txt") for n, text in enumerate(texts, 1)]
    sentences = sum(len(truths) for truths in chain.truths)
    print(
        f"story: {versions} versions, {words(texts[0])} -> {words(texts[-1])} words, "
        f"{sentences} sentences in all (seed {args.seed})"
    )
    print(f"{'':<24}{'median ms':>10}{'peak MB':>9}{'correct':>9}")
    rows = [
        ("ours: provenance", lambda: build_provenance(texts), ours),
        ("ours: timeline + diffs", lambda: build_timeline(inputs), None),
        ("naive all-pairs", lambda: naive_provenance(texts), naive_provenance),
    ]
    medians = {}
    for name, run, blame in rows:
        medians[name] = timed(run, repeats)
        share = "-"
        if blame is not None:
            right, total = correct(blame(texts), chain)
            share = f"{right / total:.2%}"
        print(f"{name:<24}{medians[name] * 1000:>10.1f}{peak_memory(run):>9.1f}{share:>9}")
    speedup = medians["naive all-pairs"] / medians["ours: provenance"]
    print(f"speed-up over all-pairs: {speedup:.1f}x")

    for label, count, edits in (("easy", 8, 3), ("hard", 20, 6)):
        right = total = 0
        for seed in range(chains):
            small = make_chain(seed, versions=count, edits=edits)
            found = correct(ours(small.texts), small)
            right, total = right + found[0], total + found[1]
        print(
            f"accuracy {label}: {chains} chains x {count} versions, up to {edits} edits each: "
            f"{right}/{total} sentences ({right / total:.2%})"
        )


if __name__ == "__main__":
    main()
