"""House-style noise between versions: what it folds to, and what kind of noise it is.

Outlets re-set wire copy in their own style: curly or straight quotes, `–` or `-`, `U.S.` or
`US`, British or American spelling, capitals in headlines. Folding a token removes those
differences, so the diff sees the two spellings of one word as the same word; classifying
says which house-style rule told them apart.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache


class ChangeKind(StrEnum):
    """What a change between two versions is."""

    EDIT = "edit"
    MOVE = "move"
    TYPOGRAPHY = "typography"
    SPELLING = "spelling"
    ABBREVIATION = "abbreviation"
    CASE = "case"

    @property
    def is_noise(self) -> bool:
        """Style-only changes: shown dimmed, or hidden on request."""
        return self not in (ChangeKind.EDIT, ChangeKind.MOVE)


NOISE_KINDS = frozenset(kind for kind in ChangeKind if kind.is_noise)

_TYPOGRAPHY_TABLE = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "–": "-",
        "—": "-",
        "‒": "-",
        "―": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "…": "...",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)

_ABBREVIATION_RE = re.compile(r"^(?:[A-Za-z]\.){2,}$")


def fold_typography(text: str) -> str:
    """Straight quotes, hyphens for dashes, `...` for `…`."""
    folded = text.translate(_TYPOGRAPHY_TABLE)
    return "-" if folded == "--" else folded


def fold_abbreviation(text: str) -> str:
    """`U.S.` -> `US`."""
    return text.replace(".", "") if _ABBREVIATION_RE.match(text) else text


# --- British and American spelling ------------------------------------------------------

_WORD_VARIANTS = {
    "grey": "gray",
    "programme": "program",
    "programmes": "programs",
    "tyre": "tire",
    "tyres": "tires",
    "aluminium": "aluminum",
    "sceptic": "skeptic",
    "sceptical": "skeptical",
    "scepticism": "skepticism",
    "mould": "mold",
    "plough": "plow",
    "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers",
    "ageing": "aging",
    "judgement": "judgment",
    "judgements": "judgments",
    "acknowledgement": "acknowledgment",
    "jewellery": "jewelry",
    "cheque": "check",
    "cosy": "cozy",
    "kilometre": "kilometer",
    "kilometres": "kilometers",
    "paediatric": "pediatric",
    "encyclopaedia": "encyclopedia",
    "storey": "story",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "instalment": "installment",
    "whilst": "while",
    "amongst": "among",
    "oestrogen": "estrogen",
    "foetus": "fetus",
    "anaesthetic": "anesthetic",
    "haemorrhage": "hemorrhage",
    "leukaemia": "leukemia",
    "orthopaedic": "orthopedic",
    "gaol": "jail",
    "pyjamas": "pajamas",
    "draughts": "drafts",
}

_SUFFIX_RULES = (
    # defence/defense, offence, licence, pretence
    (re.compile(r"^(def|off|lic|pret)ence(s)?$"), r"\1ense\2"),
    # colour/color and family; behaviour, labour, neighbour, favourite...
    (
        re.compile(
            r"^(col|flav|hon|lab|neighb|behavi|harb|rum|hum|vap|endeav|arm|savi|val|vig|parl|"
            r"od|splend|cand|clam|ard|fav|tum|rig|sav)our(s|ed|ing|ite|ites|able|ful|ers?|hood|ly)?$"
        ),
        r"\1or\2",
    ),
    # centre/center, theatre, metre, litre, fibre, calibre, spectre, sombre, meagre
    (re.compile(r"^(cent|theat|met|lit|fib|calib|spect|somb|meag|lust|sab)re(s|d)?$"), r"\1er\2"),
    # catalogue/catalog, dialogue, analogue, prologue, epilogue, monologue
    (re.compile(r"^(catal|dial|anal|prol|epil|monol)ogue(s)?$"), r"\1og\2"),
    # travelled/traveled and other doubled l before a suffix
    (
        re.compile(
            r"^(trave|cance|labe|mode|fue|counse|signa|tota|leve|marve|channe|funne|tunne|dia|"
            r"due|equa|jewe|quarre|riva|shove)ll(ed|ing|er|ers|ous)$"
        ),
        r"\1l\2",
    ),
    # analyse/analyze, paralyse, catalyse
    (re.compile(r"^(anal|paral|catal)ys(e|ed|es|ing)$"), r"\1yz\2"),
    # organise/organize, -isation/-ization: applied to both sides, so it never invents a match.
    (re.compile(r"^(\w{3,})is(e|ed|es|ing|ation|ations|er|ers)$"), r"\1iz\2"),
)


@lru_cache(maxsize=65536)
def fold_spelling(word: str) -> str:
    """An American spelling for a lower-case word, or the word itself."""
    if word in _WORD_VARIANTS:
        return _WORD_VARIANTS[word]
    for pattern, replacement in _SUFFIX_RULES:
        folded, count = pattern.subn(replacement, word)
        if count:
            return folded
    return word


def fold_token(text: str) -> str:
    """The key two tokens share when they differ only in house style."""
    folded = fold_abbreviation(fold_typography(text)).casefold()
    return fold_spelling(folded) if folded.isalpha() else folded


def classify_noise(old: str, new: str) -> ChangeKind:
    """Which house-style rule makes `old` and `new` differ, where their folded keys agree.

    Checked from the most superficial rule to the least, so `“US”` vs `"US"` is
    typography and `U.S.` vs `US` is an abbreviation.
    """
    old_folded, new_folded = fold_typography(old), fold_typography(new)
    if old_folded == new_folded or not (old.strip() or new.strip()):
        return ChangeKind.TYPOGRAPHY
    old_folded, new_folded = fold_abbreviation(old_folded), fold_abbreviation(new_folded)
    if old_folded == new_folded:
        return ChangeKind.ABBREVIATION
    if old_folded.casefold() == new_folded.casefold():
        return ChangeKind.CASE
    return ChangeKind.SPELLING


def is_typo_fix(old: str, new: str) -> bool:
    """A one-word change small enough to be a typo or its fix (`defens` -> `defense`)."""
    if not (old.isalpha() and new.isalpha()) or min(len(old), len(new)) < 4:
        return False
    limit = 1 if max(len(old), len(new)) < 8 else 2
    return edit_distance(old.casefold(), new.casefold(), limit) <= limit


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), or limit + 1 when larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]
