"""The grouping job on Spark (`newsreader index --engine spark`, reader.scale) gives the
stories the in-process engine gives, in an index the app then opens without regrouping.

Spark runs in local mode (`local[2]`), one session for the module; the tests are skipped,
with the reason, where pyspark or a Java runtime is missing.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from conftest import copy_sample

from reader.cli.main import main
from reader.grouping.candidates import (
    ALL_PAIRS_BUCKET,
    CandidateScreen,
    article_sketches,
    bucket_pairs,
    candidate_codes,
    chain_codes,
    pairs_of_codes,
    same_title_groups,
)
from reader.grouping.decide import Relation, judge
from reader.grouping.engine import MemorySignatures, decide_task, frequent_of
from reader.grouping.links import cluster_links
from reader.grouping.stories import DEFAULT_THRESHOLD, StoryCorpus
from reader.scale.spark_grouping import _bucket_pairs, decided_pairs
from reader.scale.spark_index import index_with_spark
from reader.scale.spark_session import SparkUnavailable, check_spark_available, spark_session
from reader.store.bands import grouping_entries
from reader.store.library import open_corpus
from reader.store.story_links import all_story_links

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -e '.[test]')")


BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
FORMATS = Path(__file__).resolve().parent / "fixtures" / "formats"
#: Files of the generated hard corpus in the test corpus.
HARD_FILES = 150


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    try:
        check_spark_available()
    except SparkUnavailable as error:
        pytest.skip(f"Spark cannot run here: {error}")
    with spark_session("local[2]") as session:
        yield session


def _containers(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(FORMATS / "jsonl" / "crawl-dump.jsonl", folder)
    shutil.copy(FORMATS / "csv" / "newsroom-dump.csv", folder)
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The built-in sample, a generated hard corpus and two dumps (JSONL, CSV)."""
    sys.path.insert(0, str(BENCHMARKS))
    from make_corpus import write_corpus

    root = tmp_path_factory.mktemp("spark-corpus")
    hard = write_corpus(root / "hard", HARD_FILES, seed=7, corpus="hard")
    return [copy_sample(root / "sample"), hard, _containers(root / "containers")]


def _stories(library: StoryCorpus) -> list[tuple[str, list[str], list[str]]]:
    """Each story's id, its versions' ids in order, and its notes, in list order."""
    return [
        (story.id, [version.id for version in story.versions], story.notes)
        for story in library.stories
    ]


def test_spark_builds_the_index_of_the_in_process_engine(
    spark: SparkSession, corpus: list[Path], tmp_path: Path
) -> None:
    in_process = open_corpus(corpus, index_file=tmp_path / "in-process.sqlite3")
    report = index_with_spark(corpus, index_file=tmp_path / "spark.sqlite3")
    assert report.refresh.regrouped
    assert report.refresh.indexed == in_process.report.indexed == HARD_FILES + 3 + 2
    assert report.version_pairs > 0 and report.candidates >= report.version_pairs

    reopened = open_corpus(corpus, index_file=tmp_path / "spark.sqlite3")
    assert reopened.report.indexed == 0
    assert not reopened.report.regrouped
    expected = _stories(in_process.library)
    assert _stories(reopened.library) == expected
    # a corpus worth comparing: stories of several versions, and records of the dumps
    assert sum(len(versions) > 1 for _, versions, _ in expected) >= 20
    assert any(article.record is not None for article in reopened.library.corpus.articles)
    ours, theirs = reopened.corpus_index, in_process.corpus_index
    for key in ("frequent", "threshold", "story_notes", "field_map"):
        assert ours.get_meta(key) == theirs.get_meta(key)
    band_rows = "SELECT band, keys, length(rowids) FROM lsh_bands ORDER BY band"
    assert (
        ours.connection.execute(band_rows).fetchall()
        == theirs.connection.execute(band_rows).fetchall()
    ), "the same band keys are stored"
    assert [s.name for s in reopened.library.corpus.skipped] == [
        s.name for s in in_process.library.corpus.skipped
    ]
    links = all_story_links(theirs)
    assert all_story_links(ours) == links, "the same links between stories are stored"
    assert {link.relation for link in links} >= {Relation.SERIES, Relation.RELATED}

    again = index_with_spark(corpus, index_file=tmp_path / "spark.sqlite3")
    assert again.refresh.indexed == 0
    assert again.refresh.unchanged == in_process.report.indexed
    assert not again.refresh.regrouped


def test_spark_refreshes_an_index_the_app_made_reading_only_the_changed_file(
    spark: SparkSession, tmp_path: Path
) -> None:
    sample = copy_sample(tmp_path / "sample")
    paths = [sample]
    open_corpus(paths, index_file=tmp_path / "spark.sqlite3")
    first = sorted(sample.glob("*.txt"))[0]
    first.write_text(
        first.read_text(encoding="utf-8") + "\nA later paragraph the editor added.\n",
        encoding="utf-8",
    )
    report = index_with_spark(paths, index_file=tmp_path / "spark.sqlite3")
    assert (report.refresh.indexed, report.refresh.regrouped) == (1, True)

    reopened = open_corpus(paths, index_file=tmp_path / "spark.sqlite3")
    assert (reopened.report.indexed, reopened.report.regrouped) == (0, False)
    in_process = open_corpus(paths, index_file=tmp_path / "in-process.sqlite3")
    assert _stories(reopened.library) == _stories(in_process.library)


