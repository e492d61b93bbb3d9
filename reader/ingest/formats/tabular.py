"""CSV and JSONL dumps: one article per row or record, columns found by their usual names.

Columns are matched by common names (title/headline, text/body/content, date/published, url,
source/outlet, id/guid, author/byline, …); a `field_map` such as `{"body": "story_text"}` names
them where the dump uses its own. Both formats are read a row at a time. A ragged row is read
as far as it goes and reported; a row without text is skipped and reported; a JSONL record
that is ninjs is read as ninjs.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, BinaryIO

from reader.ingest.formats.markup import body_blocks, parse_html_fragment
from reader.ingest.formats.model import NewsItem, Problem, paragraphs_from_blocks, split_headline
from reader.ingest.formats.ninjs import looks_like_ninjs, ninjs_item
from reader.ingest.formats.values import one_line, optional_line, parse_int, parse_time

#: Our field names, each with the column names that usually hold it, best first.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "headline": ("headline", "title", "hed", "heading", "head", "titel", "titre", "titulo"),
    "subheadline": ("subheadline", "subtitle", "sub_headline", "dek", "standfirst"),
    "body": (
        "body", "text", "content", "full_text", "fulltext", "article", "article_text",
        "maintext", "main_text", "body_text", "story", "body_html", "content_html", "html",
        "paragraphs", "texte", "texto",
    ),
    "date": (
        "date", "published", "published_at", "publish_date", "publication_date",
        "date_published", "pubdate", "versioncreated", "datetime", "timestamp", "created_at",
        "date_publish", "time", "datum", "fecha",
    ),
    "url": ("url", "link", "canonical_url", "article_url", "source_url", "href"),
    "source": (
        "source", "outlet", "publisher", "provider", "source_name", "site", "sitename",
        "publication", "domain",
    ),
    "id": ("id", "guid", "uuid", "uri", "article_id", "doc_id", "story_id", "item_id"),
    "byline": ("byline", "author", "authors", "by", "writer"),
    "language": ("language", "lang"),
    "version": ("version", "revision"),
    "slugline": ("slugline", "slug", "keyword"),
}  # fmt: skip
#: Other names people give our fields in `--field name=column`.
_FIELD_ALIASES = {
    "title": "headline", "text": "body", "content": "body", "published": "date",
    "outlet": "source", "provider": "source", "guid": "id", "author": "byline",
    "link": "url", "lang": "language", "slug": "slugline",
}  # fmt: skip
_SNIFF_CHARS = 32 * 1024
#: A record with one of these and a ninjs identity is ninjs, not a dump's row.
_NINJS_BODIES = frozenset({"body_html", "body_text", "bodies"})
#: CSV cells holding whole articles exceed the csv module's 128 KiB default.
MAX_FIELD_CHARS = 16 * 1024 * 1024
#: Give up on a file after this many rows in a row that csv cannot parse.
MAX_BAD_ROWS_IN_A_ROW = 50

Columns = dict[str, str]


class FieldMapError(ValueError):
    """A `field_map` names a field we do not know."""


def resolve_columns(names: list[str], field_map: Mapping[str, str] | None) -> Columns:
    """Our field -> the column that holds it, by the map first, then by the usual names."""
    by_normal = {_normal(name): name for name in reversed(names)}
    columns: Columns = {}
    for field, column in (field_map or {}).items():
        ours = _FIELD_ALIASES.get(field.strip().lower(), field.strip().lower())
        if ours not in FIELD_NAMES:
            known = ", ".join(FIELD_NAMES)
            raise FieldMapError(f"unknown field {field!r} in the field map (known: {known})")
        columns[ours] = column
    for field, candidates in FIELD_NAMES.items():
        if field in columns:
            continue
        found = next((by_normal[c] for c in candidates if c in by_normal), None)
        if found is not None:
            columns[field] = found
    return columns


def read_csv(stream: BinaryIO, field_map: Mapping[str, str] | None) -> Iterator[NewsItem | Problem]:
    """One article per data row of a CSV (or TSV) file with a header row."""
    text_stream, encoding_note = _text_stream(stream)
    try:
        yield from _read_rows(text_stream, encoding_note, field_map)
    finally:
        text_stream.detach()  # the caller's stream stays open: it is theirs to close


def _read_rows(
    text_stream: io.TextIOWrapper, encoding_note: str | None, field_map: Mapping[str, str] | None
) -> Iterator[NewsItem | Problem]:
    sample = text_stream.read(_SNIFF_CHARS)
    text_stream.seek(0)
    csv.field_size_limit(MAX_FIELD_CHARS)
    rows = csv.reader(text_stream, dialect=_dialect(sample))
    try:
        header = next(rows)
    except (StopIteration, csv.Error) as error:
        yield Problem(f"no header row: {error}" if str(error) else "empty CSV file")
        return
    try:
        columns = resolve_columns(header, field_map)
    except FieldMapError as error:
        yield Problem(str(error))
        return
    if "body" not in columns:
        yield Problem(_no_body_column(header, field_map))
        return
    missing = [c for c in (field_map or {}).values() if c not in header]
    if missing:
        yield Problem(f"the field map names columns the file does not have: {', '.join(missing)}")
        return
    positions = {field: header.index(column) for field, column in columns.items()}
    notes = (encoding_note,) if encoding_note else ()
    record = -1
    bad_in_a_row = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            bad_in_a_row += 1
            yield Problem(f"line {rows.line_num}: {error}", record + 1)
            if bad_in_a_row >= MAX_BAD_ROWS_IN_A_ROW:
                yield Problem(f"stopped after {bad_in_a_row} unreadable rows in a row")
                return
            continue
        bad_in_a_row = 0
        if not any(cell.strip() for cell in row):
            continue
        record += 1
        if len(row) != len(header):
            yield Problem(
                f"row {record + 1} (line {rows.line_num}) has {len(row)} fields, the header "
                f"{len(header)}: read as far as it goes",
                record,
            )
        values = {f: row[i] for f, i in positions.items() if i < len(row)}
        yield _row_item("csv", values, columns, record, None, notes, f"row {record + 1}")


def read_jsonl(
    stream: BinaryIO, field_map: Mapping[str, str] | None
) -> Iterator[NewsItem | Problem]:
    """One article per line of JSON Lines: dump records by column names, ninjs as ninjs."""
    cache: dict[tuple[str, ...], Columns] = {}
    without_body = 0
    offset = 0
    record = -1
    for number, line in enumerate(stream, start=1):
        start, offset = offset, offset + len(line)
        if not line.strip():
            continue
        record += 1
        try:
            value = json.loads(line.strip())
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            yield Problem(f"line {number}: not JSON ({_json_error(error)})", record)
            continue
        except RecursionError:
            yield Problem(f"line {number}: JSON nested too deeply", record)
            continue
        if not isinstance(value, dict):
            yield Problem(f"line {number}: a JSON {type(value).__name__}, not an object", record)
            continue
        if not field_map and looks_like_ninjs(value) and _NINJS_BODIES & value.keys():
            yield ninjs_item(value, record, start)
            continue
        keys = tuple(value)
        columns = cache.get(keys)
        if columns is None:
            try:
                columns = cache[keys] = resolve_columns(list(keys), field_map)
            except FieldMapError as error:
                yield Problem(str(error))
                return
            if "body" not in columns:  # said once for each set of keys, then counted
                yield Problem(f"line {number}: {_no_body_column(list(keys), field_map)}", record)
                continue
        if "body" not in columns:
            without_body += 1
            continue
        values = {
            field: _flatten(value.get(column), "\n\n" if field == "body" else ", ")
            for field, column in columns.items()
        }
        yield _row_item("jsonl", values, columns, record, start, (), f"line {number}")
    if without_body:
        yield Problem(f"{without_body} more records without a text field: skipped")


def _row_item(
    fmt: str,
    values: dict[str, str],
    columns: Columns,
    record: int,
    offset: int | None,
    notes: tuple[str, ...],
    where: str,
) -> NewsItem | Problem:
    body = values.get("body", "")
    is_html = "html" in columns["body"].lower() or body.lstrip().startswith("<")
    blocks = _html_blocks(body) if is_html else _text_blocks(body)
    if not blocks:
        return Problem(f"{where}: no text in column {columns['body']!r}", record)
    headline, markers = split_headline(one_line(values.get("headline")))
    return NewsItem(
        format=fmt,
        headline=headline,
        paragraphs=paragraphs_from_blocks(headline, blocks),
        subheadline=optional_line(values.get("subheadline")),
        byline=optional_line(values.get("byline")),
        provider=optional_line(values.get("source")),
        story_id=optional_line(values.get("id")),
        version=parse_int(values.get("version")),
        version_time=_time(values.get("date")),
        slugline=optional_line(values.get("slugline")),
        version_markers=tuple(markers),
        url=optional_line(values.get("url")),
        language=optional_line(values.get("language")),
        record=record,
        offset=offset,
        notes=notes,
    )


def _text_blocks(text: str) -> list[tuple[str, None]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [(line, None) for line in (one_line(part) for part in parts) if line]


def _html_blocks(html: str) -> list[tuple[str, Any]]:
    body = parse_html_fragment(html)
    return list(body_blocks(body)) if body is not None else []


def _time(value: str | None) -> datetime | None:
    text = one_line(value)
    if re.fullmatch(r"\d{9,13}(?:\.\d+)?", text):  # Unix time, in seconds or milliseconds
        seconds = float(text)
        seconds = seconds / 1000 if seconds > 1e11 else seconds
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_time(text)


def _flatten(value: object, joiner: str = ", ") -> str:
    """A JSON value as text: lists joined by `joiner`, objects by their name or title."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        parts = [_flatten(part, joiner) for part in value]
        return joiner.join(part for part in parts if part)
    if isinstance(value, dict):
        return _flatten(value.get("name") or value.get("title") or value.get("value"))
    return ""


