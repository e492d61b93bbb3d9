"""The `spark-submit` entry point: `newsreader index --engine spark` with the master and
settings spark-submit was given (see README: Past one machine: Spark).

    spark-submit --master spark://HOST:7077 --py-files newsreader.zip \
        reader/cli/spark_submit.py PATH ... --index FILE

The index is written on the driver; the executors need `reader` (installed, or shipped
with --py-files) and its dependencies, and the corpus at the same paths.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    # run as a file, this folder leads sys.path: drop it, so that none of its modules
    # (`main`, `parsers`, ...) shadows a module of the same name elsewhere
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]
    from reader.cli.main import main

    sys.exit(main(["index", "--engine", "spark", *sys.argv[1:]]))
