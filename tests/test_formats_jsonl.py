"""JSON Lines dumps: one article per record; ninjs records read as ninjs; bad lines reported."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reader.ingest.formats import ReadResult, read_items

FIXTURES = Path(__file__).parent / "fixtures" / "formats" / "jsonl"


def read(name: str, field_map: dict[str, str] | None = None) -> ReadResult:
    return read_items((FIXTURES / name).read_bytes(), name, field_map)


def test_record_with_common_keys_is_an_article() -> None:
    result = read("crawl-dump.jsonl")
    assert result.format == "jsonl"
    ice = result.items[0]
    assert ice.headline == "Ice storm in Georgia blamed for 1 death; 340,000 lose power"
    assert ice.provider == "Associated Press"
    assert ice.byline == "Jeff Amy, Kate Brumback"
    assert ice.url == "https://apnews.example/article/ice-storm-georgia"
    assert ice.language == "en"
    assert ice.version_time == datetime(2026, 2, 20, 15, 5, tzinfo=UTC)
    assert len(ice.paragraphs) == 2
    assert ice.paragraphs[1].text.startswith("The Cobb County medical examiner")


def test_records_are_located_by_index_and_byte_offset() -> None:
    data = (FIXTURES / "crawl-dump.jsonl").read_bytes()
    result = read_items(data, "crawl-dump.jsonl")
    for item in result.items:
        line = data[item.offset :].split(b"\n", 1)[0]
        assert item.headline.encode() in line or item.headline in line.decode()


def test_ninjs_record_is_read_as_ninjs() -> None:
    ninjs = read("crawl-dump.jsonl").items[1]
    assert ninjs.format == "ninjs"
    assert ninjs.story_id == "urn:example:stt:ninjs:2026-0302-0147" and ninjs.version == 2
    assert ninjs.paragraphs[1].text == "The strike affects Helsinki, Kotka and Hamina."


def test_html_body_gives_paragraphs_without_captions() -> None:
    marathon = read("crawl-dump.jsonl").items[2]
    assert [p.text for p in marathon.paragraphs] == [
        "Uganda's Jacob Kiplimo won the Barcelona marathon on Sunday in 2 hours 4 minutes "
        "51 seconds.",
        "Kenya's Titus Kipruto was second.",
    ]
    assert marathon.story_id == "efe-0412"


def test_broken_lines_non_objects_and_empty_texts_are_reported_and_skipped() -> None:
    result = read("crawl-dump.jsonl")
    assert [p.message for p in result.problems] == [
        "line 3: not JSON (Unterminated string starting at, column 34)",
        "line 5: a JSON list, not an object",
        "line 6: no text in column 'text'",
    ]
    assert len(result.items) == 3


def test_custom_keys_need_a_field_map_then_read() -> None:
    unmapped = read("custom-keys.jsonl")
    assert unmapped.items == []
    assert unmapped.problems[-1].message == "1 more records without a text field: skipped"
    mapped = read("custom-keys.jsonl", {"body": "story_text", "id": "doc", "date": "ts"})
    assert [item.headline for item in mapped.items] == [
        "Port strike ends after pay deal",
        "Ferries resume Dover sailings",
    ]
    assert mapped.items[1].version_time == datetime(2026, 2, 11, 6, 30, tzinfo=UTC)
    assert mapped.items[0].story_id == "a1"
