"""The facts of a text that tell one issue of a recurring report from the next: its
figures and its dates and periods (`February`, `through Feb 25`, `fourth quarter`).

Two issues of a monthly report share nearly every word; what differs is the period and
the figures of the lead. Versions of one story agree on both (a correction changes one
figure, not the period and several figures at once).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_MONTHS = {
    "jan": "jan", "january": "jan", "feb": "feb", "february": "feb", "mar": "mar",
    "march": "mar", "apr": "apr", "april": "apr", "may": "may", "jun": "jun", "june": "jun",
    "jul": "jul", "july": "jul", "aug": "aug", "august": "aug", "sep": "sep", "sept": "sep",
    "september": "sep", "oct": "oct", "october": "oct", "nov": "nov", "november": "nov",
    "dec": "dec", "december": "dec",
}  # fmt: skip
#: Month names and their abbreviations, lower case.
MONTH_NAMES = frozenset(_MONTHS)
_QUARTERS = {"first": "q1", "second": "q2", "third": "q3", "fourth": "q4"}
# Each pattern opens with a look at the first letter, which lets the regex engine skip
# most positions at once (without it, these three took a third of signing an article).
#: A month name with its capital (`May`, `MAY`; not the verb `may`), and a day after it.
_MONTH_RE = re.compile(
    r"(?=[JFMASOND])\b("
    + "|".join(
        f"{name[0].upper()}(?i:{name[1:]})" for name in sorted(_MONTHS, key=len, reverse=True)
    )
    + r")\b\.?(?:\s+(\d{1,2})\b)?"
)
_QUARTER_RE = re.compile(
    r"(?=[fstq])\b(?:(first|second|third|fourth)[- ]quarter|(Q[1-4]))\b", re.IGNORECASE
)
_YEAR_RE = re.compile(r"(?=[12])\b(19[5-9]\d|20[0-9]\d)\b")
_WORD_RE = re.compile(r"\w++(?:['’.,]\d++)*+")  # possessive: faster, the same words
_DIGIT_RE = re.compile(r"\d")


def dates_in(text: str) -> frozenset[str]:
    """Dates and periods named in the text, normalised: `feb 25`, `feb`, `q4`, `2025`.

    Month names are matched with their capital (`May 6`, not `may`), so the verb is not a
    month; a month with a day counts as that day only.
    """
    found: set[str] = set()
    for match in _MONTH_RE.finditer(text):
        word = match.group(1)
        if word.lower() == "may" and match.group(2) is None:
            continue
        month = _MONTHS[word.lower()]
        found.add(f"{month} {int(match.group(2))}" if match.group(2) else month)
    for match in _QUARTER_RE.finditer(text):
        found.add(_QUARTERS[match.group(1).lower()] if match.group(1) else match.group(2).lower())
    found.update(_YEAR_RE.findall(text))
    return frozenset(found)


def figures_in(texts: Iterable[str]) -> frozenset[str]:
    """The words of the texts that hold a digit (amounts, rates, counts, days)."""
    return frozenset(
        word
        for text in texts
        for word in _WORD_RE.findall(text)
        if not word.isalpha() and _DIGIT_RE.search(word)
    )


def differing(a: frozenset[str], b: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """What each side has that the other lacks."""
    return a - b, b - a
