"""CSV dumps: one article per row, columns found by name or named by a field map."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reader.ingest.article import ParagraphKind
from reader.ingest.formats import ReadResult, read_items

FIXTURES = Path(__file__).parent / "fixtures" / "formats" / "csv"


def read(name: str, field_map: dict[str, str] | None = None) -> ReadResult:
    return read_items((FIXTURES / name).read_bytes(), name, field_map)


def test_each_row_is_an_article_with_columns_found_by_their_names() -> None:
    result = read("newsroom-dump.csv")
    assert result.format == "csv"
    fed, snow = result.items
    assert fed.headline == "Fed holds rates steady, still sees two cuts in 2026"
    assert fed.story_id == "rt-20260318-fed-1"
    assert fed.provider == "Reuters"
    assert fed.byline == "Howard Schneider"
    assert fed.url == "https://www.reuters.example/markets/us/fed-holds-rates-2026-03-18/"
    assert fed.version_time == datetime(2026, 3, 18, 18, 2, 11, tzinfo=UTC)
    assert [p.kind for p in fed.paragraphs][-1] is ParagraphKind.TRAILER
    assert snow.version_time == datetime(2026, 3, 2, 11, 20, tzinfo=UTC)


def test_multiline_cells_become_paragraphs() -> None:
    snow = read("newsroom-dump.csv").items[1]
    assert [p.text for p in snow.paragraphs] == [
        "Hundreds of schools have been closed across Scotland after heavy overnight snow.",
        "The Met Office has issued an amber warning for snow and ice covering the Highlands, "
        "Grampian and Tayside until 18:00.",
        "Traffic Scotland said the A9 was closed between Dalwhinnie and Drumochter.",
    ]
    assert [item.record for item in read("newsroom-dump.csv").items] == [0, 1]


def test_row_without_text_is_skipped_with_a_reason() -> None:
    (problem,) = read("newsroom-dump.csv").problems
    assert problem.record == 2
    assert problem.message == "row 3: no text in column 'text'"


def test_ragged_rows_are_read_as_far_as_they_go_and_reported() -> None:
    result = read("ragged-rows-cp1252.csv")
    assert [p.message for p in result.problems] == [
        "row 2 (line 3) has 3 fields, the header 4: read as far as it goes",
        "row 3 (line 4) has 6 fields, the header 4: read as far as it goes",
    ]
    first, second, third = result.items
    assert first.headline == "Streik an Finnlands Häfen"
    assert first.paragraphs[0].text.startswith("Die Arbeit in Finnlands wichtigsten Häfen ruhte")
    assert second.paragraphs[0].text == "Der Streik ging am Dienstag weiter"
    assert second.version_time is None
    assert third.version_time == datetime(2026, 3, 4, tzinfo=UTC)
    assert "not valid UTF-8; decoded as cp1252" in first.notes


def test_unknown_columns_need_a_field_map_and_say_so() -> None:
    result = read("custom-columns.tsv")
    assert result.items == []
    assert "name it with --field body=COLUMN" in result.problems[0].message
    assert "'story_text'" in result.problems[0].message


def test_field_map_names_the_body_column_and_the_rest_is_still_found() -> None:
    result = read(
        "custom-columns.tsv", {"body": "story_text", "id": "story_no", "date": "pub_time"}
    )
    assert result.problems == []
    dover, eurotunnel = result.items
    assert dover.headline == "Storm closes Dover port for second day"
    assert dover.story_id == "2026-0412"
    assert dover.provider == "AP"
    assert dover.version_time == datetime(2026, 2, 10, 8, 15, tzinfo=UTC)
    assert eurotunnel.provider == "PA Media"


def test_field_map_with_an_unknown_field_or_a_missing_column_is_a_problem() -> None:
    unknown = read("custom-columns.tsv", {"bodytext": "story_text"})
    assert unknown.items == [] and "unknown field 'bodytext'" in unknown.problems[0].message
    missing = read("custom-columns.tsv", {"body": "no_such_column"})
    assert missing.items == [] and "no_such_column" in missing.problems[0].message


def test_an_unterminated_quote_reads_what_it_can_and_never_raises() -> None:
    data = b'title,text\r\nA headline,"A body that never closes its quote\r\nand runs on\r\n'
    result = read_items(data, "broken.csv")
    assert [item.paragraphs[0].text for item in result.items] == [
        "A body that never closes its quote"
    ]
