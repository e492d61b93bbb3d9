"""Read state and the story cache in the index: what the user read survives a restart,
and a story's provenance and timeline are built once and found again by fingerprint."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from follow_story import write_story, write_version

import reader.follow.followed as followed_module
from reader.follow.followed import TIME_FROM_FILE, follow_story
from reader.grouping.stories import Story, StoryCorpus
from reader.ingest.corpus import Corpus
from reader.store.library import OpenedCorpus, open_corpus
from reader.store.read_state import (
    ReadNoted,
    ReadTracker,
    read_marks,
    record_read,
    unread_stories,
)


def lyon(opened: OpenedCorpus) -> Story:
    return next(s for s in opened.library.stories if s.versions[0].name == "lyon_01.txt")


def test_what_was_read_survives_reopening_the_index(tmp_path: Path) -> None:
    write_story(tmp_path / "c", versions=3)
    index = tmp_path / "index.sqlite3"
    opened = open_corpus([tmp_path / "c"], index_file=index)
    record_read(opened.corpus_index, lyon(opened), lyon(opened).versions[1], when=1000.0)
    opened.corpus_index.close()
    again = open_corpus([tmp_path / "c"], index_file=index)
    [unread] = unread_stories(again.library.stories, read_marks(again.corpus_index))
    assert (unread.read_version, unread.count, unread.read_at) == (2, 1, 1000.0)


def test_opening_an_older_version_keeps_the_furthest_read(tmp_path: Path) -> None:
    write_story(tmp_path / "c", versions=3)
    opened = open_corpus([tmp_path / "c"], in_memory=True)
    story = lyon(opened)
    record_read(opened.corpus_index, story, story.versions[2])
    assert record_read(opened.corpus_index, story, story.versions[0]) is None
    assert unread_stories([story], read_marks(opened.corpus_index)) == []


def test_a_story_never_opened_has_no_unread_versions(tmp_path: Path) -> None:
    write_story(tmp_path / "c", versions=3)
    opened = open_corpus([tmp_path / "c"], in_memory=True)
    assert unread_stories(opened.library.stories, read_marks(opened.corpus_index)) == []


def test_a_version_filed_later_makes_the_story_unread(tmp_path: Path) -> None:
    write_story(tmp_path / "c", versions=3)
    index = tmp_path / "index.sqlite3"
    opened = open_corpus([tmp_path / "c"], index_file=index)
    record_read(opened.corpus_index, lyon(opened), lyon(opened).latest)
    opened.corpus_index.close()
    write_version(tmp_path / "c", 4)
    write_version(tmp_path / "c", 5)
    again = open_corpus([tmp_path / "c"], index_file=index)
    [unread] = unread_stories(again.library.stories, read_marks(again.corpus_index))
    assert (unread.read_version, unread.count, unread.newest) == (3, 2, 5)


def test_provenance_is_built_once_then_read_from_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_story(tmp_path / "c")
    index = tmp_path / "index.sqlite3"
    opened = open_corpus([tmp_path / "c"], index_file=index)
    first = follow_story(lyon(opened), opened.corpus_index)
    opened.corpus_index.close()

    def no_building(_texts: object) -> None:
        raise AssertionError("provenance was built again")

    monkeypatch.setattr(followed_module, "build_provenance", no_building)
    monkeypatch.setattr(followed_module, "build_timeline", no_building)
    again = open_corpus([tmp_path / "c"], index_file=index)
    second = follow_story(lyon(again), again.corpus_index)
    assert second.provenance == first.provenance
    assert second.timeline == first.timeline


def test_a_changed_version_is_not_served_from_the_cache(tmp_path: Path) -> None:
    write_story(tmp_path / "c")
    opened = open_corpus([tmp_path / "c"], in_memory=True)
    before = follow_story(lyon(opened), opened.corpus_index)
    path = tmp_path / "c" / "lyon_05.txt"
    path.write_text(path.read_text() + "\nA late paragraph about the prosecutor.\n")
    after = follow_story(lyon(opened), opened.corpus_index)
    assert after.provenance.fingerprint != before.provenance.fingerprint
    assert after.timeline.versions[-1].words > before.timeline.versions[-1].words


def test_versions_without_a_date_are_timed_by_their_file(tmp_path: Path) -> None:
    write_story(tmp_path / "c", versions=2)
    opened = open_corpus([tmp_path / "c"], in_memory=True)
    timeline = follow_story(lyon(opened), opened.corpus_index).timeline
    assert [entry.time_from for entry in timeline.versions] == [TIME_FROM_FILE] * 2
    assert [entry.time for entry in timeline.versions] == [
        "2026-03-05T08:00:00+00:00",
        "2026-03-05T08:30:00+00:00",
    ]


def tracked(sizes: list[int]) -> list[Story]:
    from test_story_rows import make_stories

    return make_stories(sizes)


def test_the_tracker_offers_whats_new_only_on_the_newest_version_after_an_older_read() -> None:
    [story] = tracked([4])
    tracker = ReadTracker()
    assert tracker.note_read(story, story.versions[1], when=5.0) == ReadNoted(True, None)
    assert tracker.unread_count(story) == 2
    noted = tracker.note_read(story, story.latest)
    assert noted.furthest and noted.since_version == 2
    assert noted.whats_new_since is not None and noted.whats_new_since.read_at == 5.0
    assert tracker.unread_count(story) == 0
    assert tracker.note_read(story, story.versions[0]) == ReadNoted(False, None)


def test_the_tracker_counts_versions_that_join_a_story_never_opened() -> None:
    before = tracked([2, 1])
    after = tracked([3, 1])
    old, new = StoryCorpus(Corpus("c"), before), StoryCorpus(Corpus("c"), after)
    tracker = ReadTracker()
    tracker.count_new_versions(old, new, updated={after[0].id})
    assert tracker.unread_counts(new) == {after[0].id: 1}
    tracker.note_read(after[0], after[0].latest)
    assert tracker.unread_counts(new) == {}


def test_a_story_with_a_file_name_that_is_not_unicode_is_cached_and_read_back(
    tmp_path: Path,
) -> None:
    write_story(tmp_path / "c", versions=2)
    odd = tmp_path / "c" / os.fsdecode(b"lyon_03-caf\xe9.txt")
    odd.write_text((tmp_path / "c" / "lyon_02.txt").read_text() + "\nOne more line.\n")
    index = tmp_path / "index.sqlite3"
    opened = open_corpus([tmp_path / "c"], index_file=index)
    story = lyon(opened)
    first = follow_story(story, opened.corpus_index)
    again = follow_story(story, opened.corpus_index)
    assert [entry.source for entry in again.timeline.versions][-1] == odd.name
    assert again.timeline == first.timeline
