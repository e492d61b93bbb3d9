"""Provenance of sentences: the version that introduced each one and the versions that
edited it, checked on hand-made stories and on generated update chains whose history is
known (benchmarks/update_chains.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.follow.provenance import (
    ProvenanceFormatError,
    StoryProvenance,
    build_provenance,
    story_fingerprint,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from update_chains import Chain, Truth, make_chain

HEADLINE = "NATO allies agree to lift defence spending"
LEDE = "BRUSSELS (Reuters) - NATO defence ministers agreed on Tuesday to raise military spending."
TALKS = "The deal was reached after two days of talks in the Belgian capital, diplomats said."
TARGET = "Twelve allies have already met the 2% target, officials said."
HEGSETH = "U.S. Defense Secretary Pete Hegseth welcomed the agreement as “historic.”"
TRAILER = "(Reporting by Andrew Gray; Editing by Ros Russell)"


def five_versions() -> list[str]:
    """The issue's example: a sentence added in version 3, edited in version 4."""
    v1 = f"{HEADLINE}\n\n{LEDE} {TALKS}\n"
    v2 = f"{HEADLINE}\n\n{LEDE} {TALKS}\n\n{HEGSETH}\n"
    v3 = f"{HEADLINE}\n\n{LEDE} {TALKS}\n\n{TARGET}\n\n{HEGSETH}\n"
    v4 = v3.replace("Twelve allies", "Fourteen allies")
    v5 = v4.replace("“", '"').replace("”", '"').replace("\n\n", "\n") + TRAILER + "\n"
    return [v1, v2, v3, v4, v5]


def blame_of(
    provenance: StoryProvenance, version: int, starts_with: str
) -> tuple[int, tuple[int, ...]]:
    for sentence in provenance.versions[version - 1].sentences:
        if sentence.text.startswith(starts_with):
            return sentence.introduced_in, sentence.edited_in
    raise AssertionError(f"no sentence starting {starts_with!r} in version {version}")


def test_a_sentence_added_in_version_3_of_5_shows_version_3() -> None:
    provenance = build_provenance(five_versions())
    assert blame_of(provenance, 3, "Twelve allies") == (3, ())
    assert blame_of(provenance, 5, "U.S. Defense Secretary") == (2, ())


def test_a_sentence_edited_in_version_4_shows_versions_3_and_4() -> None:
    provenance = build_provenance(five_versions())
    assert blame_of(provenance, 4, "Fourteen allies") == (3, (4,))
    assert blame_of(provenance, 5, "Fourteen allies") == (3, (4,))


def test_an_edit_carries_the_word_diff_of_the_sentence() -> None:
    provenance = build_provenance(five_versions())
    sentence = provenance.versions[4].sentences[3]
    [edit] = provenance.edits_of(sentence)
    assert (edit.version, edit.kind) == (4, "update")
    assert edit.before == (TARGET,) and edit.after == (TARGET.replace("Twelve", "Fourteen"),)
    assert [(c.kind, c.old, c.new) for c in edit.changes] == [("edit", "Twelve", "Fourteen")]
    assert (edit.words_inserted, edit.words_deleted) == (1, 1)


def test_house_style_and_re_flow_do_not_count_as_edits() -> None:
    provenance = build_provenance(five_versions())
    last = provenance.versions[4]
    assert [s.introduced_in for s in last.sentences] == [1, 1, 1, 3, 2, 5]
    assert last.restyled == 1  # the quotes around “historic.”
    assert [op.kind.value for op in last.operations] == ["addition"]


