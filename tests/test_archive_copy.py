"""Hard-wrapped 1987-style wire copy: the reader re-flows it, keeps tables line by line,
and the diff compares the same paragraphs the reader shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from archive_corpus import archive_files, write_archive_corpus

from reader.diff.word_diff import diff_texts
from reader.ingest.article import ParagraphKind, parse_article_text, reading_text
from reader.present.diff import render_inline, render_plain, side_by_side_rows

FILES = dict(archive_files())


def test_earnings_lines_are_one_preformatted_block_with_their_line_breaks() -> None:
    parsed = parse_article_text(FILES["champion-1.txt"])
    table = parsed.paragraphs[0]
    assert table.kind is ParagraphKind.PREFORMATTED
    assert table.text.split("\n") == [
        "Shr 34 cts vs 1.19 dlrs",
        "Net 807,000 vs 2,858,000",
        "Revs 51.1 mln vs 48.9 mln",
        "Year",
        "Shr 1.21 dlrs vs 2.32 dlrs",
        "Net 2,883,000 vs 5,559,000",
        "Revs 205.6 mln vs 193.0 mln",
    ]
    assert not any(p.kind is ParagraphKind.SUBHEAD for p in parsed.paragraphs)


def test_a_price_table_keeps_its_columns_aligned() -> None:
    parsed = parse_article_text(FILES["opec-2.txt"])
    table = next(p for p in parsed.paragraphs if p.kind is ParagraphKind.PREFORMATTED)
    rows = table.text.split("\n")
    assert rows[1].startswith("Brent (spot)            17.65")
    assert rows[0].index("Mar 2") == rows[1].index("17.65")


def test_running_text_around_a_table_is_still_re_flowed() -> None:
    parsed = parse_article_text(FILES["opec-2.txt"])
    body = [p.text for p in parsed.paragraphs if p.kind is ParagraphKind.BODY]
    assert body[0].startswith("Saudi Arabia's oil minister Hisham Nazer said OPEC would hold")
    assert all("\n" not in text and "  " not in text for text in body)
    assert len(body) == 10


def test_short_lines_of_ordinary_prose_are_not_taken_for_a_table() -> None:
    text = (
        "TALKS END\n"
        "    The talks ended on Monday\n"
        "after three days.\n"
        "    Delegates from 12 nations\n"
        "said they would meet again.\n"
        " REUTER\n"
    )
    kinds = [p.kind for p in parse_article_text(text).paragraphs]
    assert ParagraphKind.PREFORMATTED not in kinds


def test_reading_text_leaves_text_that_is_not_hard_wrapped_as_it_is() -> None:
    text = "Headline\n\nFirst paragraph, on one line.\nSecond paragraph, on one line.\n"
    assert reading_text(text) == text


def test_reading_text_puts_each_paragraph_on_one_line_without_indents() -> None:
    text = reading_text(FILES["brazil-1.txt"])
    paragraphs = text.strip().split("\n\n")
    assert paragraphs[0] == "BRAZIL WILL NOT PAY BANKS UNTIL DEBT IS RESCHEDULED"
    assert paragraphs[1].startswith("Brazil's finance minister Dilson Funaro said the country")
    assert paragraphs[1].endswith("a long-term rescheduling.")
    assert paragraphs[-1] == "REUTER"
    assert "\n " not in text


def test_a_re_wrapped_version_with_one_changed_sentence_shows_no_indents_or_pilcrows() -> None:
    diff = diff_texts(reading_text(FILES["opec-1.txt"]), reading_text(FILES["opec-2.txt"]))
    inline = render_inline(diff).plain
    assert "¶" not in inline
    indented = [line for line in inline.split("\n") if line.startswith(" ")]
    assert indented == ["                        ⚑Mar 2     Feb 27    Feb 20"]  # the table's head
    assert "Kuwait and Ecuador, were producing well above" in inline
    for old, new in side_by_side_rows(diff):
        assert "¶" not in old.plain + new.plain
        assert not old.plain.startswith(" ")


def test_only_the_changed_words_are_edits_after_re_wrapping() -> None:
    diff = diff_texts(reading_text(FILES["opec-1.txt"]), reading_text(FILES["opec-2.txt"]))
    edits = [(c.old.strip(), c.new.strip()) for c in diff.substantive_changes()]
    assert edits[:2] == [("", ", Kuwait"), ("", "well")]
    assert edits[2][1].startswith("Mar 2")  # the added price table; nothing else
    assert len(edits) == 3
    assert "{~" not in render_plain(diff)  # no re-flow noise left to show


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_archive_file_reads_with_a_headline_and_the_reuter_trailer(name: str) -> None:
    parsed = parse_article_text(FILES[name])
    assert parsed.headline.isupper()
    assert parsed.paragraphs[-1].text == "REUTER"
    assert parsed.paragraphs[-1].kind is ParagraphKind.TRAILER


def test_the_corpus_writer_writes_every_version(tmp_path: Path) -> None:
    folder = write_archive_corpus(tmp_path / "archive")
    assert sorted(path.name for path in folder.iterdir()) == sorted(FILES)


def test_a_one_line_first_take_loses_its_indent_like_the_write_through() -> None:
    first_take = "BRAZIL SUSPENDS PAYMENTS\n    Brazil suspended interest payments.\n REUTER\n"
    assert reading_text(first_take) == (
        "BRAZIL SUSPENDS PAYMENTS\n\nBrazil suspended interest payments.\n\nREUTER\n"
    )
