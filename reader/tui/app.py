"""The Textual app: wires stories and articles to the list, reading and diff panes."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import ClassVar, TypeVar

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header

from reader.grouping.stories import Story, StoryCorpus
from reader.ingest.article import Article
from reader.ingest.corpus import describe_os_error, display_name, with_body
from reader.ingest.decode import NotText
from reader.ingest.workers import prepare_worker_processes
from reader.present.story_rows import RowState, StoryRows
from reader.store.index import CorpusIndex, IndexUnavailable
from reader.store.library import RefreshReport, kept_for_long, open_corpus, refresh
from reader.store.read_state import ReadMark, ReadTracker, read_marks, record_read
from reader.store.watch import watch_corpus
from reader.text.safe_text import safe_text
from reader.tui.bindings import VERSION
from reader.tui.keymap import EVERYWHERE, BindingPlaces, keymap_path, load_keymap, vet_keymap
from reader.tui.messages import CorpusLoaded, CorpusProgress, LoadFailed, RefreshFailed
from reader.tui.palette import ArticleCommands
from reader.tui.screens.help import HelpScreen, HelpSection, describe_keys
from reader.tui.screens.problems import ProblemsScreen
from reader.tui.screens.search_screen import SearchChoice, SearchScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.footer import FittingFooter
from reader.tui.widgets.rendered_lines import RenderedLinesView
from reader.tui.widgets.row_list import RowList
from reader.tui.worker_errors import ReportsFailedWorkers, Retry, retry_binding

# The screens for comparing and following stories (and what they compute with) are imported
# when first opened: starting the app without them lists a large corpus sooner.

#: Seconds a story stays open before its provenance is built in the background.
FOLLOW_PREFETCH_DELAY = 0.5
T = TypeVar("T")
#: How often a worker waiting on the corpus thread checks whether the app has quit.
QUIT_POLL_SECONDS = 0.05


class LoadingAbandoned(Exception):
    """The app quit while the corpus was being read, grouped or watched."""


#: How many recently opened articles the command palette offers.
RECENT_ARTICLES = 10
#: Columns the reading pane takes besides its text: list border, padding, scrollbar.
READER_CHROME = 8
#: The reading measure the list gives way to, and the list's narrowest and widest.
MIN_MEASURE = 60
LIST_MIN, LIST_MAX = 32, 56


#: App actions that act on the story list and reading pane, so only on the main screen.
_MAIN_SCREEN_ACTIONS = frozenset({"search", "diff", "mark", "step_version", "problems", "links"})


def list_width_for(columns: int) -> int | None:
    """The story list's width at a terminal `columns` wide, or None when only one pane fits.

    The list narrows first, so the article keeps a readable measure (up to the 76-column
    reading width); when even the narrowest list would leave the article under
    MIN_MEASURE columns, the panes take turns (one at a time, full width).
    """
    room = columns - READER_CHROME - MIN_MEASURE
    if room < LIST_MIN:
        return None
    return min(LIST_MAX, max(LIST_MIN, columns - READER_CHROME - 76))


class NewsReaderApp(ReportsFailedWorkers, App[None]):
    """Browse a corpus of wire-story files by story, read them, compare versions."""

    TITLE = "newsreader"
    CSS_PATH = "newsreader.tcss"
    COMMANDS = App.COMMANDS | {ArticleCommands}

    BINDINGS = [
        retry_binding("app"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Keys", key_display="?", id="app.help"),
        Binding("slash", "search", "Search", key_display="/", id="app.search"),
        Binding("p", "problems", "Problems", show=False, id="app.problems"),
        Binding("d", "diff", "Diff", id="app.diff"),
        Binding("m", "mark", "Mark as base", id="app.mark"),
        Binding("t", "timeline", "Timeline", show=False, id="app.timeline"),
        Binding("u", "next_unread", "Next unread", show=False, id="app.next-unread"),
        Binding("w", "why", "Why grouped", show=False, id="app.why"),
        Binding("l", "links", "Linked stories", show=False, id="app.links"),
        Binding("escape", "clear_mark", "Clear base mark", show=False, id="app.clear-mark"),
        Binding(
            "left_square_bracket",
            "step_version(-1)",
            "Older version",
            key_display="[",
            id="app.older-version",
            group=VERSION,
        ),
        Binding(
            "right_square_bracket",
            "step_version(1)",
            "Newer version",
            key_display="]",
            id="app.newer-version",
            group=VERSION,
        ),
        Binding("tab", "focus_next", "Switch pane", show=False, id="app.focus-next"),
        Binding(
            "shift+tab", "focus_previous", "Switch pane back", show=False, id="app.focus-previous"
        ),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.command-palette"),
    ]

    def __init__(
        self,
        paths: Sequence[Path] = (),
        *,
        index_file: Path | None = None,
        watch: bool = True,
        follow: bool = False,
        field_map: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        #: Columns of CSV/JSONL dumps named by `--field` (our field -> the dump's column).
        self.field_map = dict(field_map or {})
        #: Follow symbolic links met in folders (`--follow`).
        self.follow = follow
        prepare_worker_processes()
        self.paths = list(paths)
        self.index_file = index_file
        self.watch_files = watch
        self.library: StoryCorpus | None = None
        self.index: CorpusIndex | None = None
        self.story_rows = StoryRows([])
        self.marked: Article | None = None
        #: What the user read (kept in the index) and what arrived while the app runs.
        self.reading = ReadTracker()
        #: The story whose provenance to build in the background, and the one build at a time.
        self._follow_wanted: str | None = None
        self._follow_building = threading.Lock()
        #: The articles opened most recently, newest first (offered by the palette).
        self.recently_opened: list[Article] = []
        self.search_query = ""
        #: The user's keys (binding id -> keys) from keymap.toml.
        self.keymap: dict[str, str] = {}
        self._cancel_loading = threading.Event()
        self._progress_started: float | None = None
        #: True while the stories shown are those the index kept and the files are checked.
        self.checking = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield RowList(id="story-list", placeholder="Reading the corpus…")
            yield ArticleView(id="reader")
        yield FittingFooter()

    def on_mount(self) -> None:
        keymap, problem = load_keymap()
        problems = [problem] if problem else []
        if keymap:
            keymap, ignored = vet_keymap(
                keymap, self._normalize_keymap(keymap), self._binding_places(), keymap_path()
            )
            problems.extend(ignored)
        self.keymap = keymap
        if keymap:
            self.set_keymap(keymap)
        if problems:
            message = "\n".join(safe_text(line) for line in problems)
            self.notify(message, severity="warning", timeout=15, markup=False)
        self._stop_on_signals()
        self.sub_title = "finding and reading files…"
        self.query_one(ArticleView).show_message("Reading the corpus…")
        self.query_one(RowList).focus()
        self.load_library()

    def on_unmount(self) -> None:
        self._cancel_loading.set()
        # What was frozen out of the cycle collector's way (kept_for_long) can be collected
        # once the app is gone (a process that runs the app more than once: the tests).
        gc.unfreeze()

    async def action_quit(self) -> None:
        """Quit at once: work in progress (reading, grouping) is told to stop first."""
        self._cancel_loading.set()
        self.exit()

    # -- layout --------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """Narrow the list, or show one pane at a time, so the article stays readable."""
        self._lay_out_panes(event.size.width)

    def _lay_out_panes(self, columns: int) -> None:
        panes = self.query_one("#panes")
        width = list_width_for(columns)
        panes.set_class(width is None, "-one-pane")
        if width is not None:
            self.query_one(RowList).styles.width = width
        self._show_focused_pane()

    def _show_focused_pane(self) -> None:
        """In one-pane mode the pane shown is the one with focus (the list before any)."""
        reading = isinstance(self.focused, ArticleView)
        self.query_one("#panes").set_class(reading, "-reading")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_focused_pane()

    def action_focus_next(self) -> None:
        """Tab: the other pane (in one-pane mode it takes the screen)."""
        if self.screen is not self.screen_stack[0]:
            super().action_focus_next()
        else:
            self._switch_pane()

    def action_focus_previous(self) -> None:
        """Shift+Tab: the other pane."""
        if self.screen is not self.screen_stack[0]:
            super().action_focus_previous()
        else:
            self._switch_pane()

    def _switch_pane(self) -> None:
        if isinstance(self.focused, ArticleView):
            self.action_focus_list()
        else:
            self._focus_reader()

    def _focus_reader(self) -> None:
        self.query_one("#panes").add_class("-reading")
        self.query_one(ArticleView).focus()

    def _handle_exception(self, error: Exception) -> None:
        # Stop the workers (indexing, watching) first, so the app exits at once instead of
        # waiting on a thread that would never end.
        self._cancel_loading.set()
        super()._handle_exception(error)

    def _stop_on_signals(self) -> None:
        """SIGTERM and SIGHUP (the terminal closed) end the app as `q` does: workers are
        stopped and the terminal restored."""
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(signum, self._terminate, signum)

    def _terminate(self, signum: int) -> None:
        self._cancel_loading.set()
        self.exit(return_code=128 + signum)

    # -- loading -------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="corpus")
    def load_library(self) -> None:
        """Bring the index up to date and group the stories, off the UI thread; then watch
        the corpus and refresh when files change."""
        shown = False

        def show_stored(library: StoryCorpus, index: CorpusIndex) -> None:
            nonlocal shown
            shown = True
            self._show_stored(library, index)

        try:
            library, report, index = self._abandonable(
                lambda: open_corpus(
                    self.paths,
                    index_file=self.index_file,
                    progress=lambda done, total: self.post_message(CorpusProgress(done, total)),
                    cancel=self._cancel_loading,
                    follow=self.follow,
                    field_map=self.field_map,
                    stored=show_stored,
                )
            )
        except LoadingAbandoned:
            return
        except IndexUnavailable as error:
            self.post_message(LoadFailed(f"the index cannot be used: {error}"))
            return
        self.index = index
        self.reading.marks = self._stored_read_marks(index)
        if shown and not (report.indexed or report.removed or report.regrouped):
            self.post_message(CorpusLoaded(library, report))  # the list shown stays
            return
        rows, state = self._rows_for(library)
        self.post_message(CorpusLoaded(library, report, rows=rows, rows_state=state))

    def _show_stored(self, library: StoryCorpus, index: CorpusIndex) -> None:
        """Called from the corpus thread before the files are checked: show the stories as
        the index kept them (search works at once too)."""
        self.index = index
        self.reading.marks = self._stored_read_marks(index)
        rows, state = self._rows_for(library)
        message = CorpusLoaded(library, RefreshReport(), stale=True, rows=rows, rows_state=state)
        self.post_message(message)

    def _rows_for(self, library: StoryCorpus) -> tuple[StoryRows, RowState]:
        """The list's rows for `library`, built here, off the UI thread, with the expanded
        stories and base mark of the list shown now (the UI takes them only if those are
        still the same when they arrive)."""
        state = self.story_rows.state  # a copy in one step: the UI thread may change them
        with kept_for_long():
            unread = self.reading.unread_counts(library)
            return StoryRows.built(library.stories, unread, state), state

    def _abandonable(self, work: Callable[[], T]) -> T:
        """Run `work` in a daemon thread and wait for it, but stop waiting (raising
        LoadingAbandoned) as soon as the app quits: a chunk of files being read or the
        grouping of a large corpus can take seconds, and quitting must not wait for them
        (asyncio joins worker threads on exit; a daemon thread it does not know about)."""
        outcome: list[T] = []
        failure: list[BaseException] = []
        finished = threading.Event()

        def run() -> None:
            try:
                outcome.append(work())
            except BaseException as error:  # handed to the waiting worker, raised there
                failure.append(error)
            finally:
                finished.set()

        threading.Thread(target=run, name="newsreader-corpus", daemon=True).start()
        while not finished.wait(QUIT_POLL_SECONDS):
            if self._cancel_loading.is_set() and not self.is_running:
                raise LoadingAbandoned
        if failure:
            raise failure[0]
        return outcome[0]

    @work(thread=True, exclusive=True, exit_on_error=False, group="watch")
    def watch_library(self) -> None:
        """Watch the corpus (until the app closes) and refresh when files change."""
        with contextlib.suppress(LoadingAbandoned):
            self._abandonable(
                lambda: watch_corpus(self.paths, self._cancel_loading, self._files_changed)
            )

    def _files_changed(self) -> None:
        """Called from the watching thread: refresh the index and show what changed. A
        refresh that fails is reported (and logged); watching goes on."""
        if self.index is None:
            return
        try:
            library, report = refresh(
                self.index,
                self.paths,
                cancel=self._cancel_loading,
                follow=self.follow,
                field_map=self.field_map,
                kept=self.library,
                listed=True,
            )
        except Exception as error:  # reported, not raised: the next change refreshes again
            self.post_message(RefreshFailed(f"{type(error).__name__}: {error}"))
            return
        if report.indexed or report.removed:
            self.reading.marks = self._stored_read_marks(self.index)
            self.post_message(CorpusLoaded(library, report, live=True))

    def on_corpus_progress(self, message: CorpusProgress) -> None:
        now = time.monotonic()
        if self._progress_started is None or message.done == 0:
            self._progress_started = now
        if message.done >= message.total:
            # Every file is read; grouping them into stories comes next and takes a while.
            status = "grouping stories…" if message.total else "loading stories…"
            self._show_status(status, status.capitalize())
            return
        status = f"indexing {message.done:,} / {message.total:,} files"
        elapsed = now - self._progress_started
        if message.done and elapsed > 0.5 and message.done < message.total:
            rate = message.done / elapsed
            left = (message.total - message.done) / rate
            status += f" · {rate:,.0f}/s · about {left:,.0f} s left"
        self._show_status(status, status.capitalize() + "…")

    def _show_status(self, status: str, placeholder: str) -> None:
        """Progress in the header, and in the list while it is empty; beside the stories
        kept by the index while they are shown and the files checked."""
        if self.checking and self.library is not None:
            self.sub_title = f"{self._summary(self.library)} · {status}"
            return
        self.sub_title = status
        self.query_one(RowList).set_placeholder(placeholder)

    RETRIES: ClassVar[dict[str, Retry]] = {
        "corpus": Retry("Reading the corpus", "reload_corpus"),
        "watch": Retry("Watching the corpus for changes", "watch_again"),
    }

    def worker_failed(self, group: str, reason: str) -> None:
        """Reading that failed says so in the reading pane instead of 'reading…' forever."""
        if group == "corpus":
            self.sub_title = "could not open the corpus"
            self.query_one(ArticleView).show_message(
                f"Reading the corpus failed: {reason}. Ctrl+R tries again."
            )

    def action_reload_corpus(self) -> None:
        """Read the corpus again (after a failure)."""
        self.sub_title = "reading…"
        self.load_library()

    def action_watch_again(self) -> None:
        """Watch the corpus again (after the watcher failed)."""
        self.watch_library()

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        self.log.error(f"refresh after a file change failed: {message.reason}")
        self.notify(
            f"Updating after a file change failed: {safe_text(message.reason)}",
            severity="error",
            timeout=12,
            markup=False,
        )

    def on_load_failed(self, message: LoadFailed) -> None:
        self.sub_title = "could not open the corpus"
        self.query_one(ArticleView).show_message(message.reason)
        self.notify(safe_text(message.reason), severity="error", markup=False)

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        library, report = message.library, message.report
        if message.live and self.library is not None:
            self.reading.count_new_versions(self.library, library, report.updated_stories)
        checked = self.checking and not message.stale  # the files behind the kept list
        self.checking = message.stale
        self.library = library
        self._read_series_marks()
        self.sub_title = self._summary(library)
        if message.stale:
            self.sub_title += " · checking for changes…"
        if report.notice:
            self.notify(
                f"Note: {safe_text(report.notice)}", severity="warning", timeout=8, markup=False
            )
        story_list = self.query_one(RowList)
        if checked and self.watch_files and not report.cancelled:
            self.watch_library()
        if checked and not (report.indexed or report.removed or report.regrouped):
            return  # the list shown is the one the files give
        if message.live or checked:
            # in place: the cursor, the open article and the expanded stories stay
            self._take_rows(message)
            story_list.set_rows(self.story_rows.rows, cursor=story_list.cursor)
            if message.live:
                changes = f"{report.indexed:,} new or changed files, {report.removed:,} removed."
                self.notify(changes)
            return
        self._take_rows(message)
        self.story_rows.set_base(self.marked)
        story_list.set_rows(self.story_rows.rows)
        if self.watch_files and not report.cancelled and not message.stale:
            self.watch_library()
        if library.stories:
            first = library.stories[0]
            if first.versions:  # (a story listed from an index changed since may have none)
                self.open_article(first.latest, by_user=False)
            return
        story_list.set_placeholder("No articles")
        self.query_one(ArticleView).show_message(self._empty_message(library))

    def _take_rows(self, message: CorpusLoaded) -> None:
        """The list's rows for the stories that came: those built with them, unless the
        user expanded a story or marked a base since; else built now."""
        if message.rows is not None and message.rows_state == self.story_rows.state:
            self.story_rows = message.rows
            return
        library = message.library
        self.story_rows.update(library.stories, self.reading.unread_counts(library))

    @staticmethod
    def _summary(library: StoryCorpus) -> str:
        corpus = library.corpus
        summary = (
            f"{display_name(corpus.name)} · {len(library.stories):,} stories · "
            f"{library.article_count:,} articles"
        )
        if corpus.skipped:
            summary += f" · {len(corpus.skipped):,} skipped (p lists them)"
        return summary

    def _empty_message(self, library: StoryCorpus) -> str:
        where = ", ".join(display_name(str(path)) for path in self.paths) or "the sample"
        lines = [
            f"No articles in {where}.",
            "",
            "newsreader reads plain text, NITF, NewsML, ninjs, ANPA/IPTC 7901, HTML, WARC,",
            "CSV and JSONL files (by their content), searching folders recursively.",
        ]
        skipped = library.corpus.skipped
        if skipped:
            lines.append(f"{len(skipped):,} files were skipped:")
            lines.extend(
                f"  {display_name(skip.name)}: {display_name(skip.reason)}" for skip in skipped[:20]
            )
        return "\n".join(lines)

    # -- reading -------------------------------------------------------------------

    @property
    def current_article(self) -> Article | None:
        """The article in the reading pane."""
        return self.query_one(ArticleView).article

    def open_article(
        self, article: Article, highlight: tuple[str, ...] = (), *, by_user: bool = True
    ) -> None:
        """Show `article` in the reading pane (reading its text again if it was left out);
        `by_user`: the user opened it, so it counts as read."""
        view = self.query_one(ArticleView)
        if self.library is not None and by_user:
            story = self.library.story_of(article)
            if story is not None:
                self._note_read(story, article)
        self.recently_opened = [
            article,
            *(seen for seen in self.recently_opened if seen.id != article.id),
        ][:RECENT_ARTICLES]
        story = self.library.story_of(article) if self.library is not None else None
        try:
            full = with_body(article)
            if story is not None and story.notes:  # a metadata conflict: shown with the text
                full = replace(full, notes=(*full.notes, *story.notes))
            view.show_article(full, highlight)
        except (OSError, NotText) as error:
            reason = describe_os_error(error) if isinstance(error, OSError) else str(error)
            view.show_message(f"{display_name(article.name)} can no longer be read: {reason}.")
            view.article = article

    def reveal(self, article: Article, highlight: tuple[str, ...] = ()) -> None:
        """Open `article`, expanding its story in the list and putting the cursor on it."""
        if self.library is None:
            return
        story = self.library.story_of(article)
        if story is not None:
            self.story_rows.expand(story)
            story_list = self.query_one(RowList)
            story_list.set_rows(self.story_rows.rows, cursor=story_list.cursor)
            row = self.story_rows.index_of_article(article, story)
            if row is not None:
                story_list.cursor = row
        self.open_article(article, highlight)

    def open_article_by_id(self, article_id: str, highlight: tuple[str, ...] = ()) -> None:
        """Open the article with `article_id` (from the command palette or search)."""
        if self.library is None:
            return
        article = self.library.article_by_id(article_id)
        if article is not None:
            self._focus_reader()  # first: a pane shown in one-pane mode lays out its text
            self.reveal(article, highlight)

    @on(RowList.Selected, "#story-list")
    def _row_selected(self, event: RowList.Selected) -> None:
        entry = self.story_rows.entries[event.index]
        if entry.article is not None:
            self.open_article(entry.article)
            self._focus_reader()
            return
        story_list = self.query_one(RowList)
        expanding = entry.story.id not in self.story_rows.expanded
        self.story_rows.toggle(entry.story)
        story_list.set_rows(self.story_rows.rows, cursor=event.index)
        if expanding and entry.story.versions:
            self.open_article(entry.story.latest)

    # -- actions -------------------------------------------------------------------

    def action_focus_list(self) -> None:
        """Move focus back to the list of stories."""
        self.query_one("#panes").remove_class("-reading")
        self.query_one(RowList).focus()

    def _selected_article(self) -> Article | None:
        """The article the user means: the open one when reading, else the one under the cursor."""
        if not isinstance(self.focused, RowList):
            return self.current_article
        entries = self.story_rows.entries
        cursor = self.query_one(RowList).cursor
        if not entries or cursor >= len(entries):
            return None
        entry = entries[cursor]
        return entry.article or (entry.story.latest if entry.story.versions else None)

    def action_step_version(self, step: int) -> None:
        """Open the previous (or next) version of the open article's story."""
        article = self.current_article
        if article is None or self.library is None:
            return
        story = self.library.story_of(article)
        if story is None or len(story) < 2:
            self.notify("This story has only one version.")
            return
        index = story.index_of(article) + step
        if not 0 <= index < len(story):
            self.notify("This is the " + ("first" if step < 0 else "latest") + " version.")
            return
        self.reveal(story.versions[index])

    def action_mark(self) -> None:
        """Mark the selected article as the base that `d` compares against (again: clear)."""
        article = self._selected_article()
        if article is None:
            return
        if self.marked is not None and self.marked.id == article.id:
            self.action_clear_mark()
            return
        self._set_mark(article)
        self.notify(
            f"Marked {display_name(article.name)} as the base; d on another article compares "
            "with it; m again or Esc clears the mark.",
            markup=False,
        )

    def action_clear_mark(self) -> None:
        """Clear the base mark: `d` compares with the previous version again."""
        if self.marked is None:
            return
        self._set_mark(None)
        self.notify("Base mark cleared; d compares with the previous version.")

    def _set_mark(self, article: Article | None) -> None:
        self.marked = article
        story = self.library.story_of(article) if article and self.library else None
        if story is not None:
            self.story_rows.expand(story)  # so the row that shows the mark is in the list
        self.story_rows.set_base(article)
        story_list = self.query_one(RowList)
        story_list.set_rows(self.story_rows.rows, cursor=story_list.cursor)
        self.refresh_bindings()

    def get_key_display(self, binding: Binding) -> str:
        """Keys in the footer as people type them (`Ctrl+P`, `PgDn`, `<`), the user's too."""
        return binding.key_display or describe_keys(binding)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc clears the base mark only when there is one (else it does nothing here); the
        keys of the main screen work there only (the footer of a diff does not offer them)."""
        if action == "clear_mark":
            return self.marked is not None
        if action in _MAIN_SCREEN_ACTIONS:
            return self.screen is self.screen_stack[0]
        return True

    def action_diff(self) -> None:
        """Compare the selected article with the marked one, or with its predecessor."""
        target = self._selected_article()
        if target is None or self.library is None:
            return
        story = self.library.story_of(target)
        base = self.marked
        if base is None or base.id == target.id:
            base = story.predecessor(target) if story is not None else None
            if base is None:
                self.notify(
                    "This is the first version of its story. Mark another article with m "
                    "to compare against it.",
                    severity="warning",
                )
                return
        marked = self.marked is not None and base.id == self.marked.id
        from reader.tui.screens.diff_screen import DiffScreen

        self.push_screen(DiffScreen(base, target, story, marked_base=marked))

    # -- following stories -----------------------------------------------------------

    @staticmethod
    def _stored_read_marks(index: CorpusIndex) -> dict[str, ReadMark]:
        """What the user read, from the index (nothing if it cannot be read)."""
        try:
            return read_marks(index)
        except sqlite3.Error:
            return {}

    def _note_read(self, story: Story, article: Article) -> None:
        """The user opened `article`: remember it if it is the furthest read, update the
        story's mark, and show what's new when it is the newest and newer than the last
        version read; prepare the story's provenance in the background."""
        noted = self.reading.note_read(story, article)
        if noted.furthest:
            self._save_read(story, article)
        if self.story_rows.set_unread(story, self.reading.unread_count(story)):
            story_list = self.query_one(RowList)
            story_list.set_rows(self.story_rows.rows, cursor=story_list.cursor)
        if noted.whats_new_since is not None:
            read_at = noted.whats_new_since.read_at
            from reader.tui.screens.whats_new_screen import WhatsNewScreen

            self.push_screen(WhatsNewScreen(story, noted.since_version, read_at))
        if len(story) > 1:
            self._prepare_follow(story)

    def _prepare_follow(self, story: Story) -> None:
        """Build (and cache in the index) the provenance and timeline of the story being
        read, in the background, so t and b show them at once."""
        self._follow_wanted = story.id
        self._prepare_follow_soon(story)

    @work(thread=True, exit_on_error=False, group="follow-prefetch")
    def _prepare_follow_soon(self, story: Story) -> None:
        # Only for a story the user stays on, and one at a time: flipping through stories
        # must not start a build per story on a machine with two cores.
        if self._cancel_loading.wait(FOLLOW_PREFETCH_DELAY) or self._follow_wanted != story.id:
            return
        if not self._follow_building.acquire(blocking=False):
            return
        try:
            from reader.follow.followed import VersionUnreadable, follow_story

            with contextlib.suppress(VersionUnreadable):
                follow_story(story, self.index)
        finally:
            self._follow_building.release()

    @work(thread=True, exit_on_error=False, group="read-state")
    def _save_read(self, story: Story, article: Article) -> None:
        """Record the read in the index (off the UI thread: a refresh may hold it)."""
        if self.index is None:
            return
        try:
            record_read(self.index, story, article)
        except sqlite3.Error as error:
            self.call_from_thread(
                self.notify,
                f"What you read could not be remembered: {error}",
                severity="warning",
                markup=False,
            )

    def _story_of_selection(self) -> Story | None:
        article = self._selected_article()
        if article is None or self.library is None:
            return None
        return self.library.story_of(article)

    def action_next_unread(self) -> None:
        """Open the next story with versions newer than the one you last read."""
        current = self._story_of_selection()
        story = self.story_rows.next_unread(current)
        if story is None:
            self.notify("No story has unread versions.")
            return
        self.reveal(story.latest)
        self.query_one(ArticleView).focus()

    def action_timeline(self) -> None:
        """Show the timeline of the selected story: every version and how much it changed."""
        article = self._selected_article()
        story = self.library.story_of(article) if article and self.library else None
        if article is None or story is None:
            return
        from reader.tui.screens.timeline_screen import TimelineScreen

        self.push_screen(TimelineScreen(story, self.index, story.index_of(article) + 1))

    def action_provenance(self) -> None:
        """Shade each sentence of the open version by the version that introduced it."""
        article = self.current_article
        story = self.library.story_of(article) if article and self.library else None
        if article is None or story is None:
            return
        from reader.tui.screens.provenance_screen import ProvenanceScreen

        self.push_screen(ProvenanceScreen(story, article, self.index))

    def action_why(self) -> None:
        """Explain the grouping of the selected article against the marked one, or
        against its predecessor."""
        target = self._selected_article()
        if target is None or self.library is None:
            return
        base = self.marked
        if base is None or base.id == target.id:
            story = self.library.story_of(target)
            base = story.predecessor(target) if story is not None else None
            if base is None:
                self.notify(
                    "This is the first version of its story. Mark another article with m "
                    "to see why they are grouped or kept apart.",
                    severity="warning",
                )
                return
        from reader.tui.screens.why_screen import WhyScreen

        self.push_screen(WhyScreen(base, target))

    def action_links(self) -> None:
        """List the stories linked to the selected one (other issues of its series, related
        stories, digests holding its opening); Enter jumps to one."""
        story = self._story_of_selection()
        if story is None or self.library is None:
            return
        from reader.tui.screens.links_screen import LinksScreen

        self.push_screen(LinksScreen(story, self.library, self.index), self._jump_to_story)

    def _jump_to_story(self, story_id: str | None) -> None:
        """Put the list's cursor on the story `story_id` and open its latest version."""
        if story_id is None or self.library is None:
            return
        story = self.library.story_by_id(story_id)
        if story is None or not story.versions:
            return
        self.action_focus_list()
        self.query_one(RowList).cursor = self.story_rows.index_of_story(story)
        self.open_article(story.latest)

    @work(thread=True, exit_on_error=False, group="series-marks")
    def _read_series_marks(self) -> None:
        """Mark the rows of stories that are issues of a series (read from the index off
        the UI thread, after the list is shown). Not exclusive: a read cancelled by the next
        would leave a cancelled worker to whoever waits for the app's workers."""
        if self.index is None:
            return
        from reader.store.story_links import stories_in_series

        series = stories_in_series(self.index)
        self.call_from_thread(self._show_series_marks, series)

    def _show_series_marks(self, series: frozenset[str]) -> None:
        if self.story_rows.mark_series(series):
            story_list = self.query_one(RowList)
            story_list.set_rows(self.story_rows.rows, cursor=story_list.cursor)

    def action_search(self) -> None:
        """Search every article; Enter opens a hit with its matches marked."""
        if self.index is None:
            self.notify("The index is still being built; search works once it is ready.")
            return

        def opened(choice: SearchChoice | None) -> None:
            if choice is not None:
                self.search_query = choice.query
                self.open_article_by_id(choice.article_id, (choice.query,))

        self.push_screen(SearchScreen(self.index, self.search_query), opened)

    def action_problems(self) -> None:
        """List the files that were skipped or read with a caveat, and why."""
        if self.library is not None:
            library = self.library
            self.push_screen(ProblemsScreen(library.corpus.skipped, library.noted_articles()))

    def action_help(self) -> None:
        """Show every key binding."""
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.binding_sections(), self.keymap))

    def binding_sections(self) -> list[HelpSection]:
        """Every binding, by where it works (as `?` lists them)."""
        from reader.tui.screens.diff_screen import DiffScreen
        from reader.tui.screens.links_screen import LinksScreen
        from reader.tui.screens.provenance_screen import ProvenanceScreen, ProvenanceView
        from reader.tui.screens.timeline_screen import TimelineScreen
        from reader.tui.screens.whats_new_screen import WhatsNewScreen
        from reader.tui.screens.why_screen import WhyScreen
        from reader.tui.widgets.diff_view import DiffView

        return [
            (EVERYWHERE, self.BINDINGS),
            ("Story list", RowList.BINDINGS),
            ("Reading pane", RenderedLinesView.BINDINGS + ArticleView.BINDINGS),
            ("Diff", DiffScreen.BINDINGS + DiffView.BINDINGS),
            ("Timeline", TimelineScreen.BINDINGS),
            ("Provenance", ProvenanceScreen.BINDINGS + ProvenanceView.BINDINGS),
            ("What's new", WhatsNewScreen.BINDINGS),
            ("Search", SearchScreen.BINDINGS),
            ("Problems", ProblemsScreen.BINDINGS),
            ("Help", HelpScreen.BINDINGS),
            ("Why", WhyScreen.BINDINGS),
            ("Linked stories", LinksScreen.BINDINGS),
        ]

    def _binding_places(self) -> BindingPlaces:
        """Binding id -> (where it works, its default keys), to vet the user's keymap."""
        places: BindingPlaces = {}
        for section, bindings in self.binding_sections():
            for item in bindings:
                if isinstance(item, Binding) and item.id:
                    keys = frozenset(key.strip() for key in item.key.split(","))
                    places[item.id] = (section, keys)
        return places
