"""A footer that fits the terminal: compact below 120 columns, without the command
palette's key below 100 (Ctrl+P still works and `?` lists it), and never a key cut in
half: keys that do not fit whole are left out (`?` lists every key)."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterLabel

#: Widths below which the footer drops its spacing, and the command palette's key.
COMPACT_BELOW = 120
PALETTE_KEY_FROM = 100
#: How long to wait for freshly composed keys to be laid out before measuring them.
LAYOUT_WAIT_SECONDS = 0.05


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
        self.show_command_palette = width >= PALETTE_KEY_FROM
        self.call_after_refresh(self.recompose)  # keys left out at a narrower width return

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._leave_out_what_does_not_fit)

    def _leave_out_what_does_not_fit(self) -> None:
        """Hide the keys (and group labels) that reach past the right edge."""
        shown = [child for child in self.children if child.display]
        if any(child.size.width == 0 for child in shown):
            self.set_timer(LAYOUT_WAIT_SECONDS, self._leave_out_what_does_not_fit)
            return  # the new keys are not laid out yet
        width = self.size.width
        for place, child in enumerate(shown):
            if child.virtual_region_with_margin.right > width:
                # This one and all after it; a group's keys go with its label.
                first = place - 1 if place and isinstance(child, FooterLabel) else place
                for hidden in shown[first:]:
                    hidden.display = False
                return
