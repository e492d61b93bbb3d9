"""`newsreader why` and the `w` screen: every grouping decision explained."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from reader.cli.main import main
from reader.grouping.explain import explain, shared_passages
from reader.grouping.signature import signature_of_text
from reader.ingest.corpus import CorpusFile, read_article
from reader.tui.app import NewsReaderApp
from reader.tui.screens.why_screen import WhyScreen

PAIRS = Path(__file__).resolve().parent / "grouping_pairs" / "articles"


def why_json(capsys: pytest.CaptureFixture[str], *names: str) -> tuple[int, dict[str, object]]:
    status = main(["why", "--json", *(str(PAIRS / name) for name in names)])
    return status, json.loads(capsys.readouterr().out)


def test_why_on_a_template_pair_names_the_differing_periods(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, document = why_json(capsys, "money-01-jan.txt", "money-02-feb.txt")
    assert status == 1
    assert document["relation"] == "series"
    dates = document["dates"]
    assert isinstance(dates, dict)
    assert "dec" in dates["lead_only_a"] and "feb" in dates["lead_only_b"]


def test_why_on_a_follow_up_pair_shows_the_two_different_leads(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, document = why_json(capsys, "union-02-writethru.txt", "union-04-followup.txt")
    assert status == 1
    assert document["relation"] == "related"
    assert "lead" in str(document["rule"])
    leads = document["leads"]
    assert isinstance(leads, list)
    assert leads[0].startswith("Dockworkers at the Port of Seattle voted")
    assert leads[0] != leads[1]
    assert document["lead_match"] == 0.0


def test_why_on_versions_exits_0_and_lists_shared_passages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, document = why_json(capsys, "union-01-first-take.txt", "union-02-writethru.txt")
    assert status == 0
    assert document["same_story"] is True
    passages = document["shared_passages"]
    assert isinstance(passages, list)
    assert any("Port of Seattle" in passage for passage in passages)


def test_why_with_a_story_s_files_says_why_each_version_joined(
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = [f"chain-0{n}.txt" for n in range(1, 5)]
    status, document = why_json(capsys, *names)
    assert status == 0
    versions = document["versions"]
    assert isinstance(versions, list)
    assert versions[0]["matched"] is None
    assert all(v["relation"] == "version" for v in versions[1:])


def test_why_on_a_missing_file_says_so_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["why", str(tmp_path / "gone.txt"), str(PAIRS / "chain-01.txt")])
    assert status == 2
    assert "gone.txt" in capsys.readouterr().err


def test_shared_passages_rebuild_the_text_and_mark_only_what_the_other_has() -> None:
    text = "The port voted on Tuesday to reject the deal.\nTurnout was high in the city."
    other = signature_of_text("Workers said the port voted on Tuesday to reject the deal.")
    passages = shared_passages(text, other)
    assert "".join(p.text for p in passages) == text
    shared = "".join(p.text for p in passages if p.shared)
    assert "voted on Tuesday to reject the deal" in shared
    assert "Turnout" not in shared


def test_explain_of_a_live_blog_and_the_brief_it_quotes_keeps_them_apart() -> None:
    blog, brief = (
        read_article(CorpusFile(PAIRS / name, name))
        for name in ("live-03-snapshot-1010pm.txt", "live-06-brief.txt")
    )
    decision = explain(blog, brief).decision
    assert not decision.verdict.same_story
    assert "live-blog" in decision.rule


async def test_w_explains_the_open_version_against_its_predecessor(seeds: Path) -> None:
    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("tab", "w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WhyScreen)
        assert (screen.base.name[:3], screen.target.name[:3]) == ("000", "001")
        console = Console(record=True, width=110, file=io.StringIO())
        console.print(screen.shown)
        shown = console.export_text()
        assert "rule" in shown and "jaccard" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, WhyScreen)
