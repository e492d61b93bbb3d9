"""The `w` screen: why grouping put two articles in one story, or kept them apart."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.grouping.decide import DEFAULT_THRESHOLD
from reader.grouping.explain import explain
from reader.ingest.article import Article
from reader.ingest.corpus import describe_os_error, with_body
from reader.ingest.decode import NotText
from reader.present.why import render_explanation
from reader.text.safe_text import safe_line


class WhyScreen(ModalScreen[None]):
    """The decision for two articles: measures, facts of the leads, the rule, and each
    text with the passages the other shares highlighted."""

    DEFAULT_CSS = """
    WhyScreen { align: center middle; }
    #why-box {
        width: 110;
        max-width: 95%;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape,q,w", "dismiss", "Close", key_display="esc", id="why.dismiss")]

    def __init__(self, base: Article, target: Article, threshold: float = DEFAULT_THRESHOLD):
        super().__init__()
        self.base = base
        self.target = target
        self.threshold = threshold
        #: What the screen shows (kept for tests and for copying out).
        self.shown: RenderableType = Text("")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="why-box") as box:
            box.border_title = "Why"
            box.border_subtitle = "esc closes"
            self.shown = self._explanation()
            yield Static(self.shown, id="why-body")

    def _explanation(self) -> RenderableType:
        try:
            base, target = with_body(self.base), with_body(self.target)
        except NotText as error:
            return Text(safe_line(f"Cannot read the file: {error}"))
        except OSError as error:
            return Text(safe_line(f"Cannot read the file: {describe_os_error(error)}"))
        return render_explanation(explain(base, target, self.threshold))

    def on_mount(self) -> None:
        self.query_one("#why-box").focus()
