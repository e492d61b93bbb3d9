"""NITF 3.x files: text from body.head and body.content, identity and version from docdata."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reader.ingest.article import ParagraphKind
from reader.ingest.formats import ReadResult, read_items, to_parsed_text
from reader.ingest.formats.versions import order_versions, stories_by_metadata, story_key

FIXTURES = Path(__file__).parent / "fixtures" / "formats" / "nitf"


def read(name: str) -> ReadResult:
    return read_items((FIXTURES / name).read_bytes(), name)


def test_nitf_file_gives_headline_byline_dateline_and_paragraphs() -> None:
    result = read("ap-wildfire-v1.xml")
    assert result.format == "nitf" and result.problems == []
    (item,) = result.items
    assert item.headline == "Wind-driven wildfire forces evacuations west of Boulder"
    assert item.byline == "By JESSE BEDAYN Associated Press"
    assert item.dateline == "BOULDER, Colo. (AP)"
    assert item.paragraphs[0].text.startswith("BOULDER, Colo. (AP) — A wind-driven wildfire tore")
    assert "about 1,200 homes as gusts topped 80 mph" in item.paragraphs[0].text
    assert item.paragraphs[-1].kind is ParagraphKind.TRAILER


def test_nitf_docdata_gives_provider_story_version_and_time() -> None:
    (item,) = read("ap-wildfire-v2.xml").items
    assert item.provider == "AP"
    assert item.story_id == "BC-US--Colorado-Wildfire 02-20"
    assert item.version == 2
    assert item.version_time == datetime(2026, 2, 20, 17, 15, tzinfo=UTC)
    assert item.version_markers == ("1stLd-Writethru",)
    assert item.language == "en-US"
    assert "editor's note: UPDATES with evacuation figures" in item.notes[0]


def test_nitf_update_chain_is_one_story_in_version_order() -> None:
    items = [read(f"ap-wildfire-v{n}.xml").items[0] for n in (3, 1, 2)]
    stories = stories_by_metadata(items)
    assert list(stories) == ["ap|us--colorado-wildfire 02-20"]
    ordered = stories["ap|us--colorado-wildfire 02-20"]
    assert [item.version for item in ordered] == [1, 2, 3]
    assert ordered[-1].headline == "Wildfire west of Boulder destroys dozens of homes; 2 missing"
    assert order_versions(reversed(ordered)) == ordered


def test_nitf_headline_marker_sub_headline_and_subheads_are_kept_apart() -> None:
    (item,) = read("efe-marathon-results.xml").items
    assert item.headline == "Kiplimo wins Barcelona marathon in course record"
    assert item.version_markers == ("UPDATE 1",)
    assert item.subheadline == "Ugandan breaks 2:05 on a cool, windless morning"
    kinds = {p.text: p.kind for p in item.paragraphs}
    assert kinds["Results"] is ParagraphKind.SUBHEAD
    assert kinds["1 | Jacob Kiplimo (UGA) | 2:04:51"] is ParagraphKind.BODY
    assert kinds["Organisers said 21,400 runners started, a record for the race."]


def test_nitf_media_captions_are_not_body_text() -> None:
    (item,) = read("efe-marathon-results.xml").items
    text = " ".join(p.text for p in item.paragraphs)
    assert "crosses the finish line" not in text and "EFE/Alejandro" not in text


def test_nitf_without_regsrc_takes_the_story_id_from_doc_id_and_time_with_zone() -> None:
    (item,) = read("efe-marathon-results.xml").items
    assert story_key(item) == "efe|EFE-20260308-DEP-0412"
    assert item.version_time == datetime(2026, 3, 8, 11, 5, tzinfo=UTC)


def test_truncated_nitf_reports_broken_xml_and_reads_as_far_as_it_goes() -> None:
    result = read("truncated-wildfire.xml")
    assert len(result.problems) == 1
    assert result.problems[0].message.startswith("broken XML: ")
    assert "read as far as it goes" in result.problems[0].message
    (item,) = result.items
    assert item.headline == "Wind-driven wildfire forces evacuations west of Boulder"
    assert item.paragraphs[-1].text == "The Boulder County Sherif"
    assert "recovered from broken XML" in item.notes


def test_nitf_item_converts_to_parsed_text_for_the_pipeline() -> None:
    (item,) = read("ap-wildfire-v3.xml").items
    parsed = to_parsed_text(item)
    assert parsed.headline == item.headline and not parsed.headline_from_lede
    assert parsed.version_markers == ("2ndLd-Writethru",)
    assert parsed.byline == "By JESSE BEDAYN and COLLEEN SLEVIN Associated Press"
    assert parsed.paragraphs[0].kind is ParagraphKind.BYLINE
    assert parsed.filed == datetime(2026, 2, 20, 22, 40)
    assert parsed.dateline is not None and parsed.dateline.place == "BOULDER"
    assert parsed.words > 80


def test_xml_that_is_not_nitf_or_any_news_format_is_not_an_article() -> None:
    result = read_items(b"<?xml version='1.0'?><invoice><total>12</total></invoice>", "x.xml")
    assert result.format == "not an article" and result.items == []
    assert "root <invoice>" in result.problems[0].message
