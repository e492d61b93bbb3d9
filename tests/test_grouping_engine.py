"""The one grouping engine: joining new versions one by one agrees with grouping in bulk,
LSH buckets grow without being rebuilt, and re-opening keeps the index's threshold."""

from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np

from reader.grouping.candidates import (
    BandIndex,
    article_band_keys,
    band_keys,
    frequent_shingles,
)
from reader.grouping.stories import (
    KnownStories,
    MemoryBands,
    NewVersion,
    Signature,
    StoryGrouper,
    signature,
)
from reader.ingest.article import Article, parse_article_text
from reader.store.library import open_corpus, refresh

PLACES = ["BRUSSELS", "TOKYO", "NAIROBI", "LIMA", "OSLO", "CAIRO", "DELHI", "QUITO"]
TOPICS = ["exports", "tariffs", "elections", "floods", "wages", "railways", "vaccines", "drought"]


def story_text(number: int, version: int) -> str:
    """Version `version` of story `number`: each version adds a paragraph to the last."""
    rng = random.Random(number)
    words = [f"{rng.choice(TOPICS)}{rng.randrange(10**6)}" for _ in range(120)]
    paragraphs = [" ".join(words[start : start + 20]) + "." for start in range(0, 120, 20)]
    lede = f"{PLACES[number % len(PLACES)]} (Reuters) - " + paragraphs[0]
    return f"Story {number}\n\n" + "\n\n".join([lede, *paragraphs[1 : 3 + version]])


def article(name: str, text: str) -> Article:
    return Article(
        id=name, path=Path(name), name=name, parsed=parse_article_text(text), size=len(text),
        mtime=0.0, encoding="utf-8",
    )  # fmt: skip


def grouped_names(stories: dict[str, list[str]]) -> list[list[str]]:
    return sorted(sorted(members) for members in stories.values())


def test_joining_versions_one_by_one_gives_the_stories_bulk_grouping_gives() -> None:
    articles = [article(f"{n}_v{v}.txt", story_text(n, v)) for n in range(8) for v in range(3)]
    grouper = StoryGrouper()
    bulk = grouper.group(articles)
    expected = sorted(sorted(v.name for v in story.versions) for story in bulk.stories)
    assert len(expected) == 8

    first = [a for a in articles if a.name.endswith("_v0.txt")]
    signatures = {n: signature(a) for n, a in enumerate(articles)}
    known_rowids = [n for n, a in enumerate(articles) if a in first]
    start = grouper.group(first)
    frequent = frequent_shingles([signatures[n] for n in known_rowids])
    body_keys, lede_keys = article_band_keys([signatures[n] for n in known_rowids], frequent)
    known = KnownStories(
        bands=MemoryBands(body_keys, lede_keys, known_rowids),
        frequent=frequent,
        story_of={
            rowid: start.stories[start.story_of[position]].id
            for position, rowid in enumerate(known_rowids)
        },
    )
    new = [NewVersion(n, a, signatures[n]) for n, a in enumerate(articles) if a not in first]

    def load(rowids: list[int]) -> dict[int, Signature]:
        return {rowid: signatures[rowid] for rowid in rowids}

    extension = grouper.extend(known, new, load)
    members: dict[str, list[str]] = {}
    for rowid, story in {**known.story_of, **extension.story_of}.items():
        members.setdefault(story, []).append(articles[rowid].name)
    assert grouped_names(members) == expected
    assert extension.updated == set(known.story_of.values())


def test_a_band_index_finds_sketches_added_after_it_was_built() -> None:
    rows = np.arange(1, 5 * 64 + 1, dtype=np.uint64).reshape(5, 64)
    rows = np.vstack([rows, np.zeros((1, 64), dtype=np.uint64)])
    keys = band_keys(rows)
    bands = BandIndex(keys[:3], [10, 11, 12])
    assert bands.candidates(keys[1]) == {11}
    assert bands.candidates(keys[4]) == set()
    bands.add(keys[4], 14)
    assert bands.candidates(keys[4]) == {14}
    assert not keys[5].any() and bands.candidates(keys[5]) == set(), "an empty sketch matches none"


def test_re_opening_without_a_threshold_keeps_the_one_the_index_was_grouped_with(
    seeds: Path, tmp_path: Path
) -> None:
    index_file = tmp_path / "index.sqlite3"
    opened = open_corpus([seeds], index_file=index_file, threshold=0.99)
    assert opened.corpus_index.get_meta("threshold") == repr(0.99)
    _, report = refresh(opened.corpus_index, [seeds])
    assert not report.regrouped, "the app's refresh does not regroup a corpus the CLI grouped"
    assert opened.corpus_index.get_meta("threshold") == repr(0.99)


def test_a_touched_but_unchanged_file_is_not_read_again(seeds: Path, tmp_path: Path) -> None:
    index_file = tmp_path / "index.sqlite3"
    open_corpus([seeds], index_file=index_file).corpus_index.close()
    touched = next(seeds.glob("001_*"))
    os.utime(touched, (1_000_000_000, 1_000_000_000))
    _, report, index = open_corpus([seeds], index_file=index_file)
    assert (report.indexed, report.unchanged) == (0, 3)
    index.close()
    _, report, _ = open_corpus([seeds], index_file=index_file)
    assert (report.indexed, report.unchanged) == (0, 3), "the new time was recorded"
    touched.write_text(touched.read_text() + "\nA new last paragraph.")
    _, report, _ = open_corpus([seeds], index_file=index_file)
    assert (report.indexed, report.unchanged) == (1, 2)
