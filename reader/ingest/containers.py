"""Read one file of the corpus in whatever format it is: the articles in it, and its problems.

The format is sniffed from the content first and the name second (`formats.sniff`). Plain
text goes to the text reader (`corpus.read_article`): one file, one article. Everything
else goes to the format readers, and a container (a feed, a web archive, a CSV or JSONL
dump, a newsMessage) yields many articles, each identified by its file and record.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from reader.ingest.article import Article, ArticleMeta
from reader.ingest.corpus import (
    CorpusFile,
    SkippedFile,
    TextRead,
    article_id,
    file_digest,
    open_regular_file,
    read_article,
    read_text,
)
from reader.ingest.decode import NotText
from reader.ingest.formats.model import NewsItem, Problem, naive_utc, to_parsed_text
from reader.ingest.formats.read import iter_items
from reader.ingest.formats.sniff import NOT_AN_ARTICLE, SNIFF_BYTES, TEXT, sniff_format
from reader.ingest.formats.versions import story_key

#: Formats whose files hold many articles by nature: each article is named by its record.
CONTAINER_FORMATS = frozenset({"warc", "csv", "jsonl"})

#: Byte order marks of UTF-32 and UTF-16 text (the sniffer would take their NULs for binary).
_WIDE_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")

#: Formats read whole into memory (XML, JSON, ANPA, HTML), and the most of such a file read:
#: a news item is kilobytes; a larger file is a dump or an attack, not an article.
WHOLE_FILE_FORMATS = frozenset({"nitf", "newsml-g2", "newsml1", "ninjs", "anpa", "html"})
MAX_WHOLE_FILE_BYTES = 64 * 1024 * 1024

#: `--field` settings: our field name (`body`, `headline`, …) -> the dump's column or key.
FieldMap = Mapping[str, str]


@dataclass(slots=True)
class FileRead:
    """What reading one file gave: its articles (with paragraphs) and what went wrong."""

    format: str
    articles: list[Article] = field(default_factory=list)
    #: Records (or the file) that could not be read as articles, with the reason.
    problems: list[SkippedFile] = field(default_factory=list)


def record_id(path: Path, record: int) -> str:
    """A stable id for record `record` of the file at `path` (the file's id plus its record)."""
    key = os.fsencode(os.path.abspath(path)) + b"\x00" + str(record).encode("ascii")
    return hashlib.blake2b(key, digest_size=8).hexdigest()


def record_name(name: str, record: int) -> str:
    """How an article inside a container is shown: `dump.csv#3` (records count from 0)."""
    return f"{name}#{record}"


def read_file(file: CorpusFile, field_map: FieldMap | None = None) -> FileRead:
    """Every article in the file, and every problem met, never raising for bad content.

    Raises OSError when the file cannot be read, and NotText when it holds no article at all
    (binary data, a picture, an empty file, or a format whose every record failed: the
    reasons are in the message).
    """
    result = FileRead(TEXT)
    for found in iter_file(file, field_map):
        if isinstance(found, Article):
            result.articles.append(found)
            if found.meta is not None:
                result.format = found.meta.format
        else:
            result.problems.append(found)
    return result


def iter_file(
    file: CorpusFile, field_map: FieldMap | None = None
) -> Iterator[Article | SkippedFile]:
    """`read_file` one article (or problem) at a time, so that a large web archive or dump
    is never held whole: each record is handed on as soon as it is read.

    Raises OSError or NotText as `read_file` does; NotText for a file whose every record
    failed comes at the end, after the problems.
    """
    with open_regular_file(file.path) as handle:
        head = handle.read(SNIFF_BYTES)
        # a file shorter than the sniffed head (most articles) was read whole: the text
        # reader takes it from here rather than opening the file again
        whole = (head, os.fstat(handle.fileno())) if len(head) < SNIFF_BYTES else None
    if head.startswith(_WIDE_BOMS):  # UTF-16/32 text: the text reader decodes it
        yield read_article(file, whole)
        return
    sniffed = sniff_format(head, file.name)
    if sniffed.format == NOT_AN_ARTICLE:
        raise NotText(sniffed.reason or NOT_AN_ARTICLE)
    if sniffed.format == TEXT:
        yield read_article(file, whole)
        return
    yield from _iter_items(file, sniffed.format, field_map)


def _iter_items(
    file: CorpusFile, format_name: str, field_map: FieldMap | None
) -> Iterator[Article | SkippedFile]:
    digest = file_digest(file.path)
    fields = tuple(sorted(field_map.items())) if field_map else ()
    reasons: list[str] = []
    found = 0
    with open_regular_file(file.path) as handle:
        stat = os.fstat(handle.fileno())
        if format_name in WHOLE_FILE_FORMATS and stat.st_size > MAX_WHOLE_FILE_BYTES:
            raise NotText(
                f"{format_name}: {stat.st_size:,} bytes, more than any news item "
                f"(the limit is {MAX_WHOLE_FILE_BYTES:,}): not read"
            )
        events = _guarded(iter_items(handle, file.name, field_map))
        many = format_name in CONTAINER_FORMATS
        if not many:  # one item or a few (a feed, a newsMessage): named by record if several
            buffered = list(events)
            many = sum(isinstance(event, NewsItem) for event in buffered) > 1
            events = iter(buffered)
        for event in events:
            if isinstance(event, NewsItem):
                found += 1
                article = item_article(
                    file, event, many=many, size=stat.st_size, mtime=stat.st_mtime
                )
                yield replace(article, digest=digest, meta=_with_fields(article.meta, fields))
            else:
                reasons.append(event.message)
                name = file.name if event.record is None else record_name(file.name, event.record)
                yield SkippedFile(file.path, name, event.message)
    if not found:
        why = f" ({'; '.join(reasons)})" if reasons else ""
        raise NotText(f"{format_name}: no text article found{why}")


def _guarded(events: Iterator[NewsItem | Problem]) -> Iterator[NewsItem | Problem]:
    """The readers' events; a reader's own defect ends the file with a problem, not a crash."""
    try:
        yield from events
    except Exception as error:
        # The readers report bad input as problems; anything else is a defect of ours,
        # and the file is still read as far as it went, with the reason shown.
        yield Problem(f"could not be read further ({type(error).__name__})")


def item_article(
    file: CorpusFile, item: NewsItem, *, many: bool, size: int, mtime: float
) -> Article:
    """The Article for one item of a file (`many`: the file is a container, so the article is
    named and identified by its record)."""
    record = item.record if many else None
    return Article(
        id=article_id(file.path) if record is None else record_id(file.path, record),
        path=file.path,
        name=file.name if record is None else record_name(file.name, record),
        parsed=to_parsed_text(item),
        size=size,
        mtime=mtime,
        encoding="utf-8",
        notes=item.notes,
        record=record,
        offset=item.offset,
        meta=item_meta(item),
    )


def item_meta(item: NewsItem) -> ArticleMeta:
    """The metadata of an item, as the Article carries it."""
    return ArticleMeta(
        format=item.format,
        provider=item.provider,
        story_id=item.story_id,
        story_key=story_key(item),
        version=item.version,
        version_time=naive_utc(item.version_time) if item.version_time else None,
        first_created=naive_utc(item.first_created) if item.first_created else None,
        slugline=item.slugline,
        url=item.url,
        captured=naive_utc(item.captured) if item.captured else None,
        language=item.language,
        subheadline=item.subheadline,
        dateline=item.dateline,
    )


def _with_fields(
    meta: ArticleMeta | None, fields: tuple[tuple[str, str], ...]
) -> ArticleMeta | None:
    return replace(meta, field_map=fields) if meta is not None and fields else meta


def reread_article(article: Article) -> Article:
    """The article read again from its file, with paragraphs: the record it was, for an
    article inside a container (with the `--field` settings it was read with). Raises
    OSError or NotText when it is no longer there.

    A record of a web archive is read from its byte offset; a record of another container
    is read by going through the file only as far as that record.
    """
    if article.record is None:
        found = read_file(CorpusFile(article.path, article.name)).articles
        if len(found) != 1:
            raise NotText("the file no longer holds one article")
        return replace(found[0], id=article.id, name=article.name)
    meta = article.meta
    file = CorpusFile(article.path, _file_name(article))
    with open_regular_file(article.path) as handle:
        stat = os.fstat(handle.fileno())
        item = _find_record(handle, file.name, article)
    if item is None:
        raise NotText(f"record {article.record} is no longer in the file")
    reread = item_article(file, item, many=True, size=stat.st_size, mtime=stat.st_mtime)
    return replace(reread, id=article.id, name=article.name, meta=meta)


def _find_record(handle: BinaryIO, name: str, article: Article) -> NewsItem | None:
    """The item of `article`'s record, read from the open file (None when it is gone)."""
    meta = article.meta
    fields = dict(meta.field_map) if meta is not None and meta.field_map else None
    at_offset = meta is not None and meta.format == "warc" and article.offset is not None
    events: Iterator[NewsItem | Problem]
    if at_offset:  # the archive read from the record's own start
        from reader.ingest.formats.warc import read_warc

        handle.seek(article.offset or 0)
        events = read_warc(handle)
    else:
        events = iter_items(handle, name, fields)
    record = article.record or 0
    try:
        for event in events:
            if not isinstance(event, NewsItem):
                continue
            if at_offset or event.record == record:
                return replace(event, record=record, offset=article.offset)
            if event.record > record:
                break
    finally:
        # closed here, while the file is open: a reader's clean-up must not meet a closed file
        close = getattr(events, "close", None)
        if close is not None:
            close()
    return None


def _file_name(article: Article) -> str:
    if article.record is None:
        return article.name
    return article.name.removesuffix(f"#{article.record}")


def split_record(path: Path) -> tuple[Path, int | None]:
    """`dump.csv#3` -> (`dump.csv`, 3) when `dump.csv` is a file and the path is not one;
    otherwise the path as it is, and None."""
    base, separator, record = str(path).rpartition("#")
    if separator and record.isdigit() and not path.exists() and Path(base).is_file():
        return Path(base), int(record)
    return path, None


def text_to_diff(path: Path, field_map: FieldMap | None = None) -> TextRead:
    """The text of the article at `path` to diff: a plain file's decoded text as parsing saw
    it (with its caveats); for a file in a wire or archive format, its article's headline
    and paragraphs; for one record of a container, `FILE#RECORD`. Raises OSError or NotText
    (with the reason)."""
    file_path, record = split_record(path)
    found = read_file(CorpusFile(file_path, file_path.name), field_map)
    if found.format == TEXT and record is None:
        return read_text(file_path)
    if record is None:
        if len(found.articles) != 1:
            names = ", ".join(f"#{a.record}" for a in found.articles[:5])
            raise NotText(
                f"holds {len(found.articles)} articles: name one as {path}#RECORD ({names}…)"
            )
        return TextRead(_as_text(found.articles[0]), False, ())
    for article in found.articles:
        if article.record == record or (article.record is None and record == 0):
            return TextRead(_as_text(article), False, ())
    raise NotText(f"no article at record {record}")


def _as_text(article: Article) -> str:
    return "\n\n".join([article.headline, *(paragraph.text for paragraph in article.paragraphs)])
