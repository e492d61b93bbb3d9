"""The story list kept in the index: re-opening lists the stories from one row per story,
and a story's versions are read from the index only when something asks for them."""

from __future__ import annotations

import threading
from array import array
from pathlib import Path

import pytest
from follow_story import write_story, write_version

from reader.grouping.stories import StoryCorpus
from reader.present.story_rows import StoryRows
from reader.store.index import CorpusIndex
from reader.store.library import index_corpus, open_corpus, refresh, stored_library
from reader.store.read_state import ReadTracker, record_read
from reader.store.story_list import StoredStories


def two_stories(folder: Path) -> Path:
    """The Lyon story (three versions) and the sample's three articles."""
    from conftest import copy_sample

    copy_sample(folder)
    write_story(folder, versions=3)
    return folder


def reopened(folder: Path, index_file: Path) -> tuple[StoredStories, CorpusIndex]:
    index = CorpusIndex.open(index_file)
    kept = stored_library(index, [folder])
    assert isinstance(kept, StoredStories)
    return kept, index


def shown(rows: StoryRows) -> list[tuple[str, str, str, str]]:
    return [(row.title, row.detail, row.figure, row.marker) for row in rows.rows]


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path, StoryCorpus]:
    folder = two_stories(tmp_path / "corpus")
    index_file = tmp_path / "index.sqlite3"
    library, _, index = open_corpus([folder], index_file=index_file)
    index.close()
    return folder, index_file, library


def test_the_list_is_made_from_the_kept_stories_without_loading_a_version(
    corpus: tuple[Path, Path, StoryCorpus],
) -> None:
    folder, index_file, library = corpus
    kept, _ = reopened(folder, index_file)
    rows = StoryRows(kept.stories)
    assert shown(rows) == shown(StoryRows(library.stories))
    assert kept.article_count == len(library.corpus.articles) == 6
    assert not any(story.loaded for story in kept.stories)  # every row painted, none loaded


def test_expanding_a_story_loads_its_versions_alone(corpus: tuple[Path, Path, StoryCorpus]) -> None:
    folder, index_file, library = corpus
    kept, _ = reopened(folder, index_file)
    rows = StoryRows(kept.stories)
    lyon = next(story for story in kept.stories if len(story) == 3)
    rows.expand(lyon)
    assert [story.loaded for story in kept.stories] == [story is lyon for story in kept.stories]
    eager = StoryRows(library.stories)
    eager.expand(next(story for story in library.stories if len(story) == 3))
    assert shown(rows) == shown(eager)
    assert [v.name for v in lyon.versions] == ["lyon_01.txt", "lyon_02.txt", "lyon_03.txt"]
    assert rows.index_of_article(lyon.versions[2], lyon) == rows.index_of_story(lyon) + 3


def test_an_article_is_found_by_its_id_in_the_index(corpus: tuple[Path, Path, StoryCorpus]) -> None:
    folder, index_file, library = corpus
    kept, _ = reopened(folder, index_file)
    wanted = next(a for a in library.corpus.articles if a.name == "lyon_02.txt")
    article = kept.article_by_id(wanted.id)
    assert article is not None and article.name == "lyon_02.txt"
    story = kept.story_of(article)
    assert story is not None and [v.name for v in story.versions][1] == "lyon_02.txt"
    assert sum(story.loaded for story in kept.stories) == 1  # that story's, no other
    assert kept.article_by_id("no such article") is None
    assert kept.story_by_id(story.id) is story


def test_versions_are_read_while_a_refresh_holds_the_index(
    corpus: tuple[Path, Path, StoryCorpus],
) -> None:
    """A re-scan holds the index's lock for as long as it takes (half a minute at a million
    files); expanding a story meanwhile must not wait for it."""
    folder, index_file, _ = corpus
    kept, index = reopened(folder, index_file)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with index.lock:
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    try:
        lyon = next(story for story in kept.stories if len(story) == 3)
        assert len(lyon.versions) == 3
    finally:
        release.set()
        holder.join()


def test_articles_read_with_a_caveat_come_from_the_index(
    corpus: tuple[Path, Path, StoryCorpus], tmp_path: Path
) -> None:
    folder, index_file, library = corpus
    (folder / "cut.txt").write_bytes(b"Cut short\n\nOSLO - A story in Latin-1: caf\xe9 " * 3)
    index = CorpusIndex.open(index_file)
    library, _ = refresh(index, [folder])
    index.close()
    kept, _ = reopened(folder, index_file)
    expected = [(a.name, a.notes) for a in library.noted_articles()]
    assert expected  # the Latin-1 file is noted
    assert [(a.name, a.notes) for a in kept.noted_articles()] == expected


def test_an_index_without_a_story_list_lists_from_the_articles_and_keeps_one(
    corpus: tuple[Path, Path, StoryCorpus],
) -> None:
    """An index made before the story list was kept: re-opened as before (every article),
    and the re-scan keeps the list for the next time."""
    folder, index_file, library = corpus
    index = CorpusIndex.open(index_file)
    with index.transaction():
        index.forget_story_list()
    before = stored_library(index, [folder])
    assert before is not None and not isinstance(before, StoredStories)
    again, report = refresh(index, [folder], kept=before)
    assert again is before and report.indexed == 0
    index.close()
    kept, _ = reopened(folder, index_file)
    assert shown(StoryRows(kept.stories)) == shown(StoryRows(library.stories))


