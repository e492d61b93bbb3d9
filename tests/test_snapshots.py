"""SVG snapshots of the app's screens (pytest-textual-snapshot)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from reader.tui.app import NewsReaderApp

SIZE = (120, 36)


async def wait_for_work(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def pressing(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Wait for the corpus, press `keys`, then wait for any work they started."""

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for_work(pilot)
        await pilot.press(*keys)
        await wait_for_work(pilot)

    return run_before


def test_opens_on_the_sample(snap_compare, seeds: Path) -> None:
    """Two stories (the first with two versions); its latest version open."""
    assert snap_compare(
        NewsReaderApp([seeds], watch=False), terminal_size=SIZE, run_before=pressing()
    )


def test_expanded_story_with_subheadline(snap_compare, seeds: Path) -> None:
    """Enter expands the story into v1 and v2; the reader scrolled to 001's sub-headline."""
    app = NewsReaderApp([seeds], watch=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("enter", "tab", "space"))


def test_help_screen(snap_compare, seeds: Path) -> None:
    """`?` lists every binding, grouped by where it works."""
    app = NewsReaderApp([seeds], watch=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("question_mark"))


def test_inline_diff_of_the_two_versions(snap_compare, seeds: Path) -> None:
    """`d` shows 000 -> 001: edits in red and green, the move in magenta, noise dimmed."""
    app = NewsReaderApp([seeds], watch=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("d", "n"))


def test_side_by_side_diff_without_noise(snap_compare, seeds: Path) -> None:
    """`v` puts old and new side by side, paragraphs aligned; `x` hides the noise."""
    app = NewsReaderApp([seeds], watch=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("d", "v", "x"))


def test_search_results_with_snippets(snap_compare, seeds: Path) -> None:
    """`/` and a query list the matching articles with the match in context."""

    async def search(pilot: Pilot[None]) -> None:
        await wait_for_work(pilot)
        await pilot.press("slash", *"strong basis")
        await wait_for_work(pilot)
        await pilot.pause(0.2)

    app = NewsReaderApp([seeds], watch=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=search)
