"""The rules `decide` applies to a pair of articles, each on a pair made for it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.grouping.cleaning import PageKind, clean_paragraphs, is_furniture, page_kind
from reader.grouping.decide import Relation, decide
from reader.grouping.facts import dates_in
from reader.grouping.signature import Signature, signature
from reader.grouping.stories import StoryGrouper
from reader.ingest.article import Article, parse_article_text

NEWS = [
    "Dockworkers at the Port of Tacoma voted on Wednesday to reject a four-year contract "
    "offer, sending negotiators back to the table before the harvest shipping season.",
    "Members of Local 23 turned the deal down by a wide margin, the union said in a short "
    "statement released after the count ended late on Wednesday night.",
    "The offer would have raised hourly pay by a fifth over four years but kept the rules "
    "that let terminal operators bring in remote-controlled cranes on short notice.",
    "“Nobody here is against modern equipment, we are against losing every job to it,” "
    "said Ray Okonjo, who has worked the Tacoma docks for nineteen years.",
]
BACKGROUND = [
    "The port handled about three million containers last year and employs some four "
    "thousand union members across its seven terminals on Commencement Bay.",
    "Automation has divided West Coast ports since a terminal in Long Beach replaced most "
    "of its crane drivers with remote operators working from an office tower.",
    "The previous contract expired at the end of June and work has continued under its "
    "terms while federal mediators shuttled between the two sides.",
]


def article(name: str, headline: str, paragraphs: list[str]) -> Article:
    text = headline + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return Article(name, Path(name), name, parse_article_text(text), len(text), 0.0, "utf-8")


def sig(headline: str, paragraphs: list[str]) -> Signature:
    return signature(article("x.txt", headline, paragraphs))


def test_a_write_through_sharing_the_lead_is_a_version() -> None:
    first = sig("Tacoma dockworkers reject deal", NEWS[:2])
    full = sig("Tacoma dockworkers reject contract over cranes", NEWS + BACKGROUND)
    decision = decide(first, full)
    assert decision.relation is Relation.VERSION
    assert decision.lead_match >= 0.5


FRESH = [
    "Leaders of three dockworker locals met employers in Seattle on Thursday for the "
    "first time since members in Tacoma threw out a contract offer a day earlier.",
    "Neither side spoke to reporters as they left the hotel where the talks were held.",
    "A union official said the locals would ask for a ban on new remote cranes until "
    "a joint study of their safety record is finished next spring.",
    "The employers' group said it would answer the proposal in writing within a week.",
]


def test_a_follow_up_reusing_background_under_a_new_lead_is_related_not_a_version() -> None:
    lead_story = sig("Tacoma dockworkers reject contract", NEWS + BACKGROUND)
    follow_up = sig("Tacoma locals meet employers again", [*FRESH, *BACKGROUND])
    decision = decide(lead_story, follow_up)
    assert decision.relation is Relation.RELATED
    assert decision.lead_match < 0.2


@pytest.mark.xfail(
    strict=True,
    reason="known weakness: when a follow-up is so short that background fills most of its "
    "first third (its top), that top is found in the lead story and it reads as an update",
)
def test_a_very_short_follow_up_over_background_is_related_not_a_version() -> None:
    lead_story = sig("Tacoma dockworkers reject contract", NEWS + BACKGROUND)
    follow_up = sig("Tacoma locals meet employers again", [*FRESH[:2], *BACKGROUND])
    assert decide(lead_story, follow_up).relation is Relation.RELATED


def issue(month: str, previous: str, growth: str, before: str) -> list[str]:
    return [
        f"SEOUL (Reuters) - South Korea's M2 money supply rose {growth} percent in the year "
        f"to {month}, the central bank said, after a revised {before} percent rise in {previous}.",
        "The figures are not seasonally adjusted and are compiled from reports of commercial "
        "banks, which the central bank publishes on the tenth business day of the month.",
        "Economists polled by Reuters had expected growth broadly in line with last month's.",
    ]


def test_two_issues_of_a_monthly_report_are_a_series_named_by_their_periods() -> None:
    january = sig(
        "South Korea M2 up 5.2 pct in January", issue("January", "December", "5.2", "5.0")
    )
    february = sig(
        "South Korea M2 up 5.4 pct in February", issue("February", "January", "5.4", "5.2")
    )
    decision = decide(january, february)
    assert decision.relation is Relation.SERIES
    assert decision.verdict.vetoed
    assert "dec" in decision.only_a_dates and "feb" in decision.only_b_dates


def test_a_correction_that_changes_lead_figures_stays_a_version() -> None:
    lead = (
        "BRUSSELS (Reuters) - The Commission fined Veltrix {0} billion euros (${1} billion) "
        "on Wednesday over its supply contracts with carmakers."
    )
    rest = NEWS[1:] + BACKGROUND
    original = article("1.txt", "EU fines Veltrix", [lead.format("1.2", "1.3"), *rest])
    corrected = article(
        "2.txt",
        "CORRECTED-EU fines Veltrix",
        [lead.format("1.21", "1.31"), *rest, "(This story has been corrected to show the fine)"],
    )
    assert decide(signature(original), signature(corrected)).relation is Relation.VERSION


def test_furniture_lines_do_not_count_and_sentences_stay() -> None:
    for line in [
        "Smoke rises over the hills, Thursday, Aug. 14, 2025. (AP Photo/Dana Holm)",
        "Updated 8:47 p.m. PDT Aug. 14, 2025",
        "— Oregon Forestry (@ORDeptForestry) August 14, 2025: update pic.twitter.com/abc",
        "Sign up for our morning newsletter",
        "Related",
        "By Nora Lindgren, The Associated Press",
    ]:
        assert is_furniture(line), line
    assert not is_furniture(NEWS[0])
    assert not is_furniture("Wheat 123.4 vs 120.1")  # a table row: figures, not furniture
    assert clean_paragraphs(["Related", NEWS[0]]) == [NEWS[0]]


def test_page_kinds_are_recognised() -> None:
    entries = [f"{hour}:05 p.m. — {NEWS[hour % 4]}" for hour in range(1, 5)]
    assert page_kind("LIVE: Tacoma port vote - latest updates", entries) is PageKind.LIVE_BLOG
    openings = [f"{city} (AP) — {NEWS[0]}" for city in ("SEATTLE", "TACOMA", "OAKLAND")]
    assert page_kind("Morning briefing", openings) is PageKind.DIGEST
    captions = [f"{n} of 4" for n in range(1, 5)] + [
        f"Crews work the fire, Aug. {n}, 2025. (AP Photo/Dana Holm)" for n in range(1, 5)
    ]
    assert page_kind("Photos: the fire", captions) is PageKind.GALLERY
    assert page_kind("Tacoma dockworkers reject contract", NEWS) is PageKind.STORY


def test_a_digest_holding_a_first_take_links_to_it_and_never_merges_it() -> None:
    take = sig("Tacoma dockworkers reject deal", ["TACOMA (AP) — " + NEWS[0], NEWS[1]])
    digest = sig(
        "Morning briefing: what you need to know",
        [
            "TACOMA (AP) — " + NEWS[0],
            NEWS[1],
            "Read more",
            "OAKLAND (AP) — " + BACKGROUND[1],
            "Read more",
            "SEATTLE (AP) — " + BACKGROUND[2],
        ],
    )
    decision = decide(take, digest)
    assert decision.relation is Relation.DIGEST_ITEM
    assert decision.verdict.vetoed


def test_dates_are_read_with_their_capitals_so_the_verb_may_is_not_a_month() -> None:
    assert dates_in("Prices may rise through May 6 and in the fourth quarter of 2025") == {
        "may 6",
        "q4",
        "2025",
    }


def test_an_update_chain_in_any_file_order_is_one_story() -> None:
    steps = [
        NEWS[:2],
        ["A federal mediator called both sides to talks on Friday. " + NEWS[0], *NEWS[:3]],
        ["Talks are set for Friday under a mediator. " + NEWS[2], *NEWS[:3], BACKGROUND[0]],
    ]
    articles = [article(f"{n}.txt", "Tacoma dockworkers", p) for n, p in enumerate(steps)]
    shuffled = list(articles)
    random.Random(4).shuffle(shuffled)
    for order in (articles, shuffled):
        stories = StoryGrouper().group(order).stories
        assert [sorted(v.name for v in s.versions) for s in stories] == [
            ["0.txt", "1.txt", "2.txt"]
        ]
