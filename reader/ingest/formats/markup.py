"""Safe XML and HTML parsing with lxml, and the paragraphs of an XHTML or NITF body.

Every parser here is built so that nothing is fetched and nothing expands: no DTD is loaded,
external and internal entities are not resolved (billion laughs), the network is off, and
lxml's tree-size limits stay on (`huge_tree=False`).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from reader.ingest.article import ParagraphKind
from reader.ingest.formats.values import one_line

Block = tuple[str, ParagraphKind | None]

#: Elements whose words are not the story's text: pictures, captions, notes, scripts, asides.
_SKIPPED = frozenset(
    {
        "media",
        "media-reference",
        "media-caption",
        "media-producer",
        "figure",
        "figcaption",
        "img",
        "picture",
        "video",
        "audio",
        "iframe",
        "object",
        "embed",
        "script",
        "style",
        "noscript",
        "nav",
        "aside",
        "form",
        "button",
        "ed-msg",
        "note",
        "head",
        "title",
        "meta",
        "link",
        "template",
        "svg",
    }
)
_HEADINGS = frozenset({"hl1", "hl2", "h1", "h2", "h3", "h4", "h5", "h6"})
_PARAGRAPHS = frozenset({"p", "li", "dd", "dt", "pre", "address", "tagline"})
_TABLES = frozenset({"table"})


def xml_parser(*, recover: bool = False) -> etree.XMLParser:
    """An lxml parser that never fetches, never expands entities, and keeps size limits."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


def html_parser() -> etree.HTMLParser:
    """lxml's forgiving HTML parser, with the network off and comments dropped."""
    return etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)


class BrokenXml(ValueError):
    """The bytes are not well-formed XML; the message says where."""


def parse_xml(data: bytes) -> etree._Element:
    """The root element of well-formed XML. Raises BrokenXml otherwise."""
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as error:
        raise BrokenXml(_describe(error)) from None
    if root is None:
        raise BrokenXml("no XML element")
    return root


def parse_xml_leniently(data: bytes) -> etree._Element | None:
    """What libxml2 can recover from broken XML (the part before the damage), or None."""
    try:
        return etree.fromstring(data, xml_parser(recover=True))
    except etree.XMLSyntaxError:
        return None


def load_xml(data: bytes) -> tuple[etree._Element | None, str | None]:
    """The root of the XML and, for broken XML, what is wrong (the root is then what recovers)."""
    try:
        return parse_xml(data), None
    except BrokenXml as error:
        return parse_xml_leniently(data), f"broken XML: {error}"


def parse_html_fragment(html: str) -> etree._Element | None:
    """The `<body>` of an HTML fragment (a ninjs `body_html`), or None when there is none."""
    if not html.strip():
        return None
    try:
        root = etree.fromstring(f"<html><body>{html}</body></html>", html_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    return root.find("body")


def _describe(error: etree.XMLSyntaxError) -> str:
    return one_line(str(error.msg or error))


def local_name(element: etree._Element) -> str:
    """The tag without its namespace, lower-cased for HTML's sake; '' for comments and such."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower() if "}" in tag else tag.lower()


def children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """Child elements with the local name `name` (any namespace; `name` lower-case)."""
    for child in element:
        if local_name(child) == name:
            yield child


def child(element: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element down the path of local names, or None."""
    current = element
    for name in path:
        if current is None:
            return None
        current = next(children(current, name), None)
    return current


def descendant(element: etree._Element, name: str) -> etree._Element | None:
    """The first descendant with the local name `name`, or None."""
    for found in element.iter():
        if local_name(found) == name and found is not element:
            return found
    return None


def text_of(element: etree._Element | None) -> str:
    """All the text inside the element, skipping captions and media, on one line."""
    if element is None:
        return ""
    return one_line("".join(_texts(element)))


def _texts(element: etree._Element) -> Iterator[str]:
    if element.text and isinstance(element.tag, str):
        yield element.text
    for item in element:
        if isinstance(item.tag, str) and local_name(item) not in _SKIPPED:
            yield from _texts(item)
            if local_name(item) == "br":
                yield " "
        if item.tail:
            yield item.tail


def body_blocks(element: etree._Element) -> list[Block]:
    """The paragraphs of an XHTML or NITF body, in order, with the kinds the markup gives.

    Headings become subheads and NITF taglines trailers; tables give one paragraph per row;
    lists one per item; pictures, captions, notes and scripts give nothing.
    """
    blocks: list[Block] = []
    _collect(element, blocks)
    return [(text, kind) for text, kind in blocks if text]


def _collect(element: etree._Element, blocks: list[Block]) -> None:
    loose = [element.text or ""]
    for item in element:
        name = local_name(item)
        if not name or name in _SKIPPED:
            loose.append(item.tail or "")
            continue
        if name in _HEADINGS or name in _PARAGRAPHS or name in _TABLES:
            _flush(loose, blocks)
            if name in _HEADINGS:
                blocks.append((text_of(item), ParagraphKind.SUBHEAD))
            elif name in _TABLES:
                # rows are data, never subheads or bylines, whatever they look like
                blocks.extend((row, ParagraphKind.BODY) for row in _table_rows(item))
            else:
                kind = ParagraphKind.TRAILER if name == "tagline" else None
                blocks.append((text_of(item), kind))
            loose = [item.tail or ""]
        elif name in ("br", "span", "a", "b", "i", "em", "strong", "q", "sup", "sub", "u"):
            loose.append(text_of(item) + " " + (item.tail or ""))
        else:  # a container: div, block, section, blockquote, ul, body.content …
            _flush(loose, blocks)
            _collect(item, blocks)
            loose = [item.tail or ""]
    _flush(loose, blocks)


def _flush(loose: list[str], blocks: list[Block]) -> None:
    text = one_line(" ".join(loose))
    if text:
        blocks.append((text, None))
    loose.clear()


def _table_rows(table: etree._Element) -> Iterator[str]:
    for row in table.iter():
        if local_name(row) == "tr":
            cells = [text_of(cell) for cell in row if local_name(cell) in ("td", "th")]
            line = " | ".join(cell for cell in cells if cell)
            if line:
                yield line
