"""The layout adapts to the terminal: the article keeps a readable measure at 80×24, the
panes take turns on a narrow screen, and the help names keys as people type them."""

from __future__ import annotations

import io
from pathlib import Path

from archive_corpus import write_archive_corpus
from conftest import corpus_loaded
from rich.console import Console

from reader.tui.app import NewsReaderApp, list_width_for
from reader.tui.screens.help import HelpScreen, bindings_table, key_name
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.row_list import RowList


def test_the_list_narrows_before_the_article_loses_its_measure() -> None:
    assert list_width_for(160) == 56
    assert list_width_for(120) == 36
    assert list_width_for(100) == 32
    assert list_width_for(99) is None
    assert list_width_for(80) is None


async def test_at_80_by_24_the_open_article_reads_in_at_least_55_columns(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("j", "enter")
        view = app.query_one(ArticleView)
        assert app.focused is view
        assert view.text_width() >= 55
        assert not app.query_one(RowList).display
        longest = max(len(line) for line in view.plain_lines())
        assert longest >= 55


async def test_at_80_columns_escape_brings_the_list_back_full_width(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("j", "enter", "escape")
        story_list = app.query_one(RowList)
        assert app.focused is story_list
        assert story_list.display and story_list.size.width == 80
        assert not app.query_one(ArticleView).display


async def test_tab_switches_panes_when_only_one_fits(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("tab")
        assert app.focused is app.query_one(ArticleView)
        await pilot.press("tab")
        assert app.focused is app.query_one(RowList)


async def test_at_40_by_12_the_article_is_on_screen_when_read(tmp_path: Path) -> None:
    app = NewsReaderApp([write_archive_corpus(tmp_path / "archive")], watch=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("enter", "j", "enter")  # expand the story, open its first version
        view = app.query_one(ArticleView)
        assert view.display and view.size.width > 30
        assert "BRAZIL" in "\n".join(view.plain_lines())


async def test_wide_terminals_show_both_panes(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await corpus_loaded(pilot)
        assert app.query_one(RowList).display and app.query_one(ArticleView).display
        assert app.query_one(RowList).outer_size.width == 56
        assert app.query_one(ArticleView).text_width() == 76


def test_key_names_are_written_as_people_type_them() -> None:
    assert [key_name(key) for key in ("less_than_sign", "greater_than_sign")] == ["<", ">"]
    assert key_name("ctrl+d") == "Ctrl+D"
    assert key_name("pagedown") == "PgDn"
    assert key_name("escape") == "Esc"
    assert key_name("G") == "G"


async def test_help_names_the_base_keys_as_less_and_greater_than(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = _plain_table(app.screen)
        assert "less_than_sign" not in text
        lines = [line for line in text.split("\n") if "Older base" in line or "Newer base" in line]
        assert [line.split()[0] for line in lines] == ["<", ">"]


def _plain_table(screen: object) -> str:
    """The help's table as the screen shows it, in plain text."""
    assert isinstance(screen, HelpScreen)
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(bindings_table(screen.sections, screen.keymap))
    return console.export_text()


async def test_g_and_end_scroll_the_help_to_its_last_line(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("question_mark", "G")
        await pilot.pause()
        body = app.screen.query_one("#help-body")
        assert body.scroll_y == body.max_scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert body.scroll_y == 0


async def test_at_40_columns_the_footer_leaves_out_keys_rather_than_cut_one(
    tmp_path: Path,
) -> None:
    from reader.tui.widgets.footer import FittingFooter

    app = NewsReaderApp([write_archive_corpus(tmp_path / "archive")], watch=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("enter", "j", "j", "d")  # the diff of brazil-1 and brazil-2
        await corpus_loaded(pilot)
        await pilot.pause(0.3)
        footer = app.screen.query_one(FittingFooter)
        shown = [child for child in footer.children if child.display]
        assert shown, "some keys are shown"
        assert len(shown) < len(footer.children)
        assert all(child.virtual_region_with_margin.right <= 40 for child in shown)


async def test_a_search_hit_opened_at_80_columns_shows_its_first_match(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await corpus_loaded(pilot)
        article = app.library.stories[1].latest  # type: ignore[union-attr]
        app.open_article_by_id(article.id, ("Hague",))
        await pilot.pause()
        await pilot.pause()
        view = app.query_one(ArticleView)
        assert view.display and view.current_match == 0
        line = view.match_lines[0]
        assert view.scroll_y <= line < view.scroll_y + view.size.height
