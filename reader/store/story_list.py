"""The story list as the index kept it, with each story's versions loaded when first asked for.

Re-opening a corpus shows the list of the last session at once. Making an article for each
of a million files takes half a minute; the list needs one row per story, which the index
keeps beside the list order (`CorpusIndex.put_story_list`: the story's id, its number of
versions, the latest headline, the first and latest file names, the latest article's id and
words). `stored_stories` makes the stories from those alone (`ListedStories`: each made when the
list first shows it); a story's versions are read from the index (one query, through an
`IndexReader`, so never waiting for a re-scan) when something asks for them: expanding it,
opening, diffing or following it. The corpus's articles (`ArticlesByName`) are read when
asked for too.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from reader.grouping.stories import Story, StoryCorpus, StorySummary, order_versions
from reader.ingest.article import Article
from reader.ingest.corpus import Corpus, natural_key
from reader.store.index import CorpusIndex, IndexReader, ListOrder, StoryColumns
from reader.text.lazy_sequence import MadeWhenRead


class StoredVersions:
    """Reads the versions of the stories of a kept list from the index: the rows of story
    `number` are `order.rowids[starts[number]:starts[number + 1]]`, in filing order (see
    `load` for an index changed since). Holds no story, so the stories that refer to it
    make no cycle."""

    def __init__(self, reader: IndexReader, order: ListOrder, story_ids: list[str]) -> None:
        self.reader = reader
        self.rowids = order.rowids
        self.starts = order.story_starts
        self.story_ids = story_ids
        self._by_rowid: tuple[np.ndarray, np.ndarray] | None = None

    def load(self, number: int) -> list[Article]:
        """The versions of story `number`, in filing order: those of the kept rows, or, when
        the index changed since (rows gone or now in another story), the story's versions as
        the index holds them now (none when the story is gone)."""
        end = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.rowids)
        rowids = self.rowids[self.starts[number] : end].tolist()
        found = self.reader.articles_with_story(rowids)
        story = self.story_ids[number]
        kept = [found[rowid][0] for rowid in rowids if found.get(rowid, (None, ""))[1] == story]
        if len(kept) == len(rowids):
            return kept
        return order_versions(self.reader.articles_of_story(story))

    def number_of(self, rowid: int) -> int | None:
        """The number of the story holding row `rowid` in the kept list, if any (sorted row
        ids made on first use: a tenth of a second at a million)."""
        if self._by_rowid is None:
            rowids = np.frombuffer(self.rowids, dtype=np.int64)
            order = np.argsort(rowids, kind="stable")
            self._by_rowid = (rowids[order], order)
        ordered, places = self._by_rowid
        at = int(np.searchsorted(ordered, rowid))
        if at >= len(ordered) or int(ordered[at]) != rowid:
            return None
        starts = np.frombuffer(self.starts, dtype=np.int64)
        return int(np.searchsorted(starts, int(places[at]), side="right")) - 1


class ArticlesByName(MadeWhenRead[Article]):
    """The articles of a kept list in natural file-name order (`Corpus.articles`), each
    read from the index when asked for, a chunk at a time when iterated: none is held."""

    def __init__(self, source: StoredVersions, by_name: array[int]) -> None:
        self._source = source
        self._by_name = by_name

    def __len__(self) -> int:
        return len(self._by_name)

    def _item(self, index: int) -> Article:
        return self._read([index])[0]

    def _items(self, indexes: range) -> list[Article]:
        return self._read(indexes)

    def __iter__(self) -> Iterator[Article]:
        for start in range(0, len(self), CHUNK):
            yield from self._read(range(start, min(start + CHUNK, len(self))))

    def _read(self, places: Iterable[int]) -> list[Article]:
        rowids = [self._source.rowids[self._by_name[place]] for place in places]
        found = self._source.reader.articles_with_story(rowids)
        return [found[rowid][0] for rowid in rowids if rowid in found]


#: Articles read per query when the articles of a kept list are iterated.
CHUNK = 900


class _Loader:
    """Loads one story's versions (a callable smaller than a closure: one per story)."""

    __slots__ = ("number", "source")

    def __init__(self, source: StoredVersions, number: int) -> None:
        self.source = source
        self.number = number

    def __call__(self) -> list[Article]:
        return self.source.load(self.number)


