"""Benchmark the word diff against plain diff-match-patch on tokens and git's word diff.

Run: python benchmarks/bench_diff.py [--smoke]

Pairs: the sample (000 -> 001); a 10,000-word article with 30 / 300 / 1,000 words edited;
125 re-edited copies of the sample (about 40,000 words). For each it prints the median
time of our diff, of `git diff --no-index --word-diff`, and of plain diff-match-patch on
word tokens with no timeout, with ratios, and checks that our result stays word-level.
"""

from __future__ import annotations

import argparse
import atexit
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from diff_match_patch import diff_match_patch
from wire import SUBSTITUTIONS, house_style, make_story

from reader.diff.noise import ChangeKind
from reader.diff.tokens import tokenize
from reader.diff.word_diff import diff_texts
from reader.ingest.corpus import sample_corpus_path

REPLACEMENT_WORDS = ["allies", "ministers", "billion", "Tuesday", "officials", "pledged", "sharply"]


def sample_pair() -> tuple[str, str]:
    files = sorted(sample_corpus_path().glob("*.txt"))
    return files[0].read_text(encoding="utf-8"), files[1].read_text(encoding="utf-8")


def long_article(rng: random.Random, words: int) -> str:
    paragraphs: list[str] = []
    while sum(len(p.split()) for p in paragraphs) < words:
        paragraphs.extend(make_story(rng, paragraphs=20).paragraphs)
    text = "\n\n".join(paragraphs)
    return " ".join(text.split(" ")[:words]).rstrip() + "\n"


def edit_words(rng: random.Random, text: str, edits: int) -> str:
    words = text.split(" ")
    for index in rng.sample(range(len(words)), edits):
        words[index] = rng.choice(REPLACEMENT_WORDS) + (
            "\n\n" if words[index].endswith("\n\n") else ""
        )
    return " ".join(words)


def reedited_copies(rng: random.Random, article: str, copies: int) -> tuple[str, str]:
    old_parts, new_parts = [], []
    for _ in range(copies):
        old_parts.append(article)
        words = article.split(" ")
        for index, word in enumerate(words):
            if word in SUBSTITUTIONS and rng.random() < 0.5:
                words[index] = SUBSTITUTIONS[word]
            elif rng.random() < 0.05:
                words[index] = rng.choice(REPLACEMENT_WORDS)
        new_parts.append(house_style(rng, " ".join(words)))
    return "\n\n".join(old_parts), "\n\n".join(new_parts)


def plain_dmp(old: str, new: str) -> None:
    """The baseline: diff-match-patch on word tokens, no timeout, no sentence pass."""
    codes: dict[str, str] = {}

    def encode(text: str) -> str:
        return "".join(codes.setdefault(t.text, chr(0x100 + len(codes))) for t in tokenize(text))

    engine = diff_match_patch()
    engine.Diff_Timeout = 0
    diffs = engine.diff_main(encode(old), encode(new), False)
    engine.diff_cleanupSemantic(diffs)


def git_word_diff(old: str, new: str) -> Callable[[], None]:
    folder = Path(tempfile.mkdtemp(prefix="bench-diff-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "old.txt").write_text(old, encoding="utf-8")
    (folder / "new.txt").write_text(new, encoding="utf-8")

    def run() -> None:
        subprocess.run(
            ["git", "diff", "--no-index", "--word-diff=porcelain", "old.txt", "new.txt"],
            cwd=folder,
            capture_output=True,
            check=False,
        )

    return run


def median_ms(
    function: Callable[[], object], repeats: int, budget_s: float = 20.0
) -> tuple[float, int]:
    """The median time of up to `repeats` runs (fewer when they take over `budget_s` in
    all), and how many runs it is the median of."""
    times = []
    started = time.perf_counter()
    for _ in range(repeats):
        begin = time.perf_counter()
        function()
        times.append((time.perf_counter() - begin) * 1000)
        if time.perf_counter() - started > budget_s:
            break
    return statistics.median(times), len(times)


def describe_result(old: str, new: str) -> str:
    diff = diff_texts(old, new)
    assert diff.old_text == old and diff.new_text == new, "round trip failed"
    edits = [c for c in diff.changes if c.kind is ChangeKind.EDIT]
    longest = max((len(c.old.split()) + len(c.new.split()) for c in edits), default=0)
    return (
        f"similarity {diff.stats.similarity:.3f}, {len(diff.changes)} changes "
        f"({len(edits)} edits, longest {longest} words)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for the test suite")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(20260212)
    words, copies = (1500, 6) if args.smoke else (10_000, 125)
    repeats = 2 if args.smoke else args.repeats
    article = long_article(rng, words)
    sample_old, sample_new = sample_pair()
    pairs = [("sample 000 -> 001", sample_old, sample_new)]
    for edits in (30, 300, 1000):
        count = max(1, edits * words // 10_000)
        pairs.append((f"{words:,} words, {count} edited", article, edit_words(rng, article, count)))
    old, new = reedited_copies(rng, sample_old, copies)
    pairs.append((f"{copies} re-edited copies ({len(old.split()):,} words)", old, new))

    print(
        f"{'pair':44} {'ours ms':>9} {'git ms':>9} {'dmp ms':>10} {'dmp/ours':>9} "
        f"{'runs':>10}  result"
    )
    diff_texts(sample_old, sample_new)  # warm up: the word list loads on first use
    for name, old_text, new_text in pairs:
        # The same number of runs for each, cut short only by the time budget.
        ours, ours_runs = median_ms(lambda o=old_text, n=new_text: diff_texts(o, n), repeats)
        git, git_runs = median_ms(git_word_diff(old_text, new_text), repeats)
        dmp, dmp_runs = median_ms(lambda o=old_text, n=new_text: plain_dmp(o, n), repeats)
        print(
            f"{name:44} {ours:9.1f} {git:9.1f} {dmp:10.1f} {dmp / ours:8.1f}x "
            f"{ours_runs:>3}/{git_runs}/{dmp_runs:<3}  {describe_result(old_text, new_text)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
