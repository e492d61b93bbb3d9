"""Flags on substantive changes, each flag in both directions."""

from __future__ import annotations

import pytest

from reader.diff.word_diff import diff_texts


def flags_of(old: str, new: str) -> set[str]:
    return {flag for change in diff_texts(old, new).changes for flag in change.flags}


@pytest.mark.parametrize(
    ("old", "new", "flag"),
    [
        ("Growth was 12.5 pct.", "Growth was 12.6 pct.", "numbers"),
        ("It cost 2 million dollars.", "It cost 2 billion dollars.", "numbers"),
        ("The plan will pass, he said.", "The plan will not pass, he said.", "negation"),
        ("A deal is likely now.", "A deal is unlikely now.", "negation"),
        ("Talks with Iran resumed.", "Talks with Iraq resumed.", "names"),
        ("The union said it would strike.", "The company said it would strike.", "attribution"),
        ("Prices rose, he said.", "Prices rose, he claimed.", "attribution"),
        ("They met on Tuesday.", "They met on Thursday.", "dates"),
        ("Talks end on March 3.", "Talks end on March 4.", "dates"),
    ],
)
def test_an_edit_carries_its_flag(old: str, new: str, flag: str) -> None:
    assert flag in flags_of(old, new)


@pytest.mark.parametrize(
    ("old", "new", "flag"),
    [
        ("The plan was good.", "The plan was sound.", "numbers"),
        ("The plan was good.", "The plan was sound.", "negation"),
        ("The plan was good.", "The plan was sound.", "names"),
        ("The plan was good.", "The plan was sound.", "dates"),
        ("The plan was good and fair.", "The plan was sound and fair.", "attribution"),
    ],
)
def test_a_plain_edit_carries_no_flag(old: str, new: str, flag: str) -> None:
    assert flag not in flags_of(old, new)


def test_noise_carries_no_flags() -> None:
    assert (
        flags_of("About 1,000 people, the U.S. said.", "About 1000 people, the US said.") == set()
    )


def test_flags_are_counted_in_the_stats() -> None:
    diff = diff_texts("They met on Tuesday.", "They met on Thursday.")
    assert diff.stats.by_flag == {"dates": 1}
