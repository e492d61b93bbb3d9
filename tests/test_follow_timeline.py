"""The timeline of a story, "what's new", and the `story --json` document."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest

from reader.diff.noise import ChangeKind
from reader.diff.word_diff import Change, diff_texts
from reader.follow.changes import change_flags, count_substantive, reading_order, whats_new
from reader.follow.provenance import ProvenanceFormatError, build_provenance
from reader.follow.story_json import STORY_SCHEMA, build_story_document, story_document
from reader.follow.timeline import Timeline, VersionInput, build_timeline, in_time_order

HEADLINE = "NATO allies agree to lift spending"
LEDE = "BRUSSELS (Reuters) - NATO ministers agreed on Tuesday to raise spending."
TALKS = "The deal followed two days of talks, diplomats said."
V1 = f"{HEADLINE}\n\n{LEDE}\n"
V2 = f"{V1}\n{TALKS} Twelve allies already meet the target.\n"
V3 = f"UPDATE 1-{HEADLINE}\n\n{LEDE}\n\nFourteen allies already meet the target. {TALKS}\n"
START = datetime(2026, 2, 12, 9, 0, tzinfo=UTC)


def story() -> list[VersionInput]:
    return [
        VersionInput(text, f"reuters-{n}.txt", START + timedelta(hours=n), "metadata")
        for n, text in enumerate([V1, V2, V3], 1)
    ]


def flagged(new_start: int, kind: ChangeKind = ChangeKind.EDIT, *flags: str) -> Change:
    return Change(kind, "a", "b", new_start, new_start, flags=flags)


def test_word_figures_of_each_version_are_those_of_its_diff_against_the_previous() -> None:
    timeline = build_timeline(story())
    texts = [V1, V2, V3]
    for entry, previous, text in zip(timeline.versions[1:], texts, texts[1:], strict=False):
        stats = diff_texts(previous, text).stats
        assert (entry.words_added, entry.words_deleted, entry.words_moved) == (
            stats.words_inserted,
            stats.words_deleted,
            stats.words_moved,
        )
        assert entry.similarity == stats.similarity


def test_the_first_version_has_words_but_nothing_to_compare_against() -> None:
    first = build_timeline(story()).versions[0]
    assert first.words == 16  # 6 in the headline, 10 in the lede
    assert (first.words_added, first.similarity, first.substantive_changes) == (None, None, None)
    assert first.change_size == 0


def test_each_version_lists_its_time_source_and_sentence_operations() -> None:
    third = build_timeline(story()).versions[2]
    assert (third.number, third.source, third.time, third.time_from) == (
        3,
        "reuters-3.txt",
        "2026-02-12T12:00:00+00:00",
        "metadata",
    )
    assert third.operation_counts["update"] == 2  # the headline and the changed figure
    assert third.operation_counts["move"] == 1


def test_the_largest_changes_are_the_versions_with_most_words_changed() -> None:
    timeline = build_timeline(story())
    sizes = {entry.number: entry.change_size for entry in timeline.versions}
    assert timeline.largest_changes(1) == [max(sizes, key=lambda n: sizes[n])]
    assert 1 not in timeline.largest_changes(3)


def test_timeline_round_trips_through_json() -> None:
    timeline = build_timeline(story())
    assert Timeline.from_json(json.loads(json.dumps(timeline.to_json()))) == timeline
    with pytest.raises(ProvenanceFormatError):
        Timeline.from_json({"schema": "newsreader.timeline/1", "versions": [{}], "fingerprint": ""})


def test_versions_sort_by_time_with_undated_ones_last() -> None:
    undated = VersionInput("x", "undated.txt")
    naive = VersionInput("y", "naive.txt", datetime(2026, 2, 12, 10, 0))
    paris = VersionInput(
        "z", "paris.txt", datetime(2026, 2, 12, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    )
    assert [v.source for v in in_time_order([undated, naive, paris])] == [
        "paris.txt",
        "naive.txt",
        "undated.txt",
    ]


def test_a_change_the_differ_flags_is_substantive_and_house_style_is_not() -> None:
    figure = diff_texts("Exports rose 5 percent in May.", "Exports rose 7 percent in May.")
    assert any(change_flags(change) == ("numbers",) for change in figure.changes)
    assert count_substantive(figure.changes) == 1
    style = diff_texts("The U.S. defence budget grew.", "The US defense budget grew.")
    assert style.changes and count_substantive(style.changes) == 0


def test_substantive_changes_are_those_the_differ_flagged() -> None:
    changes = [
        flagged(0),
        flagged(5, ChangeKind.EDIT, "numbers"),
        flagged(9, ChangeKind.EDIT, "negation", "names"),
    ]
    assert count_substantive(changes) == 2
    assert change_flags(changes[2]) == ("names", "negation")


def test_reading_order_puts_flagged_changes_first_then_edits_then_house_style() -> None:
    style = flagged(1, ChangeKind.TYPOGRAPHY)
    edit = flagged(2)
    number = flagged(30, ChangeKind.EDIT, "numbers")
    move = flagged(20, ChangeKind.MOVE)
    assert reading_order([style, edit, number, move]) == [number, edit, move, style]


def test_whats_new_is_the_diff_from_the_last_read_version_to_the_newest() -> None:
    news = whats_new([V1, V2, V3], since=2)
    expected = diff_texts(V2, V3)
    assert (news.since, news.newest) == (2, 3)
    assert news.diff.new_text == V3 and news.diff.old_text == V2
    assert sorted(news.changes, key=lambda c: c.new_start) == sorted(
        expected.changes, key=lambda c: c.new_start
    )
    assert {"Fourteen", "Twelve"} <= {(c.new or c.old).strip() for c in news.changes}


def test_whats_new_refuses_a_version_the_story_does_not_have() -> None:
    with pytest.raises(ValueError, match="version 4"):
        whats_new([V1, V2, V3], since=4)


def test_the_story_document_gives_the_timeline_figures_with_operations_and_sentences() -> None:
    document = build_story_document(story(), story_id="s1", title="NATO allies agree")
    timeline = build_timeline(story())
    assert document["schema"] == STORY_SCHEMA
    assert document["story"] == {"id": "s1", "title": "NATO allies agree", "versions": 3}
    for version, entry in zip(document["versions"], timeline.versions, strict=True):
        assert version["words_added"] == entry.words_added
        assert version["substantive_changes"] == entry.substantive_changes
    third = document["versions"][2]
    assert {op["kind"] for op in third["operations"]} == {"update", "move"}
    fourteen = next(s for s in third["sentences"] if s["text"].startswith("Fourteen"))
    assert (fourteen["introduced_in"], fourteen["edited_in"]) == (2, [3])
    assert document["edits"][fourteen["edits"][0]]["changes"][0]["new"] == "Fourteen"
    assert json.loads(json.dumps(document)) == document


def test_the_story_document_refuses_a_timeline_and_provenance_of_different_stories() -> None:
    with pytest.raises(ValueError, match="versions"):
        story_document(build_timeline(story()), build_provenance([V1]))


def test_the_follow_package_imports_without_textual() -> None:
    imports = "import sys, reader.follow.story_json, reader.follow.changes"
    code = f"{imports}; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
