"""Benchmark the index: cold build, warm start, re-scan, search, and list scrolling.

Run: python benchmarks/bench_index.py [--sizes 10000 100000] [--smoke]
     [--corpus easy|hard] [--index-dir DIR] [--reopen-only]

`--index-dir` keeps each size's index there and reuses it (a cold index of 100,000 files
takes minutes); `--reopen-only` measures only re-opening and re-scanning.

On generated corpora (benchmarks/make_corpus.py, cached in the temp folder), each figure
beside a naive baseline in the same run:
- cold index (read, parse, sign, group, store) against reading and grouping without one;
- warm start (index up to date: stories ready) and the app's first paint;
- re-scan of unchanged files against re-reading every file and against the previous
  re-scan (every folder listed, a Path per file, rows read from the table, sorted again);
- re-open to the story list: the stories the index kept (stored_library), against the
  previous way (the list only after that previous re-scan); in the app, from launching a
  process to the list painted, and the longest the event loop stalls while the re-scan
  runs behind the list;
- search latency p50/p95 over 100 queries against a linear scan of the stored text;
- the app on the largest index: G, g and page down, in ms per key (a frame is 16.7 ms);
  expanding and collapsing a story; the command palette's lookup per key typed (in a
  thread, off the event loop) against the old fuzzy match of every headline on it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_stories import corpus_folder

from reader.grouping.stories import Story, order_versions
from reader.ingest.corpus import discover_files, natural_key
from reader.store.index import CorpusIndex, _article_from_row
from reader.store.library import open_corpus, refresh, stored_library


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_peak_mib() -> float:
    """The largest peak of any worker process that has ended (getrusage reports the
    largest child, not a sum)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def queries_for(index: CorpusIndex, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    rows = index.connection.execute("SELECT body FROM search LIMIT 2000").fetchall()
    words = [w for (body,) in rows for w in body.split() if w.isalpha() and len(w) > 4]
    queries = []
    for _ in range(count):
        queries.append(" ".join(rng.sample(words, rng.choice((1, 2)))))
    return queries


def linear_search(index: CorpusIndex, query: str) -> int:
    """The baseline: scan every stored text for all the words."""
    words = query.lower().split()
    hits = 0
    for (body,) in index.connection.execute("SELECT body FROM search"):
        text = body.lower()
        hits += all(word in text for word in words)
    return hits


def palette_timings(
    index: CorpusIndex, articles: list[tuple[str, str]]
) -> tuple[float, float, float]:
    """The palette's lookup for each prefix of a few headline words typed key by key
    (p50, p95 in ms), and the old way: a fuzzy match of every headline (ms per key)."""
    from textual.fuzzy import Matcher

    typed: list[str] = []
    for headline, _ in articles[:: max(1, len(articles) // 10)][:10]:
        words = headline.split()[:2]
        text = " ".join(words)
        typed.extend(text[:end] for end in range(2, len(text) + 1))
    latencies = [timed(index.find_titles, query, 20)[1] * 1000 for query in typed]
    old = []
    for query in typed[:3]:
        matcher = Matcher(query)
        begin = time.perf_counter()
        for headline, name in articles:
            matcher.match(f"Open: {headline} ({name})")
        old.append((time.perf_counter() - begin) * 1000)
    return percentile(latencies, 0.5), percentile(latencies, 0.95), statistics.median(old)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def previous_rescan(index: CorpusIndex, folder: Path) -> int:
    """The re-scan of unchanged files as it was before folder listings, covering indexes
    and the kept list order: every folder listed, a Path and a natural sort key per file,
    each file stat'ed against the rows of the table, then every article read back from
    the table's rows and the list sorted again. Returns the stories listed."""
    files = discover_files([folder])
    stored = index.stored_files()
    changed = 0
    for file in files:
        status = os.stat(file.location)
        known = stored.get(file.location)
        changed += known is None or (known.size, known.mtime_ns) != (
            status.st_size,
            status.st_mtime_ns,
        )
    assert changed == 0
    rows = index.connection.execute(
        "SELECT rowid, path, name, size, article_id, digest, headline, headline_from_lede,"
        " markers, dateline, byline, words, filed, mtime, encoding, encoding_fallback,"
        " truncated, notes, story, record, offset, meta FROM files NOT INDEXED"
        " WHERE skipped IS NULL"
    )
    members: dict[str, list] = {}  # type: ignore[type-arg]
    articles = []
    for row in rows:
        article = _article_from_row(row)
        articles.append(article)
        members.setdefault(row[18] or article.id, []).append(article)
    stories = [Story(story_id, order_versions(versions)) for story_id, versions in members.items()]
    stories.sort(key=lambda story: natural_key(story.versions[0].name))
    articles.sort(key=lambda article: natural_key(article.name))
    index.connection.execute(
        "SELECT path, name, skipped FROM files NOT INDEXED WHERE skipped IS NOT NULL"
    ).fetchall()
    return len(stories)


def reopen_to_list(index_file: Path, folder: Path) -> tuple[int, float]:
    """Open the index and build the stories it kept (no file looked at), as the app does
    (its pages are checked after): stories, seconds."""
    started = time.perf_counter()
    index = CorpusIndex.open(index_file, check_pages=False)
    library = stored_library(index, [folder])
    seconds = time.perf_counter() - started
    assert library is not None, "the index kept no list order"
    index.close()
    return len(library.stories), seconds


#: Run in a fresh process: the app on an index, headless, printing when the list is painted
#: (seconds since the process was launched, given as argv[1]) and when the re-scan is done.
_LAUNCH = """
import asyncio, sys, time
launched = float(sys.argv[1])
from pathlib import Path
from reader.tui.app import NewsReaderApp
from reader.tui.widgets.row_list import RowList

async def main():
    app = NewsReaderApp([Path(sys.argv[2])], index_file=Path(sys.argv[3]), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        story_list = app.query_one(RowList)
        while not story_list.rows:
            await asyncio.sleep(0.005)
        story_list.render_lines(story_list.size.region)
        print("listed", time.time() - launched, flush=True)
        await app.workers.wait_for_complete()
        print("checked", time.time() - launched, flush=True)

asyncio.run(main())
"""


def launch_timings(folder: Path, index_file: Path) -> tuple[float, float]:
    """From launching a process running the app to its story list painted, and to the
    re-scan behind it done (seconds)."""
    import subprocess

    launched = time.time()
    result = subprocess.run(
        [sys.executable, "-c", _LAUNCH, str(launched), str(folder), str(index_file)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 0, result.stderr
    figures = dict(line.split() for line in result.stdout.splitlines() if line.strip())
    return float(figures["listed"]), float(figures["checked"])


async def stalls_during_rescan(folder: Path, index_file: Path) -> tuple[float, float, int]:
    """The app re-opening an unchanged index: the longest the event loop stalled (what a
    key pressed then waits, ms) and the longest key press handled (ms), while the re-scan
    runs behind the kept list; and how many keys were pressed in that time."""
    from reader.tui.app import NewsReaderApp
    from reader.tui.widgets.row_list import RowList

    app = NewsReaderApp([folder], index_file=index_file, watch=False)
    async with app.run_test(size=(120, 40)):
        story_list = app.query_one(RowList)
        while not story_list.rows:
            await asyncio.sleep(0.005)
        worst_stall = worst_key = 0.0
        keys = 0
        region = story_list.size.region
        actions = [story_list.action_cursor_down, story_list.action_page_down]
        while app.checking:
            begin = time.perf_counter()
            await asyncio.sleep(0.005)
            worst_stall = max(worst_stall, (time.perf_counter() - begin) * 1000 - 5)
            begin = time.perf_counter()
            actions[keys % 2]()
            story_list.render_lines(region)
            worst_key = max(worst_key, (time.perf_counter() - begin) * 1000)
            keys += 1
        await app.workers.wait_for_complete()
    return worst_stall, worst_key, keys


async def app_timings(folder: Path, index_file: Path) -> tuple[float, float, dict[str, float]]:
    from reader.tui.app import NewsReaderApp
    from reader.tui.widgets.row_list import RowList

    started = time.perf_counter()
    app = NewsReaderApp([folder], index_file=index_file, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        first_paint = time.perf_counter() - started
        while app.library is None:
            await pilot.pause(0.01)
        ready = time.perf_counter() - started
        await pilot.pause()
        keys: dict[str, float] = {}
        story_list = app.query_one(RowList)
        region = story_list.size.region
        actions = {
            "G": story_list.action_last,
            "g": story_list.action_first,
            "pagedown": story_list.action_page_down,
            "pageup": story_list.action_page_up,
            "j": story_list.action_cursor_down,
        }
        for key, action in actions.items():  # the work a key causes: move, then paint
            begin = time.perf_counter()
            action()
            story_list.render_lines(region)
            keys[key] = (time.perf_counter() - begin) * 1000
        story = next(story for story in app.library.stories if len(story) > 1)
        begin = time.perf_counter()
        app.story_rows.toggle(story)
        story_list.set_rows(app.story_rows.rows, cursor=story_list.cursor)
        story_list.render_lines(region)
        app.story_rows.toggle(story)
        keys["expand+collapse"] = (time.perf_counter() - begin) * 1000
        begin = time.perf_counter()
        await pilot.press("G", "g")
        keys["pilot G+g round trip"] = (time.perf_counter() - begin) * 1000
        rows = len(story_list.rows)
    return first_paint, ready, keys | {"rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", choices=("easy", "hard"), default="easy")
    parser.add_argument("--index-dir", type=Path, help="keep (and reuse) each size's index here")
    parser.add_argument("--reopen-only", action="store_true", help="only re-open and re-scan")
    parser.add_argument("--smoke", action="store_true", help="one tiny corpus, for the test suite")
    args = parser.parse_args(argv)
    sizes = [300] if args.smoke else args.sizes
    work = args.index_dir or Path(tempfile.mkdtemp(prefix="bench-index-"))
    work.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        folder, _ = corpus_folder(size, args.seed, args.corpus)
        index_file = work / f"index-{args.corpus}-{size}-{args.seed}.sqlite3"
        print(f"== {size:,} files ({args.corpus})", flush=True)
        reused = index_file.exists()
        (_, report, index), cold = timed(open_corpus, [folder], index_file=index_file)
        if reused:
            print(f"cold index          (reused {index_file}; this open took {cold:.2f} s)")
        elif not args.reopen_only:
            _, baseline_cold = timed(open_corpus, [folder], in_memory=True)
            print(
                f"cold index          {cold:8.2f} s   (index in memory: read + group {baseline_cold:.2f} s; peak {peak_mib():.0f} MiB, largest worker {worker_peak_mib():.0f} MiB)"
            )
        else:
            print(f"cold index          {cold:8.2f} s")
        (library, report), built = timed(refresh, index, [folder])
        (_, report), rescan = timed(refresh, index, [folder], kept=library)
        assert report.indexed == 0
        _, previous = timed(previous_rescan, index, folder)
        print(
            f"re-scan unchanged   {rescan:8.2f} s   (previous re-scan: {previous:.2f} s, {previous / rescan:.1f}x;"
            f" {report.folders_reused:,} folders not listed again; the stories shown given back as"
            f" the app does; built again, as the command line does: {built:.2f} s)"
        )
        if not args.reopen_only:
            _, reread = timed(open_corpus, [folder], in_memory=True)
            print(
                f"                               (re-reading every file: {reread:.2f} s, {reread / rescan:.0f}x)"
            )
        index.close()
        stories, reopen = reopen_to_list(index_file, folder)
        print(
            f"re-open to list     {reopen:8.2f} s   ({stories:,} stories from the index alone;"
            f" previous: listed after its re-scan, {previous:.2f} s)"
        )
        (_, _, index), warm = timed(open_corpus, [folder], index_file=index_file)
        print(f"warm start (ready)  {warm:8.2f} s   (the re-open and the re-scan behind it)")
        listed, checked = launch_timings(folder, index_file)
        stall, key, pressed = asyncio.run(stalls_during_rescan(folder, index_file))
        print(
            f"app launch to list  {listed:8.2f} s   (a new process, imports included; re-scan done at"
            f" {checked:.2f} s; while it ran, {pressed} keys: event loop stalled at most"
            f" {stall:.0f} ms, a key took at most {key:.1f} ms)"
        )
        if args.reopen_only:
            index.close()
            continue
        queries = queries_for(index, 100, args.seed)
        latencies = []
        for query in queries:
            _, seconds = timed(index.search, query, 20)
            latencies.append(seconds * 1000)
        scans = [timed(linear_search, index, query)[1] * 1000 for query in queries[:5]]
        print(
            f"search p50 / p95    {percentile(latencies, 0.5):6.1f} / {percentile(latencies, 0.95):.1f} ms"
            f"   (linear scan: {statistics.median(scans):.0f} ms per query)"
        )
        headlines = index.connection.execute(
            "SELECT headline, name FROM files WHERE skipped IS NULL"
        ).fetchall()
        p50, p95, old = palette_timings(index, headlines)
        print(
            f"palette p50 / p95   {p50:6.1f} / {p95:.1f} ms per key, off the event loop"
            f"   (fuzzy match of every headline on it: {old:.0f} ms per key)"
        )
        if size == max(sizes):
            first_paint, ready, keys = asyncio.run(app_timings(folder, index_file))
            rows = int(keys.pop("rows"))
            round_trip = keys.pop("pilot G+g round trip")
            worst = max(keys.values())
            print(
                f"app first paint     {first_paint:8.2f} s   (stories listed after {ready:.2f} s)"
            )
            print(
                f"keys on {rows:,} rows  worst {worst:.1f} ms per key (a frame: 16.7 ms); "
                + ", ".join(f"{key} {ms:.2f}" for key, ms in keys.items())
                + f"; Pilot press round trip for G+g {round_trip:.0f} ms"
            )
        index.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