def test_a_story_list_that_does_not_fit_the_order_or_is_damaged_is_not_used(
    corpus: tuple[Path, Path, StoryCorpus],
) -> None:
    folder, index_file, library = corpus
    index = CorpusIndex.open(index_file)
    columns = index.story_list()
    assert columns is not None
    ones = array("q", [1] * len(columns.counts)).tobytes()  # as many, but not the order's
    for counts in (ones, b"\x01\x00"):
        index.connection.execute("UPDATE story_list SET counts = ?", (counts,))
        fallback = stored_library(index, [folder])  # from the articles, as before
        assert fallback is not None and not isinstance(fallback, StoredStories)
        assert shown(StoryRows(fallback.stories)) == shown(StoryRows(library.stories))
    index.close()


def test_a_refresh_after_a_lazy_reopen_lists_what_changed(
    corpus: tuple[Path, Path, StoryCorpus],
) -> None:
    folder, index_file, _ = corpus
    kept, index = reopened(folder, index_file)
    write_version(folder, 4)  # joins the Lyon story
    next(folder.glob("002_*")).unlink()  # a story of one goes
    changed, report = refresh(index, [folder], kept=kept, listed=True)
    assert changed is not kept and report.indexed == 1 and report.removed == 1
    assert isinstance(changed, StoredStories)  # as the index lists them, not every article
    lyon = next(story for story in changed.stories if len(story) == 4)
    assert lyon.versions[-1].name == "lyon_04.txt"
    index.close()
    again, _ = reopened(folder, index_file)  # and the next re-open lists that
    assert shown(StoryRows(again.stories)) == shown(StoryRows(changed.stories))
    assert len(again.stories) == 2 and again.article_count == 6


def test_unread_counts_look_only_at_the_stories_read(
    corpus: tuple[Path, Path, StoryCorpus],
) -> None:
    folder, index_file, _ = corpus
    kept, index = reopened(folder, index_file)
    lyon = next(story for story in kept.stories if len(story) == 3)
    record_read(index, lyon, lyon.versions[0])
    index.close()
    kept, index = reopened(folder, index_file)
    from reader.store.read_state import read_marks

    tracker = ReadTracker(read_marks(index))
    assert tracker.unread_counts(kept) == {lyon.id: 2}
    assert [story.loaded for story in kept.stories] == [len(story) == 3 for story in kept.stories]


def test_new_versions_are_counted_from_the_stories_that_gained_them(
    corpus: tuple[Path, Path, StoryCorpus],
) -> None:
    folder, index_file, _ = corpus
    kept, index = reopened(folder, index_file)
    write_version(folder, 4)
    changed, report = refresh(index, [folder], kept=kept, listed=True)
    tracker = ReadTracker()
    tracker.count_new_versions(kept, changed, report.updated_stories)
    lyon = next(story for story in changed.stories if len(story) == 4)
    assert report.updated_stories == {lyon.id}
    assert tracker.unread_counts(changed) == {lyon.id: 1}


def test_a_story_loaded_after_the_index_changed_has_the_versions_the_index_holds_now(
    corpus: tuple[Path, Path, StoryCorpus],
) -> None:
    """Between a refresh and the list being replaced, the list shown is the one kept before:
    a story loaded then gets its versions as they are now, or none when it went."""
    folder, index_file, _ = corpus
    kept, index = reopened(folder, index_file)
    (folder / "lyon_02.txt").unlink()
    next(folder.glob("002_*")).unlink()
    refresh(index, [folder])
    lyon = next(story for story in kept.stories if len(story) == 3)
    assert [version.name for version in lyon.versions] == ["lyon_01.txt", "lyon_03.txt"]
    gone = next(story for story in kept.stories if story.title.startswith("U.S. Defense"))
    assert gone.versions == []
    rows = StoryRows(kept.stories)
    assert len(rows.rows) == 3 and rows.entries[1].article is None  # shown, not raised


def test_the_index_command_keeps_the_story_list_an_older_index_lacks(
    corpus: tuple[Path, Path, StoryCorpus],
) -> None:
    folder, index_file, library = corpus
    index = CorpusIndex.open(index_file)
    with index.transaction():
        index.forget_story_list()
    index.close()
    _, report, index = index_corpus([folder], index_file=index_file)
    assert report.indexed == 0 and index.has_story_list()
    index.close()
    kept, _ = reopened(folder, index_file)
    assert shown(StoryRows(kept.stories)) == shown(StoryRows(library.stories))


def test_the_list_kept_after_a_full_grouping_is_the_one_made_from_the_articles(
    tmp_path: Path,
) -> None:
    """`index` keeps the list with the versions' order the grouping just worked out; the
    same list made again by loading every story's versions is identical."""
    from reader.store.library import _keep_list_order

    folder = two_stories(tmp_path / "corpus")
    index_file = tmp_path / "index.sqlite3"
    _, report, index = index_corpus([folder], index_file=index_file)
    try:
        assert report.regrouped and report.ordered_stories == {}
        order, columns = index.list_order(), index.story_list()
        assert order is not None and columns is not None
        assert max(columns.counts) == 3, "stories of several versions were ordered"
        _keep_list_order(index, {})  # every story of several versions loaded and ordered
        assert index.list_order() == order
        assert index.story_list() == columns
    finally:
        index.close()
