"""Links between stories that are never merged: issues of one series, related stories and
digests, kept by grouping (batch and incremental), stored in the index, listed by the `l`
screen and by `stories --json`."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.grouping.decide import Relation
from reader.grouping.links import (
    ClusterLink,
    Joined,
    PairLink,
    PairLinkArrays,
    _between,
    cluster_links,
)
from reader.grouping.stories import StoryGrouper
from reader.ingest.corpus import CorpusFile, read_article
from reader.present.links import SERIES_MARK
from reader.store.index import CorpusIndex
from reader.store.library import open_corpus
from reader.store.story_links import all_story_links, links_of, series_of
from reader.tui.app import NewsReaderApp
from reader.tui.screens.links_screen import LinksScreen
from reader.tui.widgets.row_list import RowList

PAIRS = Path(__file__).resolve().parent / "grouping_pairs" / "articles"
FUEL = ["fuel-01-jun2.txt", "fuel-02-jun9.txt", "fuel-04-jun16.txt", "fuel-05-jun23.txt"]
UNION = ["union-01-first-take.txt", "union-02-writethru.txt", "union-04-followup.txt"]


def copied(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(PAIRS / name, folder / name)
    return folder


def test_weekly_price_reports_are_stories_of_their_own_linked_as_one_series() -> None:
    articles = [read_article(CorpusFile(PAIRS / name, name)) for name in FUEL]
    grouping = StoryGrouper().group(articles)
    assert len(grouping.stories) == 4
    series = [link for link in grouping.links if link.relation is Relation.SERIES]
    # a spanning forest: every issue reached, each link a pair that was decided
    assert len(series) == 3
    joined = Joined()
    for link in series:
        assert joined.join(link.story, link.other)
        assert "series" in link.rule
    assert len({joined.root(story.id) for story in grouping.stories}) == 1


def test_a_follow_up_is_linked_as_related_to_the_story_it_follows() -> None:
    articles = [read_article(CorpusFile(PAIRS / name, name)) for name in UNION]
    grouping = StoryGrouper().group(articles)
    story_of = {v.name: story.id for story in grouping.stories for v in story.versions}
    assert story_of[UNION[0]] == story_of[UNION[1]] != story_of[UNION[2]]
    assert [(link.relation, {link.story, link.other}) for link in grouping.links] == [
        (Relation.RELATED, {story_of[UNION[0]], story_of[UNION[2]]})
    ]
    assert "different leads" in grouping.links[0].rule


def test_links_between_clusters_drop_those_inside_one_and_repeats() -> None:
    rule = "same lead wording with different figures: issues of one series"
    links = [
        PairLink(3, 4, Relation.SERIES, rule),  # closes a cycle of pairs with smaller ids
        PairLink(1, 2, Relation.SERIES, rule),  # inside cluster 0
        PairLink(2, 3, Relation.SERIES, rule),  # the same two clusters as (1, 3)
        PairLink(1, 3, Relation.SERIES, rule),
        PairLink(1, 4, Relation.SERIES, rule),
        PairLink(3, 4, Relation.RELATED, "a follow-up"),  # issues of one series
        PairLink(4, 5, Relation.RELATED, "a follow-up"),
    ]
    found = cluster_links([[1, 2], [3], [4], [5]], links)
    assert [(link.first, link.second, link.relation) for link in found] == [
        (0, 1, Relation.SERIES),
        (0, 2, Relation.SERIES),
        (2, 3, Relation.RELATED),
    ]


@pytest.mark.parametrize("seed", range(12))
def test_links_between_clusters_worked_out_with_arrays_follow_the_rule_of_pairs(
    seed: int,
) -> None:
    """`cluster_links` (arrays, for millions of pairs) keeps exactly what `_between` keeps
    of the same pairs taken one by one: series forest, no related link inside a series or
    beside a digest link, one link per two clusters and relation with its first pair's rule."""
    generator = random.Random(seed)
    ids = generator.sample(range(1, 400), 120)
    clusters: list[list[int]] = []
    while ids:
        size = generator.choice([1, 1, 1, 2, 3, 5])
        clusters.append(sorted(ids[:size]))
        ids = ids[size:]
    members = [id_ for cluster in clusters for id_ in cluster]
    relations = [Relation.SERIES] * 5 + [Relation.RELATED] * 3 + [Relation.DIGEST_ITEM]
    pairs: dict[tuple[int, int], PairLink] = {}
    for _ in range(generator.choice([20, 150, 600])):
        first, second = sorted(generator.sample(members, 2))
        relation = generator.choice(relations)
        pairs[first, second] = PairLink(first, second, relation, f"rule {generator.randrange(4)}")
    cluster_of = {id_: number for number, cluster in enumerate(clusters) for id_ in cluster}
    expected = [
        ClusterLink(*link)
        for link in _between(
            (cluster_of[pair.first], cluster_of[pair.second], pair)
            for pair in sorted(pairs.values())
        )
    ]
    shuffled = list(pairs.values())
    generator.shuffle(shuffled)  # the order pairs are decided in does not matter
    assert cluster_links(clusters, shuffled) == expected
    # pairs given in order, in blocks, are kept as a series forest as they come: the
    # same links, fewer pairs held
    in_order = PairLinkArrays()
    ordered = sorted(pairs.values())
    for start in range(0, len(ordered), 37):
        in_order.extend(ordered[start : start + 37], in_order=True)
    assert cluster_links(clusters, in_order) == expected
    series = sum(pair.relation is Relation.SERIES for pair in ordered)
    assert len(in_order) <= len(ordered) - series + len(members) - 1


