"""Explain what grouping decides for two articles: the measures, the rule, and the
passages they share, so a user can check every decision (`newsreader why`, `w`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reader.grouping.decide import DEFAULT_THRESHOLD, Decision, decide
from reader.grouping.signature import (
    SHINGLE_WORDS,
    WORD_RE,
    Signature,
    body_text,
    shingle_hashes,
    signature,
)
from reader.ingest.article import Article


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of an article's compared text, and whether the other article has it."""

    text: str
    shared: bool


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why two articles are (or are not) versions of one story."""

    a: Article
    b: Article
    decision: Decision
    #: Each article's compared text (furniture dropped), cut into shared and own passages.
    passages_a: tuple[Passage, ...]
    passages_b: tuple[Passage, ...]
    #: Each article's lead: the first paragraph of its compared text.
    lead_a: str = ""
    lead_b: str = ""

    def to_json(self) -> dict[str, object]:
        """The explanation as plain data (the caller sanitises text on output)."""
        d = self.decision
        return {
            "a": self.a.name,
            "b": self.b.name,
            "relation": d.relation.value,
            "same_story": d.verdict.same_story,
            "rule": d.rule,
            "score": round(d.score, 4),
            "jaccard": round(d.jaccard, 4),
            "containment": round(d.containment, 4),
            "lead_match": round(d.lead_match, 4),
            "top_carried": round(d.top_carried, 4),
            "page_kinds": [d.kinds[0].value, d.kinds[1].value],
            "figures": {
                "shared": sorted(d.shared_figures),
                "lead_only_a": sorted(d.only_a_figures),
                "lead_only_b": sorted(d.only_b_figures),
            },
            "dates": {"lead_only_a": sorted(d.only_a_dates), "lead_only_b": sorted(d.only_b_dates)},
            "lead_names": {"only_a": sorted(d.only_a_names), "only_b": sorted(d.only_b_names)},
            "leads": [self.lead_a, self.lead_b],
            "shared_passages": [p.text for p in self.passages_a if p.shared],
        }


def explain(a: Article, b: Article, threshold: float = DEFAULT_THRESHOLD) -> Explanation:
    """Decide two articles (with their bodies loaded) and mark the passages they share."""
    sig_a, sig_b = signature(a), signature(b)
    text_a, text_b = body_text(a), body_text(b)
    return Explanation(
        a,
        b,
        decide(sig_a, sig_b, threshold),
        shared_passages(text_a, sig_b),
        shared_passages(text_b, sig_a),
        text_a.split("\n", 1)[0],
        text_b.split("\n", 1)[0],
    )


def shared_passages(text: str, other: Signature) -> tuple[Passage, ...]:
    """`text` cut into passages: runs of words inside a shingle the other article has
    (shared), and the rest. The text between words is kept, so the passages rebuild it."""
    matches = list(WORD_RE.finditer(text))
    if not matches:
        return (Passage(text, False),) if text else ()
    hashes = shingle_hashes([match.group() for match in matches])
    found = np.isin(hashes, other.shingles) if len(other.shingles) else np.zeros(0, bool)
    shared = np.zeros(len(matches), dtype=bool)
    width = SHINGLE_WORDS if len(matches) >= SHINGLE_WORDS else len(matches)
    for start in np.flatnonzero(found).tolist():
        shared[start : start + width] = True
    passages: list[Passage] = []
    cut = 0
    for index in range(1, len(matches) + 1):
        if index == len(matches) or shared[index] != shared[index - 1]:
            end = len(text) if index == len(matches) else matches[index].start()
            passages.append(Passage(text[cut:end], bool(shared[index - 1])))
            cut = end
    return tuple(passages)


@dataclass(frozen=True, slots=True)
class Join:
    """Why one version of a story is in it: the earlier version it matches best."""

    version: Article
    #: The earlier version it was matched with (None for the first version).
    matched: Article | None
    decision: Decision | None


def joins(versions: list[Article], threshold: float = DEFAULT_THRESHOLD) -> list[Join]:
    """For each version (bodies loaded, filing order), the earlier version it matches best
    and the decision: versions first, then by score."""
    signatures = [signature(version) for version in versions]
    found: list[Join] = []
    for index, version in enumerate(versions):
        best: tuple[bool, float, int] | None = None
        decisions: dict[int, Decision] = {}
        for earlier in range(index):
            decisions[earlier] = decide(signatures[earlier], signatures[index], threshold)
            key = (decisions[earlier].verdict.same_story, decisions[earlier].score, -earlier)
            if best is None or key > best:
                best = key
        if best is None:
            found.append(Join(version, None, None))
        else:
            earlier = -best[2]
            found.append(Join(version, versions[earlier], decisions[earlier]))
    return found
