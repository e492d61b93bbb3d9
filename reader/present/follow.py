"""Rich renderables and JSON for following a story: timeline rows, provenance shading,
a sentence's history, "what's new" and the unread list. Shared by the app and the CLI.

Everything from a file (texts, file names, headlines) goes through `safe_text` /
`safe_line` and into `Text` objects, never markup.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich import box
from rich.color import Color
from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from reader.diff.word_diff import Change
from reader.follow.changes import WhatsNew, is_substantive
from reader.follow.provenance import EditChange, SentenceBlame, SentenceEdit, VersionProvenance
from reader.follow.timeline import Timeline, TimelineEntry
from reader.ingest.corpus import display_name
from reader.store.read_state import Unread
from reader.text.safe_text import safe_line, safe_text

#: Columns of the widest change bar.
BAR_WIDTH = 12
#: Style meta key on each sentence of the provenance view: its index in the version.
SENTENCE_META = "sentence"


# --- timeline ------------------------------------------------------------------------


def time_label(entry: TimelineEntry) -> str:
    """`02-12 09:30 meta` / `… file`: when (UTC unless the file said otherwise; the
    year is in `story --json`), and where that came from."""
    if entry.time is None:
        return "unknown"
    moment = datetime.fromisoformat(entry.time)
    source = "meta" if entry.time_from == "metadata" else "file"
    return f"{moment:%m-%d %H:%M} {source}"


def change_bar(entry: TimelineEntry, largest: int) -> str:
    """A bar of the version's change size, scaled to the largest in the story."""
    if largest <= 0 or entry.change_size <= 0:
        return ""
    return "█" * max(1, round(BAR_WIDTH * entry.change_size / largest))


def _figure(value: int | None, sign: str = "") -> str:
    return "–" if value is None else f"{sign}{value:,}"


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One version's cells on the timeline, as text, and whether it is a big jump."""

    number: int
    cells: tuple[str, ...]
    big_jump: bool


TIMELINE_COLUMNS = (
    "v",
    "time",
    "source",
    "words",
    "added",
    "deleted",
    "moved",
    "subst",
    "sim",
    "change",
)


