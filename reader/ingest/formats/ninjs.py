"""IPTC ninjs 1.x and 2.x (JSON): one item, a list, a feed's `items`, or the AP Media API's `data`.

Text from `body_html` (paragraphs of the HTML), `body_text`, or 2.x `bodies`; headline from
`headline` or 2.x `headlines`; identity from `altids.itemid`, `guid` or `uri`, with `version`,
`versioncreated` and `firstcreated`. Items of another `type` (picture, video, …) are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from reader.ingest.decode import NotText, decode_article_bytes
from reader.ingest.formats.markup import Block, body_blocks, parse_html_fragment
from reader.ingest.formats.model import NewsItem, Problem, paragraphs_from_blocks, split_headline
from reader.ingest.formats.values import one_line, optional_line, parse_int, parse_time

FORMAT = "ninjs"
_IDENTITY_KEYS = ("uri", "guid", "altids")
_CONTENT_KEYS = ("headline", "headlines", "body_html", "body_text", "bodies")
_LINK_RELS = ("canonical", "self", "alternate")
_TEXT_TYPES = frozenset({"", "text"})


def read_ninjs(data: bytes) -> Iterator[NewsItem | Problem]:
    """Every text item of a ninjs document; other items and non-ninjs JSON as problems."""
    try:
        text = decode_article_bytes(data).text
    except NotText as error:
        yield Problem(f"not JSON text: {error}")
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        yield Problem(f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
        return
    except RecursionError:
        yield Problem("JSON nested too deeply to be a news document")
        return
    candidates = list(_candidates(document))
    if not candidates:
        yield Problem("JSON but not ninjs: no item with a uri or guid and a headline or body")
        return
    for record, candidate in enumerate(candidates):
        yield ninjs_item(candidate, record)


def looks_like_ninjs(value: object) -> bool:
    """An object with an identity (`uri`, `guid`, `altids`) and some content or a `type`."""
    return (
        isinstance(value, dict)
        and any(key in value for key in _IDENTITY_KEYS)
        and any(key in value for key in (*_CONTENT_KEYS, "type"))
    )


def _candidates(document: Any) -> Iterator[dict[str, Any]]:
    """The ninjs objects of a document, unwrapping feeds (`items`, `item`, `data`)."""
    if isinstance(document, list):
        for entry in document:
            yield from _candidates(entry)
        return
    if not isinstance(document, dict):
        return
    if looks_like_ninjs(document):
        yield document
        return
    for key in ("data", "item", "items"):
        if key in document:
            yield from _candidates(document[key])


def ninjs_item(
    value: dict[str, Any], record: int = 0, offset: int | None = None
) -> NewsItem | Problem:
    """One ninjs object as a NewsItem, or why it is not one."""
    raw_headline = _headline(value)
    label = f" {raw_headline!r}" if raw_headline else ""
    item_type = one_line(_string(value.get("type"))).lower()
    if item_type not in _TEXT_TYPES:
        return Problem(f"a {item_type} item{label}: not text, skipped", record)
    blocks = _body(value)
    if not blocks:
        return Problem(f"text item{label}: no body_html, body_text or bodies, skipped", record)
    headline, markers = split_headline(raw_headline)
    notes = []
    status = one_line(_string(value.get("pubstatus"))).lower()
    if status and status != "usable":
        notes.append(f"pubstatus {status}")
    if ednote := optional_line(_string(value.get("ednote"))):
        notes.append(f"editor's note: {ednote}")
    return NewsItem(
        format=FORMAT,
        headline=headline,
        paragraphs=paragraphs_from_blocks(headline, blocks),
        subheadline=_headline(value, sub=True) or None,
        byline=_byline(value),
        dateline=optional_line(_string(value.get("located"))),
        provider=_provider(value),
        story_id=_story_id(value),
        version=parse_int(_scalar(value.get("version"))),
        version_time=parse_time(_string(value.get("versioncreated"))),
        first_created=parse_time(_string(value.get("firstcreated"))),
        slugline=optional_line(_string(value.get("slugline"))),
        version_markers=tuple(markers),
        url=_url(value),
        language=optional_line(_string(value.get("language"))),
        record=record,
        offset=offset,
        notes=tuple(notes),
    )


def _headline(value: dict[str, Any], *, sub: bool = False) -> str:
    if not sub and isinstance(value.get("headline"), str):
        return one_line(value["headline"])
    for entry in value.get("headlines") or ():
        if isinstance(entry, dict):
            role = _string(entry.get("role")).lower()
            if ("sub" in role) == sub:
                return one_line(_string(entry.get("value")))
    return ""


def _body(value: dict[str, Any]) -> list[Block]:
    html = value.get("body_html")
    if isinstance(html, str) and html.strip():
        return _html_blocks(html)
    text = value.get("body_text")
    if isinstance(text, str) and text.strip():
        return _text_blocks(text)
    for body in value.get("bodies") or ():
        if isinstance(body, dict) and isinstance(body.get("value"), str):
            kind = _string(body.get("contenttype")).lower()
            blocks = _html_blocks(body["value"]) if "html" in kind else _text_blocks(body["value"])
            if blocks:
                return blocks
    return []


def _html_blocks(html: str) -> list[Block]:
    body = parse_html_fragment(html)
    return body_blocks(body) if body is not None else []


def _text_blocks(text: str) -> list[Block]:
    """Paragraphs of plain text: blank-line separated, else one per line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = text.split("\n\n") if "\n\n" in text else text.split("\n")
    return [(line, None) for line in (one_line(part) for part in parts) if line]


def _byline(value: dict[str, Any]) -> str | None:
    if isinstance(value.get("byline"), str):
        return optional_line(value["byline"])
    names = []
    for entry in value.get("bylines") or ():
        if isinstance(entry, dict):
            names.append(_string(entry.get("byline")) or _string(entry.get("name")))
    return optional_line(" and ".join(name for name in names if name))


def _provider(value: dict[str, Any]) -> str | None:
    for key in ("provider", "copyrightholder", "infosource"):
        found = value.get(key)
        if isinstance(found, list) and found:
            found = found[0]
        if isinstance(found, dict):
            found = found.get("name") or found.get("literal")
        if isinstance(found, str) and found.strip():
            return one_line(found)
    return None


def _story_id(value: dict[str, Any]) -> str | None:
    altids = value.get("altids")
    if isinstance(altids, dict) and isinstance(altids.get("itemid"), str):
        return optional_line(altids["itemid"])
    return optional_line(_string(value.get("guid"))) or optional_line(_string(value.get("uri")))


def _url(value: dict[str, Any]) -> str | None:
    for link in value.get("links") or ():
        if isinstance(link, dict) and _string(link.get("rel")) in _LINK_RELS:
            return optional_line(_string(link.get("href")))
    return None


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def _scalar(value: object) -> str | int | None:
    return value if isinstance(value, (str, int)) else None
