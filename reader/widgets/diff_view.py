"""The diff pane: a word diff, inline or side by side, with change-to-change navigation."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from reader.diff import WordDiff
from reader.render import READING_WIDTH
from reader.render_diff import FLAG_META, STOP_META, render_inline, render_side_by_side
from reader.widgets.rendered_lines import RenderedLinesView

#: A diff of more tokens than this is laid out off the UI thread (it takes a noticeable time).
LARGE_DIFF_TOKENS = 20_000


class DiffView(RenderedLinesView):
    """Shows a WordDiff; `n`/`N` scroll from one change to the next, `f`/`F` from one
    flagged change (numbers, negation, names, attribution, dates) to the next."""

    BINDINGS = [
        Binding("n", "next_change", "Next change", id="diff.next-change"),
        Binding(
            "N", "previous_change", "Previous change", key_display="N", id="diff.previous-change"
        ),
        Binding("f", "next_flagged", "Next flagged", id="diff.next-flagged"),
        Binding(
            "F",
            "previous_flagged",
            "Previous flagged",
            key_display="F",
            id="diff.previous-flagged",
        ),
    ]

    class ChangeReached(Message):
        """The view scrolled to change `index` (0-based) of `count`."""

        def __init__(self, index: int, count: int) -> None:
            super().__init__()
            self.index = index
            self.count = count

    class FlaggedReached(Message):
        """The view scrolled to flagged change `index` (0-based) of `count`."""

        def __init__(self, index: int, count: int) -> None:
            super().__init__()
            self.index = index
            self.count = count

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.diff: WordDiff | None = None
        self.show_noise = True
        self.side_by_side = False
        self.change_lines: list[int] = []
        self.current_change = -1
        self.flag_lines: list[int] = []
        self.current_flag = -1

    def show_diff(self, diff: WordDiff, *, show_noise: bool, side_by_side: bool) -> None:
        """Show `diff` from the top."""
        self.diff = diff
        self.show_noise = show_noise
        self.side_by_side = side_by_side
        self.current_change = -1
        self.current_flag = -1
        self.max_text_width = None if side_by_side else READING_WIDTH
        size = sum(len(piece.new) + len(piece.old) for piece in diff.pieces)
        self.show(self._renderable_for(diff), large=size > LARGE_DIFF_TOKENS)

    def restyle(self, *, show_noise: bool, side_by_side: bool) -> None:
        """Show the same diff with noise shown or hidden, inline or side by side."""
        if self.diff is not None:
            self.show_diff(self.diff, show_noise=show_noise, side_by_side=side_by_side)

    def _renderable_for(self, diff: WordDiff) -> RenderableType:
        if not diff.pieces:
            return Text("Both versions are empty.", style="italic")
        if self.side_by_side:
            return render_side_by_side(diff, show_noise=self.show_noise)
        return render_inline(diff, show_noise=self.show_noise)

    def laid_out(self) -> None:
        self.change_lines = self._lines_in_order(STOP_META)
        self.flag_lines = self._lines_in_order(FLAG_META)

    def _lines_in_order(self, key: str) -> list[int]:
        """First screen line of each numbered stop under meta `key`, by stop number."""
        found = self.first_lines_with_meta(key)
        numbered = [(stop, line) for stop, line in found.items() if isinstance(stop, int)]
        return [line for _, line in sorted(numbered)]

    def _go_to_change(self, index: int) -> None:
        if not self.change_lines:
            self.notify("No changes to go to.", severity="information")
            return
        self.current_change = index % len(self.change_lines)
        line = self.change_lines[self.current_change]
        self.scroll_to(y=max(0, line - self.size.height // 3), animate=False)
        self.post_message(self.ChangeReached(self.current_change, len(self.change_lines)))

    def action_next_change(self) -> None:
        """Scroll to the next change (wrapping to the first)."""
        self._go_to_change(self.current_change + 1)

    def action_previous_change(self) -> None:
        """Scroll to the previous change (wrapping to the last)."""
        self._go_to_change(self.current_change - 1 if self.current_change >= 0 else -1)

    def _go_to_flagged(self, index: int) -> None:
        if not self.flag_lines:
            self.notify("No flagged changes.", severity="information")
            return
        self.current_flag = index % len(self.flag_lines)
        line = self.flag_lines[self.current_flag]
        self.scroll_to(y=max(0, line - self.size.height // 3), animate=False)
        self.post_message(self.FlaggedReached(self.current_flag, len(self.flag_lines)))

    def action_next_flagged(self) -> None:
        """Scroll to the next flagged change (wrapping to the first)."""
        self._go_to_flagged(self.current_flag + 1)

    def action_previous_flagged(self) -> None:
        """Scroll to the previous flagged change (wrapping to the last)."""
        self._go_to_flagged(self.current_flag - 1 if self.current_flag >= 0 else -1)
