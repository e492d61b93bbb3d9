"""Quitting never waits for reading or grouping, and the header names each phase."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader.tui.app import LoadingAbandoned, NewsReaderApp
from reader.tui.messages import CorpusProgress


def test_waiting_on_corpus_work_stops_as_soon_as_the_app_quits() -> None:
    app = NewsReaderApp(watch=False)
    release = threading.Event()
    app._cancel_loading.set()  # the user quit while the work was running
    with pytest.raises(LoadingAbandoned):
        app._abandonable(lambda: release.wait(30))
    release.set()


def test_work_that_finishes_hands_back_its_result_or_its_error() -> None:
    app = NewsReaderApp(watch=False)
    assert app._abandonable(lambda: 42) == 42
    with pytest.raises(ZeroDivisionError):
        app._abandonable(lambda: 1 // 0)


async def test_the_header_names_each_phase_of_opening(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.on_corpus_progress(CorpusProgress(0, 4818))
        assert app.sub_title == "indexing 0 / 4,818 files"
        app.on_corpus_progress(CorpusProgress(4818, 4818))
        assert app.sub_title == "grouping stories…"
        app.on_corpus_progress(CorpusProgress(0, 0))
        assert app.sub_title == "loading stories…"
