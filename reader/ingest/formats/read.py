"""One entry point: sniff a file's format and read every article in it, never raising."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from reader.ingest.formats.model import NewsItem, Problem, ReadResult
from reader.ingest.formats.sniff import NOT_AN_ARTICLE, SNIFF_BYTES, TEXT, sniff_format

Event = NewsItem | Problem


def read_items(data: bytes, name: str, field_map: Mapping[str, str] | None = None) -> ReadResult:
    """Every article in the file's bytes, and every problem met, in file order.

    `name` is the file's name (its extension helps when the content cannot tell); `field_map`
    maps our field names (`headline`, `body`, `date`, `url`, `source`, `id`, …) to the columns
    or keys of a CSV/JSONL dump. Plain text gives format `text` and no items: the existing
    text reader reads it. Never raises on malformed input: the problems say what went wrong.
    """
    sniffed = sniff_format(data[:SNIFF_BYTES], name)
    result = ReadResult(format=sniffed.format)
    if sniffed.format == NOT_AN_ARTICLE:
        result.problems.append(Problem(sniffed.reason or NOT_AN_ARTICLE))
        return result
    for event in _events(sniffed.format, io.BytesIO(data), field_map):
        if isinstance(event, NewsItem):
            result.items.append(event)
        else:
            result.problems.append(event)
    return result


def iter_items(
    stream: BinaryIO, name: str, field_map: Mapping[str, str] | None = None
) -> Iterator[Event]:
    """Items and problems one at a time from a seekable stream: a big WARC, CSV or JSONL file
    is read record by record instead of being held whole in memory."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    sniffed = sniff_format(head, name)
    if sniffed.format == NOT_AN_ARTICLE:
        yield Problem(sniffed.reason or NOT_AN_ARTICLE)
        return
    yield from _events(sniffed.format, stream, field_map)


def _events(
    format_name: str, stream: BinaryIO, field_map: Mapping[str, str] | None
) -> Iterator[Event]:
    try:
        yield from _dispatch(format_name, stream, field_map)
    except (MemoryError, RecursionError) as error:  # a hostile file may still exhaust us
        yield Problem(f"gave up reading: {type(error).__name__}")


def _dispatch(
    format_name: str, stream: BinaryIO, field_map: Mapping[str, str] | None
) -> Iterator[Event]:
    # Readers are imported on demand: HTML extraction pulls in a large library.
    if format_name == TEXT:
        return
    if format_name == "nitf":
        from reader.ingest.formats.nitf import read_nitf

        yield from read_nitf(stream.read())
    elif format_name == "newsml-g2":
        from reader.ingest.formats.newsml_g2 import read_newsml_g2

        yield from read_newsml_g2(stream.read())
    elif format_name == "newsml1":
        from reader.ingest.formats.newsml1 import read_newsml1

        yield from read_newsml1(stream.read())
    elif format_name == "ninjs":
        from reader.ingest.formats.ninjs import read_ninjs

        yield from read_ninjs(stream.read())
    elif format_name == "anpa":
        from reader.ingest.formats.anpa import read_anpa

        yield from read_anpa(stream.read())
    elif format_name == "html":
        from reader.ingest.formats.html_page import read_html_page

        yield from read_html_page(stream.read())
    elif format_name == "warc":
        from reader.ingest.formats.warc import read_warc

        yield from read_warc(stream)
    elif format_name == "csv":
        from reader.ingest.formats.tabular import read_csv

        yield from read_csv(stream, field_map)
    elif format_name == "jsonl":
        from reader.ingest.formats.tabular import read_jsonl

        yield from read_jsonl(stream, field_map)
    else:
        yield Problem(f"no reader for format {format_name!r}")
