"""Users remap keys in keymap.toml by binding id; the app and `?` follow it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.tui.app import NewsReaderApp
from reader.tui.keymap import load_keymap
from reader.tui.screens.diff_screen import DiffScreen
from reader.tui.screens.help import HelpScreen, bindings_table


def every_binding(app: NewsReaderApp) -> list:  # type: ignore[type-arg]
    from reader.tui.screens.diff_screen import DiffScreen as Diff
    from reader.tui.screens.links_screen import LinksScreen
    from reader.tui.screens.problems import ProblemsScreen
    from reader.tui.screens.search_screen import SearchScreen
    from reader.tui.widgets.article_view import ArticleView
    from reader.tui.widgets.diff_view import DiffView
    from reader.tui.widgets.rendered_lines import RenderedLinesView
    from reader.tui.widgets.row_list import RowList

    classes = [NewsReaderApp, RowList, RenderedLinesView, ArticleView, Diff, DiffView]
    classes += [SearchScreen, ProblemsScreen, HelpScreen, LinksScreen]
    return [binding for cls in classes for binding in cls.BINDINGS]


def test_every_binding_has_a_unique_id() -> None:
    bindings = every_binding(NewsReaderApp())
    ids = [binding.id for binding in bindings]
    assert None not in ids
    assert len(ids) == len(set(ids))


def test_a_missing_keymap_is_no_problem(tmp_path: Path) -> None:
    assert load_keymap(tmp_path / "keymap.toml") == ({}, None)


def test_a_keymap_maps_ids_to_keys_and_reports_what_it_ignores(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text('"app.diff" = "ctrl+d"\n"app.quit" = 3\n')
    keymap, problem = load_keymap(path)
    assert keymap == {"app.diff": "ctrl+d"}
    assert problem is not None and "app.quit" in problem


def test_a_malformed_keymap_is_reported_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text("this is = = not toml")
    keymap, problem = load_keymap(path)
    assert keymap == {}
    assert problem is not None and "was not used" in problem


def test_help_shows_the_users_keys() -> None:
    from rich.console import Console

    console = Console(width=120, record=True)
    console.print(bindings_table([("Everywhere", NewsReaderApp.BINDINGS)], {"app.diff": "z"}))
    text = console.export_text()
    diff_line = next(line for line in text.splitlines() if "app.diff" in line)
    assert diff_line.split()[0] == "z"


async def test_a_remapped_key_drives_the_app(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    (config / "newsreader").mkdir(parents=True)
    (config / "newsreader" / "keymap.toml").write_text('"app.diff" = "z"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.keymap == {"app.diff": "z"}
        await pilot.press("tab", "z")
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, DiffScreen)


def vetted(tmp_path: Path, text: str) -> tuple[dict[str, str], list[str]]:
    from reader.tui.keymap import vet_keymap

    path = tmp_path / "keymap.toml"
    path.write_text(text)
    keymap, _ = load_keymap(path)
    app = NewsReaderApp()
    return vet_keymap(keymap, app._normalize_keymap(keymap), app._binding_places(), path)


def test_an_unknown_binding_id_is_reported_with_its_line(tmp_path: Path) -> None:
    keymap, problems = vetted(tmp_path, '"app.diff" = "z"\n"app.dif" = "y"\n')
    assert keymap == {"app.diff": "z"}
    assert problems == [
        f"{tmp_path / 'keymap.toml'}, line 2: 'app.dif' is not a binding id (? lists them); ignored"
    ]


def test_a_key_that_would_steal_another_binding_is_ignored_and_reported(tmp_path: Path) -> None:
    keymap, problems = vetted(tmp_path, '# mine\n"app.diff" = "q"\n')
    assert keymap == {}
    assert len(problems) == 1
    assert "line 2" in problems[0] and "'q' is already the key of app.quit" in problems[0]


def test_a_key_freed_by_remapping_its_owner_may_be_taken(tmp_path: Path) -> None:
    keymap, problems = vetted(tmp_path, '"app.search" = "ctrl+f"\n"app.diff" = "/"\n')
    assert keymap == {"app.search": "ctrl+f", "app.diff": "/"}
    assert problems == []


def test_keys_in_different_screens_do_not_clash(tmp_path: Path) -> None:
    keymap, problems = vetted(tmp_path, '"diff.toggle-noise" = "j"\n')
    assert problems == []
    assert keymap == {"diff.toggle-noise": "j"}


async def test_keymap_problems_are_shown_on_start(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    (config / "newsreader").mkdir(parents=True)
    (config / "newsreader" / "keymap.toml").write_text('"app.nope" = "z"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("line 1: 'app.nope' is not a binding id" in m for m in messages)
