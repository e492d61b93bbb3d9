"""Web archives: every HTML response is an article with its URL and capture time."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from reader.ingest.formats import NewsItem, ReadResult, iter_items, read_items

FIXTURES = Path(__file__).parent / "fixtures" / "formats" / "warc"
FERRY_URL = (
    "https://www.channelcoastherald.example/news/2026/feb/09/"
    "ferry-operator-suspends-dover-crossings-storm-ciara"
)


def read(name: str) -> ReadResult:
    return read_items((FIXTURES / name).read_bytes(), name)


def test_each_html_response_is_an_article_with_url_and_capture_time() -> None:
    result = read("news-crawl-sample.warc.gz")
    assert result.format == "warc"
    ferry, ice = result.items
    assert ferry.headline == "Ferry operator suspends Dover crossings as storm Ciara hits"
    assert ferry.url == FERRY_URL
    assert ferry.captured == datetime(2026, 2, 9, 12, 30, 5, tzinfo=UTC)
    assert ferry.version_time == datetime(2026, 2, 9, 7, 42, tzinfo=UTC)
    assert ice.headline == "Ice storm in Georgia blamed for 1 death; 340,000 lose power"
    assert ice.paragraphs[1].text == (
        "The Cobb County medical examiner identified the driver as 58-year-old Ronald Pike of "
        "Marietta."
    )


def test_records_are_located_by_index_and_byte_offset() -> None:
    data = (FIXTURES / "news-crawl-sample.warc.gz").read_bytes()
    result = read_items(data, "news-crawl-sample.warc.gz")
    assert [(item.record, item.offset) for item in result.items] == [(2, 661), (8, 4489)]
    again = read_items(data[4489:], "tail.warc.gz")
    assert again.items[0].headline == result.items[1].headline


def test_images_redirects_and_pages_without_text_are_reported_not_listed() -> None:
    problems = read("news-crawl-sample.warc.gz").problems
    messages = [problem.message for problem in problems]
    assert "no main text found in the HTML page (only 9 words)" in messages
    assert "2 responses were not HTML pages (1 image/jpeg, 1 HTTP 301): skipped" in messages


def test_uncompressed_warc_is_read_too() -> None:
    result = read("two-pages-uncompressed.warc")
    assert [item.record for item in result.items] == [2, 4]
    assert result.problems == []


def test_truncated_record_is_read_as_far_as_it_goes_and_reported() -> None:
    result = read("truncated-crawl.warc.gz")
    _ferry, ice = result.items
    assert ice.paragraphs[0].text.startswith("ATLANTA (AP) — A man was killed")
    assert ice.paragraphs[-1].text.startswith("Georgia Power said some customers")
    (problem,) = [p for p in result.problems if p.record == 8]
    assert "truncated: the archive ends 598 bytes before the record does" in problem.message
    assert any("read as far as it goes" in note for note in ice.notes)


def test_garbage_after_the_records_stops_reading_with_a_problem() -> None:
    data = (FIXTURES / "two-pages-uncompressed.warc").read_bytes() + b"this is not a record\r\n"
    result = read_items(data, "crawl.warc")
    assert len(result.items) == 2
    assert any("archive damaged after record" in p.message for p in result.problems)


def test_streaming_yields_items_one_by_one() -> None:
    stream = io.BytesIO((FIXTURES / "news-crawl-sample.warc.gz").read_bytes())
    events = iter_items(stream, "crawl.warc.gz")
    first = next(events)
    assert isinstance(first, NewsItem) and first.url == FERRY_URL


def test_a_file_named_warc_that_is_not_one_is_not_an_article() -> None:
    result = read_items(b"just some notes about web archives\n", "notes.warc")
    assert result.format == "not an article"
    assert result.problems[0].message == "named warc but not in that format"


def test_arc_file_gives_the_captured_url_and_archive_date() -> None:
    result = read("old-crawl.arc")
    assert result.format == "warc" and result.problems == []
    (item,) = result.items
    assert item.url == "http://example.com/ferry"
    assert item.captured == datetime(2026, 2, 9, 12, 30, 5, tzinfo=UTC)
    assert f"canonical URL {FERRY_URL}" in item.notes
    assert item.headline == "Ferry operator suspends Dover crossings as storm Ciara hits"
