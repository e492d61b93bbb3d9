"""NewsML 1.x (AFP-style) files: NewsLines and text ContentItems; revisions order the versions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reader.ingest.formats import ReadResult, read_items
from reader.ingest.formats.versions import order_versions, stories_by_metadata

FIXTURES = Path(__file__).parent / "fixtures" / "formats" / "newsml1"


def read(name: str) -> ReadResult:
    return read_items((FIXTURES / name).read_bytes(), name)


def test_news_item_gives_newslines_and_xhtml_paragraphs() -> None:
    result = read("afp-quake-r1.xml")
    assert result.format == "newsml1" and result.problems == []
    (item,) = result.items
    assert item.headline == "Strong quake strikes off northeast Japan, tsunami advisory issued"
    assert item.dateline == "Tokyo, May 12 (AFP)"
    assert item.byline is None
    assert item.slugline == "Japan-quake"
    assert item.paragraphs[1].text == "There were no immediate reports of damage or injuries."


def test_identification_gives_story_id_revision_and_times() -> None:
    (item,) = read("afp-quake-r3.xml").items
    assert item.provider == "AFP"
    assert item.story_id == "urn:newsml:afp.com:20260512:TX-PAR-RTE41"
    assert item.version == 3
    assert item.version_time == datetime(2026, 5, 12, 6, 12, tzinfo=UTC)
    assert item.first_created == datetime(2026, 5, 12, 3, 19, tzinfo=UTC)
    assert item.byline == "by Hiroshi Hiyama"


def test_revision_chain_is_one_story_in_revision_order() -> None:
    items = [read(f"afp-quake-r{n}.xml").items[0] for n in (3, 1, 2)]
    (ordered,) = stories_by_metadata(items).values()
    assert [item.version for item in ordered] == [1, 2, 3]
    assert ordered[2].headline == "Japan quake injures three, tsunami advisory lifted"
    assert order_versions(items) == ordered


def test_latin1_document_with_nitf_content_is_read() -> None:
    result = read("afp-two-items-photo.xml")
    first = result.items[0]
    assert first.headline == "Présidentielle au Pérou: Fujimori en tête"
    assert first.language == "fr"
    assert first.paragraphs[1].text == (
        "Son adversaire a dénoncé des «irrégularités» dans plusieurs régions andines."
    )


def test_photo_item_is_skipped_with_its_headline_as_reason() -> None:
    result = read("afp-two-items-photo.xml")
    assert len(result.items) == 1
    (problem,) = result.problems
    assert problem.record == 1
    assert problem.message == "a photo item 'Partisans de Keiko Fujimori à Lima': not text, skipped"


def test_mismatched_tags_are_reported_and_the_rest_is_recovered() -> None:
    result = read("broken-quake.xml")
    assert "Opening and ending tag mismatch" in result.problems[0].message
    (item,) = result.items
    assert len(item.paragraphs) == 4 and "recovered from broken XML" in item.notes
