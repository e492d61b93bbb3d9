"""Grouping in bounded memory: band keys kept on disk and in the index, clustering by
connected component in worker processes that read signatures from the index, frequent
shingles counted on a sample; none of it changes which articles make a story."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from make_corpus import generate  # noqa: E402

from reader.grouping import engine  # noqa: E402
from reader.grouping.candidates import (  # noqa: E402
    ALL_PAIRS_BUCKET,
    BIG_BUCKET_NEIGHBOURS,
    KEYS_PER_ARTICLE,
    bucket_pairs,
    frequent_shingles,
    in_sample,
    pairs_of_codes,
)
from reader.grouping.cleaning import PageKind  # noqa: E402
from reader.grouping.decide import (  # noqa: E402
    DEFAULT_THRESHOLD,
    Relation,
    cannot_be_versions,
    decide,
    judge,
    version_floor,
)
from reader.grouping.engine import EngineResult, MemorySignatures, group_entries  # noqa: E402
from reader.grouping.signature import shared_count, shared_counts  # noqa: E402
from reader.grouping.stories import Signature, StoryGrouper, entries_of, signature  # noqa: E402
from reader.ingest.article import Article, parse_article_text  # noqa: E402
from reader.ingest.workers import (  # noqa: E402
    TASKS_AHEAD_PER_WORKER,
    bounded_map,
    worker_pool,
)
from reader.store.bands import IndexSignatures, grouping_entries  # noqa: E402
from reader.store.library import open_corpus, refresh  # noqa: E402


def write_hard_corpus(folder: Path, files: int, seed: int = 3) -> dict[str, str]:
    """A small corpus of the hard generator's families; returns file name -> story."""
    folder.mkdir()
    truth = {}
    for number, item in enumerate(generate(files, seed, "hard")):
        name = f"{number:04d}.txt"
        (folder / name).write_text(item.text, encoding="utf-8")
        truth[name] = item.label
    return truth


def member_sets(stories: list[list[str]]) -> list[list[str]]:
    return sorted(sorted(names) for names in stories)


