"""Drive the real app on the built-in sample and save SVG screenshots to screenshots/.

Run: python scripts/export_screenshots.py
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from reader.tui.app import NewsReaderApp

OUTPUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (120, 36)

#: Screenshot name -> keys pressed after the corpus has loaded.
SCENES: dict[str, Sequence[str]] = {
    "reader": (),
    "story-versions": ("enter",),
    "diff-inline": ("d",),
    "diff-side-by-side": ("d", "v", "x"),
    "search": ("slash", *"strong basis"),
    "help": ("question_mark",),
    "timeline": ("t",),
    "provenance": ("tab", "b", "n", "n", "n"),
}


async def capture(name: str, keys: Sequence[str]) -> Path:
    app = NewsReaderApp(watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
        return Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUTPUT)))


async def main() -> None:
    OUTPUT.mkdir(exist_ok=True)
    for name, keys in SCENES.items():
        print(await capture(name, keys))


if __name__ == "__main__":
    asyncio.run(main())