def test_candidates_decided_in_blocks_are_the_versions_found_in_process(
    spark: SparkSession, corpus: list[Path]
) -> None:
    index = open_corpus(corpus, in_memory=True).corpus_index
    entries = grouping_entries(index)
    ids = [entry.id for entry in entries]
    signatures = index.signatures(ids)
    frequent = frequent_of(entries, MemorySignatures(signatures))
    keys, screen_rows = article_sketches([signatures[id_] for id_ in ids], frequent)
    in_order = np.asarray(ids, dtype=np.int64)
    proposed = candidate_codes(keys, in_order)
    codes = np.union1d(
        CandidateScreen(in_order, screen_rows).kept(proposed),
        chain_codes(same_title_groups((entry.id, entry.title) for entry in entries)),
    )
    expected = sorted(
        (i, j)
        for i, j in pairs_of_codes(codes).tolist()
        if judge(signatures[i], signatures[j], DEFAULT_THRESHOLD).same_story
    )
    found = decided_pairs(
        spark, entries, signatures, frequent, DEFAULT_THRESHOLD, broadcast_limit=0, blocks=3
    )
    assert sorted(map(tuple, found.versions[:, :2].astype(int).tolist())) == expected
    # the links of blocks decided apart are those of every candidate decided at once
    whole = decide_task((MemorySignatures(signatures), pairs_of_codes(codes), DEFAULT_THRESHOLD))
    alone = [[id_] for id_ in ids]
    assert cluster_links(alone, found.links) == cluster_links(alone, whole.links)
    assert any(link.relation is Relation.SERIES for link in whole.links)
    assert len(expected) > 50
    assert found.candidates == len(codes) < len(np.union1d(proposed, codes))  # some screened
    assert np.array_equal(found.keys, keys)


@pytest.mark.parametrize("members", [5, ALL_PAIRS_BUCKET, ALL_PAIRS_BUCKET + 7])
def test_a_bucket_gives_the_pairs_the_in_process_banding_gives(members: int) -> None:
    ids = np.arange(100, 100 + members, dtype=np.int64)[::-1].copy()  # ids not in place order
    expected = set(
        map(tuple, pairs_of_codes(bucket_pairs(np.full(members, 7, np.uint64), ids)).tolist())
    )
    entries = [(1 << 64 | 7, place) for place in reversed(range(members))]
    found = set(_bucket_pairs(entries, FakeBroadcast(ids)))  # type: ignore[arg-type]
    assert found == expected


class FakeBroadcast:
    """Stands in for a pyspark Broadcast (its `value`)."""

    def __init__(self, value: np.ndarray) -> None:
        self.value = value


def test_the_command_line_builds_the_index_with_spark(
    spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = copy_sample(tmp_path / "sample")
    index = tmp_path / "cli.sqlite3"
    code = main(["index", "--engine", "spark", "--index", str(index), "--json", str(sample)])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["indexed"], summary["articles"]) == (3, 3)
    assert summary["spark"]["regrouped"] is True
    assert summary["spark"]["version_pairs"] >= 1
    reopened = open_corpus([sample], index_file=index)
    assert (reopened.report.indexed, reopened.report.regrouped) == (0, False)
    in_process = open_corpus([sample], in_memory=True)
    assert _stories(reopened.library) == _stories(in_process.library)
    assert summary["stories"] == len(in_process.library.stories)


def test_without_pyspark_the_command_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark raises ImportError
    code = main(["index", "--engine", "spark", "--index", str(tmp_path / "i.sqlite3")])
    error = capsys.readouterr().err
    assert code == 2
    assert "pip install 'newsreader[spark]'" in error
    assert "Traceback" not in error
    assert not (tmp_path / "i.sqlite3").exists()


def test_without_java_the_command_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-java-here"))
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    code = main(["index", "--engine", "spark", "--index", str(tmp_path / "i.sqlite3")])
    error = capsys.readouterr().err
    assert code == 2
    assert "needs Java" in error and "default-jre-headless" in error
    assert "Traceback" not in error


def test_master_is_only_for_the_spark_engine(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["index", "--master", "local[2]"])
    assert stopped.value.code == 2
    assert "--master is for --engine spark" in capsys.readouterr().err


def test_bench_spark_smoke_prints_both_engines_and_that_they_agree(
    spark: SparkSession, capsys: pytest.CaptureFixture[str]
) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    import bench_spark

    assert bench_spark.main(["--smoke"]) == 0
    printed = capsys.readouterr().out
    assert "in-process cold index (baseline):" in printed
    assert "spark cold index (local[2]):" in printed
    assert "same stories as in-process: yes" in printed