def test_the_index_path_with_workers_gives_the_stories_of_grouping_in_memory(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "wire"
    write_hard_corpus(folder, 160)
    opened = open_corpus([folder], index_file=tmp_path / "index.sqlite3")
    on_disk = member_sets([[v.name for v in s.versions] for s in opened.library.stories])
    rows = opened.corpus_index.articles()
    stored = opened.corpus_index.signatures([rowid for rowid, _, _ in rows])
    in_memory = StoryGrouper().group(
        [article for _, article, _ in rows], signatures=[stored[rowid] for rowid, _, _ in rows]
    )
    assert on_disk == member_sets([[v.name for v in s.versions] for s in in_memory.stories])
    assert any(len(story) > 1 for story in on_disk), "the corpus has stories of several versions"

    # the same with the steps spread over worker processes reading the index themselves
    index = opened.corpus_index
    entries = grouping_entries(index)
    with worker_pool(2) as pool:
        result = group_entries(
            entries, IndexSignatures(index.location), 0.45, parallel_map=pool.map
        )
    names = dict(index.connection.execute("SELECT rowid, name FROM files"))
    assert member_sets([[names[r] for r in c] for c in result.clusters]) == on_disk


def test_band_keys_kept_in_a_scratch_folder_give_the_same_stories_and_are_removed(
    tmp_path: Path,
) -> None:
    items = list(generate(120, 4, "hard"))
    articles = [_article(n, item.text) for n, item in enumerate(items)]
    signatures = [signature(a) for a in articles]
    entries = entries_of(articles, signatures)
    source = MemorySignatures(dict(enumerate(signatures)))
    seen: list[int] = []
    in_memory = group_entries(entries, source, 0.45)
    spilled = group_entries(
        entries, source, 0.45, scratch=tmp_path, band_sink=lambda band, ids, keys: seen.append(band)
    )
    assert sorted(map(sorted, in_memory.clusters)) == sorted(map(sorted, spilled.clusters))
    assert seen == list(range(KEYS_PER_ARTICLE)), "every band of every sketch goes to the index"
    assert list(tmp_path.iterdir()) == [], "the scratch files are gone"


def test_a_file_added_later_joins_its_story_through_the_bands_stored_in_the_index(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "wire"
    truth = write_hard_corpus(folder, 160)
    index_file = tmp_path / "index.sqlite3"
    opened = open_corpus([folder], index_file=index_file)
    story = next(s for s in opened.library.stories if len(s) >= 2)
    source = story.versions[-1]
    copy = folder / "9999.txt"
    copy.write_text(
        source.path.read_text(encoding="utf-8").replace("said", "told reporters", 1),
        encoding="utf-8",
    )
    library, report = refresh(opened.corpus_index, [folder])
    assert not report.regrouped, "one new file is joined, not regrouped"
    joined = next(s for s in library.stories if any(v.name == "9999.txt" for v in s.versions))
    assert {v.name for v in story.versions} <= {v.name for v in joined.versions}
    assert truth  # the corpus was written


def test_damaged_band_keys_are_rebuilt_with_a_notice(tmp_path: Path) -> None:
    folder = tmp_path / "wire"
    write_hard_corpus(folder, 100)
    index_file = tmp_path / "index.sqlite3"
    opened = open_corpus([folder], index_file=index_file)
    stories = member_sets([[v.name for v in s.versions] for s in opened.library.stories])
    opened.corpus_index.close()
    with sqlite3.connect(index_file) as connection:
        connection.execute("UPDATE lsh_bands SET keys = x'0001' WHERE band = 3")
    (folder / "0100.txt").write_text("A new file.\n\nIt says little.\n", encoding="utf-8")
    reopened = open_corpus([folder], index_file=index_file)
    assert reopened.report.notice is not None and "rebuilt" in reopened.report.notice
    again = member_sets([[v.name for v in s.versions] for s in reopened.library.stories])
    assert again == member_sets([*stories, ["0100.txt"]])


def test_a_big_bucket_proposes_each_article_with_its_next_few_not_every_pair() -> None:
    keys = np.array([7] * 100 + [9] * 10 + [0] * 5, dtype=np.uint64)
    ids = np.arange(len(keys), dtype=np.int64)
    pairs = {tuple(pair) for pair in pairs_of_codes(bucket_pairs(keys, ids)).tolist()}
    small = {(i, j) for i in range(100, 110) for j in range(i + 1, 110)}
    assert small <= pairs, "a small bucket proposes every pair"
    big = pairs - small
    assert ALL_PAIRS_BUCKET < 100
    assert big == {
        (i, j) for i in range(100) for j in range(i + 1, min(i + BIG_BUCKET_NEIGHBOURS + 1, 100))
    }
    assert not any(i >= 110 or j >= 110 for i, j in pairs), "no key (0) is in no bucket"


@pytest.mark.parametrize("seed", range(5))
def test_buckets_pair_their_articles_in_the_order_given_whatever_order_the_keys_come_in(
    seed: int,
) -> None:
    """Keys that repeat, scattered among the positions: each bucket pairs its articles as
    they come in the order given (every pair of a small bucket; each with its next few in a
    big one), as a plain walk over the buckets does."""
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 60, 2000).astype(np.uint64)  # 0: no key
    ids = rng.permutation(2000).astype(np.int64) + 1
    members: dict[int, list[int]] = {}
    for key, id_ in zip(keys.tolist(), ids.tolist(), strict=True):
        if key:
            members.setdefault(key, []).append(id_)
    expected = set()
    for bucket in members.values():
        reach = len(bucket) if len(bucket) <= ALL_PAIRS_BUCKET else BIG_BUCKET_NEIGHBOURS + 1
        for at, id_ in enumerate(bucket):
            expected.update(
                (min(id_, other), max(id_, other)) for other in bucket[at + 1 : at + reach]
            )
    found = {tuple(pair) for pair in pairs_of_codes(bucket_pairs(keys, ids)).tolist()}
    assert found == expected


def test_frequent_shingles_are_counted_on_a_sample_chosen_by_id_not_by_order() -> None:
    ids = [f"file-{n}.txt" for n in range(100_000)]
    sample = [i for i in ids if in_sample(i, len(ids))]
    assert 15_000 < len(sample) < 25_000
    assert sample == [i for i in reversed(ids) if in_sample(i, len(ids))][::-1]
    assert all(in_sample(i, 500) for i in ids[:500]), "a small corpus is counted whole"


@pytest.mark.parametrize("articles", [None, 4000])
def test_a_shingle_is_frequent_when_its_share_of_the_sample_passes_the_limit(
    articles: int | None,
) -> None:
    common = np.array([1, 2], dtype=np.uint64)
    rare = np.array([3], dtype=np.uint64)
    sample = [
        _sig(np.union1d(common, rare) if n < 10 else common if n < 150 else rare)
        for n in range(200)
    ]
    found = frequent_shingles(sample, articles).tolist()
    # 150 of 200 hold 1 and 2 (limit 100 of a 200 corpus, 100 * 200 / 4000 = 5 of a sample)
    assert found == ([1, 2] if articles is None else [1, 2, 3])


def _sig(shingles: np.ndarray) -> Signature:
    return Signature(shingles, np.empty(0, dtype=np.uint64), frozenset())


def _article(number: int, text: str) -> Article:
    name = f"{number:04d}.txt"
    return Article(name, Path(name), name, parse_article_text(text), len(text), 0.0, "utf-8")


def test_the_screens_before_deciding_never_set_aside_a_pair_decide_calls_versions() -> None:
    """Every pair of the labelled set and of a hard corpus: a pair `decide` calls versions
    is never screened out by dates (`cannot_be_versions`) nor by shared text below
    `version_floor`, at several thresholds; and the bulk count agrees with the pairwise one."""
    signatures = _screened_signatures()
    versions = 0
    for i, a in enumerate(signatures):
        others = signatures[i + 1 :]
        counts = shared_counts(a.shingles, [b.shingles for b in others])
        for b, count in zip(others, counts.tolist(), strict=True):
            assert count == shared_count(a.shingles, b.shingles)
            for threshold in (0.3, 0.6):
                decision = judge(a, b, threshold)
                if not decision.same_story:
                    continue
                versions += 1
                assert not cannot_be_versions(a, b)
                if a.kind is b.kind is PageKind.STORY:
                    assert decision.score >= version_floor(threshold)
    assert versions > 100, "the data holds versions to check"


def _screened_signatures() -> list[Signature]:
    folder = Path(__file__).resolve().parent / "grouping_pairs" / "articles"
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())]
    texts += [item.text for item in generate(80, 7, "hard")]
    return [signature(_article(n, text)) for n, text in enumerate(texts)]


