"""Command palette provider: jump to any article by its headline or file name.

Matching runs on the index (full-text search over headlines, then file names) in a
thread, so typing never waits for it, whatever the size of the corpus. Before anything is
typed the palette offers the marked base article and the articles opened recently.
"""

from __future__ import annotations

import asyncio
import re
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from reader.text.safe_text import safe_line

if TYPE_CHECKING:
    from reader.ingest.article import Article
    from reader.tui.app import NewsReaderApp

#: Articles offered for one query.
PALETTE_HITS = 20
#: Articles offered before anything is typed.
DISCOVERY_HITS = 12


def _title_content(prefix: str, title: str, name: str, query_words: list[str]) -> Content:
    """`prefix title (name)` as plain content (never markup), query words highlighted."""
    text = f"{prefix}{safe_line(title)} ({safe_line(name)})"
    content = Content(text)
    for word in filter(None, query_words):
        for found in re.finditer(re.escape(word), text, re.IGNORECASE):
            content = content.stylize("bold reverse", found.start(), found.end())
    return content


class ArticleCommands(Provider):
    """Offers `Open: <headline>` for the articles matching what is typed."""

    @property
    def _reader_app(self) -> NewsReaderApp:
        return cast("NewsReaderApp", self.app)

    async def discover(self) -> Hits:
        """The marked base article, the articles opened most recently, then the latest
        versions of the first stories."""
        app = self._reader_app
        offered: list[tuple[str, Article]] = []
        if app.marked is not None:
            offered.append(("Base for diff: ", app.marked))
        offered.extend(
            ("Recent: ", article)
            for article in app.recently_opened
            if app.marked is None or article.id != app.marked.id
        )
        # Then the first stories of the list, so the palette opens on articles, not only
        # on the app's own commands.
        seen = {article.id for _, article in offered}
        stories = app.library.stories if app.library is not None else []
        for story in stories:
            if len(offered) >= DISCOVERY_HITS:
                break
            if story.versions and story.latest.id not in seen:
                offered.append(("Story: ", story.latest))
        for prefix, article in offered:
            yield DiscoveryHit(
                _title_content(prefix, article.headline or article.name, article.name, []),
                partial(app.open_article_by_id, article.id),
                text=f"{prefix}{safe_line(article.headline)}",
                help=f"{article.words:,} words",
            )

    async def search(self, query: str) -> Hits:
        """Articles whose headline words start with the words typed, or whose file name
        holds what is typed, looked up in the index off the event loop."""
        app = self._reader_app
        index = app.index
        if index is None or not query.strip():
            return
        matches = await asyncio.to_thread(index.find_titles, query, PALETTE_HITS)
        words = query.split()
        for rank, match in enumerate(matches):
            yield Hit(
                1.0 - rank / (len(matches) + 1),
                _title_content("Open: ", match.title, match.name, words),
                partial(app.open_article_by_id, match.article_id),
                text=f"Open: {safe_line(match.title)}",
                help=f"{match.words:,} words",
            )
