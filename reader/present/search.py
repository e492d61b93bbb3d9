"""Rich renderables and JSON for search hits, shared by the app and the command line."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from reader.ingest.corpus import display_name
from reader.store.index import MATCH_END, MATCH_START, SearchHit
from reader.text.safe_text import safe_text

MATCH_STYLE = "bold reverse"


def marked_snippet(snippet: str, style: str = MATCH_STYLE) -> Text:
    """The snippet with matched words styled."""
    text = Text()
    for number, part in enumerate(snippet.replace(MATCH_END, MATCH_START).split(MATCH_START)):
        text.append(safe_text(part), style=style if number % 2 else "")
    return text


def snippet_line(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet on one line (whitespace folded), and where its matched words are."""
    text = ""
    marks = []
    for number, part in enumerate(snippet.replace(MATCH_END, MATCH_START).split(MATCH_START)):
        folded = " ".join(safe_text(part).split())
        if part[:1].isspace() and text and not text.endswith(" "):
            folded = " " + folded
        if part[-1:].isspace() and folded.strip():
            folded += " "
        if number % 2 and folded:
            marks.append((len(text), len(text) + len(folded)))
        text += folded
    return text, tuple(marks)


#: Characters of context kept before the first match when a snippet is shortened.
SNIPPET_LEAD = 24


def lead_to_first_match(
    text: str, marks: tuple[tuple[int, int], ...], lead: int = SNIPPET_LEAD
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet line started a few words before its first match (`…` where cut), so
    a row too narrow for the whole snippet still shows the match."""
    if not marks or marks[0][0] <= lead + 1:
        return text, marks
    start = text.find(" ", marks[0][0] - lead, marks[0][0])
    start = marks[0][0] - lead if start < 0 else start + 1
    shift = start - 1  # one character for the ellipsis
    cut = "…" + text[start:]
    return cut, tuple((begin - shift, end - shift) for begin, end in marks)


def plain_snippet(snippet: str) -> str:
    """The snippet with matched words marked **like this**."""
    return snippet.replace(MATCH_START, "**").replace(MATCH_END, "**")


def hits_table(hits: list[SearchHit]) -> Table:
    """Ranked hits: rank, title and file, snippet.

    The rank, not the bm25 score: in a small corpus, or for a word every article holds,
    the scores are all about zero and say nothing (`--json` still gives them)."""
    table = Table(box=None, padding=(0, 1), header_style="bold", show_lines=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("article", ratio=2)
    table.add_column("match", ratio=3)
    for rank, hit in enumerate(hits, start=1):
        article = Text(safe_text(hit.title), style="bold")
        article.append("\n" + display_name(hit.name), style="dim")
        table.add_row(Text(str(rank)), article, marked_snippet(hit.snippet))
    return table


def hits_to_json(query: str, hits: list[SearchHit]) -> dict[str, object]:
    """The `--json` document: the query and the hits, best first."""
    return {
        "query": query,
        "hits": [
            {
                "path": hit.name,
                "record": hit.record,
                "title": hit.title,
                "snippet": plain_snippet(hit.snippet),
                "score": hit.score,
            }
            for hit in hits
        ],
    }
