"""Decide what two articles are to each other, and say why.

An editor asks, in order: are these pages of a kind that holds other stories (a digest,
a live blog, a gallery)? Do they share enough text at all? Is what differs the period and
figures of a recurring report (a series, not versions)? Do they share their lead (one
story growing), or does one reuse the other's background under a new lead (a related
story, linked, not merged)? The rules are written once (`_rule`); `decide` keeps every
measure of the pair in a `Decision` (what `newsreader why` shows), `judge` only the
verdict, measuring no more than the rules ask (what grouping keeps of millions of pairs).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

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


class Verdict(NamedTuple):
    """What grouping keeps of a decision (`judge`): the relation, the rule that decided it,
    the shared text and the pages' kinds."""

    relation: Relation
    rule: str
    score: float
    kinds: tuple[PageKind, PageKind]

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
    def verdict(self) -> Verdict:
        """What grouping keeps of this decision (whether versions, whether vetoed)."""
        return Verdict(self.relation, self.rule, self.score, self.kinds)


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
    return overlap_of_counts(len(a), len(b), shared)


def overlap_of_counts(size_a: int, size_b: int, shared: int) -> tuple[float, float]:
    """Jaccard and containment (of the smaller) of two sets of these sizes sharing
    `shared` (grouping's screens compute the same over arrays: `engine._PairMeasures`)."""
    union = size_a + size_b - shared
    jaccard = shared / union if union else 0.0
    smaller = min(size_a, size_b)
    containment = shared / smaller if smaller >= MIN_SHINGLES_FOR_CONTAINMENT else 0.0
    return jaccard, containment


def lead_match(a: Signature, b: Signature) -> float:
    """How much of the shorter lead (figures masked) the other lead has."""
    ledes = min(len(a.lede), len(b.lede))
    return shared_count(a.lede, b.lede) / ledes if ledes else 0.0


def overlap(a: Signature, b: Signature) -> tuple[float, float, float]:
    """Jaccard, containment (of the smaller) and lead match of two signatures."""
    return (*body_overlap(a, b), lead_match(a, b))


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
    return a.kind is b.kind is PageKind.STORY and dates_apart(a.dates, b.dates)


