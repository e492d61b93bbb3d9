"""The `/` screen: search the whole corpus, pick a hit, open it with the matches marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.ingest.corpus import display_name
from reader.present.list_row import ListRow
from reader.present.search import lead_to_first_match, snippet_line
from reader.store.index import CorpusIndex, SearchHit
from reader.text.safe_text import safe_line, safe_text
from reader.tui.widgets.footer import FittingFooter
from reader.tui.widgets.row_list import RowList
from reader.tui.worker_errors import ReportsFailedWorkers, Retry, retry_binding

#: Hits listed at most.
SEARCH_LIMIT = 200


def hit_row(hit: SearchHit) -> ListRow:
    """A hit as a row: its headline, then file name and snippet with the matches marked."""
    prefix = f"{display_name(hit.name)} · "
    snippet, marks = lead_to_first_match(*snippet_line(hit.snippet))
    shifted = tuple((start + len(prefix), end + len(prefix)) for start, end in marks)
    return ListRow(title=safe_line(hit.title), detail=prefix + snippet, marks=shifted)


@dataclass(frozen=True, slots=True)
class SearchChoice:
    """What the user picked: an article, and the query whose matches to mark in it."""

    article_id: str
    query: str


@dataclass
class SearchResults(Message):
    """Hits for `query`, found off the UI thread."""

    query: str
    hits: list[SearchHit]


class SearchScreen(ReportsFailedWorkers, ModalScreen[SearchChoice | None]):
    """A query box over a list of ranked hits with snippets."""

    RETRIES: ClassVar[dict[str, Retry]] = {"search": Retry("Searching", "search_again")}

    BINDINGS = [
        retry_binding("search"),
        Binding(
            "escape",
            "dismiss_search",
            "Close search",
            key_display="Esc",
            id="search.dismiss-search",
        ),
        Binding("down", "focus_results", "To results", show=False, id="search.focus-results"),
    ]

    def __init__(self, index: CorpusIndex, query: str = "") -> None:
        super().__init__()
        self.index = index
        self.query_text = query
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box") as box:
            box.border_title = "Search"
            yield Input(
                value=self.query_text, placeholder='words, "a phrase", prefix*', id="search-input"
            )
            yield Static("Type to search every article.", id="search-status")
            yield RowList(id="search-results", placeholder="No results yet")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.query_text:
            self.run_search(self.query_text)

    @on(Input.Changed, "#search-input")
    def _query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def run_search(self, query: str) -> None:
        """Query the index off the UI thread (the newest query wins)."""
        hits = self.index.search(query, limit=SEARCH_LIMIT) if query.strip() else []
        self.post_message(SearchResults(query, hits))

    def action_search_again(self) -> None:
        """Run the query in the box again (after a failure)."""
        self.run_search(self.query_one(Input).value)

    def worker_failed(self, group: str, reason: str) -> None:
        """Say so in the status line."""
        failed = Text(f"Searching failed: {safe_text(reason)}. Ctrl+R tries again.", style="red")
        self.query_one("#search-status", Static).update(failed)

    def on_search_results(self, message: SearchResults) -> None:
        if message.query != self.query_one(Input).value:
            return  # an older query finished late
        self.hits = message.hits
        rows = [hit_row(hit) for hit in message.hits]
        self.query_one(RowList).set_rows(rows)
        count = len(message.hits)
        status = (
            "Type to search every article."
            if not message.query.strip()
            else (
                f"{count} match{'es' if count != 1 else ''}"
                + (" (the best shown)" if count == SEARCH_LIMIT else "")
                + " · Enter opens · ↓ to the list"
            )
        )
        self.query_one("#search-status", Static).update(status)

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        if self.hits:
            self._choose(0)

    @on(RowList.Selected, "#search-results")
    def _hit_selected(self, event: RowList.Selected) -> None:
        self._choose(event.index)

    def _choose(self, index: int) -> None:
        self.dismiss(SearchChoice(self.hits[index].article_id, self.query_one(Input).value))

    def action_focus_results(self) -> None:
        """Move from the query box to the results."""
        if self.hits:
            self.query_one(RowList).focus()

    def action_dismiss_search(self) -> None:
        """Close search without opening anything."""
        self.dismiss(None)
