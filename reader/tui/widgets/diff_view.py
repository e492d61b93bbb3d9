"""The diff pane: a word diff, inline or side by side, with change-to-change navigation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from reader.diff.word_diff import WordDiff
from reader.present.article import READING_WIDTH
from reader.present.diff import (
    FLAG_META,
    STOP_META,
    render_inline,
    side_by_side_rows,
    side_by_side_table,
)
from reader.text.safe_text import safe_text
from reader.tui.bindings import CHANGE, FLAGGED
from reader.tui.widgets.rendered_lines import (
    RenderedLinesView,
    emphasise_meta,
    first_line_with_meta,
)
from reader.tui.worker_errors import ReportsFailedWorkers, Retry, retry_binding

#: A diff of more tokens than this is made into blocks off the UI thread.
LARGE_DIFF_TOKENS = 20_000
#: A paragraph longer than this many characters is laid out in parts, so that no single
#: block costs much to lay out (a file of one 2 MiB line included).
BLOCK_CHARS = 8_000


@dataclass(frozen=True, slots=True)
class _Blocks:
    """A diff made into blocks, with the first block of each change and flagged change."""

    blocks: list[RenderableType]
    stops: list[int]
    flags: list[int]


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


def _numbers_in(text: Text, key: str) -> Iterator[int]:
    """The numbers under style meta `key` in `text` (change stops, or flagged changes)."""
    for span in text.spans:
        style = span.style
        if isinstance(style, Style) and style._meta:
            number = style.meta.get(key)
            if isinstance(number, int):
                yield number


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


#: How the current change (the one n, N, f and F went to) stands out from the others.
CURRENT_CHANGE = Style(reverse=True, underline=True)


class DiffView(ReportsFailedWorkers, RenderedLinesView):
    """Shows a WordDiff; `n`/`N` scroll from one change to the next, `f`/`F` from one
    flagged change (numbers, negation, names, attribution, dates) to the next.

    The diff is shown as blocks (paragraphs, or rows side by side) laid out only when they
    come on screen, so a diff of two files of megabytes opens and scrolls at once.
    """

    BINDINGS = [
        retry_binding("diff-view"),
        Binding("n", "next_change", "Next change", id="diff.next-change", group=CHANGE),
        Binding(
            "N",
            "previous_change",
            "Previous change",
            key_display="N",
            id="diff.previous-change",
            group=CHANGE,
        ),
        Binding("f", "next_flagged", "Next flagged", id="diff.next-flagged", group=FLAGGED),
        Binding(
            "F",
            "previous_flagged",
            "Previous flagged",
            key_display="F",
            id="diff.previous-flagged",
            group=FLAGGED,
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
        self.current_change = -1
        self.current_flag = -1
        #: The block where each change stop first appears, in reading order.
        self._stop_blocks: list[int] = []
        #: The block where each flagged change first appears, in reading order.
        self._flag_blocks: list[int] = []
        #: Where to scroll once a restyled diff is laid out (share of the way down).
        self._keep_share: float | None = None

    def show_diff(self, diff: WordDiff, *, show_noise: bool, side_by_side: bool) -> None:
        """Show `diff` from the top."""
        self.diff = diff
        self.show_noise = show_noise
        self.side_by_side = side_by_side
        self.current_change = -1
        self.current_flag = -1
        self.max_text_width = None if side_by_side else READING_WIDTH
        self._stop_blocks, self._flag_blocks = [], []
        if not diff.pieces:
            self.show(Text("Both versions are empty.", style="italic"))
            return
        size = sum(len(piece.new) + len(piece.old) for piece in diff.pieces)
        if size > LARGE_DIFF_TOKENS:  # building the blocks takes a noticeable time
            self.show(Text("Laying out the diff…", style="italic"))
            self._build_in_background(diff, show_noise, side_by_side)
            return
        self._use_blocks(
            diff, show_noise, side_by_side, self._blocks_of(diff, show_noise, side_by_side)
        )

    def _blocks_of(self, diff: WordDiff, show_noise: bool, side_by_side: bool) -> _Blocks:
        if side_by_side:
            rows = side_by_side_rows(diff, show_noise=show_noise)
            blocks: list[RenderableType] = [
                side_by_side_table(),
                *(row for old, new in rows for row in _rows(old, new)),
            ]
        else:
            lines = render_inline(diff, show_noise=show_noise).split("\n", allow_blank=True)
            blocks = [part for line in lines for part in _parts(line)]
        return _Blocks(
            blocks,
            self._first_blocks_of(blocks, STOP_META),
            self._first_blocks_of(blocks, FLAG_META),
        )

    # A description of our own: by default Textual builds one from repr() of a huge diff.
    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="diff-layout",
        description="laying out the diff",
    )
    def _build_in_background(self, diff: WordDiff, show_noise: bool, side_by_side: bool) -> None:
        laid = self._blocks_of(diff, show_noise, side_by_side)
        self.app.call_from_thread(self._use_blocks, diff, show_noise, side_by_side, laid)

    def _use_blocks(
        self,
        diff: WordDiff,
        show_noise: bool,
        side_by_side: bool,
        laid: _Blocks,
    ) -> None:
        if diff is not self.diff or (show_noise, side_by_side) != (
            self.show_noise,
            self.side_by_side,
        ):
            return  # built for what was shown before
        self._stop_blocks, self._flag_blocks = laid.stops, laid.flags
        self.show_blocks(laid.blocks, _estimate)
        share, self._keep_share = self._keep_share, None
        if share:
            self.call_after_refresh(self._scroll_to_share, share)

    def _scroll_to_share(self, share: float) -> None:
        self._sync_virtual_size()
        self.scroll_to(y=round(share * self.max_scroll_y), animate=False)

    RETRIES: ClassVar[dict[str, Retry]] = {
        "diff-layout": Retry("Laying out the diff", "lay_out_again")
    }

    def action_lay_out_again(self) -> None:
        """Lay the diff out again (after a failure)."""
        self.restyle(show_noise=self.show_noise, side_by_side=self.side_by_side)

    def worker_failed(self, group: str, reason: str) -> None:
        """Say so in the view, instead of 'Laying out the diff…' forever."""
        failed = f"Laying out the diff failed: {safe_text(reason)}. Ctrl+R tries again."
        self.show(Text(failed, style="red"))

    def restyle(self, *, show_noise: bool, side_by_side: bool) -> None:
        """Show the same diff with noise shown or hidden, inline or side by side, at the
        same place in the text (the same share of the way down)."""
        if self.diff is not None:
            self._keep_share = self.scroll_y / self.max_scroll_y if self.max_scroll_y else 0.0
            self.show_diff(self.diff, show_noise=show_noise, side_by_side=side_by_side)

    @staticmethod
    def _first_blocks_of(blocks: Sequence[RenderableType], key: str) -> list[int]:
        """For each number under meta `key`, in order, the first block holding it."""
        first: dict[int, int] = {}
        for position, block in enumerate(blocks):
            texts = (block.old, block.new) if isinstance(block, _Row) else (block,)
            for text in texts:
                if isinstance(text, Text):
                    for number in _numbers_in(text, key):
                        first.setdefault(number, position)
        return [first[number] for number in sorted(first)]

    @property
    def change_count(self) -> int:
        """Changes shown (with noise hidden, edits and moves only)."""
        return len(self._stop_blocks)

    @property
    def flag_count(self) -> int:
        """Flagged changes shown."""
        return len(self._flag_blocks)

    def line_of_change(self, index: int) -> int:
        """The first screen line of change `index` (laying out only its block)."""
        return self._line_of(STOP_META, self._stop_blocks, index)

    def line_of_flag(self, index: int) -> int:
        """The first screen line of flagged change `index` (laying out only its block)."""
        return self._line_of(FLAG_META, self._flag_blocks, index)

    def _line_of(self, key: str, blocks: list[int], index: int) -> int:
        layout = self.block_layout
        if layout is None:
            return 0
        block = blocks[index]
        offset = first_line_with_meta(layout.strips_of(block), key, index)
        return layout.block_top(block) + (offset or 0)

    @property
    def change_lines(self) -> list[int]:
        """The first line of every change (lays out every block holding one)."""
        return [self.line_of_change(index) for index in range(self.change_count)]

    @property
    def flag_lines(self) -> list[int]:
        """The first line of every flagged change (lays out every block holding one)."""
        return [self.line_of_flag(index) for index in range(self.flag_count)]

    def decorate_line(self, strip: Strip) -> Strip:
        if self.current_change < 0:
            return strip
        return emphasise_meta(strip, STOP_META, self.current_change, CURRENT_CHANGE)

    def _bring_into_view(self, line: int) -> None:
        """Scroll so `line` is on screen, a third of the way down when it was not."""
        self._sync_virtual_size()  # blocks laid out to find the line may have resized
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if not top <= line < top + height - 1:
            self.scroll_to(y=max(0, line - height // 3), animate=False)
        self.refresh()

    def _go_to_change(self, index: int) -> None:
        if not self._stop_blocks:
            self.notify("No changes to go to.", severity="information")
            return
        self.current_change = index % self.change_count
        self._bring_into_view(self.line_of_change(self.current_change))
        self.post_message(self.ChangeReached(self.current_change, self.change_count))

    def action_next_change(self) -> None:
        """Scroll to the next change (wrapping to the first)."""
        self._go_to_change(self.current_change + 1)

    def action_previous_change(self) -> None:
        """Scroll to the previous change (wrapping to the last)."""
        self._go_to_change(self.current_change - 1 if self.current_change >= 0 else -1)

    def _go_to_flagged(self, index: int) -> None:
        if not self._flag_blocks:
            self.notify("No flagged changes.", severity="information")
            return
        self.current_flag = index % self.flag_count
        line = self.line_of_flag(self.current_flag)
        stop = self._stop_of_flag(self.current_flag)
        if stop is not None:  # the flagged change becomes the current change
            self.current_change = stop
        self._bring_into_view(line)
        self.post_message(self.FlaggedReached(self.current_flag, self.flag_count))

    def _stop_of_flag(self, index: int) -> int | None:
        """The change stop that flagged change `index` marks."""
        layout = self.block_layout
        if layout is None:
            return None
        for strip in layout.strips_of(self._flag_blocks[index]):
            for segment in strip:
                style = segment.style
                if style is not None and style._meta and style.meta.get(FLAG_META) == index:
                    stop = style.meta.get(STOP_META)
                    return stop if isinstance(stop, int) else None
        return None

    def action_next_flagged(self) -> None:
        """Scroll to the next flagged change (wrapping to the first)."""
        self._go_to_flagged(self.current_flag + 1)

    def action_previous_flagged(self) -> None:
        """Scroll to the previous flagged change (wrapping to the last)."""
        self._go_to_flagged(self.current_flag - 1 if self.current_flag >= 0 else -1)
