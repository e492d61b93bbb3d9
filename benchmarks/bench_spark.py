"""Benchmark the Spark engine against the in-process one: a cold index of the same corpus
by each, and whether they give the same stories.

Run: python benchmarks/bench_spark.py [--files 10000] [--master local[2]] [--smoke]

On a generated hard corpus (benchmarks/make_corpus.py, cached in the temp folder): the
in-process cold index (`open_corpus`, worker processes past 3,000 files) as the baseline,
then `index_with_spark` into a second index (Spark's start-up included, and given apart),
then the app's open of the Spark-written index (nothing may be read or regrouped), and a
comparison of the two engines' stories (ids and versions, in order). Needs pyspark and
Java; says so and exits 2 without them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_stories import corpus_folder

from reader.scale.spark_index import index_with_spark
from reader.scale.spark_session import SparkUnavailable, check_spark_available, spark_session
from reader.store.library import open_corpus


def story_lists(paths: list[Path], index: Path) -> list[tuple[str, list[str]]]:
    opened = open_corpus(paths, index_file=index)
    assert opened.report.indexed == 0 and not opened.report.regrouped, opened.report
    return [(s.id, [v.id for v in s.versions]) for s in opened.library.stories]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--smoke", action="store_true", help="a small corpus, for the tests")
    args = parser.parse_args(argv)
    files = 60 if args.smoke else args.files
    try:
        check_spark_available()
    except SparkUnavailable as error:
        print(f"bench_spark: {error}", file=sys.stderr)
        return 2
    folder, _ = corpus_folder(files, args.seed, "hard")
    paths = [folder]
    with tempfile.TemporaryDirectory(prefix="newsreader-bench-spark-") as work:
        in_process_index, spark_index = (
            Path(work) / "in-process.sqlite3",
            Path(work) / "spark.sqlite3",
        )
        started = time.perf_counter()
        baseline = open_corpus(paths, index_file=in_process_index)
        in_process_seconds = time.perf_counter() - started
        baseline.corpus_index.close()
        started = time.perf_counter()
        with spark_session(args.master):
            session_seconds = time.perf_counter() - started
            report = index_with_spark(paths, index_file=spark_index, master=args.master)
        spark_seconds = time.perf_counter() - started
        started = time.perf_counter()
        ours = story_lists(paths, spark_index)
        reopen_seconds = time.perf_counter() - started
        same = ours == story_lists(paths, in_process_index)
    stages = ", ".join(f"{stage} {value:.1f}" for stage, value in report.seconds.items())
    print(f"corpus: {files:,} hard files, {report.articles:,} articles, {len(ours):,} stories")
    print(f"in-process cold index (baseline): {in_process_seconds:.1f} s")
    print(
        f"spark cold index ({args.master}): {spark_seconds:.1f} s, of which start-up "
        f"{session_seconds:.1f} s; stages (s): {stages}"
    )
    print(
        f"spark: {report.candidates:,} candidate pairs checked, "
        f"{report.version_pairs:,} are versions"
    )
    print(f"app's open of the Spark-written index: {reopen_seconds:.2f} s, nothing regrouped")
    print(f"same stories as in-process: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
