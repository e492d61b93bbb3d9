"""Benchmark the format readers: items/s, MB/s and peak memory per format, beside plain text.

Run: python benchmarks/bench_formats.py [--items 10000] [--formats nitf ninjs ...] [--smoke]

For each format a corpus of generated wire stories (benchmarks/wire.py) is written to the
temp folder (cached): one file per item for the wire formats, HTML and the plain-text
baseline; one file holding every item for WARC, CSV and JSONL. Each format is then read in a
fresh process, so its peak memory (max RSS, interpreter and imports included) is its own.
The baseline is the existing plain-text reader (`reader.ingest.corpus.read_article`) on the same
stories as .txt files.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wire import Story, make_story

FORMATS = ["text", "nitf", "newsml-g2", "newsml1", "ninjs", "anpa", "html", "warc", "csv", "jsonl"]
CONTAINERS = {"warc": "crawl.warc.gz", "csv": "dump.csv", "jsonl": "dump.jsonl"}
EXTENSIONS = {
    "text": ".txt", "nitf": ".xml", "newsml-g2": ".xml", "newsml1": ".xml", "ninjs": ".json",
    "anpa": ".tst", "html": ".html",
}  # fmt: skip


def stories(count: int, seed: int) -> list[Story]:
    rng = random.Random(seed)
    return [make_story(rng, paragraphs=rng.randint(6, 14)) for _ in range(count)]


def _p(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def as_text(story: Story, number: int) -> bytes:
    return ("\n\n".join([story.headline, *story.paragraphs]) + "\n").encode()


def as_nitf(story: Story, number: int) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><title>{html.escape(story.headline)}</title><docdata>
<doc-id regsrc="Reuters" id-string="bench-{number}"/><date.issue norm="20260220T{number % 24:02d}0000Z"/>
<du-key version="{number % 5 + 1}" key="BC-BENCH-{number // 3}"/></docdata></head>
<body><body.head><hedline><hl1>{html.escape(story.headline)}</hl1></hedline>
<byline>By Jane Doe</byline></body.head><body.content>{_p(story.paragraphs)}</body.content>
</body></nitf>""".encode()


def as_newsml_g2(story: Story, number: int) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="tag:bench,2026:{number // 3}:{number % 3 + 1}" version="{number % 3 + 1}">
<itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:REUTERS"/>
<versionCreated>2026-02-20T10:{number % 60:02d}:00Z</versionCreated></itemMeta>
<contentMeta><headline>{html.escape(story.headline)}</headline><language tag="en"/></contentMeta>
<contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">
<body>{_p(story.paragraphs)}</body></html></inlineXML></contentSet></newsItem>""".encode()


def as_newsml1(story: Story, number: int) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<NewsML Version="1.2"><NewsItem><Identification><NewsIdentifier><ProviderId>afp.com</ProviderId>
<DateId>20260220</DateId><NewsItemId>TX-{number // 3}</NewsItemId>
<RevisionId PreviousRevision="0" Update="N">{number % 3 + 1}</RevisionId></NewsIdentifier></Identification>
<NewsManagement><ThisRevisionCreated>20260220T10{number % 60:02d}00Z</ThisRevisionCreated></NewsManagement>
<NewsComponent><NewsLines><HeadLine>{html.escape(story.headline)}</HeadLine></NewsLines>
<ContentItem><MediaType FormalName="Text"/><DataContent>{_p(story.paragraphs)}</DataContent>
</ContentItem></NewsComponent></NewsItem></NewsML>""".encode()


def ninjs_object(story: Story, number: int) -> dict[str, object]:
    return {
        "uri": f"urn:bench:{number // 3}",
        "type": "text",
        "version": str(number % 3 + 1),
        "versioncreated": f"2026-02-20T10:{number % 60:02d}:00Z",
        "headline": story.headline,
        "body_html": _p(story.paragraphs),
    }


def as_ninjs(story: Story, number: int) -> bytes:
    return json.dumps({"data": {"item": ninjs_object(story, number)}}).encode()


def as_anpa(story: Story, number: int) -> bytes:
    body = []
    for paragraph in story.paragraphs:
        words = paragraph.replace(" - ", " _ ").split()
        lines, line = [], ""
        for word in words:
            if len(line) + len(word) > 66:
                lines.append(line)
                line = ""
            line = f"{line} {word}".strip()
        lines.append(line)
        body.append("\t" + "\r\n".join(lines))
    text = (
        f"\x01a{number % 10000:04d}  r a BC-BENCH--Story-{number // 3} 02-20 0400\r\n\x02"
        f"^BC-BENCH--Story-{number // 3}<\r\n^{story.headline}<\r\n^By JANE DOE=\r\n"
        + "\r\n".join(body)
        + f"\r\nAP-WF-02-20-26 {number % 24:02d}00GMT<\r\n\x03\r\n\x04"
    )
    return text.encode("latin-1", "replace")


def as_html(story: Story, number: int) -> bytes:
    related = "".join(f"<li><a href='/r{i}'>Related story number {i}</a></li>" for i in range(6))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(story.headline)} | The Bench Gazette</title>
