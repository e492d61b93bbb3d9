"""Rich renderables for articles, shared by the app and the command line."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator, Sequence
from datetime import datetime

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text

from reader.ingest.article import Article, ParagraphKind
from reader.ingest.corpus import display_name
from reader.text.safe_text import safe_text

#: A comfortable reading measure, in columns.
READING_WIDTH = 76
#: Characters of text laid out at most: a huge file opens at once as a preview.
PREVIEW_CHARS = 200_000


def highlight_pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    """A pattern matching any of the search terms as whole words (prefix with `*`)."""
    alternatives = []
    for term in terms:
        for word in re.findall(r"\w+\*?", term):
            stem = re.escape(word.rstrip("*"))
            alternatives.append(stem + (r"\w*" if word.endswith("*") else r"\b"))
    if not alternatives:
        return None
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def _marked(text: Text, pattern: re.Pattern[str] | None, counter: Iterator[int]) -> Text:
    if pattern is not None:
        for match in pattern.finditer(text.plain):
            style = Style(
                bgcolor="yellow", color="black", bold=True, meta={MATCH_META: next(counter)}
            )
            text.stylize(style, match.start(), match.end())
    return text


def format_mtime(mtime: float) -> str:
    """Modification time as `2026-02-12 14:03`, local time."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(mtime))


def article_date(article: Article) -> str:
    """The date to show, labelled by where it comes from: the article's own (a date
    written in its text) when it has one, else the file's modification time."""
    filed = article.filed
    if filed is None:
        return "file modified " + format_mtime(article.mtime)
    if (filed.hour, filed.minute) == (0, 0):
        return "dated " + filed.strftime("%Y-%m-%d")
    return "dated " + filed.strftime("%Y-%m-%d %H:%M")


def format_moment(moment: datetime) -> str:
    """A time a format gave (naive UTC) as `2026-02-20 11:40 UTC`."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def labelled_metadata(article: Article) -> list[str]:
    """What an article's format says about it, each part labelled: provider, byline,
    dateline, version (markers and number) and the article's own time; empty for plain text."""
    meta = article.meta
    if meta is None:
        return []
    parsed = article.parsed
    dateline = meta.dateline or (parsed.dateline.text.strip(" —–-") if parsed.dateline else None)
    version = " ".join(parsed.version_markers)
    if meta.version is not None:
        version = f"{version} (v{meta.version})" if version else f"v{meta.version}"
    moment = meta.version_time or article.filed
    fields = [
        ("format", meta.format.upper()),
        ("provider", meta.provider),
        ("byline", parsed.byline),
        ("dateline", dateline),
        ("version", version),
        ("filed", format_moment(moment) if moment else None),
        ("captured", format_moment(meta.captured) if meta.captured else None),
        ("url", meta.url),
    ]
    return [f"{label}: {value}" for label, value in fields if value]


def article_metadata(article: Article) -> Text:
    """The line under the headline: file, words, date and anything unusual about the file;
    for an article read from a wire or archive format, what its metadata says, labelled."""
    labelled = labelled_metadata(article)
    if labelled:
        line = Text(safe_text(" · ".join([display_name(article.name), f"{article.words:,} words"])))
        line.append("\n" + safe_text(" · ".join(labelled)))
        line.stylize("dim")
        for note in article.notes:
            line.append("\n⚠ " + safe_text(note), style="yellow")
        return line
    parts = [display_name(article.name), f"{article.words:,} words", article_date(article)]
    dateline = article.dateline
    if dateline is not None:
        place = dateline.place.title() if dateline.place.isupper() else dateline.place
        parts.append(" ".join(filter(None, (place, dateline.date, dateline.agency))))
    if article.parsed.version_markers:
        parts.append(" ".join(article.parsed.version_markers))
    line = Text(safe_text(" · ".join(parts)), style="dim")
    for note in article.notes:
        line.append("\n⚠ " + safe_text(note), style="yellow")
    return line


#: Meta key on the style of a highlighted search match, numbering matches in reading order.
MATCH_META = "search_match"
_PARAGRAPH_STYLES = {
    ParagraphKind.SUBHEAD: "bold",
    ParagraphKind.BYLINE: "italic",
    ParagraphKind.TRAILER: "dim italic",
    ParagraphKind.BODY: "",
    ParagraphKind.PREFORMATTED: "",
}


def render_article(article: Article, highlight: Sequence[str] = ()) -> RenderableType:
    """The article as a reader sees it: headline, metadata line, byline, paragraphs.

    Words in `highlight` (search terms; a trailing `*` matches any ending) are marked,
    each match carrying MATCH_META so a view can step from one to the next.
    """
    pattern = highlight_pattern(highlight)
    counter = itertools.count()
    headline_style = "bold italic" if article.parsed.headline_from_lede else "bold"
    parts: list[RenderableType] = [
        _marked(Text(safe_text(article.headline), style=headline_style), pattern, counter)
    ]
    parts.append(article_metadata(article))
    room = PREVIEW_CHARS
    for paragraph in article.paragraphs:
        parts.append(Text(""))
        if len(paragraph.text) > room:
            hidden = sum(len(p.text) for p in article.paragraphs) - PREVIEW_CHARS
            parts.append(_marked(Text(safe_text(paragraph.text[:room]) + "…"), pattern, counter))
            note = f"The preview ends here; {hidden:,} more characters are not shown."
            parts.extend([Text(""), Text(note, style="yellow")])
            break
        style = _PARAGRAPH_STYLES[paragraph.kind]
        text = Text(safe_text(paragraph.text), style=style)
        if paragraph.kind is ParagraphKind.PREFORMATTED:
            # A table keeps its lines; a row wider than the pane folds rather than being cut.
            text.overflow = "fold"
        parts.append(_marked(text, pattern, counter))
        room -= len(paragraph.text)
    if not article.paragraphs:
        parts.extend([Text(""), Text("This file holds a headline and no body text.", style="dim")])
    return Group(*parts)
