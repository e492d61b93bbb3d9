"""The index never destroys what it did not make, and rebuilds every damage it can meet."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import reader.store.index
from reader.cli.main import main
from reader.store.index import APPLICATION_ID, IndexRefused
from reader.store.library import index_corpus, open_corpus


def _indexed(seeds: Path, tmp_path: Path) -> Path:
    index_file = tmp_path / "i.sqlite3"
    open_corpus([seeds], index_file=index_file)[2].close()
    return index_file


def _edit_one_file(seeds: Path) -> None:
    article = sorted(seeds.glob("*.txt"))[-1]
    article.write_text(article.read_text() + "\nA paragraph added in a later version.\n")


def _damage(index_file: Path, statement: str) -> None:
    connection = sqlite3.connect(index_file)
    connection.execute(statement)
    connection.commit()
    connection.close()


def test_index_pointed_at_an_article_refuses_and_leaves_it_unchanged(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = next(seeds.glob("*.txt"))
    before = article.read_bytes()
    status = main(["stories", str(seeds), "--index", str(article)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "not a newsreader index" in err
    assert article.read_bytes() == before


@pytest.mark.parametrize("kind", ["loop", "dangling", "empty"])
def test_index_pointed_at_a_broken_link_or_an_empty_file_is_refused_and_left_as_it_is(
    seeds: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reader.store.index, "EMPTY_INDEX_WAIT", 0.2)
    target = tmp_path / f"{kind}.db"
    if kind == "loop":
        target.symlink_to(target)
    elif kind == "dangling":
        target.symlink_to(tmp_path / "no" / "such" / "folder" / "x.db")
    else:
        target.write_bytes(b"")  # an empty article, say
    status = main(["stories", str(seeds), "--index", str(target)])
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert target.is_symlink() if kind != "empty" else target.read_bytes() == b""


def test_index_pointed_at_a_device_is_refused(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["index", str(seeds), "--index", "/dev/null"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a regular file" in err


def test_the_app_refuses_a_non_index_before_it_starts(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = next(seeds.glob("*.txt"))
    assert main([str(seeds), "--index", str(article)]) == 2
    assert "not a newsreader index" in capsys.readouterr().err


def test_another_programs_database_is_refused_and_untouched(seeds: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    _damage(other, "CREATE TABLE accounts (name TEXT)")
    before = other.read_bytes()
    with pytest.raises(IndexRefused):
        open_corpus([seeds], index_file=other)
    assert other.read_bytes() == before


def test_a_database_with_a_schema_version_but_not_our_tables_is_refused(
    seeds: Path, tmp_path: Path
) -> None:
    other = tmp_path / "app.db"
    _damage(other, "CREATE TABLE meta (key TEXT, value TEXT)")
    _damage(other, "INSERT INTO meta VALUES ('schema_version', '4')")
    before = other.read_bytes()
    with pytest.raises(IndexRefused):
        open_corpus([seeds], index_file=other)
    assert other.read_bytes() == before


def test_a_new_index_carries_our_application_id(seeds: Path, tmp_path: Path) -> None:
    connection = sqlite3.connect(_indexed(seeds, tmp_path))
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    connection.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE meta SET value = 'abc' WHERE key = 'schema_version'",
        "DROP TABLE search",
        "DROP TABLE files",
        "UPDATE files SET dateline = 'not four fields'",
        "UPDATE signatures SET facts = '{not json'",
        "UPDATE signatures SET shingles = x'00'",
        "PRAGMA user_version = 99",
    ],
)
def test_every_kind_of_damage_is_rebuilt_with_a_notice(
    seeds: Path, tmp_path: Path, statement: str
) -> None:
    index_file = _indexed(seeds, tmp_path)
    _damage(index_file, statement)
    _edit_one_file(seeds)  # so the refresh reads back what was stored, to group it
    library, report, index = open_corpus([seeds], index_file=index_file)
    assert report.notice is not None and "rebuilt" in report.notice
    assert len(library.corpus.articles) == 3
    assert index.search("NATO")


def test_truncated_pages_are_rebuilt_with_a_notice(seeds: Path, tmp_path: Path) -> None:
    index_file = _indexed(seeds, tmp_path)
    data = index_file.read_bytes()
    index_file.write_bytes(data[: len(data) // 2])
    library, report, _ = open_corpus([seeds], index_file=index_file)
    assert report.notice is not None and "rebuilt" in report.notice
    assert len(library.corpus.articles) == 3


def test_a_locked_index_is_never_rebuilt(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_file = _indexed(seeds, tmp_path)
    monkeypatch.setattr(reader.store.index, "BUSY_TIMEOUT", 0.2)
    _edit_one_file(seeds)  # so the refresh has to write
    holder = sqlite3.connect(index_file, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing
    try:
        library, report, _ = open_corpus([seeds], index_file=index_file)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert report.notice is not None and "memory" in report.notice
    assert len(library.corpus.articles) == 3
    connection = sqlite3.connect(index_file)
    rows = connection.execute("SELECT count(*) FROM files").fetchone()[0]
    connection.close()
    assert rows == 3, "the other process's index was left as it was"


def test_the_index_command_rebuilds_an_index_whose_pages_are_damaged(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The index command reads every page of the index while it checks the files (on a
    connection of its own): a page found damaged there has the index rebuilt, with a
    notice, as a damaged index met on opening is."""
    index_file = _indexed(seeds, tmp_path)
    connection = sqlite3.connect(index_file)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'signatures'"
    ).fetchone()[0]
    connection.close()
    data = bytearray(index_file.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xff" * page_size  # the signatures' first page
    index_file.write_bytes(bytes(data))
    summary, report, index = index_corpus([seeds], index_file=index_file)
    index.close()
    assert report.notice is not None and "rebuilt" in report.notice
    assert summary.articles == 3
    assert main(["index", "--index", str(index_file), str(seeds)]) == 0
    assert "rebuilt" not in capsys.readouterr().out, "a sound index is not rebuilt again"
