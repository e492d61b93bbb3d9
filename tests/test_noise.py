"""Noise rules, each in both directions: style is noise, a change of meaning is an edit."""

from __future__ import annotations

import pytest

from reader.diff.noise import ChangeKind, is_typo_fix
from reader.diff.word_diff import diff_texts


def substantive(old: str, new: str) -> list[tuple[str, str]]:
    return [(c.old.strip(), c.new.strip()) for c in diff_texts(old, new).substantive_changes()]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The U.S. envoy arrived.", "The US envoy arrived."),
        ("Mr Baker said so.", "Mr. Baker said so."),
        ("Exports rose 5 per cent in May.", "Exports rose 5 percent in May."),
        ("Exports rose 5 pct in May.", "Exports rose 5 percent in May."),
        ("About 1,000 people marched.", "About 1000 people marched."),
        ("Shares of Apple Inc. rose.", "Shares of Apple Inc rose."),
        ("He said 'no' twice.", 'He said "no" twice.'),
        ("A well-known critic spoke.", "A well known critic spoke."),
        ("The talks — long delayed — began.", "The talks—long delayed—began."),
        ('The country"s leaders met.', "The country's leaders met."),
        ("NATO defence ministers met.", "NATO defense ministers met."),
        ("They mounted the kerb.", "They mounted the curb."),
        ("Sen. Dole said so.", "Senator Dole said so."),
        ("A co-operative bank failed.", "A cooperative bank failed."),
        ("A 12-storey building burned.", "A 12-story building burned."),
        ("He paid by cheque.", "He paid by check."),
        ("The grey wall fell.", "The gray wall fell."),
        ("NEW YORK, June 4 (Reuters) - Shares rose.", "New York, June 4 (Reuters) - Shares rose."),
        ("Profit rose to $1.5 billion.", "Profit rose to $1.5bn."),
    ],
)
def test_house_style_is_noise(old: str, new: str) -> None:
    assert substantive(old, new) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Talks with Iran resumed.", "Talks with Iraq resumed."),
        ("It cost 2 million dollars.", "It cost 2 billion dollars."),
        ("Eight people died.", "Eighty people died."),
        ("A deal is likely now.", "A deal is unlikely now."),
        ("The strike was legally called.", "The strike was illegally called."),
        ("Output increased sharply.", "Output decreased sharply."),
        ("The company fired 300 staff.", "The company hired 300 staff."),
        ("They met on Tuesday.", "They met on Thursday."),
        ("He said Reagan agreed.", "He said Regan agreed."),
        ("Shares in Harper rose.", "Shares in Harpers rose."),
        ("He urged calm.", "He urges calm."),
        ("Officials told us about it.", "Officials told US about it."),
        ("They may meet again.", "They May meet again."),
        ("Workers polish the shoes.", "Workers Polish the shoes."),
        ("Envoys visited Turkey today.", "Envoys visited turkey today."),
        ("Mr Grey spoke first.", "Mr Gray spoke first."),
        ("A security check was done.", "A security cheque was done."),
        ("Grey said the talks failed.", "Gray said the talks failed."),
        ("The co-op opened.", "The coop opened."),
        ("It fell to -5 degrees.", "It fell to 5 degrees."),
        ("Growth was 6.5 pct.", "Growth was 7.5 pct."),
        ('He called it "a crime" today.', "He called it a crime today."),
        ("Mr Smith spoke.", "Mrs Smith spoke."),
        ("About 1,000 people marched.", "About 1,500 people marched."),
        ("Prices rose 5 per cent.", "Prices rose 5 per capita."),
        ("A well-known critic spoke.", "A little-known critic spoke."),
        ("He will re-sign the deal.", "He will resign the deal."),
        ("The talks — long delayed — began.", "The talks, long delayed, began."),
    ],
)
def test_a_change_of_meaning_is_an_edit(old: str, new: str) -> None:
    assert substantive(old, new) != []


def test_a_whole_figure_is_marked_not_one_digit() -> None:
    assert substantive("Growth was 6.5 pct.", "Growth was 7.5 pct.") == [("6.5", "7.5")]


def test_a_headline_set_in_capitals_is_case_noise() -> None:
    old = "IRAN SAYS OIL EXPORTS RISE\n\nDUBAI (Reuters) - Iran said exports rose."
    new = "Iran says oil exports rise\n\nDUBAI (Reuters) - Iran said exports rose."
    diff = diff_texts(old, new)
    assert diff.substantive_changes() == []
    assert {c.kind for c in diff.changes} == {ChangeKind.CASE}


def test_sentence_initial_case_is_noise_but_mid_sentence_case_is_an_edit() -> None:
    assert substantive("The talks ended.", "THE talks ended.") != []  # not a capitals line
    assert substantive("Talks ended. Allies left.", "Talks ended. allies left.") == []
    assert substantive("Talks ended with Allies.", "Talks ended with allies.") != []


def test_typo_fix_needs_a_non_word_fixed_to_its_nearest_word() -> None:
    assert is_typo_fix("defens", "defense")
    assert is_typo_fix("goverment", "government")
    assert not is_typo_fix("fired", "hired")  # both words
    assert not is_typo_fix("Iran", "Iraq")  # capitalised
    assert not is_typo_fix("eight", "eighty")  # a number word
    assert not is_typo_fix("milion", "billion")  # not the nearest word


def test_whitespace_only_differences_are_never_edits() -> None:
    diff = diff_texts("Talks  ended  today.\nAllies left.", "Talks ended today. Allies left.")
    assert diff.substantive_changes() == []
