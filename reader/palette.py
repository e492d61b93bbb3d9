"""Command palette provider: jump to any article by its headline or file name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import Hit, Hits, Provider
from textual.fuzzy import FuzzySearch

from reader.corpus import display_name
from reader.safe_text import safe_line

if TYPE_CHECKING:
    from reader.app import NewsReaderApp

#: How the matched letters of a candidate are shown.
MATCH_STYLE = "bold underline"


class ArticleCommands(Provider):
    """Offers `Open: <headline>` for every article in the corpus."""

    @property
    def _reader_app(self) -> NewsReaderApp:
        return cast("NewsReaderApp", self.app)

    async def search(self, query: str) -> Hits:
        app = self._reader_app
        if app.library is None:
            return
        matcher = self.matcher(query)
        for article in app.library.corpus.articles:
            candidate = f"Open: {safe_line(article.headline)} ({display_name(article.name)})"
            score = matcher.match(candidate)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(candidate, query, matcher.fuzzy_search),
                    partial(app.open_article_by_id, article.id),
                    text=candidate,
                    help=f"{article.words:,} words",
                )


def highlighted(candidate: str, query: str, fuzzy: FuzzySearch) -> Text:
    """`candidate` as a Text with the letters `query` matched marked.

    Textual's `Matcher.highlight` parses the candidate as markup; a headline is data, so
    the palette builds a Text (which the palette shows as it is) instead.
    """
    text = Text(candidate)
    _, offsets = fuzzy.match(query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            text.stylize(MATCH_STYLE, offset, offset + 1)
    return text
