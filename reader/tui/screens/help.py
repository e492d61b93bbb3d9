"""The `?` screen: every key binding the app has, grouped by where it works."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.text.safe_text import safe_line
from reader.tui.widgets.footer import FittingFooter

#: A section of the help: a heading and the bindings it lists.
HelpSection = tuple[str, Sequence[BindingType]]


#: Key names as people type them, for the keys whose Textual name is not the key itself.
KEY_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "enter": "Enter",
    "escape": "Esc",
    "space": "Space",
    "tab": "Tab",
    "home": "Home",
    "end": "End",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "comma": ",",
    "full_stop": ".",
    "minus": "-",
    "plus": "+",
    "equals_sign": "=",
    "asterisk": "*",
    "exclamation_mark": "!",
    "number_sign": "#",
}


def key_name(key: str) -> str:
    """One Textual key as people type it: `less_than_sign` -> `<`, `ctrl+d` -> `Ctrl+D`."""
    *modifiers, last = key.strip().split("+")
    name = KEY_NAMES.get(last, last.upper() if modifiers and len(last) == 1 else last)
    if len(name) > 1 and name.islower():
        name = name.capitalize()  # f1 -> F1, delete -> Delete
    return "+".join([*(modifier.capitalize() for modifier in modifiers), name])


def describe_keys(binding: Binding) -> str:
    """All the keys of a binding, as shown to the user: `↑ / k`."""
    return " / ".join(key_name(key) for key in binding.key.split(","))


def bindings_table(
    sections: Sequence[HelpSection], keymap: Mapping[str, str] | None = None
) -> Table:
    """A table of every binding, section by section."""
    table = Table(box=None, show_header=False, padding=(0, 2), expand=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_column(style="dim")
    for heading, bindings in sections:
        table.add_row(Text(heading, style="bold underline"))
        for item in bindings:
            binding = item if isinstance(item, Binding) else Binding(*item)
            keys = keymap.get(binding.id) if keymap and binding.id else None
            if keys is not None:  # the user's keys, as Textual applies them
                binding = replace(binding, key=keys, key_display=None)
            # Keys may come from keymap.toml, a file: Text cells, never markup.
            table.add_row(
                Text(safe_line(describe_keys(binding))),
                Text(binding.description),
                Text(binding.id or ""),
            )
        table.add_row()
    table.add_row(None, Text("Keys can be changed in keymap.toml: see the README."))
    return table


class HelpScreen(ModalScreen[None]):
    """Lists the bindings of the app and of each pane."""

    BINDINGS = [
        Binding(
            "escape,q,question_mark", "dismiss", "Close help", key_display="Esc", id="help.dismiss"
        ),
        Binding("down,j", "scroll(1)", "Scroll down", show=False, id="help.scroll-down"),
        Binding("up,k", "scroll(-1)", "Scroll up", show=False, id="help.scroll-up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="help.page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="help.page-up"),
        Binding("g,home", "scroll_to_end(False)", "Top", show=False, id="help.top"),
        Binding("G,end", "scroll_to_end(True)", "Bottom", show=False, id="help.bottom"),
    ]

    def __init__(
        self, sections: Sequence[HelpSection], keymap: Mapping[str, str] | None = None
    ) -> None:
        super().__init__()
        self.sections = sections
        self.keymap = keymap or {}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Esc closes · j/k, PgDn/PgUp, g/G scroll"
            yield Static(bindings_table(self.sections, self.keymap), id="help-table")
        yield FittingFooter()

    def _body(self) -> VerticalScroll:
        return self.query_one("#help-body", VerticalScroll)

    def action_scroll(self, lines: int) -> None:
        """Scroll the help by `lines`."""
        self._body().scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        """Scroll the help by a page."""
        body = self._body()
        page = max(1, body.scrollable_content_region.height - 1)
        body.scroll_relative(y=pages * page, animate=False)

    def action_scroll_to_end(self, bottom: bool) -> None:
        """Scroll to the last (or first) line of the help."""
        body = self._body()
        if bottom:
            body.scroll_end(animate=False)
        else:
            body.scroll_home(animate=False)
