"""Drive the real app on a corpus with several multi-version stories (the built-in sample
and hard-wrapped 1987-style Reuters copy, see tests/archive_corpus.py) and save SVG
screenshots to screenshots/.

Run: python scripts/export_screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from reader.ingest.corpus import sample_corpus_path
from reader.tui.app import NewsReaderApp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from archive_corpus import write_archive_corpus  # noqa: E402 - test data, found via tests/

OUTPUT = ROOT / "screenshots"
#: 2026-02-12 09:30 UTC, the day of the sample story: screenshots do not change by the day.
SAMPLE_MTIME = 1_770_888_600
WIDE, SMALL = (120, 36), (80, 24)

#: Screenshot name -> terminal size and keys pressed after the corpus has loaded.
SCENES: dict[str, tuple[tuple[int, int], Sequence[str]]] = {
    "reader": (WIDE, ()),
    "story-versions": (WIDE, ("enter",)),
    "diff-inline": (WIDE, ("d", "n")),
    "diff-side-by-side": (WIDE, ("d", "v", "x")),
    "archive-reader-table": (WIDE, ("j", "j", "j", "j", "enter", "j", "j", "enter", "G")),
    "archive-diff-inline": (WIDE, ("j", "j", "j", "j", "enter", "j", "j", "d", "n")),
    "archive-diff-80x24": (SMALL, ("j", "j", "j", "j", "enter", "j", "j", "d", "v", "f")),
    "reader-80x24": (SMALL, ("j", "j", "enter", "j", "j", "j", "enter")),
    "search": (WIDE, ("slash", *"strong basis")),
    "help": (WIDE, ("question_mark",)),
    "timeline": (WIDE, ("t",)),
    "provenance": (WIDE, ("tab", "b", "n", "n", "n")),
}


def build_corpus(folder: Path) -> Path:
    """The sample's three files and the archive stories, in one folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in sample_corpus_path().glob("*.txt"):
        shutil.copyfile(source, folder / source.name)
        os.utime(folder / source.name, (SAMPLE_MTIME, SAMPLE_MTIME))
    write_archive_corpus(folder)
    return folder


async def capture(corpus: Path, name: str, size: tuple[int, int], keys: Sequence[str]) -> Path:
    app = NewsReaderApp([corpus], watch=False)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
        return Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUTPUT)))


async def main() -> None:
    OUTPUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        corpus = build_corpus(Path(folder) / "wire")
        for name, (size, keys) in SCENES.items():
            print(await capture(corpus, name, size, keys))


if __name__ == "__main__":
    asyncio.run(main())