def _normal(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def _no_body_column(names: list[str], field_map: Mapping[str, str] | None) -> str:
    shown = ", ".join(repr(n) for n in names[:12]) + (", …" if len(names) > 12 else "")
    if field_map and "body" in field_map:
        return f"no column {field_map['body']!r} (columns: {shown})"
    return (
        f"no text column: none of the columns ({shown}) is named like text, body or content; "
        "name it with --field body=COLUMN"
    )


def _text_stream(stream: BinaryIO) -> tuple[io.TextIOWrapper, str | None]:
    """The bytes as text: UTF-8 (BOM or not) when the head decodes so, else cp1252."""
    head = stream.read(_SNIFF_CHARS)
    stream.seek(0)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        encoding, note = "utf-8-sig", None
    except UnicodeDecodeError:
        encoding, note = "cp1252", "not valid UTF-8; decoded as cp1252"
    wrapper = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    return wrapper, note


class _Dialect(csv.excel):
    """Excel's CSV rules with the delimiter the header row uses."""


def _dialect(sample: str) -> type[csv.Dialect]:
    """The delimiter that splits the header row most (csv.Sniffer is misled by article text)."""
    header = sample.split("\n", 1)[0]
    delimiter = max(",;\t|", key=header.count)
    return type("HeaderDialect", (_Dialect,), {"delimiter": delimiter})


def _json_error(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg}, column {error.colno}"
    return "not UTF-8"
