"""Rich renderables for articles, shared by the app and the command line."""

from __future__ import annotations

import time

from rich.console import Group, RenderableType
from rich.text import Text

from reader.article import Article, ParagraphKind

#: A comfortable reading measure, in columns.
READING_WIDTH = 76


def format_mtime(mtime: float) -> str:
    """Modification time as `2026-02-12 14:03`, local time."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(mtime))


def format_size(size: int) -> str:
    """`2.1 kB`, `14 MB`: sizes as people read them."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def article_metadata(article: Article) -> Text:
    """The line under the headline: file, words, date and anything unusual about the file."""
    parts = [article.name, f"{article.words:,} words", format_mtime(article.mtime)]
    dateline = article.dateline
    if dateline is not None:
        place = dateline.place.title() if dateline.place.isupper() else dateline.place
        parts.append(" ".join(filter(None, (place, dateline.date, dateline.agency))))
    if article.parsed.version_markers:
        parts.append(" ".join(article.parsed.version_markers))
    line = Text(" · ".join(parts), style="dim")
    for note in article.notes:
        line.append("\n⚠ " + note, style="yellow")
    return line


def render_article(article: Article) -> RenderableType:
    """The article as a reader sees it: headline, metadata line, byline, paragraphs."""
    headline_style = "bold italic" if article.parsed.headline_from_lede else "bold"
    parts: list[RenderableType] = [Text(article.headline, style=headline_style)]
    parts.append(article_metadata(article))
    for paragraph in article.paragraphs:
        parts.append(Text(""))
        if paragraph.kind is ParagraphKind.SUBHEAD:
            parts.append(Text(paragraph.text, style="bold"))
        elif paragraph.kind is ParagraphKind.BYLINE:
            parts.append(Text(paragraph.text, style="italic"))
        elif paragraph.kind is ParagraphKind.TRAILER:
            parts.append(Text(paragraph.text, style="dim italic"))
        else:
            parts.append(Text(paragraph.text))
    if not article.paragraphs:
        parts.extend([Text(""), Text("This file holds a headline and no body text.", style="dim")])
    return Group(*parts)