class ListedStories(MadeWhenRead[Story]):
    """The stories of a kept list, each made when first asked for (a list shows a screenful
    of half a million): its id, notes and summary from the kept columns, its versions
    loaded when asked for."""

    def __init__(
        self, columns: StoryColumns, notes: dict[str, list[str]], source: StoredVersions
    ) -> None:
        self.columns = columns
        self._notes = notes
        self._source = source
        self._made: list[Story | None] = [None] * len(columns.ids)
        self._numbers: dict[str, int] | None = None
        self._making = threading.Lock()  # the UI and a worker may ask for one story at once

    def __len__(self) -> int:
        return len(self._made)

    def _item(self, index: int) -> Story:
        story = self._made[index]
        if story is None:
            with self._making:
                story = self._made[index]
                if story is None:
                    story = self._made[index] = self._make(index)
        return story

    def _make(self, number: int) -> Story:
        story_id = self.columns.ids[number]
        return Story(
            story_id,
            None,
            list(self._notes.get(story_id, ())),
            summary=self.columns.summary(number),
            load=_Loader(self._source, number),
        )

    def numbers(self) -> dict[str, int]:
        """Story id -> its place in the list (made on first use, without a story object)."""
        if self._numbers is None:
            self._numbers = dict(zip(self.columns.ids, range(len(self.columns.ids)), strict=True))
        return self._numbers


class StoredStories(StoryCorpus):
    """The stories of a kept list (`ListedStories`), their versions loaded when first asked
    for.

    `corpus.articles` reads each article from the index when asked for (a million held is
    what this avoids); those read with a caveat are `noted_articles()`, and an article is
    found by its id in the index (`article_by_id`, `story_of`).
    """

    def __init__(self, corpus: Corpus, stories: ListedStories, source: StoredVersions) -> None:
        self.source = source
        self.listed = stories
        super().__init__(corpus, stories)

    def __post_init__(self) -> None:
        """Nothing to map yet: articles are mapped to their story as they are looked up."""

    def place_of(self, story_id: str) -> int | None:
        return self.listed.numbers().get(story_id)

    def story_of(self, article: Article) -> Story | None:
        story = self._story_by_article.get(article.id)
        if story is not None:
            return story
        found = self._find(article.id)
        return found[0] if found is not None else None

    def article_by_id(self, article_id: str) -> Article | None:
        story = self._story_by_article.get(article_id)
        if story is None:
            found = self._find(article_id)
            return found[1] if found is not None else None
        return next((version for version in story.versions if version.id == article_id), None)

    def _find(self, article_id: str) -> tuple[Story, Article] | None:
        """The story and article with this id, looked up in the index; the story's
        versions are mapped to it for next time."""
        for rowid in self.source.reader.rowids_of_article(article_id):
            number = self.source.number_of(rowid)
            if number is None:
                continue
            story = self.listed[number]
            for version in story.versions:
                self._story_by_article.setdefault(version.id, story)
            article = next((v for v in story.versions if v.id == article_id), None)
            if article is not None:
                return story, article
        return None

    def noted_articles(self) -> list[Article]:
        rowids = self.source.reader.noted_rowids()
        found = self.source.reader.articles_with_story(rowids)
        articles = [article for article, _ in found.values() if article.notes]
        return sorted(articles, key=lambda article: natural_key(article.name))


def stored_stories(
    index: CorpusIndex, corpus: Corpus, order: ListOrder, notes: dict[str, list[str]]
) -> StoredStories | None:
    """The stories of the list the index kept in `order`, each with its summary and its
    versions unloaded; None when no story list was kept with the order, or it does not fit
    it, or is damaged (the list is then made from the articles)."""
    try:
        columns = index.story_list()
    except (ValueError, TypeError):
        return None
    if columns is None or len(columns.ids) != len(order.story_starts):
        return None
    starts = np.frombuffer(order.story_starts, dtype=np.int64)
    counts = np.frombuffer(columns.counts, dtype=np.int64)
    if not np.array_equal(np.diff(starts, append=len(order.rowids)), counts):
        return None
    if len(counts) and int(counts.min()) < 1:
        return None
    source = StoredVersions(IndexReader(index), order, columns.ids)
    stories = ListedStories(columns, notes, source)
    by_name = np.frombuffer(order.by_name, dtype=np.int64)
    if len(by_name) != len(order.rowids) or (
        len(by_name) and (int(by_name.min()) < 0 or int(by_name.max()) >= len(by_name))
    ):
        return None  # not the places of the articles in the order by name
    if len(stories.numbers()) != len(stories):
        return None  # a story listed twice
    corpus.articles = ArticlesByName(source, order.by_name)
    return StoredStories(corpus, stories, source)


def story_list_of(stories: Sequence[Story]) -> list[tuple[str, StorySummary]]:
    """What the index keeps of `stories` for the next re-open (`put_story_list`)."""
    return [(story.id, story.summary) for story in stories]
