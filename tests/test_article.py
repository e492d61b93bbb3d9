"""Parsing an article's text: headline, dateline, byline, paragraphs and re-flow."""

from __future__ import annotations

from reader.ingest.article import (
    ParagraphKind,
    derive_headline,
    first_sentence,
    parse_article_text,
    parse_dateline,
)
from reader.ingest.corpus import sample_corpus_path


def sample_text(prefix: str) -> str:
    path = next(sample_corpus_path().glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def test_blank_line_separated_seed_has_ten_paragraphs_and_a_derived_headline() -> None:
    parsed = parse_article_text(sample_text("000"))
    assert len(parsed.paragraphs) == 10
    assert parsed.headline_from_lede
    assert parsed.headline.startswith("NATO should be built on partnership rather than dependency")
    assert parsed.headline.endswith("…")
    assert len(parsed.headline) <= 91


def test_one_paragraph_per_line_seed_keeps_its_subheadline() -> None:
    parsed = parse_article_text(sample_text("001"))
    kinds = [paragraph.kind for paragraph in parsed.paragraphs]
    assert len(parsed.paragraphs) == 11
    assert kinds.count(ParagraphKind.SUBHEAD) == 1
    subhead = parsed.paragraphs[kinds.index(ParagraphKind.SUBHEAD)]
    assert subhead.text == "Colby sees 'strong basis' for working with Europeans"


def test_ap_style_dateline_is_found_in_the_lede() -> None:
    parsed = parse_article_text(sample_text("002"))
    assert parsed.dateline is not None
    assert parsed.dateline.place == "BRUSSELS"
    assert parsed.headline.startswith("U.S. Defense Secretary Pete Hegseth")


def test_word_counts_treat_abbreviations_and_hyphenations_as_one_word() -> None:
    parsed = parse_article_text("U.S. security-related Hegseth’s spending rose 5%.")
    assert parsed.words == 6


def test_a_short_first_line_is_the_headline_and_version_markers_are_split_off() -> None:
    text = (
        "UPDATE 2-EXCLUSIVE-NATO allies agree to boost spending\n\n"
        "BRUSSELS (Reuters) - Allies agreed."
    )
    parsed = parse_article_text(text)
    assert parsed.headline == "NATO allies agree to boost spending"
    assert parsed.version_markers == ("UPDATE 2", "EXCLUSIVE")
    assert not parsed.headline_from_lede
    assert [p.text for p in parsed.paragraphs] == ["BRUSSELS (Reuters) - Allies agreed."]


def test_a_headline_only_file_has_the_headline_and_no_paragraphs() -> None:
    parsed = parse_article_text("Hegseth skips NATO meeting\n")
    assert parsed.headline == "Hegseth skips NATO meeting"
    assert parsed.paragraphs == ()
    assert parsed.words == 0


def test_empty_text_parses_to_nothing_without_raising() -> None:
    parsed = parse_article_text("")
    assert parsed.headline == ""
    assert parsed.paragraphs == ()


def test_hard_wrapped_indented_archive_is_reflowed_into_paragraphs() -> None:
    text = (
        "NATO ALLIES AGREE TO RAISE DEFENCE SPENDING\n"
        "    BRUSSELS, Feb 12 (Reuters) - NATO defence ministers agreed on\n"
        "Thursday to raise spending on the alliance's forces, officials\n"
        "said, after a meeting that the U.S. defence secretary skipped.\n"
        "    The decision follows months of pressure from Washington on\n"
        "European capitals to shoulder more of the burden.\n"
        "    (Reporting by Jane Doe; Editing by John Smith)\n"
        "REUTER\n"
    )
    parsed = parse_article_text(text)
    assert parsed.headline == "NATO ALLIES AGREE TO RAISE DEFENCE SPENDING"
    assert [p.kind for p in parsed.paragraphs] == [
        ParagraphKind.BODY,
        ParagraphKind.BODY,
        ParagraphKind.TRAILER,
        ParagraphKind.TRAILER,
    ]
    assert parsed.paragraphs[0].text == (
        "BRUSSELS, Feb 12 (Reuters) - NATO defence ministers agreed on Thursday to raise "
        "spending on the alliance's forces, officials said, after a meeting that the U.S. "
        "defence secretary skipped."
    )
    assert parsed.dateline is not None
    assert (parsed.dateline.place, parsed.dateline.date, parsed.dateline.agency) == (
        "BRUSSELS",
        "Feb 12",
        "Reuters",
    )


def test_hard_wrapped_text_with_blank_lines_between_paragraphs_is_reflowed() -> None:
    text = (
        "Allies meet in Brussels\n\n"
        "NATO ministers met on Thursday in Brussels to discuss the\n"
        "alliance's spending targets and command posts.\n\n"
        "Rutte said allies were stepping up to take more\n"
        "responsibility for their own security.\n"
    )
    parsed = parse_article_text(text)
    assert [p.text for p in parsed.paragraphs] == [
        "NATO ministers met on Thursday in Brussels to discuss the alliance's spending "
        "targets and command posts.",
        "Rutte said allies were stepping up to take more responsibility for their own security.",
    ]


def test_byline_is_recognised() -> None:
    text = (
        "Allies meet\n\nBy JANE DOE Associated Press\n\nWASHINGTON (AP) — Allies met on Thursday."
    )
    parsed = parse_article_text(text)
    assert parsed.byline == "By JANE DOE Associated Press"
    assert parsed.dateline is not None and parsed.dateline.agency == "AP"


def test_datelines_in_the_agencies_styles() -> None:
    assert parse_dateline("Brussels (AFP) - Ministers met.").place == "Brussels"  # type: ignore[union-attr]
    assert parse_dateline("WASHINGTON (AP) — Ministers met.").agency == "AP"  # type: ignore[union-attr]
    assert parse_dateline("Ministers met on Thursday - in Brussels.") is None


def test_first_sentence_does_not_stop_at_abbreviations() -> None:
    text = "U.S. Defense Secretary Pete Hegseth skipped it. Colby went."
    assert first_sentence(text) == "U.S. Defense Secretary Pete Hegseth skipped it."


def test_derived_headline_is_cut_at_a_word_boundary() -> None:
    headline = derive_headline("word " * 40, limit=30)
    assert headline.endswith("word…")
    assert len(headline) <= 31
