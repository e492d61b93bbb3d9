"""The diff pane: a word diff, inline or side by side, with change-to-change navigation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message

from reader.diff import WordDiff
from reader.render import READING_WIDTH
from reader.render_diff import STOP_META, render_inline, side_by_side_rows, side_by_side_table
from reader.widgets.rendered_lines import RenderedLinesView, first_line_with_meta

#: A diff of more tokens than this is made into blocks off the UI thread.
LARGE_DIFF_TOKENS = 20_000
#: A paragraph longer than this many characters is laid out in parts, so that no single
#: block costs much to lay out (a file of one 2 MiB line included).
BLOCK_CHARS = 8_000


class _Row:
    """One row of the side-by-side view, made into a table only when it is laid out; a
    paragraph's last row is followed by a blank line."""

    def __init__(self, old: Text, new: Text, *, last: bool = True) -> None:
        self.old = old
        self.new = new
        self.last = last

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = side_by_side_table(show_header=False)
        table.add_row(self.old, self.new)
        if self.last:
            table.add_row("", "")
        yield table


def _rows(old: Text, new: Text) -> list[_Row]:
    """A paragraph row, cut into rows of about BLOCK_CHARS a side when it is longer, each
    side at the same share of its length, so that no row costs much to lay out."""
    count = -(-max(len(old), len(new), 1) // BLOCK_CHARS)
    if count == 1:
        return [_Row(old, new)]
    old_parts, new_parts = _cut(old, count), _cut(new, count)
    return [
        _Row(old_part, new_part, last=number == count - 1)
        for number, (old_part, new_part) in enumerate(zip(old_parts, new_parts, strict=True))
    ]


def _cut(text: Text, count: int) -> list[Text]:
    """`text` in `count` parts of about equal length, cut at spaces where there are some."""
    plain = text.plain
    cuts: list[int] = []
    for number in range(1, count):
        at = len(plain) * number // count
        space = plain.rfind(" ", max(cuts[-1] if cuts else 0, at - BLOCK_CHARS // 2), at)
        cuts.append(space + 1 if space >= 0 else at)
    return list(text.divide(cuts))


def _estimate(block: RenderableType, width: int) -> int:
    """Lines a block will take at `width`, without laying it out (wrapping adds a little)."""
    if isinstance(block, _Row):
        column = max(1, width // 2 - 2)
        lines = max(_text_lines(block.old, column), _text_lines(block.new, column))
        return lines + 1 if block.last else lines
    if isinstance(block, Text):
        return _text_lines(block, width)
    return 1


def _text_lines(text: Text, width: int) -> int:
    return sum(max(1, -(-len(line) // width)) for line in text.plain.split("\n"))


def _stops_in(text: Text) -> Iterator[int]:
    for span in text.spans:
        style = span.style
        if isinstance(style, Style) and style._meta:
            stop = style.meta.get(STOP_META)
            if stop is not None:
                yield stop


def _parts(line: Text) -> list[Text]:
    """`line` cut at spaces into parts of about BLOCK_CHARS."""
    plain = line.plain
    if len(plain) <= BLOCK_CHARS:
        return [line]
    cuts = []
    start = 0
    while len(plain) - start > BLOCK_CHARS:
        space = plain.rfind(" ", start + BLOCK_CHARS // 2, start + BLOCK_CHARS)
        start = space + 1 if space >= 0 else start + BLOCK_CHARS
        cuts.append(start)
    return list(line.divide(cuts))


class DiffView(RenderedLinesView):
    """Shows a WordDiff; `n` and `N` scroll from one change to the next.

    The diff is shown as blocks (paragraphs, or rows side by side) laid out only when they
    come on screen, so a diff of two files of megabytes opens and scrolls at once.
    """

    BINDINGS = [
        Binding("n", "next_change", "Next change", id="diff.next-change"),
        Binding(
            "N", "previous_change", "Previous change", key_display="N", id="diff.previous-change"
        ),
    ]

    class ChangeReached(Message):
        """The view scrolled to change `index` (0-based) of `count`."""

        def __init__(self, index: int, count: int) -> None:
            super().__init__()
            self.index = index
            self.count = count

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.diff: WordDiff | None = None
        self.show_noise = True
        self.side_by_side = False
        self.current_change = -1
        #: The block where each change stop first appears, in reading order.
        self._stop_blocks: list[int] = []

    def show_diff(self, diff: WordDiff, *, show_noise: bool, side_by_side: bool) -> None:
        """Show `diff` from the top."""
        self.diff = diff
        self.show_noise = show_noise
        self.side_by_side = side_by_side
        self.current_change = -1
        self.max_text_width = None if side_by_side else READING_WIDTH
        self._stop_blocks = []
        if not diff.pieces:
            self.show(Text("Both versions are empty.", style="italic"))
            return
        size = sum(len(piece.new) + len(piece.old) for piece in diff.pieces)
        if size > LARGE_DIFF_TOKENS:  # building the blocks takes a noticeable time
            self.show(Text("Laying out the diff…", style="italic"))
            self._build_in_background(diff, show_noise, side_by_side)
            return
        blocks, stops = self._blocks_of(diff, show_noise, side_by_side)
        self._use_blocks(diff, show_noise, side_by_side, blocks, stops)

    def _blocks_of(
        self, diff: WordDiff, show_noise: bool, side_by_side: bool
    ) -> tuple[list[RenderableType], list[int]]:
        if side_by_side:
            rows = side_by_side_rows(diff, show_noise=show_noise)
            blocks: list[RenderableType] = [
                side_by_side_table(),
                *(row for old, new in rows for row in _rows(old, new)),
            ]
        else:
            lines = render_inline(diff, show_noise=show_noise).split("\n", allow_blank=True)
            blocks = [part for line in lines for part in _parts(line)]
        return blocks, self._first_blocks_of_stops(blocks)

    # A description of our own: by default Textual builds one from repr() of a huge diff.
    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="diff-layout",
        description="laying out the diff",
    )
    def _build_in_background(self, diff: WordDiff, show_noise: bool, side_by_side: bool) -> None:
        blocks, stops = self._blocks_of(diff, show_noise, side_by_side)
        self.app.call_from_thread(self._use_blocks, diff, show_noise, side_by_side, blocks, stops)

    def _use_blocks(
        self,
        diff: WordDiff,
        show_noise: bool,
        side_by_side: bool,
        blocks: list[RenderableType],
        stops: list[int],
    ) -> None:
        if diff is not self.diff or (show_noise, side_by_side) != (
            self.show_noise,
            self.side_by_side,
        ):
            return  # built for what was shown before
        self._stop_blocks = stops
        self.show_blocks(blocks, _estimate)

    def restyle(self, *, show_noise: bool, side_by_side: bool) -> None:
        """Show the same diff with noise shown or hidden, inline or side by side."""
        if self.diff is not None:
            self.show_diff(self.diff, show_noise=show_noise, side_by_side=side_by_side)

    @staticmethod
    def _first_blocks_of_stops(blocks: Sequence[RenderableType]) -> list[int]:
        first: dict[int, int] = {}
        for number, block in enumerate(blocks):
            texts = (block.old, block.new) if isinstance(block, _Row) else (block,)
            for text in texts:
                if isinstance(text, Text):
                    for stop in _stops_in(text):
                        first.setdefault(stop, number)
        return [first[stop] for stop in sorted(first)]

    @property
    def change_count(self) -> int:
        """Changes shown (with noise hidden, edits and moves only)."""
        return len(self._stop_blocks)

    def line_of_change(self, index: int) -> int:
        """The first screen line of change `index` (laying out only its block)."""
        layout = self.block_layout
        if layout is None:
            return 0
        block = self._stop_blocks[index]
        offset = first_line_with_meta(layout.strips_of(block), STOP_META, index)
        return layout.block_top(block) + (offset or 0)

    @property
    def change_lines(self) -> list[int]:
        """The first line of every change (lays out every block holding one)."""
        return [self.line_of_change(index) for index in range(self.change_count)]

    def _go_to_change(self, index: int) -> None:
        if not self._stop_blocks:
            self.notify("No changes to go to.", severity="information")
            return
        self.current_change = index % self.change_count
        line = self.line_of_change(self.current_change)
        self._sync_virtual_size()  # blocks laid out to find the line may have resized
        self.scroll_to(y=max(0, line - self.size.height // 3), animate=False)
        self.post_message(self.ChangeReached(self.current_change, self.change_count))

    def action_next_change(self) -> None:
        """Scroll to the next change (wrapping to the first)."""
        self._go_to_change(self.current_change + 1)

    def action_previous_change(self) -> None:
        """Scroll to the previous change (wrapping to the last)."""
        self._go_to_change(self.current_change - 1 if self.current_change >= 0 else -1)
