"""The domain modules stay usable without the TUI."""

from __future__ import annotations

import subprocess
import sys

DOMAIN_MODULES = [
    "reader.decode",
    "reader.article",
    "reader.corpus",
    "reader.tokens",
    "reader.noise",
    "reader.diff",
    "reader.stories",
    "reader.pipeline",
    "reader.render",
    "reader.render_diff",
    "reader.render_stories",
    "reader.story_rows",
    "reader.index",
    "reader.library",
    "reader.watch",
    "reader.render_search",
    "reader.list_row",
    "reader.cli",
    "reader.keymap",
    "reader.cli_parsers",
    "reader.subcommands",
    "reader.align",
    "reader.moves",
    "reader.pieces",
    "reader.safe_text",
]


def test_the_text_boundary_needs_neither_rich_nor_textual() -> None:
    code = "import sys, reader.safe_text; print('rich' in sys.modules or 'textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_domain_modules_import_without_textual() -> None:
    imports = "; ".join(f"import {module}" for module in DOMAIN_MODULES)
    code = f"import sys; {imports}; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
