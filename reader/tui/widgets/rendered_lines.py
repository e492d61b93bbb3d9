"""A scrollable view of Rich renderables that paints only the lines on screen."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.text.safe_text import is_safe, safe_line

#: Lines a block takes at a width, guessed without laying it out.
Estimate = Callable[[RenderableType, int], int]
#: Lays a renderable out at a width.
LayOut = Callable[[RenderableType, int], list[Strip]]


class BlockLayout:
    """A long text as a sequence of blocks (paragraphs, rows), each laid out only when a
    line of it is first needed. Until then a block's height is estimated, so a diff of
    megabytes opens at once and each key costs the blocks on screen, not the whole text.
    """

    def __init__(
        self, blocks: Sequence[RenderableType], estimate: Estimate, lay_out: LayOut, width: int
    ) -> None:
        self.blocks = blocks
        self._estimate = estimate
        self._lay_out = lay_out
        self.width = width
        self._strips: dict[int, list[Strip]] = {}
        self._heights = [max(1, estimate(block, width)) for block in blocks]
        self._tops: list[int] = []
        self._tops_stale = True

    @property
    def laid_out(self) -> int:
        """Blocks laid out so far."""
        return len(self._strips)

    def _fresh_tops(self) -> list[int]:
        if self._tops_stale:
            self._tops = list(itertools.accumulate(self._heights, initial=0))
            self._tops_stale = False
        return self._tops

    @property
    def line_count(self) -> int:
        """Lines of the whole text, as far as known (estimates for blocks not yet laid out)."""
        return self._fresh_tops()[-1]

    def block_top(self, block: int) -> int:
        """The first line of `block`."""
        return self._fresh_tops()[block]

    def strips_of(self, block: int) -> list[Strip]:
        """The laid-out lines of `block` (laying it out on first use)."""
        strips = self._strips.get(block)
        if strips is None:
            strips = self._lay_out(self.blocks[block], self.width)
            self._strips[block] = strips
            if len(strips) != self._heights[block]:
                self._heights[block] = len(strips)
                self._tops_stale = True
        return strips

    def strip_at(self, line: int) -> Strip | None:
        """Line `line` of the text, or None past its end."""
        while True:
            tops = self._fresh_tops()
            if not 0 <= line < tops[-1]:
                return None
            block = bisect.bisect_right(tops, line) - 1
            strips = self.strips_of(block)
            offset = line - self.block_top(block)  # its top holds: only its height changed
            if offset < len(strips):
                return strips[offset]
            # Shorter than estimated: the line is in a later block; look again.

    def all_strips(self) -> list[Strip]:
        """Every line (lays out every block: for tests and small texts)."""
        return [strip for block in range(len(self.blocks)) for strip in self.strips_of(block)]


class RenderedLinesView(ScrollView, can_focus=True):
    """Renders a renderable once per width into strips and serves them line by line.

    Long articles scroll smoothly because a frame paints only the visible strips; the
    renderable is laid out again only when the width changes. A very long text (a diff)
    is shown as blocks laid out lazily (see BlockLayout).
    """

    BINDINGS = [
        Binding("up,k", "scroll_up", "Up", show=False, id="reader.scroll-up"),
        Binding("down,j", "scroll_down", "Down", show=False, id="reader.scroll-down"),
        Binding(
            "space,pagedown",
            "page_down",
            "Page down",
            show=False,
            key_display="Space",
            id="reader.page-down",
        ),
        Binding("b,pageup", "page_up", "Page up", show=False, key_display="b", id="reader.page-up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="reader.scroll-home"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="reader.scroll-end"),
    ]

    DEFAULT_CSS = """
    RenderedLinesView {
        scrollbar-gutter: stable;
    }
    """

    #: Widest the text is laid out, in columns; None for the full width of the view.
    max_text_width: int | None = None

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._renderable: RenderableType = ""
        self._strips: list[Strip] = []
        self._laid_out_width = -1
        self._blocks: Sequence[RenderableType] | None = None
        self._estimate: Estimate | None = None
        self._layout: BlockLayout | None = None

    def show(self, renderable: RenderableType, *, keep_scroll: bool = False) -> None:
        """Replace what the view shows; scroll back to the top unless asked not to."""
        self._renderable = renderable
        self._blocks = self._estimate = self._layout = None
        self._laid_out_width = -1
        self._lay_out()
        if not keep_scroll:
            self.scroll_to(0, 0, animate=False)
        self.refresh()

    def show_blocks(self, blocks: Sequence[RenderableType], estimate: Estimate) -> None:
        """Show `blocks` one under the other, each laid out only when it comes on screen;
        `estimate` guesses a block's height until then."""
        self._renderable = ""
        self._strips = []
        self._blocks, self._estimate = blocks, estimate
        self._laid_out_width = -1
        self._lay_out()
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    @property
    def block_layout(self) -> BlockLayout | None:
        """The lazy layout of the blocks shown, if blocks are shown."""
        return self._layout

    @property
    def line_count(self) -> int:
        """Lines of laid-out text."""
        if self._layout is not None:
            return self._layout.line_count
        return len(self._strips)

    def first_lines_with_meta(self, key: str) -> dict[object, int]:
        """For each value of style meta `key` in the laid-out text, the first line holding it."""
        found: dict[object, int] = {}
        for number, strip in enumerate(self._all_strips()):
            for value in _meta_values(strip, key):
                found.setdefault(value, number)
        return found

    def plain_lines(self) -> list[str]:
        """The laid-out text, line by line, without styles."""
        return [strip.text.rstrip() for strip in self._all_strips()]

    def _all_strips(self) -> list[Strip]:
        return self._layout.all_strips() if self._layout is not None else self._strips

    def text_width(self) -> int:
        """Columns the text is laid out in."""
        available = max(1, self.scrollable_content_region.width)
        if self.max_text_width is None:
            return available
        return max(1, min(self.max_text_width, available))

    def _lay_out(self) -> None:
        if self.scrollable_content_region.width <= 0:
            # Hidden (the other pane has the screen) or not laid out yet: laying a long
            # article out one character wide would be slow and useless; a resize brings
            # it back here at its real width.
            self._laid_out_width = -1
            return
        width = self.text_width()
        if width == self._laid_out_width:
            return
        self._laid_out_width = width
        if self._blocks is not None and self._estimate is not None:
            self._layout = BlockLayout(self._blocks, self._estimate, self._strips_for, width)
            self.virtual_size = Size(width, self._layout.line_count)
        else:
            self._strips = self._strips_for(self._renderable, width)
            self.virtual_size = Size(width, len(self._strips))
        self.laid_out()
        self.refresh()

    def _strips_for(self, renderable: RenderableType, width: int) -> list[Strip]:
        console = self.app.console
        options = console.options.update_width(width).update(highlight=False)
        lines = console.render_lines(renderable, options, pad=False)
        return [Strip(_safe_segments(Segment.simplify(line))) for line in lines]

    def laid_out(self) -> None:
        """Called after the text is laid out anew; subclasses index what they need."""

    def decorate_line(self, strip: Strip) -> Strip:
        """A laid-out line as it is painted now; subclasses mark what is current in it."""
        return strip

    def on_resize(self) -> None:
        self._lay_out()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        base = self.rich_style
        strip: Strip | None
        if self._layout is not None:
            before = self._layout.line_count
            strip = self._layout.strip_at(index)
            if self._layout.line_count != before:  # a block turned out longer or shorter
                self.call_after_refresh(self._sync_virtual_size)
        else:
            strip = self._strips[index] if index < len(self._strips) else None
        if strip is None:
            return Strip.blank(width, base)
        strip = self.decorate_line(strip)
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_style(base)

    def _sync_virtual_size(self) -> None:
        if self._layout is not None:
            self.virtual_size = Size(self._layout.width, self._layout.line_count)


