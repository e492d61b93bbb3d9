"""The word and date patterns that reading runs over every article were made faster
(possessive quantifiers, a look at the first letter, the lead found in one match). These
tests hold each to the plain pattern it replaced, on text built to find a difference:
words glued by quotes, dots, hyphens and commas, digits of other scripts, months in every
case."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.grouping.cleaning import _SENTENCE_ENDINGS
from reader.grouping.facts import _MONTHS, _QUARTERS, dates_in, figures_in
from reader.grouping.signature import LEDE_WORDS, WORD_RE, _lead_end, names_in
from reader.ingest.article import count_words

_PLAIN_WORD = re.compile(r"\w+(?:['’.]\w+)*")
_PLAIN_COUNTED_WORD = re.compile(r"\w+(?:['’.\-]\w+)*")
_PLAIN_MONTH = re.compile(
    r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?(?:\s+(\d{1,2})\b)?",
    re.IGNORECASE,
)
_PLAIN_QUARTER = re.compile(
    r"\b(?:(first|second|third|fourth)[- ]quarter|(Q[1-4]))\b", re.IGNORECASE
)
_PLAIN_YEAR = re.compile(r"\b(19[5-9]\d|20[0-9]\d)\b")

_PIECES = st.sampled_from(
    [
        "a", "Ab", "1", "٣", "_", " ", ".", ",", "'", "’", "-", "—", "\n", "é", "€",
        "May", "may", "MAY", "Sept", "sept.", "June 5", "march 3", "Feb. 25", "Q3",
        "fourth quarter", "Second-quarter", "1987", "2025", "1949", "U.S.", "Hegseth’s",
    ]
)  # fmt: skip
_TEXT = st.lists(_PIECES, max_size=80).map("".join)


def _plain_dates(text: str) -> frozenset[str]:
    found: set[str] = set()
    for match in _PLAIN_MONTH.finditer(text):
        word = match.group(1)
        if not word[0].isupper() or (word.lower() == "may" and match.group(2) is None):
            continue
        month = _MONTHS[word.lower()]
        found.add(f"{month} {int(match.group(2))}" if match.group(2) else month)
    for match in _PLAIN_QUARTER.finditer(text):
        found.add(_QUARTERS[match.group(1).lower()] if match.group(1) else match.group(2).lower())
    found.update(_PLAIN_YEAR.findall(text))
    return frozenset(found)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_the_fast_word_patterns_find_the_words_the_plain_ones_do(text: str) -> None:
    assert WORD_RE.findall(text) == _PLAIN_WORD.findall(text)
    assert count_words(text) == len(_PLAIN_COUNTED_WORD.findall(text))


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_the_lead_ends_where_its_last_word_does(text: str) -> None:
    ends = [match.end() for match in _PLAIN_WORD.finditer(text)][:LEDE_WORDS]
    assert _lead_end(text) == (ends[-1] if ends else 0)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_dates_are_the_ones_the_plain_patterns_name(text: str) -> None:
    assert dates_in(text) == _plain_dates(text)


def test_months_need_their_capital_and_may_needs_a_day() -> None:
    assert dates_in("In May officials may meet on March 3 and in sept. or JUNE") == {
        "mar 3",
        "jun",
    }
    assert dates_in("shares may rise; May 6 and the fourth quarter of 2025") == {
        "may 6",
        "q4",
        "2025",
    }


def test_names_and_figures_of_a_lead() -> None:
    lead = "WASHINGTON’s Mr. Hegseth told the U.S. Senate on Monday that 1,200 troops cost $3.5bn."
    assert names_in(lead) == {"washington", "hegseth", "us", "senate"}
    assert figures_in([lead]) == {"1,200", "3.5"}  # `bn` is a word of its own


_PLAIN_SENTENCE_END = re.compile(r"[.!?:;\"”’')\]]\s*$")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("a .!?:;\"”’')]\n\t\u00a0\u2009\u3000x")), max_size=30)
)
def test_a_paragraph_ends_like_a_sentence_by_its_last_character(text: str) -> None:
    """`is_furniture` looks at the last character of the stripped paragraph where it ran
    a pattern ending in `\\s*$`: the same answer, as `strip` and `\\s` agree on spaces."""
    stripped = text.strip()
    if stripped:
        assert (stripped[-1] in _SENTENCE_ENDINGS) == bool(_PLAIN_SENTENCE_END.search(stripped))
