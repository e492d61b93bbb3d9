"""The sniffer: content first, the file name only where the content cannot tell."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from reader.ingest.formats import read_items, sniff_format

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("nitf/ap-wildfire-v1.xml", "nitf"),
        ("newsml-g2/reuters-fed-v1.xml", "newsml-g2"),
        ("newsml-g2/afp-message-mixed.xml", "newsml-g2"),
        ("newsml1/afp-quake-r1.xml", "newsml1"),
        ("ninjs/ap-senate-aid-v0.json", "ninjs"),
        ("ninjs/feed-mixed.json", "ninjs"),
        ("anpa/ap-winter-weather-1.tst", "anpa"),
        ("anpa/ap-feed-corrective-and-sports", "anpa"),
        ("anpa/dpa-ifo-7901.txt", "anpa"),
        ("html/guardian-style-ferry.html", "html"),
        ("warc/news-crawl-sample.warc.gz", "warc"),
        ("warc/two-pages-uncompressed.warc", "warc"),
        ("warc/old-crawl.arc", "warc"),
        ("csv/newsroom-dump.csv", "csv"),
        ("jsonl/crawl-dump.jsonl", "jsonl"),
    ],
)
def test_fixture_is_sniffed_as_its_format(path: str, expected: str) -> None:
    assert sniff_format((FIXTURES / path).read_bytes(), Path(path).name).format == expected


@pytest.mark.parametrize(
    ("source", "disguise"),
    [
        ("nitf/ap-wildfire-v2.xml", "story.txt"),
        ("newsml-g2/reuters-fed-v2.xml", "L8N3EK0AB"),
        ("ninjs/ap-senate-aid-v1.json", "item.dat"),
        ("html/guardian-style-ferry.html", "page.txt"),
    ],
)
def test_content_wins_over_a_misleading_or_missing_extension(source: str, disguise: str) -> None:
    data = (FIXTURES / source).read_bytes()
    assert sniff_format(data, disguise).format == sniff_format(data, Path(source).name).format


def test_xml_renamed_txt_is_read_as_xml_not_as_tags() -> None:
    data = (FIXTURES / "nitf/ap-wildfire-v1.xml").read_bytes()
    result = read_items(data, "0412.txt")
    assert result.format == "nitf"
    assert result.items[0].headline == "Wind-driven wildfire forces evacuations west of Boulder"


def test_plain_wire_text_is_left_to_the_text_reader() -> None:
    sample = Path(__file__).parent.parent / "reader" / "sample" / "000_92d068e9d1995ac3.txt"
    result = read_items(sample.read_bytes(), sample.name)
    assert result.format == "text" and result.items == [] and result.problems == []


def test_unframed_anpa_without_extension_is_recognised_by_its_header_lines() -> None:
    data = (
        b"^BC-US--Winter-Weather<\r\n^Ice storm knocks out power<\r\n^By JEFF AMY=\r\n"
        b"\tATLANTA (AP) _ An ice storm coated trees.\r\n"
    )
    assert sniff_format(data, "a0412").format == "anpa"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "binary file (a PNG image)"),
        (b"%PDF-1.7\n", "binary file (a PDF document)"),
        (gzip.compress(b"just text", mtime=0), "a gzip file that is not a web archive"),
        (b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "a news feed (<rss>)"),
    ],
)
def test_what_is_not_an_article_says_why(data: bytes, reason: str) -> None:
    sniffed = sniff_format(data, "file")
    assert sniffed.format == "not an article"
    assert sniffed.reason is not None and sniffed.reason.startswith(reason)


def test_extension_decides_only_when_the_content_cannot() -> None:
    assert sniff_format(b"a,b\n1,2\n", "numbers.csv").format == "csv"
    assert sniff_format(b"a,b\n1,2\n", "numbers.txt").format == "text"
    assert sniff_format(b"title,text,date\nA,B,C\n", "dump").format == "csv"


def test_prose_opening_with_a_bracket_is_text_not_json() -> None:
    assert sniff_format(b"[UPDATE] Fed holds rates steady\n\nBody.", "a.txt").format == "text"
    assert sniff_format(b"{Editors: fixes typo} Fed holds rates", "a.txt").format == "text"
    assert sniff_format(b'{"uri": "x"}', "a.txt").format == "ninjs"
    assert sniff_format(b'[{"uri": "x"}]', "feed").format == "ninjs"
