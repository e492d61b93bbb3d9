"""Sentence splitting for news copy (reader.follow.sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.follow.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


#: Each case is the expected sentences joined by " | "; the input joins them with a space.
SPLIT_CASES = [
    "Sen. Elizabeth Warren spoke. | Gov. Brown and Mr. Smith left.",
    "The U.S. Senate voted on Tuesday. | The House did not.",
    "It was ranked No. 3 in the world. | Rivals fell.",
    "Talks resume on Jan. 15 in Geneva. | Both sides agreed.",
    "J.R.R. Tolkien wrote it. | Critics loved it.",
    "Growth was 12.5 percent. | Prices rose 2.1%.",
    'He said: "We will not go." | Then he left.',
    "“We will not go.” | Then he left.",
    "“Why now?” he asked. | Nobody answered.",
    "The list went on... | Then it stopped.",
    "It was not over … and then it was.",
    "The vote ends at 3 p.m. Tuesday in Brussels.",
    "The vote ended at 3 p.m. | The count began.",
    "Investors sold Acme Inc. shares. | Acme Inc. | The firm fell.",
    "He lives in the U.S. | The rest of his family does not.",
    "Jane P. Smith and J. Doe signed. | See p. 5 of the report.",
    "Asked again, he said no. | Then he left.",
]


@pytest.mark.parametrize("case", SPLIT_CASES)
def test_news_abbreviations_decimals_quotes_and_ellipses_split_where_a_reader_would(
    case: str,
) -> None:
    assert texts(case.replace(" | ", " ")) == case.split(" | ")


def test_a_paragraph_break_ends_a_sentence_so_a_headline_is_one() -> None:
    text = "NATO allies agree to lift spending\n\nBRUSSELS (Reuters) - Ministers met. They agreed."
    assert texts(text) == [
        "NATO allies agree to lift spending",
        "BRUSSELS (Reuters) - Ministers met.",
        "They agreed.",
    ]


def test_one_paragraph_per_line_gives_each_line_its_own_paragraph() -> None:
    text = "Headline here\nFirst paragraph ends.\nSecond one too.\n"
    assert [s.paragraph for s in split_sentences(text)] == [0, 1, 2]


def test_hard_wrapped_lines_run_on_and_indents_start_paragraphs() -> None:
    text = (
        "NATO ALLIES AGREE TO LIFT SPENDING\n"
        "    BRUSSELS, Feb 12 (Reuters) - NATO defence ministers agreed on\n"
        "Tuesday to raise military spending after two days of talks in\n"
        "the Belgian capital. Officials said the deal was historic.\n"
        "    The U.S. delegation welcomed the agreement, diplomats said,\n"
        "and promised more troops for the eastern flank next year.\n"
    )
    sentences = split_sentences(text)
    assert [s.paragraph for s in sentences] == [0, 1, 1, 2]
    assert sentences[1].text.endswith("in\nthe Belgian capital.")


def test_a_sentence_knows_where_it_sits_in_the_text() -> None:
    text = "  Headline\n\nFirst sentence here. Second one.  \n"
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_an_empty_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \n") == []


def test_hostile_runs_of_punctuation_and_text_without_spaces_are_split_plainly() -> None:
    assert texts("Wait" + "." * 10_000 + "x") == ["Wait" + "." * 10_000 + "x"]
    assert texts("Why" + "?!" * 5_000 + " Because.") == ["Why" + "?!" * 5_000, "Because."]
    assert texts("x" * 200_000) == ["x" * 200_000]


def test_windows_line_endings_do_not_end_up_in_sentences() -> None:
    assert texts("Headline\r\n\r\nFirst one. Second one.\r\n") == [
        "Headline",
        "First one.",
        "Second one.",
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from('Ab .!?"”’…\n\t U.S.No3'), max_size=120))
def test_sentences_cover_every_visible_character_in_order_without_overlap(text: str) -> None:
    sentences = split_sentences(text)
    position = 0
    for sentence in sentences:
        assert sentence.start >= position
        assert text[position : sentence.start].strip() == ""
        assert sentence.text == text[sentence.start : sentence.end]
        assert sentence.text == sentence.text.strip() and sentence.text
        position = sentence.end
    assert text[position:].strip() == ""
