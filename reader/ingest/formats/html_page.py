"""A saved news page: main text and metadata by trafilatura, without the page's furniture.

trafilatura finds the article body (navigation, cookie banners, captions, share buttons,
newsletter boxes and "related" lists left out) and reads title, author, canonical URL, site
name and publication time from `<meta>` tags, JSON-LD and the page. It never fetches anything.
A page whose main text is a few words of widgets is not an article.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from reader.ingest.article import count_words
from reader.ingest.formats.model import NewsItem, Problem, paragraphs_from_blocks, split_headline
from reader.ingest.formats.values import one_line, optional_line, parse_time

FORMAT = "html"
#: Fewer words than this in the main text, and no sentence among them: page furniture only.
MIN_WORDS = 25
_LANG_RE = re.compile(rb"<html[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", re.I)
_SENTENCE_END = (".", "!", "?", "”", '"', "’", "'")


def read_html_page(data: bytes) -> Iterator[NewsItem | Problem]:
    """The article of one HTML page, or why there is none."""
    yield html_item(data)


def html_item(
    data: bytes,
    *,
    url: str | None = None,
    captured: datetime | None = None,
    record: int = 0,
    offset: int | None = None,
    fmt: str = FORMAT,
) -> NewsItem | Problem:
    """One page's article; `url` and `captured` come from a web archive's record, if any."""
    document = _extract(data, url)
    if document is None:
        return Problem("no main text found in the HTML page", record)
    lines = [one_line(line) for line in str(document.get("text") or "").split("\n")]
    lines = [line for line in lines if line]
    headline, markers = split_headline(one_line(document.get("title")))
    if lines and headline and lines[0].casefold() == headline.casefold():
        lines.pop(0)  # the page's own <h1>, already the headline
    words = sum(count_words(line) for line in lines)
    if words < MIN_WORDS and not any(line.endswith(_SENTENCE_END) for line in lines):
        return Problem(f"no main text found in the HTML page (only {words} words)", record)
    notes = [f"captured {captured.isoformat()}"] if captured else []
    canonical = optional_line(document.get("url"))
    if url and canonical and canonical != url:
        notes.append(f"canonical URL {canonical}")
    return NewsItem(
        format=fmt,
        headline=headline,
        paragraphs=paragraphs_from_blocks(headline, [(line, None) for line in lines]),
        byline=_byline(document.get("author")),
        provider=optional_line(document.get("sitename")) or optional_line(document.get("hostname")),
        version_time=parse_time(document.get("date")),
        version_markers=tuple(markers),
        url=url or canonical,  # an archive's record URL is where the page was captured
        language=optional_line(document.get("language")) or _html_lang(data),
        captured=captured,
        record=record,
        offset=offset,
        notes=tuple(notes),
    )


def _extract(data: bytes, url: str | None) -> dict[str, Any] | None:
    import trafilatura  # heavy: imported only when a page is read

    try:
        document = trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
            },
        )
    except (ValueError, TypeError, LookupError, RecursionError):
        # trafilatura on broken bytes (bad encodings, odd trees): no text, not a crash
        return None
    if document is None:
        return None
    found = document if isinstance(document, dict) else document.as_dict()
    return found if isinstance(found, dict) else None


def _byline(author: object) -> str | None:
    text = optional_line(author if isinstance(author, str) else None)
    if text is None:
        return None
    names = [name.strip() for name in text.split(";") if name.strip()]
    joined = " and ".join(names)
    return joined if joined.lower().startswith("by ") else f"By {joined}"


def _html_lang(data: bytes) -> str | None:
    match = _LANG_RE.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


# trafilatura and htmldate log parsing trouble as warnings; in a terminal app those would be
# written over the screen. Problems are reported through the ReadResult instead.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)
