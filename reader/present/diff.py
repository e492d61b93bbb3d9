"""Rich renderables and plain text for a word diff, shared by the app and the command line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.table import Table
from rich.text import Text

from reader.diff.noise import ChangeKind
from reader.diff.pieces import Piece
from reader.diff.tokens import PARAGRAPH_KEY
from reader.diff.word_diff import Change, WordDiff
from reader.text.safe_text import safe_text

DELETED = Style(color="red", strike=True)
INSERTED = Style(color="green", bold=True)
MOVED_FROM = Style(color="magenta", strike=True)
MOVED_TO = Style(color="magenta", bold=True)
MOVE_MARK = Style(color="magenta", reverse=True, bold=True)
NOISE_OLD = Style(dim=True, strike=True)
NOISE_NEW = Style(dim=True, underline=True)
#: A flagged change (numbers, negation, names, attribution, dates) is marked `⚑` and
#: drawn on a coloured background, so it stands out from other edits.
FLAG_MARK = "⚑"
FLAG_MARK_STYLE = Style(color="black", bgcolor="yellow", bold=True)
FLAGGED_DELETED = Style(color="white", bgcolor="dark_red", strike=True)
FLAGGED_INSERTED = Style(color="black", bgcolor="green", bold=True)

#: Meta key on the styles of a change, numbering the changes in reading order, so a
#: view can find the screen line of each after wrapping.
STOP_META = "change_stop"
#: Meta key on the mark of a flagged change, numbering the flagged changes.
FLAG_META = "flag_stop"


def _stop_style(style: Style, stop: int) -> Style:
    return style + Style(meta={STOP_META: stop})


def _shown(piece: Piece, show_noise: bool) -> bool:
    return piece.kind is not None and (show_noise or not piece.kind.is_noise)


def _stops(diff: WordDiff, show_noise: bool) -> Iterator[tuple[Piece, int | None]]:
    """Each piece with the number of the change stop it belongs to (None if unchanged).

    A stop is one change as the stats count it: a run of edits (a deletion and its
    insertion), one style change, or one end of a move.
    """
    stop = -1
    previous: Piece | None = None
    for piece in diff.pieces:
        shown = _shown(piece, show_noise)
        if shown and not (
            previous is not None
            and previous.kind is ChangeKind.EDIT
            and piece.kind is ChangeKind.EDIT
        ):
            stop += 1
        previous = piece if shown else None
        yield piece, stop if shown else None


def flagged_stop_count(diff: WordDiff, *, show_noise: bool = True) -> int:
    """How many flagged changes `f` steps through (each end of a flagged move counts)."""
    return len(
        {stop for piece, stop in _stops(diff, show_noise) if stop is not None and piece.flags}
    )


def change_stop_count(diff: WordDiff, *, show_noise: bool = True) -> int:
    """How many changes `n` steps through: the count the stats line starts with."""
    last = -1
    for _, stop in _stops(diff, show_noise):
        if stop is not None:
            last = stop
    return last + 1


class _FlagCounter:
    """Numbers the flagged changes in reading order (one number per change stop)."""

    def __init__(self) -> None:
        self.count = 0
        self.stops: dict[int, int] = {}

    def number(self, stop: int) -> tuple[int, bool]:
        """The flag number of `stop`, and whether this is its first piece."""
        if stop in self.stops:
            return self.stops[stop], False
        self.stops[stop] = self.count
        self.count += 1
        return self.stops[stop], True


def _append_piece(
    old_side: Text | None,
    new_side: Text | None,
    piece: Piece,
    stop: int | None,
    show_noise: bool,
    flags: _FlagCounter,
) -> None:
    """Append a piece to one text (inline: both sides the same Text) or to two (side by side)."""
    kind = piece.kind
    # Text from the files: made safe to display (same length, so offsets still hold).
    old_text, new_text = safe_text(piece.old_text), safe_text(piece.new_text)
    if kind is None or (kind.is_noise and not show_noise):
        if new_side is not None:
            new_side.append(new_text)
        if old_side is not None and old_side is not new_side:
            old_side.append(old_text)
        return
    assert stop is not None
    if piece.flags:
        number, first = flags.number(stop)
        side = old_side if piece.old and old_side is not None else new_side
        if first and side is not None:
            meta = Style(meta={FLAG_META: number, STOP_META: stop})
            side.append(FLAG_MARK, style=FLAG_MARK_STYLE + meta)
    if kind is ChangeKind.MOVE:
        mark = f"⇥{piece.move}" if piece.old else f"↦{piece.move}"
        side = old_side if piece.old else new_side
        if side is not None:
            side.append(mark, style=_stop_style(MOVE_MARK, stop))
            _append_move_text(side, piece, stop, show_noise)
        return
    if kind.is_noise:
        old_style, new_style = NOISE_OLD, NOISE_NEW
    elif piece.flags:
        old_style, new_style = FLAGGED_DELETED, FLAGGED_INSERTED
    else:
        old_style, new_style = DELETED, INSERTED
    if old_text and old_side is not None:
        old_side.append(_visible(old_text), style=_stop_style(old_style, stop))
    if new_text and new_side is not None:
        new_side.append(new_text, style=_stop_style(new_style, stop))


def _append_move_text(side: Text, piece: Piece, stop: int, show_noise: bool) -> None:
    """The moved text, with the word diff between its two ends inside it (at both ends)."""
    base = MOVED_FROM if piece.old else MOVED_TO
    if piece.inner is None:
        side.append(piece.old_text or piece.new_text, style=_stop_style(base, stop))
        return
    for inner in piece.inner:
        if inner.kind is None or (inner.kind.is_noise and not show_noise):
            side.append(
                inner.old_text if piece.old else inner.new_text, style=_stop_style(base, stop)
            )
            continue
        if inner.kind.is_noise:
            old_style, new_style = NOISE_OLD, NOISE_NEW
        elif inner.flags:
            old_style, new_style = FLAGGED_DELETED, FLAGGED_INSERTED
        else:
            old_style, new_style = DELETED, INSERTED
        if inner.old_text:
            side.append(_visible(inner.old_text), style=_stop_style(old_style, stop))
        if inner.new_text:
            side.append(inner.new_text, style=_stop_style(new_style, stop))


def _visible(text: str) -> str:
    """Deleted whitespace is drawn as a pilcrow, so a removed paragraph break can be seen."""
    return text.replace("\n", "¶\n") if not text.strip() else text


def render_inline(diff: WordDiff, *, show_noise: bool = True) -> Text:
    """One text: deletions struck in red, insertions in green, moves in magenta, noise dim."""
    text = Text()
    flags = _FlagCounter()
    for piece, stop in _stops(diff, show_noise):
        _append_piece(text, text, piece, stop, show_noise, flags)
    return text


def _split_rows(diff: WordDiff, show_noise: bool) -> Iterator[list[tuple[Piece, int | None]]]:
    """Pieces grouped into rows that end at a paragraph break both versions share."""
    for row, _ in _rows_with_breaks(diff, show_noise):
        yield row


def _rows_with_breaks(
    diff: WordDiff, show_noise: bool
) -> Iterator[tuple[list[tuple[Piece, int | None]], str]]:
    """Each paragraph row with the (new version's) whitespace of the break that ends it."""
    row: list[tuple[Piece, int | None]] = []
    for piece, stop in _stops(diff, show_noise):
        if piece.kind is not None:
            row.append((piece, stop))
            continue
        start = 0
        for index, token in enumerate(piece.old):
            if token.key == PARAGRAPH_KEY:
                row.append((_slice(piece, start, index), None))
                yield row, piece.new[index].text
                row = []
                start = index + 1
        if start < len(piece.old):
            row.append((_slice(piece, start, len(piece.old)), None))
    if row:
        yield row, ""


def _slice(piece: Piece, start: int, end: int) -> Piece:
    return Piece(None, piece.old[start:end], piece.new[start:end])


def side_by_side_table(*, show_header: bool = True) -> Table:
    """The empty two-column table of the side-by-side view (rows: side_by_side_rows)."""
    table = Table(
        box=None, expand=True, padding=(0, 1), show_header=show_header, header_style="bold"
    )
    table.add_column("old", ratio=1)
    table.add_column("new", ratio=1)
    return table


def side_by_side_rows(diff: WordDiff, *, show_noise: bool = True) -> list[tuple[Text, Text]]:
    """Old and new of each paragraph row, aligned (rows with nothing to show left out)."""
    rows = []
    flags = _FlagCounter()
    for row in _split_rows(diff, show_noise):
        old_side, new_side = Text(), Text()
        for piece, stop in row:
            _append_piece(old_side, new_side, piece, stop, show_noise, flags)
        if old_side.plain.strip() or new_side.plain.strip():
            old_side.rstrip()
            new_side.rstrip()
            rows.append((old_side, new_side))
    return rows


def render_side_by_side(diff: WordDiff, *, show_noise: bool = True) -> Table:
    """Old and new in two columns, paragraphs aligned row by row."""
    table = side_by_side_table()
    for old_side, new_side in side_by_side_rows(diff, show_noise=show_noise):
        table.add_row(old_side, new_side)
        table.add_row("", "")
    return table


def render_plain(diff: WordDiff, *, show_noise: bool = True) -> str:
    """wdiff-style markers for a terminal without colour or a file.

    `[-deleted-]{+inserted+}`; noise as `{~old~>new~}`; a move as `[-⇥1 text-]` where it
    was and `{+↦1 text+}` where it went, with the edits between its two ends shown inside
    it at both ends as `⟨old→new⟩`.
    """
    return _plain_pieces(diff.pieces, show_noise)


def _plain_pieces(pieces: Iterable[Piece], show_noise: bool) -> str:
    parts = []
    for piece in pieces:
        kind = piece.kind
        old_text, new_text = piece.old_text, piece.new_text
        if kind is None or (kind.is_noise and not show_noise):
            parts.append(new_text)
        elif kind.is_noise:
            parts.append(f"{{~{old_text}~>{new_text}~}}")
        elif kind is ChangeKind.MOVE:
            moved = _plain_move_text(piece, show_noise)
            parts.append(
                f"[-⇥{piece.move} {moved}-]" if old_text else f"{{+↦{piece.move} {moved}+}}"
            )
        else:
            if old_text:
                parts.append(f"[-{old_text}-]")
            if new_text:
                parts.append(f"{{+{new_text}+}}")
    return safe_text("".join(parts))


def _plain_move_text(piece: Piece, show_noise: bool) -> str:
    if piece.inner is None:
        return piece.old_text or piece.new_text
    parts = []
    edit_old, edit_new = "", ""
    for inner in [*piece.inner, Piece(None, [], [])]:
        if inner.kind is ChangeKind.EDIT:
            edit_old, edit_new = edit_old + inner.old_text, edit_new + inner.new_text
            continue
        if edit_old or edit_new:
            parts.append(f"⟨{edit_old}→{edit_new}⟩")
            edit_old, edit_new = "", ""
        if inner.kind is None or (inner.kind.is_noise and not show_noise):
            parts.append(inner.old_text if piece.old else inner.new_text)
        else:
            parts.append(f"⟨~{inner.old_text}→{inner.new_text}~⟩")
    return "".join(parts)


#: One paragraph row of a diff: its pieces, each with its change stop (None if unchanged).
Row = list[tuple[Piece, int | None]]


@dataclass(frozen=True, slots=True)
class Hunk:
    """Consecutive paragraph rows around changes: rows `first` to `last` (0-based) of `total`.

    Each row comes with the break that ends it: a blank line between paragraphs, a newline
    between the lines of a table."""

    first: int
    last: int
    total: int
    rows: tuple[tuple[Row, str], ...]

    @property
    def heading(self) -> str:
        """`@@ paragraphs 4-6 of 12 @@`: where the hunk stands (1-based, as people count)."""
        where = (
            f"paragraph {self.first + 1}"
            if self.first == self.last
            else f"paragraphs {self.first + 1}-{self.last + 1}"
        )
        return f"@@ {where} of {self.total} @@"


def diff_hunks(diff: WordDiff, *, context: int = 1, show_noise: bool = True) -> list[Hunk]:
    """The paragraph rows that hold a change, each with `context` unchanged rows either side;
    rows that touch or overlap make one hunk (as `diff -U` does with lines)."""
    rows = [
        (row, _break_between(space))
        for row, space in _rows_with_breaks(diff, show_noise)
        if _row_plain(row, True).strip()
    ]
    changed = [
        index for index, (row, _) in enumerate(rows) if any(stop is not None for _, stop in row)
    ]
    spans: list[list[int]] = []
    for index in changed:
        start, end = max(0, index - context), min(len(rows) - 1, index + context)
        if spans and start <= spans[-1][1] + 1:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [Hunk(start, end, len(rows), tuple(rows[start : end + 1])) for start, end in spans]


def _break_between(space: str) -> str:
    """A blank line after a paragraph; a newline after a table's line (one newline); the
    spaces that indent the next line of a table are kept."""
    indent = space.rsplit("\n", 1)[-1] if "\n" in space else ""
    return ("\n" if space.count("\n") == 1 else "\n\n") + indent


def _row_plain(row: Row, show_noise: bool) -> str:
    return _plain_pieces((piece for piece, _ in row), show_noise)


def render_hunks_plain(hunks: Sequence[Hunk], *, show_noise: bool = True) -> str:
    """The hunks in wdiff-style markers (see render_plain), each under its `@@` heading."""
    blocks = []
    for hunk in hunks:
        parts = [hunk.heading, "\n"]
        for row, space in hunk.rows:
            parts.extend([_row_plain(row, show_noise).rstrip(), space])
        blocks.append("".join(parts).rstrip())  # the break after the last row is not shown
    return safe_text("\n\n".join(blocks))


def render_hunks(hunks: Sequence[Hunk], *, show_noise: bool = True) -> Text:
    """The hunks coloured as render_inline colours the whole diff, each under its heading."""
    text = Text()
    flags = _FlagCounter()
    for number, hunk in enumerate(hunks):
        if number:
            text.append("\n\n")
        text.append(hunk.heading + "\n", style="bold cyan")
        for row, space in hunk.rows:
            paragraph = Text()
            for piece, stop in row:
                _append_piece(paragraph, paragraph, piece, stop, show_noise, flags)
            paragraph.rstrip()
            text.append_text(paragraph)
            text.append(space)
        text.rstrip()
    return text


def diff_summary(diff: WordDiff, *, show_noise: bool = True) -> Text:
    """The stats line: similarity, words in and out, changes by kind."""
    stats = diff.stats
    summary = Text()
    summary.append(f"similarity {stats.similarity:.0%}", style="bold")
    stops = change_stop_count(diff, show_noise=show_noise)
    summary.append(f"  {stops} change{'s' if stops != 1 else ''}:", style="bold")
    summary.append("  ")
    summary.append(f"+{stats.words_inserted}", style="green")
    summary.append(" ")
    summary.append(f"−{stats.words_deleted}", style="red")
    summary.append(" words")
    if stats.words_moved:
        summary.append(f"  {stats.words_moved} moved", style="magenta")
    for kind in ChangeKind:
        count = stats.by_kind.get(kind.value, 0)
        if count and (show_noise or not kind.is_noise):
            summary.append(f"  {count} {kind.value}", style="dim" if kind.is_noise else "")
    flagged = flagged_stop_count(diff, show_noise=show_noise)
    if flagged:  # the count `f` steps through; then what the flags touch
        summary.append(f"  {flagged} flagged:", style="bold yellow")
    for flag, count in stats.by_flag.items():
        summary.append(f"  {FLAG_MARK}{count} {flag}", style="bold yellow")
    if not show_noise and any(
        stats.by_kind.get(kind.value) for kind in ChangeKind if kind.is_noise
    ):
        summary.append("  (noise hidden)", style="dim italic")
    return summary


def change_to_json(change: Change) -> dict[str, object]:
    """A change as the `--json` output lists it."""
    entry: dict[str, object] = {
        "kind": change.kind.value,
        "old": change.old,
        "new": change.new,
        "old_start": change.old_start,
        "new_start": change.new_start,
    }
    if change.move is not None:
        entry["move"] = change.move
    entry["flags"] = list(change.flags)
    return entry


def pieces_to_json(diff: WordDiff) -> list[dict[str, object]]:
    """The diff in reading order, as the `--json` output's `pieces`.

    Each piece has `kind` (`same` for unchanged text), `old` and `new`; joining the `old`
    of every piece gives the old text exactly, and the `new` the new text (a move's old
    end has only `old`, its new end only `new`, both with its `move` number).
    """
    entries: list[dict[str, object]] = []
    for piece in diff.pieces:
        entry: dict[str, object] = {
            "kind": piece.kind.value if piece.kind is not None else "same",
            "old": piece.old_text,
            "new": piece.new_text,
        }
        if piece.move is not None:
            entry["move"] = piece.move
        if piece.flags:
            entry["flags"] = list(piece.flags)
        entries.append(entry)
    return entries
