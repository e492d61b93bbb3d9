"""Clean an article before comparing it, and recognise what kind of page it is.

Scraped pages carry furniture that is not the story: photo captions, timestamps, embedded
posts, bylines, "related" lists, navigation, newsletter and cookie text. Left in, the same
outlet's furniture makes two different stories look alike, dilutes each story's own text,
and adds figures (caption dates, times) that the wire copy lacks. Each rule here removes a
paragraph only when it reads as furniture, never a sentence of the story: a paragraph
that ends like a sentence and holds no furniture marker stays.

Page kinds change what a match means: a live blog is one story of many snapshots, a
digest holds the openings of several stories (it links to them and never merges them),
and a gallery is captions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum


class PageKind(StrEnum):
    """What an article is as a page: a story, or a page that holds other things."""

    STORY = "story"
    LIVE_BLOG = "live-blog"
    DIGEST = "digest"
    GALLERY = "gallery"


#: What marks a paragraph as furniture wherever it is: a caption, a timestamp, an
#: embedded post (one pattern, as most paragraphs are checked against it).
_CAPTION_RE = re.compile(
    r"\((?:AP|AFP|Reuters|Getty|EPA)?\s*Photo\b|\bPhoto/|via AP\)|/(?:AP|Reuters|AFP|Getty)"
    r"(?: Images)?\)|^(?:FILE|PHOTO)\s*[-–—:]|^\d+ of \d+$",
    re.IGNORECASE,
)
#: A timestamp line: "Updated 8:47 p.m. PDT Aug. 14, 2025", "Published ... | Updated ...".
_TIMESTAMP_RE = re.compile(
    r"^(?:Updated|Published|Posted|Last updated|First published)\b[^.!?]{0,80}\d", re.IGNORECASE
)
#: An embedded social post.
_EMBED_RE = re.compile(r"pic\.twitter\.com/|^[—–-]\s*[^()]{1,60}\(@\w+\)", re.IGNORECASE)
#: A byline or a credit line.
_BYLINE_RE = re.compile(r"^(?:By|Compiled by|Written by|Reporting by)\s+\S", re.IGNORECASE)
#: Site text: newsletters, cookies, copyright, sharing, subscriptions; anywhere in a
#: paragraph (each needs one of `_SITE_WORDS`, looked for first: most paragraphs have none)
#: or opening it.
_SITE_RE = re.compile(
    r"newsletter|cookies?\b|all rights reserved|©|\bsign (?:up|in)\b|\bsubscribe\b|"
    r"\blog in\b|copy link",
    re.IGNORECASE,
)
_SITE_WORDS = ("newsletter", "cookie", "all rights reserved", "©", "sign ", "subscribe",
               "log in", "copy link")  # fmt: skip
_SITE_OPENING_RE = re.compile(
    r"(?:share|related|most read|read more|more from|load more updates|top coverage|"
    r"live updates|advertisement)\b",
    re.IGNORECASE,
)
#: Site text is short; a long paragraph that mentions cookies is a story about them.
_SITE_MAX_WORDS = 40
#: A line this short without a sentence's ending is a heading, a link or navigation,
#: unless it carries figures (a row of a table).
_HEADING_MAX_WORDS = 16
#: What a sentence's last character is (of a paragraph stripped of spaces).
_SENTENCE_ENDINGS = frozenset(".!?:;\"”’')]")
_FIGURE_RE = re.compile(r"\d")
_TOKEN_RE = re.compile(r"\S+")
#: A live blog entry's time: "8:52 p.m. —", "10:05 ET -".
_ENTRY_TIME_RE = re.compile(
    r"^\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}\s*)?[—–-]\s+", re.IGNORECASE
)
_LIVE_RE = re.compile(r"\blive(?::| updates| coverage| blog)|^LIVE\b", re.IGNORECASE)
#: A wire dateline opening a paragraph: "SEATTLE (AP) —", "VERONA, Italy, Oct 9 (Reuters) -".
_DATELINE_RE = re.compile(
    r"^[A-Z][A-Z .'-]{2,40}(?:,[^()]{1,40})?\s*\((?:AP|Reuters|AFP)\)\s*[—–-]"
)
_DIGEST_TITLE_RE = re.compile(
    r"\b(?:briefing|digest|round-?up|what you need to know|stories to start|in brief|"
    r"news summary|headlines)\b",
    re.IGNORECASE,
)
_MARKERS_RE = re.compile(
    "|".join(f"(?:{pattern.pattern})" for pattern in (_CAPTION_RE, _TIMESTAMP_RE, _EMBED_RE)),
    re.IGNORECASE,
)
_READ_MORE_RE = re.compile(r"^(?:read more|full story|continue reading)\b", re.IGNORECASE)
#: How many entries, openings or captions make a page a live blog, digest or gallery.
MIN_ENTRIES = 3


def is_furniture(paragraph: str) -> bool:
    """Whether a paragraph is page furniture rather than the story's text."""
    text = paragraph.strip()
    if not text:
        return True
    if _may_carry_marker(text) and _MARKERS_RE.search(text):
        return True
    tokens = text.split()
    words = len(tokens)
    if words > _SITE_MAX_WORDS:  # most paragraphs: a story's sentences
        return False
    if words <= 12 and _BYLINE_RE.match(text):
        return True
    if _SITE_OPENING_RE.match(text):
        return True
    folded = text.casefold()
    if any(map(folded.__contains__, _SITE_WORDS)) and _SITE_RE.search(text):
        return True
    if words > _HEADING_MAX_WORDS or text[-1] in _SENTENCE_ENDINGS:
        return False
    return sum(1 for token in tokens if _FIGURE_RE.search(token)) < 2


