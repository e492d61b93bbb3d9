"""`newsreader index --engine spark`: the index built by the grouping job on Spark
(reader.scale), then opened as every command opens it. pyspark loads only here, and only
when that engine is asked for."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from reader.cli.commands import fail
from reader.ingest.corpus import CorpusError, check_paths
from reader.text.safe_text import safe_text

if TYPE_CHECKING:
    from reader.scale.spark_index import SparkIndexReport


def run_spark_job(args: argparse.Namespace) -> SparkIndexReport | None:
    """Run the Spark job for `newsreader index` arguments; None (after one line on
    stderr) when the paths, the index, pyspark, Java or a job failed."""
    from reader.scale.spark_index import index_with_spark
    from reader.scale.spark_session import SparkJobFailed, SparkUnavailable
    from reader.store.index import IndexRefused, IndexUnavailable, check_index_file

    try:
        check_paths(args.paths)
        if args.index is not None:
            check_index_file(args.index)
        report = index_with_spark(
            args.paths,
            index_file=args.index,
            master=args.master,
            follow=args.follow,
            field_map=args.field_map,
            stage=_say if sys.stderr.isatty() and not args.json else None,
        )
    except CorpusError as error:
        fail(str(error))
        return None
    except IndexRefused as error:
        fail(f"--index: {error}" if args.index else f"the index cannot be used: {error}")
        return None
    except IndexUnavailable as error:
        fail(f"the index cannot be used: {error}")
        return None
    except (SparkUnavailable, SparkJobFailed) as error:
        fail(str(error))
        return None
    if report.refresh.notice:
        print(f"newsreader: note: {safe_text(report.refresh.notice)}", file=sys.stderr)
    return report


def _say(text: str) -> None:
    print(f"newsreader: {text} …", file=sys.stderr, flush=True)


def spark_summary(report: SparkIndexReport) -> dict[str, object]:
    """What the Spark job did, for `--json`."""
    return {
        "regrouped": report.refresh.regrouped,
        "candidate_pairs": report.candidates,
        "version_pairs": report.version_pairs,
        "stage_seconds": {stage: round(value, 3) for stage, value in report.seconds.items()},
    }


def spark_line(report: SparkIndexReport) -> str:
    """What the Spark job did, in one line."""
    stages = ", ".join(f"{stage} {value:.1f} s" for stage, value in report.seconds.items())
    if not report.refresh.regrouped:
        return f"spark: nothing to regroup ({stages})"
    return (
        f"spark: {report.candidates:,} candidate pairs checked, {report.version_pairs:,} "
        f"are versions; {stages}"
    )
