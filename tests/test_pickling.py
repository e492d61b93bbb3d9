"""What workers send the main process pickles and unpickles whole, by field values."""

from __future__ import annotations

import pickle
from datetime import datetime
from pathlib import Path

from reader.grouping.signature import signature
from reader.ingest.article import Article, ArticleMeta, parse_article_text
from reader.ingest.corpus import SkippedFile
from reader.store.library import FileRead, ReadArticle, SkippedRead

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
    read = ReadArticle(article.without_body(), signature(article), "body text", 123)
    results = [
        FileRead(Path("/tmp/a.xml"), [read], [SkippedFile(Path("/tmp/b"), "b", "why")], 10, 5),
        SkippedRead(SkippedFile(Path("/tmp/c"), "c", "not text"), 3, 4),
    ]
    again = pickle.loads(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
    assert again[1] == results[1]
    file_read = again[0]
    assert (file_read.path, file_read.problems, file_read.size, file_read.mtime_ns) == (
        Path("/tmp/a.xml"), results[0].problems, 10, 5,
    )  # fmt: skip
    back = file_read.articles[0]
    assert back.article == read.article and back.article.meta == meta
    assert back.article.parsed.dateline == parsed.dateline is not None
    assert (back.body, back.mtime_ns) == ("body text", 123)
    assert back.signature.shingles.tolist() == read.signature.shingles.tolist()
    assert back.signature.figures == read.signature.figures and read.signature.figures
