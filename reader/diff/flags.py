"""Flags on substantive changes: what a fact-checker looks at first.

A flag says what an edit touches, not whether it is right:

* `numbers` — digits, spelled numbers and amounts (`12.5`, `eighty`, `billion`, `pct`);
* `negation` — `not`, `never`, `no`, `-n't`, or a word against its negated form
  (`likely`/`unlikely`, `legally`/`illegally`);
* `names` — a capitalised word that is not just the first word of a sentence (people,
  places, organisations), or a word whose case changed mid-sentence (`turkey`/`Turkey`);
* `attribution` — who said it: a verb of saying (`said`, `told`, `according`) changed, or
  a speaker changed next to one;
* `dates` — days, months, years, `yesterday`/`today`/`tomorrow`.
"""

from __future__ import annotations

import re

from reader.diff.noise import NEGATING_PREFIXES, NUMBER_WORDS

FLAG_NAMES = ("numbers", "negation", "names", "attribution", "dates")

_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
_NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "nowhere",
        "neither",
        "nor",
        "without",
        "cannot",
        "non",
    ]
)
_NEGATED_PREFIXES = tuple(p for p in NEGATING_PREFIXES if p not in ("mis", "de", "anti"))
_ATTRIBUTION_VERBS = frozenset(
    [
        "said",
        "say",
        "says",
        "saying",
        "told",
        "tell",
        "tells",
        "according",
        "claimed",
        "claim",
        "claims",
        "stated",
        "states",
        "added",
        "adds",
        "noted",
        "notes",
        "alleged",
        "alleges",
        "announced",
        "announces",
        "reported",
        "reports",
        "insisted",
        "insists",
        "denied",
        "denies",
        "admitted",
        "admits",
        "asserted",
        "asserts",
        "acknowledged",
        "acknowledges",
        "argued",
        "argues",
        "warned",
        "warns",
        "wrote",
        "writes",
        "called",
        "calls",
        "quoted",
        "testified",
        "declared",
        "declares",
        "suggested",
        "suggests",
        "explained",
        "explains",
        "confirmed",
        "confirms",
        "disclosed",
        "revealed",
        "spokesman",
        "spokeswoman",
        "spokesperson",
    ]
)
_SPEAKERS = frozenset(
    [
        "he",
        "she",
        "they",
        "we",
        "i",
        "it",
        "his",
        "her",
        "their",
        "officials",
        "official",
        "sources",
        "source",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "minister",
        "president",
        "secretary",
        "aide",
        "aides",
        "analyst",
        "analysts",
        "diplomats",
        "diplomat",
        "police",
        "witnesses",
        "residents",
    ]
)
_DAYS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "yesterday",
        "today",
        "tomorrow",
        "tonight",
        "weekend",
    ]
)
_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
#: Months that are also common words: a date only when capitalised.
_MONTH_WORDS = frozenset({"march", "may", "jan", "mar", "sun", "sat", "wed", "dec"})
#: Words that begin sentences without being names; any other capitalised word is one.
_COMMON_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "to",
        "of",
        "with",
        "without",
        "but",
        "and",
        "or",
        "nor",
        "so",
        "yet",
        "as",
        "after",
        "before",
        "when",
        "while",
        "if",
        "since",
        "because",
        "although",
        "though",
        "until",
        "unless",
        "once",
        "some",
        "many",
        "most",
        "more",
        "few",
        "several",
        "all",
        "both",
        "each",
        "every",
        "no",
        "not",
        "none",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "officials",
        "police",
        "analysts",
        "sources",
        "witnesses",
        "residents",
        "also",
        "however",
        "meanwhile",
        "earlier",
        "later",
        "last",
        "next",
        "then",
        "now",
        "still",
        "even",
        "only",
        "such",
        "what",
        "which",
        "who",
        "why",
        "how",
        "where",
        "other",
        "another",
        "shares",
        "prices",
        "talks",
        "government",
        "ministers",
        "troops",
    ]
)
#: Amounts and units: a change of unit changes the figure.
_UNITS = frozenset(
    [
        "dollars",
        "dollar",
        "dlrs",
        "pounds",
        "pound",
        "sterling",
        "euros",
        "euro",
        "yen",
        "francs",
        "marks",
        "cents",
        "pence",
        "tonnes",
        "tonne",
        "tons",
        "ton",
        "barrels",
        "barrel",
        "bpd",
        "degrees",
        "kilometres",
        "kilometers",
        "miles",
        "mile",
        "percentage",
        "points",
        "point",
        "per",
        "cent",
        # Abbreviated and metric units: `12 kg` against `12 km` is another figure.
        "kg",
        "km",
        "mm",
        "cm",
        "m",
        "g",
        "mg",
        "lb",
        "lbs",
        "oz",
        "ft",
        "mph",
        "kph",
        "kmh",
        "mw",
        "gw",
        "kw",
        "kwh",
        "mwh",
        "gwh",
        "litres",
        "liters",
        "litre",
        "liter",
        "gallons",
        "gallon",
        "acres",
        "hectares",
        "kilograms",
        "kilogram",
        "grams",
        "metres",
        "meters",
        "feet",
        "inches",
        "bushels",
        "ounces",
        "usd",
        "eur",
        "gbp",
        "jpy",
        "bln",
        "mln",
        "bn",
    ]
)
#: Words that make a date of the word next to them (`next week`, `March 3`).
_DATE_NOUNS = frozenset(
    ["week", "weeks", "month", "months", "year", "years", "day", "days", "weekend"]
)
_RELATIVE = frozenset(["next", "last", "this", "previous", "coming", "ago", "earlier", "later"])
_TIMES_OF_DAY = frozenset(
    ["morning", "afternoon", "evening", "night", "overnight", "midnight", "noon", "dawn"]
)
_YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
_ORDINAL_RE = re.compile(r"^\d+(st|nd|rd|th)$")
#: Words either side of a verb of saying in which a changed speaker is an attribution.
_SPEAKER_REACH = 3
#: Characters either side of a change that hold those words.
_CONTEXT_CHARS = 48
_DIGIT_RE = re.compile(r"\d")
_SENTENCE_END_RE = re.compile(r"(^|[.!?…][\"'”’)\]]*\s+|\n\s*)$")


