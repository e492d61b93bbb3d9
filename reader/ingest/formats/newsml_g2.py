"""IPTC NewsML-G2: `newsItem`, alone or in `newsMessage/itemSet`; text items with inline content.

Identity: `guid` and `version` (Reuters repeats the version in the guid's tail, which is
dropped from the story id). `itemMeta` gives versionCreated, firstCreated, pubStatus, signals;
`contentMeta` headline, slugline, by, dateline, language; `contentSet/inlineXML` the text as
XHTML or NITF (or `inlineData` as plain text). Pictures, graphics, video, audio, packages and
concepts are skipped with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from reader.ingest.formats.markup import (
    Block,
    body_blocks,
    child,
    children,
    load_xml,
    local_name,
    text_of,
)
from reader.ingest.formats.model import NewsItem, Problem, paragraphs_from_blocks, split_headline
from reader.ingest.formats.nitf import nitf_text
from reader.ingest.formats.values import one_line, optional_line, parse_int, parse_time

FORMAT = "newsml-g2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TEXT_CLASSES = frozenset({"", "text"})
_ITEMS = frozenset({"newsitem", "packageitem", "knowledgeitem", "conceptitem", "planningitem"})


def read_newsml_g2(data: bytes) -> Iterator[NewsItem | Problem]:
    """Every text item of a newsItem or newsMessage document; the rest as problems."""
    root, broken = load_xml(data)
    if broken:
        yield Problem(broken + ("; read as far as it goes" if root is not None else ""))
    if root is None:
        return
    notes = ("recovered from broken XML",) if broken else ()
    name = local_name(root)
    if name == "newsmessage":
        elements = [el for s in children(root, "itemset") for el in s if local_name(el) in _ITEMS]
        if not elements:
            yield Problem("a newsMessage without items")
    else:
        elements = [root]
    for record, element in enumerate(elements):
        yield _read_item(element, record, notes)


def _read_item(element: etree._Element, record: int, notes: tuple[str, ...]) -> NewsItem | Problem:
    kind = local_name(element)
    content_meta = child(element, "contentmeta")
    headline_text = _headline(content_meta) or text_of(child(element, "itemmeta", "title"))
    label = f" {headline_text!r}" if headline_text else ""
    if kind != "newsitem":
        tag = etree.QName(element).localname
        return Problem(f"a NewsML-G2 {tag}{label}: not a news item with text, skipped", record)
    item_meta = child(element, "itemmeta")
    item_class = _code_tail(_attribute(child(item_meta, "itemclass"), "qcode", "uri"))
    if item_class not in _TEXT_CLASSES:
        return Problem(f"a {item_class} item{label}: not text, skipped", record)
    blocks, inline_headline, reason = _content(child(element, "contentset"))
    if not blocks:
        return Problem(f"text item{label}: {reason}, skipped", record)
    headline, markers = split_headline(headline_text or inline_headline)
    version = parse_int(element.get("version"))
    guid = optional_line(element.get("guid"))
    signals = [code for s in _all(item_meta, "signal") if (code := optional_line(s.get("qcode")))]
    status = _code_tail(_attribute(child(item_meta, "pubstatus"), "qcode", "uri"))
    extra_notes = [f"pubStatus {status}"] if status and status != "usable" else []
    extra_notes += [f"editor's note: {text_of(n)}" for n in _all(item_meta, "ednote")]
    return NewsItem(
        format=FORMAT,
        headline=headline,
        paragraphs=paragraphs_from_blocks(headline, blocks),
        subheadline=_headline(content_meta, sub=True),
        byline=_byline(content_meta),
        dateline=optional_line(text_of(child(content_meta, "dateline")))
        or optional_line(text_of(child(content_meta, "located", "name"))),
        provider=_provider(item_meta),
        story_id=_story_id(guid, version),
        version=version,
        version_time=parse_time(text_of(child(item_meta, "versioncreated"))),
        first_created=parse_time(text_of(child(item_meta, "firstcreated"))),
        slugline=optional_line(text_of(child(content_meta, "slugline"))),
        version_markers=tuple(markers + signals),
        language=_language(element, content_meta),
        record=record,
        notes=(*notes, *extra_notes),
    )


def _content(content_set: etree._Element | None) -> tuple[list[Block], str, str]:
    """Body blocks of the first inline rendition with text, its own headline, and why not."""
    if content_set is None:
        return [], "", "no contentSet"
    remote = None
    for rendition in content_set:
        name = local_name(rendition)
        if name == "inlinexml":
            blocks, headline = _inline_xml_blocks(rendition)
            if blocks:
                return blocks, headline, ""
        elif name == "inlinedata":
            lines = [one_line(line) for line in (rendition.text or "").split("\n\n")]
            blocks = [(line, None) for line in lines if line]
            if blocks:
                return blocks, "", ""
        elif name == "remotecontent":
            remote = rendition.get("href") or rendition.get("residref") or "elsewhere"
    if remote is not None:
        return [], "", f"content is not inline (remoteContent {remote})"
    return [], "", "no inline text content"


def _inline_xml_blocks(inline: etree._Element) -> tuple[list[Block], str]:
    """Blocks of inline XHTML (whole or a fragment) or NITF, and the NITF's own headline."""
    nitf = child(inline, "nitf")
    if nitf is not None:
        text = nitf_text(nitf)
        return text.blocks, text.headline
    return body_blocks(inline), ""


def _headline(content_meta: etree._Element | None, *, sub: bool = False) -> str | None:
    if content_meta is None:
        return None
    for headline in children(content_meta, "headline"):
        role = (headline.get("role") or "").lower()
        if ("sub" in role) == sub:
            return optional_line(text_of(headline))
    return None


def _byline(content_meta: etree._Element | None) -> str | None:
    if content_meta is None:
        return None
    names = [text_of(by) for by in children(content_meta, "by")]
    return optional_line(" ".join(name for name in names if name))


def _provider(item_meta: etree._Element | None) -> str | None:
    provider = child(item_meta, "provider")
    if provider is None:
        return None
    name = text_of(child(provider, "name"))
    qcode = provider.get("qcode", "")
    return optional_line(provider.get("literal") or name or qcode.rsplit(":", 1)[-1])


def _story_id(guid: str | None, version: int | None) -> str | None:
    """The guid without a trailing `:<version>`, which Reuters adds to each version's guid."""
    if guid and version is not None and guid.endswith(f":{version}"):
        return guid[: -len(f":{version}")]
    return guid


def _language(element: etree._Element, content_meta: etree._Element | None) -> str | None:
    language = child(content_meta, "language")
    if language is not None and language.get("tag"):
        return optional_line(language.get("tag"))
    return optional_line(element.get(XML_LANG))


def _attribute(element: etree._Element | None, *names: str) -> str:
    if element is None:
        return ""
    return next((element.get(n, "") for n in names if element.get(n)), "")


def _code_tail(code: str) -> str:
    """`ninat:text` and `http://cv.iptc.org/newscodes/ninature/text` both give `text`."""
    return code.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].strip().lower()


def _all(element: etree._Element | None, name: str) -> list[etree._Element]:
    return list(children(element, name)) if element is not None else []
