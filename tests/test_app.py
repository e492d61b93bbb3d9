"""The app driven as a person would: keys pressed through the Pilot, screen read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import corpus_loaded

from reader.tui.app import NewsReaderApp
from reader.tui.screens.diff_screen import DiffScreen
from reader.tui.screens.help import HelpScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.diff_view import DiffView
from reader.tui.widgets.row_list import RowList

SIZE = (120, 36)


def reader_text(app: NewsReaderApp) -> str:
    return "\n".join(app.query_one(ArticleView).plain_lines())


def open_name(app: NewsReaderApp) -> str:
    article = app.query_one(ArticleView).article
    assert article is not None
    return article.name[:3]


async def test_opens_on_the_latest_version_of_the_first_story(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        assert app.sub_title == "seeds · 2 stories · 3 articles"
        rows = app.query_one(RowList).rows
        assert [row.title[:20] for row in rows] == ["Pentagon policy chie", "U.S. Defense Secreta"]
        assert rows[0].detail.startswith("2 versions")
        assert open_name(app) == "001"
        assert "001_6820f5698ca6a636.txt · 325 words" in reader_text(app)


async def test_j_then_enter_opens_the_second_story_and_focuses_the_reader(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("j", "enter")
        assert open_name(app) == "002"
        assert "Today will be an important meeting" in reader_text(app)
        assert app.focused is app.query_one(ArticleView)


async def test_enter_on_a_story_expands_its_versions_and_opens_the_latest(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("enter")
        rows = app.query_one(RowList).rows
        assert [row.detail.split(" · ")[0] for row in rows[1:3]] == ["v1", "v2"]
        assert len(rows) == 4
        await pilot.press("j", "enter")
        assert open_name(app) == "000"
        await pilot.press("left", "k", "enter")
        assert len(app.query_one(RowList).rows) == 2


async def test_brackets_step_through_the_versions_of_a_story(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("tab", "left_square_bracket")
        assert open_name(app) == "000"
        assert "NATO should be built on partnership" in reader_text(app)
        await pilot.press("left_square_bracket")
        assert open_name(app) == "000"  # already the first version
        await pilot.press("right_square_bracket")
        assert open_name(app) == "001"


async def test_list_keys_move_the_cursor(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        story_list = app.query_one(RowList)
        await pilot.press("G")
        assert story_list.cursor == 1
        await pilot.press("k")
        assert story_list.cursor == 0
        await pilot.press("down", "down", "down")
        assert story_list.cursor == 1
        await pilot.press("g")
        assert story_list.cursor == 0


async def test_tab_switches_panes_and_left_returns_to_the_list(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        assert isinstance(app.focused, RowList)
        await pilot.press("tab")
        assert isinstance(app.focused, ArticleView)
        await pilot.press("left")
        assert isinstance(app.focused, RowList)


async def test_reader_pages_and_jumps_to_the_bottom(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(100, 20)) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("tab")
        view = app.query_one(ArticleView)
        await pilot.press("space")
        assert view.scroll_y > 0
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y > 0
        await pilot.press("g")
        assert view.scroll_y == 0


async def test_clicking_a_row_opens_it(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.click(RowList, offset=(5, 2))
        assert app.query_one(RowList).cursor == 1
        assert open_name(app) == "002"


async def test_d_compares_a_version_with_its_predecessor(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("tab", "d")
        await corpus_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        assert (screen.base.name[:3], screen.target.name[:3]) == ("000", "001")
        view = app.screen.query_one(DiffView)
        assert view.diff is not None and view.diff.changes
        text = "\n".join(view.plain_lines())
        assert "shouldto" in text and "builtbased" in text  # struck old, then new
        await pilot.press("n", "n")
        assert view.current_change == 1
        await pilot.press("N")
        assert view.current_change == 0
        with_noise = len(view.change_lines)
        await pilot.press("x")
        assert 0 < len(view.change_lines) < with_noise
        await pilot.press("v")
        assert view.side_by_side
        assert "old" in view.plain_lines()[0] and "new" in view.plain_lines()[0]
        await pilot.press("escape")
        assert not isinstance(app.screen, DiffScreen)


async def test_f_and_shift_f_jump_between_flagged_changes(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("tab", "d")
        await corpus_loaded(pilot)
        view = app.screen.query_one(DiffView)
        assert view.diff is not None and view.diff.flagged_changes()
        assert 0 < len(view.flag_lines) <= len(view.change_lines)
        assert "⚑" in "\n".join(view.plain_lines())
        await pilot.press("f")
        assert view.current_flag == 0
        await pilot.press("F")
        assert view.current_flag == len(view.flag_lines) - 1


async def test_a_marked_article_becomes_the_base(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("j", "m", "k", "d")
        await corpus_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        assert (screen.base.name[:3], screen.target.name[:3]) == ("002", "001")


async def test_d_on_a_first_version_explains_how_to_compare(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("j", "d")
        assert not isinstance(app.screen, DiffScreen)
        assert any("first version" in n.message for n in app._notifications)


async def test_question_mark_lists_every_binding(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(
            f"{heading}: " + ", ".join(str(b) for b in bindings)
            for heading, bindings in app.screen.sections
        )
        for description in (
            "Quit", "Open", "Page down", "Back to list", "Switch pane", "Commands", "Diff",
            "Mark as base", "Older version", "Next change", "Hide noise", "Side by side",
        ):  # fmt: skip
            assert description in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_an_empty_corpus_explains_itself(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.7")
    app = NewsReaderApp([tmp_path], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        text = reader_text(app)
        assert "No articles in" in text
        assert "NITF, NewsML, ninjs" in text
        assert "notes.pdf: binary file (a PDF document)" in text
        assert app.query_one(RowList).placeholder == "No articles"


async def test_command_palette_opens_an_article_by_headline(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"nato should")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert open_name(app) == "000"


async def test_command_palette_finds_a_file_name_and_offers_recent_articles(seeds: Path) -> None:
    from textual.command import CommandPalette

    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"d466549587")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert open_name(app) == "002"
        assert [article.name[:3] for article in app.recently_opened][:1] == ["002"]
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        assert isinstance(app.screen, CommandPalette)
        shown = app.screen.query_one("CommandList").option_count
        prompts = [
            str(app.screen.query_one("CommandList").get_option_at_index(n).prompt)
            for n in range(shown)
        ]
        assert any(prompt.startswith("Recent: ") and "002_" in prompt for prompt in prompts)


async def test_slash_searches_and_opens_a_hit_with_matches_marked(seeds: Path) -> None:
    from reader.tui.screens.search_screen import SearchScreen

    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"Rutte reliance")
        for _ in range(20):
            await pilot.pause(0.05)
            if app.screen.hits:
                break
        assert app.screen.hits[0].name.startswith("002_")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert open_name(app) == "002"
        view = app.query_one(ArticleView)
        assert len(view.match_lines) >= 2
        first = view.current_match
        await pilot.press("n")
        assert view.current_match == first + 1


async def test_a_file_added_while_running_appears_and_marks_its_story(seeds: Path) -> None:
    from reader.present.story_rows import UNREAD_MARK as UPDATED

    app = NewsReaderApp([seeds], watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        for _ in range(40):
            await pilot.pause(0.1)
            if app.library is not None:
                break
        await pilot.pause(1.0)  # let the watcher start
        update = next(seeds.glob("001_*")).read_text().replace("Thursday", "Friday")
        (seeds / "050_update.txt").write_text(update + "\nA new paragraph.")
        for _ in range(100):
            await pilot.pause(0.1)
            if app.library is not None and len(app.library.corpus.articles) == 4:
                break
        assert app.library is not None and len(app.library.corpus.articles) == 4
        story = app.library.stories[0]
        assert [v.name[:3] for v in story.versions] == ["000", "001", "050"]
        assert app.query_one(RowList).rows[0].title.startswith(UPDATED)
        await pilot.press("enter")
        assert not app.query_one(RowList).rows[0].title.startswith(UPDATED)


async def test_a_large_corpus_is_read_by_worker_processes_inside_the_app(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.ingest.workers

    pools_started: list[int] = []
    real_worker_pool = reader.ingest.workers.worker_pool

    def counting_worker_pool(workers: int):  # type: ignore[no-untyped-def]
        pools_started.append(workers)
        return real_worker_pool(workers)

    monkeypatch.setattr(reader.ingest.workers, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(reader.ingest.workers, "default_workers", lambda: 2)
    monkeypatch.setattr(reader.ingest.workers, "worker_pool", counting_worker_pool)
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        assert app.library is not None, app.sub_title
        assert app.sub_title == "seeds · 2 stories · 3 articles"
    assert pools_started and all(workers == 2 for workers in pools_started)


async def test_list_rows_never_spill_onto_the_next_screen_line(seeds: Path) -> None:
    from rich.segment import Segment

    from reader.present.list_row import ListRow

    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        story_list = app.query_one(RowList)
        story_list.set_rows([ListRow(title="two\nlines", detail="tab\there and\nnewline " * 20)])
        await pilot.pause()
        width = story_list.scrollable_content_region.width
        for y in range(2):
            strip = story_list.render_line(y)
            assert Segment.get_line_length(list(strip)) == width
            assert "\n" not in strip.text


async def test_a_long_diff_lays_out_only_the_blocks_on_screen(seeds: Path) -> None:
    from reader.diff.word_diff import diff_texts

    article = next(seeds.glob("000_*")).read_text()
    old = "\n\n".join([article] * 60)
    new = "\n\n".join([article.replace("defence", "defense")] * 60)
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("tab", "d")
        await corpus_loaded(pilot)
        view = app.screen.query_one(DiffView)
        for side_by_side in (True, False):
            view.show_diff(diff_texts(old, new), show_noise=True, side_by_side=side_by_side)
            await pilot.pause()
            layout = view.block_layout
            assert layout is not None and view.line_count > 1000
            await pilot.press("n", "N", "N")  # the first change, then back to the last two
            assert view.current_change == view.change_count - 2 >= 60
            assert layout.laid_out < len(layout.blocks) // 4, "only what was on screen"
            assert len(view.change_lines) == view.change_count


async def test_a_diff_of_one_huge_paragraph_is_cut_into_small_blocks(seeds: Path) -> None:
    from reader.diff.word_diff import diff_texts
    from reader.tui.widgets.diff_view import BLOCK_CHARS

    words = [f"word{number % 997}" for number in range(20_000)]  # one 200 kB paragraph
    old = "Headline\n\n" + " ".join(words)
    new = "Headline\n\n" + " ".join(w if n % 50 else "changed" for n, w in enumerate(words))
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await corpus_loaded(pilot)
        await pilot.press("tab", "d")
        await corpus_loaded(pilot)
        view = app.screen.query_one(DiffView)
        for side_by_side in (False, True):
            view.show_diff(diff_texts(old, new), show_noise=True, side_by_side=side_by_side)
            await corpus_loaded(pilot)
            layout = view.block_layout
            assert layout is not None and len(layout.blocks) > 20
            sizes = [
                max(len(block.old), len(block.new)) if hasattr(block, "old") else len(block)
                for block in layout.blocks[1:]
            ]
            assert max(sizes) <= 2 * BLOCK_CHARS
            assert layout.laid_out < len(layout.blocks) // 4, "only what is on screen"
