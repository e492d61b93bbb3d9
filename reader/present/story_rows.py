"""The rows of the story list: stories, and the versions of those that are expanded.

Plain Python (no Textual), so the list's behaviour is tested without a screen.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from reader.grouping.stories import Story, StorySummary
from reader.ingest.article import Article
from reader.ingest.corpus import display_name
from reader.present.links import SERIES_MARK
from reader.present.list_row import ListRow
from reader.present.stories import version_range
from reader.store.story_list import ListedStories
from reader.text.lazy_sequence import MadeWhenRead
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
    """What a row stands for: a story (`version` None) or one version of it (its place in
    the story's versions)."""

    story: Story
    version: int | None = None

    @property
    def article(self) -> Article | None:
        """The article the row shows: the version, or a story's only one (None for a story
        of several). Asking loads the story's versions if they were not."""
        if self.version is not None:
            return self.story.versions[self.version]
        return self.story.versions[0] if len(self.story) == 1 else None

    @property
    def is_story(self) -> bool:
        return self.version is None and len(self.story) > 1


#: What the rows show beyond the stories: the expanded stories and the base mark.
RowState = tuple[frozenset[str], str | None]


class RowsMadeWhenRead(MadeWhenRead[ListRow]):
    """The rows of a list, each made the first time it is read (a list shows a screenful
    of 100,000: making them all first only delays showing it). `made` holds those made so
    far (None: not yet, or to be made again), one per row."""

    def __init__(self, make: Callable[[int], ListRow]) -> None:
        self._make = make
        self.made: list[ListRow | None] = []

    def __len__(self) -> int:
        return len(self.made)

    def _item(self, index: int) -> ListRow:
        row = self.made[index]
        if row is None:
            row = self.made[index] = self._make(index)
        return row

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


class ListEntries(MadeWhenRead[ListEntry]):
    """What each row of the list stands for, made when read from the stories and those
    expanded (`StoryRows`): nothing is held per story, so half a million stories are
    listed at once."""

    def __init__(self, rows: StoryRows) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return self._rows.row_count

    def _item(self, index: int) -> ListEntry:
        return self._rows.entry_at(index)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def story_numbers(stories: Sequence[Story]) -> dict[str, int]:
    """Story id -> its place in `stories` (without making each story of a kept list)."""
    if isinstance(stories, ListedStories):
        return stories.numbers()
    return {story.id: number for number, story in enumerate(stories)}


class StoryRows:
    """Stories as rows, with expand and collapse; a story of one is a plain article row.

    Expanding, collapsing and clearing a mark change only the rows concerned (a slice
    inserted or removed, one row to be made again), so they cost the same at 100,000
    stories as at ten; `update` (new stories after files changed) lists every story again.
    A row is made when first read (`RowsMadeWhenRead`), and what it stands for too
    (`ListEntries`, from the expanded stories): the list paints a screenful. Nothing here
    asks for the versions of a story that is not expanded (a story listed from the index
    loads them then): a story's row is made from its summary.
    """

    def __init__(self, stories: Sequence[Story]) -> None:
        self.stories = stories
        self.expanded: set[str] = set()
        #: Story id -> versions newer than the one the user last read (only those above 0).
        self.unread: dict[str, int] = {}
        #: The id of the article marked as the base that diffs compare against, if any.
        self.base_id: str | None = None
        #: The stories that are issues of a series (their rows say so).
        self.in_series: frozenset[str] = frozenset()
        self.entries = ListEntries(self)
        self.rows = RowsMadeWhenRead(self._row_at)
        self.rebuild()

    def rebuild(self) -> None:
        """Build every row from the stories (after they changed)."""
        self._number_of_story = story_numbers(self.stories)
        self._places: dict[str, tuple[int, int]] | None = None  # made when first asked
        numbers = self._number_of_story
        self.expanded = {
            story_id
            for story_id in self.expanded
            if story_id in numbers and len(self.stories[numbers[story_id]]) > 1
        }
        #: Numbers of the expanded stories, in order, and how many versions each shows.
        self._open = sorted(numbers[story_id] for story_id in self.expanded)
        self._sizes = [len(self.stories[number].versions) for number in self._open]
        self._place_opened()
        self.rows.made = [None] * self.row_count

    def _place_opened(self) -> None:
        """Where each expanded story's row is (after those above it opened theirs)."""
        before = list(itertools.accumulate(self._sizes, initial=0))
        self._open_rows = [number + before[k] for k, number in enumerate(self._open)]
        self._before = before
        self.row_count = len(self.stories) + before[-1]

    def entry_at(self, row: int) -> ListEntry:
        """What row `row` stands for, as the list stands now."""
        k = bisect.bisect_right(self._open_rows, row) - 1
        if k < 0:
            return ListEntry(self.stories[row])
        offset, size = row - self._open_rows[k], self._sizes[k]
        if offset == 0:
            return ListEntry(self.stories[self._open[k]])
        if offset <= size:
            return ListEntry(self.stories[self._open[k]], offset - 1)
        return ListEntry(self.stories[self._open[k] + offset - size])

    @property
    def state(self) -> RowState:
        """The expanded stories and the base mark (see `built`)."""
        return frozenset(self.expanded), self.base_id

    @classmethod
    def built(
        cls, stories: Sequence[Story], unread: Mapping[str, int], state: RowState
    ) -> StoryRows:
        """Rows for `stories` with `state` (another list's expanded stories and base mark):
        built in a worker thread, since at 100,000 stories that takes a good part of a second."""
        rows = cls([])
        rows.expanded, rows.base_id = set(state[0]), state[1]
        rows.update(stories, unread)
        return rows

    def update(self, stories: Sequence[Story], unread: Mapping[str, int]) -> None:
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
        if story.id in self._number_of_story:
            self.rows.made[self.index_of_story(story)] = None  # made again when next read
        return True

    def seen(self, story: Story) -> bool:
        """The user read `story` to its newest version: clear its mark. True when there was one."""
        return self.set_unread(story, 0)

    def next_unread(self, after: Story | None) -> Story | None:
        """The first story with unread versions after `after` in the list (wrapping round),
        or None when no story has any."""
        numbers = sorted(
            self._number_of_story[story_id]
            for story_id in self.unread
            if story_id in self._number_of_story
        )
        if not numbers:
            return None
        start = self._number_of_story.get(after.id, -1) + 1 if after is not None else 0
        at = bisect.bisect_left(numbers, start)
        return self.stories[numbers[at % len(numbers)]]

    def set_base(self, article: Article | None) -> None:
        """Mark `article` as the base of diffs (None clears the mark): the rows are made
        again as they are read (a screenful), so finding the rows of the old and the new
        base is not needed."""
        self.base_id = article.id if article is not None else None
        self.rows.made = [None] * self.row_count

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
        if len(story) < 2 or story.id in self.expanded or story.id not in self._number_of_story:
            return
        size = len(story.versions)  # loads them first: the rows are theirs
        if size < 2:
            return
        row = self.index_of_story(story)
        number = self._number_of_story[story.id]
        k = bisect.bisect_left(self._open, number)
        self.expanded.add(story.id)
        self._open.insert(k, number)
        self._sizes.insert(k, size)
        self._place_opened()
        self.rows.made[row] = None
        self.rows.made[row + 1 : row + 1] = [None] * size

    def collapse(self, story: Story) -> None:
        """Hide the story's versions."""
        if story.id not in self.expanded:
            return
        row = self.index_of_story(story)
        k = self._open.index(self._number_of_story[story.id])
        size = self._sizes[k]
        self.expanded.discard(story.id)
        del self._open[k], self._sizes[k]
        self._place_opened()
        self.rows.made[row] = None
        del self.rows.made[row + 1 : row + 1 + size]

    def _place_of(self, article_id: str) -> tuple[int, int] | None:
        """The story number and version number of an article, among the stories whose
        versions are loaded and the stories of one (a map made on first use, and again
        when an article is not in it). It looks at every story: callers that know the
        story give it (`index_of_article`)."""
        if self._places is None or article_id not in self._places:
            self._places = {}
            for n, story in enumerate(self.stories):
                if story.loaded:
                    self._places.update((v.id, (n, k)) for k, v in enumerate(story.versions))
                elif len(story) == 1:
                    self._places[story.summary.latest_id] = (n, 0)
        return self._places.get(article_id)

    def index_of_story(self, story: Story) -> int:
        """The row of the story itself (for a story of one, its only version)."""
        number = self._number_of_story[story.id]
        return number + self._before[bisect.bisect_left(self._open, number)]

    def index_of_article(self, article: Article, story: Story | None = None) -> int | None:
        """The row showing `article` (of `story`, when the caller knows it), if it is
        visible."""
        number = self._number_of_story.get(story.id) if story is not None else None
        if number is not None:
            listed = self.stories[number]
            versions = listed.versions if listed.id in self.expanded else None
            place: tuple[int, int] | None = (
                (number, next((k for k, v in enumerate(versions) if v.id == article.id), -1))
                if versions is not None
                else (number, 0)
            )
        else:
            place = self._place_of(article.id)
        if place is None or place[1] < 0:
            return None
        number, version = place
        row = self.index_of_story(self.stories[number])
        if len(self.stories[number]) == 1:
            return row
        return row + 1 + version if self.stories[number].id in self.expanded else None

    def _story_row(self, story: Story) -> ListRow:
        new = unread_prefix(self.unread.get(story.id, 0))
        summary = story.summary  # not the versions: a story from the index has them unloaded
        if summary.count == 1:
            return _summary_row(summary, prefix=new, base=summary.latest_id == self.base_id)
        return ListRow(
            title=new + safe_line(summary.title),
            detail=f"{summary.count} versions · {version_range(story)}",
            figure=f"{summary.count}v",
            marker=EXPANDED if story.id in self.expanded else COLLAPSED,
        )

    def _row_at(self, index: int) -> ListRow:
        """The row showing entry `index`, as the list stands now."""
        entry = self.entries[index]
        if entry.version is None:
            row = self._story_row(entry.story)
            if entry.story.id in self.in_series:
                row = replace(row, detail=SERIES_MARK + row.detail)
            return row
        return self._version_row(entry.story, entry.version)

    def _version_row(self, story: Story, index: int) -> ListRow:
        version = story.versions[index]
        return _article_row(version, depth=1, number=index + 1, base=version.id == self.base_id)


def _summary_row(summary: StorySummary, prefix: str, base: bool) -> ListRow:
    """The row of a story of one version, from its summary (as `_article_row` makes it)."""
    shown = safe_line(summary.title) if summary.title else display_name(summary.latest_name)
    return ListRow(
        title=prefix + shown,
        detail=(BASE_MARK if base else "") + display_name(summary.latest_name),
        figure=f"{summary.latest_words:,}w",
        depth=0,
    )


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
