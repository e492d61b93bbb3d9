"""The labelled one-change pairs run against the real differ.

Each pair in `tests/labelled_pairs/*.jsonl` (format in that folder's README) is one base text
and a version with one change, labelled `edit` (it changes what the text says) or `noise`
(house style only), with the flags a fact-checker expects on it. As specifications:

- an `edit` pair reports a change that is not noise, covering the changed words, and marks
  little more than those words (shared words are not deleted and re-inserted);
- a `noise` pair reports no edit and no move;
- a `move` pair reports a move; a move that also changed shows its inner words as edits;
- every labelled flag is reported on a substantive change.

The summary test states the thresholds of issue 10: no change of meaning hidden as noise, and
at most 5 % of the style-only pairs called edits.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from reader.diff.noise import ChangeKind
from reader.diff.word_diff import Change, WordDiff, diff_texts

PAIRS_DIR = Path(__file__).resolve().parent / "labelled_pairs"
LABELS = frozenset({"edit", "noise"})
FLAGS = frozenset({"numbers", "negation", "names", "attribution", "dates"})
CATEGORIES = frozenset(
    {
        "numbers",
        "names",
        "negation",
        "attribution",
        "dates",
        "wording",
        "case",
        "spelling",
        "abbreviation",
        "typography",
        "typo",
        "move",
        "structure",
    }
)
#: Categories named after a noise rule: each has pairs in both directions, the rule firing
#: (noise) and the rule that must not fire because the words differ (edit).
RULE_CATEGORIES = ("case", "spelling", "abbreviation", "typography", "typo", "structure")
#: A one-change pair changes one place: at most this many words on either side.
MAX_CHANGED_WORDS = 6
#: Words an edit may mark beyond the changed ones, per side (a neighbouring `$` or `the`).
MARKING_SLACK = 2
#: Style-only pairs the differ may call edits, as a share of all noise pairs.
STYLE_CALLED_EDIT_BUDGET = 0.05

WORD_RE = re.compile(r"\w+(?:[.,'’-]\w+)*")


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """One labelled pair as read from the data files."""

    id: str
    category: str
    label: str
    flags: frozenset[str]
    old: str
    new: str
    note: str
    move: bool
    expect_old: tuple[str, ...]
    expect_new: tuple[str, ...]
    #: False for style that no rule can prove style without also hiding some change of
    #: meaning (a capitalised name mid-sentence, a word in an all-capitals headline whose
    #: other casing is another word): a cautious differ may call it an edit, and each one
    #: it does counts against the summary's budget.
    provable: bool = True


def changed_span(old: str, new: str) -> tuple[str, str]:
    """The one place where `old` and `new` differ, as whole whitespace-delimited words.

    Whitespace is ignored: the span lies between the longest common runs of words at the
    start and at the end.
    """
    old_words, new_words = old.split(), new.split()
    limit = min(len(old_words), len(new_words))
    prefix = 0
    while prefix < limit and old_words[prefix] == new_words[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old_words[-1 - suffix] == new_words[-1 - suffix]:
        suffix += 1
    old_span = old_words[prefix : len(old_words) - suffix]
    new_span = new_words[prefix : len(new_words) - suffix]
    return " ".join(old_span), " ".join(new_span)


def load_pairs() -> list[LabelledPair]:
    """Every pair in the data folder, in file and line order."""
    pairs = []
    for path in sorted(PAIRS_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            expect = record.get("expect")
            if expect is None and record.get("move", False):
                expect = {"old": [], "new": []}  # moved word for word: no inner edit
            elif expect is None:
                old_span, new_span = changed_span(record["old"], record["new"])
                expect = {"old": WORD_RE.findall(old_span), "new": WORD_RE.findall(new_span)}
            pairs.append(
                LabelledPair(
                    id=record["id"],
                    category=record["category"],
                    label=record["label"],
                    flags=frozenset(record["flags"]),
                    old=record["old"],
                    new=record["new"],
                    note=record["note"],
                    move=bool(record.get("move", False)),
                    expect_old=tuple(expect["old"]),
                    expect_new=tuple(expect["new"]),
                    provable=bool(record.get("provable", True)),
                )
            )
    return pairs


PAIRS = load_pairs()
EDIT_PAIRS = [pair for pair in PAIRS if pair.label == "edit"]
NOISE_PAIRS = [pair for pair in PAIRS if pair.label == "noise"]
MOVE_PAIRS = [pair for pair in PAIRS if pair.move]
FLAGGED_PAIRS = [pair for pair in PAIRS if pair.flags]


def ids(pairs: list[LabelledPair]) -> list[str]:
    return [pair.id for pair in pairs]


@cache
def diff_of(pair_id: str) -> WordDiff:
    pair = next(pair for pair in PAIRS if pair.id == pair_id)
    return diff_texts(pair.old, pair.new)


def edits(diff: WordDiff) -> list[Change]:
    """Changes of kind edit, including the inner edits of a moved passage."""
    return [change for change in diff.changes if change.kind is ChangeKind.EDIT]


def word_count(text: str) -> int:
    return len(WORD_RE.findall(text))


def missing_words(pair: LabelledPair, diff: WordDiff) -> list[str]:
    """The pair's changed words that no reported edit contains (old side, then new side)."""
    old_marked = " ".join(change.old for change in edits(diff))
    new_marked = " ".join(change.new for change in edits(diff))
    return [f"-{word}" for word in pair.expect_old if word not in old_marked] + [
        f"+{word}" for word in pair.expect_new if word not in new_marked
    ]


