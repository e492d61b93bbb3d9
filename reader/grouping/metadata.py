"""Metadata decides where it can: articles whose format names their story join by that name.

Wire formats carry a story id (NewsML-G2 guid, NewsML 1 item id, NITF du-key or doc-id, ninjs
uri, ANPA slug keyword and date); `ArticleMeta.story_key` is `provider|story id`. Articles with
the same key are versions of one story, whatever their words, ordered by version number then
version time. A key with no provider counts only when the id is one no other dump would use
by chance (a URN or a long id, not a row number `17`). When versions sharing a key share
almost no wording, that is a conflict: they stay together, as the metadata says, and the
story carries a note saying so, so it is never hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from reader.ingest.article import Article
from reader.ingest.corpus import natural_key

#: A story id without a provider must be at least this long (and not a bare number).
MIN_BARE_ID_CHARS = 12
#: A version whose best similarity to the others sharing its key is below this is a conflict.
CONFLICT_SIMILARITY = 0.1


#: Story ids that name one item the world over: the provider adds nothing to them.
_GLOBAL_ID_PREFIXES = ("urn:", "tag:", "http://", "https://")


def usable_key(article: Article) -> str | None:
    """The article's story key if it may join articles by metadata, else None."""
    return usable_story_key(article.story_key)


def usable_story_key(key: str | None) -> str | None:
    """A story key (`provider|story id`) if it may join articles by metadata, else None.

    A globally unique id (a URN, a tag URI, a URL) is its own key, so a dump that names no
    provider still meets the agency's feed; a bare id needs its provider, or to be long.
    """
    if not key:
        return None
    provider, _, story = key.partition("|")
    story = story.strip()
    if not story:
        return None
    if story.casefold().startswith(_GLOBAL_ID_PREFIXES):
        return "|" + story
    if provider or (len(story) >= MIN_BARE_ID_CHARS and not story.isdigit()):
        return key
    return None


def conflict_note(unrelated: Sequence[Article]) -> str:
    """The note on a story some of whose versions share its id but not its words."""
    shown = ", ".join(sorted((article.name for article in unrelated), key=natural_key))
    verb = "shares" if len(unrelated) == 1 else "share"
    return (
        f"same story id ({unrelated[0].story_key}) but unrelated text: {shown} {verb} "
        "almost no wording with the other versions; kept together as the metadata says"
    )


def same_story_key(versions: Iterable[Article]) -> bool:
    """True when every version carries one usable story key (a story built by metadata)."""
    keys = {usable_key(version) for version in versions}
    return len(keys) == 1 and None not in keys


def metadata_order(versions: Iterable[Article]) -> list[Article]:
    """Versions of one story id in version order: by version number then version time when
    every version has a number; otherwise by time, then number (an ANPA `Corrective` has no
    lead number, only a later time). File name order breaks ties."""
    found = list(versions)

    def number(article: Article) -> int:
        meta = article.meta
        return meta.version if meta is not None and meta.version is not None else 0

    def moment(article: Article) -> tuple[bool, datetime]:
        meta = article.meta
        time = (meta.version_time if meta is not None else None) or article.filed
        return time is None, time or datetime.min

    if all(a.meta is not None and a.meta.version is not None for a in found):
        return sorted(found, key=lambda a: (number(a), moment(a), natural_key(a.name)))
    return sorted(found, key=lambda a: (moment(a), number(a), natural_key(a.name)))