def test_links_are_stored_and_found_again_when_the_index_is_reopened(tmp_path: Path) -> None:
    corpus = copied(tmp_path / "corpus", FUEL + UNION)
    index_file = tmp_path / "index.sqlite3"
    opened = open_corpus([corpus], index_file=index_file)
    stories = {v.name: story.id for story in opened.library.stories for v in story.versions}
    opened.corpus_index.close()

    index = CorpusIndex.open(index_file)
    try:
        kept = all_story_links(index)
        assert {link.relation for link in kept} == {Relation.SERIES, Relation.RELATED}
        first = stories[FUEL[0]]
        assert set(series_of(index, first)) == {stories[name] for name in FUEL[1:]}
        linked = links_of(index, stories[UNION[2]])
        assert [(link.story, link.relation) for link in linked] == [
            (stories[UNION[0]], Relation.RELATED)
        ]
    finally:
        index.close()


def test_a_new_issue_joining_stored_stories_is_linked_to_its_series(tmp_path: Path) -> None:
    others = sorted(path.name for path in PAIRS.glob("*.txt") if path.name != FUEL[-1])
    corpus = copied(tmp_path / "corpus", others)
    index_file = tmp_path / "index.sqlite3"
    open_corpus([corpus], index_file=index_file).corpus_index.close()
    shutil.copy(PAIRS / FUEL[-1], corpus / FUEL[-1])

    opened = open_corpus([corpus], index_file=index_file)
    assert opened.report.indexed == 1 and not opened.report.regrouped  # joined, not regrouped
    stories = {v.name: story.id for story in opened.library.stories for v in story.versions}
    issues = set(series_of(opened.corpus_index, stories[FUEL[-1]]))
    assert {stories[name] for name in FUEL[:-1]} <= issues
    opened.corpus_index.close()


def test_stories_json_lists_each_story_s_links_and_its_series(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = copied(tmp_path / "corpus", FUEL + UNION)
    status = main(["stories", "--json", "--index", str(tmp_path / "i.sqlite3"), str(corpus)])
    assert status == 0
    stories = json.loads(capsys.readouterr().out)["stories"]
    by_file = {version["path"]: story for story in stories for version in story["versions"]}
    series = {by_file[name]["series"] for name in FUEL}
    assert len(series) == 1 and None not in series
    assert by_file[UNION[0]]["series"] is None
    follow_up = by_file[UNION[2]]
    assert follow_up["links"] == [
        {
            "story": by_file[UNION[0]]["id"],
            "relation": "related",
            "rule": "different leads over shared background: a follow-up or related story",
        }
    ]
    assert any(link["relation"] == "series" for link in by_file[FUEL[0]]["links"])


async def test_l_lists_the_linked_stories_by_relation_and_enter_jumps_to_one(
    tmp_path: Path,
) -> None:
    corpus = copied(tmp_path / "corpus", FUEL + UNION)
    app = NewsReaderApp([corpus], index_file=tmp_path / "index.sqlite3", watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()  # the series marks, read after the list
        await pilot.pause()
        assert app.library is not None
        rows = app.story_rows
        fuel = next(s for s in app.library.stories if s.versions[0].name == FUEL[0])
        follow_up = next(s for s in app.library.stories if s.versions[0].name == UNION[2])
        assert rows.rows[rows.index_of_story(fuel)].detail.startswith(SERIES_MARK)
        assert not rows.rows[rows.index_of_story(follow_up)].detail.startswith(SERIES_MARK)

        story_list = app.query_one("#story-list", RowList)
        story_list.cursor = rows.index_of_story(follow_up)
        await pilot.press("l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LinksScreen)
        shown = [(row.row.title, row.row.detail, row.story) for row in screen.rows]
        lead = next(s for s in app.library.stories if s.versions[0].name == UNION[0])
        assert shown[0][0] == "Related: follow-ups and stories sharing background"
        assert shown[1] == (
            lead.title,
            "different leads over shared background: a follow-up or related story",
            lead.id,
        )
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, LinksScreen)
        assert story_list.cursor == app.story_rows.index_of_story(lead)
        assert app.current_article is not None and app.current_article.id == lead.latest.id

        story_list.focus()
        story_list.cursor = app.story_rows.index_of_story(fuel)
        await pilot.press("l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LinksScreen)
        assert screen.rows[0].row.title == "Series: other issues of this report"
        issues = {row.story for row in screen.rows[1:]}
        assert issues == {s.id for s in app.library.stories if s.versions[0].name in FUEL[1:]}
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LinksScreen)


def test_the_links_key_is_declared_for_the_footer_and_help() -> None:
    binding = next(b for b in NewsReaderApp.BINDINGS if getattr(b, "id", None) == "app.links")
    assert binding.key == "l" and binding.description == "Linked stories"
    sections = dict(NewsReaderApp().binding_sections())
    assert sections["Linked stories"] == LinksScreen.BINDINGS
