"""Finding and reading article files: order, skips with reasons, never a crash."""

from __future__ import annotations

import codecs
import os
import time
from pathlib import Path

import pytest

from reader.ingest import containers as containers_module
from reader.ingest import corpus as corpus_module
from reader.ingest.corpus import (
    SYMLINK_LOOP,
    SYMLINK_NOT_FOLLOWED,
    Corpus,
    CorpusError,
    SkippedFile,
    check_paths,
    discover_files,
    natural_key,
    sample_corpus_path,
    with_body,
)
from reader.store.library import open_corpus


def load_corpus(paths: list[Path], **options: object) -> Corpus:
    """The corpus as the app and the command line open it (index kept in memory)."""
    return open_corpus(paths, in_memory=True, **options).library.corpus  # type: ignore[arg-type]


def test_built_in_sample_holds_the_three_seed_articles() -> None:
    corpus = load_corpus([])
    assert corpus.name == "sample"
    assert [article.name[:3] for article in corpus.articles] == ["000", "001", "002"]
    assert corpus.skipped == []
    assert sample_corpus_path().is_dir()


def test_files_sort_naturally() -> None:
    names = ["10_x.txt", "2_x.txt", "1_x.txt"]
    assert sorted(names, key=natural_key) == ["1_x.txt", "2_x.txt", "10_x.txt"]


def test_folders_are_read_recursively_and_other_files_are_skipped_and_counted(
    tmp_path: Path,
) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "10_story.txt").write_text("Ten\n\nBody of ten.")
    (tmp_path / "2_story.md").write_text("Two\n\nBody of two.")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / ".hidden.txt").write_text("Hidden")
    corpus = load_corpus([tmp_path])
    assert [article.name for article in corpus.articles] == ["2_story.md", "a/b/10_story.txt"]
    assert [(skip.name, skip.reason) for skip in corpus.skipped] == [
        ("photo.jpg", "binary file (a JPEG image)")
    ]


def test_empty_and_binary_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\n \t\n")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "good.txt").write_text("Headline\n\nBody.")
    corpus = load_corpus([tmp_path])
    assert [article.name for article in corpus.articles] == ["good.txt"]
    reasons = {skip.name: skip.reason for skip in corpus.skipped}
    assert reasons == {
        "blank.txt": "empty file",
        "empty.txt": "empty file",
        "image.txt": "binary file (a PNG image)",
    }


def test_legacy_encoding_is_recorded_on_the_article(tmp_path: Path) -> None:
    (tmp_path / "cp.txt").write_bytes(b"Headline\r\n\r\n\x93Quoted,\x94 he said.\r\n")
    (tmp_path / "bom.txt").write_bytes(codecs.BOM_UTF8 + b"Headline\n\nBody.")
    articles = {article.name: article for article in load_corpus([tmp_path]).articles}
    assert articles["cp.txt"].encoding_fallback
    assert with_body(articles["cp.txt"]).paragraphs[0].text == "“Quoted,” he said."
    assert "cp1252" in articles["cp.txt"].notes[0]
    assert not articles["bom.txt"].encoding_fallback
    assert articles["bom.txt"].headline == "Headline"


def test_an_explicit_file_is_read_whatever_its_ending(tmp_path: Path) -> None:
    path = tmp_path / "story.wire"
    path.write_text("Headline\n\nBody.")
    corpus = load_corpus([path])
    assert [article.headline for article in corpus.articles] == ["Headline"]


def test_the_same_file_named_twice_is_read_once(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Headline\n\nBody.")
    assert len(load_corpus([path, tmp_path]).articles) == 1


def test_an_unreadable_file_is_skipped_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked.txt").write_text("Headline\n\nBody.")
    real_open = corpus_module.open_regular_file

    def refusing(path: Path):  # type: ignore[no-untyped-def]
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(path)

    # the tests run as root, whom file modes do not stop: opening is refused here
    monkeypatch.setattr(corpus_module, "open_regular_file", refusing)
    monkeypatch.setattr(containers_module, "open_regular_file", refusing)
    corpus = load_corpus([tmp_path])
    assert corpus.articles == []
    assert [(skip.name, skip.reason) for skip in corpus.skipped] == [
        ("locked.txt", "permission denied")
    ]


def test_a_huge_file_is_read_only_in_part_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_module, "MAX_ARTICLE_BYTES", 1000)
    (tmp_path / "huge.txt").write_text("Headline\n\n" + "word " * 1000)
    (article,) = load_corpus([tmp_path]).articles
    assert article.truncated
    assert article.size > 5000
    assert any("only the first" in note for note in article.notes)


