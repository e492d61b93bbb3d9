"""Parse the text of one wire-story file into an Article: headline, dateline, paragraphs."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path


class ParagraphKind(StrEnum):
    """What a block of the article is, which decides how it is shown."""

    BODY = "body"
    SUBHEAD = "subhead"
    BYLINE = "byline"
    TRAILER = "trailer"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph, re-flowed to a single line of text."""

    text: str
    kind: ParagraphKind = ParagraphKind.BODY


@dataclass(frozen=True, slots=True)
class Dateline:
    """The `BRUSSELS, Feb 12 (Reuters) -` that opens a wire story's first paragraph."""

    text: str
    place: str
    date: str | None = None
    agency: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedText:
    """What parsing the text of an article yields, before file metadata is attached."""

    headline: str
    headline_from_lede: bool
    version_markers: tuple[str, ...]
    dateline: Dateline | None
    byline: str | None
    paragraphs: tuple[Paragraph, ...]
    words: int
    #: A full date and time written near the top or bottom of the text, if any.
    filed: datetime | None = None


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What a wire or archive format says about an article beyond its text (all optional).

    Plain text files carry none; NITF, NewsML, ninjs, ANPA, HTML, WARC and CSV/JSONL items
    carry what their format gives (see reader/ingest/formats/README.md).
    """

    #: The format it was read from: `nitf`, `newsml-g2`, `ninjs`, `anpa`, `html`, `warc`, ….
    format: str
    provider: str | None = None
    story_id: str | None = None
    #: `provider|story id` (versions.story_key): items sharing it are versions of one story.
    story_key: str | None = None
    version: int | None = None
    #: When this version was made, naive UTC (as `ParsedText.filed`).
    version_time: datetime | None = None
    first_created: datetime | None = None
    slugline: str | None = None
    url: str | None = None
    #: When a web archive captured the page, naive UTC.
    captured: datetime | None = None
    language: str | None = None
    subheadline: str | None = None
    #: The dateline as the format states it (`ATLANTA`), when it gives one apart from the text.
    dateline: str | None = None
    #: The `--field` settings a CSV/JSONL record was read with, to read it again the same way.
    field_map: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """One article of the corpus: a version of some wire story.

    A plain text file is one article; a container (a feed, a web archive, a CSV or JSONL
    dump, a newsMessage) holds many, told apart by `record`.
    """

    id: str
    path: Path
    #: The path as shown to the user: relative to the folder the corpus was opened on.
    name: str
    parsed: ParsedText
    size: int
    mtime: float
    encoding: str
    encoding_fallback: bool = False
    #: True when only the head of a very large file was read.
    truncated: bool = False
    notes: tuple[str, ...] = field(default=())
    #: False when the paragraphs were left out to save memory; `corpus.with_body` reads them.
    body_loaded: bool = True
    #: Hash of the bytes read, to tell a re-written file from a touched one.
    digest: str = ""
    #: Index of the article within its file: None for a file that is one article.
    record: int | None = None
    #: Byte offset of the record in its file, where the format makes that meaningful.
    offset: int | None = None
    meta: ArticleMeta | None = None

    def without_body(self) -> Article:
        """This article without its paragraphs (all other fields kept)."""
        return replace(self, parsed=replace(self.parsed, paragraphs=()), body_loaded=False)

    @property
    def filed(self) -> datetime | None:
        return self.parsed.filed

    @property
    def story_key(self) -> str | None:
        """`provider|story id` when the article's format names its story, else None."""
        return self.meta.story_key if self.meta is not None else None

    @property
    def headline(self) -> str:
        return self.parsed.headline

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return self.parsed.paragraphs

    @property
    def words(self) -> int:
        return self.parsed.words

    @property
    def dateline(self) -> Dateline | None:
        return self.parsed.dateline


#: A headline longer than this (characters) reads as a paragraph instead.
HEADLINE_MAX_CHARS = 160
HEADLINE_MAX_WORDS = 28
#: A headline made from the lede's first sentence is cut to about this many characters.
DERIVED_HEADLINE_CHARS = 90
SUBHEAD_MAX_WORDS = 14

_WORD_RE = re.compile(r"\w+(?:['’.\-]\w+)*")
_TERMINAL = ".!?:;,\"”’')]…"
_SENTENCE_END = ".!?"
#: What the last line of a paragraph ends with; a line ending otherwise runs on.
_PARAGRAPH_END = ".!?:\"”’')]…"

_VERSION_MARKER_RE = re.compile(
    r"^(?P<marker>(?:UPDATE|WRAPUP)\s*\d*|CORRECTED|CORRECTION|EXCLUSIVE|FACTBOX|REFILE|RPT|"
    r"URGENT|BREAKING|ANALYSIS|INSIGHT|FOCUS|TIMELINE|BRIEF|PRESS DIGEST|RECASTS?)"
    r"\s*(?:-|:|—|–)\s*",
)
_ALONE_MARKER_RE = re.compile(r"^(URGENT|BREAKING(?: NEWS)?|FLASH|BULLETIN)[:!]?$")

