"""Re-opening a corpus: the stories the index kept, at once; a re-scan that lists again only
the folders that changed and still notices a file written in place."""

from __future__ import annotations

import os
import shutil
from array import array
from pathlib import Path

import pytest
from conftest import SAMPLE_MTIME, copy_sample

from reader.ingest import corpus as corpus_module
from reader.store.index import CorpusIndex, ListOrder
from reader.store.library import index_corpus, open_corpus, refresh, stored_library
from reader.store.story_list import StoredStories


def story_names(library) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[version.name for version in story.versions] for story in library.stories]


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders made by the test count as settled at once (see listing_is_current): their
    listings are remembered, as those of a corpus made seconds before would be."""
    monkeypatch.setattr(corpus_module, "RECENT_FOLDER_SECONDS", 0)


def tree(root: Path) -> Path:
    """The sample's three articles in two folders: a/ (two) and a/b/ (one)."""
    copy_sample(root / "a")
    (root / "a" / "b").mkdir()
    third = next((root / "a").glob("002_*"))
    third.rename(root / "a" / "b" / third.name)
    return root


def an_article(headline: str) -> str:
    return (
        f"{headline}\n\nOSLO (Reuters) - {headline} was announced on Tuesday by a committee "
        f"that met for the first time this year, officials said in a statement."
    )


def test_the_kept_stories_are_given_without_looking_at_a_file(seeds: Path, tmp_path: Path) -> None:
    index_file = tmp_path / "index.sqlite3"
    library, _, index = open_corpus([seeds], index_file=index_file)
    index.close()
    shutil.rmtree(seeds)  # nothing on disk: only the index can give them
    index = CorpusIndex.open(index_file)
    kept = stored_library(index, [seeds])
    assert isinstance(kept, StoredStories)  # listed from the story list: nothing loaded
    assert not any(story.loaded for story in kept.stories)
    assert [story.summary for story in kept.stories] == [s.summary for s in library.stories]
    assert story_names(kept) == story_names(library)
    assert kept.article_count == len(library.corpus.articles)
    assert [a.name for a in kept.corpus.articles] == [a.name for a in library.corpus.articles]
    assert kept.corpus.articles[-1].name == library.corpus.articles[-1].name
    assert kept.corpus.name == "seeds"
    assert stored_library(CorpusIndex.open(tmp_path / "new.sqlite3"), [seeds]) is None


def test_a_kept_order_that_does_not_fit_the_rows_is_not_used(seeds: Path, tmp_path: Path) -> None:
    library, _, index = open_corpus([seeds], index_file=tmp_path / "index.sqlite3")
    order = index.list_order()
    assert order is not None
    wrong = [
        ListOrder(array("q", [999, 998, 997]), order.story_starts, order.by_name),
        ListOrder(order.rowids, array("q", [0, 1, 2]), order.by_name),  # a story split
        ListOrder(order.rowids, order.story_starts, array("q", [0, 0, 1])),
    ]
    for bad in wrong:
        with index.transaction():
            index.put_list_order(bad)
        assert stored_library(index, [seeds]) is None
    index.connection.execute("UPDATE list_order SET rowids = x'0102'")  # not whole numbers
    assert stored_library(index, [seeds]) is None
    again, _ = refresh(index, [seeds])  # the re-scan puts the order right
    assert story_names(again) == story_names(library)
    assert story_names(stored_library(index, [seeds])) == story_names(library)


def test_what_reopening_reads_comes_from_covering_indexes(seeds: Path, tmp_path: Path) -> None:
    """The list and the re-scan never read the rows of `files`, whose signatures and
    sketches make them kilobytes each: at 100,000 files that is most of the database."""
    _, _, index = open_corpus([seeds], index_file=tmp_path / "index.sqlite3")
    queries = {
        "articles": "SELECT rowid, path, name, size, article_id, digest, headline,"
        " headline_from_lede, markers, dateline, byline, words, filed, mtime, encoding,"
        " encoding_fallback, truncated, notes, story, record, offset, meta FROM files"
        " WHERE skipped IS NULL",
        "file_states": "SELECT path, size, mtime_ns FROM files",
        "skipped": "SELECT path, name, skipped FROM files WHERE skipped IS NOT NULL",
    }
    for query in queries.values():
        plan = " ".join(row[-1] for row in index.connection.execute("EXPLAIN QUERY PLAN " + query))
        assert "COVERING INDEX" in plan, plan


def test_unchanged_folders_are_not_listed_again_and_their_files_still_checked(
    tmp_path: Path, settled: None
) -> None:
    root = tree(tmp_path / "corpus")
    index = CorpusIndex.open(tmp_path / "index.sqlite3")
    _, first = refresh(index, [root])
    assert first.folders_reused == 0
    library, report = refresh(index, [root])
    assert (report.folders_reused, report.indexed, report.unchanged) == (3, 0, 3)
    assert story_names(library) == story_names(refresh(index, [root])[0])
    # written in place: the folder's times stay, the file's change
    target = next((root / "a" / "b").glob("002_*"))
    folder_times = os.stat(target.parent)
    target.write_text(an_article("Fjord ferries halted"))
    assert os.stat(target.parent).st_mtime_ns == folder_times.st_mtime_ns
    library, report = refresh(index, [root])
    assert (report.folders_reused, report.indexed) == (3, 1)
    assert "Fjord ferries halted" in [story.title for story in library.stories]


