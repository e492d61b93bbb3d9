"""SVG snapshots of the app's screens (pytest-textual-snapshot)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from reader.app import NewsReaderApp

SIZE = (120, 36)


async def wait_for_corpus(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_opens_on_the_sample(snap_compare, seeds: Path) -> None:
    """The list of three articles with the first one open in the reading pane."""
    assert snap_compare(NewsReaderApp([seeds]), terminal_size=SIZE, run_before=wait_for_corpus)


def test_second_article_with_its_subheadline(snap_compare, seeds: Path) -> None:
    """`j` then Enter opens 001, whose sub-headline is shown in bold."""

    async def open_second(pilot: Pilot[None]) -> None:
        await wait_for_corpus(pilot)
        await pilot.press("j", "enter", "space")

    assert snap_compare(NewsReaderApp([seeds]), terminal_size=SIZE, run_before=open_second)


def test_help_screen(snap_compare, seeds: Path) -> None:
    """`?` lists every binding, grouped by pane."""

    async def open_help(pilot: Pilot[None]) -> None:
        await wait_for_corpus(pilot)
        await pilot.press("question_mark")

    assert snap_compare(NewsReaderApp([seeds]), terminal_size=SIZE, run_before=open_help)
