"""A hostile corpus: every file is read or explained, nothing crashes, nothing is written."""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CommandResult, write_small_articles
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.grouping.stories import Story, StoryCorpus
from reader.ingest.article import Article, parse_article_text
from reader.ingest.corpus import SYMLINK_NOT_FOLLOWED, CorpusFile, read_article, with_body
from reader.ingest.decode import NotText, decode_article_bytes
from reader.store.library import open_corpus

STORY = "Allies agree to spend more\n\nBRUSSELS (Reuters) - NATO allies agreed on Thursday.\n"
#: A file far larger than anything read whole (only its head is read).
HUGE_BYTES = 50 * 1024 * 1024
#: The large file of the shared hostile corpus: over the read limit, so it is truncated,
#: but small enough that every test using the corpus does not write 50 MiB.
OVER_LIMIT_BYTES = 3 * 1024 * 1024


def many_paragraphs(count: int) -> bytes:
    body = "\n\n".join(
        f"Paragraph {n} of the long story, in which allies meet." for n in range(count)
    )
    return ("Long story\n\n" + body).encode()


def write_one_line(path: Path, size: int) -> None:
    """A file of `size` bytes of words with no line break."""
    chunk = b"word " * 200_000
    with open(path, "wb") as handle:
        for _ in range(size // len(chunk)):
            handle.write(chunk)


def build_hostile_corpus(root: Path) -> set[str]:
    """Write the hostile corpus under `root`; returns the names of the files in it."""
    root.mkdir()
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "whitespace.txt": b"  \n\t\n   \n",
        "nul.txt": b"Head\x00line\n\nbody",
        "png.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "invalid-utf8.txt": b"Headline\n\nCaf\xc3 au lait \xff\xfe broken.",
        "cp1252.txt": b"Smart quotes\r\n\r\n\x93We agree,\x94 he said \x96 twice.\r\n",
        "latin1.txt": "Café crème\n\nLe ministre a déclaré à Paris.".encode("latin-1"),
        "utf16.txt": "Allies meet\n\nThe ministers met in Brussels.".encode("utf-16"),
        "utf8-bom.txt": codecs.BOM_UTF8 + STORY.encode(),
        "crlf.txt": STORY.replace("\n", "\r\n").encode(),
        "lone-cr.txt": STORY.replace("\n", "\r").encode(),
        "many-paragraphs.txt": many_paragraphs(5000),
        "name with spaces.txt": STORY.encode(),
        "ünïcödé — names.md": STORY.encode(),
        "new\nline.txt": STORY.encode(),
        "notes.pdf": b"%PDF-1.7\n",
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    write_one_line(root / "huge-single-line.txt", OVER_LIMIT_BYTES)
    (root / "folder.txt").mkdir()  # a directory named like an article
    (root / "folder.txt" / "inside.txt").write_bytes(STORY.encode())
    (root / "broken-link.txt").symlink_to(root / "does-not-exist.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "dir-loop").symlink_to(root)
    os.mkfifo(root / "pipe.txt")
    locked = root / "locked.txt"
    locked.write_bytes(STORY.encode())
    locked.chmod(0)
    return {*files, "huge-single-line.txt", "folder.txt/inside.txt", "broken-link.txt",
            "loop.txt", "dir-loop", "pipe.txt", "locked.txt"}  # fmt: skip


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every regular file's bytes and mtime, to prove nothing was written."""
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink() and os.access(path, os.R_OK):
                found[str(path)] = (path.read_bytes(), path.stat().st_mtime_ns)
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """The hostile corpus, built once for the tests that only read it (each checks that
    nothing in it was written); a test that changes it builds its own."""
    root = tmp_path_factory.mktemp("shared") / "hostile"
    return root, build_hostile_corpus(root)


@pytest.fixture(scope="module")
def hostile_library(
    hostile: tuple[Path, set[str]], tmp_path_factory: pytest.TempPathFactory
) -> StoryCorpus:
    """The hostile corpus read once into a fresh index (reading it is the slow part)."""
    root, _ = hostile
    index_file = tmp_path_factory.mktemp("index") / "index.sqlite3"
    return open_corpus([root], index_file=index_file).library


def test_every_file_is_listed_or_explained(
    hostile: tuple[Path, set[str]], hostile_library: StoryCorpus
) -> None:
    _, names = hostile
    library = hostile_library
    articles = {article.name for article in library.corpus.articles}
    skipped = {skip.name: skip.reason for skip in library.corpus.skipped}
    assert articles | set(skipped) == names
    assert not articles & set(skipped)
    assert skipped["empty.txt"] == skipped["whitespace.txt"] == "empty file"
    assert skipped["nul.txt"] == "binary file"
    assert skipped["png.txt"] == "binary file (a PNG image)"
    assert skipped["notes.pdf"] == "binary file (a PDF document)"
    assert skipped["pipe.txt"] == "not a regular file"
    links = ("broken-link.txt", "loop.txt", "dir-loop")
    assert {skipped[name] for name in links} == {SYMLINK_NOT_FOLLOWED}
    if os.geteuid() != 0:  # root reads any file, whatever its permissions
        assert skipped["locked.txt"] == "permission denied"


def test_legacy_encodings_are_decoded_with_the_fallback_recorded(
    hostile_library: StoryCorpus,
) -> None:
    by_name = {article.name: article for article in hostile_library.corpus.articles}
    assert by_name["cp1252.txt"].encoding == "cp1252" and by_name["cp1252.txt"].notes
    assert by_name["invalid-utf8.txt"].encoding_fallback
    assert by_name["latin1.txt"].headline == "Café crème"
    assert by_name["utf16.txt"].headline == "Allies meet"
    assert by_name["utf8-bom.txt"].headline == "Allies agree to spend more"
    assert by_name["lone-cr.txt"].headline == by_name["crlf.txt"].headline
    huge = by_name["huge-single-line.txt"]
    assert huge.truncated and any("only the first" in note for note in huge.notes)


def test_a_huge_file_opens_as_a_preview_with_a_notice(tmp_path: Path) -> None:
    from reader.present.article import render_article

    write_one_line(tmp_path / "huge-single-line.txt", HUGE_BYTES)
    article = read_article(CorpusFile(tmp_path / "huge-single-line.txt", "huge-single-line.txt"))
    assert article.truncated and article.size >= HUGE_BYTES - 1_000_000
    rendered = render_article(article)
    text = "".join(part.plain for part in rendered.renderables)  # type: ignore[attr-defined]
    assert "The preview ends here" in text
    assert len(text) < 250_000


def test_every_command_line_command_survives_the_hostile_corpus(
    hostile: tuple[Path, set[str]],
    tmp_path: Path,
    newsreader_command: Callable[..., CommandResult],
) -> None:
    root, _ = hostile
    before = snapshot(root)
    index = str(tmp_path / "cli-index.sqlite3")
    commands = [
        ["index", str(root), "--index", index, "--json"],
        ["index", str(root), "--index", index],
        ["stories", str(root), "--index", index, "--json"],
        ["stories", str(root), "--index", index],
        ["search", "allies", str(root), "--index", index, "--json"],
        ["search", '"unclosed (AND', str(root), "--index", index],
        ["diff", str(root / "cp1252.txt"), str(root / "crlf.txt"), "--json"],
        ["diff", str(root / "latin1.txt"), str(root / "utf16.txt"), "--color", "never"],
        ["diff", str(root / "png.txt"), str(root / "crlf.txt")],
        ["diff", str(root / "pipe.txt"), str(root / "crlf.txt")],
        ["diff", str(root / "folder.txt"), str(root / "crlf.txt")],
    ]
    for command in commands:
        result = newsreader_command(*command)  # an exception escaping it fails the test
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert result.returncode in (0, 1, 2), command
        if result.returncode == 2:
            assert len(result.stderr.strip().splitlines()) == 1, (command, result.stderr)
    summary = json.loads(newsreader_command("index", str(root), "--index", index, "--json").stdout)
    assert {skip["path"] for skip in summary["skipped"]} >= {"empty.txt", "png.txt", "pipe.txt"}
    assert snapshot(root) == before


async def test_the_app_opens_the_hostile_corpus_and_shows_the_problems(
    hostile: tuple[Path, set[str]], tmp_path: Path
) -> None:
    from reader.tui.app import NewsReaderApp
    from reader.tui.screens.problems import ProblemsScreen
    from reader.tui.widgets.row_list import RowList

    root, _ = hostile
    before = snapshot(root)
    app = NewsReaderApp([root], index_file=tmp_path / "app-index.sqlite3", watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = len(app.query_one(RowList).rows)
        assert rows >= 5  # the re-filed copies of one story are one row
        for _ in range(rows):
            await pilot.press("enter", "left", "j")
        await pilot.press("p")
        assert isinstance(app.screen, ProblemsScreen)
        assert any("pipe.txt" in row.title for row in app.screen.rows)
        await pilot.press("escape", "slash", *"allies", "enter")
        await pilot.pause()
    assert app.return_code in (0, None)
    assert snapshot(root) == before


def test_a_file_deleted_while_the_corpus_is_read_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.store.library

    # A corpus of its own, as a file of it is deleted; small, as only that file matters.
    root = tmp_path / "corpus"
    root.mkdir()
    for name in ("before.txt", "crlf.txt", "after.txt"):
        (root / name).write_bytes(STORY.replace("\n", "\r\n").encode())
    real = reader.store.library.iter_file

    def vanishing(file: CorpusFile, field_map=None):  # type: ignore[no-untyped-def]
        if file.name == "crlf.txt":
            file.path.unlink()
        return real(file, field_map)

    monkeypatch.setattr(reader.store.library, "iter_file", vanishing)
    library, _, _ = open_corpus([root], index_file=tmp_path / "index.sqlite3")
    skipped = {skip.name: skip.reason for skip in library.corpus.skipped}
    assert "no such file" in skipped["crlf.txt"]
    assert {article.name for article in library.corpus.articles} == {"before.txt", "after.txt"}


def test_an_index_that_cannot_be_written_falls_back_to_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeds: Path
) -> None:
    import sqlite3

    from reader.store.index import CorpusIndex

    real = CorpusIndex.put_files

    def disk_full(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.location != ":memory:":
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(CorpusIndex, "put_files", disk_full)
    library, report, index = open_corpus([seeds], index_file=tmp_path / "index.sqlite3")
    assert index.location == ":memory:"
    assert report.notice is not None and "disk is full" in report.notice
    assert len(library.stories) == 2


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_parsing_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    try:
        decoded = decode_article_bytes(data)
    except NotText:
        return
    parsed = parse_article_text(decoded.text)
    assert parsed.words >= 0


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(6)))
def test_grouping_does_not_depend_on_file_order(order: list[int]) -> None:
    from dataclasses import replace

    from reader.grouping.stories import StoryGrouper

    def group_stories(articles: list[Article]) -> list[Story]:
        return StoryGrouper().group(articles).stories

    articles = [
        with_body(a) for a in open_corpus([], in_memory=True).library.corpus.articles
    ]  # the sample, and a re-filed copy of each
    pool = [*articles, *(replace(a, id=a.id + "-copy", name="copy-" + a.name) for a in articles)]
    expected = sorted(sorted(v.name for v in s.versions) for s in group_stories(pool))
    shuffled = [pool[i] for i in order]
    assert sorted(sorted(v.name for v in s.versions) for s in group_stories(shuffled)) == expected


def test_ctrl_c_during_indexing_then_a_restart_gives_a_complete_index(tmp_path: Path) -> None:
    import signal
    import time

    from reader.ingest.workers import CHUNK_FILES, PARALLEL_MIN_FILES

    # Enough files to be read by worker processes, a chunk at a time, and a chunk more,
    # so the interruption comes part way; short ones, as the test indexes them three times.
    files = PARALLEL_MIN_FILES + CHUNK_FILES
    folder = write_small_articles(tmp_path / "corpus", files)
    index = tmp_path / "index.sqlite3"
    command = [
        sys.executable,
        "-m",
        "reader",
        "index",
        str(folder),
        "--index",
        str(index),
        "--json",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:  # wait for a first chunk
        time.sleep(0.05)
        with (
            contextlib.suppress(sqlite3.Error),
            # read-only: connecting must not create the file before newsreader does
            contextlib.closing(
                sqlite3.connect(f"file:{index}?mode=ro", uri=True, timeout=0.1)
            ) as connection,
        ):
            if connection.execute("SELECT count(*) FROM files").fetchone()[0]:
                break
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert "Traceback" not in stderr
    assert process.returncode == 130, "interrupted part way"
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    summary = json.loads(again.stdout)
    assert summary["articles"] == files
    assert summary["unchanged"] > 0 and summary["indexed"] + summary["unchanged"] == files
    fresh = subprocess.run(
        [*command[:-3], "--index", str(tmp_path / "fresh.sqlite3"), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(fresh.stdout)["stories"] == summary["stories"]