def big_jumps(timeline: Timeline) -> set[int]:
    """The versions to highlight: the largest change for every four versions, one to three."""
    return set(timeline.largest_changes(max(1, min(3, len(timeline.versions) // 4))))


def timeline_rows(timeline: Timeline) -> list[TimelineRow]:
    """The timeline's rows, the biggest jumps marked (see `big_jumps`)."""
    largest = max((entry.change_size for entry in timeline.versions), default=0)
    jumps = big_jumps(timeline)
    rows = []
    for entry in timeline.versions:
        similarity = "–" if entry.similarity is None else f"{entry.similarity:.0%}"
        cells = (
            f"v{entry.number}",
            time_label(entry),
            display_name(entry.source),
            f"{entry.words:,}",
            _figure(entry.words_added, "+"),
            _figure(entry.words_deleted, "−"),
            _figure(entry.words_moved),
            _figure(entry.substantive_changes),
            similarity,
            change_bar(entry, largest),
        )
        rows.append(TimelineRow(entry.number, cells, entry.number in jumps))
    return rows


def timeline_table(timeline: Timeline, title: str = "") -> Table:
    """The timeline as a Rich table (the CLI's `story` without --json)."""
    table = Table(
        title=Text(safe_line(title)) if title else None,
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for column in TIMELINE_COLUMNS:
        left = column in ("time", "source", "change")
        table.add_column(
            column,
            justify="left" if left else "right",
            no_wrap=True,
            overflow="ellipsis",
            min_width=6 if column == "source" else len(column) + (1 if column == "v" else 0),
        )
    for row in timeline_rows(timeline):
        style = "bold yellow" if row.big_jump else ""
        table.add_row(*(Text(cell) for cell in row.cells), style=style)
    return table


# --- provenance ----------------------------------------------------------------------


def version_colour(number: int, versions: int) -> Color:
    """The shade of sentences introduced in `number` of `versions`: the first version
    is darkest, the newest brightest, so what came late stands out."""
    share = (number - 1) / (versions - 1) if versions > 1 else 1.0
    low, high = (38, 38, 46), (40, 80, 150)
    return Color.from_rgb(*(round(a + (b - a) * share) for a, b in zip(low, high, strict=True)))


def render_provenance(
    version: VersionProvenance, text: str, versions: int, current: int | None
) -> RenderableType:
    """The sentences of `version` (whose text is `text`) shaded by the version that
    introduced each, its number in the gutter; sentence `current` is marked. Each
    sentence's style carries SENTENCE_META (its index) so a view can find its line."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=4, justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    paragraph = None
    for number, sentence in enumerate(version.sentences):
        if paragraph is not None and sentence.paragraph != paragraph:
            grid.add_row("", "")
        paragraph = sentence.paragraph
        shade = version_colour(sentence.introduced_in, versions)
        mark = number == current
        style = Style(bgcolor=shade, meta={SENTENCE_META: number}, reverse=mark, bold=mark)
        gutter = Text(
            f"v{sentence.introduced_in}",
            style=Style(color="bright_white" if mark else "grey70", bold=mark),
        )
        if sentence.edited_in:
            gutter.append("*", style="yellow")
        body = Text(safe_text(" ".join(text[sentence.start : sentence.end].split())), style=style)
        grid.add_row(gutter, body)
    return grid


def provenance_legend(versions: int) -> Text:
    """A key to the shades: one swatch per version."""
    legend = Text("introduced in: ", style="dim")
    for number in range(1, versions + 1):
        legend.append(f" v{number} ", style=Style(bgcolor=version_colour(number, versions)))
    legend.append("   * edited since", style="dim")
    return legend


def sentence_history(
    sentence: SentenceBlame,
    edits: Sequence[SentenceEdit],
    sources: Sequence[str],
    times: Sequence[str],
) -> Text:
    """When a sentence appeared, in which file, and each later edit with its word diff.

    `sources` and `times` are the versions' file names and time labels, oldest first.
    """
    history = Text()
    introduced = sentence.introduced_in
    history.append(f"Introduced in v{introduced}", style="bold")
    history.append(f" · {_at(sources, introduced)} · {_at(times, introduced)}")
    if len(sentence.origins) > 1:
        history.append(
            " · merges sentences from " + ", ".join(f"v{n}" for n in sentence.origins), style="dim"
        )
    if sentence.restored_in:
        history.append(
            " · restored in " + ", ".join(f"v{n}" for n in sentence.restored_in), style="dim"
        )
    if not edits:
        history.append("\nNot edited since.", style="dim")
    for edit in edits:
        history.append(f"\nEdited in v{edit.version}", style="bold yellow")
        history.append(
            f" ({edit.kind}, +{edit.words_inserted} −{edit.words_deleted} words)"
            f" · {_at(sources, edit.version)}: "
        )
        history.append_text(edit_changes(edit.changes))
    return history


def _at(values: Sequence[str], number: int) -> str:
    return safe_line(values[number - 1]) if 0 < number <= len(values) else "?"


def edit_changes(changes: Sequence[EditChange]) -> Text:
    """A sentence edit's word diff: `old → new` per change, flags in brackets."""
    text = Text()
    for number, change in enumerate(changes):
        if number:
            text.append("; ", style="dim")
        if change.old:
            text.append(safe_line(change.old), style="red strike")
        if change.old and change.new:
            text.append(" → ", style="dim")
        if change.new:
            text.append(safe_line(change.new), style="green")
        if change.flags:
            text.append(" [" + ", ".join(change.flags) + "]", style="bold magenta")
        if change.kind not in ("edit", "move"):
            text.append(f" ({change.kind})", style="dim")
    if not changes:
        text.append("only re-flowed", style="dim")
    return text


# --- what's new ----------------------------------------------------------------------

#: Changes listed above the diff at most; the rest are counted.
LISTED_CHANGES = 12


def whats_new_summary(news: WhatsNew, read_at: float | None = None) -> Text:
    """What changed since the version last read: substantive changes first, each with
    its flags, then other edits and moves, then house style (counted, never hidden)."""
    text = Text()
    unread = news.newest - news.since
    text.append(
        f"What's new: v{news.since} → v{news.newest} "
        f"({unread} version{'s' if unread != 1 else ''} since you read v{news.since}",
        style="bold",
    )
    if read_at is not None:
        text.append(" on " + time.strftime("%Y-%m-%d %H:%M", time.localtime(read_at)), style="bold")
    text.append(")", style="bold")
    stats = news.diff.stats
    text.append(f"  +{stats.words_inserted} −{stats.words_deleted} words", style="dim")
    if not news.changes:
        text.append("\nThe newest version says the same as the one you read.", style="green")
        return text
    for change in news.changes[:LISTED_CHANGES]:
        text.append("\n")
        text.append_text(_change_line(change))
    hidden = len(news.changes) - LISTED_CHANGES
    if hidden > 0:
        text.append(f"\n… and {hidden} more below", style="dim")
    return text


def _change_line(change: Change) -> Text:
    line = Text()
    if is_substantive(change):
        line.append("! ", style="bold magenta")
    elif change.kind.is_noise:
        line.append("· ", style="dim")
    else:
        line.append("  ")
    if change.old:
        line.append(safe_line(change.old)[:80], style="red strike")
    if change.old and change.new:
        line.append(" → ", style="dim")
    if change.new:
        line.append(safe_line(change.new)[:80], style="green")
    if change.flags:
        line.append(" [" + ", ".join(sorted(change.flags)) + "]", style="bold magenta")
    line.append(f" ({change.kind.value})", style="dim")
    return line


# --- unread --------------------------------------------------------------------------


def unread_to_json(unread: Sequence[Unread]) -> dict[str, Any]:
    """The stories with unread versions, as `newsreader unread --json` prints them."""
    return {
        "stories": [
            {
                "id": item.story.id,
                "title": item.story.title,
                "versions": len(item.story),
                "read_version": item.read_version,
                "read_at": datetime.fromtimestamp(item.read_at).astimezone().isoformat(),
                "unread": item.count,
                "unread_files": [
                    version.name for version in item.story.versions[item.read_version :]
                ],
            }
            for item in unread
        ]
    }


def unread_table(unread: Sequence[Unread]) -> Table:
    """The stories with unread versions, as a table."""
    table = Table(header_style="bold")
    for column in ("unread", "story", "read", "versions", "read on"):
        table.add_column(column)
    for item in unread:
        table.add_row(
            Text(f"● {item.count}", style="bold"),
            Text(safe_line(item.story.title)),
            f"v{item.read_version}",
            str(len(item.story)),
            time.strftime("%Y-%m-%d %H:%M", time.localtime(item.read_at)),
        )
    return table
