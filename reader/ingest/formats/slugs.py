"""ANPA-style slugs: `BC-BKN--Heat-Hawks 1stLd-Writethru 02-20 0500` into keyword and markers.

The keyword names the story; the markers after it say which version this is (`1stLd-Writethru`
is the first new lead, so the second version), and a date and word count close the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER_RE = re.compile(
    r"(?<![\w-])(?:(?P<lead>\d{1,2})(?:st|nd|rd|th)[ -]?Ld(?:[ -]Writethru)?"
    r"|Writethru|Adv[ -]?\d{0,2}|Advance|Corrective|Correction|Urgent|Bulletin|Flash|Sub|"
    r"Insert|Add|Kill|Elimination|Update)(?![\w])",
    re.IGNORECASE,
)
_TAIL_RE = re.compile(r"(?:[\s,]+(?P<date>\d\d-\d\d))?(?:[\s,]+(?P<words>\d{2,5}))?[\s,<]*$")
#: The AM/PM/BC cycle in front of an AP keyword: the same story moves from one cycle to the next.
_CYCLE_RE = re.compile(r"^(?:BC|AM|PM)-", re.IGNORECASE)
_KEYWORD_RE = re.compile(r"^[A-Za-z]{2}-[\w-]+")


@dataclass(frozen=True, slots=True)
class Slug:
    """What a slug line says."""

    #: The story's keyword as written: `BC-BKN--Heat-Hawks`.
    keyword: str
    #: Version markers in order: `1stLd-Writethru`, `Adv19`, `Corrective`.
    markers: tuple[str, ...]
    #: 1 for a first take, n + 1 for an `nthLd`; None when the markers do not say.
    version: int | None
    #: The `MM-DD` the slug carries, if any.
    date: str | None = None
    words: int | None = None


def parse_slug(line: str) -> Slug | None:
    """The slug in a slug or keyword line, or None when the line holds no keyword."""
    text = line.strip().strip("^<").strip()
    tokens = text.split()
    start = next((i for i, token in enumerate(tokens) if _KEYWORD_RE.match(token)), None)
    if start is None:
        return None
    text = " ".join(tokens[start:])
    keyword_match = re.match(r"[^\s,]+", text)
    if keyword_match is None:
        return None
    keyword = keyword_match.group(0)
    rest = text[keyword_match.end() :]
    tail = _TAIL_RE.search(rest)
    date = words = None
    if tail is not None:
        date = tail.group("date")
        words = int(tail.group("words")) if tail.group("words") else None
        rest = rest[: tail.start()]
    markers: list[str] = []
    version: int | None = None
    for match in _MARKER_RE.finditer(rest):
        markers.append(match.group(0))
        if match.group("lead"):
            version = int(match.group("lead")) + 1
    if version is None and not markers:
        version = 1
    return Slug(keyword=keyword, markers=tuple(markers), version=version, date=date, words=words)


def story_keyword(keyword: str) -> str:
    """The keyword as a story key: cycle prefix and trailing markers gone, case folded."""
    text = _CYCLE_RE.sub("", keyword.strip())
    text = _MARKER_RE.sub("", text)
    return re.sub(r"[\s,]+", " ", text).strip(" -,").casefold()
