"""A footer that fits the terminal: compact below 120 columns, without the command
palette's key below 100 (Ctrl+P still works and `?` lists it)."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

#: Widths below which the footer drops its spacing, and the command palette's key.
COMPACT_BELOW = 120
PALETTE_KEY_FROM = 100


class FittingFooter(Footer):
    """The key bindings of the screen, laid out to fit its width."""

    DEFAULT_CSS = """
    FittingFooter.-compact FooterLabel {
        margin: 0 1 0 0;
    }
    """

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        self.compact = width < COMPACT_BELOW
        palette_key = width >= PALETTE_KEY_FROM
        if palette_key != self.show_command_palette:
            self.show_command_palette = palette_key
            self.call_after_refresh(self.recompose)
