"""Re-opening in the app: the stories the index kept are listed before the files are checked,
and the list then follows what changed on disk meanwhile."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_sample
from follow_story import write_story, write_version
from textual.pilot import Pilot

from reader.present.story_rows import BASE_MARK, UNREAD_MARK
from reader.store import library as library_module
from reader.store.index import CorpusIndex
from reader.store.library import open_corpus
from reader.store.story_list import StoredStories
from reader.tui.app import NewsReaderApp
from reader.tui.screens.diff_screen import DiffScreen
from reader.tui.screens.problems import ProblemsScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.row_list import RowList

SIZE = (120, 36)


def held_rescan(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold the re-scan (before it lists a folder) until the event returned is set."""
    release = threading.Event()
    real = library_module.discover

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert release.wait(30), "the test never let the re-scan go on"
        return real(*args, **kwargs)

    monkeypatch.setattr(library_module, "discover", held)
    return release


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the app never got there")


def titles(app: NewsReaderApp) -> list[str]:
    return [row.title[:20] for row in app.query_one(RowList).rows]


async def test_the_kept_stories_are_listed_before_the_rescan_and_then_updated(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_file = tmp_path / "index.sqlite3"
    open_corpus([seeds], index_file=index_file).corpus_index.close()
    # while the app was closed: one story's only file went, another story arrived
    next(seeds.glob("002_*")).unlink()
    (seeds / "003_ferries.txt").write_text(
        "Fjord ferries halted\n\nBERGEN (Reuters) - Ferries across the fjords were halted on "
        "Tuesday after a storm brought winds of more than 100 km/h to the western coast."
    )
    release = held_rescan(monkeypatch)
    app = NewsReaderApp([seeds], index_file=index_file, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(app.query_one(RowList).rows))
        assert titles(app) == ["Pentagon policy chie", "U.S. Defense Secreta"]
        assert app.sub_title == "seeds · 2 stories · 3 articles · checking for changes…"
        # the file that went, opened from the kept list: said so, no traceback
        await pilot.press("j", "enter")
        reader = "\n".join(app.query_one(ArticleView).plain_lines())
        assert "can no longer be read: no such file or directory" in reader
        await pilot.press("d")  # a story of one: nothing to compare, nothing raised
        release.set()
        await app.workers.wait_for_complete()
        await until(pilot, lambda: "checking" not in app.sub_title)
        assert titles(app) == ["Pentagon policy chie", "Fjord ferries halted"]
        assert app.sub_title == "seeds · 2 stories · 3 articles"


async def test_an_unchanged_corpus_keeps_the_list_and_the_open_article(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_file = tmp_path / "index.sqlite3"
    open_corpus([seeds], index_file=index_file).corpus_index.close()
    release = held_rescan(monkeypatch)
    app = NewsReaderApp([seeds], index_file=index_file, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(app.query_one(RowList).rows))
        await pilot.press("enter")  # expand the first story while the files are checked
        rows_before = list(app.query_one(RowList).rows)
        opened = app.query_one(ArticleView).article
        release.set()
        await app.workers.wait_for_complete()
        await until(pilot, lambda: "checking" not in app.sub_title)
        assert app.query_one(RowList).rows == rows_before
        assert app.query_one(ArticleView).article == opened
        assert app.sub_title == "seeds · 2 stories · 3 articles"


def kept_lyon_and_sample(tmp_path: Path) -> tuple[Path, Path]:
    """The sample's two stories and the Lyon story (three versions), indexed and closed."""
    folder = copy_sample(tmp_path / "corpus")
    write_story(folder, versions=3)
    index_file = tmp_path / "index.sqlite3"
    open_corpus([folder], index_file=index_file).corpus_index.close()
    return folder, index_file


def loaded(app: NewsReaderApp) -> list[str]:
    """The titles of the stories whose versions were loaded."""
    assert app.library is not None
    return [story.title[:12] for story in app.library.stories if story.loaded]


async def test_a_lazily_listed_story_expands_opens_diffs_and_marks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, index_file = kept_lyon_and_sample(tmp_path)
    index = CorpusIndex.open(index_file)
    defense_id = index.find_titles("Defense")[0].article_id  # (the re-scan holds the index)
    index.close()
    release = held_rescan(monkeypatch)
    app = NewsReaderApp([folder], index_file=index_file, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.query_one(RowList).rows))
        assert isinstance(app.library, StoredStories)
        assert titles(app) == [
            "Pentagon policy chie",
            "U.S. Defense Secreta",
            "Explosion at Lyon ch",
        ]
        assert loaded(app) == ["Pentagon pol"]  # the first story is opened, no other loaded
        await pilot.press("G", "enter")  # expand the Lyon story
        rows = app.query_one(RowList).rows
        assert [row.detail for row in rows[3:6]] == [
            "v1 · lyon_01.txt",
            "v2 · lyon_02.txt",
            "v3 · lyon_03.txt",
        ]
        app.query_one(RowList).focus()
        await pilot.press("j", "j", "m")  # v2 is the base
        assert app.query_one(RowList).rows[4].detail.startswith(BASE_MARK)
        await pilot.press("j", "d")  # v3 against the base
        assert isinstance(app.screen, DiffScreen)
        assert (app.screen.base.name, app.screen.target.name) == ("lyon_02.txt", "lyon_03.txt")
        await pilot.press("escape", "escape")
        # a search hit in a story not loaded yet: found by its id, revealed in the list
        defense = app.library.stories[1]
        assert not defense.loaded
        app.open_article_by_id(defense_id)
        await pilot.pause()
        assert app.current_article is not None and app.current_article.id == defense_id
        assert defense.loaded and app.query_one(RowList).cursor == 1
        app.query_one(RowList).focus()
        await pilot.press("p")
        assert isinstance(app.screen, ProblemsScreen)
        await pilot.press("escape")
        release.set()
        await app.workers.wait_for_complete()
        await until(pilot, lambda: "checking" not in app.sub_title)
        assert app.sub_title == "corpus · 3 stories · 6 articles"


async def test_a_live_refresh_after_a_lazy_reopen_replaces_the_list_and_marks_new_versions(
    tmp_path: Path,
) -> None:
    folder, index_file = kept_lyon_and_sample(tmp_path)
    app = NewsReaderApp([folder], index_file=index_file, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.query_one(RowList).rows))
        await app.workers.wait_for_complete()
        await until(pilot, lambda: "checking" not in app.sub_title)
        assert isinstance(app.library, StoredStories)  # nothing changed: the kept list stays
        app.query_one(RowList).cursor = 0  # away from the Lyon story, never opened
        write_version(folder, 4)  # a version joins the Lyon story
        next(folder.glob("002_*")).unlink()  # a story of one goes
        await asyncio.to_thread(app._files_changed)  # as the watcher calls it
        await until(pilot, lambda: app.sub_title == "corpus · 2 stories · 6 articles")
        assert titles(app) == ["Pentagon policy chie", f"{UNREAD_MARK}1 Explosion at Lyo"]
        await pilot.press("G", "enter")  # expand it: four versions
        assert app.query_one(RowList).rows[5].detail == "v4 · lyon_04.txt"
