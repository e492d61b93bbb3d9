"""What's new in a story since the user last read it: the diff from the version read to
the newest, its substantive changes (numbers, names, negation, attribution, as the
differ flags them) listed first, then the whole diff."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from reader.follow.changes import WhatsNew
from reader.follow.followed import VersionUnreadable, whats_new_in
from reader.grouping.stories import Story
from reader.present.follow import whats_new_summary
from reader.text.safe_text import safe_line, safe_text
from reader.tui.widgets.diff_view import DiffView


@dataclass
class WhatsNewReady(Message):
    """The diff from the version read to the newest has been computed."""

    news: WhatsNew


@dataclass
class WhatsNewFailed(Message):
    """A version could not be read."""

    reason: str


class WhatsNewScreen(Screen[None]):
    """The changes from the version last read to the newest, substantive ones first."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", key_display="esc", id="whats-new.close"),
        Binding("x", "toggle_noise", "Hide noise", id="whats-new.toggle-noise"),
    ]

    DEFAULT_CSS = """
    #whats-new-title {
        height: 1;
        padding: 0 2;
        background: $panel;
    }
    #whats-new-scroll {
        height: auto;
        max-height: 14;
        padding: 0 2;
        background: $surface;
        border-bottom: solid $panel-lighten-2;
    }
    #whats-new-diff {
        height: 1fr;
        padding: 1 2 0 2;
        background: $background;
    }
    """

    def __init__(self, story: Story, since: int, read_at: float | None = None) -> None:
        super().__init__()
        self.story = story
        self.since = since
        self.read_at = read_at
        self.news: WhatsNew | None = None
        self.show_noise = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="whats-new-title")
        with VerticalScroll(id="whats-new-scroll"):
            yield Static(Text("Comparing…", style="italic"), id="whats-new-summary")
        yield DiffView(id="whats-new-diff")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#whats-new-title", Static).update(
            Text(safe_line(self.story.title), style="bold")
        )
        self.query_one(DiffView).focus()
        self._compute()

    @work(thread=True, exclusive=True, exit_on_error=False, group="whats-new")
    def _compute(self) -> None:
        try:
            self.post_message(WhatsNewReady(whats_new_in(self.story, self.since)))
        except VersionUnreadable as error:
            self.post_message(WhatsNewFailed(str(error)))

    def on_whats_new_ready(self, message: WhatsNewReady) -> None:
        self.news = message.news
        summary = whats_new_summary(message.news, self.read_at)
        self.query_one("#whats-new-summary", Static).update(summary)
        self.query_one(DiffView).show_diff(
            message.news.diff, show_noise=self.show_noise, side_by_side=False
        )

    def on_whats_new_failed(self, message: WhatsNewFailed) -> None:
        reason = Text(f"Cannot compare: {safe_text(message.reason)}", style="red")
        self.query_one("#whats-new-summary", Static).update(reason)

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss()

    def action_toggle_noise(self) -> None:
        """Hide or show style-only changes in the diff (the list above keeps them)."""
        self.show_noise = not self.show_noise
        self.query_one(DiffView).restyle(show_noise=self.show_noise, side_by_side=False)
