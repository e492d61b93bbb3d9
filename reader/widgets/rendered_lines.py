"""A scrollable view of one Rich renderable that paints only the lines on screen."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import RenderableType
from rich.segment import Segment
from textual import work
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.safe_text import is_safe, safe_line


class RenderedLinesView(ScrollView, can_focus=True):
    """Renders a renderable once per width into strips and serves them line by line.

    Long articles and diffs scroll smoothly because a frame paints only the visible
    strips; the renderable is laid out again only when the width changes.
    """

    BINDINGS = [
        Binding("up,k", "scroll_up", "Up", show=False, id="reader.scroll-up"),
        Binding("down,j", "scroll_down", "Down", show=False, id="reader.scroll-down"),
        Binding(
            "space,pagedown",
            "page_down",
            "Page down",
            show=False,
            key_display="space",
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
        self._large = False
        self._strips: list[Strip] = []
        self._laid_out_width = -1

    def show(
        self, renderable: RenderableType, *, keep_scroll: bool = False, large: bool = False
    ) -> None:
        """Replace what the view shows; scroll back to the top unless asked not to.

        A `large` renderable (a long diff) is laid out in a worker thread, so the screen
        does not stop while it is; the view fills in when it is ready.
        """
        self._renderable = renderable
        self._large = large
        self._laid_out_width = -1
        self._lay_out()
        if not keep_scroll:
            self.scroll_to(0, 0, animate=False)
        self.refresh()

    @property
    def line_count(self) -> int:
        """Lines of laid-out text."""
        return len(self._strips)

    def first_lines_with_meta(self, key: str) -> dict[object, int]:
        """For each value of style meta `key` in the laid-out text, the first line holding it."""
        found: dict[object, int] = {}
        for number, strip in enumerate(self._strips):
            for segment in strip:
                style = segment.style
                if style is not None and style._meta:
                    value = style.meta.get(key)
                    if value is not None and value not in found:
                        found[value] = number
        return found

    def plain_lines(self) -> list[str]:
        """The laid-out text, line by line, without styles."""
        return [strip.text.rstrip() for strip in self._strips]

    def text_width(self) -> int:
        """Columns the text is laid out in."""
        available = max(1, self.scrollable_content_region.width)
        if self.max_text_width is None:
            return available
        return max(1, min(self.max_text_width, available))

    def _lay_out(self) -> None:
        width = self.text_width()
        if width == self._laid_out_width:
            return
        self._laid_out_width = width
        if self._large:
            self._lay_out_in_background(self._renderable, width)
        else:
            self._use(self._renderable, width, self._strips_for(self._renderable, width))

    def _strips_for(self, renderable: RenderableType, width: int) -> list[Strip]:
        console = self.app.console
        options = console.options.update_width(width).update(highlight=False)
        lines = console.render_lines(renderable, options, pad=False)
        return [Strip(_safe_segments(Segment.simplify(line))) for line in lines]

    @work(thread=True, exclusive=True, exit_on_error=False, group="layout")
    def _lay_out_in_background(self, renderable: RenderableType, width: int) -> None:
        strips = self._strips_for(renderable, width)
        self.app.call_from_thread(self._use, renderable, width, strips)

    def _use(self, renderable: RenderableType, width: int, strips: list[Strip]) -> None:
        if renderable is not self._renderable or width != self._laid_out_width:
            return  # laid out for something shown before, or for another width
        self._strips = strips
        self.virtual_size = Size(width, len(strips))
        self.laid_out()
        self.refresh()

    def laid_out(self) -> None:
        """Called after the text is laid out anew; subclasses index what they need."""

    def on_resize(self) -> None:
        self._lay_out()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        if index >= len(self._strips):
            return Strip.blank(width, self.rich_style)
        base = self.rich_style
        return self._strips[index].crop_extend(scroll_x, scroll_x + width, base).apply_style(base)


def _safe_segments(segments: Iterable[Segment]) -> list[Segment]:
    """The last guard before the terminal: renderables should hold sanitised text already,
    but no segment of a laid-out line may carry a control character whatever they hold."""
    return [
        segment if is_safe(segment.text) else Segment(safe_line(segment.text), segment.style)
        for segment in segments
        if not segment.control
    ]
