"""What workers send the main process pickles and unpickles whole, by field values."""

from __future__ import annotations

import pickle
from datetime import datetime
from pathlib import Path

from reader.grouping.signature import signature
from reader.ingest.article import Article, ArticleMeta, parse_article_text
from reader.ingest.corpus import SkippedFile
from reader.store.index import CorpusIndex, FileRows, article_rows
from reader.store.library import FileRead, SkippedRead
from reader.store.signature_pack import pack_record

TEXT = (
    "CORRECTED-Oil prices rise 3% on supply fears\n\n"
    "LONDON, March 3 (Reuters) - Oil prices rose 3 percent on Tuesday after OPEC said "
    "output fell in February, traders said.\n\n"
    "Brent crude was up $2.10 at $71.40 a barrel by 1130 GMT.\n"
)


def test_read_results_come_back_equal_after_pickling() -> None:
    parsed = parse_article_text(TEXT)
    meta = ArticleMeta(
        "nitf", provider="Reuters", story_id="x1", story_key="reuters|x1", version=2,
        version_time=datetime(2025, 3, 3, 11, 30), url="https://example.com/a",
        field_map=(("body", "text"),),
    )  # fmt: skip
    article = Article(
        "id1", Path("/tmp/a.xml"), "a.xml", parsed, len(TEXT), 1.5, "cp1252",
        encoding_fallback=True, truncated=True, notes=("a note",), meta=meta,
    )  # fmt: skip
    signed = signature(article)
    rows = article_rows(article, signed, 123, "body text")
    problems = [SkippedFile(Path("/tmp/b"), "b", "why")]
    results = [
        FileRead(FileRows("/tmp/a.xml", [rows], problems, 10, 5), [pack_record(signed)]),
        SkippedRead(SkippedFile(Path("/tmp/c"), "c", "not text"), 3, 4),
    ]
    again = pickle.loads(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == results
    file_read = again[0]
    assert isinstance(file_read, FileRead)
    assert file_read.rows.problems == problems and file_read.rows.articles[0] == rows
    assert file_read.packed[0].record == pack_record(signed).record


def test_an_article_stored_from_its_rows_reads_back_as_it_was(tmp_path: Path) -> None:
    """The rows a worker makes are what the index reads back: the article, its signature
    and its searchable text."""
    parsed = parse_article_text(TEXT)
    article = Article("id1", tmp_path / "a.txt", "a.txt", parsed, len(TEXT), 1.5, "utf-8")
    other = Article("id2", tmp_path / "b.txt", "b.txt", parsed, len(TEXT), 1.5, "utf-8")
    signed = signature(article)
    index = CorpusIndex.open(tmp_path / "index.db", owned=True)
    with index.transaction():
        first = index.put_files(
            [FileRows(str(article.path), [article_rows(article, signed, 7, "b")], [], 1, 7)]
        )
        second = index.put_files(
            [FileRows(str(other.path), [article_rows(other, signed, 8, "c")], [], 1, 8)]
        )
    assert len(first) == len(second) == 1 and second[0] == first[0] + 1
    back = index.articles_of(first)[first[0]]
    assert (back.headline, back.parsed.dateline, back.parsed.words) == (
        parsed.headline, parsed.dateline, parsed.words,
    )  # fmt: skip
    assert index.signatures(first)[first[0]].figures == signed.figures
    with index.transaction():  # read again: its rows replace the old ones
        again = index.put_files(
            [FileRows(str(article.path), [article_rows(article, signed, 9, "b")], [], 1, 9)]
        )
    assert again[0] not in (first[0], second[0]) and first[0] not in index.articles_of(first)
    index.close()