def dates_apart(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether each of two leads names dates or periods the other lacks."""
    return not a <= b and not b <= a


#: The rule of two stories whose leads both name dates or periods the other lacks.
DATES_RULE = "the leads name different dates or periods: issues of one series"


def decide(a: Signature, b: Signature, threshold: float = DEFAULT_THRESHOLD) -> Decision:
    """The relation of two articles, the rule that decided it and every measure of the
    pair (symmetric in a and b): what `newsreader why` shows."""
    measures = _Measures(a, b, None)
    relation, rule = _rule(measures, threshold)
    only_a, only_b = measures.lead_figures()
    dates_a, dates_b = measures.dates()
    names_a, names_b = measures.names()
    return Decision(
        relation, rule, measures.score, measures.jaccard, measures.containment,
        measures.lead(), measures.top(), a.figures & b.figures, only_a, only_b,
        dates_a, dates_b, (a.kind, b.kind), names_a, names_b,
    )  # fmt: skip


def judge(
    a: Signature, b: Signature, threshold: float = DEFAULT_THRESHOLD, shared: int | None = None
) -> Verdict:
    """The relation of two articles and the rule that decided it, by the rules of `decide`
    but measuring only what they weigh (grouping judges millions of pairs). `shared`: how
    many shingles the two share, when the caller has counted them."""
    measures = _Measures(a, b, shared)
    relation, rule = _rule(measures, threshold)
    return Verdict(relation, rule, measures.score, (a.kind, b.kind))


class _Measures:
    """The measures of a pair that the rules weigh, each taken when a rule first asks for
    it (most pairs are settled by their shared text and a few sets)."""

    __slots__ = ("_dates", "_lead", "_top", "a", "b", "containment", "jaccard", "score")

    def __init__(self, a: Signature, b: Signature, shared: int | None) -> None:
        self.a = a
        self.b = b
        self.jaccard, self.containment = body_overlap(a, b, shared)
        self.score = max(self.jaccard, self.containment)
        self._lead = -1.0
        self._top = -1.0
        self._dates: tuple[frozenset[str], frozenset[str]] | None = None

    def lead(self) -> float:
        if self._lead < 0:
            self._lead = lead_match(self.a, self.b)
        return self._lead

    def top(self) -> float:
        if self._top < 0:
            self._top = top_carried(self.a, self.b)
        return self._top

    def dates(self) -> tuple[frozenset[str], frozenset[str]]:
        if self._dates is None:
            self._dates = differing(self.a.dates, self.b.dates)
        return self._dates

    def lead_figures(self) -> tuple[frozenset[str], frozenset[str]]:
        return differing(self.a.lead_figures, self.b.lead_figures)

    def names(self) -> tuple[frozenset[str], frozenset[str]]:
        return differing(self.a.lead_names, self.b.lead_names)


def _too_little(score: float) -> str:
    return f"shared text {score:.2f} is too little to relate them"


def _rule(measures: _Measures, threshold: float) -> tuple[Relation, str]:
    """The rules of `decide`, in the order an editor asks."""
    a, b, score = measures.a, measures.b, measures.score
    kinds = (a.kind, b.kind)
    stories = a.kind is b.kind is PageKind.STORY
    if score < RELATED_FLOOR and stories and measures.lead() < LEAD_MATCH:
        # most candidate pairs: nothing in common worth weighing
        return Relation.UNRELATED, _too_little(score)
    related = Relation.RELATED if score >= RELATED_FLOOR else Relation.UNRELATED
    if not len(a) or not len(b):
        return Relation.UNRELATED, "an article with no text to compare"
    if a.kind != b.kind:
        if PageKind.DIGEST in kinds and score >= threshold:
            return (
                Relation.DIGEST_ITEM,
                "a digest holds the story's opening: linked, never merged",
            )
        page = a.kind if a.kind is not PageKind.STORY else b.kind
        return related, f"a {page.value} page is not a version of a {_other(kinds, page)}"
    if a.kind is PageKind.LIVE_BLOG:
        if a.title and a.title == b.title:
            return Relation.VERSION, "snapshots of one live blog under one title"
        if measures.containment >= LIVE_BLOG_OVERLAP or measures.jaccard >= threshold:
            return Relation.VERSION, "snapshots of one live blog share entries"
        return related, "live blogs that share no entries"
    if score < RELATED_FLOOR:
        return Relation.UNRELATED, _too_little(score)
    shares_text = score >= threshold
    dates_a, dates_b = measures.dates()
    if dates_a and dates_b and (shares_text or measures.lead() >= LEAD_MATCH):
        return Relation.SERIES, DATES_RULE
    lead = measures.lead()
    if lead >= SERIES_LEAD_MATCH:  # one lead's wording: what differs in it is news
        # a correction changes figures of the lead by design: it is still a version
        corrected = a.correction or b.correction
        only_a, only_b = measures.lead_figures()
        if not corrected and _figures_changed(a.lead_figures, only_a, b.lead_figures, only_b):
            return (
                Relation.SERIES,
                "same lead wording with different figures: issues of one series",
            )
        if only_a and only_b and all(measures.names()):
            return (
                Relation.SERIES,
                "same lead wording about another name with other figures: "
                "one template, two stories",
            )
        if not corrected and not figures_agree(a, b):
            return (
                Relation.SERIES,
                "one lead's wording but most figures differ: issues of one template",
            )
    if lead >= LEAD_MATCH and shares_text:
        return Relation.VERSION, "they share their lead and enough text"
    # the slack shrinks as the threshold nears 1, where only near copies are versions
    if lead >= LEAD_MATCH and score >= version_floor(threshold) and measures.top() >= TOP_WITH_LEAD:
        return (
            Relation.VERSION,
            "they share their lead and the top of one is carried in the other",
        )
    if not shares_text:
        return related, f"shared text {score:.2f} is below the threshold {threshold:.2f}"
    top = measures.top()
    carried_with_body = top >= TOP_CARRIED_WITH_BODY and measures.containment >= BODY_CARRIED
    if top >= TOP_CARRIED or carried_with_body:
        return Relation.VERSION, "a new lead over the top of the other carried down: an update"
    return (
        Relation.RELATED,
        "different leads over shared background: a follow-up or related story",
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
