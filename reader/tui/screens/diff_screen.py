"""The diff screen: one version against another, with the keys to choose which."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from reader.diff.files import DIFFER_BEYOND, diff_articles
from reader.diff.word_diff import WordDiff
from reader.grouping.stories import Story
from reader.ingest.article import Article
from reader.ingest.corpus import describe_os_error, display_name
from reader.ingest.decode import NotText
from reader.present.diff import diff_summary
from reader.text.safe_text import safe_text
from reader.tui.bindings import PAIR, retitle_binding
from reader.tui.widgets.diff_view import DiffView
from reader.tui.widgets.footer import FittingFooter
from reader.tui.worker_errors import ReportsFailedWorkers, Retry, retry_binding


@dataclass
class DiffReady(Message):
    """The diff of `base` against `target` has been computed."""

    base: Article
    target: Article
    diff: WordDiff
    #: Caveats of the comparison (a file cut short, a legacy encoding).
    notes: tuple[str, ...] = ()


@dataclass
class DiffFailed(Message):
    """One of the two files could not be read."""

    reason: str


class DiffScreen(ReportsFailedWorkers, Screen[None]):
    """Compares a base version with a target version of an article."""

    RETRIES: ClassVar[dict[str, Retry]] = {"diff": Retry("Comparing the versions", "compare")}

    BINDINGS = [
        retry_binding("diff"),
        Binding("escape,q", "close", "Back", key_display="Esc", id="diff.close"),
        Binding("x", "toggle_noise", "Hide noise", id="diff.toggle-noise"),
        Binding("v", "toggle_layout", "Side by side", id="diff.toggle-layout"),
        Binding(
            "left_square_bracket",
            "step_target(-1)",
            "Older pair",
            key_display="[",
            id="diff.older-pair",
            group=PAIR,
        ),
        Binding(
            "right_square_bracket",
            "step_target(1)",
            "Newer pair",
            key_display="]",
            id="diff.newer-pair",
            group=PAIR,
        ),
        Binding(
            "less_than_sign",
            "step_base(-1)",
            "Older base",
            show=False,
            key_display="<",
            id="diff.older-base",
        ),
        Binding(
            "greater_than_sign",
            "step_base(1)",
            "Newer base",
            show=False,
            key_display=">",
            id="diff.newer-base",
        ),
    ]

    def __init__(
        self, base: Article, target: Article, story: Story | None, *, marked_base: bool = False
    ) -> None:
        super().__init__()
        #: The base the user marked with `m` (shown as such until `[`, `]`, `<` or `>`).
        self.marked_base: Article | None = base if marked_base else None
        self.base = base
        self.target = target
        self.story = story
        self.show_noise = True
        self.side_by_side = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="diff-title")
        yield Static(id="diff-stats")
        yield DiffView(id="diff")
        yield FittingFooter()

    #: Caveats of the comparison shown (a file cut short, a legacy encoding).
    notes: tuple[str, ...] = ()

    def on_mount(self) -> None:
        self.query_one(DiffView).focus()
        self.compare()

    def compare(self) -> None:
        """(Re)compute the diff of the current base and target."""
        title = Text()
        if self.marked_base is not None and self.marked_base.id == self.base.id:
            title.append("◆ base ", style="bold magenta")
        title.append(display_name(self.base.name), style="red")
        title.append("  →  ")
        title.append(display_name(self.target.name), style="green")
        story = self.story
        if story is not None and story.contains(self.base) and story.contains(self.target):
            old, new = story.index_of(self.base) + 1, story.index_of(self.target) + 1
            title.append(f"   (v{old} → v{new} of {len(story)})", style="dim")
        self.query_one("#diff-title", Static).update(title)
        self.query_one("#diff-stats", Static).update(Text("Comparing…", style="italic"))
        self._compute(self.base, self.target)

    @work(thread=True, exclusive=True, exit_on_error=False, group="diff")
    def _compute(self, base: Article, target: Article) -> None:
        try:
            compared = diff_articles(base, target)
        except (OSError, NotText) as error:
            reason = describe_os_error(error) if isinstance(error, OSError) else str(error)
            self.post_message(DiffFailed(reason))
            return
        self.post_message(DiffReady(base, target, compared.diff, compared.notes))

    def on_diff_ready(self, message: DiffReady) -> None:
        if (message.base.id, message.target.id) != (self.base.id, self.target.id):
            return  # an older request finished after a newer one was made
        self.notes = message.notes
        self._show_stats(message.diff)
        self.query_one(DiffView).show_diff(
            message.diff, show_noise=self.show_noise, side_by_side=self.side_by_side
        )

    def action_compare(self) -> None:
        """Compare the two versions again (after a failure)."""
        self.compare()

    def worker_failed(self, group: str, reason: str) -> None:
        """Say so where the figures would be, instead of 'Comparing…' forever."""
        failed = Text(f"Comparing failed: {safe_text(reason)}. Ctrl+R tries again.", style="red")
        self.query_one("#diff-stats", Static).update(failed)

    def on_diff_failed(self, message: DiffFailed) -> None:
        reason = Text(f"Cannot compare: {safe_text(message.reason)}", style="red")
        self.query_one("#diff-stats", Static).update(reason)

    def _show_stats(self, diff: WordDiff, position: str = "") -> None:
        summary = diff_summary(diff, show_noise=self.show_noise)
        if not diff.changes:
            summary = Text("The two versions are identical.", style="bold green")
        if DIFFER_BEYOND in self.notes:
            summary = Text("No difference in the part compared; the files differ after it.")
            summary.stylize("bold red")
        if position:  # first, so a narrow screen never cuts it off
            summary = Text.assemble((position, "bold reverse"), "  ", summary)
        for note in self.notes:  # file names in notes are sanitised where they are made
            summary.append(f"   ({note})", style="yellow")
        self.query_one("#diff-stats", Static).update(summary)

    def on_diff_view_change_reached(self, message: DiffView.ChangeReached) -> None:
        diff = self.query_one(DiffView).diff
        if diff is not None:
            self._show_stats(diff, f"change {message.index + 1} of {message.count}")

    def on_diff_view_flagged_reached(self, message: DiffView.FlaggedReached) -> None:
        diff = self.query_one(DiffView).diff
        if diff is not None:
            self._show_stats(diff, f"flagged {message.index + 1} of {message.count}")

    # -- actions -------------------------------------------------------------------

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss()

    def action_toggle_noise(self) -> None:
        """Hide or show style-only changes (quotes, dashes, spelling, U.S./US, re-flow)."""
        self.show_noise = not self.show_noise
        retitle_binding(
            self, "diff.toggle-noise", "Hide noise" if self.show_noise else "Show noise"
        )
        self._restyle()

    def action_toggle_layout(self) -> None:
        """Switch between the inline diff and old and new side by side."""
        self.side_by_side = not self.side_by_side
        retitle_binding(
            self, "diff.toggle-layout", "Inline" if self.side_by_side else "Side by side"
        )
        self._restyle()

    def _restyle(self) -> None:
        view = self.query_one(DiffView)
        view.restyle(show_noise=self.show_noise, side_by_side=self.side_by_side)
        if view.diff is not None:
            self._show_stats(view.diff)

    def action_step_target(self, step: int) -> None:
        """Compare the previous (or next) version with its predecessor."""
        if self.story is None or len(self.story) < 2 or not self.story.contains(self.target):
            self.notify("This article has no other versions.")
            return
        index = self.story.index_of(self.target) + step
        if not 1 <= index < len(self.story):
            self.notify("No more versions that way.")
            return
        self.target = self.story.versions[index]
        self.base = self.story.versions[index - 1]
        self.compare()

    def action_step_base(self, step: int) -> None:
        """Compare the target with an older (or newer) version than the current base."""
        if self.story is None or len(self.story) < 2:
            self.notify("This article has no other versions.")
            return
        index = self.story.index_of(self.base) + step if self.story.contains(self.base) else 0
        if not 0 <= index < len(self.story) or self.story.versions[index].id == self.target.id:
            self.notify("No other base version that way.")
            return
        self.base = self.story.versions[index]
        self.compare()
