"""Which format a file is in: its first bytes decide, its name only where they cannot.

Agency files often have no extension or `.tst`, and XML is found renamed `.txt`, so the
content is looked at first. The answer is a format name, `text` (plain text, the existing
reader), or `not an article` with the reason.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

#: How much of a file the sniffer looks at.
SNIFF_BYTES = 64 * 1024

TEXT = "text"
NOT_AN_ARTICLE = "not an article"

_BINARY_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x00\x00\x00": "binary data",
}
_XML_ROOTS = {
    "nitf": "nitf",
    "newsitem": "newsml-g2",
    "newsmessage": "newsml-g2",
    "packageitem": "newsml-g2",
    "knowledgeitem": "newsml-g2",
    "conceptitem": "newsml-g2",
    "newsml": "newsml1",
    "html": "html",
}
_NEWSML1_ROOTS = frozenset({"NewsML", "NewsItem"})
_EXTENSIONS = {
    ".xml": "xml",
    ".nitf": "nitf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "ninjs",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".warc": "warc",
    ".arc": "warc",
    ".txt": TEXT,
    ".md": TEXT,
}
_ROOT_RE = re.compile(rb"<(?![?!/])([A-Za-z_][\w.:-]*)")
_ANPA_LINE_RE = re.compile(rb"(?m)^\^[^\n]{1,200}<\s*$")
_ANPA_TRAILER_RE = re.compile(rb"(?m)^[A-Z]{2,4}-[A-Z]{2}-\d\d-\d\d-\d\d \d{4}(?:GMT|[ECMP][SD]T)")
_SLUG_LINE_RE = re.compile(rb"(?m)^(?:[a-z]\d{4}\b.{0,20})?\b(?:BC|AM|PM)-[A-Za-z]")
#: An object opening with a key (or empty), or an array of values: not `[UPDATE] …` prose.
_JSON_START_RE = re.compile(rb'^(?:\{\s*["}]|\[\s*[\[{"\]\d-])')
_CSV_HEADER_NAMES = frozenset(
    {"title", "headline", "text", "body", "content", "article", "url", "date", "published"}
)


@dataclass(frozen=True, slots=True)
class Sniffed:
    """The format found, and why a file is not an article when it is not."""

    format: str
    reason: str | None = None


def sniff_format(head: bytes, name: str) -> Sniffed:
    """The format of a file from its first bytes (up to SNIFF_BYTES) and, second, its name."""
    lowered = name.lower()
    extension = _extension(lowered)
    if not head.strip():
        return Sniffed(NOT_AN_ARTICLE, "empty file")
    if head.startswith(b"\x1f\x8b"):
        return _sniff_gzip(head, extension)
    if head.startswith((b"WARC/", b"filedesc://")):
        return Sniffed("warc")
    for signature, what in _BINARY_SIGNATURES.items():
        if head.startswith(signature):
            return Sniffed(NOT_AN_ARTICLE, f"binary file ({what})")
    text = _strip_bom(head).lstrip()
    if text.startswith(b"<"):
        return _sniff_markup(text, extension)
    if _JSON_START_RE.match(text):
        return _sniff_json(text, extension)
    if _looks_anpa(head):
        return Sniffed("anpa")
    if b"\x00" in head:
        return Sniffed(NOT_AN_ARTICLE, "binary file")
    if extension == "csv" or _looks_csv(text):
        return Sniffed("csv")
    if extension in ("warc", "html", "ninjs", "jsonl", "nitf", "xml"):
        return Sniffed(NOT_AN_ARTICLE, f"named {lowered.rsplit('.', 1)[-1]} but not in that format")
    return Sniffed(TEXT)


def _extension(name: str) -> str | None:
    for compressed in (".warc.gz", ".arc.gz"):
        if name.endswith(compressed):
            return "warc"
    dot = name.rfind(".")
    return _EXTENSIONS.get(name[dot:]) if dot > 0 else None


def _strip_bom(head: bytes) -> bytes:
    return head[3:] if head.startswith(b"\xef\xbb\xbf") else head


def _sniff_gzip(head: bytes, extension: str | None) -> Sniffed:
    try:
        inflated = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 4096)
    except zlib.error:
        return Sniffed(NOT_AN_ARTICLE, "a damaged gzip file")
    if inflated.startswith((b"WARC/", b"filedesc://")) or extension == "warc":
        return Sniffed("warc")
    return Sniffed(NOT_AN_ARTICLE, "a gzip file that is not a web archive")


def _sniff_markup(text: bytes, extension: str | None) -> Sniffed:
    if re.match(rb"(?i)<!doctype\s+html", text):
        return Sniffed("html")
    match = _ROOT_RE.search(text)
    if match is None:
        return Sniffed(NOT_AN_ARTICLE, "markup without an element")
    tag = match.group(1).decode("ascii", "replace")
    local = tag.rsplit(":", 1)[-1]
    if local in _NEWSML1_ROOTS:
        return Sniffed("newsml1")
    found = _XML_ROOTS.get(local.lower())
    if found is not None:
        return Sniffed(found)
    if local.lower() in ("rss", "feed", "rdf"):
        return Sniffed(NOT_AN_ARTICLE, f"a news feed (<{tag}>), not an article format read here")
    if extension == "html" or local.lower() in ("head", "body", "div", "p", "article"):
        return Sniffed("html")
    return Sniffed(NOT_AN_ARTICLE, f"XML with root <{tag}>, not a news format")


def _sniff_json(text: bytes, extension: str | None) -> Sniffed:
    if extension == "jsonl":
        return Sniffed("jsonl")
    first, _, rest = text.partition(b"\n")
    if first.rstrip().endswith(b"}") and rest.lstrip().startswith(b"{"):
        return Sniffed("jsonl")  # one complete object per line
    return Sniffed("ninjs")


def _looks_anpa(head: bytes) -> bool:
    if head.lstrip(b"\r\n").startswith((b"\x01", b"\x16\x16\x01")) and b"\x02" in head:
        return True
    start = head[:8192]
    hits = len(_ANPA_LINE_RE.findall(start)) if b"^" in start else 0  # each line opens with ^
    return (
        hits >= 2
        or (hits >= 1 and bool(_SLUG_LINE_RE.search(head[:2048])))
        or bool(_ANPA_TRAILER_RE.search(head))
    )


def _looks_csv(text: bytes) -> bool:
    first = text.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower()
    for delimiter in (",", "\t", ";", "|"):
        names = {part.strip().strip('"') for part in first.split(delimiter)}
        if len(names) >= 2 and len(names & _CSV_HEADER_NAMES) >= 2:
            return True
    return False
