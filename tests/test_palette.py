"""The command palette's article hits: found in the index, shown as plain text."""

from __future__ import annotations

from pathlib import Path

from reader.store.library import open_corpus
from reader.tui.palette import _title_content


def test_a_headline_holding_markup_is_shown_as_it_is_written() -> None:
    headline = "[@click=app.quit]Click me[/] \x1b]0;title\x07"
    content = _title_content("Open: ", headline, "x[/]y.txt", ["click"])
    assert content.plain.startswith("Open: [@click=app.quit]Click me[/] ")
    assert "\x1b" not in content.plain and "\x07" not in content.plain
    assert content.plain.endswith("(x[/]y.txt)")
    assert all(not span.style or "click" not in str(span.style) for span in content.spans)


def test_titles_are_found_by_word_prefixes_and_file_names(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_budget.txt").write_text("Budget vote delayed in parliament\n\nBody text here.")
    (corpus / "b_tariffs.txt").write_text("Tariffs on steel raised again\n\nBody text here.")
    (corpus / "c_100%_sure.txt").write_text("Nothing in common\n\nBody text here.")
    _, _, index = open_corpus([corpus], in_memory=True)
    assert [m.name for m in index.find_titles("budg parl")] == ["a_budget.txt"]
    assert [m.name for m in index.find_titles("b_tariff")] == ["b_tariffs.txt"]
    assert [m.name for m in index.find_titles("100%")] == ["c_100%_sure.txt"]
    assert index.find_titles("   ") == []
    assert index.find_titles("zzz") == []


async def test_before_anything_is_typed_the_palette_offers_articles(seeds: Path) -> None:
    from textual.command import DiscoveryHit

    from reader.tui.app import NewsReaderApp
    from reader.tui.palette import ArticleCommands

    app = NewsReaderApp([seeds], watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        provider = ArticleCommands(app.screen)
        hits = [hit async for hit in provider.discover()]
        assert all(isinstance(hit, DiscoveryHit) for hit in hits)
        texts = [hit.text or "" for hit in hits]
        assert texts[0].startswith("Recent: Pentagon policy chief")
        assert texts[1].startswith("Story: U.S. Defense Secretary Pete Hegseth")
