"""Grouping articles into stories: versions join, related stories and templates stay apart."""

from __future__ import annotations

import random
from pathlib import Path

from reader.grouping.stories import Story, StoryGrouper, signature_of_text, similarity
from reader.ingest.article import parse_article_text
from reader.ingest.corpus import Article, with_body
from reader.store.library import open_corpus


def group_stories(articles: list[Article], threshold: float | None = None) -> list[Story]:
    grouper = StoryGrouper() if threshold is None else StoryGrouper(threshold)
    return grouper.group(articles).stories


LEDE = (
    "BRUSSELS (Reuters) - NATO defence ministers agreed on Thursday to raise spending on air "
    "defence after a meeting that the U.S. defence secretary skipped, officials said. "
)
BODY = [
    "Pentagon policy chief Elbridge Colby told reporters the alliance should rest on partnership.",
    "Secretary General Mark Rutte said investment was up by tens of billions of euros this year.",
    "Diplomats said the command posts in Naples and Norfolk would pass to European officers.",
    "Poland and the Baltic states pressed for a faster timetable for the eastern flank plans.",
    "Germany's defence minister Boris Pistorius said Berlin would meet its target two years early.",
    "The ministers will meet again in June at the summit in The Hague, where leaders decide.",
]


def article(name: str, text: str) -> Article:
    return Article(
        id=name, path=Path(name), name=name, parsed=parse_article_text(text), size=len(text),
        mtime=0.0, encoding="utf-8",
    )  # fmt: skip


def names(stories: list) -> list[list[str]]:
    return [[version.name for version in story.versions] for story in stories]


def test_the_sample_groups_as_000_001_and_002() -> None:
    stories = open_corpus([], in_memory=True).library.stories
    assert [[name[:3] for name in story] for story in names(stories)] == [["000", "001"], ["002"]]


def test_a_first_take_of_a_third_of_the_story_joins_the_write_through() -> None:
    full = LEDE + "\n\n" + "\n\n".join(BODY * 2)
    first_take = LEDE + "\n\n" + "\n\n".join(BODY[:2])
    stories = group_stories([article("1_full.txt", full), article("2_take.txt", first_take)])
    assert names(stories) == [["1_full.txt", "2_take.txt"]]


def test_identical_refiles_are_versions_and_grouping_ignores_file_order() -> None:
    texts = {
        "a.txt": LEDE + "\n\n".join(BODY),
        "b.txt": LEDE + "\n\n".join(BODY),
        "c.txt": "TOKYO (Reuters) - Japan's exports rose for a third month in May as shipments "
        "of cars to the United States recovered, finance ministry data showed on Wednesday.",
    }
    articles = [article(name, text) for name, text in texts.items()]
    expected = names(group_stories(articles))
    assert sorted(expected) == [["a.txt", "b.txt"], ["c.txt"]]
    for seed in range(5):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert names(group_stories(shuffled)) == expected


def test_template_stories_with_different_figures_are_different_stories() -> None:
    def weekly(figure: int, week: str, poll: int) -> str:
        return (
            f"TOKYO (Reuters) - Japan's crude oil demand rose 2.{figure % 10} percent to "
            f"{figure}.5 billion in the week to {week}, from {figure - 7}.1 billion a week "
            f"earlier, government data showed on Thursday. The figure compared with a forecast "
            f"of {poll}.2 billion in a Reuters poll of {poll % 20 + 8} economists. The data is "
            "compiled by the ministry."
        )

    one, two = weekly(412, "May 3", 405), weekly(388, "May 10", 391)
    assert similarity(signature_of_text(one), signature_of_text(two)) == 0.0
    stories = group_stories([article("w1.txt", one), article("w2.txt", two)])
    assert len(stories) == 2


def test_a_page_of_openings_does_not_chain_two_stories() -> None:
    nato = LEDE + " ".join(BODY[:3])
    other_lede = (
        "NAIROBI (Reuters) - Kenya's central bank held its benchmark rate at 10.75% on Tuesday, "
        "saying inflation had eased while the shilling stayed stable against the dollar. "
    )
    other = other_lede + "Governor Kamau Thugge said lenders had cut rates for small firms."
    page = nato + "\n\nTop coverage\n\n" + other + "\n\nSign up for our newsletter"
    stories = group_stories(
        [article("nato.txt", nato), article("kenya.txt", other), article("page.txt", page)]
    )
    assert not any({"nato.txt", "kenya.txt"} <= set(story) for story in names(stories))


def test_versions_are_ordered_by_a_date_in_the_file_before_the_file_name() -> None:
    early = "Allies meet\n\nPublished 2026-02-12 08:00\n\n" + LEDE + " ".join(BODY)
    late = "Allies meet\n\nPublished 2026-02-12 17:30\n\n" + LEDE + " ".join(BODY) + " More."
    stories = group_stories([article("a_late.txt", late), article("b_early.txt", early)])
    assert names(stories) == [["b_early.txt", "a_late.txt"]]
    assert stories[0].title == "Allies meet"
    assert stories[0].predecessor(stories[0].versions[1]).name == "b_early.txt"  # type: ignore[union-attr]


def test_filing_date_reads_iso_and_written_dates() -> None:
    assert article("x", "Head\n\nFiled Feb 12, 2026 14:05 in Brussels.").filed.hour == 14  # type: ignore[union-attr]
    assert article("y", "Head\n\nNo date here.").filed is None


def test_a_stricter_threshold_splits_loosely_related_versions(tmp_path: Path) -> None:
    full = LEDE + "\n\n" + "\n\n".join(BODY)
    trimmed = LEDE.replace("agreed on Thursday", "decided on Friday") + "\n\n" + BODY[0]
    (tmp_path / "1.txt").write_text(full)
    (tmp_path / "2.txt").write_text(trimmed)
    corpus = open_corpus([tmp_path], in_memory=True).library.corpus
    assert len(group_stories([with_body(a) for a in corpus.articles])) == 1
    assert len(group_stories([with_body(a) for a in corpus.articles], threshold=0.99)) == 2
