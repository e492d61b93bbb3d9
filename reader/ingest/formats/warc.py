"""WARC and ARC web archives (warcio, streaming): each HTML response record is an article.

Records are read one at a time, so an archive of any size is never held whole. The page's
URL is the record's `WARC-Target-URI`, its capture time the `WARC-Date`; the text and the
page's own metadata come from the HTML reader. Requests, metadata and warcinfo records are
not articles; responses that are not HTML (images, robots.txt, redirects) are counted and
reported once. A damaged or truncated record is read as far as it goes, and reported.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, BinaryIO

from reader.ingest.formats.html_page import html_item
from reader.ingest.formats.model import NewsItem, Problem
from reader.ingest.formats.values import parse_time

FORMAT = "warc"
#: A page larger than this is read up to this size (HTML of a news page is far smaller).
MAX_RECORD_BYTES = 8 * 1024 * 1024
_CHUNK = 64 * 1024
_PAGE_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: BinaryIO) -> Iterator[NewsItem | Problem]:
    """Every HTML page captured in the archive, in archive order."""
    from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
    from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]

    skipped: Counter[str] = Counter()
    records = ArchiveIterator(stream)
    record_number = -1
    try:
        for record_number, record in enumerate(records):
            yield from _read_record(record, record_number, records, skipped)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as error:
        yield Problem(
            f"archive damaged after record {record_number}: {_describe(error)}; stopped there",
            record_number + 1,
        )
    if skipped:
        kinds = ", ".join(f"{count} {kind}" for kind, count in skipped.most_common())
        yield Problem(f"{sum(skipped.values())} responses were not HTML pages ({kinds}): skipped")
    if record_number < 0:
        yield Problem("no WARC or ARC records found")


def _read_record(
    record: Any, number: int, records: Any, skipped: Counter[str]
) -> Iterator[NewsItem | Problem]:
    if record.rec_type not in ("response", "resource"):
        return
    content_type, status = _content_type_and_status(record)
    if status is not None and not 200 <= status < 300:
        skipped[f"HTTP {status}"] += 1
        return
    if not content_type.startswith(_PAGE_TYPES):
        skipped[content_type or "no content type"] += 1
        return
    payload, damage = _payload(record)
    # Asked only now: warcio finds the offset by reading the record to its end.
    offset = records.get_record_offset()
    headers = record.rec_headers  # ARC records name the same fields `uri` and `archive-date`
    url = headers.get_header("WARC-Target-URI") or headers.get_header("uri")
    captured = _capture_time(headers.get_header("WARC-Date") or headers.get_header("archive-date"))
    item = html_item(payload, url=url, captured=captured, record=number, offset=offset, fmt=FORMAT)
    if damage is None:
        yield item
        return
    message = f"record {number} ({url}) truncated: {damage}"
    if isinstance(item, NewsItem):
        message += "; read as far as it goes"
        yield replace(item, notes=(*item.notes, message))
    yield Problem(message, number)


def _content_type_and_status(record: Any) -> tuple[str, int | None]:
    headers = record.http_headers
    if headers is not None:
        code = headers.get_statuscode()
        status = int(code) if code and code.isdigit() else None
        value = headers.get_header("Content-Type") or ""
    else:
        status = None
        value = record.rec_headers.get_header("Content-Type") or ""
    return value.split(";", 1)[0].strip().lower(), status


def _payload(record: Any) -> tuple[bytes, str | None]:
    """The record's body (de-chunked, decompressed) up to MAX_RECORD_BYTES, and any damage."""
    parts: list[bytes] = []
    size = 0
    stream = record.content_stream()
    try:
        while size < MAX_RECORD_BYTES:
            chunk = stream.read(min(_CHUNK, MAX_RECORD_BYTES - size))
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
    except (OSError, EOFError, ValueError, zlib.error) as error:  # a record cut off mid-way
        return b"".join(parts), _describe(error)
    missing = getattr(record.raw_stream, "limit", 0)
    if size < MAX_RECORD_BYTES and isinstance(missing, int) and missing > 0:
        return b"".join(parts), f"the archive ends {missing} bytes before the record does"
    return b"".join(parts), None


def _capture_time(value: str | None) -> datetime | None:
    if value and len(value) == 14 and value.isdigit():  # ARC: 20260220101500
        try:
            return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            return None
    return parse_time(value)


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
