"""The grouping against a labelled set of real-style wire copy (tests/grouping_pairs).

Each article has a story id (articles.tsv); two articles are versions of one story exactly
when their ids are equal, so every pair of the set is labelled. pairs.tsv lists the pairs
that test something (every pair inside a family of related articles, and each digest
against the stories it summarises) with the kind of difficulty each shows.

The floors are what the grouping reached when the set was made, less a small margin;
raise them when the grouping improves. The issue's targets (precision and recall of at
least 0.97) are a separate test, expected to fail until the engine meets them.

Run `python tests/test_grouping_pairs.py` for the full report: per kind, and the scores
across thresholds.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # when run as a script
    sys.path.insert(0, str(ROOT))

from reader.grouping.stories import DEFAULT_THRESHOLD  # noqa: E402
from reader.store.library import open_corpus  # noqa: E402

PAIRS_DIR = Path(__file__).resolve().parent / "grouping_pairs"
ARTICLES = PAIRS_DIR / "articles"

#: What the grouping reaches at the default threshold (issue 15's engine: precision
#: 1.0000, recall 0.9149 over every pair of the set; 0.5545 and 0.6489 when the set was
#: made), less a margin of about 0.025.
PRECISION_FLOOR = 0.97
RECALL_FLOOR = 0.89
#: Issue 15's targets for real copy.
TARGET = 0.97

#: Kinds of pairs the set must hold: the error kinds of issue 15 and plain versions.
SAME_KINDS = {"write-through", "first-take", "correction", "refile", "outlet-edit", "reflow",
              "furniture-copy", "live-blog", "rewrite", "chain"}  # fmt: skip
DIFFERENT_KINDS = {"template", "follow-up", "shared-background", "boilerplate",
                   "furniture-only", "live-blog", "digest"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """Two articles, whether they are one story, and what makes the pair hard."""

    a: str
    b: str
    same: bool
    kind: str
    note: str


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@cache
def story_ids() -> dict[str, str]:
    """File name -> story id, for every article of the set."""
    return {row["file"]: row["story"] for row in read_tsv(PAIRS_DIR / "articles.tsv")}


@cache
def labelled_pairs() -> tuple[LabelledPair, ...]:
    return tuple(
        LabelledPair(row["a"], row["b"], row["label"] == "same", row["kind"], row["note"])
        for row in read_tsv(PAIRS_DIR / "pairs.tsv")
    )


@cache
def grouped(threshold: float = DEFAULT_THRESHOLD) -> dict[str, int]:
    """File name -> the number of the story the current grouping put it in."""
    result = open_corpus([ARTICLES], in_memory=True, threshold=threshold, workers=1).library
    return {
        Path(version.name).name: number
        for number, story in enumerate(result.stories)
        for version in story.versions
    }


@dataclass(frozen=True, slots=True)
class Scores:
    """Pairwise precision, recall and F1 over every pair of the set."""

    correct: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.actual if self.actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def overall_scores(story_of: dict[str, int]) -> Scores:
    truth = story_ids()
    correct = predicted = actual = 0
    for a, b in itertools.combinations(sorted(truth), 2):
        same, together = truth[a] == truth[b], story_of[a] == story_of[b]
        actual += same
        predicted += together
        correct += same and together
    return Scores(correct, predicted, actual)


def scores_by_kind(story_of: dict[str, int]) -> dict[str, tuple[int, int, int, int]]:
    """kind -> (same pairs, of them grouped, different pairs, of them wrongly merged)."""
    counts: dict[str, Counter[str]] = {}
    for pair in labelled_pairs():
        count = counts.setdefault(pair.kind, Counter())
        together = story_of[pair.a] == story_of[pair.b]
        key = "same" if pair.same else "different"
        count[key] += 1
        count[key + " together"] += together
    return {
        kind: (c["same"], c["same together"], c["different"], c["different together"])
        for kind, c in sorted(counts.items())
    }


def report(story_of: dict[str, int]) -> str:
    """The scores as a table: overall, then per kind of labelled pair."""
    overall = overall_scores(story_of)
    lines = [
        f"overall (all {len(story_ids()) * (len(story_ids()) - 1) // 2:,} pairs): "
        f"precision {overall.precision:.4f} recall {overall.recall:.4f} F1 {overall.f1:.4f} "
        f"({overall.correct} of {overall.actual} true pairs found, "
        f"{overall.predicted - overall.correct} false pairs grouped)",
        f"{'kind':>18} {'same':>5} {'grouped':>8} {'recall':>7} "
        f"{'diff':>5} {'merged':>7} {'rate':>6}",
    ]
    for kind, (same, found, different, merged) in scores_by_kind(story_of).items():
        recall = f"{found / same:.2f}" if same else "-"
        rate = f"{merged / different:.2f}" if different else "-"
        lines.append(
            f"{kind:>18} {same:5} {found:8} {recall:>7} {different:5} {merged:7} {rate:>6}"
        )
    return "\n".join(lines)


# --- the set itself --------------------------------------------------------------------


def test_every_listed_file_exists_and_every_article_is_listed() -> None:
    on_disk = {path.name for path in ARTICLES.glob("*.txt")}
    assert on_disk == set(story_ids())
    named = {name for pair in labelled_pairs() for name in (pair.a, pair.b)}
    assert named <= on_disk


def test_pair_labels_agree_with_story_ids() -> None:
    truth = story_ids()
    wrong = [p for p in labelled_pairs() if p.same != (truth[p.a] == truth[p.b])]
    assert wrong == []


def test_set_holds_at_least_300_labelled_pairs_of_every_kind() -> None:
    pairs = labelled_pairs()
    assert len(pairs) >= 300
    assert len({(p.a, p.b) for p in pairs}) == len(pairs), "a pair is listed twice"
    assert {p.kind for p in pairs if p.same} == SAME_KINDS
    assert {p.kind for p in pairs if not p.same} == DIFFERENT_KINDS


# --- the current grouping on it ----------------------------------------------------------


def test_current_grouping_keeps_its_precision_and_recall_floors() -> None:
    story_of = grouped()
    overall = overall_scores(story_of)
    print("\n" + report(story_of))
    assert overall.precision >= PRECISION_FLOOR, report(story_of)
    assert overall.recall >= RECALL_FLOOR, report(story_of)


@pytest.mark.xfail(
    strict=False,
    reason="issue 15: precision is there, but heavy re-titled rewrites that share under a "
    "quarter of their text are still split (rewrite pairs 6 of 14); targets are 0.97",
)
def test_grouping_reaches_the_issue_targets_on_real_style_copy() -> None:
    overall = overall_scores(grouped())
    assert overall.precision >= TARGET and overall.recall >= TARGET, report(grouped())


def curve() -> str:
    """Overall scores at thresholds 0.30 ... 0.75."""
    lines = [f"{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6}"]
    for step in range(10):
        threshold = round(0.30 + 0.05 * step, 2)
        scores = overall_scores(grouped(threshold))
        lines.append(
            f"{threshold:9.2f} {scores.precision:9.4f} {scores.recall:7.4f} {scores.f1:6.4f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(grouped()))
    print()
    print(curve())
