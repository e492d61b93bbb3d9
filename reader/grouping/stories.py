"""Group articles into stories: the versions of one wire story, in the order they were filed.

Two files are versions of one story when they share word sequences, not just names and
topic (`signature`: word 3-shingles of the cleaned text, folded for house style; `decide`:
the rules an editor applies). Candidates come from MinHash + LSH (`candidates`), are
decided exactly, and are clustered by connected groups (`clustering`); `engine` runs those
steps in bounded memory. This module gives them articles and returns stories: in batch
(`StoryGrouper.group`) and by joining new articles to stories already built
(`StoryGrouper.extend`), by one rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import numpy as np

from reader.grouping.candidates import BandIndex as BandIndex
from reader.grouping.candidates import article_band_keys
from reader.grouping.clustering import PairJudge, best_story
from reader.grouping.decide import DEFAULT_THRESHOLD as DEFAULT_THRESHOLD
from reader.grouping.decide import judge
from reader.grouping.engine import (
    Entry,
    MemorySignatures,
    ParallelMap,
    group_entries,
)
from reader.grouping.links import PairLinks, StoryLink, named_links, story_links
from reader.grouping.metadata import (
    CONFLICT_SIMILARITY,
    conflict_note,
    metadata_order,
    same_story_key,
    usable_key,
)
from reader.grouping.signature import LEDE_WORDS as LEDE_WORDS
from reader.grouping.signature import Signature as Signature
from reader.grouping.signature import body_text as body_text
from reader.grouping.signature import shared_count as shared_count
from reader.grouping.signature import signature as signature
from reader.grouping.signature import signature_of_text as signature_of_text
from reader.ingest.article import Article
from reader.ingest.corpus import Corpus, natural_key


@dataclass(frozen=True, slots=True)
class StorySummary:
    """What the story list shows of a story without its versions: kept in the index with
    the list's order, so that re-opening a large corpus lists its stories without making
    an article for each file."""

    #: How many versions it has.
    count: int
    #: The latest version's headline (may be empty).
    title: str
    #: File names of the first and the latest version.
    first_name: str
    latest_name: str
    #: The latest version's article id and words (the row of a story of one).
    latest_id: str
    latest_words: int

    @classmethod
    def of(cls, versions: Sequence[Article]) -> StorySummary:
        """The summary of versions in filing order."""
        first, latest = versions[0], versions[-1]
        return cls(len(versions), latest.headline, first.name, latest.name, latest.id, latest.words)


#: Loads a story's versions, in filing order, when they are first asked for.
VersionLoader = Callable[[], list[Article]]


class Story:
    """Versions of one wire story, in filing order.

    A story listed from the index (`reader.store.story_list`) has only its summary at
    first: its versions are loaded when first asked for (expanding, opening, diffing), so
    a million files are listed without making a million articles. Its length and title
    come from the summary until then.
    """

    __slots__ = ("_load", "_summary", "_versions", "id", "notes")

    def __init__(
        self,
        id: str,
        versions: list[Article] | None = None,
        notes: list[str] | None = None,
        *,
        summary: StorySummary | None = None,
        load: VersionLoader | None = None,
    ) -> None:
        if versions is None and (summary is None or load is None):
            versions = []
        self.id = id
        self._versions = versions
        #: What a reader should know about how it was grouped (versions sharing a story id
        #: whose texts are unrelated).
        self.notes: list[str] = notes if notes is not None else []
        self._summary = summary
        self._load = load

    @property
    def versions(self) -> list[Article]:
        """The versions, in filing order (loaded from the index on first use)."""
        versions = self._versions
        if versions is None:  # (two threads asking at once both load: harmless)
            assert self._load is not None
            versions = self._versions = self._load()
        return versions

    @property
    def loaded(self) -> bool:
        """Whether the versions are in memory (asking for them costs nothing)."""
        return self._versions is not None

    @property
    def summary(self) -> StorySummary:
        """What the list shows of the story: kept, or made from the versions."""
        if self._versions is None and self._summary is not None:
            return self._summary
        if not self.versions:
            return StorySummary(0, "", "", "", "", 0)
        return StorySummary.of(self.versions)

    @property
    def title(self) -> str:
        """The latest version's headline."""
        if self._versions is None and self._summary is not None:
            return self._summary.title
        return self.versions[-1].headline if self.versions else ""

    @property
    def latest(self) -> Article:
        return self.versions[-1]

    def predecessor(self, article: Article) -> Article | None:
        """The version filed before `article`, if any."""
        index = self.index_of(article)
        return self.versions[index - 1] if index > 0 else None

    def contains(self, article: Article) -> bool:
        """Whether `article` is a version of this story."""
        return any(version.id == article.id for version in self.versions)

    def index_of(self, article: Article) -> int:
        for index, version in enumerate(self.versions):
            if version.id == article.id:
                return index
        raise ValueError(f"{article.name} is not a version of this story")

    def __len__(self) -> int:
        if self._versions is None and self._summary is not None:
            return self._summary.count
        return len(self.versions)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Story):
            return NotImplemented
        return (self.id, self.versions, self.notes) == (other.id, other.versions, other.notes)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = f"{len(self)} versions" + ("" if self.loaded else ", not loaded")
        return f"Story(id={self.id!r}, {shown})"


