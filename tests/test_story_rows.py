"""The story list's rows: stories collapse and expand; single articles are plain rows."""

from __future__ import annotations

from reader.library import open_corpus
from reader.story_rows import COLLAPSED, EXPANDED, StoryRows


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
