"""Decide what two articles are to each other, and say why.

An editor asks, in order: are these pages of a kind that holds other stories (a digest,
a live blog, a gallery)? Do they share enough text at all? Is what differs the period and
figures of a recurring report (a series, not versions)? Do they share their lead (one
story growing), or does one reuse the other's background under a new lead (a related
story, linked, not merged)? Every answer is kept in a `Decision`, which is what batch
grouping, incremental joining and `newsreader why` all read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reader.grouping.cleaning import PageKind
from reader.grouping.facts import differing
from reader.grouping.signature import (
    MIN_SHINGLES_FOR_CONTAINMENT,
    Signature,
    figures_agree,
    shared_count,
)

#: Default similarity (the larger of Jaccard and containment) for two articles to be
#: versions of one story; tuned on benchmarks/bench_stories.py.
DEFAULT_THRESHOLD = 0.45
#: Leads whose masked shingles overlap this much (of the shorter lead) are one lead.
LEAD_MATCH = 0.5
#: With different leads, an update or rewrite carries the top of one version (the news
#: under its lead) into the other; a follow-up or a story sharing background carries
#: the bottom. Versions: at least this much of one article's top is in the other.
TOP_CARRIED = 0.4
#: Sharing their lead, versions below the threshold (a write-through that added much)
#: still carry this much of one's top into the other.
TOP_WITH_LEAD = 0.6
#: ... and share this much less text than the (default) threshold asks at most.
LEAD_SLACK = 0.15
#: ... or this much of the top when most of the shorter text is carried over.
TOP_CARRIED_WITH_BODY = 0.25
BODY_CARRIED = 0.5
#: Leads this alike are one lead's wording: what differs in them (figures, names) is news.
SERIES_LEAD_MATCH = 0.75
#: A series: both leads' figures differ by this many on each side (a correction changes one).
SERIES_LEAD_FIGURES = 2
#: Snapshots of one live blog share at least this much of the smaller one's entries.
LIVE_BLOG_OVERLAP = 0.2
#: Below this the pair is unrelated; between it and the threshold, related.
RELATED_FLOOR = 0.15


class Relation(StrEnum):
    """What one article is to another."""

    VERSION = "version"  # versions of one story: grouped
    SERIES = "series"  # issues of one recurring report: linked, never grouped
    RELATED = "related"  # a follow-up or a story sharing background: linked
    DIGEST_ITEM = "digest-item"  # a digest holding the story's opening: linked
    UNRELATED = "unrelated"


#: Relations that forbid two articles from ever being in one story.
VETOES = frozenset({Relation.SERIES, Relation.DIGEST_ITEM})


@dataclass(frozen=True, slots=True)
class Decision:
    """The measures of a pair of articles and the rule that decided their relation."""

    relation: Relation
    rule: str
    score: float
    jaccard: float
    containment: float
    lead_match: float
    #: How much of one article's top the other holds (the larger of the two ways).
    top_carried: float
    shared_figures: frozenset[str]
    only_a_figures: frozenset[str]
    only_b_figures: frozenset[str]
    only_a_dates: frozenset[str]
    only_b_dates: frozenset[str]
    kinds: tuple[PageKind, PageKind]
    only_a_names: frozenset[str] = frozenset()
    only_b_names: frozenset[str] = frozenset()

    @property
    def same_story(self) -> bool:
        """Whether the two are versions of one story."""
        return self.relation is Relation.VERSION

    @property
    def vetoed(self) -> bool:
        """Whether the two must never be in one story, whatever links them."""
        return self.relation in VETOES or (
            self.kinds[0] != self.kinds[1] and PageKind.STORY in self.kinds
        )


def top_carried(a: Signature, b: Signature) -> float:
    """How much of one article's top the other holds, the larger of the two ways."""
    return max(
        shared_count(a.top, b.shingles) / len(a.top) if len(a.top) else 0.0,
        shared_count(b.top, a.shingles) / len(b.top) if len(b.top) else 0.0,
    )


