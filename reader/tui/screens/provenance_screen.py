"""Provenance ("blame" for sentences): the open version with each sentence shaded by the
version that introduced it and that version's number in the gutter. Moving onto a
sentence (n/N, or the cursor keys) shows when it appeared, in which file, and the
versions that edited it since, with their word diffs."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from reader.follow.followed import FollowedStory
from reader.follow.provenance import SentenceBlame
from reader.grouping.stories import Story
from reader.ingest.article import Article
from reader.present.follow import (
    SENTENCE_META,
    provenance_legend,
    render_provenance,
    sentence_history,
    time_label,
)
from reader.store.index import CorpusIndex
from reader.text.safe_text import safe_line, safe_text
from reader.tui.screens.follow_work import StoryFollowed, StoryFollowFailed, follow_or_failure
from reader.tui.widgets.rendered_lines import RenderedLinesView
from reader.tui.worker_errors import ReportsFailedWorkers, Retry, retry_binding


class ProvenanceView(RenderedLinesView):
    """The sentences of one version, shaded by provenance, with a sentence cursor."""

    BINDINGS = [
        Binding("n,down,j", "step(1)", "Next sentence", key_display="n", id="provenance.next"),
        Binding(
            "N,up,k", "step(-1)", "Previous sentence", key_display="N", id="provenance.previous"
        ),
        # b opened this view from the reader and closes it (not page up, as in the reader).
        Binding("b", "screen.close", "Back", show=False, id="provenance.back"),
    ]

    class SentenceMoved(Message):
        """The sentence cursor moved."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.followed: FollowedStory | None = None
        self.number = 0
        self.current = 0
        self.sentence_lines: dict[object, int] = {}

    def show_version(self, followed: FollowedStory, number: int) -> None:
        """Show version `number` (from 1) of the story, cursor on its first sentence."""
        self.followed, self.number, self.current = followed, number, 0
        self._show_current(keep_scroll=False)

    @property
    def sentence(self) -> SentenceBlame | None:
        """The sentence under the cursor."""
        if self.followed is None:
            return None
        sentences = self.followed.provenance.versions[self.number - 1].sentences
        return sentences[self.current] if 0 <= self.current < len(sentences) else None

    def _show_current(self, *, keep_scroll: bool) -> None:
        if self.followed is None:
            return
        version = self.followed.provenance.versions[self.number - 1]
        text = self.followed.versions[self.number - 1].text
        versions = len(self.followed.versions)
        self.show(render_provenance(version, text, versions, self.current), keep_scroll=keep_scroll)

    def laid_out(self) -> None:
        self.sentence_lines = self.first_lines_with_meta(SENTENCE_META)

    def on_click(self, event: events.Click) -> None:
        """A click on a sentence moves the cursor there."""
        number = event.style.meta.get(SENTENCE_META)
        if isinstance(number, int):
            self.action_step(number - self.current)

    def action_step(self, step: int) -> None:
        """Move the cursor to the next (or previous) sentence."""
        if self.followed is None:
            return
        count = len(self.followed.provenance.versions[self.number - 1].sentences)
        if not count:
            return
        self.current = max(0, min(count - 1, self.current + step))
        self._show_current(keep_scroll=True)
        line = self.sentence_lines.get(self.current)
        if (
            line is not None
            and not self.scroll_y + 2 <= line < self.scroll_y + self.size.height - 2
        ):
            self.scroll_to(y=max(0, line - 3), animate=False)
        self.post_message(self.SentenceMoved())


class ProvenanceScreen(ReportsFailedWorkers, Screen[None]):
    """Blame for the sentences of one version of a story."""

    BINDINGS = [
        retry_binding("provenance"),
        Binding("escape,q,b", "close", "Back", key_display="esc", id="provenance.close"),
    ]

    DEFAULT_CSS = """
    #provenance-title {
        height: auto;
        padding: 0 2;
        background: $panel;
    }
    #provenance {
        height: 1fr;
        padding: 1 2 0 2;
        background: $background;
    }
    #sentence-scroll {
        height: auto;
        max-height: 12;
        border-top: solid $panel-lighten-2;
        background: $surface;
        padding: 0 2;
    }
    """

    def __init__(self, story: Story, article: Article, index: CorpusIndex | None) -> None:
        super().__init__()
        self.story = story
        self.article = article
        self.index = index
        #: Seconds building (or loading) the provenance took, once it has.
        self.seconds: float | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="provenance-title")
        yield ProvenanceView(id="provenance")
        with VerticalScroll(id="sentence-scroll"):
            yield Static(id="sentence-history")
        yield Footer()

    @property
    def number(self) -> int:
        """The number (from 1) of the version shown."""
        return self.story.index_of(self.article) + 1

    def on_mount(self) -> None:
        self._title(Text("Tracing every sentence…", style="italic"))
        self.query_one(ProvenanceView).focus()
        self._build()

    def _title(self, detail: Text) -> None:
        title = Text(safe_line(self.story.title), style="bold")
        title.append(f"   v{self.number} of {len(self.story)}\n", style="dim")
        title.append_text(detail)
        self.query_one("#provenance-title", Static).update(title)

    RETRIES: ClassVar[dict[str, Retry]] = {"provenance": Retry("Tracing the story", "follow_again")}

    @work(thread=True, exclusive=True, exit_on_error=False, group="provenance")
    def _build(self) -> None:
        self.post_message(follow_or_failure(self.story, self.index))

    def action_follow_again(self) -> None:
        """Build the story's provenance and timeline again (after a failure)."""
        self._build()

    def worker_failed(self, group: str, reason: str) -> None:
        """Say why instead of leaving the screen waiting."""
        self.post_message(StoryFollowFailed(reason))

    def on_story_followed(self, message: StoryFollowed) -> None:
        self.seconds = message.seconds
        self._title(provenance_legend(len(message.followed.versions)))
        self.query_one(ProvenanceView).show_version(message.followed, self.number)
        self._show_history()

    def on_story_follow_failed(self, message: StoryFollowFailed) -> None:
        self._title(Text(f"Cannot trace this story: {safe_text(message.reason)}", style="red"))

    def on_provenance_view_sentence_moved(self, _message: ProvenanceView.SentenceMoved) -> None:
        self._show_history()

    def _show_history(self) -> None:
        view = self.query_one(ProvenanceView)
        sentence, followed = view.sentence, view.followed
        if sentence is None or followed is None:
            self.query_one("#sentence-history", Static).update(Text("No sentences.", style="dim"))
            return
        sources = [version.source for version in followed.versions]
        times = [time_label(entry) for entry in followed.timeline.versions]
        count = len(followed.provenance.versions[view.number - 1].sentences)
        history = Text(f"Sentence {view.current + 1} of {count}: ", style="dim")
        history.append_text(
            sentence_history(sentence, followed.provenance.edits_of(sentence), sources, times)
        )
        self.query_one("#sentence-history", Static).update(history)

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss()
