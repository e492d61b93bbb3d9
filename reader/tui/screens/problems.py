"""The `p` screen: every file that was skipped or read with a caveat, and why."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ingest.article import Article
from reader.ingest.corpus import SkippedFile, display_name
from reader.present.list_row import ListRow
from reader.text.safe_text import safe_line
from reader.tui.widgets.footer import FittingFooter
from reader.tui.widgets.row_list import RowList


def problem_rows(skipped: Sequence[SkippedFile], noted: Sequence[Article]) -> list[ListRow]:
    """Skipped files first (with the reason), then articles read with a caveat."""
    rows = [
        ListRow(title=display_name(skip.name), detail=f"skipped: {safe_line(skip.reason)}")
        for skip in skipped
    ]
    rows.extend(
        ListRow(title=display_name(article.name), detail=safe_line("; ".join(article.notes)))
        for article in noted
        if article.notes
    )
    return rows


class ProblemsScreen(ModalScreen[None]):
    """Lists what could not be read as it is."""

    BINDINGS = [Binding("escape,q,p", "dismiss", "Close", key_display="Esc", id="problems.dismiss")]

    def __init__(self, skipped: Sequence[SkippedFile], noted: Sequence[Article]) -> None:
        super().__init__()
        self.rows = problem_rows(skipped, noted)

    def compose(self) -> ComposeResult:
        with Vertical(id="problems-box") as box:
            box.border_title = "Problems"
            box.border_subtitle = "Esc closes"
            count = len(self.rows)
            summary = (
                "Every file was read as it is."
                if not count
                else f"{count:,} file{'s' if count != 1 else ''} skipped or read with a caveat:"
            )
            yield Static(summary, id="problems-summary")
            yield RowList(id="problems-list", placeholder="Nothing to report")
        yield FittingFooter()

    def on_mount(self) -> None:
        problems = self.query_one(RowList)
        problems.set_rows(self.rows)
        problems.focus()