def test_judging_a_pair_gives_the_relation_rule_and_score_of_deciding_it() -> None:
    """`judge` measures only what the rules ask; what it says is what `decide` says."""
    signatures = _screened_signatures()
    relations = set()
    for i, a in enumerate(signatures):
        for b in signatures[i + 1 :]:
            for threshold in (0.3, DEFAULT_THRESHOLD, 0.6):
                decision = decide(a, b, threshold)
                verdict = judge(a, b, threshold, shared=shared_count(a.shingles, b.shingles))
                assert (verdict.relation, verdict.rule, verdict.score) == (
                    decision.relation,
                    decision.rule,
                    decision.score,
                )
                assert (verdict.same_story, verdict.vetoed) == (
                    decision.verdict.same_story,
                    decision.verdict.vetoed,
                )
                relations.add(decision.relation)
    assert relations == set(Relation), "every relation is met"


def test_a_block_decided_with_array_screens_finds_the_versions_decide_finds() -> None:
    """Every pair of the set decided as one block (in a shuffled order): the versions found
    are the pairs `decide` calls versions, with their scores; every link found is a pair
    `decide` links with that relation."""
    signatures = _screened_signatures()
    pairs = np.asarray(
        [(i, j) for i in range(len(signatures)) for j in range(i + 1, len(signatures))]
    )
    np.random.default_rng(5).shuffle(pairs)
    decided = engine.decide_task(
        (MemorySignatures(dict(enumerate(signatures))), pairs, DEFAULT_THRESHOLD)
    )
    found = {(int(i), int(j)): score for i, j, score in decided.versions.tolist()}
    expected = {}
    for i, j in pairs.tolist():
        i, j = min(i, j), max(i, j)
        decision = decide(signatures[i], signatures[j], DEFAULT_THRESHOLD)
        if decision.verdict.same_story:
            expected[(i, j)] = max(decision.score, DEFAULT_THRESHOLD)
    assert found == expected and len(found) > 50
    for link in decided.links:
        assert decide(signatures[link.first], signatures[link.second]).relation is link.relation
    assert {link.relation for link in decided.links} >= {Relation.SERIES, Relation.RELATED}


