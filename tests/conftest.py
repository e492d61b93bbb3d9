"""Shared fixtures: the sample corpus copied somewhere writable, with fixed times."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from reader.ingest.corpus import sample_corpus_path

#: 2026-02-12 09:30 UTC, the day of the sample story.
SAMPLE_MTIME = 1_770_888_600

os.environ["TZ"] = "UTC"
time.tzset()
# Indexes go to the user's cache folder: in tests, a throwaway one.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="newsreader-test-cache-")
# and no keymap of the user's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="newsreader-test-config-")


def copy_sample(destination: Path) -> Path:
    """Copy the built-in sample to `destination` with fixed modification times."""
    destination.mkdir(parents=True, exist_ok=True)
    for source in sorted(sample_corpus_path().glob("*.txt")):
        target = destination / source.name
        shutil.copyfile(source, target)
        os.utime(target, (SAMPLE_MTIME, SAMPLE_MTIME))
    return destination


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A folder named `seeds` holding the three sample articles."""
    return copy_sample(tmp_path / "seeds")