@dataclass(slots=True)
class StoryCorpus:
    """A corpus with its articles grouped into stories."""

    corpus: Corpus
    stories: Sequence[Story] = field(default_factory=list)
    _story_by_article: dict[str, Story] = field(default_factory=dict, init=False, repr=False)
    _places: dict[str, int] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._story_by_article = {
            version.id: story for story in self.stories for version in story.versions
        }

    @property
    def article_count(self) -> int:
        """How many articles the stories hold."""
        return len(self.corpus.articles)

    def article_by_id(self, article_id: str) -> Article | None:
        """The article with this id, if it is in the corpus."""
        story = self._story_by_article.get(article_id)
        if story is None:
            return None
        return next((version for version in story.versions if version.id == article_id), None)

    def story_of(self, article: Article) -> Story | None:
        """The story `article` is a version of."""
        return self._story_by_article.get(article.id)

    def place_of(self, story_id: str) -> int | None:
        """The place in `stories` of the story with this id, if any (a map of the stories,
        made on first use)."""
        if self._places is None:
            self._places = {story.id: number for number, story in enumerate(self.stories)}
        return self._places.get(story_id)

    def story_by_id(self, story_id: str) -> Story | None:
        """The story with this id, if any."""
        place = self.place_of(story_id)
        return self.stories[place] if place is not None else None

    def noted_articles(self) -> list[Article]:
        """The articles read with a caveat (notes), in natural file-name order."""
        return [article for article in self.corpus.articles if article.notes]


# --- similarity --------------------------------------------------------------------------


def similarity(a: Signature, b: Signature) -> float:
    """The larger of Jaccard and containment of the shingle sets; 0 when a rule of
    `decide` (page kinds, series, a new lead over background) says they are not versions."""
    verdict = judge(a, b, threshold=0.0)
    return verdict.score if verdict.same_story else 0.0


# --- grouping ----------------------------------------------------------------------------


@dataclass(slots=True)
class Grouping:
    """Stories, which story each article went to (by position), the frequent shingles
    left out of the sketches, and the links between stories (series, related, digests)."""

    stories: list[Story]
    story_of: list[int]
    frequent: np.ndarray
    links: list[StoryLink] = field(default_factory=list)


class BandLookup(Protocol):
    """The LSH band keys of the articles already grouped: query, and add new ones."""

    def candidates(self, keys: np.ndarray) -> set[int]:
        """Ids of the articles sharing a band key with these (one article's row)."""
        ...

    def add(self, keys: np.ndarray, id_: int) -> None:
        """Make a new article findable by its band keys."""
        ...


@dataclass(slots=True)
class KnownStories:
    """What incremental grouping needs of the articles already grouped (from the index)."""

    bands: BandLookup
    #: The frequent shingles left out of the sketches when the stories were last built.
    frequent: np.ndarray
    #: Each known article's story.
    story_of: dict[int, str]
    #: The story of each usable story key (metadata) among the known articles.
    story_keys: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NewVersion:
    """An article read since the stories were built, to be joined to one."""

    rowid: int
    article: Article
    signature: Signature


@dataclass(slots=True)
class Extension:
    """What joining new articles to known stories decided."""

    story_of: dict[int, str]
    #: The new articles' band keys, to store.
    band_keys: dict[int, np.ndarray]
    #: Known stories that gained a version.
    updated: set[str]
    #: Notes on stories (metadata conflicts) found while joining.
    notes: dict[str, list[str]] = field(default_factory=dict)
    #: Links between stories that the new articles' pairs give (series, related, digests).
    links: list[StoryLink] = field(default_factory=list)


def entries_of(articles: Sequence[Article], signatures: Sequence[Signature]) -> list[Entry]:
    """The engine's entries for articles in memory (ids are positions)."""
    return [
        Entry(position, article.id, len(sig), sig.title, usable_key(article))
        for position, (article, sig) in enumerate(zip(articles, signatures, strict=True))
    ]


