"""NewsML-G2 newsItem and newsMessage files: text items read, other items skipped with a reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reader.ingest.article import ParagraphKind
from reader.ingest.formats import ReadResult, read_items, to_parsed_text
from reader.ingest.formats.versions import stories_by_metadata, story_key

FIXTURES = Path(__file__).parent / "fixtures" / "formats" / "newsml-g2"


def read(name: str) -> ReadResult:
    return read_items((FIXTURES / name).read_bytes(), name)


def test_news_item_gives_headline_byline_slugline_and_xhtml_paragraphs() -> None:
    result = read("reuters-fed-v1.xml")
    assert result.format == "newsml-g2" and result.problems == []
    (item,) = result.items
    assert item.headline == "Fed holds rates steady, still sees two cuts in 2026"
    assert item.byline == "Howard Schneider"
    assert item.slugline == "USA-FED/RATES"
    assert item.dateline == "Washington"
    assert item.language == "en"
    assert [p.text for p in item.paragraphs] == [
        "WASHINGTON, March 18 (Reuters) - The Federal Reserve held interest rates steady on "
        "Wednesday in the 4.25%-4.50% range and said it still expects to cut borrowing costs "
        "twice this year.",
        "The decision was unanimous, the central bank said in a statement.",
    ]


def test_update_2_headline_shows_its_version_marker_and_signal() -> None:
    (item,) = read("reuters-fed-v3.xml").items
    assert item.headline == "Fed holds rates steady, slows balance sheet runoff"
    assert item.version_markers == ("UPDATE 2", "sig:update")
    assert to_parsed_text(item).version_markers == ("UPDATE 2", "sig:update")


def test_reuters_guid_tail_is_the_version_and_not_part_of_the_story_id() -> None:
    (item,) = read("reuters-fed-v2.xml").items
    assert item.story_id == "tag:reuters.com,2026:newsml_L8N3EK0AB"
    assert item.version == 2
    assert item.provider == "REUTERS"
    assert item.version_time == datetime(2026, 3, 18, 18, 19, 40, tzinfo=UTC)
    assert item.first_created == datetime(2026, 3, 18, 18, 2, 11, tzinfo=UTC)


def test_update_chain_is_one_story_ordered_by_version() -> None:
    items = [read(f"reuters-fed-v{n}.xml").items[0] for n in (2, 3, 1)]
    stories = stories_by_metadata(items)
    assert list(stories) == ["reuters|tag:reuters.com,2026:newsml_L8N3EK0AB"]
    ordered = next(iter(stories.values()))
    assert [item.version_markers[:1] for item in ordered] == [(), ("UPDATE 1",), ("UPDATE 2",)]


def test_reporting_credit_is_a_trailer() -> None:
    (item,) = read("reuters-fed-v2.xml").items
    assert item.paragraphs[-1].text == "(Reporting by Howard Schneider; Editing by Andrea Ricci)"
    assert item.paragraphs[-1].kind is ParagraphKind.TRAILER


def test_news_message_reads_the_text_item_with_inline_nitf() -> None:
    result = read("afp-message-mixed.xml")
    (item,) = result.items
    assert item.record == 0
    assert item.headline == "Collision entre un TER et un camion près de Lyon: un mort, 12 blessés"
    assert item.subheadline == "Le conducteur du poids lourd est en garde à vue"
    assert item.paragraphs[0].text.startswith("Lyon (AFP) - Un train régional a percuté un camion")
    assert len(item.paragraphs) == 3
    assert item.language == "fr" and item.version == 4
    assert item.version_markers == ("sig:correction",)
    assert any("12 et non 21" in note for note in item.notes)
    assert story_key(item) == "afp|urn:newsml:afp.com:20260402:TX-PAR-KQY52"


def test_news_message_skips_picture_remote_text_and_package_with_reasons() -> None:
    problems = read("afp-message-mixed.xml").problems
    assert [problem.record for problem in problems] == [1, 2, 3]
    assert problems[0].message.startswith("a picture item 'Les secours sur les lieux")
    assert "not text, skipped" in problems[0].message
    assert "content is not inline (remoteContent https://example.afp.com/tx/KQY99.txt)" in (
        problems[1].message
    )
    assert problems[2].message.startswith("a NewsML-G2 packageItem")


def test_picture_caption_never_becomes_an_article() -> None:
    result = read("afp-message-mixed.xml")
    texts = " ".join(p.text for item in result.items for p in item.paragraphs)
    assert "Des pompiers près du train" not in texts


def test_truncated_news_item_is_reported_and_read_as_far_as_it_goes() -> None:
    result = read("truncated-fed.xml")
    assert result.problems[0].message.startswith("broken XML: ")
    (item,) = result.items
    assert item.version_markers[0] == "UPDATE 1"
    assert item.paragraphs[0].text.startswith("WASHINGTON, March 18 (Reuters)")
