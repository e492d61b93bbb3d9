"""ninjs JSON: single items, AP Media API wrappers and feeds; body_html, body_text or bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reader.ingest.formats import ReadResult, read_items
from reader.ingest.formats.versions import stories_by_metadata, story_key, version_key

FIXTURES = Path(__file__).parent / "fixtures" / "formats" / "ninjs"


def read(name: str) -> ReadResult:
    return read_items((FIXTURES / name).read_bytes(), name)


def test_ap_media_api_item_gives_headline_byline_and_html_paragraphs() -> None:
    result = read("ap-senate-aid-v0.json")
    assert result.format == "ninjs" and result.problems == []
    (item,) = result.items
    assert item.headline == "Senate passes $95 billion aid package for Ukraine, Israel"
    assert item.byline == "By MARY CLARE JALONICK and STEPHEN GROVES"
    assert item.dateline == "WASHINGTON"
    assert item.slugline == "Senate-Ukraine Aid"
    assert item.paragraphs[0].text.startswith("WASHINGTON (AP) — The Senate voted 68-31 on")
    assert len(item.paragraphs) == 2


def test_photo_caption_inside_body_html_is_not_a_paragraph() -> None:
    (item,) = read("ap-senate-aid-v1.json").items
    assert not any("AP Photo" in p.text for p in item.paragraphs)
    assert len(item.paragraphs) == 5


def test_ap_item_id_is_the_story_id_and_version_zero_comes_first() -> None:
    items = [read(f"ap-senate-aid-v{n}.json").items[0] for n in (2, 0, 1)]
    assert {item.story_id for item in items} == {"4f2c0d9e8a1b4c3da0e7d2b6f1a9c8e5"}
    (ordered,) = stories_by_metadata(items).values()
    assert [item.version for item in ordered] == [0, 1, 2]
    assert ordered[0].version_time == datetime(2026, 2, 13, 5, 2, 11, tzinfo=UTC)
    assert ordered[2].headline == (
        "Senate passes $95 billion Ukraine, Israel aid after months of delay"
    )


def test_two_copies_of_one_item_are_one_story_and_one_version() -> None:
    items = read("feed-mixed.json").items
    copies = [item for item in items if item.story_id == "urn:bbc:ninjs:article:c4ngv2z9e8xo"]
    assert [item.record for item in copies] == [0, 3]
    assert story_key(copies[0]) == story_key(copies[1]) == "bbc|urn:bbc:ninjs:article:c4ngv2z9e8xo"
    assert version_key(copies[0]) == version_key(copies[1])


def test_feed_body_text_is_split_into_paragraphs_and_canonical_link_is_the_url() -> None:
    item = read("feed-mixed.json").items[0]
    assert item.headline == "Heavy snow closes schools across Scotland"
    assert [p.text for p in item.paragraphs][2] == (
        "Traffic Scotland said the A9 was closed between Dalwhinnie and Drumochter."
    )
    assert item.url == "https://www.bbc.co.uk/news/articles/c4ngv2z9e8xo"
    assert item.provider == "BBC" and item.version == 3 and item.language == "en-GB"


def test_ninjs_2_headlines_bylines_and_bodies_are_read() -> None:
    item = read("feed-mixed.json").items[1]
    assert item.record == 2
    assert item.headline == "Finnish ports halt work as dockers strike"
    assert item.version_markers == ("UPDATE 1",)
    assert item.subheadline == "Strike set to last until Friday"
    assert item.byline == "By Anna Virtanen"
    assert item.provider == "STT"
    assert item.paragraphs[1].text == "The strike affects Helsinki, Kotka and Hamina."
    assert item.version_time == datetime(2026, 3, 2, 7, 5, tzinfo=UTC)


def test_picture_item_in_a_feed_is_skipped_with_a_reason() -> None:
    result = read("feed-mixed.json")
    (problem,) = result.problems
    assert problem.record == 1
    assert problem.message == (
        "a picture item 'A gritter on the A9 near Dalwhinnie': not text, skipped"
    )


def test_json_that_is_not_ninjs_is_a_problem_not_an_article() -> None:
    result = read("not-ninjs.json")
    assert result.items == []
    assert result.problems[0].message.startswith("JSON but not ninjs")


def test_truncated_json_reports_where_it_broke() -> None:
    result = read("truncated-item.json")
    assert result.items == []
    assert result.problems[0].message.startswith("not valid JSON: Unterminated string")
    assert "(line 23, column" in result.problems[0].message


def test_deeply_nested_json_is_a_problem_not_a_crash() -> None:
    result = read_items(b"[" * 200_000 + b"]" * 200_000, "deep.json")
    assert result.items == []
    assert "nested too deeply" in result.problems[0].message
