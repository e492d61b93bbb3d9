"""NITF 3.x: `head/docdata` for identity and version, `body.head` and `body.content` for text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

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
from reader.ingest.formats.slugs import parse_slug
from reader.ingest.formats.values import optional_line, parse_int, parse_time

FORMAT = "nitf"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True, slots=True)
class NitfText:
    """The words of a NITF document: headline, sub-headline, byline, dateline and body blocks."""

    headline: str
    subheadline: str | None
    byline: str | None
    dateline: str | None
    blocks: list[Block]


def nitf_text(nitf: etree._Element) -> NitfText:
    """The text parts of a `nitf` element (also used for NITF inside NewsML)."""
    body = child(nitf, "body")
    head = child(body, "body.head")
    hedline = child(head, "hedline")
    headline = text_of(child(hedline, "hl1")) or text_of(child(nitf, "head", "title"))
    blocks: list[Block] = []
    content = child(body, "body.content")
    if content is not None:
        blocks.extend(body_blocks(content))
    end = child(body, "body.end")
    if end is not None:
        blocks.extend(body_blocks(end))
    return NitfText(
        headline=headline,
        subheadline=optional_line(text_of(child(hedline, "hl2"))),
        byline=optional_line(" ".join(text_of(b) for b in children(head, "byline")))
        if head is not None
        else None,
        dateline=optional_line(text_of(child(head, "dateline"))),
        blocks=blocks,
    )


def read_nitf(data: bytes) -> Iterator[NewsItem | Problem]:
    """The one story of a NITF file (read as far as it goes when the XML is broken)."""
    root, broken = load_xml(data)
    if broken:
        yield Problem(broken + ("; read as far as it goes" if root is not None else ""))
    if root is None:
        return
    nitf = root if local_name(root) == "nitf" else descendant(root, "nitf")
    if nitf is None:
        yield Problem(f"no <nitf> element (the root is <{local_name(root)}>)")
        return
    item = nitf_item(nitf, notes=("recovered from broken XML",) if broken else ())
    yield item if item.paragraphs else Problem("the NITF document has no body text")


def nitf_item(nitf: etree._Element, notes: tuple[str, ...] = ()) -> NewsItem:
    """One NewsItem from a `nitf` element: its text and its `docdata`."""
    text = nitf_text(nitf)
    docdata = child(nitf, "head", "docdata")
    headline, markers = split_headline(text.headline)
    du_key = child(docdata, "du-key")
    doc_id = child(docdata, "doc-id")
    slug = parse_slug(du_key.get("key", "")) if du_key is not None else None
    if slug is not None:
        markers = [*slug.markers, *markers]
    version = parse_int(du_key.get("version")) if du_key is not None else None
    issue = child(docdata, "date.issue")
    release = child(docdata, "date.release")
    version_time = parse_time(issue.get("norm") if issue is not None else None) or parse_time(
        release.get("norm") if release is not None else None
    )
    story_id = (
        _slug_story_id(slug.keyword, slug.date, version_time)
        if slug is not None
        else optional_line(doc_id.get("id-string") if doc_id is not None else None)
    )
    messages = children(docdata, "ed-msg") if docdata is not None else iter(())
    ed_notes = [f"editor's note: {m.get('info')}" for m in messages if m.get("info", "").strip()]
    return NewsItem(
        format=FORMAT,
        headline=headline,
        paragraphs=paragraphs_from_blocks(headline, text.blocks),
        subheadline=text.subheadline,
        byline=text.byline,
        dateline=text.dateline,
        provider=_provider(nitf, docdata, doc_id),
        story_id=story_id,
        version=version,
        version_time=version_time,
        slugline=optional_line(du_key.get("key")) if du_key is not None else None,
        version_markers=tuple(markers),
        language=optional_line(nitf.get(XML_LANG) or _body_lang(nitf)),
        notes=(*notes, *ed_notes),
    )


def _slug_story_id(keyword: str, date: str | None, moment: datetime | None) -> str:
    """An ANPA-style du-key with its day: AP re-uses keywords such as `BC-Wall-Street` daily."""
    day = date or (f"{moment:%m-%d}" if moment else None)
    return f"{keyword} {day}" if day else keyword


def _provider(
    nitf: etree._Element, docdata: etree._Element | None, doc_id: etree._Element | None
) -> str | None:
    if doc_id is not None and doc_id.get("regsrc"):
        return optional_line(doc_id.get("regsrc"))
    distributor = text_of(child(nitf, "body", "body.head", "distributor"))
    if distributor:
        return distributor
    copyright_element = child(docdata, "doc.copyright")
    return optional_line(copyright_element.get("holder")) if copyright_element is not None else None


def _body_lang(nitf: etree._Element) -> str | None:
    content = child(nitf, "body", "body.content")
    return content.get(XML_LANG) if content is not None else None
