"""The current change and match stand out and stay in sight; the counter agrees with the
stats; toggles keep the place; the base mark shows and clears; footers follow the state."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_loaded
from rich.text import Text
from textual.widgets import Static

from reader.tui.app import NewsReaderApp
from reader.tui.screens.diff_screen import DiffScreen
from reader.tui.widgets.diff_view import DiffView
from reader.tui.widgets.row_list import RowList

SIZE = (120, 36)


def stats_line(app: NewsReaderApp) -> str:
    content = app.screen.query_one("#diff-stats", Static).content
    assert isinstance(content, Text)
    return content.plain


def footer_description(app: NewsReaderApp, key: str) -> str:
    return app.screen.active_bindings[key].binding.description


def emphasised_words(view: DiffView, line: int) -> str:
    strip = view.decorate_line(view.block_layout.strip_at(line))  # type: ignore[union-attr]
    return "".join(
        s.text for s in strip if s.style is not None and s.style.reverse and s.style.underline
    )


async def test_n_marks_the_change_it_goes_to_and_only_that_one(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("d")
        await corpus_loaded(pilot)
        view = app.screen.query_one(DiffView)
        await pilot.press("n", "n", "n")
        assert view.current_change == 2
        line = view.line_of_change(2)
        assert emphasised_words(view, line) == "shouldto"
        assert view.scroll_y <= line < view.scroll_y + view.size.height


async def test_the_counter_and_the_stats_count_the_same_changes(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("d")
        await corpus_loaded(pilot)
        await pilot.press("n")
        await pilot.pause()
        count = app.screen.query_one(DiffView).change_count
        line = stats_line(app)
        assert line.startswith(f"change 1 of {count}  ")
        assert f"  {count} changes:" in line


async def test_hiding_noise_keeps_the_place_in_the_text(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("d")
        await corpus_loaded(pilot)
        view = app.screen.query_one(DiffView)
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y > 0
        await pilot.press("x")
        await corpus_loaded(pilot)
        await pilot.pause()
        assert view.scroll_y > view.max_scroll_y / 2 > 0  # near the end still, not at the top


async def test_x_and_v_say_what_they_will_do_next(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("d")
        await corpus_loaded(pilot)
        assert (footer_description(app, "x"), footer_description(app, "v")) == (
            "Hide noise",
            "Side by side",
        )
        await pilot.press("x", "v")
        await corpus_loaded(pilot)
        assert (footer_description(app, "x"), footer_description(app, "v")) == (
            "Show noise",
            "Inline",
        )


async def test_the_base_mark_shows_in_the_list_and_the_diff_header(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("j", "m")  # mark 002, the story of one
        rows = app.query_one(RowList).rows
        assert rows[1].detail.startswith("◆ base · ")
        await pilot.press("k", "d")
        await corpus_loaded(pilot)
        assert isinstance(app.screen, DiffScreen)
        title = app.screen.query_one("#diff-title", Static).content
        assert isinstance(title, Text)
        assert title.plain.startswith("◆ base 002_")


async def test_m_again_clears_the_mark(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("j", "m", "m")
        assert app.marked is None
        assert not any(row.detail.startswith("◆") for row in app.query_one(RowList).rows)


async def test_escape_clears_the_mark_and_d_compares_with_the_predecessor(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("j", "m", "escape")
        assert app.marked is None
        await pilot.press("k", "d")
        await corpus_loaded(pilot)
        assert isinstance(app.screen, DiffScreen)
        assert app.screen.base.name.startswith("000_")


async def test_the_reader_offers_n_only_when_there_are_matches(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("tab")
        assert "n" not in app.screen.active_bindings or not app.screen.active_bindings["n"].enabled
        app.open_article_by_id(app.current_article.id, ("NATO",))  # type: ignore[union-attr]
        await pilot.pause()
        assert app.screen.active_bindings["n"].enabled


async def test_n_in_the_reader_marks_the_current_search_match(seeds: Path) -> None:
    from reader.tui.widgets.article_view import ArticleView

    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        article = app.current_article
        assert article is not None
        app.open_article_by_id(article.id, ("Colby",))
        await pilot.pause()
        view = app.query_one(ArticleView)
        assert view.current_match == 0  # opening a hit goes to its first match
        await pilot.press("n")
        assert view.current_match == 1
        line = view.match_lines[1]
        strip = view.decorate_line(view._all_strips()[line])
        current = [s.text for s in strip if s.style and s.style.reverse and s.style.underline]
        assert current == ["Colby"]


async def test_the_flagged_counter_and_the_stats_count_the_same_flagged_changes(
    seeds: Path,
) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("d")
        await corpus_loaded(pilot)
        await pilot.press("f")
        await pilot.pause()
        count = app.screen.query_one(DiffView).flag_count
        line = stats_line(app)
        assert line.startswith(f"flagged 1 of {count}  ")
        assert f"  {count} flagged:" in line