<meta property="og:title" content="{html.escape(story.headline)}">
<meta property="article:published_time" content="2026-02-20T10:{number % 60:02d}:00Z">
<link rel="canonical" href="https://bench.example/news/{number}"></head><body>
<div class="cookie-banner"><p>We use cookies to improve your experience.</p><button>Accept</button></div>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<main><article><h1>{html.escape(story.headline)}</h1><p class="byline">By Jane Doe</p>
<figure><img src="/a.jpg"><figcaption>A photo caption. Photograph: Agency</figcaption></figure>
<div class="body">{_p(story.paragraphs)}</div></article>
<aside><h2>Related</h2><ul>{related}</ul></aside></main><footer>© 2026 Bench Gazette</footer>
</body></html>""".encode()


WRITERS: dict[str, Callable[[Story, int], bytes]] = {
    "text": as_text, "nitf": as_nitf, "newsml-g2": as_newsml_g2, "newsml1": as_newsml1,
    "ninjs": as_ninjs, "anpa": as_anpa, "html": as_html,
}  # fmt: skip


def write_warc(path: Path, items: list[Story]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for number, story in enumerate(items):
            page = as_html(story, number)
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://bench.example/news/{number}",
                "response",
                payload=io.BytesIO(page),
                http_headers=headers,
            )
            writer.write_record(record)


def write_csv(path: Path, items: list[Story]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(["id", "title", "text", "date", "url", "source"])
        for number, story in enumerate(items):
            rows.writerow(
                [
                    number,
                    story.headline,
                    "\n\n".join(story.paragraphs),
                    f"2026-02-20T10:{number % 60:02d}:00Z",
                    f"https://bench.example/news/{number}",
                    "Reuters",
                ]
            )


def write_jsonl(path: Path, items: list[Story]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for number, story in enumerate(items):
            record = {
                "id": number,
                "title": story.headline,
                "text": "\n\n".join(story.paragraphs),
                "published": f"2026-02-20T10:{number % 60:02d}:00Z",
                "source": "Reuters",
            }
            handle.write(json.dumps(record) + "\n")


def corpus(fmt: str, count: int, seed: int) -> Path:
    """The folder holding `count` items in format `fmt`, generated once and cached."""
    folder = Path(tempfile.gettempdir()) / f"newsreader-bench-formats-{count}-{seed}" / fmt
    done = folder / ".complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    items = stories(count, seed)
    if fmt in CONTAINERS:
        target = folder / CONTAINERS[fmt]
        {"warc": write_warc, "csv": write_csv, "jsonl": write_jsonl}[fmt](target, items)
    else:
        writer = WRITERS[fmt]
        for number, story in enumerate(items):
            (folder / f"{number:06d}{EXTENSIONS[fmt]}").write_bytes(writer(story, number))
    done.write_text("ok")
    return folder


def worker(fmt: str, folder: Path) -> dict[str, float]:
    """Read every file in the folder as a reader would; runs in its own process."""
    files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    if fmt == "text":
        from reader.ingest.corpus import CorpusFile, read_article

        started = time.perf_counter()
        items = sum(1 for path in files if read_article(CorpusFile(path, path.name)))
        problems = 0
    else:
        from reader.ingest.formats import NewsItem, iter_items

        _import_readers(fmt)
        started = time.perf_counter()
        items = problems = 0
        for path in files:
            with path.open("rb") as stream:
                for event in iter_items(stream, path.name):
                    if isinstance(event, NewsItem):
                        items += 1
                    else:
                        problems += 1
    seconds = time.perf_counter() - started
    return {
        "files": len(files),
        "items": items,
        "problems": problems,
        "megabytes": sum(p.stat().st_size for p in files) / 1e6,
        "seconds": seconds,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _import_readers(fmt: str) -> None:
    """Import the reader (and trafilatura) before the clock starts: imports are paid once."""
    import importlib

    for module in ("nitf", "newsml_g2", "newsml1", "ninjs", "anpa", "html_page", "tabular"):
        importlib.import_module(f"reader.ingest.formats.{module}")
    if fmt in ("html", "warc"):
        importlib.import_module("trafilatura")
        importlib.import_module("warcio.archiveiterator")


def run_worker(fmt: str, folder: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--worker", fmt, str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--formats", nargs="+", default=FORMATS, choices=FORMATS)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--smoke", action="store_true", help="a tiny run that checks it works")
    parser.add_argument("--worker", nargs=2, metavar=("FORMAT", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]))))
        return 0
    count = 12 if args.smoke else args.items
    formats = ["text", *(f for f in args.formats if f != "text")]
    print(f"{'format':<10} {'files':>6} {'items':>6} {'problems':>8} {'MB':>7} {'s':>7} "
          f"{'items/s':>8} {'MB/s':>6} {'peak MiB':>8} {'vs text':>7}")  # fmt: skip
    baseline = None
    for fmt in formats:
        figures = run_worker(fmt, corpus(fmt, count, args.seed))
        rate = figures["items"] / figures["seconds"] if figures["seconds"] else 0.0
        baseline = baseline or rate
        print(
            f"{fmt:<10} {figures['files']:>6.0f} {figures['items']:>6.0f} "
            f"{figures['problems']:>8.0f} {figures['megabytes']:>7.1f} {figures['seconds']:>7.2f} "
            f"{rate:>8.0f} {figures['megabytes'] / figures['seconds']:>6.1f} "
            f"{figures['peak_mib']:>8.0f} {rate / baseline if baseline else 0:>6.2f}x"
        )
    print(
        f"baseline: reader.ingest.corpus.read_article on {count} .txt files; cpu count {os.cpu_count()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