def describe(diff: WordDiff) -> str:
    """The reported changes, one per line, for failure messages."""
    return "\n".join(
        f"  {c.kind.value}{list(c.flags)}: {c.old!r} -> {c.new!r}" for c in diff.changes
    )


def flag_names(change: Change) -> set[str]:
    """The change's flags as names (a `StrEnum` flag's str is its value)."""
    return {str(flag) for flag in change.flags}


# --- the data itself -----------------------------------------------------------------------


def test_the_set_holds_at_least_150_pairs_with_unique_ids() -> None:
    assert len(PAIRS) >= 150
    assert len({pair.id for pair in PAIRS}) == len(PAIRS)


def test_every_pair_is_well_formed() -> None:
    malformed = [
        pair.id
        for pair in PAIRS
        if pair.label not in LABELS
        or pair.category not in CATEGORIES
        or not pair.flags <= FLAGS
        or pair.old == pair.new
        or not pair.note.strip()
    ]
    assert not malformed


def test_noise_pairs_carry_no_flags() -> None:
    assert not [pair.id for pair in NOISE_PAIRS if pair.flags]


def test_every_edit_pair_names_the_words_it_changes() -> None:
    unnamed = [
        pair.id for pair in EDIT_PAIRS if not pair.move and not (pair.expect_old or pair.expect_new)
    ]
    assert not unnamed


def test_every_edit_pair_changes_one_place() -> None:
    """Noise pairs may restyle several places (both quote marks, a whole headline); an edit
    pair outside moves and splits changes one run of at most a few words, so what the
    differ must find is known."""
    too_wide = []
    for pair in EDIT_PAIRS:
        if pair.category in ("move", "structure"):
            continue
        old_span, new_span = changed_span(pair.old, pair.new)
        if max(word_count(old_span), word_count(new_span)) > MAX_CHANGED_WORDS:
            too_wide.append(pair.id)
    assert not too_wide


@pytest.mark.parametrize("category", RULE_CATEGORIES)
def test_every_noise_rule_has_pairs_in_both_directions(category: str) -> None:
    labels = Counter(pair.label for pair in PAIRS if pair.category == category)
    assert labels["edit"] >= 3
    assert labels["noise"] >= 3


# --- the differ against the labels ---------------------------------------------------------


@pytest.mark.parametrize("pair", EDIT_PAIRS, ids=ids(EDIT_PAIRS))
def test_edit_pair_reports_a_substantive_change(pair: LabelledPair) -> None:
    diff = diff_of(pair.id)
    assert diff.substantive_changes(), f"{pair.note}\nhidden as noise:\n{describe(diff)}"