def body_overlap(a: Signature, b: Signature, shared: int | None = None) -> tuple[float, float]:
    """Jaccard and containment (of the smaller) of two signatures' shingles (`shared`:
    how many they share, when already counted)."""
    if shared is None:
        shared = shared_count(a.shingles, b.shingles)
    union = len(a) + len(b) - shared
    jaccard = shared / union if union else 0.0
    smaller = min(len(a), len(b))
    containment = shared / smaller if smaller >= MIN_SHINGLES_FOR_CONTAINMENT else 0.0
    return jaccard, containment


def lead_match(a: Signature, b: Signature) -> float:
    """How much of the shorter lead (figures masked) the other lead has."""
    ledes = min(len(a.lede), len(b.lede))
    return shared_count(a.lede, b.lede) / ledes if ledes else 0.0


def overlap(a: Signature, b: Signature) -> tuple[float, float, float]:
    """Jaccard, containment (of the smaller) and lead match of two signatures."""
    return (*body_overlap(a, b), lead_match(a, b))


_EMPTY: frozenset[str] = frozenset()


def version_floor(threshold: float) -> float:
    """Below this shared text (the larger of Jaccard and containment) two stories are never
    versions, whatever their leads (the lowest any rule of `decide` accepts)."""
    return threshold - LEAD_SLACK * (1 - threshold) / (1 - DEFAULT_THRESHOLD)


def cannot_be_versions(a: Signature, b: Signature) -> bool:
    """A test far cheaper than `decide` (no shingles compared) that `decide` would not call
    the pair versions: two stories whose leads both name dates or periods the other lacks
    are issues of one series when they share text and unrelated when they do not (rule 3
    below), never versions. Grouping screens its candidate pairs with it; which of the two
    they are is decided only if clustering asks (a veto)."""
    return a.kind is b.kind is PageKind.STORY and not a.dates <= b.dates and not b.dates <= a.dates


#: The rule of two stories whose leads both name dates or periods the other lacks.
DATES_RULE = "the leads name different dates or periods: issues of one series"


