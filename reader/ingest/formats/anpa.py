"""ANPA-1312 and IPTC 7901 text feeds (AP, dpa and others), framed or saved without framing.

A message runs SOH, a selector/slug line, STX, the text, ETX, a time stamp, EOT; a file may
hold many. In the text, header lines sit between `^` and `<` (keyword line, headline, `Eds:`
notes, photo notes), bylines end in `=`, and the body is tab- or space-indented, hard-wrapped,
with `_` for a dash and ``` `` ```/`''` for quotes. Trailers such as `AP-WF-02-20-16 0337GMT`,
`END` marks and dpa's notebook ("not for publication") are kept out of the body, as notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from reader.ingest.article import ParagraphKind, parse_dateline
from reader.ingest.decode import NotText, decode_article_bytes
from reader.ingest.formats.model import NewsItem, Problem, paragraphs_from_blocks, split_headline
from reader.ingest.formats.slugs import Slug, parse_slug
from reader.ingest.formats.values import one_line

FORMAT = "anpa"
SOH, STX, ETX, EOT = "\x01", "\x02", "\x03", "\x04"

_TRAILER_RE = re.compile(
    r"^(?P<agency>[A-Z]{2,4})-(?P<desk>[A-Z]{2})-(?P<month>\d\d)-(?P<day>\d\d)-(?P<year>\d\d)"
    r"\s+(?P<hour>\d\d)(?P<minute>\d\d)\s*(?P<zone>GMT|UTC|[ECMP][SD]T)\b"
)
#: dpa's 7901 time stamp after ETX: day, hour, minute, month, year (`201634 Feb 26`).
_STAMP_RE = re.compile(
    r"^(?P<day>\d\d)(?P<hour>\d\d)(?P<minute>\d\d) (?P<month>[A-Z][a-z]{2}) (?P<year>\d\d)\b"
)
_ZONES = {"GMT": 0, "UTC": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
          "PST": -8, "PDT": -7}  # fmt: skip
_MONTHS = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "May": 5,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
_END_RE = re.compile(r"^(?:\^?END<?|\(END\)|-0-|x{3,}|\(?MORE\)?|=|#{3,}|_{3,}|-{3,})$", re.I)
_NOTEBOOK_RE = re.compile(r"^(?:dpa[- ])?Notizblock\b|^\*{3}\s*Notizblock|^Notebook\b", re.I)
_AGENCY_SIGN_RE = re.compile(r"^(?:dpa|apa|sda|ap)(?:-afx)?(?: [a-z0-9]{2,4}){1,6}$", re.I)
_NOTE_HEADER_RE = re.compile(
    r"^(?:Eds?[.:]|Editors?:|EDITOR'?S NOTE|(?:With )?AP (?:Photos?|Video|Graphics?)\b|"
    r"Photos?:|Graphics?:|Adv(?:ance)? for\b|Embargo|Sperrfrist|Achtung\b|Redaktionshinweis)",
    re.I,
)
_SELECTOR_RE = re.compile(r"^(?P<agency>[A-Za-z]{2,5})\s?\d{3,5}\b")
_BYLINE_START_RE = re.compile(r"^(?:By|Von|Par|Por|De|Di)\s", re.I)
_DPA_KEYWORD_RE = re.compile(r"^[\w.&-]+(?:/[\w.& -]+)+/?$")
_BACKTICK_RE = re.compile(r"`(?=\w)")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Lines at most this long are checked for trailers, end marks, sign-offs and the notebook.
_SHORT_LINE = 48
_SPACED_UNDERSCORE_RE = re.compile(r"(?<=\s)_(?=\s|$)")


@dataclass
class _Message:
    """One message as it is taken apart."""

    header: str
    text: str
    after: str
    record: int
    offset: int
    encoding_note: str | None = None
    #: Framed (SOH/STX) but cut off before its ETX: a transmission that broke off.
    unterminated: bool = False


def read_anpa(data: bytes) -> Iterator[NewsItem | Problem]:
    """Every story of an ANPA-1312 or IPTC 7901 file, in order."""
    found = False
    for message in _messages(data):
        if isinstance(message, Problem):
            yield message
            continue
        found = True
        if message.unterminated:
            yield Problem(
                f"message at byte {message.offset} ends without ETX: read as far as it goes",
                message.record,
            )
        yield _read_message(message)
    if not found:
        yield Problem("no ANPA/7901 message with text")


def _messages(data: bytes) -> Iterator[_Message | Problem]:
    """Messages split at SOH (or the whole file when it has no framing), each decoded alone."""
    data = data.replace(b"\x00", b"")  # NUL padding between transmissions
    starts = [match.start() for match in re.finditer(b"\x01", data)] or [0]
    if data[: starts[0]].strip():
        starts.insert(0, 0)
    for record, (start, end) in enumerate(zip(starts, [*starts[1:], len(data)], strict=True)):
        chunk = data[start:end]
        try:
            decoded = decode_article_bytes(chunk.replace(b"\x16", b""))
        except NotText as error:
            yield Problem(f"message at byte {start}: {error}", record)
            continue
        text = decoded.text.lstrip(SOH)
        header, _, rest = text.partition(STX) if STX in text else ("", "", text)
        body, _, after = rest.partition(ETX)
        if not body.strip():
            continue
        note = f"not valid UTF-8; decoded as {decoded.encoding}" if decoded.fallback else None
        unterminated = STX in text and ETX not in rest
        yield _Message(header, body, after.replace(EOT, " "), record, start, note, unterminated)


def _read_message(message: _Message) -> NewsItem | Problem:
    lines = [_strip_controls(line) for line in message.text.split("\n")]
    header_slug = parse_slug(one_line(message.header)) if message.header.strip() else None
    parsed = _parse_lines(lines)
    provider, version_time = _trailer([*parsed.trailers, one_line(message.after)])
    slug: Slug | None = header_slug or parsed.keyword_slug
    raw_headline = parsed.headline or ""
    headline, markers = split_headline(_typography(raw_headline))
    slug_markers = list(slug.markers) if slug else []
    blocks = [(_typography(text), kind) for text, kind in parsed.blocks]
    if not blocks:
        label = f" {headline!r}" if headline else ""
        return Problem(f"message{label} has no body text", message.record)
    if provider is None:
        provider = _selector_agency(message.header) or _dateline_agency(blocks[0][0])
    if parsed.keyword_slug and header_slug and not slug_markers:
        slug_markers = list(parsed.keyword_slug.markers)
    notes = [*([message.encoding_note] if message.encoding_note else []), *parsed.notes]
    dateline = parse_dateline(blocks[0][0])
    return NewsItem(
        format=FORMAT,
        headline=headline,
        paragraphs=paragraphs_from_blocks(headline, blocks),
        subheadline=_typography(parsed.subheadline) if parsed.subheadline else None,
        byline=", ".join(parsed.bylines) or None,
        dateline=dateline.text.strip(" —–-_") if dateline else None,
        provider=provider,
        story_id=_story_id(slug),
        version=slug.version if slug else None,
        version_time=version_time,
        slugline=one_line(message.header) if header_slug else parsed.keyword_line,
        version_markers=tuple(slug_markers + markers),
        record=message.record,
        offset=message.offset,
        notes=tuple(notes),
    )


@dataclass
class _Lines:
    headline: str | None = None
    subheadline: str | None = None
    keyword_slug: Slug | None = None
    keyword_line: str | None = None
    #: A dpa keyword line (`Konjunktur/Deutschland/`): a topic, shared by unrelated stories.
    dpa_keyword: str | None = None
    bylines: list[str] = field(default_factory=list)
    blocks: list[tuple[str, ParagraphKind | None]] = field(default_factory=list)
    trailers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _parse_lines(lines: list[str]) -> _Lines:
    found = _Lines()
    in_body = False
    current: list[str] = []
    for index, raw in enumerate(lines):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            _end_paragraph(current, found)
            continue
        if len(stripped) <= _SHORT_LINE:  # trailers, end marks and sign-offs are all short
            if _TRAILER_RE.match(stripped.lstrip("^")):
                found.trailers.append(stripped.lstrip("^").rstrip("<"))
                continue
            if _NOTEBOOK_RE.match(stripped):
                _end_paragraph(current, found)
                rest = " ".join(one_line(x) for x in lines[index:] if x.strip())
                found.notes.append(f"not for publication: {rest}")
                break
            if _END_RE.match(stripped):
                _end_paragraph(current, found)
                continue
            if _AGENCY_SIGN_RE.match(stripped):
                _end_paragraph(current, found)
                found.notes.append(f"agency sign-off: {stripped}")
                continue
        indented = line[:1] == "\t" or line.startswith("  ")
        if not in_body and not indented and _header_line(stripped, found):
            continue
        if stripped.startswith("^") and stripped.endswith("<"):  # a subhead inside the body
            _end_paragraph(current, found)
            found.blocks.append((one_line(stripped[1:-1]), ParagraphKind.SUBHEAD))
            continue
        in_body = True
        if indented:
            _end_paragraph(current, found)
        current.append(stripped)
    _end_paragraph(current, found)
    return found


def _header_line(line: str, found: _Lines) -> bool:
    """Take a line before the body as a header line; False when it is body text."""
    caret = line.startswith("^")
    text = line[1:] if caret else line
    is_byline = text.endswith("=")
    if not caret and not is_byline and not (found.headline is None and _looks_like_header(text)):
        return False
    text = one_line(text.rstrip("<=").rstrip())
    if not text:
        return True
    if found.keyword_slug is None and found.headline is None and (slug := parse_slug(text)):
        found.keyword_slug, found.keyword_line = slug, text
    elif _NOTE_HEADER_RE.match(text):
        found.notes.append(text)
    elif is_byline and (_BYLINE_START_RE.match(text) or found.bylines):
        found.bylines.append(text)
    elif found.headline is None and found.dpa_keyword is None and _DPA_KEYWORD_RE.match(text):
        found.dpa_keyword = found.keyword_line = text
    elif found.headline is None:
        found.headline = text
    else:
        found.subheadline = f"{found.subheadline} {text}" if found.subheadline else text
    return True


def _story_id(slug: Slug | None) -> str | None:
    """The slug keyword with the slug's date: AP re-uses keywords (`BC-Wall-Street`) every day.

    A dpa keyword line names a topic, not a story, so 7901 files without a slug get no id and
    are grouped by their words.
    """
    if slug is None:
        return None
    return f"{slug.keyword} {slug.date}" if slug.date else slug.keyword


def _looks_like_header(text: str) -> bool:
    """An unmarked line before the body that reads as a keyword or headline, not a paragraph."""
    return bool(_DPA_KEYWORD_RE.match(text)) or (
        len(text) <= 100 and not text.endswith((".", ",")) and parse_dateline(text) is None
    )


def _end_paragraph(current: list[str], found: _Lines) -> None:
    if current:
        found.blocks.append((one_line(" ".join(current)), None))
        current.clear()


def _trailer(lines: list[str]) -> tuple[str | None, datetime | None]:
    """Provider and time from `AP-WF-02-20-16 0337GMT`, or dpa's `201634 Feb 26` stamp."""
    for line in lines:
        if match := _TRAILER_RE.match(line):
            moment = _moment(
                2000 + int(match["year"]), int(match["month"]), int(match["day"]),
                int(match["hour"]), int(match["minute"]), _ZONES[match["zone"]],
            )  # fmt: skip
            return match["agency"], moment
        if (match := _STAMP_RE.match(line)) and match["month"] in _MONTHS:
            moment = _moment(
                2000 + int(match["year"]), _MONTHS[match["month"]], int(match["day"]),
                int(match["hour"]), int(match["minute"]), 0,
            )  # fmt: skip
            return None, moment
    return None, None


def _moment(year: int, month: int, day: int, hour: int, minute: int, zone: int) -> datetime | None:
    try:
        local = datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None
    return local - timedelta(hours=zone)


def _selector_agency(header: str) -> str | None:
    match = _SELECTOR_RE.match(one_line(header))
    return match["agency"] if match else None


def _dateline_agency(lede: str) -> str | None:
    dateline = parse_dateline(lede)
    return dateline.agency if dateline else None


def _typography(text: str) -> str:
    """The 7-bit wire's stand-ins made typographic: a spaced `_` is a dash, ``` `` ``/`''` quotes.

    Only the stand-ins are replaced: an underscore inside a word stays, and so does a lone `'`.
    """
    text = _SPACED_UNDERSCORE_RE.sub("—", text)
    text = text.replace("``", "“").replace("''", "”")
    return _BACKTICK_RE.sub("‘", text)


def _strip_controls(line: str) -> str:
    """Control characters (SYN, DC2, ESC sequences' lead bytes …) out; tabs kept for indents."""
    return _CONTROL_RE.sub("", line)
