"""The Textual app: wires stories and articles to the list, reading and diff panes."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState

from reader.grouping.stories import StoryCorpus
from reader.ingest.article import Article
from reader.ingest.corpus import describe_os_error, display_name, with_body
from reader.ingest.decode import NotText
from reader.ingest.workers import prepare_worker_processes
from reader.present.story_rows import StoryRows
from reader.store.index import CorpusIndex, IndexUnavailable
from reader.store.library import open_corpus, refresh
from reader.store.watch import watch_corpus
from reader.text.safe_text import safe_text
from reader.tui.keymap import load_keymap
from reader.tui.messages import CorpusLoaded, CorpusProgress, LoadFailed
from reader.tui.palette import ArticleCommands
from reader.tui.screens.diff_screen import DiffScreen
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.problems import ProblemsScreen
from reader.tui.screens.search_screen import SearchChoice, SearchScreen
from reader.tui.screens.why_screen import WhyScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.diff_view import DiffView
from reader.tui.widgets.rendered_lines import RenderedLinesView
from reader.tui.widgets.row_list import RowList

#: How many recently opened articles the command palette offers.
RECENT_ARTICLES = 10


class NewsReaderApp(App[None]):
    """Browse a corpus of wire-story files by story, read them, compare versions."""

    TITLE = "newsreader"
    CSS_PATH = "newsreader.tcss"
    COMMANDS = App.COMMANDS | {ArticleCommands}

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Keys", key_display="?", id="app.help"),
        Binding("slash", "search", "Search", key_display="/", id="app.search"),
        Binding("p", "problems", "Problems", show=False, id="app.problems"),
        Binding("d", "diff", "Diff", id="app.diff"),
        Binding("m", "mark", "Mark as base", id="app.mark"),
        Binding("w", "why", "Why grouped", show=False, id="app.why"),
        Binding(
            "left_square_bracket",
            "step_version(-1)",
            "Older version",
            key_display="[",
            id="app.older-version",
        ),
        Binding(
            "right_square_bracket",
            "step_version(1)",
            "Newer version",
            key_display="]",
            id="app.newer-version",
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
    ) -> None:
        super().__init__()
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
        #: The articles opened most recently, newest first (offered by the palette).
        self.recently_opened: list[Article] = []
        self.search_query = ""
        #: The user's keys (binding id -> keys) from keymap.toml.
        self.keymap: dict[str, str] = {}
        self._cancel_loading = threading.Event()
        self._progress_started: float | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield RowList(id="story-list", placeholder="Reading the corpus…")
            yield ArticleView(id="reader")
        yield Footer()

    def on_mount(self) -> None:
        keymap, problem = load_keymap()
        self.keymap = keymap
        if keymap:
            self.set_keymap(keymap)
        if problem:
            self.notify(safe_text(problem), severity="warning", timeout=8, markup=False)
        self._stop_on_signals()
        self.sub_title = "reading…"
        self.query_one(ArticleView).show_message("Reading the corpus…")
        self.query_one(RowList).focus()
        self.load_library()

    def on_unmount(self) -> None:
        self._cancel_loading.set()

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
        try:
            library, report, index = open_corpus(
                self.paths,
                index_file=self.index_file,
                progress=lambda done, total: self.post_message(CorpusProgress(done, total)),
                cancel=self._cancel_loading,
                follow=self.follow,
            )
        except IndexUnavailable as error:
            self.post_message(LoadFailed(f"the index cannot be used: {error}"))
            return
        self.index = index
        self.post_message(CorpusLoaded(library, report))

    @work(thread=True, exclusive=True, exit_on_error=False, group="watch")
    def watch_library(self) -> None:
        """Watch the corpus (until the app closes) and refresh when files change."""
        watch_corpus(self.paths, self._cancel_loading, self._files_changed)

    def _files_changed(self) -> None:
        """Called from the watching thread: refresh the index and show what changed."""
        if self.index is None:
            return
        library, report = refresh(
            self.index, self.paths, cancel=self._cancel_loading, follow=self.follow
        )
        if report.indexed or report.removed:
            self.post_message(CorpusLoaded(library, report, live=True))

    def on_corpus_progress(self, message: CorpusProgress) -> None:
        now = time.monotonic()
        if self._progress_started is None or message.done == 0:
            self._progress_started = now
        status = f"indexing {message.done:,} / {message.total:,} files"
        elapsed = now - self._progress_started
        if message.done and elapsed > 0.5 and message.done < message.total:
            rate = message.done / elapsed
            left = (message.total - message.done) / rate
            status += f" · {rate:,.0f}/s · about {left:,.0f} s left"
        self.sub_title = status
        self.query_one(RowList).set_placeholder(status.capitalize() + "…")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed says so on screen instead of leaving 'reading…' forever."""
        if event.state is WorkerState.ERROR and event.worker.group in ("corpus", "watch"):
            reason = f"{type(event.worker.error).__name__}: {event.worker.error}"
            self.post_message(LoadFailed(f"Reading the corpus failed: {reason}"))

    def on_load_failed(self, message: LoadFailed) -> None:
        self.sub_title = "could not open the corpus"
        self.query_one(ArticleView).show_message(message.reason)
        self.notify(safe_text(message.reason), severity="error", markup=False)

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        library, report = message.library, message.report
        self.library = library
        self.sub_title = self._summary(library)
        if report.notice:
            self.notify(
                f"Note: {safe_text(report.notice)}", severity="warning", timeout=8, markup=False
            )
        story_list = self.query_one(RowList)
        if message.live:
            self.story_rows.update(library.stories, updated=report.updated_stories)
            story_list.set_rows(self.story_rows.rows, cursor=story_list.cursor)
            self.notify(f"{report.indexed:,} new or changed files, {report.removed:,} removed.")
            return
        self.story_rows = StoryRows(library.stories)
        story_list.set_rows(self.story_rows.rows)
        if self.watch_files and not report.cancelled:
            self.watch_library()
        if library.stories:
            self.open_article(library.stories[0].latest)
            return
        story_list.set_placeholder("No articles")
        self.query_one(ArticleView).show_message(self._empty_message(library))

    @staticmethod
    def _summary(library: StoryCorpus) -> str:
        corpus = library.corpus
        summary = (
            f"{display_name(corpus.name)} · {len(library.stories):,} stories · "
            f"{len(corpus.articles):,} articles"
        )
        if corpus.skipped:
            summary += f" · {len(corpus.skipped):,} skipped (p lists them)"
        return summary

    def _empty_message(self, library: StoryCorpus) -> str:
        where = ", ".join(display_name(str(path)) for path in self.paths) or "the sample"
        lines = [
            f"No articles in {where}.",
            "",
            "newsreader reads .txt and .md files, searching folders recursively.",
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

    def open_article(self, article: Article, highlight: tuple[str, ...] = ()) -> None:
        """Show `article` in the reading pane (reading its text again if it was left out)."""
        view = self.query_one(ArticleView)
        if self.library is not None:
            story = self.library.story_of(article)
            if story is not None and self.story_rows.seen(story):
                self.query_one(RowList).set_rows(
                    self.story_rows.rows, cursor=self.query_one(RowList).cursor
                )
        self.recently_opened = [
            article,
            *(seen for seen in self.recently_opened if seen.id != article.id),
        ][:RECENT_ARTICLES]
        try:
            view.show_article(with_body(article), highlight)
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
            row = self.story_rows.index_of_article(article)
            if row is not None:
                story_list.cursor = row
        self.open_article(article, highlight)

    def open_article_by_id(self, article_id: str, highlight: tuple[str, ...] = ()) -> None:
        """Open the article with `article_id` (from the command palette or search)."""
        if self.library is None:
            return
        article = self.library.article_by_id(article_id)
        if article is not None:
            self.reveal(article, highlight)
            self.query_one(ArticleView).focus()

    @on(RowList.Selected, "#story-list")
    def _row_selected(self, event: RowList.Selected) -> None:
        entry = self.story_rows.entries[event.index]
        if entry.article is not None:
            self.open_article(entry.article)
            self.query_one(ArticleView).focus()
            return
        story_list = self.query_one(RowList)
        expanding = entry.story.id not in self.story_rows.expanded
        self.story_rows.toggle(entry.story)
        story_list.set_rows(self.story_rows.rows, cursor=event.index)
        if expanding:
            self.open_article(entry.story.latest)

    # -- actions -------------------------------------------------------------------

    def action_focus_list(self) -> None:
        """Move focus back to the list of stories."""
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
        return entry.article or entry.story.latest

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
        """Mark the selected article as the base that `d` compares against."""
        article = self._selected_article()
        if article is None:
            return
        self.marked = article
        self.notify(
            f"Marked {display_name(article.name)} as the base; press d on another article to "
            "compare.",
            markup=False,
        )

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
        self.push_screen(DiffScreen(base, target, story))

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
        self.push_screen(WhyScreen(base, target))

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
            self.push_screen(ProblemsScreen(self.library.corpus))

    def action_help(self) -> None:
        """Show every key binding."""
        if isinstance(self.screen, HelpScreen):
            return
        sections = [
            ("Everywhere", self.BINDINGS),
            ("Story list", RowList.BINDINGS),
            ("Reading pane", RenderedLinesView.BINDINGS + ArticleView.BINDINGS),
            ("Diff", DiffScreen.BINDINGS + DiffView.BINDINGS),
            ("Search", SearchScreen.BINDINGS),
            ("Problems", ProblemsScreen.BINDINGS),
            ("Why", WhyScreen.BINDINGS),
        ]
        self.push_screen(HelpScreen(sections, self.keymap))