def decide(
    a: Signature,
    b: Signature,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    full: bool = True,
    shared: int | None = None,
) -> Decision:
    """The relation of two articles and the rule that decided it (symmetric in a and b).

    `full` False (grouping) leaves `top_carried` at -1 when a rule decides without it.
    `shared`: how many shingles the two share, when the caller has counted them.
    """
    jaccard, containment = body_overlap(a, b, shared)
    score = max(jaccard, containment)
    if not full and score >= threshold and a.kind is b.kind is PageKind.STORY:
        # grouping's commonest pair: issues of one report; decided before the lead is
        # measured (it is -1 then), as rule 3 below would decide it
        dates_a, dates_b = differing(a.dates, b.dates)
        if dates_a and dates_b:
            return Decision(
                Relation.SERIES, DATES_RULE, score, jaccard, containment, -1.0, -1.0,
                _EMPTY, _EMPTY, _EMPTY, dates_a, dates_b, (a.kind, b.kind),
            )  # fmt: skip
    lead = lead_match(a, b)
    if score < RELATED_FLOOR and lead < LEAD_MATCH and a.kind is b.kind is PageKind.STORY:
        # most candidate pairs: nothing in common worth weighing (kept cheap, as
        # grouping decides hundreds of thousands of them)
        return Decision(
            Relation.UNRELATED, f"shared text {score:.2f} is too little to relate them",
            score, jaccard, containment, lead, 0.0, a.figures & b.figures,
            *differing(a.lead_figures, b.lead_figures), *differing(a.dates, b.dates),
            (a.kind, b.kind), *differing(a.lead_names, b.lead_names),
        )  # fmt: skip
    only_a, only_b = differing(a.lead_figures, b.lead_figures)
    dates_a, dates_b = differing(a.dates, b.dates)
    names_a, names_b = differing(a.lead_names, b.lead_names)
    kinds = (a.kind, b.kind)
    # how much of the tops carried over is weighed last: most pairs are decided before
    top = top_carried(a, b) if full else -1.0

    def decision(relation: Relation, rule: str) -> Decision:
        return Decision(
            relation, rule, score, jaccard, containment, lead, top,
            a.figures & b.figures, only_a, only_b, dates_a, dates_b, kinds, names_a, names_b,
        )  # fmt: skip

    related = Relation.RELATED if score >= RELATED_FLOOR else Relation.UNRELATED
    if not len(a) or not len(b):
        return decision(Relation.UNRELATED, "an article with no text to compare")
    if a.kind != b.kind:
        if PageKind.DIGEST in kinds and score >= threshold:
            return decision(
                Relation.DIGEST_ITEM, "a digest holds the story's opening: linked, never merged"
            )
        page = a.kind if a.kind is not PageKind.STORY else b.kind
        return decision(related, f"a {page.value} page is not a version of a {_other(kinds, page)}")
    if a.kind is PageKind.LIVE_BLOG:
        if a.title and a.title == b.title:
            return decision(Relation.VERSION, "snapshots of one live blog under one title")
        if containment >= LIVE_BLOG_OVERLAP or jaccard >= threshold:
            return decision(Relation.VERSION, "snapshots of one live blog share entries")
        return decision(related, "live blogs that share no entries")
    if score < RELATED_FLOOR:
        return decision(Relation.UNRELATED, f"shared text {score:.2f} is too little to relate them")
    shares_text = score >= threshold
    same_wording = lead >= SERIES_LEAD_MATCH
    if (shares_text or lead >= LEAD_MATCH) and dates_a and dates_b:
        return decision(Relation.SERIES, DATES_RULE)
    # a correction changes figures of the lead by design: it is still a version
    corrected = a.correction or b.correction
    if (
        same_wording
        and not corrected
        and _figures_changed(a.lead_figures, only_a, b.lead_figures, only_b)
    ):
        return decision(
            Relation.SERIES, "same lead wording with different figures: issues of one series"
        )
    if same_wording and only_a and only_b and names_a and names_b:
        return decision(
            Relation.SERIES,
            "same lead wording about another name with other figures: one template, two stories",
        )
    if same_wording and not corrected and not figures_agree(a, b):
        return decision(
            Relation.SERIES, "one lead's wording but most figures differ: issues of one template"
        )
    if lead >= LEAD_MATCH and shares_text:
        return decision(Relation.VERSION, "they share their lead and enough text")
    if top < 0 and (lead >= LEAD_MATCH or shares_text):
        top = top_carried(a, b)
    # the slack shrinks as the threshold nears 1, where only near copies are versions
    if lead >= LEAD_MATCH and top >= TOP_WITH_LEAD and score >= version_floor(threshold):
        return decision(
            Relation.VERSION, "they share their lead and the top of one is carried in the other"
        )
    if not shares_text:
        return decision(related, f"shared text {score:.2f} is below the threshold {threshold:.2f}")
    if top >= TOP_CARRIED or (top >= TOP_CARRIED_WITH_BODY and containment >= BODY_CARRIED):
        return decision(
            Relation.VERSION, "a new lead over the top of the other carried down: an update"
        )
    return decision(
        Relation.RELATED, "different leads over shared background: a follow-up or related story"
    )


def _figures_changed(
    a: frozenset[str], only_a: frozenset[str], b: frozenset[str], only_b: frozenset[str]
) -> bool:
    """Whether most lead figures changed on both sides (a correction changes one or two
    of many; the next issue of a report changes most)."""
    return (
        len(only_a) >= SERIES_LEAD_FIGURES
        and len(only_b) >= SERIES_LEAD_FIGURES
        and 2 * len(only_a) >= len(a)
        and 2 * len(only_b) >= len(b)
    )


def _other(kinds: tuple[PageKind, PageKind], page: PageKind) -> str:
    other = kinds[1] if kinds[0] is page else kinds[0]
    return other.value
