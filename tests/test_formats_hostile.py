"""Damaged copies of every fixture: read as far as they go, never a traceback, no control codes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.ingest.formats import read_items

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
FILES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
CONTROL_CHARACTERS = {chr(c) for c in [*range(32), *range(127, 160)] if chr(c) not in "\n\t"}


def damaged_copies(data: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    copies = [data[: rng.randrange(1, max(2, len(data)))] for _ in range(4)]
    for _ in range(3):
        flipped = bytearray(data)
        for _ in range(8):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        copies.append(bytes(flipped))
    copies.append(data + data[: len(data) // 3])  # a file written twice, the second time cut
    return copies


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_damaged_file_gives_items_or_problems_never_an_exception(path: Path) -> None:
    data = path.read_bytes()
    for number, copy in enumerate(damaged_copies(data, seed=len(data))):
        result = read_items(copy, path.name)
        for item in result.items:
            shown = [item.headline, *(p.text for p in item.paragraphs), item.byline or ""]
            assert not CONTROL_CHARACTERS & set("".join(shown)), (path.name, number)
            assert all(p.text for p in item.paragraphs)
        assert all(problem.message for problem in result.problems)
