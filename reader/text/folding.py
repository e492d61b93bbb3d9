"""Folding for matching: the key two spellings share when they may differ only in house
style (curly quotes, `–`, `U.S.`, British spelling, capitals, `1,000`).

Shared by the word diff (to line words up) and story grouping (to see one word). A shared
key is not a claim that a difference is noise: `us` and `US` share one. Whether a
difference is provably style is for `reader.diff.noise` to decide, strictly.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: A figure with thousands separators: `1,000`, `12,500.5`.
GROUPED_NUMBER_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")

_TYPOGRAPHY_TABLE = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        # Single and double quotes are one house-style choice; an apostrophe inside a
        # word folds the same way on both sides, so `country"s` (1987 wire) = `country's`.
        "'": '"',
        "‘": '"',
        "’": '"',
        "‚": '"',
        "‛": '"',
        "′": '"',
        "`": '"',
        "–": "-",
        "—": "-",
        "‒": "-",
        "―": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "_": "-",  # the 1987 wire's dash
        "…": "...",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)

_ABBREVIATION_RE = re.compile(r"^(?:[A-Za-z]\.){2,}$")


def fold_typography(text: str) -> str:
    """Straight double quotes for every quote, hyphens for dashes, `...` for `…`."""
    folded = text.translate(_TYPOGRAPHY_TABLE)
    if folded in ("--", '""'):  # `--` dash; the 1987 wire's `` and '' quotes
        return folded[0]
    return folded


def fold_abbreviation(text: str) -> str:
    """`U.S.` -> `US`."""
    return text.replace(".", "") if _ABBREVIATION_RE.match(text) else text


# --- British and American spelling ------------------------------------------------------

#: One word in two spellings, British -> American. Each pair is the same word in every
#: sense: surnames (`Grey`/`Gray`) and different words (`draughts`, the game, vs `drafts`)
#: are left out, and a capitalised word mid-sentence never counts as spelling (see
#: `token_noise_kind`).
_WORD_VARIANTS = {
    "grey": "gray",
    "programme": "program",
    "programmes": "programs",
    "aluminium": "aluminum",
    "sceptic": "skeptic",
    "sceptics": "skeptics",
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
    "cosy": "cozy",
    "kilometre": "kilometer",
    "kilometres": "kilometers",
    "paediatric": "pediatric",
    "encyclopaedia": "encyclopedia",
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
    "sulphur": "sulfur",
    "sulphuric": "sulfuric",
    "instalments": "installments",
    "axe": "ax",
    "kerb": "curb",
    "kerbs": "curbs",
    "practise": "practice",
    "practised": "practiced",
    "practises": "practices",
    "practising": "practicing",
}

#: British spellings whose American form is also another word (`story`, a tale; `check`,
#: a test; `draft`, a first version): noise only from the British form to the American,
#: never the other way (`check` -> `cheque` may turn a test into a payment).
ONE_WAY_VARIANTS = {
    "storey": "story",
    "storeys": "stories",
    "cheque": "check",
    "cheques": "checks",
    "draught": "draft",
    "tyre": "tire",
    "tyres": "tires",
}
#: Spellings that are also surnames (`Grey`/`Gray`): noise only in lower case.
LOWER_CASE_ONLY = frozenset({"grey", "gray"})

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
    if word in ONE_WAY_VARIANTS:
        return ONE_WAY_VARIANTS[word]
    for pattern, replacement in _SUFFIX_RULES:
        folded, count = pattern.subn(replacement, word)
        if count:
            return folded
    return word


def fold_word(word: str) -> str:
    """Spelling fold of a word, keeping a possessive or contraction tail: `Labour's`."""
    if word.isalpha():
        return fold_spelling(word)
    head, quote, tail = word.partition('"')
    if quote and head.isalpha() and tail in ("s", ""):
        return fold_spelling(head) + quote + tail
    return word


@lru_cache(maxsize=65536)  # grouping folds every name and title word of a corpus
def fold_token(text: str) -> str:
    """The key two tokens share when they might differ only in house style.

    Used to match words (diff alignment, story grouping); whether a difference under
    one key is really noise is for `token_noise_kind` to decide.
    """
    if text[:1].isdigit():
        return text.replace(",", "") if GROUPED_NUMBER_RE.match(text) else text
    return fold_word(fold_abbreviation(fold_typography(text)).casefold())
