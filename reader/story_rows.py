"""The rows of the story list: stories, and the versions of those that are expanded.

Plain Python (no Textual), so the list's behaviour is tested without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.article import Article
from reader.corpus import display_name
from reader.list_row import ListRow
from reader.render_stories import version_range
from reader.safe_text import safe_line
from reader.stories import Story

EXPANDED = "▾"
COLLAPSED = "▸"
#: Before the title of a story that gained a version since it was last opened.
UPDATED = "● "


@dataclass(frozen=True, slots=True)
class ListEntry:
    """What a row stands for: a story (article None) or one version of it."""

    story: Story
    article: Article | None

    @property
    def is_story(self) -> bool:
        return self.article is None


class StoryRows:
    """Stories as rows, with expand and collapse; a story of one is a plain article row."""

    def __init__(self, stories: list[Story]) -> None:
        self.stories = stories
        self.expanded: set[str] = set()
        #: Stories that gained a version since they were last looked at.
        self.updated: set[str] = set()
        self.entries: list[ListEntry] = []
        self.rows: list[ListRow] = []
        self.rebuild()

    def rebuild(self) -> None:
        """Recompute the rows after a story was expanded or collapsed."""
        entries: list[ListEntry] = []
        rows: list[ListRow] = []
        self._story_rows: dict[str, int] = {}
        self._article_rows: dict[str, int] = {}
        for story in self.stories:
            self._story_rows[story.id] = len(entries)
            new = UPDATED if story.id in self.updated else ""
            if len(story) == 1:
                self._article_rows[story.versions[0].id] = len(entries)
                entries.append(ListEntry(story, story.versions[0]))
                rows.append(_article_row(story.versions[0], depth=0, prefix=new))
                continue
            expanded = story.id in self.expanded
            entries.append(ListEntry(story, None))
            rows.append(
                ListRow(
                    title=new + safe_line(story.title),
                    detail=f"{len(story)} versions · {version_range(story)}",
                    figure=f"{len(story)}v",
                    marker=EXPANDED if expanded else COLLAPSED,
                )
            )
            if expanded:
                for number, version in enumerate(story.versions, start=1):
                    self._article_rows[version.id] = len(entries)
                    entries.append(ListEntry(story, version))
                    rows.append(_article_row(version, depth=1, number=number))
        self.entries, self.rows = entries, rows

    def update(self, stories: list[Story], updated: set[str]) -> None:
        """New stories after files changed; `updated` ones are marked until seen."""
        self.stories = stories
        self.updated |= updated
        self.rebuild()

    def seen(self, story: Story) -> bool:
        """The user looked at `story`: clear its mark. True when there was one."""
        if story.id not in self.updated:
            return False
        self.updated.discard(story.id)
        self.rebuild()
        return True

    def toggle(self, story: Story) -> None:
        """Expand a collapsed story or collapse an expanded one."""
        if len(story) == 1:
            return
        self.expanded.symmetric_difference_update({story.id})
        self.rebuild()

    def expand(self, story: Story) -> None:
        if len(story) > 1 and story.id not in self.expanded:
            self.expanded.add(story.id)
            self.rebuild()

    def collapse(self, story: Story) -> None:
        if story.id in self.expanded:
            self.expanded.discard(story.id)
            self.rebuild()

    def index_of_story(self, story: Story) -> int:
        """The row of the story itself (for a story of one, its only version)."""
        return self._story_rows[story.id]

    def index_of_article(self, article: Article) -> int | None:
        """The row showing `article`, if it is visible."""
        return self._article_rows.get(article.id)


def _article_row(
    article: Article, depth: int, number: int | None = None, prefix: str = ""
) -> ListRow:
    version = f"v{number} · " if number is not None else ""
    return ListRow(
        title=prefix
        + (safe_line(article.headline) if article.headline else display_name(article.name)),
        detail=f"{version}{display_name(article.name)}",
        figure=f"{article.words:,}w",
        depth=depth,
    )
