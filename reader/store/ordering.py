"""The versions of a full grouping's stories put in filing order, a chunk of stories at a
time, by worker processes that read the articles from the index themselves: ordering them
loads an article for every version (a few hundred thousand stories at a million files), a
minute of one process."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.grouping.engine import EngineResult, ParallelMap
from reader.grouping.metadata import conflict_note
from reader.grouping.stories import StorySummary, order_versions
from reader.store.index import MEMORY, CorpusIndex, articles_with_story, reading_connection

#: Stories ordered per task.
STORIES_PER_TASK = 2000


@dataclass(frozen=True, slots=True)
class OrderedStory:
    """A story of several versions: its id (its first version's article id), its rows in
    filing order, its summary, and the note on its articles whose text matches none of the
    others' (a metadata conflict), if any."""

    id: str
    rowids: list[int]
    summary: StorySummary
    note: str | None


#: A story to order: its rows, and those of them in conflict (maybe none).
StoryRows = tuple[Sequence[int], Sequence[int]]


def ordered(connection: sqlite3.Connection, stories: Sequence[StoryRows]) -> list[OrderedStory]:
    """The stories in filing order, their articles read through `connection`."""
    found = articles_with_story(connection, [rowid for rows, _ in stories for rowid in rows])
    articles = {rowid: article for rowid, (article, _) in found.items()}
    rowid_of = {id(article): rowid for rowid, article in articles.items()}
    result = []
    for rows, unrelated in stories:
        versions = order_versions(articles[rowid] for rowid in rows)
        note = conflict_note([articles[rowid] for rowid in unrelated]) if unrelated else None
        result.append(
            OrderedStory(
                versions[0].id,
                [rowid_of[id(version)] for version in versions],
                StorySummary.of(versions),
                note,
            )
        )
    return result


def ordered_task(work: tuple[str, Sequence[StoryRows]]) -> list[OrderedStory]:
    """`ordered`, reading the index file at `location` (run in a worker)."""
    location, stories = work
    with reading_connection(location) as connection:
        return ordered(connection, stories)


def ordered_clusters(
    index: CorpusIndex, result: EngineResult, parallel_map: ParallelMap = map
) -> dict[int, OrderedStory]:
    """Each cluster of several articles of `result` (by number) in filing order: by
    `parallel_map`'s workers for an index file, else in this process."""
    several = [number for number, members in enumerate(result.clusters) if len(members) > 1]
    chunks = [
        several[start : start + STORIES_PER_TASK]
        for start in range(0, len(several), STORIES_PER_TASK)
    ]

    def stories(numbers: Sequence[int]) -> list[StoryRows]:
        return [(result.clusters[n], result.conflicts.get(n, [])) for n in numbers]

    if index.location == MEMORY or parallel_map is map:
        done: Iterable[list[OrderedStory]] = (
            ordered(index.connection, stories(numbers)) for numbers in chunks
        )
    else:
        location = str(index.location)
        done = parallel_map(ordered_task, ((location, stories(numbers)) for numbers in chunks))
    found: dict[int, OrderedStory] = {}
    for numbers, stories_done in zip(chunks, done, strict=True):
        found.update(zip(numbers, stories_done, strict=True))
    return found