def test_the_bounded_map_gives_results_in_order_with_few_tasks_ahead() -> None:
    with worker_pool(2) as pool:
        mapped = bounded_map(pool, workers=2)
        assert list(mapped(abs, range(-50, 0))) == [abs(n) for n in range(-50, 0)]
        started = iter(mapped(abs, _counted(range(100))))
        assert next(started) == 0
        # one result handed back: at most TASKS_AHEAD_PER_WORKER * 2 + 1 tasks submitted
        assert SUBMITTED[-1] <= TASKS_AHEAD_PER_WORKER * 2 + 1


def _links(result: EngineResult) -> list[tuple[int, int, Relation, str]]:
    """The links between clusters, each cluster named by its smallest id."""
    name = [min(members) for members in result.clusters]
    return sorted(
        (min(name[link.first], name[link.second]), max(name[link.first], name[link.second]),
         link.relation, link.rule)
        for link in result.links
    )  # fmt: skip


SUBMITTED: list[int] = []


def _counted(items: range) -> Iterator[int]:
    for count, item in enumerate(items, start=1):
        SUBMITTED.append(count)
        yield item


def test_candidates_spilled_in_parts_give_the_same_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = list(generate(120, 5, "hard"))
    articles = [_article(n, item.text) for n, item in enumerate(items)]
    signatures = [signature(a) for a in articles]
    entries = entries_of(articles, signatures)
    source = MemorySignatures(dict(enumerate(signatures)))
    whole = group_entries(entries, source, 0.45)
    monkeypatch.setattr(engine, "ARTICLES_PER_PAIR_PART", 30)  # four parts
    monkeypatch.setattr(engine, "DECIDE_CHUNK", 40)  # and blocks of a few pairs
    parted = group_entries(entries, source, 0.45, scratch=tmp_path)
    assert sorted(map(sorted, whole.clusters)) == sorted(map(sorted, parted.clusters))
    assert any(len(cluster) > 1 for cluster in whole.clusters)
    # the same links, a series as the same spanning forest, however the pairs were cut
    assert _links(parted) == _links(whole)
    assert any(relation is Relation.SERIES for _, _, relation, _ in _links(whole))
    assert list(tmp_path.iterdir()) == [], "the parts are gone"


def test_entry_columns_made_from_the_index_file_are_those_of_the_entries(
    tmp_path: Path,
) -> None:
    """A large index's entries are made in a child process that opens the file itself
    (`_columns_in_file`): the same columns as from the entries made here."""
    from reader.grouping.engine import EntryColumns
    from reader.store.bands import _columns_in_file, grouping_columns

    folder = tmp_path / "wire"
    write_hard_corpus(folder, 90)
    opened = open_corpus([folder], index_file=tmp_path / "index.sqlite3")
    index = opened.corpus_index
    here = EntryColumns.of(grouping_entries(index))
    there = _columns_in_file(str(index.location))
    with grouping_columns(index) as made:
        made_here = made()
    for columns in (there, made_here):
        assert np.array_equal(columns.ids, here.ids)
        assert np.array_equal(columns.sizes, here.sizes)
        assert np.array_equal(columns.title_chains, here.title_chains)
        assert columns.sample == here.sample
        assert columns.metadata_groups == here.metadata_groups
    assert len(here.ids) == 90 and here.sample