class StoryGrouper:
    """The one grouping engine: batch grouping of a corpus, and joining new articles to
    stories already built, by the same rule (`clustering`)."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold

    def group(
        self,
        articles: Sequence[Article],
        *,
        signatures: Sequence[Signature] | None = None,
        pairs: Iterable[tuple[int, int]] | None = None,
        parallel_map: ParallelMap = map,
    ) -> Grouping:
        """Group the articles into stories, each with its versions in filing order.

        The same articles in any order give the same stories. Candidate pairs come from
        LSH unless given (the benchmark's all-pairs baseline gives every pair).
        """
        sigs = list(signatures) if signatures is not None else [signature(a) for a in articles]
        order = sorted(range(len(articles)), key=lambda i: (natural_key(articles[i].name), i))
        given = None if pairs is None else np.asarray(list(pairs), dtype=np.int64).reshape(-1, 2)
        result = group_entries(
            [
                Entry(i, articles[i].id, len(sigs[i]), sigs[i].title, usable_key(articles[i]))
                for i in order
            ],
            MemorySignatures(dict(enumerate(sigs))),
            self.threshold,
            parallel_map=parallel_map,
            pairs=given,
        )
        stories = []
        for number, members in enumerate(result.clusters):
            story = _story(articles, members)
            unrelated = result.conflicts.get(number)
            if unrelated:
                story.notes.append(conflict_note([articles[i] for i in unrelated]))
            stories.append(story)
        links = named_links(result.links, dict(enumerate(story.id for story in stories)))
        stories.sort(key=lambda story: (natural_key(story.versions[0].name), story.id))
        number_of = {version.id: n for n, story in enumerate(stories) for version in story.versions}
        return Grouping(
            stories, [number_of[article.id] for article in articles], result.frequent, links
        )

    def extend(
        self,
        known: KnownStories,
        new_versions: Sequence[NewVersion],
        load_signatures: Callable[[list[int]], dict[int, Signature]],
    ) -> Extension:
        """Join articles read since the stories were built to them (or start new stories),
        one by one, most complete first, by the rule `group` uses; an article that
        qualifies for several stories joins them into one, as `group`'s repair does.

        `load_signatures` fetches the signatures of known articles (from the index) as the
        candidates need them.
        """
        result = Extension({}, {}, set())
        story_of = dict(known.story_of)
        members_of: dict[str, list[int]] = defaultdict(list)
        for member, story in story_of.items():
            members_of[story].append(member)
        existing = set(members_of)
        signatures = {version.rowid: version.signature for version in new_versions}

        def signature_of(rowid: int) -> Signature:
            self._load_missing(signatures, [rowid], load_signatures)
            return signatures[rowid]

        judge = PairJudge(self.threshold, signature_of)
        linked = PairLinks(self.threshold)
        story_keys = dict(known.story_keys)
        order = sorted(new_versions, key=lambda v: (-len(v.signature), natural_key(v.article.name)))
        for version in order:
            sig = version.signature
            keys = article_band_keys([sig], known.frequent)[0]
            key = usable_key(version.article)
            by_metadata = story_keys.get(key) if key is not None else None
            if by_metadata is not None:
                self._load_missing(signatures, members_of[by_metadata], load_signatures)
                best = max(similarity(sig, signatures[m]) for m in members_of[by_metadata])
                if best < CONFLICT_SIMILARITY:
                    result.notes.setdefault(by_metadata, []).append(
                        conflict_note([version.article])
                    )
            candidates = known.bands.candidates(keys) & story_of.keys()
            self._load_missing(signatures, candidates, load_signatures)
            stories = set()
            for candidate in candidates:
                decision = judge.judge(version.rowid, candidate)
                if decision.same_story:
                    stories.add(story_of[candidate])
                else:
                    linked.add(version.rowid, candidate, decision)
            members = {story: members_of[story] for story in stories}
            for member_list in members.values():
                self._load_missing(signatures, member_list, load_signatures)
            qualifying = {
                story: judge.qualifies(version.rowid, member_list)
                for story, member_list in members.items()
            }
            joined = by_metadata or best_story(qualifying)
            story = joined or version.article.id
            for other in sorted(s for s, value in qualifying.items() if value and s != story):
                if judge.may_merge(members_of[story], members_of[other]):
                    for member in members_of.pop(other):
                        story_of[member] = result.story_of[member] = story
                        members_of[story].append(member)
                    joined = story
            if joined in existing:
                result.updated.add(joined)
            story_of[version.rowid] = result.story_of[version.rowid] = story
            members_of[story].append(version.rowid)
            if key is not None:
                story_keys[key] = story
            result.band_keys[version.rowid] = keys
            known.bands.add(keys, version.rowid)
        result.links = story_links(story_of, linked.found)
        return result

    @staticmethod
    def _load_missing(
        signatures: dict[int, Signature],
        rowids: Iterable[int],
        load: Callable[[list[int]], dict[int, Signature]],
    ) -> None:
        missing = [rowid for rowid in rowids if rowid not in signatures]
        if missing:
            signatures.update(load(missing))


def order_versions(versions: Iterable[Article]) -> list[Article]:
    """Versions in filing order: by version number then version time when they all share
    one story id (metadata), else by a date in the file, then by natural file name."""
    versions = list(versions)
    if same_story_key(versions):
        return metadata_order(versions)
    return sorted(
        versions,
        key=lambda a: (a.filed is None, a.filed or datetime.min, natural_key(a.name)),
    )


def _story(articles: Sequence[Article], members: list[int]) -> Story:
    versions = order_versions(articles[index] for index in members)
    return Story(id=versions[0].id, versions=versions)