def test_a_file_added_to_a_folder_whose_time_was_set_back_is_found(
    tmp_path: Path, settled: None
) -> None:
    root = tree(tmp_path / "corpus")
    index = CorpusIndex.open(tmp_path / "index.sqlite3")
    refresh(index, [root])
    folder = root / "a" / "b"
    before = os.stat(folder)
    (folder / "003_new.txt").write_text(an_article("Reindeer census begins"))
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -d` would
    library, report = refresh(index, [root])
    assert report.indexed == 1 and report.folders_reused == 2  # its change time told
    assert "a/b/003_new.txt" in {article.name for article in library.corpus.articles}


def test_a_folder_changed_moments_ago_is_listed_again_next_time(tmp_path: Path) -> None:
    """Times have a granularity (2 s on FAT): a file made in the same tick as the listing,
    after it, would leave the folder's times as they were. A folder that changed within
    RECENT_FOLDER_SECONDS of the walk is therefore not remembered, and listed again."""
    root = tree(tmp_path / "corpus")
    index = CorpusIndex.open(tmp_path / "index.sqlite3")
    refresh(index, [root])
    assert index.folder_listings() == {}  # all just made
    folder = root / "a" / "b"
    (folder / "003_new.txt").write_text(an_article("Reindeer census begins"))
    old = os.stat(folder)
    os.utime(folder, ns=(old.st_atime_ns, old.st_mtime_ns))
    _, report = refresh(index, [root])
    assert (report.folders_reused, report.indexed) == (0, 1)
    settled_long_ago = SAMPLE_MTIME * 1_000_000_000
    for path in (root / "a", folder):
        os.utime(path, ns=(settled_long_ago, settled_long_ago))
    refresh(index, [root])  # change times are recent still: nothing is remembered
    assert index.folder_listings() == {}


def test_deleted_and_renamed_folders_are_noticed(tmp_path: Path, settled: None) -> None:
    root = tree(tmp_path / "corpus")
    (root / "a" / "c").mkdir()
    (root / "a" / "c" / "004_solo.txt").write_text(an_article("Glacier retreat measured"))
    index = CorpusIndex.open(tmp_path / "index.sqlite3")
    refresh(index, [root])
    shutil.rmtree(root / "a" / "c")
    (root / "a" / "b").rename(root / "a" / "renamed")
    library, report = refresh(index, [root])
    assert (report.removed, report.indexed) == (2, 1)
    names = sorted(article.name.rsplit("_", 1)[0] for article in library.corpus.articles)
    assert names == ["a/000", "a/001", "a/renamed/002"]
    assert set(index.folder_listings()) == {str(root), str(root / "a"), str(root / "a" / "renamed")}
    # a folder put where another was, with the same times, is another folder (its inode)
    moved = root / "a" / "renamed"
    times = os.stat(moved)
    moved.rename(root / "elsewhere")
    moved.mkdir()
    (moved / "005_other.txt").write_text(an_article("Northern lights forecast"))
    os.utime(moved, ns=(times.st_atime_ns, times.st_mtime_ns))
    library, _ = refresh(index, [root])
    names = {article.name for article in library.corpus.articles}
    assert "a/renamed/005_other.txt" in names
    assert any(name.startswith("elsewhere/002_") for name in names)


def test_a_folder_holding_a_link_is_listed_each_time_to_say_so(
    tmp_path: Path, settled: None
) -> None:
    root = tree(tmp_path / "corpus")
    (root / "a" / "link.txt").symlink_to(next((root / "a").glob("000_*")))
    index = CorpusIndex.open(tmp_path / "index.sqlite3")
    refresh(index, [root])
    library, report = refresh(index, [root])
    assert report.folders_reused == 2  # the root and a/b, not a/
    assert [skip.name for skip in library.corpus.skipped] == ["a/link.txt"]


def test_following_links_lists_every_folder_each_time(tmp_path: Path, settled: None) -> None:
    root = tree(tmp_path / "corpus")
    index = CorpusIndex.open(tmp_path / "index.sqlite3")
    refresh(index, [root], follow=True)
    _, report = refresh(index, [root], follow=True)
    assert report.folders_reused == 0 and index.folder_listings() == {}


def test_stories_already_built_are_given_back_when_nothing_changed(
    seeds: Path, tmp_path: Path
) -> None:
    library, _, index = open_corpus([seeds], index_file=tmp_path / "index.sqlite3")
    again, report = refresh(index, [seeds], kept=library)
    assert again is library and report.unchanged == 3
    (seeds / "003_new.txt").write_text(an_article("Reindeer census begins"))
    changed, report = refresh(index, [seeds], kept=library)
    assert changed is not library and report.indexed == 1
    assert len(changed.corpus.articles) == 4


def test_the_index_command_keeps_the_list_order_for_the_app(tmp_path: Path) -> None:
    root = tree(tmp_path / "corpus")
    (root / "a" / "003_solo.txt").write_text(an_article("Reindeer census begins"))
    index_file = tmp_path / "index.sqlite3"
    _, _, index = index_corpus([root], index_file=index_file)
    kept = stored_library(index, [root])
    library, _, _ = open_corpus([root], index_file=tmp_path / "other.sqlite3")
    assert isinstance(kept, StoredStories)
    assert [story.summary for story in kept.stories] == [s.summary for s in library.stories]
    assert kept is not None and story_names(kept) == story_names(library)
    assert [a.name for a in kept.corpus.articles] == [a.name for a in library.corpus.articles]
    index.close()
