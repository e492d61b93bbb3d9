"""One policy for background work that fails: it is shown, with the reason, and Ctrl+R
runs it again; a failed refresh after a file change is reported and watching goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

import reader.tui.app
import reader.tui.screens.diff_screen
import reader.tui.screens.search_screen
from reader.diff.files import FileDiff
from reader.ingest.article import Article
from reader.store.index import CorpusIndex, SearchHit
from reader.tui.app import NewsReaderApp
from reader.tui.screens.diff_screen import DiffScreen
from reader.tui.screens.search_screen import SearchScreen

SIZE = (120, 36)


async def settle(pilot: Pilot[None], until: object = None) -> None:
    for _ in range(100):
        await pilot.pause(0.05)
        if until is None or until():  # type: ignore[operator]
            return


def shown(app: NewsReaderApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_a_diff_that_fails_says_why_and_ctrl_r_compares_again(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    real_diff_articles = reader.tui.screens.diff_screen.diff_articles

    def failing_once(old: Article, new: Article) -> FileDiff:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the differ broke")
        return real_diff_articles(old, new)

    monkeypatch.setattr(reader.tui.screens.diff_screen, "diff_articles", failing_once)
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.library is not None)
        await pilot.press("d")
        await settle(pilot, lambda: "failed" in shown(app, "#diff-stats"))
        assert isinstance(app.screen, DiffScreen)
        status = shown(app, "#diff-stats")
        assert "Comparing failed: RuntimeError: the differ broke" in status
        assert "Ctrl+R" in status
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: "similarity" in shown(app, "#diff-stats"))
        assert "similarity" in shown(app, "#diff-stats")
        assert len(calls) == 2


async def test_a_search_that_fails_says_why_and_ctrl_r_searches_again(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_search = CorpusIndex.search
    calls: list[str] = []
    broken = [True]

    def failing_while_broken(self: CorpusIndex, query: str, limit: int = 50) -> list[SearchHit]:
        calls.append(query)
        if broken[0]:
            raise OSError("disk I/O error")
        return real_search(self, query, limit)

    monkeypatch.setattr(CorpusIndex, "search", failing_while_broken)
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.library is not None)
        await pilot.press("slash", *"NATO")
        await settle(pilot, lambda: "failed" in shown(app, "#search-status"))
        assert isinstance(app.screen, SearchScreen)
        assert "Searching failed: OSError: disk I/O error" in shown(app, "#search-status")
        broken[0] = False
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: bool(app.screen.hits))
        assert app.screen.hits and calls[-1] == "NATO"


async def test_reading_the_corpus_that_fails_can_be_tried_again(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = reader.tui.app.open_corpus
    calls: list[int] = []

    def failing_once(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise MemoryError("out of memory")
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader.tui.app, "open_corpus", failing_once)
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.failed_group is not None)
        assert app.sub_title == "could not open the corpus"
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: app.library is not None)
        assert app.library is not None and len(app.library.stories) == 2


async def test_a_refresh_that_fails_after_a_file_change_is_reported_and_not_fatal(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: object, **kwargs: object) -> object:
        raise RuntimeError("refresh broke")

    app = NewsReaderApp([seeds], watch=False)
    notes: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.library is not None)
        monkeypatch.setattr(reader.tui.app, "refresh", failing)
        monkeypatch.setattr(app, "notify", lambda message, **_: notes.append(message))
        app._files_changed()  # what the watching thread calls
        await settle(pilot, lambda: bool(notes))
        assert any(
            "Updating after a file change failed: RuntimeError: refresh broke" in n for n in notes
        )
        assert app.library is not None and app.is_running