@pytest.mark.parametrize(
    "pair",
    [p for p in EDIT_PAIRS if p.expect_old or p.expect_new],
    ids=ids([p for p in EDIT_PAIRS if p.expect_old or p.expect_new]),
)
def test_edit_pair_marks_the_changed_words_as_an_edit(pair: LabelledPair) -> None:
    diff = diff_of(pair.id)
    assert not missing_words(pair, diff), f"{pair.note}\n{describe(diff)}"


@pytest.mark.parametrize(
    "pair",
    [p for p in EDIT_PAIRS if p.expect_old or p.expect_new],
    ids=ids([p for p in EDIT_PAIRS if p.expect_old or p.expect_new]),
)
def test_edit_pair_marks_little_more_than_the_changed_words(pair: LabelledPair) -> None:
    diff = diff_of(pair.id)
    marked_old = sum(word_count(change.old) for change in edits(diff))
    marked_new = sum(word_count(change.new) for change in edits(diff))
    assert marked_old <= len(pair.expect_old) + MARKING_SLACK, describe(diff)
    assert marked_new <= len(pair.expect_new) + MARKING_SLACK, describe(diff)


@pytest.mark.parametrize("pair", NOISE_PAIRS, ids=ids(NOISE_PAIRS))
def test_noise_pair_reports_no_edit(pair: LabelledPair) -> None:
    diff = diff_of(pair.id)
    if diff.substantive_changes() and not pair.provable:
        pytest.xfail(f"style no safe rule can prove; counted against the budget: {pair.note}")
    assert not diff.substantive_changes(), f"{pair.note}\ncalled an edit:\n{describe(diff)}"


@pytest.mark.parametrize("pair", MOVE_PAIRS, ids=ids(MOVE_PAIRS))
def test_move_pair_reports_a_move(pair: LabelledPair) -> None:
    diff = diff_of(pair.id)
    assert any(change.kind is ChangeKind.MOVE for change in diff.changes), describe(diff)


@pytest.mark.parametrize(
    "pair",
    [p for p in MOVE_PAIRS if not (p.expect_old or p.expect_new)],
    ids=ids([p for p in MOVE_PAIRS if not (p.expect_old or p.expect_new)]),
)
def test_unchanged_move_has_no_inner_edit(pair: LabelledPair) -> None:
    diff = diff_of(pair.id)
    assert not [change for change in edits(diff) if word_count(change.old + change.new)], describe(
        diff
    )


CHANGED_MOVES = [p for p in MOVE_PAIRS if p.expect_old or p.expect_new]


@pytest.mark.parametrize("pair", CHANGED_MOVES, ids=ids(CHANGED_MOVES))
def test_edit_inside_a_move_carries_the_move_number(pair: LabelledPair) -> None:
    diff = diff_of(pair.id)
    moves = {change.move for change in diff.changes if change.kind is ChangeKind.MOVE}
    inner = [change for change in edits(diff) if word_count(change.old + change.new)]
    assert inner, describe(diff)
    assert all(change.move in moves for change in inner), describe(diff)


@pytest.mark.parametrize("pair", FLAGGED_PAIRS, ids=ids(FLAGGED_PAIRS))
def test_flagged_pair_reports_its_flags(pair: LabelledPair) -> None:
    reported = set().union(
        *(flag_names(change) for change in diff_of(pair.id).substantive_changes())
    )
    assert pair.flags <= reported, f"{pair.note}\n{describe(diff_of(pair.id))}"


def test_no_meaning_hidden_and_few_style_changes_called_edits() -> None:
    hidden = [pair.id for pair in EDIT_PAIRS if not diff_of(pair.id).substantive_changes()]
    called_edits = [pair.id for pair in NOISE_PAIRS if diff_of(pair.id).substantive_changes()]
    wrong = Counter(pair.category for pair in PAIRS if pair.id in {*hidden, *called_edits})
    summary = (
        f"{len(hidden)} of {len(EDIT_PAIRS)} changes of meaning hidden as noise: {hidden}\n"
        f"{len(called_edits)} of {len(NOISE_PAIRS)} style-only changes called edits: "
        f"{called_edits}\nwrong by category: {dict(sorted(wrong.items()))}"
    )
    assert not hidden, summary
    assert len(called_edits) <= STYLE_CALLED_EDIT_BUDGET * len(NOISE_PAIRS), summary