def _may_carry_marker(text: str) -> bool:
    """A cheap test that `_MARKERS_RE` can match: each of its patterns needs one of these
    (most paragraphs have none, and the pattern is slow on long text)."""
    return (
        "/" in text
        or "hoto" in text
        or "HOTO" in text
        or "via AP" in text
        or "(@" in text
        or text[0] in _MARKER_FIRST
    )


def _may_be_caption(text: str) -> bool:
    """Whether `_CAPTION_RE` can match: each of its patterns needs one of these (a test
    far cheaper than the pattern, which most paragraphs do not match)."""
    folded = text.casefold()
    return (
        "photo" in folded
        or "/" in text
        or "via ap" in folded
        or "file" in folded
        or (" of " in folded)
    )


#: First characters of a paragraph that a marker pattern anchored at the start needs.
_MARKER_FIRST = frozenset("UuPpLlFf—–-0123456789")


def without_entry_time(paragraph: str) -> str:
    """A live blog entry without its time, which differs between copies of one entry."""
    return _ENTRY_TIME_RE.sub("", paragraph, count=1)


def clean_paragraphs(paragraphs: Sequence[str]) -> list[str]:
    """The paragraphs that are the story's text: furniture dropped, entry times removed.

    When every paragraph reads as furniture (a page of headings), they are all kept: an
    article is never compared on nothing.
    """
    kept = [without_entry_time(p) for p in paragraphs if not is_furniture(p)]
    return kept or list(paragraphs)


def page_kind(headline: str, paragraphs: Sequence[str]) -> PageKind:
    """What kind of page the raw paragraphs (furniture included) make."""
    entries = sum(1 for p in paragraphs if _ENTRY_TIME_RE.match(p))
    top = " ".join([headline, *paragraphs[:4]])
    if (entries >= 2 and _LIVE_RE.search(top)) or entries >= 2 * MIN_ENTRIES:
        return PageKind.LIVE_BLOG
    openings = sum(1 for p in paragraphs if _DATELINE_RE.match(p))
    read_more = sum(1 for p in paragraphs if _READ_MORE_RE.match(p.strip()))
    titled = bool(_DIGEST_TITLE_RE.search(headline))
    if openings >= MIN_ENTRIES or (titled and max(openings, read_more) >= 2):
        return PageKind.DIGEST
    captions = sum(1 for p in paragraphs if _may_be_caption(p) and _CAPTION_RE.search(p))
    if captions >= MIN_ENTRIES and 2 * captions >= len(paragraphs) - captions:
        return PageKind.GALLERY
    return PageKind.STORY


def live_title(headline: str, paragraphs: Sequence[str]) -> str:
    """A live blog's own title (kept by every snapshot): the first line at the top that
    says it is live and has words beyond that, else the headline."""
    for line in [headline, *paragraphs[:6]]:
        if _LIVE_RE.search(line) and len(_TOKEN_RE.findall(line)) >= 4:
            return line
    return headline
