"""The Textual app: wires the corpus to the list and reading panes."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header

from reader.article import Article
from reader.commands import ArticleCommands
from reader.corpus import Corpus, load_corpus
from reader.messages import CorpusLoaded, CorpusProgress
from reader.screens.help import HelpScreen
from reader.widgets.article_view import ArticleView
from reader.widgets.rendered_lines import RenderedLinesView
from reader.widgets.row_list import ListRow, RowList


def article_row(article: Article) -> ListRow:
    """How an article is listed: headline, file name, word count."""
    return ListRow(title=article.headline, detail=article.name, figure=f"{article.words:,}w")


class NewsReaderApp(App[None]):
    """Browse a corpus of wire-story files and read them."""

    TITLE = "newsreader"
    CSS_PATH = "newsreader.tcss"
    COMMANDS = App.COMMANDS | {ArticleCommands}

    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Keys", key_display="?"),
        Binding("tab", "focus_next", "Switch pane", show=False),
        Binding("shift+tab", "focus_previous", "Switch pane back", show=False),
        Binding("ctrl+p", "command_palette", "Commands", show=False),
    ]

    def __init__(self, paths: Sequence[Path] = ()) -> None:
        super().__init__()
        self.paths = list(paths)
        self.corpus: Corpus | None = None
        self._cancel_loading = threading.Event()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield RowList(id="article-list", placeholder="Reading the corpus…")
            yield ArticleView(id="reader")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "reading…"
        self.query_one(ArticleView).show_message("Reading the corpus…")
        self.query_one(RowList).focus()
        self.load_corpus()

    def on_unmount(self) -> None:
        self._cancel_loading.set()

    @work(thread=True, exclusive=True, exit_on_error=False, group="corpus")
    def load_corpus(self) -> None:
        """Read the corpus off the UI thread, reporting progress as it goes."""
        corpus = load_corpus(
            self.paths,
            progress=lambda done, total: self.post_message(CorpusProgress(done, total)),
            cancel=self._cancel_loading,
        )
        self.post_message(CorpusLoaded(corpus))

    def on_corpus_progress(self, message: CorpusProgress) -> None:
        status = f"reading {message.done:,} / {message.total:,} files"
        self.sub_title = status
        self.query_one(RowList).set_placeholder(status.capitalize() + "…")

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        self.corpus = corpus = message.corpus
        self.sub_title = self._corpus_summary(corpus)
        article_list = self.query_one(RowList)
        article_list.set_rows([article_row(article) for article in corpus.articles])
        if corpus.articles:
            self.open_article(corpus.articles[0])
            return
        article_list.set_placeholder("No articles")
        self.query_one(ArticleView).show_message(self._empty_message(corpus))

    @staticmethod
    def _corpus_summary(corpus: Corpus) -> str:
        summary = f"{corpus.name} · {len(corpus.articles):,} articles"
        if corpus.skipped:
            summary += f" · {len(corpus.skipped):,} skipped"
        return summary

    def _empty_message(self, corpus: Corpus) -> str:
        where = ", ".join(str(path) for path in self.paths) or "the sample"
        lines = [
            f"No articles in {where}.",
            "",
            "newsreader reads .txt and .md files, searching folders recursively.",
        ]
        if corpus.skipped:
            lines.append(f"{len(corpus.skipped):,} files were skipped:")
            lines.extend(f"  {skip.name}: {skip.reason}" for skip in corpus.skipped[:20])
        return "\n".join(lines)

    def open_article(self, article: Article) -> None:
        """Show `article` in the reading pane."""
        self.query_one(ArticleView).show_article(article)

    def open_article_by_id(self, article_id: str) -> None:
        """Show the article with `article_id` and put the list cursor on it."""
        if self.corpus is None:
            return
        for index, article in enumerate(self.corpus.articles):
            if article.id == article_id:
                self.query_one(RowList).cursor = index
                self.open_article(article)
                self.query_one(ArticleView).focus()
                return

    @on(RowList.Selected, "#article-list")
    def _article_selected(self, event: RowList.Selected) -> None:
        if self.corpus is not None:
            self.open_article(self.corpus.articles[event.index])
            self.query_one(ArticleView).focus()

    def action_focus_list(self) -> None:
        """Move focus back to the list of articles."""
        self.query_one(RowList).focus()

    def action_help(self) -> None:
        """Show every key binding."""
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(
            HelpScreen(
                [
                    ("Everywhere", self.BINDINGS),
                    ("Article list", RowList.BINDINGS),
                    ("Reading pane", RenderedLinesView.BINDINGS + ArticleView.BINDINGS),
                ]
            )
        )
