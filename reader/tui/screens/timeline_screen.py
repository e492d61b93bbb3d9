"""The timeline of a story: one row per version with how much it changed, a bar of the
change size, the biggest jumps highlighted; Enter diffs a version against its
predecessor, or against a version marked with `m`."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from reader.follow.followed import FollowedStory
from reader.grouping.stories import Story
from reader.present.follow import TIMELINE_COLUMNS, timeline_rows
from reader.store.index import CorpusIndex
from reader.text.safe_text import safe_line, safe_text
from reader.tui.screens.diff_screen import DiffScreen
from reader.tui.screens.follow_work import StoryFollowed, StoryFollowFailed, follow_or_failure
from reader.tui.worker_errors import ReportsFailedWorkers, Retry, retry_binding


class TimelineScreen(ReportsFailedWorkers, Screen[None]):
    """Every version of a story in order, with its change figures."""

    BINDINGS = [
        retry_binding("timeline"),
        Binding("escape,q,t", "close", "Back", key_display="esc", id="timeline.close"),
        Binding("enter", "compare", "Diff", key_display="enter", id="timeline.compare"),
        Binding("m,space", "mark", "Mark to compare", key_display="m", id="timeline.mark"),
    ]

    DEFAULT_CSS = """
    #timeline-title, #timeline-status {
        height: auto;
        padding: 0 2;
        background: $panel;
    }
    #timeline {
        height: 1fr;
    }
    """

    def __init__(self, story: Story, index: CorpusIndex | None, current: int = 1) -> None:
        super().__init__()
        self.story = story
        #: The version (from 1) the cursor starts on: the one being read.
        self.current = current
        self.index = index
        self.followed: FollowedStory | None = None
        #: The version (from 1) marked with `m`, to compare another against.
        self.marked: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="timeline-title")
        table: DataTable[Text] = DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="timeline-status")
        yield Footer()

    def on_mount(self) -> None:
        title = Text(safe_line(self.story.title), style="bold")
        title.append(f"   {len(self.story)} versions", style="dim")
        self.query_one("#timeline-title", Static).update(title)
        self._status("Building the timeline…")
        table = self.query_one(DataTable)
        for column in TIMELINE_COLUMNS:
            table.add_column(column, key=column)
        table.focus()
        self._build()

    RETRIES: ClassVar[dict[str, Retry]] = {
        "timeline": Retry("Building the timeline", "follow_again")
    }

    @work(thread=True, exclusive=True, exit_on_error=False, group="timeline")
    def _build(self) -> None:
        self.post_message(follow_or_failure(self.story, self.index))

    def action_follow_again(self) -> None:
        """Build the story's provenance and timeline again (after a failure)."""
        self._build()

    def worker_failed(self, group: str, reason: str) -> None:
        """Say why instead of leaving the screen waiting."""
        self.post_message(StoryFollowFailed(reason))

    def on_story_followed(self, message: StoryFollowed) -> None:
        self.followed = message.followed
        table = self.query_one(DataTable)
        table.clear()
        for row in timeline_rows(message.followed.timeline):
            style = "bold yellow" if row.big_jump else ""
            cells = [Text(cell, style=style) for cell in row.cells]
            cells[-1].stylize("yellow" if row.big_jump else "cyan")
            table.add_row(*cells, key=str(row.number))
        table.move_cursor(row=self.current - 1)
        self._status(self._help_line())

    def on_story_follow_failed(self, message: StoryFollowFailed) -> None:
        self._status(Text(f"Cannot build the timeline: {safe_text(message.reason)}", style="red"))

    def _status(self, text: str | Text) -> None:
        self.query_one("#timeline-status", Static).update(
            text if isinstance(text, Text) else Text(text, style="italic")
        )

    def _help_line(self) -> Text:
        line = Text(
            "enter: diff against the previous version · m: mark a version, then enter "
            "on another to compare the two · highlighted: the biggest jumps",
            style="dim",
        )
        if self.marked is not None:
            line = Text(
                f"v{self.marked} marked: enter on another version compares them", style="bold"
            )
        return line

    # -- actions -------------------------------------------------------------------

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss()

    @property
    def cursor_version(self) -> int | None:
        """The version (from 1) under the cursor, once the timeline is shown."""
        table = self.query_one(DataTable)
        if self.followed is None or table.row_count == 0:
            return None
        return table.cursor_row + 1

    def action_mark(self) -> None:
        """Mark the version under the cursor (again: unmark it)."""
        number = self.cursor_version
        if number is None:
            return
        before, self.marked = self.marked, None if self.marked == number else number
        table = self.query_one(DataTable)
        for changed in {before, self.marked} - {None}:
            assert changed is not None
            label = Text(f"v{changed}", style="bold reverse" if changed == self.marked else "")
            table.update_cell(str(changed), "v", label)
        self._status(self._help_line())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_compare()

    def action_compare(self) -> None:
        """Diff the version under the cursor against the marked one, or its predecessor."""
        number = self.cursor_version
        if number is None:
            return
        base = self.marked if self.marked not in (None, number) else number - 1
        if base is None or base < 1:
            self.notify("v1 has no earlier version: mark another with m to compare.")
            return
        older, newer = sorted((base, number))
        versions = self.story.versions
        self.app.push_screen(DiffScreen(versions[older - 1], versions[newer - 1], self.story))
