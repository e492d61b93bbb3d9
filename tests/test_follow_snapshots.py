"""SVG snapshots of following a story: the unread marks in the list, the timeline and
the provenance view (pytest-textual-snapshot)."""

from __future__ import annotations

from pathlib import Path

from follow_story import FIRST_FILED, write_story
from test_snapshots import SIZE, pressing

from reader.store.library import open_corpus
from reader.store.read_state import record_read
from reader.tui.app import NewsReaderApp


def lyon_corpus(tmp_path: Path, seeds: Path | None = None) -> Path:
    folder = seeds if seeds is not None else tmp_path / "lyon"
    write_story(folder)
    return folder


def test_unread_marks_in_the_story_list(snap_compare, seeds: Path, tmp_path: Path) -> None:
    """The Lyon story, read up to v3 earlier, shows `● 2` before its title."""
    index = tmp_path / "index.sqlite3"
    corpus = lyon_corpus(tmp_path, seeds)
    library, _, corpus_index = open_corpus([corpus], index_file=index)
    story = next(s for s in library.stories if s.versions[0].name == "lyon_01.txt")
    record_read(corpus_index, story, story.versions[2], when=FIRST_FILED + 7200)
    corpus_index.close()
    app = NewsReaderApp([corpus], index_file=index, watch=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing())


def test_timeline_of_a_five_version_story(snap_compare, tmp_path: Path) -> None:
    """One row per version with its figures and change bar; the biggest jumps in yellow."""
    app = NewsReaderApp([lyon_corpus(tmp_path)], index_file=tmp_path / "i.sqlite3", watch=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("t"))


def test_provenance_of_the_newest_version(snap_compare, tmp_path: Path) -> None:
    """Sentences shaded by the version that introduced them, numbers in the gutter; the
    cursor on the toll sentence (v1, edited in v4) shows its history below."""
    app = NewsReaderApp([lyon_corpus(tmp_path)], index_file=tmp_path / "i.sqlite3", watch=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("tab", "b", "n", "n"))
