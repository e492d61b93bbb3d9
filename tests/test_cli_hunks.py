"""`newsreader diff` prints the changed paragraphs with context, as git and wdiff users
expect, and `newsreader search` exits 1 when nothing matched (as grep does)."""

from __future__ import annotations

from pathlib import Path

import pytest
from archive_corpus import write_archive_corpus

from reader.cli.main import main


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return write_archive_corpus(tmp_path / "archive")


def diff_output(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["diff", "--color", "never", *args])
    return status, capsys.readouterr().out


def test_one_changed_sentence_prints_its_paragraph_and_one_either_side(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = archive / "opec-1.txt", archive / "opec-2.txt"
    status, out = diff_output(capsys, str(old), str(new))
    assert status == 1
    assert out.startswith("@@ paragraphs 6-8 of 12 @@\nThe minister said OPEC members")
    assert "Kuwait +}and Ecuador, were producing {+well +}above" in out
    assert "Saudi Arabia's oil minister" not in out  # the unchanged lede is left out
    assert len(out) < len(new.read_text()) / 2


def test_context_zero_prints_only_the_changed_paragraphs(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = diff_output(
        capsys, "-U", "0", str(archive / "opec-1.txt"), str(archive / "opec-2.txt")
    )
    assert out.split("\n")[0] == "@@ paragraph 7 of 12 @@"
    assert "The minister said" not in out


def test_context_long_option_widens_the_hunk(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = str(archive / "opec-1.txt"), str(archive / "opec-2.txt")
    _, out = diff_output(capsys, "--context", "2", old, new)
    assert out.startswith("@@ paragraphs 5-12 of 12 @@")


def test_full_prints_the_whole_re_flowed_text(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = diff_output(capsys, "--full", str(archive / "opec-1.txt"), str(archive / "opec-2.txt"))
    assert out.startswith("SAUDI OIL MINISTER SAYS OPEC WILL DEFEND PRICES\n\nSaudi Arabia's")
    assert "@@" not in out


def test_archive_indents_and_line_breaks_do_not_reach_the_output(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = str(archive / "brazil-2.txt"), str(archive / "brazil-3.txt")
    _, out = diff_output(capsys, "--full", old, new)
    assert "¶" not in out
    assert "\n    " not in out
    assert "the country [-would-]{+will+} not resume interest payments on its" in out


def test_table_lines_stay_on_their_own_lines_in_a_hunk(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = str(archive / "champion-1.txt"), str(archive / "champion-2.txt")
    _, out = diff_output(capsys, "-U", "0", old, new)
    assert "Net [-807,000-]{+870,000+} vs 2,858,000\n" in out


def test_a_negative_context_is_refused(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["diff", "-U", "-1", str(archive / "opec-1.txt"), str(archive / "opec-2.txt")])
    assert stop.value.code == 2
    assert "0 or more" in capsys.readouterr().err


def test_search_with_no_hit_exits_1(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "zanzibar", str(archive)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "No matches for 'zanzibar'" in captured.err


def test_search_with_a_hit_exits_0(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "Funaro", str(archive)]) == 0
    assert "brazil" in capsys.readouterr().out


def test_a_mistyped_command_gets_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["storys"]) == 2
    err = capsys.readouterr().err
    assert "'stories'" in err
    assert "no such file" not in err


def test_an_existing_file_named_like_a_command_is_opened_not_corrected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.cli.main import suggest_command

    monkeypatch.chdir(tmp_path)
    (tmp_path / "storys").write_text("A headline\n\nA paragraph.\n")
    assert suggest_command(["storys"]) is None


def test_global_options_may_come_before_the_command(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "corpus.idx"
    assert main(["--index", str(index), "stories", str(archive)]) == 0
    assert "3 stories from 7 articles" in capsys.readouterr().out
    assert index.exists()
    assert main(["-L", "search", "Funaro", str(archive)]) == 0


def test_diff_takes_the_index_option_like_every_command(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = str(archive / "brazil-1.txt"), str(archive / "brazil-1.txt")
    assert main(["diff", "--index", str(tmp_path / "x.idx"), old, new]) == 0


def test_search_ranks_hits_instead_of_printing_scores_of_zero(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "dlrs", str(archive)]) == 0
    out = capsys.readouterr().out
    assert out.split("\n")[0].split()[:2] == ["#", "article"]
    assert "0.00" not in out
