"""The links between stories kept in the index (`story_links`): issues of one series,
related stories and digests holding a story's opening (reader.grouping.links).

A full grouping replaces them all; joining new files to stored stories adds theirs, moves
the links of stories merged into others, and drops those of stories that are gone. A
series is kept as a spanning forest of decided pairs, so its issues are found by walking
its links (`series_of`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reader.grouping.decide import Relation
from reader.grouping.links import Joined, StoryLink
from reader.store.index import CorpusIndex

#: Story ids per query (SQLite allows 999 parameters in older builds).
_PER_QUERY = 400


def replace_story_links(index: CorpusIndex, links: Iterable[StoryLink]) -> None:
    """Keep these links and no others (a full grouping; in the caller's transaction)."""
    index.connection.execute("DELETE FROM story_links")
    _insert(index, links)


def _insert(index: CorpusIndex, links: Iterable[StoryLink]) -> None:
    index.connection.executemany(
        "INSERT OR IGNORE INTO story_links (story, other, relation, rule) VALUES (?, ?, ?, ?)",
        ((link.story, link.other, link.relation.value, link.rule) for link in links),
    )


def add_story_links(
    index: CorpusIndex, links: Sequence[StoryLink], renamed: Mapping[str, str]
) -> None:
    """After files joined stored stories (in the caller's transaction): the links of the
    stories `renamed` (merged into another) follow them, the new `links` are added (a
    series link only where it joins issues not linked yet, as a full grouping keeps a
    series), and links of stories no article belongs to any more are dropped."""
    _move(index, renamed)
    joined = Joined()
    walked: set[str] = set()

    def walk(story: str) -> None:
        if story not in walked:
            for member in series_of(index, story):
                joined.join(story, member)
                walked.add(member)
            walked.add(story)

    kept = []
    for link in links:
        if link.relation is Relation.SERIES:
            walk(link.story)
            walk(link.other)
            if not joined.join(link.story, link.other):
                continue
        kept.append(link)
    _insert(index, kept)
    index.connection.execute(
        "DELETE FROM story_links"
        " WHERE NOT EXISTS (SELECT 1 FROM files WHERE files.story = story_links.story)"
        " OR NOT EXISTS (SELECT 1 FROM files WHERE files.story = story_links.other)"
    )


def _move(index: CorpusIndex, renamed: Mapping[str, str]) -> None:
    """Links of stories merged into others, moved to those (none left inside one story)."""
    gone = sorted(renamed)
    moved: list[StoryLink] = []
    for start in range(0, len(gone), _PER_QUERY):
        part = gone[start : start + _PER_QUERY]
        marks = ",".join("?" * len(part))
        rows = index.connection.execute(
            "SELECT story, other, relation, rule FROM story_links"
            f" WHERE story IN ({marks}) OR other IN ({marks})",
            [*part, *part],
        ).fetchall()
        index.connection.execute(
            f"DELETE FROM story_links WHERE story IN ({marks}) OR other IN ({marks})",
            [*part, *part],
        )
        for story, other, relation, rule in rows:
            one, two = renamed.get(story, story), renamed.get(other, other)
            if one != two:
                moved.append(StoryLink(min(one, two), max(one, two), Relation(relation), rule))
    _insert(index, moved)


@dataclass(frozen=True, slots=True)
class LinkedStory:
    """A story linked to another: its id, how, and the rule that decided the pair of
    articles linking them (for an issue of a series reached through others, the rule of
    the link that reached it)."""

    story: str
    relation: Relation
    rule: str
    #: True when the two stories' own articles were decided (not through other issues).
    direct: bool = True


def links_of(index: CorpusIndex, story: str) -> list[LinkedStory]:
    """The stories linked to `story`: every other issue of its series, then the related
    stories and the digests holding its opening, each relation in id order. Nothing when
    the index cannot be read (an index that could not be given the table)."""
    try:
        with index.lock:
            direct = _touching(index, [story])
            series = _walk(index, story)
    except sqlite3.Error:
        return []
    neighbours = {
        link.other if link.story == story else link.story
        for link in direct
        if link.relation is Relation.SERIES
    }
    found = [
        LinkedStory(other, Relation.SERIES, rule, other in neighbours)
        for other, rule in sorted(series.items())
    ]
    for relation in (Relation.RELATED, Relation.DIGEST_ITEM):
        found.extend(
            LinkedStory(link.other if link.story == story else link.story, relation, link.rule)
            for link in sorted(direct)
            if link.relation is relation
        )
    return found


def _touching(
    index: CorpusIndex, stories: Sequence[str], relation: Relation | None = None
) -> list[StoryLink]:
    found: list[StoryLink] = []
    wanted = "" if relation is None else " AND relation = ?"
    for start in range(0, len(stories), _PER_QUERY):
        part = list(stories[start : start + _PER_QUERY])
        marks = ",".join("?" * len(part))
        rows = index.connection.execute(
            "SELECT story, other, relation, rule FROM story_links"
            f" WHERE (story IN ({marks}) OR other IN ({marks})){wanted}",
            [*part, *part, *([relation.value] if relation is not None else [])],
        )
        found.extend(
            StoryLink(story, other, Relation(kind), rule) for story, other, kind, rule in rows
        )
    return found


def _walk(index: CorpusIndex, story: str) -> dict[str, str]:
    """The other issues of `story`'s series, each with the rule of the link that reached it."""
    reached: dict[str, str] = {story: ""}
    frontier = [story]
    while frontier:
        step: list[str] = []
        for link in _touching(index, frontier, Relation.SERIES):
            for one, other in ((link.story, link.other), (link.other, link.story)):
                if one in reached and other not in reached:
                    reached[other] = link.rule
                    step.append(other)
        frontier = step
    del reached[story]
    return reached


def series_of(index: CorpusIndex, story: str) -> list[str]:
    """The other issues of `story`'s series (none when it is in none)."""
    return sorted(_walk(index, story))


def all_story_links(index: CorpusIndex) -> list[StoryLink]:
    """Every link kept (nothing when the index cannot be read)."""
    try:
        with index.lock:
            rows = index.connection.execute(
                "SELECT story, other, relation, rule FROM story_links ORDER BY story, other"
            ).fetchall()
    except sqlite3.Error:
        return []
    return [StoryLink(story, other, Relation(kind), rule) for story, other, kind, rule in rows]


def stories_in_series(index: CorpusIndex) -> frozenset[str]:
    """The stories that are issues of a series (for the list's mark)."""
    try:
        with index.lock:
            rows = index.connection.execute(
                "SELECT story FROM story_links WHERE relation = 'series'"
                " UNION SELECT other FROM story_links WHERE relation = 'series'"
            ).fetchall()
    except sqlite3.Error:
        return frozenset()
    return frozenset(story for (story,) in rows)


def series_names(links: Iterable[StoryLink]) -> dict[str, str]:
    """Each story in a series, with the series' name: the smallest id of its issues."""
    joined = Joined()
    members: set[str] = set()
    for link in links:
        if link.relation is Relation.SERIES:
            joined.join(link.story, link.other)
            members.update((link.story, link.other))
    by_root: dict[object, str] = {}
    for story in sorted(members):
        by_root.setdefault(joined.root(story), story)
    return {story: by_root[joined.root(story)] for story in members}
