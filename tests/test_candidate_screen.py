"""The screen of candidate pairs: pairs of unrelated articles that one LSH band happened to
propose are dropped before their signatures are loaded; versions, short first takes and
articles under one title are kept."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from reader.grouping.candidates import (
    NUM_PERM,
    SKETCHED,
    CandidateScreen,
    article_sketches,
    frequent_shingles,
    pair_codes,
    screen_agreement,
)
from reader.grouping.engine import _PairSpill
from reader.grouping.stories import signature
from reader.ingest.article import Article, parse_article_text

#: Made-up words without figures (figures are masked in the lead).
WORDS = sorted({"".join(random.Random(n).choices("bcdfghjklmnprstvz", k=6)) for n in range(3000)})


def text_of(seed: int, paragraphs: int = 8) -> str:
    rng = random.Random(seed)
    body = [" ".join(rng.choice(WORDS) for _ in range(40)) + "." for _ in range(paragraphs)]
    return f"Headline {seed}\n\n" + "\n\n".join(body)


def added(seed: int) -> str:
    """A paragraph no other article has."""
    return text_of(1000 + seed, 1).split("\n\n")[1]


def article(name: str, text: str) -> Article:
    return Article(
        id=name, path=Path(name), name=name, parsed=parse_article_text(text), size=len(text),
        mtime=0.0, encoding="utf-8",
    )  # fmt: skip


def naive_agreement(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    shape = (len(first), len(SKETCHED), NUM_PERM)
    a, b = first.reshape(shape), second.reshape(shape)
    both = a.any(axis=2) & b.any(axis=2)
    return np.asarray(((a == b).sum(axis=2) * both).max(axis=1))


def test_agreement_counts_equal_values_of_sketches_both_have() -> None:
    rng = np.random.default_rng(3)
    width = len(SKETCHED) * NUM_PERM
    first = rng.integers(0, 4, (500, width), dtype=np.uint8)  # many equal bytes
    second = rng.integers(0, 4, (500, width), dtype=np.uint8)
    second[:50, NUM_PERM : 2 * NUM_PERM] = 0  # an empty lead sketch agrees with nothing
    first[50:60] = 0
    assert (screen_agreement(first, second) == naive_agreement(first, second)).all()
    same = rng.integers(1, 256, (10, width), dtype=np.uint8)
    assert (screen_agreement(same, same) == NUM_PERM).all()
    assert (screen_agreement(np.zeros_like(same), np.zeros_like(same)) == 0).all()


def test_versions_pass_the_screen_and_unrelated_articles_do_not() -> None:
    texts = {f"s{n}": text_of(n) for n in range(40)}
    # a version: one paragraph re-written and one added; a first take: the first three
    versions = {
        f"s{n}-v2": text_of(n).replace(WORDS[1], "changed")
        + "\n\n"
        + text_of(1000 + n, 1).split("\n\n")[1]
        for n in range(10)
    }
    takes = {f"s{n}-take": "\n\n".join(text_of(n).split("\n\n")[:4]) for n in range(10, 20)}
    articles = [article(name, text) for name, text in {**texts, **versions, **takes}.items()]
    sigs = [signature(a) for a in articles]
    keys, rows = article_sketches(sigs, frequent_shingles(sigs))
    ids = np.arange(1, len(articles) + 1, dtype=np.int64)
    screen = CandidateScreen(ids, rows)
    place = {a.id: number + 1 for number, a in enumerate(articles)}
    wanted = [(place[f"s{n}"], place[f"s{n}-v2"]) for n in range(10)]
    wanted += [(place[f"s{n}"], place[f"s{n}-take"]) for n in range(10, 20)]
    unrelated = [(place[f"s{n}"], place[f"s{n + 1}"]) for n in range(20, 39)]
    both = np.asarray(wanted + unrelated, dtype=np.int64)
    kept = set(screen.kept(pair_codes(both[:, 0], both[:, 1])).tolist())
    assert set(pair_codes(both[: len(wanted), 0], both[: len(wanted), 1]).tolist()) <= kept
    assert not kept & set(pair_codes(both[len(wanted) :, 0], both[len(wanted) :, 1]).tolist())
    assert keys.shape[0] == rows.shape[0] == len(articles)


@pytest.mark.parametrize("articles", [100, 150_000])
def test_pairs_under_one_title_are_never_screened(tmp_path: Path, articles: int) -> None:
    # a live blog's snapshots may share no entries: their title pairs them, unscreened
    # (150,000 articles: the pairs are kept in three parts in a scratch folder)
    spill = _PairSpill(tmp_path, np.arange(1, articles + 1))
    proposed = pair_codes(np.arange(1, 1001), np.arange(2, 1002))
    titled = pair_codes(np.asarray([5, 70_000, 140_000]), np.asarray([9, 70_001, 149_000]))
    spill.add(proposed)
    spill.add_sure(titled)
    spill.screen = lambda codes: codes[codes % 2 == 0]  # drops half of what LSH proposed
    found = np.concatenate(list(spill.distinct_parts()))
    spill.close()
    expected = np.union1d(proposed[proposed % 2 == 0], titled)
    assert np.array_equal(np.sort(found), expected)
    assert spill.count == len(expected)
