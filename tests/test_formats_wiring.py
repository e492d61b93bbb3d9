"""The format readers wired into the one ingest path: a folder of agency files, web archives
and dumps opens as articles, metadata orders the versions, and bad files are explained."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.grouping.stories import Story, StoryCorpus
from reader.ingest.corpus import with_body
from reader.store.library import open_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
#: Files of the mixed folder: each format's update chain, containers, and a broken file each.
MIXED = [
    "nitf/ap-wildfire-v1.xml",
    "nitf/ap-wildfire-v2.xml",
    "nitf/ap-wildfire-v3.xml",
    "nitf/truncated-wildfire.xml",
    "newsml-g2/reuters-fed-v1.xml",
    "newsml-g2/reuters-fed-v2.xml",
    "newsml-g2/reuters-fed-v3.xml",
    "newsml-g2/afp-message-mixed.xml",
    "newsml1/afp-quake-r1.xml",
    "newsml1/afp-quake-r2.xml",
    "newsml1/afp-quake-r3.xml",
    "ninjs/ap-senate-aid-v0.json",
    "ninjs/ap-senate-aid-v1.json",
    "ninjs/ap-senate-aid-v2.json",
    "ninjs/feed-mixed.json",
    "ninjs/not-ninjs.json",
    "ninjs/truncated-item.json",
    "anpa/ap-winter-weather-1.tst",
    "anpa/ap-winter-weather-2.tst",
    "anpa/ap-winter-weather-3.tst",
    "html/guardian-style-ferry.html",
    "html/live-blog-no-text.html",
    "warc/two-pages-uncompressed.warc",
    "warc/news-crawl-sample.warc.gz",
    "csv/newsroom-dump.csv",
    "jsonl/crawl-dump.jsonl",
]


def build_mixed_folder(root: Path) -> Path:
    """The fixtures above, flattened into one folder, with agency-style names (no
    extension or `.txt`) so that the content, not the name, must tell the format."""
    root.mkdir(parents=True, exist_ok=True)
    for relative in MIXED:
        source = FIXTURES / relative
        name = source.name
        if relative.startswith("nitf/ap-wildfire"):
            name = source.stem  # AP files often come with no extension
        elif relative.startswith("newsml-g2/reuters"):
            name = source.stem + ".txt"  # XML renamed .txt
        shutil.copyfile(source, root / name)
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    return root


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    return build_mixed_folder(tmp_path / "wire")


def open_mixed(folder: Path, tmp_path: Path) -> StoryCorpus:
    return open_corpus([folder], index_file=tmp_path / "index.sqlite3").library


def story_with(library: StoryCorpus, name: str) -> Story:
    found = [s for s in library.stories if any(v.name == name for v in s.versions)]
    assert len(found) == 1, name
    return found[0]


def names(story: Story) -> list[str]:
    return [version.name for version in story.versions]


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> CliResult:
    """The command line run in this process (as `newsreader ARGS`), its output captured."""
    capsys.readouterr()  # what came before is not this command's
    try:
        code = main(list(args))
    except SystemExit as stop:  # argparse refusing an option
        code = stop.code if isinstance(stop.code, int) else 2
    captured = capsys.readouterr()
    return CliResult(code, captured.out, captured.err)


# --- discovery and reading ---------------------------------------------------------------


def test_every_text_item_of_a_mixed_folder_is_listed_with_its_real_headline(
    mixed: Path, tmp_path: Path
) -> None:
    library = open_mixed(mixed, tmp_path)
    headlines = {article.name: article.headline for article in library.corpus.articles}
    assert headlines["ap-wildfire-v1"] == (
        "Wind-driven wildfire forces evacuations west of Boulder"
    )
    assert headlines["reuters-fed-v3.txt"] == "Fed holds rates steady, slows balance sheet runoff"
    assert headlines["afp-quake-r3.xml"].startswith("Japan quake injures three")
    assert (
        headlines["ap-winter-weather-1.tst"] == "Ice storm knocks out power to 200,000 in Georgia"
    )
    assert not any("<" in headline for headline in headlines.values())


def test_a_container_is_listed_as_many_articles_named_by_record(
    mixed: Path, tmp_path: Path
) -> None:
    library = open_mixed(mixed, tmp_path)
    by_file: dict[str, list[int | None]] = {}
    for article in library.corpus.articles:
        by_file.setdefault(article.path.name, []).append(article.record)
    assert sorted(by_file["two-pages-uncompressed.warc"]) == [2, 4]
    assert sorted(by_file["newsroom-dump.csv"]) == [0, 1]
    assert sorted(by_file["crawl-dump.jsonl"]) == [0, 1, 5]
    names_shown = {a.name for a in library.corpus.articles}
    assert {"newsroom-dump.csv#0", "newsroom-dump.csv#1", "two-pages-uncompressed.warc#4"} <= (
        names_shown
    )
    ids = [article.id for article in library.corpus.articles]
    assert len(ids) == len(set(ids))


def test_pictures_and_malformed_files_are_skipped_with_their_reasons(
    mixed: Path, tmp_path: Path
) -> None:
    library = open_mixed(mixed, tmp_path)
    reasons = {skip.name: skip.reason for skip in library.corpus.skipped}
    assert reasons["photo.jpg"] == "binary file (a JPEG image)"
    assert "not ninjs" in reasons["not-ninjs.json"]
    assert "not valid JSON" in reasons["truncated-item.json"]
    assert "no main text" in reasons["live-blog-no-text.html"]
    assert reasons["feed-mixed.json#1"].startswith("a picture item")
    assert "broken XML" in reasons["truncated-wildfire.xml"]
    assert reasons["newsroom-dump.csv#2"] == "row 3: no text in column 'text'"


def test_an_article_inside_a_container_reads_its_body_again(mixed: Path, tmp_path: Path) -> None:
    library = open_mixed(mixed, tmp_path)
    stored = next(a for a in library.corpus.articles if a.name == "crawl-dump.jsonl#5")
    assert not stored.body_loaded
    full = with_body(stored)
    assert full.id == stored.id and full.record == 5
    assert "Kiplimo" in full.paragraphs[0].text


def test_every_record_of_every_container_reads_back_as_it_was_listed(
    mixed: Path, tmp_path: Path
) -> None:
    library = open_mixed(mixed, tmp_path)
    records = [a for a in library.corpus.articles if a.record is not None]
    assert {a.path.name for a in records} >= {"news-crawl-sample.warc.gz", "newsroom-dump.csv"}
    for stored in records:
        full = with_body(stored)
        assert (full.id, full.record, full.headline) == (stored.id, stored.record, stored.headline)
        assert full.paragraphs


# --- metadata orders the versions --------------------------------------------------------


def test_update_chains_are_grouped_and_ordered_by_their_metadata(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(
        capsys, "stories", str(mixed), "--index", str(tmp_path / "i.sqlite3"), "--json"
    )
    assert result.returncode == 0, result.stderr
    stories = json.loads(result.stdout)["stories"]
    chains = {
        story["versions"][0]["path"]: [v["path"] for v in story["versions"]] for story in stories
    }
    # the truncated copy of version 2 sits beside version 2
    assert chains["ap-wildfire-v1"] == [
        "ap-wildfire-v1",
        "ap-wildfire-v2",
        "truncated-wildfire.xml",
        "ap-wildfire-v3",
    ]
    # the dump's copy of the Reuters story joins it by its words; the versions keep their order
    fed = next(chain for chain in chains.values() if "reuters-fed-v1.txt" in chain)
    assert [name for name in fed if name.startswith("reuters-fed")] == [
        "reuters-fed-v1.txt",
        "reuters-fed-v2.txt",
        "reuters-fed-v3.txt",
    ]
    assert set(fed) - {"reuters-fed-v1.txt", "reuters-fed-v2.txt", "reuters-fed-v3.txt"} <= {
        "newsroom-dump.csv#0"
    }
    assert chains["afp-quake-r1.xml"] == [
        "afp-quake-r1.xml",
        "afp-quake-r2.xml",
        "afp-quake-r3.xml",
    ]
    assert chains["ap-senate-aid-v0.json"] == [
        "ap-senate-aid-v0.json",
        "ap-senate-aid-v1.json",
        "ap-senate-aid-v2.json",
    ]
    story = next(
        s for s in stories if any(v["path"] == "reuters-fed-v1.txt" for v in s["versions"])
    )
    reuters = [v for v in story["versions"] if v["path"].startswith("reuters-fed")]
    assert [v["metadata"]["version"] for v in reuters] == [1, 2, 3]
    assert reuters[2]["metadata"]["version_markers"] == ["UPDATE 2", "sig:update"]


def test_version_numbers_order_a_story_whatever_the_file_names_say(tmp_path: Path) -> None:
    folder = tmp_path / "renamed"
    folder.mkdir()
    # file names in the reverse of the version order, and one modification time for all
    for version, name in ((1, "c.xml"), (2, "b.xml"), (3, "a.xml")):
        shutil.copyfile(FIXTURES / f"newsml1/afp-quake-r{version}.xml", folder / name)
        os.utime(folder / name, (1_770_888_600, 1_770_888_600))
    library = open_corpus([folder], in_memory=True).library
    assert [names(story) for story in library.stories] == [["c.xml", "b.xml", "a.xml"]]


def test_two_copies_of_one_ninjs_item_are_one_story(tmp_path: Path) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    shutil.copyfile(FIXTURES / "ninjs/ap-senate-aid-v1.json", folder / "from-api.json")
    shutil.copyfile(FIXTURES / "ninjs/ap-senate-aid-v1.json", folder / "from-ftp")
    library = open_corpus([folder], in_memory=True).library
    assert [sorted(names(story)) for story in library.stories] == [["from-api.json", "from-ftp"]]


def test_a_repeated_item_inside_one_feed_is_one_story(mixed: Path, tmp_path: Path) -> None:
    library = open_mixed(mixed, tmp_path)
    story = story_with(library, "feed-mixed.json#0")
    assert {"feed-mixed.json#0", "feed-mixed.json#3"} <= set(names(story))


def test_one_id_on_unrelated_texts_is_kept_together_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "conflict"
    folder.mkdir()
    document = json.loads((FIXTURES / "ninjs/ap-senate-aid-v1.json").read_text())
    (folder / "senate.json").write_text(json.dumps(document))
    item = document["data"]["item"]  # the AP Media API's wrapping
    item["version"] = 7
    item["headline"] = "Hail damages vineyards in Burgundy"
    item.pop("body_html", None)
    item["body_text"] = (
        "Hailstones the size of walnuts stripped vines across the Cote de Beaune on Tuesday, "
        "growers said, days before the harvest was due to begin in the region's best plots.\n\n"
        "The chamber of agriculture put the loss at a third of the crop in some villages."
    )
    (folder / "vineyards.json").write_text(json.dumps(document))
    library = open_corpus([folder], in_memory=True).library
    assert [sorted(names(story)) for story in library.stories] == [
        ["senate.json", "vineyards.json"]
    ]
    (story,) = library.stories
    assert len(story.notes) == 1
    note = story.notes[0]
    assert "unrelated text: senate.json, vineyards.json share almost no wording" in note
    result = run_cli(
        capsys, "stories", str(folder), "--index", str(tmp_path / "i.sqlite3"), "--json"
    )
    assert json.loads(result.stdout)["stories"][0]["notes"] == story.notes


def test_a_new_version_joins_its_story_by_metadata_when_the_index_is_updated(
    mixed: Path, tmp_path: Path
) -> None:
    index_file = tmp_path / "index.sqlite3"
    open_corpus([mixed], index_file=index_file)
    shutil.copyfile(FIXTURES / "newsml1/afp-quake-r3.xml", mixed / "AFP-late-revision")
    (mixed / "afp-quake-r3.xml").unlink()
    library, report, _ = open_corpus([mixed], index_file=index_file)
    assert not report.regrouped  # joined incrementally
    story = story_with(library, "afp-quake-r1.xml")
    assert names(story) == ["afp-quake-r1.xml", "afp-quake-r2.xml", "AFP-late-revision"]


# --- search, the reader, the command line -----------------------------------------------


def test_search_finds_a_phrase_of_a_nitf_body(mixed: Path, tmp_path: Path) -> None:
    opened = open_corpus([mixed], index_file=tmp_path / "index.sqlite3")
    hits = opened.corpus_index.search('"declared a disaster emergency"')
    assert [hit.name for hit in hits] == ["ap-wildfire-v3"]
    assert hits[0].record is None


def test_search_json_names_the_record_of_a_hit_inside_a_dump(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(
        capsys, "search", "Barcelona marathon", str(mixed), "--index", str(tmp_path / "i"), "--json"
    )
    hits = json.loads(result.stdout)["hits"]
    assert {"path": "crawl-dump.jsonl#5", "record": 5} in [
        {"path": hit["path"], "record": hit["record"]} for hit in hits
    ]


def test_index_json_lists_the_malformed_files_and_records(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "index", str(mixed), "--index", str(tmp_path / "i.sqlite3"), "--json")
    assert result.returncode == 0, result.stderr
    skipped = {entry["path"]: entry["reason"] for entry in json.loads(result.stdout)["skipped"]}
    assert "not valid JSON" in skipped["truncated-item.json"]
    assert "crawl-dump.jsonl#2" in skipped
    assert "Traceback" not in result.stderr


def test_field_option_names_the_body_column_of_a_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "custom-columns.tsv"
    shutil.copyfile(FIXTURES / "csv/custom-columns.tsv", dump)
    index = ["--index", str(tmp_path / "i.sqlite3")]
    without = json.loads(run_cli(capsys, "index", str(dump), *index, "--json").stdout)
    assert without["articles"] == 0
    assert "--field body=COLUMN" in without["skipped"][0]["reason"]
    result = run_cli(capsys, "stories", str(dump), *index, "--json", "--field", "body=story_text")
    titles = [story["title"] for story in json.loads(result.stdout)["stories"]]
    assert titles == ["Storm closes Dover port for second day", "Eurotunnel runs extra shuttles"]


def test_field_option_refuses_a_field_it_does_not_know(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "stories", "--field", "bogus=x")
    assert result.returncode == 2
    assert "unknown field 'bogus'" in result.stderr


def test_diff_compares_two_records_of_a_feed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "feed.json"
    shutil.copyfile(FIXTURES / "ninjs/feed-mixed.json", feed)
    same = run_cli(capsys, "diff", f"{feed}#0", f"{feed}#3")
    assert same.returncode == 0, same.stderr
    whole = run_cli(capsys, "diff", str(feed), f"{feed}#0")
    assert whole.returncode == 2
    assert "holds 3 articles" in whole.stderr


async def test_the_app_opens_a_mixed_folder_and_shows_an_update_marker(
    mixed: Path, tmp_path: Path
) -> None:
    from reader.tui.app import NewsReaderApp
    from reader.tui.screens.problems import ProblemsScreen
    from reader.tui.widgets.article_view import ArticleView

    app = NewsReaderApp([mixed], index_file=tmp_path / "index.sqlite3", watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.library is not None
        update = app.library.article_by_id(
            next(a.id for a in app.library.corpus.articles if a.name == "reuters-fed-v3.txt")
        )
        assert update is not None
        app.open_article(update)
        await pilot.pause()
        # lines joined with spaces: the metadata line wraps at the reading width
        text = " ".join(app.query_one(ArticleView).plain_lines())
        assert "Fed holds rates steady, slows balance sheet runoff" in text
        assert "version: UPDATE 2 sig:update (v3)" in text
        assert "provider: REUTERS" in text
        assert "filed: 2026-03-18" in text
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        titles = [row.title for row in app.screen.rows]
        assert "photo.jpg" in titles and "truncated-item.json" in titles
        assert "feed-mixed.json#1" in titles


def test_a_rewritten_dump_replaces_all_its_records(tmp_path: Path) -> None:
    dump = tmp_path / "dumps" / "dump.jsonl"
    dump.parent.mkdir()
    lines = (FIXTURES / "jsonl/crawl-dump.jsonl").read_text().splitlines()
    dump.write_text("\n".join(lines) + "\n")
    index_file = tmp_path / "index.sqlite3"
    before = open_corpus([dump.parent], index_file=index_file).library
    assert sorted(a.record for a in before.corpus.articles) == [0, 1, 5]
    dump.write_text(lines[0] + "\n")  # only the first record is left
    after, report, _ = open_corpus([dump.parent], index_file=index_file)
    assert report.indexed == 1
    assert [a.name for a in after.corpus.articles] == ["dump.jsonl#0"]
    assert not [skip for skip in after.corpus.skipped if skip.name.startswith("dump.jsonl#")]


def test_the_watcher_notices_files_of_any_name_but_hidden_ones() -> None:
    from reader.store.watch import _relevant

    assert _relevant("/wire/AP-BC-US-Wildfire")
    assert _relevant("/wire/crawl.warc.gz")
    assert not _relevant("/wire/.partial.tmp")


def test_an_xml_file_too_large_for_a_news_item_is_skipped_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.ingest.containers

    monkeypatch.setattr(reader.ingest.containers, "MAX_WHOLE_FILE_BYTES", 1000)
    folder = tmp_path / "big"
    folder.mkdir()
    shutil.copyfile(FIXTURES / "nitf/ap-wildfire-v3.xml", folder / "huge.xml")
    library = open_corpus([folder], in_memory=True).library
    assert library.corpus.articles == []
    size = (folder / "huge.xml").stat().st_size
    assert [s.reason for s in library.corpus.skipped] == [
        f"nitf: {size:,} bytes, more than any news item (the limit is 1,000): not read"
    ]


def test_a_folder_of_damaged_agency_files_opens_every_file_listed_or_explained(
    tmp_path: Path,
) -> None:
    import random

    rng = random.Random(13)
    folder = tmp_path / "damaged"
    folder.mkdir()
    for source in sorted(p for p in FIXTURES.rglob("*") if p.is_file()):
        data = source.read_bytes()
        (folder / f"cut-{source.name}").write_bytes(data[: rng.randrange(1, len(data))])
        flipped = bytearray(data)
        for _ in range(8):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        (folder / f"flipped-{source.name}").write_bytes(bytes(flipped))
    library = open_corpus([folder], in_memory=True).library
    files = {path.name for path in folder.iterdir()}
    listed = {a.path.name for a in library.corpus.articles} | {
        s.path.name for s in library.corpus.skipped
    }
    assert listed == files
    for article in library.corpus.articles:  # each reads back, or says why it cannot
        assert with_body(article).headline == article.headline