def test_loading_stops_when_cancelled_and_reports_progress(tmp_path: Path) -> None:
    for number in range(130):
        (tmp_path / f"{number}.txt").write_text(f"Story {number}\n\nBody.")
    seen: list[tuple[int, int]] = []
    corpus = load_corpus([tmp_path], progress=lambda done, total: seen.append((done, total)))
    assert len(corpus.articles) == 130
    assert seen == [(64, 130), (128, 130), (130, 130)]

    import threading

    cancel = threading.Event()
    cancel.set()
    assert load_corpus([tmp_path], cancel=cancel).articles == []


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file or directory"):
        check_paths([tmp_path / "nope"])


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Headline\n\nBody.")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert [file.name for file in discover_files([tmp_path])] == ["story.txt"]


def _linked_tree(tmp_path: Path) -> Path:
    """root/story.txt, root/sub/inner.txt, and links: to a file outside, to a folder outside,
    back to root (a loop), to root/story.txt (a second way to one file), and a broken one."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "far.txt").write_text("Far\n\nBody.")
    (outside / "folder" / "deep.txt").write_text("Deep\n\nBody.")
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "story.txt").write_text("Headline\n\nBody.")
    (root / "sub" / "inner.txt").write_text("Inner\n\nBody.")
    (root / "far.txt").symlink_to(outside / "far.txt")
    (root / "folder").symlink_to(outside / "folder")
    (root / "sub" / "loop").symlink_to(root)
    (root / "again.txt").symlink_to(root / "story.txt")
    (root / "broken.txt").symlink_to(tmp_path / "missing.txt")
    return root


def test_links_met_in_a_folder_are_skipped_with_the_reason(tmp_path: Path) -> None:
    skipped: list[SkippedFile] = []
    found = discover_files([_linked_tree(tmp_path)], skipped)
    assert [file.name for file in found] == ["story.txt", "sub/inner.txt"]
    assert {skip.name: skip.reason for skip in skipped} == dict.fromkeys(
        ["again.txt", "broken.txt", "far.txt", "folder", "sub/loop"], SYMLINK_NOT_FOLLOWED
    )


def test_follow_reads_linked_files_and_folders_once_despite_loops(tmp_path: Path) -> None:
    skipped: list[SkippedFile] = []
    found = discover_files([_linked_tree(tmp_path)], skipped, follow=True)
    names = [file.name for file in found]
    assert set(names) >= {"far.txt", "folder/deep.txt", "sub/inner.txt"}
    assert len([name for name in names if name in ("story.txt", "again.txt")]) == 1
    assert {skip.name: skip.reason for skip in skipped} == {"sub/loop": SYMLINK_LOOP}
    assert "broken.txt" in names  # reading it says the target is missing


def test_a_linked_folder_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    root = _linked_tree(tmp_path)
    assert [file.name for file in discover_files([root / "folder"])] == ["deep.txt"]


def test_names_sort_with_their_numbers_as_numbers() -> None:
    names = ["10_x.txt", "2_x.txt", "B.txt", "a.txt", "002_y.txt", "2_x (1).txt", "x²", "²", "٣ b"]
    ordered = sorted(names, key=natural_key)
    assert ordered[:4] == ["2_x (1).txt", "2_x.txt", "002_y.txt", "٣ b"]  # 2, 2, 2, 3
    assert ordered.index("10_x.txt") == 4 and ordered.index("a.txt") < ordered.index("B.txt")
    assert natural_key("007") == natural_key("7") and natural_key("9" * 5000) > natural_key("10")
    # a superscript is not a digit run (never an int() of it)
    assert {"x²", "²"} <= set(ordered)


def test_reading_ahead_passes_over_what_is_not_a_regular_file_without_waiting(
    tmp_path: Path,
) -> None:
    """The read-ahead hint opens nothing that could block (a pipe with no writer) and
    says nothing of files it cannot open: reading them says why."""
    from reader.ingest.corpus import read_ahead

    regular = tmp_path / "story.txt"
    regular.write_text("Headline\n\nBody.")
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    (tmp_path / "folder").mkdir()
    started = time.monotonic()
    read_ahead([pipe, tmp_path / "gone.txt", tmp_path / "folder", regular])
    assert time.monotonic() - started < 5
    assert load_corpus([tmp_path]).articles[0].name == "story.txt"
