"""Saved news pages: the main text and the page's metadata, without the page's furniture."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reader.ingest.article import ParagraphKind
from reader.ingest.formats import ReadResult, read_items, to_parsed_text

FIXTURES = Path(__file__).parent / "fixtures" / "formats" / "html"


def read(name: str) -> ReadResult:
    return read_items((FIXTURES / name).read_bytes(), name)


def body(result: ReadResult) -> str:
    return " ".join(p.text for item in result.items for p in item.paragraphs)


def test_page_gives_headline_byline_site_canonical_url_and_time() -> None:
    result = read("guardian-style-ferry.html")
    assert result.format == "html" and result.problems == []
    (item,) = result.items
    assert item.headline == "Ferry operator suspends Dover crossings as storm Ciara hits"
    assert item.byline == "By Priya Natarajan"
    assert item.provider == "Channel Coast Herald"
    assert item.url == (
        "https://www.channelcoastherald.example/news/2026/feb/09/"
        "ferry-operator-suspends-dover-crossings-storm-ciara"
    )
    assert item.version_time == datetime(2026, 2, 9, 7, 42, tzinfo=UTC)
    assert item.language == "en-GB"


def test_page_body_is_the_article_paragraphs_in_order() -> None:
    (item,) = read("guardian-style-ferry.html").items
    texts = [p.text for p in item.paragraphs]
    assert texts[0].startswith("P&O Ferries suspended all sailings between Dover and Calais")
    assert texts[-1].startswith("DFDS, which also operates Dover–Dunkirk sailings")
    assert len(texts) == 5


def test_navigation_cookies_captions_newsletter_and_related_links_stay_out() -> None:
    text = body(read("guardian-style-ferry.html"))
    for furniture in (
        "cookies",
        "Accept all",
        "Sport",
        "Dover 7°C",
        "Photograph: Gareth Fuller",
        "Sign up for our newsletter",
        "Share on Facebook",
        "Related stories",
        "Eurotunnel warns",
        "Privacy policy",
    ):
        assert furniture not in text, furniture


def test_windows_1252_page_with_ads_and_most_read_list() -> None:
    result = read("regional-ap-ice-storm-cp1252.html")
    (item,) = result.items
    assert item.headline == "Ice storm in Georgia blamed for 1 death; 340,000 lose power"
    assert item.byline == "By JEFF AMY Associated Press"
    assert item.version_time == datetime(2026, 2, 20, 15, 5, tzinfo=UTC)
    texts = [p.text for p in item.paragraphs]
    assert texts[0].startswith("ATLANTA (AP) — A man was killed when a tree fell on his car")
    assert texts[2].startswith("“Stay off the roads unless you absolutely have to travel,”")
    assert item.paragraphs[-1].kind is ParagraphKind.TRAILER
    text = body(result)
    assert "Advertisement" not in text and "Most Read" not in text and "Council" not in text


def test_page_headline_is_not_repeated_as_the_first_paragraph() -> None:
    (item,) = read("regional-ap-ice-storm-cp1252.html").items
    assert item.paragraphs[0].text != item.headline


def test_page_of_widgets_without_main_text_is_not_an_article() -> None:
    result = read("live-blog-no-text.html")
    assert result.items == []
    assert result.problems[0].message.startswith("no main text found in the HTML page")


def test_page_converts_to_parsed_text_with_its_ap_dateline() -> None:
    (item,) = read("regional-ap-ice-storm-cp1252.html").items
    parsed = to_parsed_text(item)
    assert parsed.dateline is not None and parsed.dateline.place == "ATLANTA"
    assert parsed.paragraphs[0].kind is ParagraphKind.BYLINE
    assert parsed.filed == datetime(2026, 2, 20, 15, 5)


def test_html_that_is_not_a_page_at_all_is_a_problem_not_a_crash() -> None:
    for data in (b"<html>", b"<html><body>\xff\xfe\x00garbage</body></html>", b"<!DOCTYPE html>"):
        result = read_items(data, "broken.html")
        assert result.items == []
        assert result.problems
