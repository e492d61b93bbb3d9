"""The word diff: exact round trip, noise told from edits, moves, structure, long texts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.diff.noise import ChangeKind
from reader.diff.word_diff import Change, diff_texts
from reader.ingest.corpus import sample_corpus_path

WORDS = st.sampled_from(
    ["NATO", "U.S.", "US", "defence", "defense", "“", "”", '"', "–", "-", "said", "Colby", "."]
)


def sample(prefix: str) -> str:
    return next(sample_corpus_path().glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def kinds_of(changes: list[Change]) -> dict[tuple[str, str], ChangeKind]:
    return {(change.old.strip(), change.new.strip()): change.kind for change in changes}


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_pieces_rebuild_both_texts_exactly_for_any_unicode(old: str, new: str) -> None:
    diff = diff_texts(old, new)
    assert diff.old_text == old
    assert diff.new_text == new


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(WORDS, st.sampled_from([" ", "\n", "\n\n", "  "])), max_size=60),
    st.lists(st.one_of(WORDS, st.sampled_from([" ", "\n", "\n\n", "  "])), max_size=60),
)
def test_round_trip_on_wire_like_token_soup(old: list[str], new: list[str]) -> None:
    diff = diff_texts("".join(old), "".join(new))
    assert (diff.old_text, diff.new_text) == ("".join(old), "".join(new))


def test_identical_texts_have_no_changes() -> None:
    diff = diff_texts(sample("000"), sample("000"))
    assert diff.changes == []
    assert diff.stats.similarity == 1.0


def test_blank_lines_against_one_paragraph_per_line_is_not_a_change() -> None:
    old = "First paragraph here.\n\nSecond paragraph here.\n\nThird one."
    new = "First paragraph here.\nSecond paragraph here.\nThird one."
    assert diff_texts(old, new).changes == []


def test_rewrapping_a_hard_wrapped_paragraph_is_not_a_change() -> None:
    old = (
        "    NATO defence ministers agreed on Thursday to raise spending on\n"
        "the alliance's forces, officials said after the meeting ended in\n"
        "Brussels late in the evening.\n"
        "    The decision follows months of pressure from Washington.\n"
    )
    new = (
        "    NATO defence ministers agreed on Thursday to raise\n"
        "spending on the alliance's forces, officials said after the\n"
        "meeting ended in Brussels late in the evening.\n"
        "    The decision follows months of pressure from Washington.\n"
    )
    assert diff_texts(old, new).changes == []


def test_splitting_a_paragraph_is_typography() -> None:
    diff = diff_texts(
        "One sentence here. Another sentence there.",
        "One sentence here.\n\nAnother sentence there.",
    )
    assert [change.kind for change in diff.changes] == [ChangeKind.TYPOGRAPHY]


def test_sample_noise_is_classified_as_noise() -> None:
    kinds = kinds_of(diff_texts(sample("000"), sample("001")).changes)
    assert kinds[("U.S.", "US")] is ChangeKind.ABBREVIATION
    assert kinds[("–", "-")] is ChangeKind.TYPOGRAPHY
    assert kinds[('"', "“")] is ChangeKind.TYPOGRAPHY
    assert kinds[("defence", "defense")] is ChangeKind.SPELLING
    assert kinds[("defens", "defense")] is ChangeKind.SPELLING


def test_sample_real_edits_are_edits_or_moves() -> None:
    diff = diff_texts(sample("000"), sample("001"))
    kinds = kinds_of(diff.changes)
    assert kinds[("should", "to")] is ChangeKind.EDIT
    assert kinds[("built", "based")] is ChangeKind.EDIT
    assert kinds[("as", "because")] is ChangeKind.EDIT
    inserted = " ".join(change.new for change in diff.changes if change.kind is ChangeKind.EDIT)
    assert "sees 'strong basis' for working with Europeans" in inserted
    (move,) = [change for change in diff.changes if change.kind is ChangeKind.MOVE]
    assert move.old.startswith("Pentagon policy chief Elbridge Colby")
    assert move.new.startswith("Pentagon policy chief Elbridge Colby")
    assert move.old_start > 0 and move.new_start == 0


def test_without_noise_only_edits_and_moves_remain() -> None:
    diff = diff_texts(sample("000"), sample("001"))
    substantive = diff.substantive_changes()
    assert substantive
    assert all(change.kind in (ChangeKind.EDIT, ChangeKind.MOVE) for change in substantive)
    assert len(substantive) < len(diff.changes)


def test_noise_only_versions_have_no_substantive_changes() -> None:
    old = "The U.S. defence chief said “no” – twice."
    new = 'The US defense chief said "no" - twice.'
    diff = diff_texts(old, new)
    assert diff.changes
    assert diff.substantive_changes() == []
    assert diff.stats.similarity == 1.0


def test_changed_figures_are_edits() -> None:
    diff = diff_texts("At least 12 people were killed.", "At least 15 people were killed.")
    assert [(c.kind, c.old, c.new) for c in diff.changes] == [(ChangeKind.EDIT, "12", "15")]


def test_a_moved_sentence_with_a_small_edit_is_one_move() -> None:
    moved = "Rutte said allies were stepping up to take more responsibility."
    edited = "Rutte said allies were stepping up to take much more responsibility."
    filler = " ".join(f"Sentence number {n} stays where it is." for n in range(6))
    diff = diff_texts(f"{moved} {filler}", f"{filler} {edited}")
    moves = [change for change in diff.changes if change.kind is ChangeKind.MOVE]
    assert len(moves) == 1
    assert "Rutte said allies" in moves[0].old and "Rutte said allies" in moves[0].new
    assert diff.stats.words_moved >= 9
    assert not [
        c for c in diff.changes if c.kind is ChangeKind.EDIT and "stepping" in c.old + c.new
    ]


def test_stats_count_words_in_and_out() -> None:
    diff = diff_texts(
        "Allies met in Brussels on Thursday.", "Allies met in Brussels on Friday night."
    )
    assert diff.stats.words_deleted == 1
    assert diff.stats.words_inserted == 2
    assert 0.5 < diff.stats.similarity < 1.0


def test_long_heavily_edited_text_keeps_a_word_level_result() -> None:
    article = sample("000")
    copies = [article.replace("Thursday", f"day {n}") for n in range(12)]
    edited = [
        copy.replace("defence", "defense").replace("NATO", "the alliance", 1) for copy in copies
    ]
    diff = diff_texts("\n\n".join(copies), "\n\n".join(edited))
    assert diff.stats.similarity > 0.9
    assert diff.old_text == "\n\n".join(copies)
    edits = [change for change in diff.changes if change.kind is ChangeKind.EDIT]
    assert all(len(change.old) < 100 for change in edits)


def test_a_headline_set_in_capitals_is_one_case_change() -> None:
    old = "Allies agree to spend more\n\nBody text stays the same."
    new = "ALLIES AGREE TO SPEND MORE\n\nBody text stays the same."
    diff = diff_texts(old, new)
    assert [(c.kind, c.old, c.new) for c in diff.changes] == [
        (ChangeKind.CASE, "Allies agree to spend more", "ALLIES AGREE TO SPEND MORE")
    ]
    assert diff.substantive_changes() == []


def rebuild(diff_json: list[dict[str, object]]) -> tuple[str, str]:
    return (
        "".join(str(piece["old"]) for piece in diff_json),
        "".join(str(piece["new"]) for piece in diff_json),
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(WORDS, st.sampled_from([" ", "\n", "\n\n", "  ", "\t"])), max_size=60),
    st.lists(st.one_of(WORDS, st.sampled_from([" ", "\n", "\n\n", "  ", "\t"])), max_size=60),
)
def test_json_pieces_rebuild_both_texts_whitespace_included(old: list[str], new: list[str]) -> None:
    from reader.present.diff import pieces_to_json

    diff = diff_texts("".join(old), "".join(new))
    assert rebuild(pieces_to_json(diff)) == ("".join(old), "".join(new))


def test_the_seed_move_shows_the_edit_inside_it() -> None:
    diff = diff_texts(sample("000"), sample("001"))
    (move,) = [c for c in diff.changes if c.kind is ChangeKind.MOVE]
    inside = [c for c in diff.changes if c.move == move.move and c.kind is ChangeKind.EDIT]
    assert [(c.old.strip(), c.new.strip()) for c in inside] == [("said", "called on")]
    assert "attribution" in inside[0].flags


def test_the_seed_keeps_offered_shared() -> None:
    diff = diff_texts(sample("000"), sample("001"))
    edited = " ".join(c.old + " " + c.new for c in diff.changes if c.kind is ChangeKind.EDIT)
    assert "offered" not in edited


def test_a_move_needs_five_shared_words() -> None:
    filler = " ".join(f"Sentence number {n} stays where it is." for n in range(6))
    diff = diff_texts(f"Rep. Smith left. {filler}", f"{filler} Rep. Jones came.")
    assert not [c for c in diff.changes if c.kind is ChangeKind.MOVE]


def test_a_sentence_split_in_two_keeps_its_words_shared() -> None:
    old = "NATO agreed on Thursday to raise spending by 6.5 pct. The decision follows pressure."
    new = "NATO agreed on Thursday to raise spending by 6.8 pct.\n\nThe decision follows pressure."
    edits = [(c.old.strip(), c.new.strip()) for c in diff_texts(old, new).substantive_changes()]
    assert edits == [("6.5", "6.8")]


def test_a_long_insertion_at_the_start_still_aligns_the_sentences_after_it() -> None:
    kept = [f"Sentence {n} about the talks in Brussels stays the same here." for n in range(60)]
    added = [f"New paragraph {n} adds fresh detail on spending plans today." for n in range(90)]
    old = "\n\n".join(kept)
    new = "\n\n".join(added + [s.replace("talks", "meetings") for s in kept])
    diff = diff_texts(old, new)
    edits = [(c.old.strip(), c.new.strip()) for c in diff.changes if c.kind is ChangeKind.EDIT]
    assert edits.count(("talks", "meetings")) == 60


def test_every_change_points_at_its_text_in_both_versions() -> None:
    old, new = sample("000"), sample("001")
    for change in diff_texts(old, new).changes:
        assert old[change.old_start : change.old_start + len(change.old)] == change.old
        assert new[change.new_start : change.new_start + len(change.new)] == change.new
