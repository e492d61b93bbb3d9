"""The index: only changes are read, stories follow the files, search ranks and marks."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from reader.store.index import MATCH_END, MATCH_START, CorpusIndex, fts_query
from reader.store.library import open_corpus, refresh


def story_names(library) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[version.name[:3] for version in story.versions] for story in library.stories]


def test_first_open_reads_everything_and_the_second_nothing(seeds: Path, tmp_path: Path) -> None:
    index_file = tmp_path / "index.sqlite3"
    library, report, _ = open_corpus([seeds], index_file=index_file)
    assert (report.indexed, report.unchanged, report.regrouped) == (3, 0, True)
    assert story_names(library) == [["000", "001"], ["002"]]
    library, report, _ = open_corpus([seeds], index_file=index_file)
    assert (report.indexed, report.unchanged, report.removed) == (0, 3, 0)
    assert story_names(library) == [["000", "001"], ["002"]]
    assert not list(seeds.glob("*.sqlite3*")), "nothing is written into the corpus"


def test_a_new_version_joins_its_story_and_marks_it_updated(seeds: Path, tmp_path: Path) -> None:
    index = CorpusIndex.open(tmp_path / "index.sqlite3")
    for number in range(3, 13):  # unrelated stories, so one new file is a small change
        (seeds / f"{number:03d}_other.txt").write_text(
            f"Story {number}\n\nTOKYO (Reuters) - Topic number {number} was discussed at length "
            f"by officials from {number} countries on Monday, who agreed on item {number}."
        )
    refresh(index, [seeds])
    update = next(seeds.glob("001_*")).read_text().replace("Thursday", "Friday") + "\nMore."
    (seeds / "100_update.txt").write_text(update)
    library, report = refresh(index, [seeds])
    assert report.indexed == 1 and not report.regrouped
    nato = library.stories[0]
    assert [v.name[:3] for v in nato.versions] == ["000", "001", "100"]
    assert report.updated_stories == {nato.id}


def test_edited_and_deleted_files_are_noticed(seeds: Path, tmp_path: Path) -> None:
    index = CorpusIndex.open(tmp_path / "index.sqlite3")
    refresh(index, [seeds])
    target = next(seeds.glob("002_*"))
    target.write_text("Brand new headline\n\nEntirely different text about the weather today.")
    os.utime(target, ns=(1, 1))
    next(seeds.glob("000_*")).unlink()
    library, report = refresh(index, [seeds])
    assert (report.indexed, report.removed) == (1, 1)
    titles = [story.title for story in library.stories]
    assert "Brand new headline" in titles
    assert len(library.corpus.articles) == 2


def test_skipped_files_are_remembered_with_their_reason(seeds: Path, tmp_path: Path) -> None:
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "photo.png").write_bytes(b"\x89PNG")
    library, _, _ = open_corpus([seeds], index_file=tmp_path / "i.sqlite3")
    reasons = {skip.name: skip.reason for skip in library.corpus.skipped}
    assert reasons == {"empty.txt": "empty file", "photo.png": "binary file (a PNG image)"}
    library, report, _ = open_corpus([seeds], index_file=tmp_path / "i.sqlite3")
    assert report.indexed == 0
    assert {skip.name for skip in library.corpus.skipped} == {"empty.txt", "photo.png"}


def test_search_ranks_hits_and_marks_the_match(seeds: Path, tmp_path: Path) -> None:
    _, _, index = open_corpus([seeds], index_file=tmp_path / "i.sqlite3")
    hits = index.search('"strong basis"')
    assert sorted(hit.name[:3] for hit in hits) == ["000", "001"]
    assert all(f"{MATCH_START}strong basis{MATCH_END}" in hit.snippet for hit in hits)
    assert index.search("Rutte reliance")[0].name.startswith("002_")
    assert index.search("Hegs*")
    assert index.search("zzzzunknown") == []
    assert index.search("   ") == []


def test_the_article_that_is_more_about_the_query_ranks_first(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    filler = "Officials met in the capital on Monday to discuss the budget. " * 5
    (corpus / "1_once.txt").write_text(f"Budget talks\n\n{filler} Tariffs were mentioned.")
    (corpus / "2_often.txt").write_text(
        f"Tariff row\n\nTariffs dominate. {filler} Tariffs again, and tariffs once more."
    )
    (corpus / "3_never.txt").write_text(f"Other\n\n{filler}")
    _, _, index = open_corpus([corpus], in_memory=True)
    assert [hit.name for hit in index.search("tariffs")] == ["2_often.txt", "1_once.txt"]
    assert index.search("tariffs")[0].score > index.search("tariffs")[1].score


@pytest.mark.parametrize("broad", [3, 1])
def test_a_broad_query_ranks_the_newest_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broad: int
) -> None:
    # more matches than BROAD_MATCHES: the newest BROAD_MATCHES of them are ranked
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    filler = "Officials met in the capital on Monday to discuss the budget."
    for number in range(1, 7):
        tariffs = "Tariffs tariffs tariffs." if number in (2, 5) else "Tariffs."
        (corpus / f"{number}_story.txt").write_text(f"Talks {number}\n\n{filler} {tariffs}")
    _, _, index = open_corpus([corpus], in_memory=True)
    ranked = [hit.name for hit in index.search("tariffs", limit=6)]
    assert ranked[:2] == ["2_story.txt", "5_story.txt"] or ranked[:2] == [
        "5_story.txt",
        "2_story.txt",
    ]
    monkeypatch.setattr("reader.store.index.BROAD_MATCHES", broad)
    names = [hit.name for hit in index.search("tariffs", limit=6)]
    newest = ["4_story.txt", "5_story.txt", "6_story.txt"][-broad:]  # read in name order
    assert sorted(names) == sorted(newest)
    assert names[0] == ("5_story.txt" if broad == 3 else "6_story.txt")


def test_queries_with_fts_syntax_never_raise(seeds: Path, tmp_path: Path) -> None:
    _, _, index = open_corpus([seeds], index_file=tmp_path / "i.sqlite3")
    for query in ["NOT", "a AND", '"unclosed', "col:umn", "(x OR", "-minus", "*", "NEAR(a b)"]:
        index.search(query)
    assert fts_query('NATO "strong basis" defen*') == '"NATO" AND "strong basis" AND "defen"*'


def test_a_corrupt_index_is_rebuilt_with_a_notice(seeds: Path, tmp_path: Path) -> None:
    index_file = tmp_path / "i.sqlite3"
    open_corpus([seeds], index_file=index_file)[2].close()
    for suffix in ("-wal", "-shm"):
        Path(str(index_file) + suffix).unlink(missing_ok=True)
    header = index_file.read_bytes()[:100]  # ours: SQLite's header with our application id
    index_file.write_bytes(header + b"this is not a database" * 1000)
    library, report, _ = open_corpus([seeds], index_file=index_file)
    assert report.notice is not None and "rebuilt" in report.notice
    assert len(library.corpus.articles) == 3


def test_an_index_from_another_schema_is_rebuilt(seeds: Path, tmp_path: Path) -> None:
    index_file = tmp_path / "i.sqlite3"
    connection = sqlite3.connect(index_file)
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    connection.execute("CREATE TABLE files (path TEXT)")  # an index made before application ids
    connection.execute("CREATE VIRTUAL TABLE search USING fts5(headline, body)")
    connection.commit()
    connection.close()
    library, report, _ = open_corpus([seeds], index_file=index_file)
    assert report.notice is not None and "another version" in report.notice
    assert len(library.corpus.articles) == 3


def test_an_unwritable_cache_folder_falls_back_to_memory(seeds: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    library, report, index = open_corpus([seeds], index_file=blocker / "i.sqlite3")
    assert index.location == ":memory:"
    assert report.notice is not None and "memory" in report.notice
    assert len(library.stories) == 2


def test_an_interrupted_refresh_is_completed_by_the_next(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import reader.store.library

    monkeypatch.setattr(reader.store.library, "PROGRESS_FILES", 50)
    for number in range(3, 200):
        shutil.copy(next(seeds.glob("002_*")), seeds / f"{number:03d}_copy.txt")
    index_file = tmp_path / "i.sqlite3"
    cancel = threading.Event()

    def stop_after_first_chunk(done: int, total: int) -> None:
        cancel.set()

    index = CorpusIndex.open(index_file)
    _, report = refresh(index, [seeds], progress=stop_after_first_chunk, cancel=cancel)
    assert report.cancelled
    index.close()
    library, report, _ = open_corpus([seeds], index_file=index_file)
    assert not report.cancelled
    assert len(library.corpus.articles) == 200
    assert report.unchanged == 50 and report.indexed == 150


@pytest.mark.parametrize("threshold", [0.45, 0.99])
def test_changing_the_threshold_regroups(seeds: Path, tmp_path: Path, threshold: float) -> None:
    index = CorpusIndex.open(tmp_path / "i.sqlite3")
    refresh(index, [seeds])
    library, report = refresh(index, [seeds], threshold=threshold)
    assert report.regrouped == (threshold != 0.45)
    assert len(library.stories) == (2 if threshold == 0.45 else 3)


def test_a_snippet_is_folded_onto_one_line_with_its_matches_located() -> None:
    from reader.present.search import snippet_line

    text, marks = snippet_line(
        f"…Colby sees '{MATCH_START}strong{MATCH_END} {MATCH_START}basis{MATCH_END}'\nfor"
    )
    assert text == "…Colby sees 'strong basis' for"
    assert [text[start:end] for start, end in marks] == ["strong", "basis"]


def test_a_corpus_opened_as_dot_is_not_read_again(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(seeds)
    index_file = tmp_path / "dot.sqlite3"
    open_corpus([Path(".")], index_file=index_file).corpus_index.close()
    _, report, _ = open_corpus([Path("./")], index_file=index_file)
    assert (report.indexed, report.unchanged, report.removed) == (0, 3, 0)


def test_a_full_grouping_remakes_the_story_indexes_and_lists_the_same(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a full grouping of a large corpus drops the indexes holding stories and makes them
    # again (`put_grouping`); made for every grouping here, the list is what it was
    kept = open_corpus([seeds], index_file=tmp_path / "kept.sqlite3").library
    monkeypatch.setattr("reader.store.index.REBUILD_STORY_INDEXES", 1)
    index_file = tmp_path / "remade.sqlite3"
    library, _, index = open_corpus([seeds], index_file=index_file)
    assert story_names(library) == story_names(kept) == [["000", "001"], ["002"]]
    names = {row[0] for row in index.connection.execute("SELECT name FROM sqlite_master")}
    assert {"files_story", "files_listed"} <= names
    plan = index.connection.execute(
        "EXPLAIN QUERY PLAN SELECT rowid FROM files WHERE story = 'x'"
    ).fetchall()
    assert "files_story" in str(plan) or "files_listed" in str(plan)
    reopened, report, _ = open_corpus([seeds], index_file=index_file)
    assert report.indexed == 0 and story_names(reopened) == story_names(kept)


def test_a_large_read_drops_the_story_indexes_and_grouping_makes_them_again(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reader.store.library.REBUILD_STORY_INDEXES", 1)
    dropped: list[bool] = []
    real_drop = CorpusIndex.drop_story_indexes

    def drop(index: CorpusIndex) -> None:
        dropped.append(True)
        real_drop(index)

    monkeypatch.setattr(CorpusIndex, "drop_story_indexes", drop)
    library, _, index = open_corpus([seeds], index_file=tmp_path / "i.sqlite3")
    assert dropped and story_names(library) == [["000", "001"], ["002"]]
    names = {row[0] for row in index.connection.execute("SELECT name FROM sqlite_master")}
    assert {"files_story", "files_listed"} <= names


def test_story_indexes_a_stopped_read_left_out_are_made_on_opening(
    seeds: Path, tmp_path: Path
) -> None:
    index_file = tmp_path / "i.sqlite3"
    open_corpus([seeds], index_file=index_file)[2].close()
    index = CorpusIndex.open(index_file)
    index.drop_story_indexes()  # as a large read does before it is stopped
    index.close()
    index = CorpusIndex.open(index_file)
    names = {row[0] for row in index.connection.execute("SELECT name FROM sqlite_master")}
    assert {"files_story", "files_listed"} <= names
