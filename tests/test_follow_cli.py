"""`newsreader story` and `newsreader unread` as a user meets them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from follow_story import write_story

from reader.cli.main import main
from reader.follow.story_json import STORY_SCHEMA
from reader.store.library import open_corpus
from reader.store.read_state import record_read


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_story_json_gives_the_timeline_operations_and_provenance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_story(tmp_path / "c")
    index = str(tmp_path / "i.sqlite3")
    status, out, _ = run(
        capsys, "story", str(tmp_path / "c" / "lyon_02.txt"), "--index", index, "--json"
    )
    document = json.loads(out)
    assert status == 0 and document["schema"] == STORY_SCHEMA
    assert [v["source"] for v in document["versions"]] == [f"lyon_0{n}.txt" for n in range(1, 6)]
    v4 = document["versions"][3]
    assert v4["operation_counts"]["update"] == 2
    cause = next(s for s in v4["sentences"] if s["text"].startswith("The cause"))
    assert cause["introduced_in"] == 3


def test_story_by_id_finds_the_same_story(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_story(tmp_path / "c")
    index = str(tmp_path / "i.sqlite3")
    _, by_file, _ = run(
        capsys, "story", str(tmp_path / "c" / "lyon_01.txt"), "--index", index, "--json"
    )
    story_id = json.loads(by_file)["story"]["id"]
    _, by_id, _ = run(capsys, "story", story_id, str(tmp_path / "c"), "--index", index, "--json")
    assert json.loads(by_id) == json.loads(by_file)


def test_story_table_lists_every_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_story(tmp_path / "c")
    status, out, _ = run(
        capsys, "story", str(tmp_path / "c" / "lyon_01.txt"), "--index", str(tmp_path / "i")
    )
    assert status == 0
    assert [line.split()[0] for line in out.splitlines() if line.strip().startswith("v")][1:] == [
        "v1", "v2", "v3", "v4", "v5",
    ]  # fmt: skip


def test_an_unknown_story_is_one_line_on_stderr_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_story(tmp_path / "c", versions=2)
    status, out, err = run(
        capsys, "story", "no-such-id", str(tmp_path / "c"), "--index", str(tmp_path / "i")
    )
    assert (status, out) == (2, "")
    assert err == "newsreader: no-such-id: no such story or article in the corpus\n"


def test_unread_lists_stories_with_versions_after_the_one_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_story(tmp_path / "c")
    index = tmp_path / "i.sqlite3"
    opened = open_corpus([tmp_path / "c"], index_file=index)
    story = opened.library.stories[0]
    record_read(opened.corpus_index, story, story.versions[1])
    opened.corpus_index.close()
    status, out, _ = run(capsys, "unread", str(tmp_path / "c"), "--index", str(index), "--json")
    [listed] = json.loads(out)["stories"]
    assert status == 0
    assert (listed["read_version"], listed["unread"]) == (2, 3)
    assert listed["unread_files"] == ["lyon_03.txt", "lyon_04.txt", "lyon_05.txt"]
    _, table, _ = run(capsys, "unread", str(tmp_path / "c"), "--index", str(index))
    assert "● 3" in table and "Explosion at Lyon" in table


def test_unread_says_so_when_everything_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_story(tmp_path / "c", versions=2)
    status, out, _ = run(capsys, "unread", str(tmp_path / "c"), "--index", str(tmp_path / "i"))
    assert (status, out) == (0, "No story has unread versions.\n")
