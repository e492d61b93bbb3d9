"""The reading pane: one article, laid out at a comfortable measure."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from reader.article import Article
from reader.render import READING_WIDTH, render_article
from reader.widgets.rendered_lines import RenderedLinesView


class ArticleView(RenderedLinesView):
    """Shows the open article, or a message when there is none."""

    BINDINGS = [
        Binding("left,escape", "app.focus_list", "Back to list", key_display="←"),
    ]

    max_text_width = READING_WIDTH

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None

    def show_article(self, article: Article) -> None:
        """Open `article` at its top."""
        self.article = article
        self.show(render_article(article))

    def show_message(self, message: str) -> None:
        """Show a message in place of an article (loading, empty corpus)."""
        self.article = None
        self.show(Text(message, style="italic"))
