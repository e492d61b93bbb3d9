"""The app driven as a person would: keys pressed through the Pilot, screen read back."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from reader.app import NewsReaderApp
from reader.screens.help import HelpScreen
from reader.widgets.article_view import ArticleView
from reader.widgets.row_list import RowList

SIZE = (120, 36)


async def loaded(pilot: Pilot[None]) -> None:
    """Wait until the corpus worker has finished and its messages are handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def reader_text(app: NewsReaderApp) -> str:
    return "\n".join(app.query_one(ArticleView).plain_lines())


async def test_opens_on_the_first_article_with_the_corpus_in_the_header(seeds: Path) -> None:
    app = NewsReaderApp([seeds])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.sub_title == "seeds · 3 articles"
        assert len(app.query_one(RowList).rows) == 3
        text = reader_text(app)
        assert "000_92d068e9d1995ac3.txt · 317 words" in text
        assert "Hegseth’s absence marks the second time" in text


async def test_j_then_enter_opens_the_second_article_and_focuses_the_reader(seeds: Path) -> None:
    app = NewsReaderApp([seeds])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j", "enter")
        view = app.query_one(ArticleView)
        assert view.article is not None and view.article.name.startswith("001_")
        assert "Colby sees 'strong basis' for working with Europeans" in reader_text(app)
        assert app.focused is view


async def test_list_keys_move_the_cursor(seeds: Path) -> None:
    app = NewsReaderApp([seeds])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        article_list = app.query_one(RowList)
        await pilot.press("G")
        assert article_list.cursor == 2
        await pilot.press("k")
        assert article_list.cursor == 1
        await pilot.press("g")
        assert article_list.cursor == 0
        await pilot.press("down", "down", "down", "down")
        assert article_list.cursor == 2
        await pilot.press("right")
        assert app.query_one(ArticleView).article.name.startswith("002_")  # type: ignore[union-attr]


async def test_tab_switches_panes_and_left_returns_to_the_list(seeds: Path) -> None:
    app = NewsReaderApp([seeds])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert isinstance(app.focused, RowList)
        await pilot.press("tab")
        assert isinstance(app.focused, ArticleView)
        await pilot.press("left")
        assert isinstance(app.focused, RowList)


async def test_reader_pages_and_jumps_to_the_bottom(seeds: Path) -> None:
    app = NewsReaderApp([seeds])
    async with app.run_test(size=(100, 20)) as pilot:
        await loaded(pilot)
        await pilot.press("tab")
        view = app.query_one(ArticleView)
        await pilot.press("space")
        assert view.scroll_y > 0
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y > 0
        await pilot.press("g")
        assert view.scroll_y == 0


async def test_clicking_a_row_opens_it(seeds: Path) -> None:
    app = NewsReaderApp([seeds])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.click(RowList, offset=(5, 4))
        assert app.query_one(RowList).cursor == 2
        assert app.query_one(ArticleView).article.name.startswith("002_")  # type: ignore[union-attr]


async def test_question_mark_lists_every_binding(seeds: Path) -> None:
    app = NewsReaderApp([seeds])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(
            f"{heading}: " + ", ".join(str(b) for b in bindings)
            for heading, bindings in app.screen.sections
        )
        for description in ("Quit", "Open", "Page down", "Back to list", "Switch pane", "Commands"):
            assert description in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(seeds: Path) -> None:
    app = NewsReaderApp([seeds])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_an_empty_corpus_explains_itself(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.7")
    app = NewsReaderApp([tmp_path])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        text = reader_text(app)
        assert "No articles in" in text
        assert "newsreader reads .txt and .md files" in text
        assert "notes.pdf: not a .txt or .md file" in text
        assert app.query_one(RowList).placeholder == "No articles"


async def test_command_palette_opens_an_article_by_headline(seeds: Path) -> None:
    app = NewsReaderApp([seeds])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Open: U.S. Defense")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(ArticleView).article.name.startswith("002_")  # type: ignore[union-attr]
