"""ANPA-1312 and IPTC 7901 text feeds: framing, header lines, bylines, body, trailers, versions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reader.ingest.article import ParagraphKind
from reader.ingest.formats import ReadResult, read_items, to_parsed_text
from reader.ingest.formats.versions import order_versions, stories_by_metadata

FIXTURES = Path(__file__).parent / "fixtures" / "formats" / "anpa"
CONTROL_CHARACTERS = {chr(c) for c in range(32) if chr(c) not in "\n\t"}


def read(name: str) -> ReadResult:
    return read_items((FIXTURES / name).read_bytes(), name)


def all_text(result: ReadResult) -> str:
    parts = []
    for item in result.items:
        parts += [item.headline, item.byline or "", item.slugline or "", *item.notes]
        parts += [p.text for p in item.paragraphs]
    return " ".join(parts)


def test_first_take_gives_headline_byline_dateline_and_reflowed_paragraphs() -> None:
    result = read("ap-winter-weather-1.tst")
    assert result.format == "anpa" and result.problems == []
    (item,) = result.items
    assert item.headline == "Ice storm knocks out power to 200,000 in Georgia"
    assert item.byline == "By JEFF AMY, Associated Press"
    assert item.dateline == "ATLANTA (AP)"
    assert item.paragraphs[0].text == (
        "ATLANTA (AP) — An ice storm coated trees and power lines across north Georgia early "
        "Friday, knocking out electricity to more than 200,000 homes and businesses, "
        "utilities said."
    )
    assert len(item.paragraphs) == 2


def test_control_characters_framing_the_feed_never_reach_the_text() -> None:
    for name in ("ap-winter-weather-2.tst", "ap-feed-corrective-and-sports", "dpa-ifo-7901.txt"):
        text = all_text(read(name))
        assert not CONTROL_CHARACTERS & set(text), name


def test_slug_gives_story_id_version_marker_and_trailer_gives_provider_and_time() -> None:
    (item,) = read("ap-winter-weather-2.tst").items
    assert item.story_id == "BC-US--Winter-Weather 02-20"
    assert item.version_markers == ("1stLd-Writethru",)
    assert item.version == 2
    assert item.provider == "AP"
    assert item.version_time == datetime(2026, 2, 20, 11, 40, tzinfo=UTC)


def test_wire_typography_becomes_dashes_and_curly_quotes() -> None:
    (item,) = read("ap-winter-weather-2.tst").items
    texts = [p.text for p in item.paragraphs]
    assert texts[2] == (
        "“Stay off the roads unless you absolutely have to travel,” Gov. Brian Kemp told "
        "reporters. “Crews are working as fast as they safely can.”"
    )
    assert "into the weekend — and warned" in texts[3]


def test_editors_notes_photo_notes_and_trailer_are_not_body_text() -> None:
    (item,) = read("ap-winter-weather-2.tst").items
    body = " ".join(p.text for p in item.paragraphs)
    assert "Eds:" not in body and "ATLJB101" not in body and "AP-WF-" not in body
    assert "___" not in body
    assert item.notes[0].startswith("Eds: UPDATES with outage figures")
    assert item.paragraphs[-1].kind is ParagraphKind.TRAILER
    assert item.paragraphs[-1].text.startswith("Associated Press writer Kate Brumback")


def test_writethru_chain_and_corrective_are_one_story_in_filing_order() -> None:
    items = [read(f"ap-winter-weather-{n}.tst").items[0] for n in (3, 1, 2)]
    items += read("ap-feed-corrective-and-sports").items
    stories = stories_by_metadata(items)
    assert set(stories) == {"ap|us--winter-weather 02-20", "ap|bbo--braves-spring 02-20"}
    chain = stories["ap|us--winter-weather 02-20"]
    assert [item.version_markers for item in chain] == [
        (),
        ("1stLd-Writethru",),
        ("2ndLd-Writethru",),
        ("Corrective",),
    ]


def test_writethrus_alone_are_ordered_by_lead_number() -> None:
    items = [read(f"ap-winter-weather-{n}.tst").items[0] for n in (2, 3, 1)]
    assert [item.version for item in order_versions(items)] == [1, 2, 3]


def test_feed_file_holds_several_messages_with_their_byte_offsets() -> None:
    result = read("ap-feed-corrective-and-sports")
    assert [item.record for item in result.items] == [0, 1]
    assert result.items[0].offset == 0
    data = (FIXTURES / "ap-feed-corrective-and-sports").read_bytes()
    assert data[result.items[1].offset :].startswith(b"\x01a0561")
    assert result.items[1].byline == "By CHARLES ODUM, AP Sports Writer"


def test_dpa_7901_latin1_with_notebook_not_for_publication() -> None:
    (item,) = read("dpa-ifo-7901.txt").items
    assert item.headline == "Ifo-Geschäftsklima steigt überraschend deutlich"
    assert item.provider == "dpa"
    assert item.story_id is None  # a topic keyword line, not a story id
    assert item.slugline == "Konjunktur/Deutschland/"
    assert item.version_time == datetime(2026, 2, 23, 10, 34, tzinfo=UTC)
    body = " ".join(p.text for p in item.paragraphs)
    assert body.startswith("München (dpa) - Die Stimmung in der deutschen Wirtschaft")
    assert "Pressestelle" not in body and "yyzz" not in body
    assert any(note.startswith("not for publication: Notizblock") for note in item.notes)
    assert "not valid UTF-8; decoded as cp1252" in item.notes


def test_transmission_cut_before_etx_is_reported_and_read_as_far_as_it_goes() -> None:
    result = read("truncated-winter-weather.tst")
    (problem,) = result.problems
    assert problem.message == "message at byte 0 ends without ETX: read as far as it goes"
    (item,) = result.items
    assert item.paragraphs[-1].text == (
        "“Stay off the roads unless you absolutely have to travel,” Gov. Brian"
    )


def test_anpa_item_converts_to_parsed_text_with_dateline_and_markers() -> None:
    (item,) = read("ap-winter-weather-3.tst").items
    parsed = to_parsed_text(item)
    assert parsed.dateline is not None and parsed.dateline.agency == "AP"
    assert parsed.version_markers == ("2ndLd-Writethru",)
    assert parsed.filed == datetime(2026, 2, 20, 15, 5)


def test_framing_without_text_is_a_problem() -> None:
    result = read_items(b"\x01a0001 r a BC-US--Nothing 02-20 0000\r\n\x02\x03\x04", "empty.tst")
    assert result.items == []
    assert result.problems[0].message == "no ANPA/7901 message with text"


def test_the_same_slug_keyword_on_another_day_is_another_story() -> None:
    data = (FIXTURES / "ap-winter-weather-1.tst").read_bytes()
    next_day = data.replace(b"02-20 0420", b"02-21 0420").replace(b"02-20-26", b"02-21-26")
    today, tomorrow = read_items(data, "a").items[0], read_items(next_day, "b").items[0]
    assert len(stories_by_metadata([today, tomorrow])) == 2
