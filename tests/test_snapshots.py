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


# -- at 80×24 and 120×36, on the sample and on hard-wrapped archive copy ---------------

SMALL = (80, 24)


def archive_app(tmp_path: Path) -> NewsReaderApp:
    from archive_corpus import write_archive_corpus

    return NewsReaderApp([write_archive_corpus(tmp_path / "archive")], watch=False)


def test_reader_at_80_by_24(snap_compare, seeds: Path) -> None:
    """At 80 columns the open article takes the screen, in a column of 76."""
    app = NewsReaderApp([seeds], watch=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing("j", "enter"))


def test_list_at_80_by_24(snap_compare, seeds: Path) -> None:
    """At 80 columns the list takes the screen until an article is opened."""
    app = NewsReaderApp([seeds], watch=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing())


def test_help_at_80_by_24(snap_compare, seeds: Path) -> None:
    """The help fits 80 columns, names < and > as such, and has its own footer."""
    app = NewsReaderApp([seeds], watch=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing("question_mark"))


def test_inline_diff_at_80_by_24_marks_the_current_change(snap_compare, seeds: Path) -> None:
    """n goes to a change and marks it; the position leads the stats line."""
    app = NewsReaderApp([seeds], watch=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing("d", "n", "n", "n"))


def test_archive_reader_with_a_table(snap_compare, tmp_path: Path) -> None:
    """Hard-wrapped copy re-flowed; the price table kept line by line."""
    app = archive_app(tmp_path)
    keys = ("j", "j", "enter", "j", "j", "enter", "G")  # the OPEC story, its second version
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing(*keys))


def test_archive_inline_diff(snap_compare, tmp_path: Path) -> None:
    """Two re-wrapped versions: no archive indents, no ¶, only the real edits marked."""
    app = archive_app(tmp_path)
    keys = ("j", "j", "enter", "j", "j", "d", "n")
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing(*keys))


def test_archive_side_by_side_diff_at_80_by_24(snap_compare, tmp_path: Path) -> None:
    """Side by side on archive copy: paragraphs aligned, wrapped only at the pane width."""
    app = archive_app(tmp_path)
    keys = ("j", "j", "enter", "j", "j", "d", "v", "f")
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing(*keys))


def test_archive_earnings_diff_at_80_by_24(snap_compare, tmp_path: Path) -> None:
    """A corrected earnings figure in a table of Shr/Net/Revs lines, each on its line."""
    app = archive_app(tmp_path)
    keys = ("j", "enter", "j", "j", "d")
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing(*keys))
