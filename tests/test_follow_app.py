"""Following a story in the app: read state and what's new, the timeline (t) and
provenance (b), end to end on a five-version story (tests/follow_story.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from follow_story import CAUSE, CLOSING, HOSPITAL_V4, TOLL_V4, write_story, write_version
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from reader.cli.main import main
from reader.diff.noise import ChangeKind
from reader.diff.word_diff import diff_texts
from reader.grouping.stories import Story
from reader.present.story_rows import UNREAD_MARK
from reader.tui.app import NewsReaderApp
from reader.tui.screens.diff_screen import DiffScreen
from reader.tui.screens.provenance_screen import ProvenanceScreen, ProvenanceView
from reader.tui.screens.timeline_screen import TimelineScreen
from reader.tui.screens.whats_new_screen import WhatsNewScreen
from reader.tui.widgets.row_list import RowList

SIZE = (120, 36)


async def settled(pilot: Pilot[None]) -> None:
    """Wait for the corpus and any work started by the last keys."""
    for _ in range(100):
        await pilot.pause(0.05)
        if isinstance(pilot.app, NewsReaderApp) and pilot.app.library is not None:
            break
    background = ("watch", "follow-prefetch")  # the watcher runs until the app ends
    for _ in range(200):
        if all(w.is_finished for w in pilot.app.workers if w.group not in background):
            break
        await pilot.pause(0.05)
    await pilot.pause()


def lyon(app: NewsReaderApp) -> Story:
    assert app.library is not None
    return next(s for s in app.library.stories if s.versions[0].name == "lyon_01.txt")


def story_row_title(app: NewsReaderApp) -> str:
    row = app.story_rows.index_of_story(lyon(app))
    return app.query_one(RowList).rows[row].title


async def open_story_row(pilot: Pilot[None], app: NewsReaderApp) -> None:
    """Put the list cursor on the Lyon story and press Enter, as a user would."""
    app.query_one(RowList).focus()
    app.query_one(RowList).cursor = app.story_rows.index_of_story(lyon(app))
    await pilot.press("enter")
    await settled(pilot)


def new_words(screen: WhatsNewScreen) -> list[str]:
    assert screen.news is not None
    inserted = [c.new for c in screen.news.diff.changes if c.kind is ChangeKind.EDIT and c.new]
    return " ".join(inserted).split()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "lyon"
    write_story(folder, versions=4)
    return folder


async def test_a_version_added_between_runs_is_unread_and_whats_new_shows_its_words(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "index.sqlite3"
    app = NewsReaderApp([corpus], index_file=index, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await open_story_row(pilot, app)
        assert not story_row_title(app).startswith(UNREAD_MARK)
    write_version(corpus, 5)
    assert main(["unread", str(corpus), "--index", str(index), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["stories"]
    assert [(s["read_version"], s["versions"], s["unread"]) for s in listed] == [(4, 5, 1)]

    app = NewsReaderApp([corpus], index_file=index, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert story_row_title(app).startswith(f"{UNREAD_MARK}1 ")
        await open_story_row(pilot, app)
        assert isinstance(app.screen, WhatsNewScreen)
        assert app.screen.news is not None and app.screen.news.since == 4
        assert new_words(app.screen) == CLOSING.split()
        assert app.screen.news.diff.stats.words_deleted == 0
        await pilot.press("escape")
        assert not story_row_title(app).startswith(UNREAD_MARK)


@pytest.mark.skipif(sys.platform != "linux", reason="relies on inotify for a prompt refresh")
async def test_a_version_added_while_running_is_marked_and_u_opens_whats_new(
    corpus: Path, tmp_path: Path
) -> None:
    app = NewsReaderApp([corpus], index_file=tmp_path / "index.sqlite3", watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await open_story_row(pilot, app)
        await pilot.pause(1.0)  # let the watcher start
        write_version(corpus, 5)
        for _ in range(100):
            await pilot.pause(0.1)
            if len(lyon(app)) == 5:
                break
        assert len(lyon(app)) == 5
        assert story_row_title(app).startswith(f"{UNREAD_MARK}1 ")
        app.query_one(RowList).focus()
        await pilot.press("u")
        await settled(pilot)
        assert isinstance(app.screen, WhatsNewScreen)
        assert new_words(app.screen) == CLOSING.split()


async def test_u_says_so_when_no_story_has_unread_versions(corpus: Path, tmp_path: Path) -> None:
    app = NewsReaderApp([corpus], index_file=tmp_path / "index.sqlite3", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert not isinstance(app.screen, WhatsNewScreen)
        assert "No story has unread versions." in [n.message for n in app._notifications]


def timeline_cells(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_the_timeline_agrees_with_story_json_and_with_the_diffs(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_version(corpus, 5)
    index = tmp_path / "index.sqlite3"
    app = NewsReaderApp([corpus], index_file=index, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await open_story_row(pilot, app)
        await pilot.press("t")
        await settled(pilot)
        assert isinstance(app.screen, TimelineScreen)
        cells = timeline_cells(app.screen.query_one(DataTable))
    assert main(["story", str(corpus / "lyon_01.txt"), "--index", str(index), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    texts = [(corpus / f"lyon_0{n}.txt").read_text() for n in range(1, 6)]
    assert [row[0] for row in cells] == ["v1", "v2", "v3", "v4", "v5"]
    for row, version in zip(cells[1:], document["versions"][1:], strict=True):
        number = version["number"]
        stats = diff_texts(texts[number - 2], texts[number - 1]).stats
        assert (version["words_added"], version["words_deleted"]) == (
            stats.words_inserted,
            stats.words_deleted,
        )
        assert row[4:7] == [
            f"+{stats.words_inserted}",
            f"−{stats.words_deleted}",
            str(stats.words_moved),
        ]
        assert row[2] == f"lyon_0{number}.txt"


async def test_the_timeline_opens_on_the_version_read_and_enter_diffs_it_with_its_predecessor(
    corpus: Path, tmp_path: Path
) -> None:
    app = NewsReaderApp([corpus], index_file=tmp_path / "index.sqlite3", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await open_story_row(pilot, app)
        await pilot.press("t")
        await settled(pilot)
        assert isinstance(app.screen, TimelineScreen)
        assert app.screen.cursor_version == 4  # the version being read
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, DiffScreen)
        assert (app.screen.base.name, app.screen.target.name) == ("lyon_03.txt", "lyon_04.txt")


async def test_a_marked_timeline_row_is_compared_with_the_row_picked_next(
    corpus: Path, tmp_path: Path
) -> None:
    app = NewsReaderApp([corpus], index_file=tmp_path / "index.sqlite3", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await open_story_row(pilot, app)
        await pilot.press("t")
        await settled(pilot)
        await pilot.press("up", "up", "up", "m")
        assert isinstance(app.screen, TimelineScreen) and app.screen.marked == 1
        assert app.screen.query_one(DataTable).get_cell("1", "v").style == "bold reverse"
        await pilot.press("down", "down", "down", "enter")
        await settled(pilot)
        assert isinstance(app.screen, DiffScreen)
        assert (app.screen.base.name, app.screen.target.name) == ("lyon_01.txt", "lyon_04.txt")


async def provenance_of_v5(pilot: Pilot[None], app: NewsReaderApp) -> ProvenanceScreen:
    await open_story_row(pilot, app)  # opens the newest version, v5
    await pilot.press("tab", "b")  # to the reading pane, then provenance
    await settled(pilot)
    assert isinstance(app.screen, ProvenanceScreen)
    return app.screen


async def move_to(pilot: Pilot[None], view: ProvenanceView, start: str) -> None:
    for _ in range(30):
        if view.sentence is not None and view.sentence.text.startswith(start):
            return
        await pilot.press("n")
    raise AssertionError(f"no sentence starts with {start!r}")


def history(screen: ProvenanceScreen) -> str:
    return str(screen.query_one("#sentence-history", Static).render())


async def test_provenance_shows_the_version_that_added_a_sentence(
    corpus: Path, tmp_path: Path
) -> None:
    write_version(corpus, 5)
    app = NewsReaderApp([corpus], index_file=tmp_path / "index.sqlite3", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = await provenance_of_v5(pilot, app)
        view = screen.query_one(ProvenanceView)
        await move_to(pilot, view, CAUSE[:20])
        assert "Introduced in v3 · lyon_03.txt" in history(screen)
        assert "Not edited since." in history(screen)
        line = next(text for text in view.plain_lines() if CAUSE[:20] in text)
        assert line.split()[0] == "v3"
        await pilot.press("b")
        assert not isinstance(app.screen, ProvenanceScreen)


async def test_provenance_of_a_sentence_edited_later_shows_both_versions(
    corpus: Path, tmp_path: Path
) -> None:
    write_version(corpus, 5)
    app = NewsReaderApp([corpus], index_file=tmp_path / "index.sqlite3", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = await provenance_of_v5(pilot, app)
        view = screen.query_one(ProvenanceView)
        await move_to(pilot, view, TOLL_V4[:12])
        assert "Introduced in v1" in history(screen) and "Edited in v4" in history(screen)
        await move_to(pilot, view, HOSPITAL_V4[:15])
        text = history(screen)
        assert "Introduced in v3 · lyon_03.txt" in text
        assert "Edited in v4" in text and "14 → 20 [numbers]" in text
        line = next(text for text in view.plain_lines() if HOSPITAL_V4[:15] in text)
        assert line.split()[0] == "v3*"


async def test_clicking_a_sentence_shows_its_history(corpus: Path, tmp_path: Path) -> None:
    write_version(corpus, 5)
    app = NewsReaderApp([corpus], index_file=tmp_path / "index.sqlite3", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = await provenance_of_v5(pilot, app)
        view = screen.query_one(ProvenanceView)
        line = next(n for n, text in enumerate(view.plain_lines()) if CAUSE[:20] in text)
        await pilot.click(ProvenanceView, offset=(view.gutter.left + 12, line + view.gutter.top))
        await pilot.pause()
        assert view.sentence is not None and view.sentence.text.startswith(CAUSE[:20])
        assert "Introduced in v3" in history(screen)


async def test_the_story_being_read_is_prepared_in_the_background(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.follow.followed as followed_module

    app = NewsReaderApp([corpus], index_file=tmp_path / "index.sqlite3", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await open_story_row(pilot, app)
        await app.workers.wait_for_complete()  # the background build, after its delay

        def no_building(_texts: object) -> None:
            raise AssertionError("provenance was built again")

        monkeypatch.setattr(followed_module, "build_provenance", no_building)
        assert app.index is not None
        followed = followed_module.follow_story(lyon(app), app.index)
        assert len(followed.provenance.versions) == 4


async def test_a_timeline_that_cannot_be_built_says_why(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.tui.screens.follow_work as follow_work

    def broken(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(follow_work, "follow_story", broken)
    app = NewsReaderApp([corpus], index_file=tmp_path / "index.sqlite3", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("t")
        for _ in range(40):
            await pilot.pause(0.05)
            status = str(app.screen.query_one("#timeline-status", Static).render())
            if "disk on fire" in status:
                break
        assert status == "Cannot build the timeline: RuntimeError: disk on fire"
