"""Soak test: press random keys in the app on a large corpus; count exceptions, watch memory.

Run: python benchmarks/soak.py [--files 10000] [--presses 10000] [--seconds 900] [--smoke]

Opens the app on a generated corpus (benchmarks/make_corpus.py, cached in the temp folder)
plus a few hostile files, then presses random keys from every binding the app has,
across all its screens, through the Pilot, until the number of presses or the time is
reached. Prints the presses made, the exceptions raised (must be 0) and peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_stories import corpus_folder

KEYS = [
    "j", "k", "down", "up", "enter", "right", "left", "escape", "tab", "shift+tab", "g", "G",
    "space", "b", "pagedown", "pageup", "left_square_bracket", "right_square_bracket", "d",
    "m", "n", "N", "x", "v", "less_than_sign", "greater_than_sign", "slash", "p",
    "question_mark", "a", "e", "1", "backspace", "home", "end",
]  # fmt: skip
#: Keys never pressed: they end the session.
FORBIDDEN = {"q", "ctrl+q", "ctrl+c"}


def hostile_extras(folder: Path) -> None:
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "cp1252.txt").write_bytes(b"Quotes\r\n\r\n\x93We agree,\x94 he said.")
    (folder / "long.txt").write_text("Long\n\n" + "word " * 300_000)


async def soak(
    folder: Path, index_file: Path, presses: int, seconds: float, seed: int
) -> tuple[int, int, str]:
    from reader.tui.app import NewsReaderApp

    rng = random.Random(seed)
    app = NewsReaderApp([folder], index_file=index_file, watch=False)
    done = 0
    started = time.monotonic()
    error = ""
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            while done < presses and time.monotonic() - started < seconds:
                key = rng.choice(KEYS)
                assert key not in FORBIDDEN
                await pilot.press(key)
                done += 1
                if done % 1000 == 0:
                    print(f"  {done:,} presses, {time.monotonic() - started:.0f} s", flush=True)
                if app._exit_renderables or not app.is_running:
                    break
            await app.workers.wait_for_complete()
            await pilot.pause()
    except Exception as exception:
        error = repr(exception)
    return done, 1 if error else 0, error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=900.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="a short run, for the test suite")
    args = parser.parse_args(argv)
    files, presses = (200, 100) if args.smoke else (args.files, args.presses)
    source, _ = corpus_folder(files, args.seed)
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    folder = work / "corpus"
    shutil.copytree(source, folder)
    hostile_extras(folder)
    started = time.monotonic()
    done, exceptions, error = asyncio.run(
        soak(folder, work / "index.sqlite3", presses, args.seconds, args.seed)
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"presses {done:,} in {time.monotonic() - started:.0f} s; exceptions {exceptions}; peak memory {peak:.0f} MiB"
    )
    if error:
        print(f"exception: {error}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if exceptions else 0


if __name__ == "__main__":
    raise SystemExit(main())
