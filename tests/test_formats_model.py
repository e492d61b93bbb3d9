"""The item model, its conversion to ParsedText, and what metadata says about versions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from reader.ingest.article import Paragraph, ParagraphKind
from reader.ingest.formats import NewsItem, to_parsed_text
from reader.ingest.formats.model import classify_paragraphs, naive_utc
from reader.ingest.formats.slugs import parse_slug
from reader.ingest.formats.values import parse_time
from reader.ingest.formats.versions import (
    order_versions,
    provider_key,
    stories_by_metadata,
    story_key,
    version_key,
)

LEDE = (
    "BRUSSELS, Feb 12 (Reuters) - NATO defence ministers agreed on Thursday to raise "
    "spending targets for air defence."
)


def item(**changes: object) -> NewsItem:
    fields: dict[str, object] = {
        "format": "ninjs",
        "headline": "NATO ministers agree air defence targets",
        "paragraphs": (Paragraph(LEDE), Paragraph("Talks continue on Friday.")),
    }
    fields.update(changes)
    return NewsItem(**fields)  # type: ignore[arg-type]


def test_item_without_headline_gets_one_from_its_lede_as_the_text_reader_would() -> None:
    parsed = to_parsed_text(item(headline=""))
    assert parsed.headline_from_lede
    assert parsed.headline == (
        "NATO defence ministers agreed on Thursday to raise spending targets for air defence"
    )
    assert parsed.dateline is not None and parsed.dateline.agency == "Reuters"


def test_parsed_text_counts_words_and_takes_the_version_time_as_filed() -> None:
    moment = datetime(2026, 2, 12, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    parsed = to_parsed_text(item(version_time=moment, version_markers=("UPDATE 1",)))
    assert parsed.filed == datetime(2026, 2, 12, 8, 30)
    assert parsed.words == 21
    assert parsed.version_markers == ("UPDATE 1",)


def test_format_dateline_stands_in_when_the_lede_has_none() -> None:
    parsed = to_parsed_text(
        item(paragraphs=(Paragraph("Ministers met again."),), dateline="BRUSSELS, Feb 12")
    )
    assert parsed.dateline is not None and parsed.dateline.place == "BRUSSELS"


def test_markup_kinds_win_and_rules_fill_the_rest() -> None:
    paragraphs = classify_paragraphs(
        "Headline",
        ["By Jane Doe", "Results", "A body paragraph ends here.", "(Reporting by Jane Doe)"],
        [None, ParagraphKind.BODY, None, None],
    )
    assert [p.kind for p in paragraphs] == [
        ParagraphKind.BYLINE,
        ParagraphKind.BODY,
        ParagraphKind.BODY,
        ParagraphKind.TRAILER,
    ]


def test_times_in_every_format_the_wires_use_become_aware_utc() -> None:
    assert parse_time("20260220T033700Z") == datetime(2026, 2, 20, 3, 37, tzinfo=UTC)
    assert parse_time("2026-02-20T04:37:00+01:00") == datetime(2026, 2, 20, 3, 37, tzinfo=UTC)
    assert parse_time("2026-02-20 03:37") == datetime(2026, 2, 20, 3, 37, tzinfo=UTC)
    assert parse_time("Fri, 20 Feb 2026 03:37:00 GMT") == datetime(2026, 2, 20, 3, 37, tzinfo=UTC)
    assert parse_time("last Tuesday") is None
    assert naive_utc(datetime(2026, 2, 20, 3, 37, tzinfo=UTC)) == datetime(2026, 2, 20, 3, 37)


def test_slug_markers_give_versions_and_a_story_keyword() -> None:
    first = parse_slug("a0412  r a BC-US--Winter-Weather 02-20 0420")
    third = parse_slug("^BC-US--Winter-Weather, 2nd Ld-Writethru,0750<")
    advance = parse_slug("BC-Obit-Cronkite Adv19 07-17 0615")
    assert first is not None and first.version == 1 and first.markers == ()
    assert first.date == "02-20" and first.words == 420
    assert third is not None and third.version == 3 and third.markers == ("2nd Ld-Writethru",)
    assert advance is not None and advance.version is None and advance.markers == ("Adv19",)


def test_story_key_joins_provider_aliases_and_strips_slug_cycles_and_markers() -> None:
    am = item(format="anpa", provider="AP", story_id="AM-US--Winter-Weather")
    bc = item(format="nitf", provider="The Associated Press", story_id="BC-US--Winter-Weather")
    assert story_key(am) == story_key(bc) == "ap|us--winter-weather"
    assert provider_key("nprov:REUTERS") == "reuters"
    assert story_key(item()) is None


def test_versions_order_by_number_then_time_when_all_have_numbers() -> None:
    early = datetime(2026, 2, 12, 8, tzinfo=UTC)
    items = [
        item(story_id="s", version=2, version_time=early),
        item(story_id="s", version=1, version_time=early + timedelta(hours=2)),
        item(story_id="s", version=2, version_time=early - timedelta(hours=1)),
    ]
    ordered = order_versions(items)
    assert [(i.version, i.version_time) for i in ordered] == [
        (1, early + timedelta(hours=2)),
        (2, early - timedelta(hours=1)),
        (2, early),
    ]
    assert version_key(ordered[0]) < version_key(ordered[1])


def test_versions_order_by_time_when_some_have_no_number() -> None:
    early = datetime(2026, 2, 20, 9, tzinfo=UTC)
    corrective = item(story_id="s", version=None, version_time=early + timedelta(hours=6))
    lead = item(story_id="s", version=3, version_time=early + timedelta(hours=5))
    first = item(story_id="s", version=1, version_time=early)
    assert order_versions([corrective, lead, first]) == [first, lead, corrective]


def test_different_providers_with_the_same_id_are_different_stories() -> None:
    stories = stories_by_metadata(
        [item(provider="AP", story_id="123"), item(provider="AFP", story_id="123")]
    )
    assert sorted(stories) == ["afp|123", "ap|123"]
