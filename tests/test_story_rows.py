"""The story list's rows: stories collapse and expand; single articles are plain rows."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.grouping.stories import Story
from reader.ingest.article import Article, parse_article_text
from reader.present.story_rows import COLLAPSED, EXPANDED, UNREAD_MARK, StoryRows
from reader.store.library import open_corpus


def sample_rows() -> StoryRows:
    return StoryRows(open_corpus([], in_memory=True).library.stories)


def test_a_story_of_several_versions_is_one_collapsed_row() -> None:
    rows = sample_rows()
    assert [row.marker for row in rows.rows] == [COLLAPSED, ""]
    assert rows.rows[0].detail.startswith("2 versions · 000_")
    assert rows.rows[0].figure == "2v"
    assert rows.entries[0].is_story
    assert rows.entries[1].article is not None and rows.entries[1].article.name.startswith("002_")


def test_expanding_lists_the_versions_in_order_under_the_story() -> None:
    rows = sample_rows()
    story = rows.stories[0]
    rows.toggle(story)
    assert rows.rows[0].marker == EXPANDED
    assert [row.detail[:6] for row in rows.rows[1:3]] == ["v1 · 0", "v2 · 0"]
    assert [row.depth for row in rows.rows] == [0, 1, 1, 0]
    assert rows.index_of_article(story.versions[1]) == 2
    rows.collapse(story)
    assert len(rows.rows) == 2
    assert rows.index_of_article(story.versions[1]) is None
    assert rows.index_of_story(story) == 0


def make_stories(sizes: list[int]) -> list[Story]:
    def version(story: int, number: int) -> Article:
        text = f"Story {story} version {number}\n\nBody of story {story}, version {number}."
        name = f"{story:03d}_{number}.txt"
        return Article(
            id=name, path=Path(name), name=name, parsed=parse_article_text(text),
            size=len(text), mtime=0.0, encoding="utf-8",
        )  # fmt: skip

    return [
        Story(id=f"s{n}", versions=[version(n, k) for k in range(size)])
        for n, size in enumerate(sizes)
    ]


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=12),
    steps=st.lists(
        st.tuples(st.sampled_from(["toggle", "expand", "collapse", "seen"]), st.integers(0, 11)),
        max_size=25,
    ),
)
def test_changing_rows_in_place_gives_what_building_them_afresh_gives(
    sizes: list[int], steps: list[tuple[str, int]]
) -> None:
    stories = make_stories(sizes)
    rows = StoryRows(stories)
    rows.update(stories, unread={story.id: 2 for story in stories[::2]})
    for action, number in steps:
        story = stories[number % len(stories)]
        getattr(rows, action)(story)
        fresh = StoryRows(stories)
        fresh.expanded, fresh.unread = set(rows.expanded), dict(rows.unread)
        fresh.rebuild()
        assert rows.rows == fresh.rows
        assert rows.entries == fresh.entries
        for n, entry in enumerate(rows.entries):
            if entry.article is not None:
                assert rows.index_of_article(entry.article) == n
            else:
                assert rows.index_of_story(entry.story) == n


def test_a_story_with_unread_versions_shows_the_mark_with_their_count() -> None:
    stories = make_stories([3, 1])
    rows = StoryRows(stories)
    rows.update(stories, {stories[0].id: 2, stories[1].id: 0})
    assert rows.rows[0].title.startswith(f"{UNREAD_MARK}2 Story 0")
    assert not rows.rows[1].title.startswith(UNREAD_MARK)


def test_reading_a_story_clears_its_mark() -> None:
    stories = make_stories([3])
    rows = StoryRows(stories)
    rows.update(stories, {stories[0].id: 1})
    assert rows.seen(stories[0])
    assert rows.rows[0].title.startswith("Story 0")
    assert not rows.seen(stories[0])


def test_next_unread_goes_forward_and_wraps_round() -> None:
    stories = make_stories([2, 1, 2, 3])
    rows = StoryRows(stories)
    rows.update(stories, {stories[0].id: 1, stories[2].id: 1})
    assert rows.next_unread(None) is stories[0]
    assert rows.next_unread(stories[0]) is stories[2]
    assert rows.next_unread(stories[2]) is stories[0]
    rows.update(stories, {})
    assert rows.next_unread(stories[1]) is None
