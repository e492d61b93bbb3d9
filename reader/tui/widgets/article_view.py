"""The reading pane: one article, laid out at a comfortable measure."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.strip import Strip

from reader.ingest.article import Article
from reader.present.article import MATCH_META, READING_WIDTH, render_article
from reader.text.safe_text import safe_text
from reader.tui.bindings import MATCH
from reader.tui.widgets.rendered_lines import RenderedLinesView, emphasise_meta

#: How the current search match (the one n and N went to) stands out from the others.
CURRENT_MATCH = Style(reverse=True, underline=True)


class ArticleView(RenderedLinesView):
    """Shows the open article, or a message when there is none."""

    BINDINGS = [
        Binding(
            "left,escape", "app.focus_list", "Back to list", key_display="←", id="reader.focus-list"
        ),
        Binding("b", "app.provenance", "Provenance", show=False, id="reader.provenance"),
        Binding("n", "next_match", "Next match", id="reader.next-match", group=MATCH),
        Binding(
            "N",
            "previous_match",
            "Previous match",
            key_display="N",
            id="reader.previous-match",
            group=MATCH,
        ),
    ]

    max_text_width = READING_WIDTH

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.highlight: tuple[str, ...] = ()
        self.match_lines: list[int] = []
        self.current_match = -1

    def show_article(self, article: Article, highlight: tuple[str, ...] = ()) -> None:
        """Open `article` at its top, marking the words of `highlight` (search terms)."""
        self.article = article
        self.highlight = highlight
        self.current_match = -1
        self.show(render_article(article, highlight))

    def laid_out(self) -> None:
        found = self.first_lines_with_meta(MATCH_META)
        # One entry per match (not per line), so n steps to each and marks it current.
        self.match_lines = [found[number] for number in sorted(found, key=_as_int)]
        self.refresh_bindings()
        if self.match_lines and self.current_match < 0 and self.article is not None:
            # Opened from a search while hidden: go to the first match once laid out.
            self.call_after_refresh(self._go_to_match, 0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n and N (and their footer keys) only when the article has search matches."""
        if action in ("next_match", "previous_match"):
            return bool(self.match_lines)
        return True

    def action_next_match(self) -> None:
        """Scroll to the next search match."""
        self._go_to_match(self.current_match + 1)

    def action_previous_match(self) -> None:
        """Scroll to the previous search match."""
        self._go_to_match(self.current_match - 1 if self.current_match >= 0 else -1)

    def _go_to_match(self, index: int) -> None:
        if not self.match_lines:
            self.notify("No search matches here: / searches.", severity="information")
            return
        self.current_match = index % len(self.match_lines)
        line = self.match_lines[self.current_match]
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if not top <= line < top + height - 1:
            self.scroll_to(y=max(0, line - 3), animate=False)
        self.refresh()

    def decorate_line(self, strip: Strip) -> Strip:
        if self.current_match < 0:
            return strip
        return emphasise_meta(strip, MATCH_META, self.current_match, CURRENT_MATCH)

    def show_message(self, message: str) -> None:
        """Show a message in place of an article (loading, empty corpus)."""
        self.article = None
        self.show(Text(safe_text(message), style="italic"))


def _as_int(value: object) -> int:
    return value if isinstance(value, int) else 0
