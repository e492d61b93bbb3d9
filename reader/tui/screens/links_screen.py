"""The `l` screen: the stories linked to a story (other issues of its series, related
stories, digests holding its opening), each with the rule that decided the link; Enter
jumps to one in the story list."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.grouping.stories import Story, StoryCorpus
from reader.present.links import LinkRow, link_rows
from reader.store.index import CorpusIndex
from reader.store.story_links import LinkedStory, links_of
from reader.text.safe_text import safe_line
from reader.tui.widgets.footer import FittingFooter
from reader.tui.widgets.row_list import RowList


@dataclass
class LinksRead(Message):
    """The links of the story, read from the index off the UI thread."""

    links: list[LinkedStory]


class LinksScreen(ModalScreen[str | None]):
    """Lists the stories linked to `story`; dismissed with the id of the one chosen."""

    BINDINGS = [
        Binding("escape,q,l", "dismiss", "Close", key_display="Esc", id="links.dismiss"),
    ]

    def __init__(self, story: Story, library: StoryCorpus, index: CorpusIndex | None):
        """`library`: the stories listed (only those linked are looked at)."""
        super().__init__()
        self.story = story
        self.library = library
        self.index = index
        #: The rows shown (headings and linked stories).
        self.rows: list[LinkRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="links-box") as box:
            box.border_title = "Linked stories"
            box.border_subtitle = "Enter jumps to a story · Esc closes"
            yield Static(Text(safe_line(self.story.title)), id="links-story")
            yield RowList(id="links-list", placeholder="Reading the links…")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(RowList).focus()
        self.read_links()

    @work(thread=True, exclusive=True, exit_on_error=False, group="links")
    def read_links(self) -> None:
        """Read the links from the index (off the UI thread: a refresh may hold it)."""
        found = links_of(self.index, self.story.id) if self.index is not None else []
        self.post_message(LinksRead(found))

    def on_links_read(self, message: LinksRead) -> None:
        places = {
            link.story: place
            for link in message.links
            if (place := self.library.place_of(link.story)) is not None
        }
        listed = sorted(places, key=places.__getitem__)  # in list order
        titles = {story_id: self.library.stories[places[story_id]].title for story_id in listed}
        self.rows = link_rows(message.links, titles)
        links = self.query_one(RowList)
        links.set_placeholder("No story is linked to this one")
        links.set_rows([row.row for row in self.rows], cursor=1 if self.rows else 0)

    @on(RowList.Selected, "#links-list")
    def _chosen(self, event: RowList.Selected) -> None:
        story = self.rows[event.index].story
        if story is not None:
            self.dismiss(story)
