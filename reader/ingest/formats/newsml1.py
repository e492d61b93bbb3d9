"""NewsML 1.x (AFP and others): `NewsItem` with identification, management, lines and content.

Identity from `Identification/NewsIdentifier` (ProviderId, DateId, NewsItemId; `RevisionId` is
the version), times from `NewsManagement` (FirstCreated, ThisRevisionCreated), the words from
`NewsComponent/NewsLines` and the `ContentItem`s whose MediaType is Text: NITF, XHTML or plain
text in `DataContent`. Items with only photos, graphics or video are skipped with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from reader.ingest.formats.markup import (
    Block,
    body_blocks,
    child,
    children,
    descendant,
    load_xml,
    local_name,
    text_of,
)
from reader.ingest.formats.model import NewsItem, Problem, paragraphs_from_blocks, split_headline
from reader.ingest.formats.nitf import nitf_text
from reader.ingest.formats.values import one_line, optional_line, parse_int, parse_time

FORMAT = "newsml1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_newsml1(data: bytes) -> Iterator[NewsItem | Problem]:
    """Every text NewsItem of a NewsML 1 document; the rest as problems."""
    root, broken = load_xml(data)
    if broken:
        yield Problem(broken + ("; read as far as it goes" if root is not None else ""))
    if root is None:
        return
    notes = ("recovered from broken XML",) if broken else ()
    envelope_time = text_of(child(root, "newsenvelope", "dateandtime"))
    items = [root] if local_name(root) == "newsitem" else list(children(root, "newsitem"))
    if not items:
        yield Problem("a NewsML document without a NewsItem")
    for record, element in enumerate(items):
        yield _read_item(element, record, envelope_time, notes)


def _read_item(
    element: etree._Element, record: int, envelope_time: str, notes: tuple[str, ...]
) -> NewsItem | Problem:
    lines = descendant(element, "newslines")
    raw_headline = text_of(child(lines, "headline"))
    label = f" {raw_headline!r}" if raw_headline else ""
    blocks, media = _text_blocks(element)
    if not blocks:
        what = f"a {'/'.join(sorted(media)).lower()} item" if media else "an item without text"
        return Problem(f"{what}{label}: not text, skipped", record)
    identifier = child(element, "identification", "newsidentifier")
    management = child(element, "newsmanagement")
    revision = child(identifier, "revisionid")
    headline, markers = split_headline(raw_headline)
    extra = list(notes)
    status = _formal_name(child(management, "status"))
    if status and status.lower() != "usable":
        extra.append(f"status {status}")
    if revision is not None and revision.get("Update", "N") != "N":
        extra.append(f"updates part of revision {revision.get('PreviousRevision', '?')}")
    return NewsItem(
        format=FORMAT,
        headline=headline,
        paragraphs=paragraphs_from_blocks(headline, blocks),
        subheadline=optional_line(text_of(child(lines, "subheadline"))),
        byline=optional_line(text_of(child(lines, "byline"))),
        dateline=optional_line(text_of(child(lines, "dateline"))),
        provider=_provider(element, identifier),
        story_id=_story_id(identifier),
        version=parse_int(text_of(revision)) if revision is not None else None,
        version_time=parse_time(text_of(child(management, "thisrevisioncreated")))
        or parse_time(envelope_time),
        first_created=parse_time(text_of(child(management, "firstcreated"))),
        slugline=optional_line(text_of(child(lines, "slugline")))
        or optional_line(text_of(child(element, "identification", "namelabel"))),
        version_markers=tuple(markers),
        language=_language(element),
        record=record,
        notes=tuple(extra),
    )


def _text_blocks(element: etree._Element) -> tuple[list[Block], set[str]]:
    """Blocks of every Text content item, in order, and the other media types met."""
    blocks: list[Block] = []
    media: set[str] = set()
    for content in element.iter():
        if local_name(content) != "contentitem":
            continue
        media_type = _formal_name(child(content, "mediatype")) or "Text"
        if media_type.lower() != "text":
            media.add(media_type)
            continue
        data = child(content, "datacontent")
        if data is not None:
            blocks.extend(_data_blocks(data))
    return blocks, media


def _data_blocks(data: etree._Element) -> list[Block]:
    nitf = child(data, "nitf")
    if nitf is not None:
        return nitf_text(nitf).blocks
    if len(data):
        return body_blocks(data)
    text = data.text or ""
    parts = text.split("\n\n") if "\n\n" in text else text.split("\n")
    return [(line, None) for line in (one_line(part) for part in parts) if line]


def _story_id(identifier: etree._Element | None) -> str | None:
    """`urn:newsml:<provider>:<date>:<item>`: the PublicIdentifier without its revision."""
    item_id = text_of(child(identifier, "newsitemid"))
    if not item_id:
        return None
    provider = text_of(child(identifier, "providerid"))
    date = text_of(child(identifier, "dateid"))
    return f"urn:newsml:{provider}:{date}:{item_id}"


def _provider(element: etree._Element, identifier: etree._Element | None) -> str | None:
    for metadata in element.iter():
        if local_name(metadata) == "provider":
            party = child(metadata, "party")
            if party is not None and party.get("FormalName"):
                return optional_line(party.get("FormalName"))
    return optional_line(text_of(child(identifier, "providerid")))


def _language(element: etree._Element) -> str | None:
    for metadata in element.iter():
        if local_name(metadata) == "language" and metadata.get("FormalName"):
            return optional_line(metadata.get("FormalName"))
    return optional_line(element.get(XML_LANG))


def _formal_name(element: etree._Element | None) -> str:
    return one_line(element.get("FormalName")) if element is not None else ""
