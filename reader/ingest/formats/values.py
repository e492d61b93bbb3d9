"""Small value parsers shared by the readers: text clean-up, times, numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime

#: C0 controls (tab and newline aside), DEL and C1: framing bytes of wire feeds, never text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE_RE = re.compile(r"\s+")
#: `Sat, 20 Feb 2016 03:37:00 GMT` and the like, found in HTTP headers and RSS-era dumps.
_RFC2822_RE = re.compile(r"^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d(:\d\d)? ")


def strip_controls(text: str) -> str:
    """The text with control characters replaced by spaces (newlines and tabs kept)."""
    return _CONTROL_RE.sub(" ", text)


def one_line(text: str | None) -> str:
    """Whitespace collapsed to single spaces, controls removed, ends trimmed."""
    if not text:
        return ""
    joined = " ".join(text.split())  # str.split knows every Unicode space and line break
    if joined.isprintable():  # the common case: no control characters left to remove
        return joined
    return _SPACE_RE.sub(" ", strip_controls(joined)).strip()


def optional_line(text: str | None) -> str | None:
    """`one_line`, or None for nothing but whitespace."""
    return one_line(text) or None


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time (extended or basic: `20160220T033700Z`) or an RFC 2822 one, as aware UTC.

    A time without a zone is taken as UTC; anything unreadable gives None.
    """
    text = one_line(value)
    if not text:
        return None
    moment = _iso(text) or _rfc2822(text)
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d\d-\d\d \d", text) else text
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _rfc2822(text: str) -> datetime | None:
    if not _RFC2822_RE.match(text):
        return None
    from email.utils import parsedate_to_datetime  # only needed for this rare form

    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None


def parse_int(value: str | int | None) -> int | None:
    """A non-negative whole number written as digits, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = one_line(value)
    return int(text) if text.isdigit() and len(text) < 10 else None