def _meta_values(strip: Strip, key: str) -> Iterable[object]:
    for segment in strip:
        style = segment.style
        if style is not None and style._meta:
            value = style.meta.get(key)
            if value is not None:
                yield value


def emphasise_meta(strip: Strip, key: str, value: object, emphasis: Style) -> Strip:
    """`strip` with `emphasis` added to the segments whose style meta `key` is `value`."""
    if value not in _meta_values(strip, key):
        return strip
    segments = [
        Segment(segment.text, segment.style + emphasis, segment.control)
        if segment.style is not None
        and segment.style._meta
        and segment.style.meta.get(key) == value
        else segment
        for segment in strip
    ]
    return Strip(segments, strip.cell_length)


def first_line_with_meta(strips: Sequence[Strip], key: str, value: object) -> int | None:
    """The first of `strips` holding style meta `key` = `value`."""
    for number, strip in enumerate(strips):
        if value in _meta_values(strip, key):
            return number
    return None


def _safe_segments(segments: Iterable[Segment]) -> list[Segment]:
    """The last guard before the terminal: renderables should hold sanitised text already,
    but no segment of a laid-out line may carry a control character whatever they hold."""
    return [
        segment if is_safe(segment.text) else Segment(safe_line(segment.text), segment.style)
        for segment in segments
        if not segment.control
    ]
