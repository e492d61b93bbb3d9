"""Rich renderables and JSON for `why`: what grouping decided for two articles and why,
shared by the app's `w` screen and `newsreader why`."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from reader.grouping.decide import Decision
from reader.grouping.explain import Explanation, Join, Passage
from reader.ingest.corpus import display_name
from reader.text.safe_text import safe_line, safe_text

#: How shared passages are marked.
SHARED_STYLE = "black on yellow"


def _facts(values: Iterable[str]) -> str:
    found = sorted(values)
    return safe_line(", ".join(found)) if found else "none"


def decision_table(
    decision: Decision, name_a: str, name_b: str, leads: tuple[str, str] = ("", "")
) -> Table:
    """The measures and facts of a decision, one per row (every cell a Text)."""
    table = Table(box=None, padding=(0, 1), show_header=False)
    table.add_column(style="bold")
    table.add_column()
    verdict = "versions of one story" if decision.verdict.same_story else decision.relation.value
    rows = [
        ("decision", verdict),
        ("rule", decision.rule),
        ("jaccard", f"{decision.jaccard:.2f}"),
        ("containment", f"{decision.containment:.2f}"),
        ("lead match", f"{decision.lead_match:.2f}"),
        ("top carried", f"{decision.top_carried:.2f}"),
        ("page kinds", f"{decision.kinds[0].value} / {decision.kinds[1].value}"),
        ("shared figures", _facts(decision.shared_figures)),
        (f"lead figures only in {name_a}", _facts(decision.only_a_figures)),
        (f"lead figures only in {name_b}", _facts(decision.only_b_figures)),
        (f"lead dates only in {name_a}", _facts(decision.only_a_dates)),
        (f"lead dates only in {name_b}", _facts(decision.only_b_dates)),
        (f"lead names only in {name_a}", _facts(decision.only_a_names)),
        (f"lead names only in {name_b}", _facts(decision.only_b_names)),
    ]
    rows += [(f"lead of {name}", lead) for name, lead in zip((name_a, name_b), leads, strict=True)]
    for label, value in rows:
        table.add_row(Text(safe_line(label)), Text(safe_line(value)))
    return table


def passages_text(passages: Iterable[Passage]) -> Text:
    """An article's compared text with the passages the other shares highlighted."""
    text = Text()
    for passage in passages:
        text.append(safe_text(passage.text), style=SHARED_STYLE if passage.shared else "")
    return text


def render_explanation(explanation: Explanation, *, passages: bool = True) -> RenderableType:
    """The decision, then each article's text with the shared passages highlighted."""
    name_a, name_b = display_name(explanation.a.name), display_name(explanation.b.name)
    parts: list[RenderableType] = [
        Text(f"A: {name_a}", style="bold"),
        Text(f"B: {name_b}", style="bold"),
        decision_table(explanation.decision, "A", "B", (explanation.lead_a, explanation.lead_b)),
    ]
    if passages:
        for label, own in (("A", explanation.passages_a), ("B", explanation.passages_b)):
            parts.append(Text(f"\n{label}, shared passages highlighted:", style="bold"))
            parts.append(passages_text(own))
    return Group(*parts)


def render_joins(found: list[Join]) -> Table:
    """One row per version: the earlier version it matched best, and the rule."""
    table = Table(box=None, padding=(0, 1), header_style="bold")
    table.add_column("version", overflow="fold")
    table.add_column("matched", overflow="fold")
    table.add_column("score", justify="right")
    table.add_column("rule", ratio=1)
    for join in found:
        if join.matched is None or join.decision is None:
            table.add_row(Text(display_name(join.version.name)), Text("—"), Text(""), Text("first"))
            continue
        table.add_row(
            Text(display_name(join.version.name)),
            Text(display_name(join.matched.name)),
            Text(f"{join.decision.score:.2f}"),
            Text(safe_line(f"{join.decision.relation.value}: {join.decision.rule}")),
        )
    return table


def joins_to_json(found: list[Join]) -> list[dict[str, object]]:
    """Why each version joined, as plain data."""
    return [
        {
            "version": join.version.name,
            "matched": join.matched.name if join.matched else None,
            "relation": join.decision.relation.value if join.decision else None,
            "rule": join.decision.rule if join.decision else "first version",
            "score": round(join.decision.score, 4) if join.decision else None,
        }
        for join in found
    ]
