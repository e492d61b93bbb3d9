"""Re-opening in the app: the stories the index kept are listed before the files are checked,
and the list then follows what changed on disk meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.store import library as library_module
from reader.store.library import open_corpus
from reader.tui.app import NewsReaderApp
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
