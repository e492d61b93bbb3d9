"""Article text and file names are data: a corpus built to attack the reader cannot drive
the terminal, run an action, or change a file, in the command line or the app."""

from __future__ import annotations

import io
import json
import os
import select
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from attack_corpus import (
    MARKER,
    NOT_UTF8_NAME,
    attack_reached,
    build_attack_corpus,
    payloads,
    snapshot,
    strip_own_sequences,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from reader.cli.main import main
from reader.diff.word_diff import diff_texts
from reader.ingest.corpus import CorpusFile, read_article
from reader.present.article import render_article
from reader.present.diff import render_inline, render_plain, render_side_by_side
from reader.present.search import hits_table
from reader.present.stories import stories_table
from reader.store.library import open_corpus
from reader.text.safe_text import json_dumps, safe_line, safe_text

_BIDI = {chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def unsafe_characters(text: str, *, allowed: str = "\n\t") -> set[str]:
    """Characters of `text` that could act on a terminal or reorder a line."""
    return {
        character
        for character in text
        if character not in allowed
        and (unicodedata.category(character) in ("Cc", "Cs") or character in _BIDI)
    }


@pytest.fixture
def attack(tmp_path: Path) -> Path:
    root = tmp_path / "attack"
    build_attack_corpus(root)
    return root


# -- the boundary ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(payloads()))
def test_every_attack_is_shown_as_visible_stand_ins_of_the_same_length(name: str) -> None:
    attack = payloads()[name]
    shown = safe_text(attack)
    assert unsafe_characters(shown) == set()
    assert len(shown) == len(attack)
    assert attack_reached(shown.encode()) == []


def test_control_pictures_stand_in_for_escape_and_bell() -> None:
    assert safe_text("a\x1b[2Jb\x07") == "a␛[2Jb␇"
    assert safe_text("\x9b31m \u202eevil") == "\ufffd31m ⇄evil"


def test_text_keeps_newlines_and_tabs_and_a_line_shows_them() -> None:
    assert safe_text("one\ttwo\nthree") == "one\ttwo\nthree"
    assert safe_line("one\ttwo\nthree\r") == "one␉two␤three␍"


def test_a_name_that_is_not_utf8_is_shown_with_stand_ins() -> None:
    name = os.fsdecode(NOT_UTF8_NAME)
    assert safe_line(name) == "caf\ufffd-\ufffd\ufffd.txt"
    assert safe_line(name).encode("utf-8")  # writable to any UTF-8 terminal


def test_json_escapes_c1_bidi_and_lone_surrogates_and_keeps_the_values_exact() -> None:
    document = {"title": MARKER + "\x9b31m \u202eevil \x1b]0;x\x07", "path": os.fsdecode(b"\xff")}
    dumped = json_dumps(document)
    assert unsafe_characters(dumped, allowed="\n") == set()
    assert "\\u009b" in dumped and "\\u202e" in dumped and "\\udcff" in dumped
    assert json.loads(dumped) == document


def test_bidi_marks_and_invisible_characters_are_made_visible_in_text_and_escaped_in_json() -> None:
    text = "Odd \u200eLRM \u200fRLM \u061cALM \u200bzero\u2060width \ufeffbom \U000e0041tag"
    shown = safe_text(text)
    assert shown == "Odd ⇄LRM ⇄RLM ⇄ALM �zero�width �bom �tag"
    dumped = json_dumps({"title": text})
    for escape in (
        "\\u200e",
        "\\u200f",
        "\\u061c",
        "\\u200b",
        "\\u2060",
        "\\ufeff",
        "\\udb40\\udc41",
    ):
        assert escape in dumped
    assert json.loads(dumped) == {"title": text}
    assert safe_text("دانشگاه\u200cها 👩\u200d💻") == "دانشگاه\u200cها 👩\u200d💻", (
        "joiners are kept"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_for_any_string_the_sanitised_form_has_no_control_character(text: str) -> None:
    assert unsafe_characters(safe_text(text)) == set()
    assert unsafe_characters(safe_line(text), allowed="") == set()
    assert len(safe_text(text)) == len(text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_for_any_string_rendering_the_sanitised_form_never_raises(text: str) -> None:
    console = Console(file=io.StringIO(), width=40, color_system="truecolor", force_terminal=True)
    table = Table()
    table.add_row(Text(safe_line(text)), Text(safe_text(text)))
    console.print(Text(safe_text(text)), table)
    shown = strip_own_sequences(console.file.getvalue())  # type: ignore[attr-defined]
    assert unsafe_characters(shown) == set()


# -- every renderable the app and the command line share ------------------------


def _rendered(*renderables: object) -> str:
    console = Console(file=io.StringIO(), width=100, color_system="truecolor", force_terminal=True)
    console.print(*renderables)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def test_articles_stories_hits_and_diffs_render_no_attacker_sequence(
    attack: Path, tmp_path: Path
) -> None:
    library, _, index = open_corpus([attack], index_file=tmp_path / "i.sqlite3")
    articles = [read_article(CorpusFile(a.path, a.name)) for a in library.corpus.articles]
    old, new = (attack / "story_v1.txt").read_text(), (attack / "story_v2.txt").read_text()
    diff = diff_texts(old, new)
    output = _rendered(
        *(render_article(article, ("PWN",)) for article in articles),
        stories_table(library.stories),
        hits_table(index.search("allies", limit=50)),
        render_inline(diff),
        render_side_by_side(diff),
    )
    assert attack_reached(output.encode()) == []
    assert unsafe_characters(strip_own_sequences(output)) == set()
    assert "\x1b]8;" not in output, "no hyperlink"
    assert unsafe_characters(render_plain(diff)) == set()


# -- the command line -------------------------------------------------------------

COMMANDS = [
    ["stories", "{root}"],
    ["stories", "{root}", "--json"],
    ["index", "{root}"],
    ["index", "{root}", "--json"],
    ["search", "allies", "{root}"],
    ["search", "allies", "{root}", "--json"],
    ["diff", "{root}/story_v1.txt", "{root}/story_v2.txt", "--color", "always"],
    ["diff", "{root}/story_v1.txt", "{root}/story_v2.txt", "--color", "never"],
    ["diff", "{root}/story_v1.txt", "{root}/story_v2.txt", "--color", "auto"],
    ["diff", "{root}/story_v1.txt", "{root}/story_v2.txt", "--json"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command[::2]))
def test_every_command_prints_the_attack_corpus_as_data(
    attack: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(attack)
    status = main([part.format(root=attack) for part in command])
    out, err = capsys.readouterr()
    assert status in (0, 1)
    assert "Traceback" not in err
    for output in (out, err):
        assert attack_reached(output.encode("utf-8", "surrogateescape")) == []
        assert unsafe_characters(strip_own_sequences(output), allowed="\n\t") == set()
    if "always" not in command:
        assert "\x1b" not in out, "no escape at all without colour"
    if "--json" in command:
        json.loads(out)
    assert snapshot(attack) == before


def test_stories_json_keeps_every_name_exact_even_when_not_utf8(
    attack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["stories", str(attack), "--json"])
    document = json.loads(capsys.readouterr().out)
    paths = {version["path"] for story in document["stories"] for version in story["versions"]}
    assert os.fsdecode(NOT_UTF8_NAME) in paths
    assert "-rf.txt" in paths


# -- the app ------------------------------------------------------------------------


async def test_every_screen_of_the_app_shows_the_attack_corpus_as_data(
    attack: Path, tmp_path: Path
) -> None:
    from reader.tui.app import NewsReaderApp

    before = snapshot(attack)
    app = NewsReaderApp([attack], index_file=tmp_path / "app.sqlite3", watch=False)
    frames: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:

        async def look(*keys: str) -> None:
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            frames.append(screen._compositor.render_full_update().render_segments(app.console))
            for strip in screen._compositor.render_strips():
                for segment in strip:
                    style = segment.style
                    assert style is None or style.link is None, "no hyperlink"
                    assert style is None or "@click" not in style.meta, "no action"

        await look()
        await look("enter")  # expand the story: every headline is listed
        await look("j", "enter", "left", "j", "enter", "left")  # read versions
        await look("m")  # the "Marked as base" toast names the file
        await look("j", "d")  # the diff
        await look("v")  # side by side
        await look("escape", "ctrl+p", *"PWN")  # the palette lists headlines and names
        await look("escape", "slash", *"allies")  # search hits with snippets
        await look("escape", "p")  # the problems
        assert app.return_code is None, "no action ran: the app is still open"
    for frame in frames:
        assert attack_reached(frame.encode("utf-8", "surrogateescape")) == []
        assert unsafe_characters(strip_own_sequences(frame)) == set()
    assert any("[@click=app.quit]" in frame for frame in frames), "markup is shown as text"
    assert snapshot(attack) == before


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_the_real_app_in_a_terminal_writes_no_attacker_sequence(
    attack: Path, tmp_path: Path
) -> None:
    from ptyprocess import PtyProcess

    before = snapshot(attack)
    environment = dict(os.environ, TERM="xterm-256color")
    command = [sys.executable, "-m", "reader", str(attack), "--index", str(tmp_path / "i.db")]
    app = PtyProcess.spawn(command, env=environment, dimensions=(30, 100))
    written = bytearray()

    def read_for(seconds: float, until: bytes | None = None) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (until and until in written):
            if select.select([app.fd], [], [], 0.05)[0]:
                try:
                    written.extend(app.read(65536))
                except EOFError:
                    return

    try:
        read_for(20, until=b"stories")  # the header says how many once loaded
        for keys in ("\r", "j", "\r", "m", "j", "d", "v", "\x1b", "\x10", "PWN"):
            app.write(keys.encode())
            read_for(0.1)
        restored = b"\x1b[?1049l"  # the terminal's own screen back: the app has quit
        for _ in range(5):  # Esc closes whatever is open, then q quits
            app.write(b"\x1b")
            read_for(0.2)
            app.write(b"q")
            read_for(1.0, until=restored)
            if restored in written:
                break
    finally:
        if app.isalive():
            app.terminate(force=True)
    assert b"stories" in written, "the app opened the corpus"
    assert b"\x1b[?1049l" in written, "the app quit and restored the terminal"
    assert (MARKER + "␛]52").encode() in written, "the attack was shown, as visible text"
    assert attack_reached(bytes(written)) == []
    assert snapshot(attack) == before


def test_a_file_holding_the_snippet_markers_cannot_fake_a_search_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "fake.txt").write_text("Allies meet\n\nThe \x02fake\x03 mark, then allies agree.\n")
    main(["search", "allies", str(root), "--index", str(tmp_path / "i.db"), "--json"])
    snippet = json.loads(capsys.readouterr().out)["hits"][0]["snippet"]
    assert "**fake**" not in snippet
    assert "**allies**" in snippet


def test_json_for_an_ascii_only_output_escapes_everything_and_keeps_values_exact() -> None:
    document = {"title": "Café \x9b \u202e", "path": os.fsdecode(b"caf\xe9.txt")}
    dumped = json_dumps(document, ascii_only=True)
    assert dumped.isascii()
    assert json.loads(dumped) == document


def test_output_that_cannot_carry_utf8_gets_stand_ins_not_a_traceback(attack: Path) -> None:
    import subprocess

    environment = dict(os.environ, PYTHONIOENCODING="ascii")
    result = subprocess.run(
        [sys.executable, "-m", "reader", "stories", str(attack), "--index", str(attack) + ".db"],
        env=environment,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr
    assert attack_reached(result.stdout) == []