_AGENCIES = r"Reuters|AP|AFP|Bloomberg|UPI|dpa|DPA|Xinhua|PA|ANSA|EFE|Kyodo|Yonhap|IANS|PTI|CNN"
_DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}?|[A-Z][A-Za-z.'’\- ]{1,40}?(?=,\s*[A-Z][a-z]{2}|\s*\())"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"(?:\s*\((?P<agency>" + _AGENCIES + r")\))?"
    r"\s*(?P<dash>—|–|--|-)\s+"
)
_BYLINE_RE = re.compile(r"^By\s+[A-Z][\w.'’\-]*(?:[ ,]+(?:and\s+)?[A-Z][\w.'’\-]*){0,8}\b")
_TRAILER_START_RE = re.compile(
    r"\((?:Reporting|Writing|Additional reporting|Editing|Compiled|Research)\b"
    r"|This (?:story|article) (?:has been|was) (?:corrected|updated|refiled)"
    r"|(?:Copyright|©|\(c\))"
    r"|REUTER$|\(END\)$|-{2,}\s*$|#{3,}$",
    re.IGNORECASE,
)
_TRAILER_ENDINGS = ("contributed to this report", "contributed this report")
_DATE_RE = re.compile(
    r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d)?)?)\b"
    r"|\b(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? (?P<day>[0-3]?\d),? "
    r"(?P<year>(?:19|20)\d\d)(?:,? (?P<hour>[0-2]?\d):(?P<minute>[0-5]\d))?"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [["jan"], ["feb"], ["mar"], ["apr"], ["may"], ["jun"], ["jul"], ["aug"], ["sep"],
         ["oct"], ["nov"], ["dec"]],
        start=1,
    )
    for name in names
}  # fmt: skip
_ABBREVIATIONS = frozenset(
    [
        "u.s",
        "u.k",
        "u.n",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "gen",
        "sen",
        "rep",
        "gov",
        "lt",
        "col",
        "sgt",
        "inc",
        "corp",
        "co",
        "ltd",
        "jr",
        "sr",
        "vs",
        "e.g",
        "i.e",
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


def count_words(text: str) -> int:
    """Words as a reader counts them: `U.S.`, `Hegseth’s` and `security-related` are one each."""
    return len(_WORD_RE.findall(text))


def parse_article_text(text: str) -> ParsedText:
    """Parse decoded text (LF newlines) into headline, dateline, byline and paragraphs."""
    blocks = [block for block in _paragraph_texts(text) if block]
    markers: list[str] = []
    while blocks and _ALONE_MARKER_RE.match(blocks[0]):
        markers.append(blocks.pop(0).rstrip(":!"))
    headline, from_lede = None, False
    if blocks and _reads_as_headline(blocks[0]) and (len(blocks) > 1 or _is_short(blocks[0])):
        headline = blocks.pop(0)
    paragraphs = [
        Paragraph(block, _kind_of(block, i, len(blocks))) for i, block in enumerate(blocks)
    ]
    byline = next((p.text for p in paragraphs if p.kind is ParagraphKind.BYLINE), None)
    lede = next((p.text for p in paragraphs if p.kind is ParagraphKind.BODY), None)
    dateline = parse_dateline(lede) if lede else None
    if headline is None:
        from_lede = True
        if lede is None:
            headline = blocks[0] if blocks else ""
        else:
            headline = derive_headline(lede[len(dateline.text) :] if dateline else lede)
    headline, more_markers = split_version_markers(headline)
    words = sum(count_words(p.text) for p in paragraphs)
    edges = [headline, *(p.text for p in paragraphs[:2]), *(p.text for p in paragraphs[-2:])]
    return ParsedText(
        headline=headline,
        headline_from_lede=from_lede,
        version_markers=tuple(markers + more_markers),
        dateline=dateline,
        byline=byline,
        paragraphs=tuple(paragraphs),
        words=words,
        filed=find_filing_date(edges),
    )


def find_filing_date(texts: list[str]) -> datetime | None:
    """The first full date (with year, and time if given) in the texts."""
    for text in texts:
        match = _DATE_RE.search(text)
        if match is None:
            continue
        try:
            if match.group("iso"):
                return datetime.fromisoformat(match.group("iso").replace(" ", "T"))
            month = _MONTHS[match.group("month")[:3].lower()]
            hour = int(match.group("hour") or 0)
            minute = int(match.group("minute") or 0)
            return datetime(int(match.group("year")), month, int(match.group("day")), hour, minute)
        except ValueError:
            continue
    return None


def split_version_markers(headline: str) -> tuple[str, list[str]]:
    """`UPDATE 2-EXCLUSIVE-Title` -> (`Title`, [`UPDATE 2`, `EXCLUSIVE`])."""
    markers = []
    while match := _VERSION_MARKER_RE.match(headline):
        markers.append(" ".join(match.group("marker").split()))
        headline = headline[match.end() :]
    return headline, markers


def parse_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening a paragraph, if it has one."""
    match = _DATELINE_RE.match(paragraph)
    if not match:
        return None
    place = match.group("place").strip()
    if not (place.isupper() or match.group("agency")):
        return None
    if len(place.split()) > 4:
        return None
    return Dateline(
        text=match.group(0),
        place=place,
        date=match.group("date"),
        agency=match.group("agency"),
    )


def derive_headline(lede: str, limit: int = DERIVED_HEADLINE_CHARS) -> str:
    """A stand-in headline: the lede's first sentence, cut at a word boundary."""
    sentence = first_sentence(lede.strip())
    if len(sentence) <= limit:
        return sentence.rstrip(".")
    cut = sentence[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def first_sentence(text: str) -> str:
    """The text up to the first full stop that ends a sentence (not `U.S.` or `Mr.`)."""
    for match in re.finditer(r"[.!?][\"”’']?(?=\s+[\"“‘'A-Z0-9])", text):
        before = text[: match.start()].rsplit(None, 1)
        last_word = before[-1].lower().strip('("“') if before else ""
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        return text[: match.end()]
    return text


def _reads_as_headline(line: str) -> bool:
    if len(line) > HEADLINE_MAX_CHARS or len(line.split()) > HEADLINE_MAX_WORDS:
        return False
    if parse_dateline(line) or _BYLINE_RE.match(line):
        return False
    return not line.endswith(".") or line.isupper()


def _is_short(line: str) -> bool:
    return len(line.split()) <= SUBHEAD_MAX_WORDS


def _is_trailer(text: str) -> bool:
    return bool(_TRAILER_START_RE.match(text)) or text.rstrip(". ").endswith(_TRAILER_ENDINGS)


def _kind_of(text: str, index: int, count: int) -> ParagraphKind:
    if (index >= count - 3 or len(text) < 200) and _is_trailer(text):
        return ParagraphKind.TRAILER
    if index < 3 and len(text.split()) <= 10 and _BYLINE_RE.match(text):
        return ParagraphKind.BYLINE
    if 0 < index < count - 1 and _reads_as_subhead(text):
        return ParagraphKind.SUBHEAD
    return ParagraphKind.BODY


def _reads_as_subhead(text: str) -> bool:
    words = text.split()
    return (
        1 < len(words) <= SUBHEAD_MAX_WORDS
        and text[0].isupper()
        and text[-1] not in _TERMINAL
        and not text.startswith(("“", '"', "'", "‘"))
    )


# --- paragraph structure -------------------------------------------------------------

#: Lines at most this long, mostly running on into the next, mark a hard-wrapped file.
WRAPPED_MAX_LINE = 100
_WRAPPED_SHARE = 0.3


def _paragraph_texts(text: str) -> list[str]:
    """Paragraphs of the text, each re-flowed to one line.

    Three layouts occur: blank lines between paragraphs, one paragraph per line, and
    hard-wrapped lines (older archives) where a paragraph starts at a blank line or an
    indented line. Both of the first two can appear in one corpus, even in one file.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    if is_hard_wrapped(lines):
        return [" ".join(part.split()) for part in _wrapped_paragraphs(lines)]
    return [" ".join(line.split()) for line in lines if line.strip()]


def is_hard_wrapped(lines: list[str]) -> bool:
    pairs = 0
    running_on = 0
    longest = 0
    for line, following in itertools.pairwise(lines):
        longest = max(longest, len(line))
        if not line.strip() or not following.strip():
            continue
        pairs += 1
        if line[-1] not in _PARAGRAPH_END:
            running_on += 1
    if lines:
        longest = max(longest, len(lines[-1]))
    return pairs >= 2 and longest <= WRAPPED_MAX_LINE and running_on >= _WRAPPED_SHARE * pairs


def _wrapped_paragraphs(lines: list[str]) -> list[str]:
    indented = any(line[:1] in (" ", "\t") and line.strip() for line in lines[1:])
    width = max(len(line) for line in lines)
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(current)
            current = []
            continue
        starts_new = bool(current) and (
            (indented and line[:1] in (" ", "\t"))
            or (not indented and _ends_short_sentence(current[-1], width))
            or (current[-1].isupper() != stripped.isupper())
        )
        if starts_new:
            paragraphs.append(current)
            current = []
        current.append(stripped)
    if current:
        paragraphs.append(current)
    return [" ".join(part) for part in paragraphs]


def _ends_short_sentence(line: str, width: int) -> bool:
    return len(line) < 0.6 * width and line.rstrip()[-1:] in _SENTENCE_END + '"”’'
