"""A keyboard-driven list of two-line rows that paints only the rows on screen."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.present.list_row import ListRow
from reader.text.safe_text import safe_line

#: Screen lines per row: a title line and a detail line.
ROW_HEIGHT = 2
_ONE_LINE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


class RowList(ScrollView, can_focus=True):
    """A list of rows built on the Line API, so 100,000 rows scroll as easily as ten.

    Posts `RowList.Selected` when the user opens a row with Enter, right, or a click.
    """

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="list.cursor-up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="list.cursor-down"),
        Binding("enter,right", "select", "Open", key_display="Enter", id="list.select"),
        Binding(
            "space,pagedown",
            "page_down",
            "Page down",
            show=False,
            key_display="Space",
            id="list.page-down",
        ),
        Binding("b,pageup", "page_up", "Page up", show=False, key_display="b", id="list.page-up"),
        Binding("g,home", "first", "First", show=False, key_display="g", id="list.first"),
        Binding("G,end", "last", "Last", show=False, key_display="G", id="list.last"),
    ]

    COMPONENT_CLASSES = {
        "row-list--cursor",
        "row-list--detail",
        "row-list--figure",
        "row-list--placeholder",
        "row-list--mark",
    }

    DEFAULT_CSS = """
    RowList {
        background: $surface;
        overflow-x: hidden;
    }
    RowList > .row-list--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    RowList:focus > .row-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    RowList > .row-list--detail {
        color: $text-muted;
    }
    RowList > .row-list--figure {
        color: $text-muted;
    }
    RowList > .row-list--placeholder {
        color: $text-muted;
        text-style: italic;
    }
    RowList > .row-list--mark {
        color: $text-warning;
        text-style: bold;
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Selected(Message):
        """The user opened row `index` (Enter, right, or a click)."""

        def __init__(self, row_list: RowList, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(
        self,
        *,
        placeholder: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows: Sequence[ListRow] = ()
        self.placeholder = placeholder

    @property
    def rows(self) -> Sequence[ListRow]:
        """The rows shown, in order."""
        return self._rows

    def set_rows(self, rows: Sequence[ListRow], cursor: int = 0) -> None:
        """Replace the rows and put the cursor on row `cursor`."""
        self._rows = rows
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows) * ROW_HEIGHT)
        self.cursor = self._clamp(cursor)
        self.refresh()

    def set_placeholder(self, text: str) -> None:
        """The message shown while there are no rows."""
        self.placeholder = text
        self.refresh()

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self._rows) - 1))

    def validate_cursor(self, index: int) -> int:
        return self._clamp(index)

    def watch_cursor(self, old: int, new: int) -> None:
        if not self._rows:
            return
        self.refresh_row(old)
        self.refresh_row(new)
        self.scroll_to(y=self._top_showing(new), animate=False, force=True, immediate=True)

    def _top_showing(self, index: int) -> int:
        """The scroll offset that shows row `index` whole, moving as little as possible and
        stopping at a row boundary, so no half row is left at the top."""
        top, height = index * ROW_HEIGHT, self.scrollable_content_region.height
        offset = round(self.scroll_y)
        if top < offset:
            return top
        if top + ROW_HEIGHT > offset + height:
            overflow = top + ROW_HEIGHT - height
            return -(-overflow // ROW_HEIGHT) * ROW_HEIGHT
        return offset

    def refresh_row(self, index: int) -> None:
        """Repaint one row."""
        _, scroll_y = self.scroll_offset
        top = index * ROW_HEIGHT - scroll_y
        self.refresh(Region(0, top, self.size.width, ROW_HEIGHT))

    # -- actions -------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def _rows_per_page(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_HEIGHT)

    def action_page_down(self) -> None:
        self.cursor += self._rows_per_page()

    def action_page_up(self) -> None:
        self.cursor -= self._rows_per_page()

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_select(self) -> None:
        if self._rows:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        _, scroll_y = self.scroll_offset
        index = (event.y + scroll_y) // ROW_HEIGHT
        if 0 <= index < len(self._rows):
            self.cursor = index
            self.post_message(self.Selected(self, index))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows) * ROW_HEIGHT)

    # -- painting --------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        line = y + scroll_y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not self._rows:
            if line == 0 and self.placeholder:
                style = self.get_component_rich_style("row-list--placeholder", partial=True)
                text = Text(" " + self.placeholder, style=style, no_wrap=True, overflow="ellipsis")
                return self._strip(text, width, base)
            return Strip.blank(width, base)
        index, part = divmod(line, ROW_HEIGHT)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        row = self._rows[index]
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("row-list--cursor")
        text = self._title_line(row, width) if part == 0 else self._detail_line(row)
        return self._strip(text, width, style)

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        # One screen line: a stray newline or tab would overflow the row. Rows should hold
        # sanitised text already; this is the last guard before the terminal.
        text.plain = safe_line(text.plain.translate(_ONE_LINE))
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = list(text.render(self.app.console))
        return Strip(Segment.apply_style(segments, style), width).crop_extend(0, width, style)

    def _title_line(self, row: ListRow, width: int) -> Text:
        indent = " " + "  " * row.depth + (row.marker + " " if row.marker else "")
        figure = f" {row.figure} " if row.figure else " "
        room = max(1, width - len(indent) - len(figure))
        title = Text(row.title, no_wrap=True, overflow="ellipsis")
        title.truncate(room, overflow="ellipsis", pad=True)
        line = Text(indent, no_wrap=True)
        line.append_text(title)
        line.append(figure, style=self.get_component_rich_style("row-list--figure", partial=True))
        return line

    def _detail_line(self, row: ListRow) -> Text:
        indent = " " + "  " * row.depth + ("  " if row.marker else "")
        style = self.get_component_rich_style("row-list--detail", partial=True)
        line = Text(indent + row.detail, style=style, no_wrap=True, overflow="ellipsis")
        if row.marks:
            mark = self.get_component_rich_style("row-list--mark", partial=True)
            for start, end in row.marks:
                line.stylize(mark, len(indent) + start, len(indent) + end)
        return line