def change_flags(
    old: str, new: str, *, old_before: str, new_before: str, old_after: str, new_after: str
) -> tuple[str, ...]:
    """Flags of an edit replacing `old` by `new`, given the text just before and after
    the change on each side (a few dozen characters is enough)."""
    # A few words either side are all the rules look at: trim once, search little.
    old_before, new_before = old_before[-_CONTEXT_CHARS:], new_before[-_CONTEXT_CHARS:]
    old_after, new_after = old_after[:_CONTEXT_CHARS], new_after[:_CONTEXT_CHARS]
    old_words, new_words = _WORD_RE.findall(old), _WORD_RE.findall(new)
    changed = old_words + new_words
    lowered = {word.casefold() for word in changed}
    flags = []
    if (
        _DIGIT_RE.search(old)
        or _DIGIT_RE.search(new)
        or lowered & _AMOUNT_WORDS
        or _signed(old, new, old_after, new_after)
    ):
        flags.append("numbers")
    if _is_negation(old_words, new_words, lowered):
        flags.append("negation")
    if _names(old, old_before) or _names(new, new_before) or _case_swapped(old_words, new_words):
        flags.append("names")
    if lowered & _ATTRIBUTION_VERBS or _is_attribution(
        changed, old_before, new_before, old_after, new_after
    ):
        flags.append("attribution")
    maybe_date = lowered & _DATE_WORDS or _DIGIT_RE.search(old) or _DIGIT_RE.search(new)
    if (maybe_date and any(_is_date(word) for word in changed)) or _dated(
        changed, lowered, old_before, new_before, old_after, new_after
    ):
        flags.append("dates")
    return tuple(flags)


