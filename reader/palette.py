"""Command palette provider: jump to any article by its headline or file name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import Hit, Hits, Provider

if TYPE_CHECKING:
    from reader.app import NewsReaderApp


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
            candidate = f"Open: {article.headline} ({article.name})"
            score = matcher.match(candidate)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(candidate),
                    partial(app.open_article_by_id, article.id),
                    help=f"{article.words:,} words",
                )
