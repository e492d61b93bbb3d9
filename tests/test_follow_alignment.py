"""Sentence alignment and NewsEdits operations between consecutive versions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.follow.alignment import (
    OperationKind,
    SentenceAlignment,
    SentenceOperation,
    align_sentences,
)
from reader.follow.similarity import sentence_features

LEDE = "NATO defence ministers agreed on Tuesday to raise military spending to 3.5% of output."
TALKS = "The deal was reached after two days of talks in Brussels, diplomats said."
HEGSETH = "Hegseth said 12 allies had met the target, and he urged the rest to follow by June."
RUTTE = "Rutte told reporters the alliance would review its air defence plans in March."
SIKORSKI = "Sikorski warned that Russia could test the eastern flank within five years."


def align(old: list[str], new: list[str]) -> SentenceAlignment:
    return align_sentences(
        [sentence_features(text) for text in old], [sentence_features(text) for text in new]
    )


def operations(old: list[str], new: list[str]) -> list[SentenceOperation]:
    return align(old, new).operations()


def op(kind: OperationKind, old: tuple[int, ...], new: tuple[int, ...]) -> SentenceOperation:
    return SentenceOperation(kind, old, new)


def test_unchanged_sentences_give_no_operations() -> None:
    assert operations([LEDE, TALKS], [LEDE, TALKS]) == []


def test_house_style_alone_is_no_operation() -> None:
    restyled = [
        LEDE.replace("defence", "defense"),
        TALKS.replace("talks in", "talks  in").replace(".", " ."),
        '"We will act," the U.S. envoy said.',
    ]
    original = [LEDE, TALKS, "“We will act,” the US envoy said."]
    assert operations(original, restyled) == []


def test_a_headline_set_in_capitals_is_house_style() -> None:
    headline = "NATO allies agree to lift defence spending"
    assert operations([headline], [headline.upper()]) == []


def test_a_word_that_changes_case_mid_sentence_is_an_update() -> None:
    old = "The envoy told US officials the May talks would go ahead."
    for new in (old.replace("US", "us"), old.replace("May", "may")):
        assert operations([old], [new]) == [op(OperationKind.UPDATE, (0,), (0,))]


def test_a_new_sentence_is_an_addition_and_a_cut_one_a_deletion() -> None:
    assert operations([LEDE, TALKS], [LEDE, RUTTE, TALKS]) == [op(OperationKind.ADDITION, (), (1,))]
    assert operations([LEDE, RUTTE, TALKS], [LEDE, TALKS]) == [op(OperationKind.DELETION, (1,), ())]


def test_a_changed_number_is_an_update_not_house_style() -> None:
    changed = HEGSETH.replace("12 allies", "14 allies")
    assert operations([LEDE, HEGSETH], [LEDE, changed]) == [op(OperationKind.UPDATE, (1,), (1,))]


def test_an_added_negation_is_an_update() -> None:
    negated = RUTTE.replace("would review", "would not review")
    assert operations([RUTTE], [negated]) == [op(OperationKind.UPDATE, (0,), (0,))]


def test_a_sentence_cut_in_two_is_a_split() -> None:
    parts = [
        "Hegseth said 12 allies had met the target.",
        "He urged the rest to follow by June.",
    ]
    assert operations([LEDE, HEGSETH, TALKS], [LEDE, *parts, TALKS]) == [
        op(OperationKind.SPLIT, (1,), (1, 2))
    ]


def test_two_sentences_joined_are_a_merge() -> None:
    joined = (
        "Rutte told reporters the alliance would review its air defence plans in March, "
        "and Sikorski warned that Russia could test the eastern flank within five years."
    )
    assert operations([LEDE, RUTTE, SIKORSKI], [LEDE, joined]) == [
        op(OperationKind.MERGE, (1, 2), (1,))
    ]


def test_a_sentence_promoted_to_the_lede_is_a_move() -> None:
    assert operations([LEDE, TALKS, RUTTE, SIKORSKI], [SIKORSKI, LEDE, TALKS, RUTTE]) == [
        op(OperationKind.MOVE, (3,), (0,))
    ]


def test_a_moved_sentence_that_changed_is_an_update_first_and_a_move_second() -> None:
    changed = SIKORSKI.replace("five years", "three years")
    assert operations([LEDE, TALKS, RUTTE, SIKORSKI], [changed, LEDE, TALKS, RUTTE]) == [
        op(OperationKind.UPDATE, (3,), (0,)),
        op(OperationKind.MOVE, (3,), (0,)),
    ]


def test_insertions_and_cuts_around_a_sentence_do_not_make_it_move() -> None:
    kinds = {o.kind for o in operations([LEDE, TALKS, RUTTE], [RUTTE.replace("March", "May")])}
    assert OperationKind.MOVE not in kinds


def test_an_unrelated_sentence_in_place_of_another_is_a_deletion_and_an_addition() -> None:
    assert operations([LEDE, RUTTE], [LEDE, SIKORSKI]) == [
        op(OperationKind.DELETION, (1,), ()),
        op(OperationKind.ADDITION, (), (1,)),
    ]


def test_a_page_of_thousands_of_near_copies_is_aligned_with_every_sentence_accounted_for() -> None:
    old = [f"Row {n}: the index rose {n % 7} points to {n * 3}." for n in range(3000)]
    new = [f"Row {n}: the index rose {n % 5} points to {n * 3}." for n in range(3000)]
    result = align(old, new)
    assert len(result.added) + sum(len(m.new) for m in result.matches) == 3000
    assert len(result.deleted) + sum(len(m.old) for m in result.matches) == 3000


POOL = [LEDE, TALKS, HEGSETH, RUTTE, SIKORSKI, "Officials said the summit was historic."]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(range(len(POOL))), max_size=8),
    st.lists(st.sampled_from(range(len(POOL))), max_size=8),
)
def test_every_sentence_of_both_versions_is_accounted_for_exactly_once(
    old_picks: list[int], new_picks: list[int]
) -> None:
    result = align([POOL[i] for i in old_picks], [POOL[i] for i in new_picks])
    old_seen = [i for match in result.matches for i in match.old] + list(result.deleted)
    new_seen = [j for match in result.matches for j in match.new] + list(result.added)
    assert sorted(old_seen) == list(range(len(old_picks)))
    assert sorted(new_seen) == list(range(len(new_picks)))
