"""What the formats' metadata says about versions: which story an item belongs to, and its place.

Metadata decides where it can: items with the same provider and story id are versions of one
story (NewsML-G2 guid, NewsML 1 NewsItemId, NITF du-key or doc-id, ninjs uri, ANPA slug
keyword), ordered by version number, then version time. Items without a story id are left to
the content grouping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from reader.ingest.formats.model import NewsItem
from reader.ingest.formats.slugs import story_keyword

_CYCLE_KEYWORD_RE = re.compile(r"^(?:BC|AM|PM)-\w", re.IGNORECASE)
_EARLIEST = datetime.min.replace(tzinfo=UTC)
#: Names one agency goes by in different formats' provider fields.
_PROVIDER_ALIASES = {
    "associated press": "ap",
    "the associated press": "ap",
    "ap.org": "ap",
    "thomson reuters": "reuters",
    "reuters.com": "reuters",
    "agence france-presse": "afp",
    "agence france presse": "afp",
    "afp.com": "afp",
    "deutsche presse-agentur": "dpa",
    "dpa.com": "dpa",
    "agencia efe": "efe",
}


def provider_key(provider: str | None) -> str:
    """The provider as a key: case folded, a scheme prefix (`nprov:`) dropped, aliases joined."""
    if not provider:
        return ""
    text = " ".join(provider.split()).casefold()
    if re.match(r"^[a-z]+:[^/]", text) and not text.startswith(("urn:", "http:", "https:")):
        text = text.split(":", 1)[1]
    return _PROVIDER_ALIASES.get(text, text)


def story_key(item: NewsItem) -> str | None:
    """`provider|story id` for items whose format names the story, None for the rest.

    An ANPA slug keyword loses its cycle and version markers, so `BC-US--Wildfire 1stLd-Writethru`
    and `BC-US--Wildfire` give one key.
    """
    if not item.story_id:
        return None
    story = item.story_id.strip()
    if item.format == "anpa" or _CYCLE_KEYWORD_RE.match(story):
        story = story_keyword(story)
    return f"{provider_key(item.provider)}|{story}"


def version_key(item: NewsItem) -> tuple[int, datetime]:
    """Sort key within one story: version number (0 when unknown), then version time."""
    return (item.version if item.version is not None else 0, item.version_time or _EARLIEST)


def order_versions(items: Iterable[NewsItem]) -> list[NewsItem]:
    """The versions of one story, earliest first.

    By version number then time when every item has a number; otherwise by time then number
    (an ANPA `Corrective` carries no lead number, only a later time). Ties keep file order.
    """
    found = list(items)
    if all(item.version is not None for item in found):
        return sorted(found, key=version_key)
    return sorted(
        found,
        key=lambda item: (
            item.version_time is None,
            item.version_time or _EARLIEST,
            item.version if item.version is not None else 0,
        ),
    )


def stories_by_metadata(items: Iterable[NewsItem]) -> dict[str, list[NewsItem]]:
    """Items grouped by story key, each group in version order; items without a key left out."""
    groups: dict[str, list[NewsItem]] = {}
    for item in items:
        key = story_key(item)
        if key is not None:
            groups.setdefault(key, []).append(item)
    return {key: order_versions(group) for key, group in groups.items()}
