"""The format readers are a layer of their own: plain Python, no TUI, nothing above ingest."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "reader.ingest.formats",
    "reader.ingest.formats.read",
    "reader.ingest.formats.nitf",
    "reader.ingest.formats.newsml_g2",
    "reader.ingest.formats.newsml1",
    "reader.ingest.formats.ninjs",
    "reader.ingest.formats.anpa",
    "reader.ingest.formats.html_page",
    "reader.ingest.formats.warc",
    "reader.ingest.formats.tabular",
    "reader.ingest.formats.versions",
]
#: Modules of higher layers (grouping, index, rendering, the app) that ingest must not pull in.
HIGHER = [
    "textual",
    "reader.grouping.stories",
    "reader.store.index",
    "reader.present.article",
    "reader.tui.app",
    "reader.diff.word_diff",
]


def test_format_readers_import_nothing_from_higher_layers() -> None:
    imports = "; ".join(f"import {module}" for module in MODULES)
    code = f"import sys; {imports}; print([m for m in {HIGHER!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_importing_the_package_does_not_load_the_html_extractor() -> None:
    code = "import sys, reader.ingest.formats; print('trafilatura' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