def test_sentence_offsets_point_into_the_version_text() -> None:
    texts = five_versions()
    provenance = build_provenance(texts)
    for text, version in zip(texts, provenance.versions, strict=True):
        for sentence in version.sentences:
            assert text[sentence.start : sentence.end] == sentence.text
        middle = version.sentences[-1]
        assert version.sentence_at((middle.start + middle.end) // 2) == middle


def test_a_merged_sentence_was_introduced_by_the_earliest_of_its_parts() -> None:
    first = f"{HEADLINE}\n\n{LEDE}\n"
    second = f"{HEADLINE}\n\n{LEDE} {TALKS}\n"
    joined = f"{LEDE[:-1]}, and the deal was reached after two days of talks, diplomats said."
    merged = f"{HEADLINE}\n\n{joined}\n"
    provenance = build_provenance([first, second, merged])
    sentence = provenance.versions[2].sentences[1]
    assert (sentence.introduced_in, sentence.origins, sentence.edited_in) == (1, (1, 2), (3,))
    assert provenance.edits_of(sentence)[0].kind == "merge"


def test_a_sentence_cut_and_later_restored_keeps_its_first_version() -> None:
    full = f"{HEADLINE}\n\n{LEDE}\n\n{TALKS}\n"
    trimmed = f"{HEADLINE}\n\n{LEDE}\n"
    provenance = build_provenance([full, trimmed, full])
    restored = provenance.versions[2].sentences[2]
    assert (restored.introduced_in, restored.restored_in) == (1, (3,))


def test_provenance_round_trips_through_json() -> None:
    provenance = build_provenance(five_versions())
    text = json.dumps(provenance.to_json())
    assert StoryProvenance.from_json(json.loads(text)) == provenance


def test_cached_provenance_is_stale_when_a_version_changes_or_is_added() -> None:
    texts = five_versions()
    provenance = build_provenance(texts)
    assert provenance.is_current_for(texts)
    assert not provenance.is_current_for([*texts, texts[-1]])
    assert not provenance.is_current_for([*texts[:-1], texts[-1] + "More.\n"])
    assert provenance.fingerprint == story_fingerprint(texts)


@pytest.mark.parametrize(
    "data",
    [[], {"schema": "something else"}, {**build_provenance(["One."]).to_json(), "versions": "x"}],
)
def test_damaged_cached_provenance_is_refused_with_a_clear_error(data: object) -> None:
    with pytest.raises(ProvenanceFormatError):
        StoryProvenance.from_json(data)


def test_a_story_of_one_version_has_no_operations_and_everything_from_version_1() -> None:
    [version] = build_provenance([f"{HEADLINE}\n\n{LEDE} {TALKS}\n"]).versions
    assert version.operations == ()
    assert {s.introduced_in for s in version.sentences} == {1}


# --- generated update chains ---------------------------------------------------------------


def assert_provenance_matches(chain: Chain) -> None:
    provenance = build_provenance(chain.texts)
    for number, (version, truths) in enumerate(
        zip(provenance.versions, chain.truths, strict=True), 1
    ):
        found = [Truth(s.introduced_in, s.edited_in) for s in version.sentences]
        assert found == truths, f"version {number} after {chain.operations[number - 1]}"


@pytest.mark.parametrize("seed", range(12))
def test_provenance_of_a_generated_chain_is_exactly_its_known_history(seed: int) -> None:
    assert_provenance_matches(make_chain(seed, versions=8, edits=3))


def test_every_kind_of_edit_occurs_in_the_generated_chains() -> None:
    done = {
        kind
        for seed in range(12)
        for ops in make_chain(seed, 8, edits=3).operations
        for kind in ops
    }
    assert done == {"add", "delete", "update", "merge", "split", "move", "restore"}


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=2, max_value=10))
def test_provenance_matches_the_history_of_any_generated_chain(seed: int, versions: int) -> None:
    assert_provenance_matches(make_chain(seed, versions=versions, edits=3))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=10**6))
def test_edits_come_after_the_introducing_version_and_agree_with_the_edit_list(seed: int) -> None:
    provenance = build_provenance(make_chain(seed, versions=10, edits=5).texts)
    for version in provenance.versions:
        for sentence in version.sentences:
            history = [sentence.introduced_in, *sentence.edited_in]
            assert history == sorted(set(history))
            edit_versions = {provenance.edits[e].version for e in sentence.edits}
            assert sentence.edited_in == tuple(sorted(edit_versions))
            assert all(v <= version.number for v in history)
