"""Shared set-up: the sample corpus copied somewhere writable with fixed times, a corpus of
short articles large enough for worker processes, the command run in-process, and the wait
for an app's corpus."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reader.ingest.corpus import sample_corpus_path

if TYPE_CHECKING:
    from textual.pilot import Pilot

#: 2026-02-12 09:30 UTC, the day of the sample story.
SAMPLE_MTIME = 1_770_888_600

os.environ["TZ"] = "UTC"
time.tzset()


def _throwaway_folder(prefix: str) -> str:
    """A temporary folder removed when the test process ends (each xdist worker has its
    own), so test runs do not fill the temp folder."""
    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


# Indexes go to the user's cache folder: in tests, a throwaway one.
os.environ["XDG_CACHE_HOME"] = _throwaway_folder("newsreader-test-cache-")
# and no keymap of the user's.
os.environ["XDG_CONFIG_HOME"] = _throwaway_folder("newsreader-test-config-")


def copy_sample(destination: Path) -> Path:
    """Copy the built-in sample to `destination` with fixed modification times."""
    destination.mkdir(parents=True, exist_ok=True)
    for source in sorted(sample_corpus_path().glob("*.txt")):
        target = destination / source.name
        shutil.copyfile(source, target)
        os.utime(target, (SAMPLE_MTIME, SAMPLE_MTIME))
    return destination


def write_small_articles(folder: Path, files: int) -> Path:
    """`files` short articles (a numbered headline, 40 words from a shared vocabulary, so
    neighbours group into stories) in a new `folder`: a corpus large enough to be read by
    worker processes, at a fraction of the cost of realistic articles."""
    folder.mkdir()
    for number in range(files):
        words = " ".join(f"word{(number * 7 + i) % 997}" for i in range(40))
        (folder / f"{number:05d}.txt").write_text(f"Headline number {number}\n\n{words}\n")
    return folder


async def corpus_loaded(pilot: Pilot[None]) -> None:
    """Wait until the app's corpus worker has finished and its messages are handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A folder named `seeds` holding the three sample articles."""
    return copy_sample(tmp_path / "seeds")


@dataclass(frozen=True)
class CommandResult:
    """What one run of the `newsreader` command gave: its exit status and its output."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def newsreader_command(capsys: pytest.CaptureFixture[str]) -> Callable[..., CommandResult]:
    """Run the `newsreader` command in this process (`main(argv)`, as the console script
    does, without a new interpreter); an exception escaping it fails the test."""
    from reader.cli.main import main

    def run(*args: str) -> CommandResult:
        capsys.readouterr()  # only this command's output
        message = ""
        try:
            status = main(list(args))
        except SystemExit as exit_status:  # argparse refusing an argument
            code = exit_status.code
            if isinstance(code, str):  # as the interpreter does: the message, status 1
                status, message = 1, f"{code}\n"
            else:
                status = code or 0
        captured = capsys.readouterr()
        return CommandResult(status, captured.out, captured.err + message)

    return run
