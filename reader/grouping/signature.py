"""What grouping knows of an article: its cleaned text's shingles, its lead, its figures
and dates, and what kind of page it is.

Each article is reduced to the set of its word 3-shingles (words folded for house style,
so `defence` and `defense` match), after its page furniture is dropped (`cleaning`). The
lead (the first `LEDE_WORDS` words) is kept apart, with its figures masked: two issues
of one report then share their lead's wording while their lead figures and dates differ,
and a follow-up's new lead shares nothing with the story it follows.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from reader.grouping.cleaning import PageKind, clean_paragraphs, live_title, page_kind
from reader.grouping.facts import MONTH_NAMES, dates_in, figures_in
from reader.ingest.article import Article, ParagraphKind
from reader.text.folding import fold_token

#: Words per shingle.
SHINGLE_WORDS = 3
#: Words of the body that make its lead (sketched apart for LSH, compared apart).
LEDE_WORDS = 60
#: The top of an article: this share of its words (within the bounds below), lead
#: included. An update carries the top of the version before it down under its new lead;
#: a follow-up carries background, from the bottom.
TOP_SHARE = 0.35
TOP_WORDS = (60, 250)
#: Containment counts only when the smaller article has this many shingles.
MIN_SHINGLES_FOR_CONTAINMENT = 12
#: Template stories: articles that both mention this many figures must share half of them.
MIN_FIGURES = 3
FIGURE_AGREEMENT = 0.5

#: A word: letters and digits, joined by an apostrophe or a dot (`U.S.`, `Hegseth’s`). The
#: quantifiers are possessive: the same words, found a third faster (a word never gives back
#: a character).
WORD_RE = re.compile(r"\w++(?:['’.]\w++)*+")
_DIGIT_RE = re.compile(r"\d")
#: What a figure is replaced by in the lead's shingles.
_FIGURE_MASK = "#"


@dataclass(slots=True)
class Signature:
    """What grouping needs of an article: its shingles, its lead and the facts in them."""

    shingles: np.ndarray  # sorted unique uint64 hashes of the cleaned body
    lede: np.ndarray  # the same, of the first LEDE_WORDS words, figures masked
    figures: frozenset[str]
    #: Figures of the headline and lead.
    lead_figures: frozenset[str] = frozenset()
    #: Dates and periods of the headline and lead (`feb 25`, `q4`, `2025`).
    dates: frozenset[str] = frozenset()
    kind: PageKind = PageKind.STORY
    #: The headline, folded (live blog snapshots keep theirs).
    title: str = ""
    #: Names in the lead (capitalised words not opening a sentence), folded.
    lead_names: frozenset[str] = frozenset()
    #: Whether the article says it corrects an earlier version (`CORRECTED-`).
    correction: bool = False
    #: Shingles of the top of the body (`TOP_SHARE` of its words).
    top: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64))

    def __len__(self) -> int:
        return len(self.shingles)

    def facts_json(self) -> str:
        """Figures, lead figures, dates and page kind, as stored beside the shingles."""
        return json.dumps(
            {
                "figures": sorted(self.figures),
                "lead_figures": sorted(self.lead_figures),
                "dates": sorted(self.dates),
                "kind": self.kind.value,
                "lede_count": len(self.lede),
                "lead_names": sorted(self.lead_names),
                "title": self.title,
                "correction": self.correction,
            }
        )

    def lede_blob(self) -> bytes:
        """The lead's and the top's shingles, as stored in one column (`stored` splits)."""
        return self.lede.tobytes() + self.top.tobytes()

    @classmethod
    def stored(cls, shingles: bytes, lede: bytes, facts: str) -> Signature:
        """A signature read back from the index (`facts_json` of the signature stored).

        Grouping a large corpus reads millions of them: this is kept to the fewest calls.
        """
        data = json.loads(facts)
        if isinstance(data, list):  # an index written before facts were stored
            data = {"figures": data}
        get = data.get
        both = np.frombuffer(lede, dtype=np.uint64)
        count = get("lede_count")
        count = len(both) if count is None else int(count)
        return cls(
            np.frombuffer(shingles, dtype=np.uint64),
            both[:count],
            frozenset(get("figures", ())),
            frozenset(get("lead_figures", ())),
            frozenset(get("dates", ())),
            _KINDS.get(get("kind"), PageKind.STORY),
            str(get("title", "")),
            frozenset(get("lead_names", ())),
            bool(get("correction", False)),
            both[count:],
        )


#: Page kinds by their stored value.
_KINDS: dict[object, PageKind] = {kind.value: kind for kind in PageKind}


_WORD_HASHES: dict[str, int] = {}


def _word_hash(word: str) -> int:
    value = _WORD_HASHES.get(word)
    if value is None:
        if len(_WORD_HASHES) > 500_000:
            _WORD_HASHES.clear()
        value = _WORD_HASHES[word] = zlib.crc32(fold_token(word).encode("utf-8"))
    return value


def article_paragraphs(article: Article) -> list[str]:
    """Body and sub-headline paragraphs as the file has them, the dateline cut off."""
    kept = (ParagraphKind.BODY, ParagraphKind.SUBHEAD)
    paragraphs = [p.text for p in article.paragraphs if p.kind in kept]
    dateline = article.dateline
    if paragraphs and dateline is not None and paragraphs[0].startswith(dateline.text):
        paragraphs[0] = paragraphs[0][len(dateline.text) :]
    return paragraphs


def body_text(article: Article) -> str:
    """The text that identifies a story: body and sub-headlines without page furniture,
    bylines or trailers."""
    paragraphs = clean_paragraphs(article_paragraphs(article))
    if not paragraphs:
        paragraphs = [article.headline]
    return "\n".join(paragraphs)


def _shingles(hashes: np.ndarray) -> np.ndarray:
    if len(hashes) >= SHINGLE_WORDS:
        shingles: np.ndarray = (
            (hashes[:-2] << np.uint64(42)) ^ (hashes[1:-1] << np.uint64(21)) ^ hashes[2:]
        )
        return shingles
    return hashes


def shingle_hashes(words: list[str]) -> np.ndarray:
    """The shingle of each run of `SHINGLE_WORDS` words, in text order (not unique)."""
    return _shingles(np.array([_word_hash(word) for word in words], dtype=np.uint64))


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (a sort and a compare: numpy's hashed `unique` is many
    times slower on millions of pair codes)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)  # (np.r_ costs more than the rest here)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def signature_of_text(
    text: str, headline: str = "", kind: PageKind = PageKind.STORY, title: str = ""
) -> Signature:
    """Shingles of the text's words (stable across runs), its lead, and the figures and
    dates in text, lead and headline."""
    words = WORD_RE.findall(text)
    values = list(map(_WORD_HASHES.get, words))
    if None in values:
        values = [
            _word_hash(word) if value is None else value
            for word, value in zip(words, values, strict=True)
        ]
    hashes = np.array(values, dtype=np.uint64)
    lead_words = words[:LEDE_WORDS]
    masked = np.array(
        [
            _word_hash(_FIGURE_MASK) if not word.isalpha() and _DIGIT_RE.search(word) else value
            for word, value in zip(lead_words, values, strict=False)
        ],
        dtype=np.uint64,
    )
    candidates = set(words).union(WORD_RE.findall(headline))
    figures = frozenset(w for w in candidates if not w.isalpha() and _DIGIT_RE.search(w))
    top_count = min(max(TOP_WORDS[0], int(len(words) * TOP_SHARE)), TOP_WORDS[1])
    lead_end = _lead_end(text)
    # the lead proper, for its facts: the first paragraph, within the lead's words
    paragraph_end = text.find("\n", 0, lead_end)
    lead_end = paragraph_end if paragraph_end > 0 else lead_end
    lead_text = headline + "\n" + text[:lead_end]
    return Signature(
        distinct(_shingles(hashes)),
        distinct(_shingles(masked)),
        figures,
        frozenset(f.replace(",", "") for f in figures_in([lead_text])),
        dates_in(lead_text),
        kind,
        " ".join(fold_token(word).lower() for word in WORD_RE.findall(title)),
        names_in(text[:lead_end]),
        False,
        distinct(_shingles(hashes[:top_count])),
    )


#: The first `LEDE_WORDS` words (fewer if the text has fewer): one match, where finding
#: them one by one cost a tenth of signing an article. A word starts at the first word
#: character after the last, so what lies between is `\W*`.
_LEAD_RE = re.compile(rf"(?:\W*{WORD_RE.pattern}){{1,{LEDE_WORDS}}}")


def _lead_end(text: str) -> int:
    """Where the last word of the lead ends (0 for a text without words)."""
    match = _LEAD_RE.match(text)
    return match.end() if match else 0


_NAME_RE = re.compile(r"(?=[A-Z])\b[A-Z][\w'’.-]*\w")  # the look ahead: speed
_POSSESSIVE_RE = re.compile(r"['’]s$")
_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "of",
        "and",
        "but",
        "or",
        "for",
        "to",
        "he",
        "she",
        "it",
        "its",
        "they",
        "we",
        "i",
        "mr",
        "mrs",
        "ms",
        "dr",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)


def names_in(text: str) -> frozenset[str]:
    """Capitalised words (people, places, companies; a few function words left out),
    folded, months left to `dates_in`."""
    found = set(map(_name_key, _NAME_RE.findall(text)))
    found.discard("")
    return frozenset(found)


@lru_cache(maxsize=65536)
def _name_key(word: str) -> str:
    """A capitalised word as a name, folded; empty for a function word or a month."""
    folded = fold_token(_POSSESSIVE_RE.sub("", word).replace(".", "")).lower()
    return "" if folded in _NOT_NAMES or folded in MONTH_NAMES else folded


def signature(article: Article) -> Signature:
    """The grouping signature of an article."""
    paragraphs = article_paragraphs(article)
    kind = page_kind(article.headline, paragraphs)
    title = live_title(article.headline, paragraphs) if kind is PageKind.LIVE_BLOG else ""
    dateline = article.dateline
    # the dateline's date is the lead's ("WASHINGTON, April 7 -"), cut from the body
    heading = f"{article.headline}\n{dateline.text}" if dateline else article.headline
    sig = signature_of_text(body_text(article), heading, kind, title or article.headline)
    sig.correction = is_correction(article)
    return sig


_CORRECTION_RE = re.compile(
    r"\b(?:has|have|had) been corrected\b|^corrects?\b|\bcorrective\b",
    re.IGNORECASE | re.MULTILINE,
)


def is_correction(article: Article) -> bool:
    """Whether the article says it is a correction (a `CORRECTED-` marker, a slug's
    `Corrective`, or a trailer "This story has been corrected ...")."""
    if any(marker.upper().startswith("CORRECT") for marker in article.parsed.version_markers):
        return True
    text = "\n".join(p.text for p in article.paragraphs)
    return "correct" in text.casefold() and bool(_CORRECTION_RE.search(text))


def shared_count(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted arrays of unique values share."""
    size_a, size_b = len(a), len(b)
    if not size_a or not size_b:
        return 0
    if size_a > size_b:
        a, b, size_b = b, a, size_a
    # the array methods, not numpy's functions: grouping counts millions of pairs
    positions = b.searchsorted(a)
    np.minimum(positions, size_b - 1, out=positions)
    return int(np.count_nonzero(b.take(positions) == a))


def shared_counts(
    a: np.ndarray, others: list[np.ndarray], sizes: np.ndarray | None = None
) -> np.ndarray:
    """How many values `a` shares with each of `others` (sorted arrays of unique values;
    `sizes`: their lengths, when known), in one pass: what `shared_count` gives for each,
    at a fraction of the calls."""
    counts = np.zeros(len(others), dtype=np.int64)
    if sizes is None:
        sizes = np.fromiter(map(len, others), dtype=np.int64, count=len(others))
    present = np.flatnonzero(sizes)
    if not len(a) or not len(present):
        return counts
    every = np.concatenate([others[index] for index in present])
    positions = np.searchsorted(a, every)
    positions[positions == len(a)] = 0
    hits = (a[positions] == every).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes[present])[:-1]])
    counts[present] = np.add.reduceat(hits, starts)
    return counts


def figures_agree(a: Signature, b: Signature) -> bool:
    """Template stories (same wording, new figures) are told apart by their figures."""
    if len(a.figures) < MIN_FIGURES or len(b.figures) < MIN_FIGURES:
        return True
    shared = len(a.figures & b.figures)
    return shared >= FIGURE_AGREEMENT * min(len(a.figures), len(b.figures))
