"""The memory budget of `newsreader index --memory`: fewer worker processes when they would
not fit beside the main process's share, one process and a note when not even one fits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.ingest.corpus import sample_corpus_path
from reader.ingest.memory import (
    WORKER_MIB,
    main_memory_mib,
    memory_needed,
    workers_within,
)


def test_workers_are_as_many_as_fit_and_never_more_than_asked() -> None:
    articles = 1_000_000
    main_share = main_memory_mib(articles)
    assert 700 < main_share < 1200, "about what the scale benchmark measured at 1M"
    room_for_three = int(main_share) + 3 * WORKER_MIB + 10
    assert workers_within(room_for_three, articles, 8) == 3
    assert workers_within(room_for_three, articles, 2) == 2
    assert workers_within(64 * 1024, articles, 4) == 4
    # a budget the corpus alone outgrows: everything in this process, and a note says so
    assert workers_within(512, articles, 4) == 1
    note = memory_needed(512, articles)
    assert note is not None and "1,000,000 articles" in note and "512 MiB" in note
    assert memory_needed(2048, articles) is None
    # a bigger corpus leaves room for fewer workers in the same budget
    assert workers_within(2048, 3_000_000, 8) < workers_within(2048, 100_000, 8)


@pytest.mark.parametrize("value", ["12", "lots", "-5"])
def test_a_memory_budget_that_cannot_be_met_or_read_is_refused_in_one_line(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["index", "--memory", value])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "--memory" in error and "Traceback" not in error


def test_index_within_a_small_budget_says_so_and_still_indexes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus_path(), corpus)
    index_file = tmp_path / "index.sqlite3"
    assert (
        main(["index", "--json", "--memory", "300", "--index", str(index_file), str(corpus)]) == 0
    )
    captured = capsys.readouterr()
    assert json.loads(captured.out)["articles"] == 3
    assert "need about" in captured.err and "300 MiB" in captured.err
    # within the default budget nothing is said
    assert main(["index", "--json", "--index", str(index_file), str(corpus)]) == 0
    assert "need about" not in capsys.readouterr().err
