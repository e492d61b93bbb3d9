"""The reader's date says where it comes from: the article's own, or the file's."""

from __future__ import annotations

from pathlib import Path

from reader.ingest.article import Article, parse_article_text
from reader.present.article import article_date, article_metadata


def article_of(text: str, mtime: float = 1_770_888_600) -> Article:
    return Article(
        id="x",
        path=Path("x.txt"),
        name="x.txt",
        parsed=parse_article_text(text),
        size=len(text),
        mtime=mtime,
        encoding="utf-8",
    )


def test_an_article_with_a_date_in_its_text_shows_that_date() -> None:
    article = article_of("OIL PRICES RISE\n\nMarch 2, 1987, 14:05 - Oil prices rose on Monday.\n")
    assert article_date(article) == "dated 1987-03-02 14:05"


def test_a_date_without_a_time_shows_only_the_day() -> None:
    article = article_of("OIL PRICES RISE\n\nOil prices rose on March 2, 1987, traders said.\n")
    assert article_date(article) == "dated 1987-03-02"


def test_without_a_date_of_its_own_the_file_time_is_labelled_as_such() -> None:
    article = article_of("OIL PRICES RISE\n\nOil prices rose on Monday, traders said.\n")
    assert article_date(article) == "file modified 2026-02-12 09:30"
    assert "file modified 2026-02-12 09:30" in article_metadata(article).plain