def _is_negation(old_words: list[str], new_words: list[str], lowered: set[str]) -> bool:
    if lowered & _NEGATIONS or any(word.endswith(("n't", "n’t")) for word in lowered):
        return True
    lowered_old = {word.casefold() for word in old_words}
    lowered_new = {word.casefold() for word in new_words}
    # Sets, not pairs of words: a change of thousands of words costs linear time.
    return any(
        not lowered_old.isdisjoint(prefix + word for word in lowered_new)
        or not lowered_new.isdisjoint(prefix + word for word in lowered_old)
        for prefix in _NEGATED_PREFIXES
    )


def _starts_sentence(before: str) -> bool:
    return bool(_SENTENCE_END_RE.search(before[-12:]))


def _names(text: str, before: str) -> bool:
    """A capitalised word that its position does not explain (not a sentence's first)."""
    for match in _WORD_RE.finditer(text):
        word = match.group()
        if not word[0].isupper() or word == "I" or _is_date(word):
            continue
        initial = _starts_sentence(before + text[: match.start()])
        if initial and word.casefold() in _COMMON_STARTERS:
            continue
        return True
    return False


def _case_swapped(old_words: list[str], new_words: list[str]) -> bool:
    """`us` against `US`, `turkey` against `Turkey`: one word, another casing."""
    lowered = {word.casefold(): word for word in old_words}
    return any(
        word.casefold() in lowered and lowered[word.casefold()] != word for word in new_words
    )


def _is_attribution(
    changed: list[str], old_before: str, new_before: str, old_after: str, new_after: str
) -> bool:
    """Next to a verb of saying: the speaker stands just before it (`the union said`) or
    after it (`said Colby`); whatever follows `according to` is the source."""
    if not changed:
        return False
    speaker: bool | None = None
    for before, after in ((old_before, old_after), (new_before, new_after)):
        following = {word.casefold() for word in _WORD_RE.findall(after)[:_SPEAKER_REACH]}
        if following & _ATTRIBUTION_VERBS:
            return True
        preceding = {word.casefold() for word in _WORD_RE.findall(before)[-_SPEAKER_REACH:]}
        if "according" in preceding:
            return True
        if preceding & _ATTRIBUTION_VERBS:
            if speaker is None:
                speaker = any(word[0].isupper() or word.casefold() in _SPEAKERS for word in changed)
            if speaker:
                return True
    return False


def _is_date(word: str) -> bool:
    lowered = word.casefold()
    if lowered in _MONTH_WORDS:
        return word[0].isupper()
    return (
        lowered in _DAYS
        or lowered in _MONTHS
        or bool(_YEAR_RE.match(word))
        or bool(_ORDINAL_RE.match(word))
    )


def _dated(
    changed: list[str],
    lowered: set[str],
    old_before: str,
    new_before: str,
    old_after: str,
    new_after: str,
) -> bool:
    """A figure next to a month (`March 3`), or `next`/`last` before `week`, or a time
    of day (`Wednesday night`)."""
    if lowered & _TIMES_OF_DAY:
        return True
    day_of_month = any(word.isascii() and word.isdigit() and int(word) <= 31 for word in changed)
    if not (day_of_month or lowered & _RELATIVE):
        return False
    for before, after in ((old_before, old_after), (new_before, new_after)):
        previous = _WORD_RE.findall(before)[-1:]
        following = _WORD_RE.findall(after)[:1]
        near = {word.casefold() for word in previous + following}
        if lowered & _RELATIVE and near & (_DATE_NOUNS | _DAYS):
            return True
        if day_of_month and any(
            _is_date(word) and word.casefold() not in _DAYS for word in previous + following
        ):
            return True
    return False


def _signed(old: str, new: str, old_after: str, new_after: str) -> bool:
    """A sign added or dropped before a figure (`-5` against `5`)."""
    for text, after in ((old, old_after), (new, new_after)):
        if text.strip() in ("-", "−", "+", "–") and after[:1].isdigit():
            return True
    return False


_AMOUNT_WORDS = NUMBER_WORDS | _UNITS
_DATE_WORDS = _DAYS | _MONTHS
