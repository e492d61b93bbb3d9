"""The one model every format reader yields: a NewsItem, with what went wrong beside it.

`NewsItem` is IPTC's name for one news object (a story in one version); it is not an
`article.Article`, which is a file of the corpus. A file may hold many items (feeds, WARC,
CSV/JSONL), so each item says where in its container it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from reader.ingest.article import (
    Dateline,
    Paragraph,
    ParagraphKind,
    ParsedText,
    count_words,
    derive_headline,
    find_filing_date,
    parse_article_text,
    parse_dateline,
    split_version_markers,
)


@dataclass(frozen=True, slots=True)
class NewsItem:
    """One article as a format reader found it: text plus whatever metadata the format carries."""

    #: The format it was read from: `nitf`, `newsml-g2`, `ninjs`, `anpa`, `html`, `csv`, ….
    format: str
    #: The headline without version markers (`UPDATE 2-` goes to `version_markers`).
    headline: str
    #: Body paragraphs in order, with their kinds (subheads, trailers); no headline, no byline.
    paragraphs: tuple[Paragraph, ...]
    subheadline: str | None = None
    byline: str | None = None
    #: The dateline as the format states it (`ATLANTA`, `BRUSSELS, Feb 12`), if it does.
    dateline: str | None = None
    #: The agency or outlet: `AP`, `Reuters`, `afp.com`, a site name.
    provider: str | None = None
    #: What stays the same across the versions of one story: guid, doc-id, uri, slug.
    story_id: str | None = None
    #: The version number the format gives (NewsML-G2 `version`, NewsML 1 `RevisionId`, …).
    version: int | None = None
    #: When this version was made (timezone-aware, UTC when the format gave no zone).
    version_time: datetime | None = None
    first_created: datetime | None = None
    slugline: str | None = None
    #: `1stLd-Writethru`, `UPDATE 2`, `sig:update`: what the format says this version is.
    version_markers: tuple[str, ...] = ()
    url: str | None = None
    #: When a web archive captured the page (WARC-Date), which is not when it was written.
    captured: datetime | None = None
    language: str | None = None
    #: Index of the item within its file (0 for a file of one item).
    record: int = 0
    #: Byte offset of the record in its file, where the format makes that meaningful.
    offset: int | None = None
    #: Things a reader should know (`pubStatus canceled`, editors' notes, decoded charset).
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a file that could not be read as an article, and why."""

    message: str
    #: The record it concerns (None: the file as a whole).
    record: int | None = None


@dataclass(slots=True)
class ReadResult:
    """Everything read from one file: the items and the problems, in file order."""

    format: str
    items: list[NewsItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def split_headline(raw: str) -> tuple[str, list[str]]:
    """`UPDATE 2-Fed holds rates` -> (`Fed holds rates`, [`UPDATE 2`])."""
    return split_version_markers(raw.strip())


def classify_paragraphs(
    headline: str, texts: Sequence[str], kinds: Sequence[ParagraphKind | None] = ()
) -> tuple[Paragraph, ...]:
    """Paragraphs with kinds: the markup's kind where given, the text reader's rules elsewhere.

    The rules (trailers, bylines, subheads) are `article.parse_article_text`'s, run once over the
    paragraphs with the headline in front so that the first paragraph is never taken for it.
    """
    padded = list(kinds) + [None] * (len(texts) - len(kinds))
    pairs = [(text, kind) for text, kind in zip(texts, padded, strict=True) if text]
    if not pairs:
        return ()
    texts = [text for text, _ in pairs]
    explicit = [kind for _, kind in pairs]
    lead = headline.strip() or "Untitled"
    parsed = parse_article_text("\n\n".join([lead, *texts]))
    found = list(parsed.paragraphs)
    if parsed.headline_from_lede and found and found[0].text == lead:
        found.pop(0)
    if len(found) != len(texts):  # the rules merged or dropped a block: trust the markup only
        found = [Paragraph(text) for text in texts]
    return tuple(
        Paragraph(text, kind if kind is not None else rule.kind)
        for text, kind, rule in zip(texts, explicit, found, strict=True)
    )


def paragraphs_from_blocks(
    headline: str, blocks: Sequence[tuple[str, ParagraphKind | None]]
) -> tuple[Paragraph, ...]:
    """`classify_paragraphs` for (text, kind) pairs, as the markup walkers give them."""
    return classify_paragraphs(headline, [text for text, _ in blocks], [k for _, k in blocks])


def to_parsed_text(item: NewsItem) -> ParsedText:
    """The item as the pipeline's ParsedText (`filed` naive UTC, as the text reader gives it)."""
    paragraphs = list(item.paragraphs)
    if item.byline and not any(p.kind is ParagraphKind.BYLINE for p in paragraphs):
        paragraphs.insert(0, Paragraph(item.byline, ParagraphKind.BYLINE))
    lede = next((p.text for p in paragraphs if p.kind is ParagraphKind.BODY), None)
    dateline = parse_dateline(lede) if lede else None
    if dateline is None and item.dateline:
        dateline = Dateline(text=item.dateline, place=item.dateline.split(",")[0].strip())
    headline, from_lede = item.headline, False
    if not headline:
        from_lede = True
        body = lede or ""
        if dateline is not None and body.startswith(dateline.text):
            body = body[len(dateline.text) :]
        headline = derive_headline(body) if body else ""
    filed = item.version_time or item.first_created
    edges = [headline, *(p.text for p in paragraphs[:2]), *(p.text for p in paragraphs[-2:])]
    return ParsedText(
        headline=headline,
        headline_from_lede=from_lede,
        version_markers=item.version_markers,
        dateline=dateline,
        byline=item.byline,
        paragraphs=tuple(paragraphs),
        words=sum(count_words(p.text) for p in paragraphs),
        filed=naive_utc(filed) if filed else find_filing_date(edges),
    )


def naive_utc(moment: datetime) -> datetime:
    """The moment in UTC without a zone: the text reader's `filed` values are naive."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
