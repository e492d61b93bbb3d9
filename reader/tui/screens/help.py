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

#: A section of the help: a heading and the bindings it lists.
HelpSection = tuple[str, Sequence[BindingType]]


def describe_keys(binding: Binding) -> str:
    """All the keys of a binding, as shown to the user: `↑ / k`."""
    names = {
        "up": "↑",
        "down": "↓",
        "left": "←",
        "right": "→",
        "enter": "Enter",
        "escape": "Esc",
        "question_mark": "?",
        "tab": "Tab",
        "shift+tab": "Shift+Tab",
        "ctrl+p": "Ctrl+P",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "slash": "/",
    }
    keys = [key.strip() for key in binding.key.split(",")]
    return " / ".join(names.get(key, key) for key in keys)


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
            "escape,q,question_mark", "dismiss", "Close help", key_display="esc", id="help.dismiss"
        )
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
            body.border_subtitle = "esc closes"
            yield Static(bindings_table(self.sections, self.keymap), id="help-table")
