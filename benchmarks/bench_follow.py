"""Benchmark following a long story the way the app does: provenance and timeline built
once (`reader.follow.followed.follow_story`, cold), then read from the index's cache
(warm), and the time from pressing `b` to the provenance view showing, in the app.

Run: python benchmarks/bench_follow.py [--smoke] [--seed N]

The story is a generated update chain (update_chains.py): a 2,000-word wire story and 49
later versions, written as files with one filing time each, so the corpus goes through
open_corpus as any other.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from update_chains import make_chain

from reader.follow.followed import follow_story
from reader.grouping.stories import Story
from reader.store.library import open_corpus


def write_chain(folder: Path, texts: list[str]) -> None:
    folder.mkdir(parents=True)
    for number, text in enumerate(texts, 1):
        path = folder / f"chain_{number:03d}.txt"
        path.write_text(text, encoding="utf-8")
        moment = 1_772_697_600 + 600 * number
        os.utime(path, (moment, moment))


def longest(stories: list[Story]) -> Story:
    return max(stories, key=len)


async def seconds_to_provenance(corpus: Path, index: Path) -> tuple[float, float]:
    """Open the app, open the longest story's newest version, press b; the time until
    the provenance view shows its sentences, and the part of it spent off the UI thread
    reading the versions and the cached provenance."""
    from reader.tui.app import NewsReaderApp
    from reader.tui.screens.provenance_screen import ProvenanceScreen, ProvenanceView

    app = NewsReaderApp([corpus], index_file=index, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        while app.library is None:
            await pilot.pause(0.05)
        story = longest(app.library.stories)
        app.open_article(story.latest, by_user=False)
        app.query_one("#reader").focus()
        started = time.perf_counter()
        await pilot.press("b")
        while True:
            screen = app.screen
            shown = isinstance(screen, ProvenanceScreen) and screen.seconds is not None
            if shown and screen.query_one(ProvenanceView).followed is not None:
                break
            await pilot.pause(0.01)
        assert isinstance(screen, ProvenanceScreen) and screen.seconds is not None
        return time.perf_counter() - started, screen.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for the tests")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    versions, paragraphs, repeats = (6, 12, 1) if args.smoke else (50, 115, 3)
    chain = make_chain(args.seed, versions=versions, paragraphs=paragraphs, edits=6)
    words = [len(text.split()) for text in chain.texts]
    with tempfile.TemporaryDirectory() as folder:
        corpus, index = Path(folder) / "chain", Path(folder) / "index.sqlite3"
        write_chain(corpus, chain.texts)
        opened = open_corpus([corpus], index_file=index)
        story = longest(opened.library.stories)
        print(
            f"story: {len(story)} of {versions} versions grouped, "
            f"{words[0]:,} to {max(words):,} words"
        )
        started = time.perf_counter()
        follow_story(story, opened.corpus_index)
        cold = time.perf_counter() - started
        warm_times = []
        for _ in range(repeats):
            started = time.perf_counter()
            follow_story(story, opened.corpus_index)
            warm_times.append(time.perf_counter() - started)
        opened.corpus_index.close()
        print(f"provenance + timeline, built and cached: {cold * 1000:8.1f} ms")
        print(
            f"provenance + timeline, from the cache:   {statistics.median(warm_times) * 1000:8.1f} ms"
        )
        pressed, worker = asyncio.run(seconds_to_provenance(corpus, index))
        print(f"app: b to provenance shown (cached):     {pressed * 1000:8.1f} ms")
        print(f"  of which off the UI thread:             {worker * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
