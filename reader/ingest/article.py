"""Parse the text of one wire-story file into an Article: headline, dateline, paragraphs."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path


class ParagraphKind(StrEnum):
    """What a block of the article is, which decides how it is shown."""

    BODY = "body"
    SUBHEAD = "subhead"
    BYLINE = "byline"
    TRAILER = "trailer"
    #: A table or a run of fixed-width lines (earnings figures): shown line by line.
    PREFORMATTED = "preformatted"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph, re-flowed to a single line of text (a PREFORMATTED one keeps its
    lines, joined by newlines)."""

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

_WORD_RE = re.compile(r"\w++(?:['’.\-]\w++)*+")  # possessive: faster, the same words
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
_DATE_RE = re.compile(  # the look ahead lets the engine skip most positions at once
    r"(?=[12JFMASOND])"
    r"(?:\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d)?)?)\b"
    r"|\b(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? (?P<day>[0-3]?\d),? "
    r"(?P<year>(?:19|20)\d\d)(?:,? (?P<hour>[0-2]?\d):(?P<minute>[0-5]\d))?)"
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
    words = count_words("\n".join(p.text for p in paragraphs))  # no word spans a line break
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
    if "\n" in text:
        return ParagraphKind.PREFORMATTED
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
        return [_one_line(part) for part in _wrapped_paragraphs(lines)]
    return [_one_line(part) for part in _line_paragraphs(lines)]


def reading_text(text: str) -> str:
    """The text laid out in the paragraphs the reader shows, one per line-pair.

    Hard-wrapped archive copy is re-flowed (its line breaks and indents are layout, not
    words), indented lines lose their indent, and tables keep their lines, so a diff
    compares what the reader shows; other text is returned as it is.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    if is_hard_wrapped(lines):
        parts = _wrapped_paragraphs(lines)
    elif any(line[:1] in (" ", "\t") for line in lines):
        parts = _line_paragraphs(lines)  # indented lines: the indent is layout too
    else:
        return text
    return "\n\n".join(_one_line(part) for part in parts) + "\n"


def _one_line(part: str) -> str:
    """A paragraph re-flowed to one line; a preformatted block (lines joined by newlines)
    keeps its lines and their spacing, only the indent they all share removed."""
    if "\n" not in part:
        return " ".join(part.split())
    rows = part.split("\n")
    indent = min(len(row) - len(row.lstrip()) for row in rows if row.strip())
    return "\n".join(row[indent:].rstrip() for row in rows)


#: Spaces between two words that only a column layout has.
_COLUMN_GAP_RE = re.compile(r"\S {3,}\S")
_FIGURE_RE = re.compile(r"\d")
#: Longest line (share of the text width) and most words of an earnings-style figure line.
_FIGURE_LINE_SHARE = 0.7
_FIGURE_LINE_WORDS = 10
_LABEL_WORDS = 3


def _is_column_line(stripped: str) -> bool:
    return "   " in stripped and bool(_COLUMN_GAP_RE.search(stripped))


def _is_figure_line(line: str, width: int) -> bool:
    """An indented short line of figures ending without punctuation: `Shr 34 cts vs 1.19 dlrs`."""
    stripped = line.strip()
    return (
        line[:1] in (" ", "\t")
        and len(stripped) <= _FIGURE_LINE_SHARE * width
        and bool(_FIGURE_RE.search(stripped))
        and stripped[-1] not in '.!?,;:"”’'
        and len(stripped.split()) <= _FIGURE_LINE_WORDS
    )


def _is_label_line(stripped: str) -> bool:
    """A short heading inside a table (`Year`, `Nine mths`)."""
    return 0 < len(stripped.split()) <= _LABEL_WORDS and stripped[-1] not in '.!?,;"”’'


def _fixed_width_runs(lines: list[str], *, figures: bool) -> dict[int, int]:
    """Start -> end (exclusive) of each run of table lines: two or more lines in aligned
    columns (or, with `figures`, indented figure lines), with short labels among them."""
    width = max((len(line) for line in lines), default=0)
    runs: dict[int, int] = {}
    index = 0
    while index < len(lines):
        end, fixed = index, 0
        while end < len(lines) and lines[end].strip():
            stripped = lines[end].strip()
            if _is_column_line(stripped) or (figures and _is_figure_line(lines[end], width)):
                fixed += 1
            elif not (fixed and _is_label_line(stripped)):
                break
            end += 1
        while end > index and not (
            _is_column_line(lines[end - 1].strip())
            or (figures and _is_figure_line(lines[end - 1], width))
        ):
            end -= 1  # a run does not end on a label
        if fixed >= 2 and end - index >= 2:
            runs[index] = end
            index = end
        else:
            index += 1
    return runs


def _line_paragraphs(lines: list[str]) -> list[str]:
    """One paragraph per line, but a table (aligned columns) as one block of lines."""
    runs = _fixed_width_runs(lines, figures=False)
    paragraphs: list[str] = []
    index = 0
    while index < len(lines):
        if index in runs:
            paragraphs.append("\n".join(lines[index : runs[index]]))
            index = runs[index]
            continue
        if lines[index].strip():
            paragraphs.append(lines[index])
        index += 1
    return paragraphs


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
    runs = _fixed_width_runs(lines, figures=indented)
    paragraphs: list[list[str]] = []
    current: list[str] = []
    table_end = 0
    for number, line in enumerate(lines):
        if number in runs:
            if current:
                paragraphs.append(current)
            paragraphs.append(["\n".join(lines[number : runs[number]])])
            current, table_end = [], runs[number]
            continue
        if number < table_end:
            continue
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
