"""The command line as a user meets it: version, help, and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CommandResult

from reader.cli.main import main

Runner = Callable[..., CommandResult]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, in an interpreter of its own (the other tests run it in-process)."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=60
    )


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("newsreader ")


def test_help_describes_paths() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "PATH" in result.stdout
    assert "built-in sample" in result.stdout


def test_missing_path_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    result = run_cli(str(tmp_path / "no" / "such" / "path"))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no such file or directory" in lines[0]
    assert "Traceback" not in result.stderr


def sample_file(prefix: str) -> str:
    from reader.ingest.corpus import sample_corpus_path

    return str(next(sample_corpus_path().glob(f"{prefix}_*.txt")))


def test_diff_of_identical_files_exits_0_and_prints_nothing(newsreader_command: Runner) -> None:
    result = newsreader_command("diff", sample_file("000"), sample_file("000"))
    assert (result.returncode, result.stdout) == (0, "")


def test_diff_without_colour_uses_wdiff_markers_and_exits_1(newsreader_command: Runner) -> None:
    result = newsreader_command("diff", sample_file("000"), sample_file("001"), "--color", "never")
    assert result.returncode == 1
    assert "[-should-]{+to+}" in result.stdout
    assert "{~U.S.~>US~}" in result.stdout
    assert "\x1b[" not in result.stdout


def test_diff_no_noise_hides_style_changes(newsreader_command: Runner) -> None:
    result = newsreader_command(
        "diff", sample_file("000"), sample_file("001"), "--no-noise", "--color", "never"
    )
    assert result.returncode == 1
    assert "{~" not in result.stdout
    assert "[-should-]{+to+}" in result.stdout


def test_diff_colour_always_emits_ansi(newsreader_command: Runner) -> None:
    result = newsreader_command("diff", sample_file("000"), sample_file("001"), "--color", "always")
    assert "\x1b[" in result.stdout
    assert "similarity" in result.stdout


def test_diff_json_lists_changes_with_kinds_and_both_ends_of_moves(
    newsreader_command: Runner,
) -> None:
    import json

    result = newsreader_command("diff", sample_file("000"), sample_file("001"), "--json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert set(document) == {"old", "new", "similarity", "stats", "changes", "pieces", "notes"}
    kinds = {change["kind"] for change in document["changes"]}
    assert {"edit", "move", "typography", "spelling", "abbreviation"} <= kinds
    move = next(change for change in document["changes"] if change["kind"] == "move")
    assert {"old_start", "new_start", "old", "new"} <= set(move)


def test_diff_of_a_missing_or_binary_file_exits_2_with_one_line(
    tmp_path: Path, newsreader_command: Runner
) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    for other in (str(tmp_path / "missing.txt"), str(binary)):
        result = newsreader_command("diff", sample_file("000"), other)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


def test_stories_json_groups_the_sample_with_versions_in_order(newsreader_command: Runner) -> None:
    import json

    result = newsreader_command("stories", "--json")
    assert result.returncode == 0
    stories = json.loads(result.stdout)["stories"]
    assert [[v["path"][:3] for v in story["versions"]] for story in stories] == [
        ["000", "001"],
        ["002"],
    ]
    assert set(stories[0]) == {"id", "title", "versions", "notes", "series", "links"}
    assert set(stories[0]["versions"][0]) == {"path", "record", "title", "words"}
    assert stories[0]["title"] == stories[0]["versions"][-1]["title"]


def test_stories_paths_are_relative_to_the_folder_given(
    tmp_path: Path, newsreader_command: Runner
) -> None:
    import json
    import shutil

    from reader.ingest.corpus import sample_corpus_path

    shutil.copytree(sample_corpus_path(), tmp_path / "wire" / "feb")
    result = newsreader_command("stories", str(tmp_path / "wire"), "--json")
    paths = [v["path"] for s in json.loads(result.stdout)["stories"] for v in s["versions"]]
    assert paths[0].startswith("feb/000_")


def test_stories_table_and_bad_arguments(newsreader_command: Runner) -> None:
    result = newsreader_command("stories")
    assert result.returncode == 0
    assert "2 stories from 3 articles" in result.stdout
    assert newsreader_command("stories", "--threshold", "1.5").returncode == 2
    assert newsreader_command("stories", "/no/such/folder").returncode == 2


def test_diff_never_calls_files_the_same_when_they_differ_past_the_part_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.ingest.corpus

    monkeypatch.setattr(reader.ingest.corpus, "MAX_ARTICLE_BYTES", 2000)
    body = "Headline\n\n" + "NATO ministers met in Brussels on Thursday. " * 100
    (tmp_path / "a.txt").write_text(body + "The count was 12 dead.\n")
    (tmp_path / "b.txt").write_text(body + "The count was 120 dead.\n")
    status = main(["diff", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--json"])
    captured = capsys.readouterr()
    assert status == 1
    assert "the files differ after the part compared" in json.loads(captured.out)["notes"]
    assert "only the first" in captured.err
    same = main(["diff", str(tmp_path / "a.txt"), str(tmp_path / "a.txt")])
    assert same == 0
