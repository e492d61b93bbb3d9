"""The rows of the story list: stories, and the versions of those that are expanded.

Plain Python (no Textual), so the list's behaviour is tested without a screen.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import overload

from reader.grouping.stories import Story
from reader.ingest.article import Article
from reader.ingest.corpus import display_name
from reader.present.links import SERIES_MARK
from reader.present.list_row import ListRow
from reader.present.stories import version_range
from reader.text.safe_text import safe_line

EXPANDED = "▾"
COLLAPSED = "▸"
#: Before the title of a story with versions newer than the one last read, with their count.
UNREAD_MARK = "● "


def unread_prefix(count: int) -> str:
    """`● 2 ` before the title of a story with two unread versions; nothing when none."""
    return f"{UNREAD_MARK}{count} " if count > 0 else ""


#: Opens the detail line of the article marked as the base of diffs (`m`).
BASE_MARK = "◆ base · "


@dataclass(frozen=True, slots=True)
class ListEntry:
    """What a row stands for: a story (article None) or one version of it."""

    story: Story
    article: Article | None

    @property
    def is_story(self) -> bool:
        return self.article is None


#: What the rows show beyond the stories: the expanded stories and the base mark.
RowState = tuple[frozenset[str], str | None]


class RowsMadeWhenRead(Sequence[ListRow]):
    """The rows of a list, each made the first time it is read (a list shows a screenful
    of 100,000: making them all first only delays showing it). `made` holds those made so
    far (None: not yet, or to be made again), one per row."""

    def __init__(self, make: Callable[[int], ListRow]) -> None:
        self._make = make
        self.made: list[ListRow | None] = []

    def __len__(self) -> int:
        return len(self.made)

    @overload
    def __getitem__(self, index: int) -> ListRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[ListRow]: ...

    def __getitem__(self, index: int | slice) -> ListRow | list[ListRow]:
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self.made)))]
        row = self.made[index]
        if row is None:
            row = self.made[index] = self._make(index % len(self.made))
        return row

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


class StoryRows:
    """Stories as rows, with expand and collapse; a story of one is a plain article row.

    Expanding, collapsing and clearing a mark change only the rows concerned (a slice
    inserted or removed, one row to be made again), so they cost the same at 100,000
    stories as at ten; `update` (new stories after files changed) lists every story again.
    A row is made when first read (`RowsMadeWhenRead`): the list paints a screenful.
    """

    def __init__(self, stories: list[Story]) -> None:
        self.stories = stories
        self.expanded: set[str] = set()
        #: Story id -> versions newer than the one the user last read (only those above 0).
        self.unread: dict[str, int] = {}
        #: The id of the article marked as the base that diffs compare against, if any.
        self.base_id: str | None = None
        #: The stories that are issues of a series (their rows say so).
        self.in_series: frozenset[str] = frozenset()
        self.entries: list[ListEntry] = []
        self.rows = RowsMadeWhenRead(self._row_at)
        self.rebuild()

    def rebuild(self) -> None:
        """Build every row from the stories (after they changed)."""
        self._number_of_story = {story.id: n for n, story in enumerate(self.stories)}
        self._places: dict[str, tuple[int, int]] | None = None  # made when first asked
        self.expanded &= {story.id for story in self.stories if len(story) > 1}
        #: Numbers of the expanded stories, in order: each adds its versions' rows.
        self._open = sorted(self._number_of_story[story_id] for story_id in self.expanded)
        entries: list[ListEntry] = []
        for story in self.stories:
            entries.append(ListEntry(story, story.versions[0] if len(story) == 1 else None))
            if story.id in self.expanded:
                entries.extend(self._version_entries(story))
        self.entries = entries
        self.rows.made = [None] * len(entries)

    @property
    def state(self) -> RowState:
        """The expanded stories and the base mark (see `built`)."""
        return frozenset(self.expanded), self.base_id

    @classmethod
    def built(cls, stories: list[Story], unread: Mapping[str, int], state: RowState) -> StoryRows:
        """Rows for `stories` with `state` (another list's expanded stories and base mark):
        built in a worker thread, since at 100,000 stories that takes a good part of a second."""
        rows = cls([])
        rows.expanded, rows.base_id = set(state[0]), state[1]
        rows.update(stories, unread)
        return rows

    def update(self, stories: list[Story], unread: Mapping[str, int]) -> None:
        """New stories after files changed, with each story's unread versions."""
        self.stories = stories
        self.unread = {story: count for story, count in unread.items() if count > 0}
        self.rebuild()

    def set_unread(self, story: Story, count: int) -> bool:
        """Mark `story` with `count` unread versions (0 clears the mark); True when its
        row changed."""
        if self.unread.get(story.id, 0) == count:
            return False
        if count > 0:
            self.unread[story.id] = count
        else:
            self.unread.pop(story.id, None)
        self.rows.made[self.index_of_story(story)] = None  # made again when next read
        return True

    def seen(self, story: Story) -> bool:
        """The user read `story` to its newest version: clear its mark. True when there was one."""
        return self.set_unread(story, 0)

    def next_unread(self, after: Story | None) -> Story | None:
        """The first story with unread versions after `after` in the list (wrapping round),
        or None when no story has any."""
        if not self.unread:
            return None
        start = self._number_of_story.get(after.id, -1) + 1 if after is not None else 0
        count = len(self.stories)
        for step in range(count):
            story = self.stories[(start + step) % count]
            if story.id in self.unread:
                return story
        return None

    def set_base(self, article: Article | None) -> None:
        """Mark `article` as the base of diffs (None clears the mark); only the rows of the
        old and the new base change."""
        previous, self.base_id = self.base_id, article.id if article is not None else None
        for article_id in {previous, self.base_id} - {None}:
            place = self._place_of(article_id or "")
            if place is None:
                continue
            story = self.stories[place[0]]
            row = self.index_of_article(story.versions[place[1]])
            if row is not None:
                self.rows.made[row] = None  # made again when next read

    def mark_series(self, stories: frozenset[str]) -> bool:
        """Mark the rows of `stories` as issues of a series; True when that changed."""
        if stories == self.in_series:
            return False
        self.in_series = stories
        self.rows.made = [None] * len(self.entries)  # made again when next read
        return True

    def toggle(self, story: Story) -> None:
        """Expand a collapsed story or collapse an expanded one."""
        if story.id in self.expanded:
            self.collapse(story)
        else:
            self.expand(story)

    def expand(self, story: Story) -> None:
        """Show the story's versions below it."""
        if len(story) < 2 or story.id in self.expanded:
            return
        row = self.index_of_story(story)
        self.expanded.add(story.id)
        bisect.insort(self._open, self._number_of_story[story.id])
        self.rows.made[row] = None
        self.entries[row + 1 : row + 1] = self._version_entries(story)
        self.rows.made[row + 1 : row + 1] = [None] * len(story)

    def collapse(self, story: Story) -> None:
        """Hide the story's versions."""
        if story.id not in self.expanded:
            return
        row = self.index_of_story(story)
        self.expanded.discard(story.id)
        self._open.remove(self._number_of_story[story.id])
        self.rows.made[row] = None
        del self.entries[row + 1 : row + 1 + len(story)]
        del self.rows.made[row + 1 : row + 1 + len(story)]

    def _place_of(self, article_id: str) -> tuple[int, int] | None:
        """The story number and version number of an article (a map of every article,
        made on first use: at 100,000 articles it costs a tenth of a second)."""
        if self._places is None:
            self._places = {
                version.id: (n, k)
                for n, story in enumerate(self.stories)
                for k, version in enumerate(story.versions)
            }
        return self._places.get(article_id)

    def index_of_story(self, story: Story) -> int:
        """The row of the story itself (for a story of one, its only version)."""
        number = self._number_of_story[story.id]
        opened_before = self._open[: bisect.bisect_left(self._open, number)]
        return number + sum(len(self.stories[n]) for n in opened_before)

    def index_of_article(self, article: Article) -> int | None:
        """The row showing `article`, if it is visible."""
        place = self._place_of(article.id)
        if place is None:
            return None
        number, version = place
        story = self.stories[number]
        row = self.index_of_story(story)
        if len(story) == 1:
            return row
        return row + 1 + version if story.id in self.expanded else None

    def _story_row(self, story: Story) -> ListRow:
        new = unread_prefix(self.unread.get(story.id, 0))
        if len(story) == 1:
            only = story.versions[0]
            return _article_row(only, depth=0, prefix=new, base=only.id == self.base_id)
        return ListRow(
            title=new + safe_line(story.title),
            detail=f"{len(story)} versions · {version_range(story)}",
            figure=f"{len(story)}v",
            marker=EXPANDED if story.id in self.expanded else COLLAPSED,
        )

    @staticmethod
    def _version_entries(story: Story) -> list[ListEntry]:
        return [ListEntry(story, version) for version in story.versions]

    def _row_at(self, index: int) -> ListRow:
        """The row showing entry `index`, as the list stands now."""
        entry = self.entries[index]
        story = entry.story
        if entry.article is None or len(story) == 1:
            row = self._story_row(story)
            if story.id in self.in_series:
                row = replace(row, detail=SERIES_MARK + row.detail)
            return row
        return self._version_row(story, story.index_of(entry.article))

    def _version_row(self, story: Story, index: int) -> ListRow:
        version = story.versions[index]
        return _article_row(version, depth=1, number=index + 1, base=version.id == self.base_id)


def _article_row(
    article: Article, depth: int, number: int | None = None, prefix: str = "", base: bool = False
) -> ListRow:
    version = (BASE_MARK if base else "") + (f"v{number} · " if number is not None else "")
    return ListRow(
        title=prefix
        + (safe_line(article.headline) if article.headline else display_name(article.name)),
        detail=f"{version}{display_name(article.name)}",
        figure=f"{article.words:,}w",
        depth=depth,
    )
