"""Starting Spark for the grouping job: pyspark imported only here and only when asked for,
Java looked for first, Spark's console noise kept to errors.

With no master named, a job started by `spark-submit` (or a pyspark shell) runs where that
says; one started by `newsreader` runs in local mode on every core (`local[*]`). In local
mode the executors run this very Python, so they import the same `reader` package.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: The oldest Java the supported Spark releases (4.x) run on.
MIN_JAVA = 17
#: Where the Java step is documented.
JAVA_STEP = "sudo apt-get install -y default-jre-headless (see README: Past one machine: Spark)"
PYSPARK_STEP = "pip install 'newsreader[spark]'"
#: How `newsreader` names itself to Spark (in a cluster's list of applications).
APP_NAME = "newsreader-index"


class SparkUnavailable(Exception):
    """Spark cannot run here: pyspark is not installed, or no usable Java was found."""


class SparkJobFailed(Exception):
    """A Spark job failed (an executor that cannot import `reader`, a lost cluster)."""


def under_spark_submit() -> bool:
    """Whether this process was started by `spark-submit` (the JVM is already running)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


def java_command() -> str | None:
    """The `java` Spark will start: JAVA_HOME's, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if os.access(candidate, os.X_OK) else None
    return shutil.which("java")


def java_major_version(java: str) -> int | None:
    """The major version `java -version` reports (8 for 1.8), None when it says none."""
    try:
        answer = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', answer.stderr + answer.stdout)
    if found is None:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def check_spark_available() -> None:
    """Raise SparkUnavailable, with what to do, unless pyspark imports and Java will run."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailable(
            f"the Spark engine needs pyspark, which is not installed: {PYSPARK_STEP}"
        ) from None
    if under_spark_submit():
        return  # spark-submit started the JVM already
    java = java_command()
    if java is None:
        where = "in JAVA_HOME" if os.environ.get("JAVA_HOME") else "on PATH (nor JAVA_HOME set)"
        raise SparkUnavailable(
            f"the Spark engine needs Java, and none was found {where}: {JAVA_STEP}"
        )
    major = java_major_version(java)
    if major is None:
        raise SparkUnavailable(f"{java} did not say its version; Spark needs Java {MIN_JAVA}+")
    if major < MIN_JAVA:
        raise SparkUnavailable(
            f"Spark needs Java {MIN_JAVA} or newer and {java} is Java {major}: {JAVA_STEP}"
        )


def is_local(master: str | None) -> bool:
    """Whether `master` runs the executors on this machine (None: newsreader's default)."""
    return master is None or master.startswith("local")


@contextlib.contextmanager
def spark_session(master: str | None = None) -> Iterator[SparkSession]:
    """A SparkSession for the job, stopped afterwards if this started it (one running
    already, as in a test or under spark-submit, is used and left running).

    `master` None: spark-submit's, else `local[*]`. Raises SparkUnavailable when pyspark or
    Java is missing, or when Spark does not start (with Spark's reason).
    """
    check_spark_available()
    from pyspark.sql import SparkSession

    running = SparkSession.getActiveSession()
    if running is not None:
        yield running
        return
    builder = SparkSession.builder.appName(APP_NAME)
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if not under_spark_submit():
        chosen = master or "local[*]"
        builder = builder.master(chosen)
        if is_local(chosen):  # no web UI for a run on this machine
            builder = builder.config("spark.ui.enabled", "false")
        log_config = resources.files("reader.scale") / "log4j2.properties"
        builder = builder.config(
            "spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log_config}"
        )
    elif master is not None:
        builder = builder.master(master)
    log = None if under_spark_submit() else _new_log()
    try:
        with _executors_python(master), _jvm_output_to(log):
            session = builder.getOrCreate()
    except Exception as error:  # pyspark raises its own kinds; the JVM's reason is in it
        raise SparkUnavailable(f"Spark did not start: {_first_line(error)}{_see(log)}") from None
    session.sparkContext.setLogLevel("ERROR")
    keep_log = False
    try:
        with _package_shipped(session, master):
            yield session
    except SparkJobFailed as failed:
        keep_log = True
        raise SparkJobFailed(f"{failed}{_see(log)}") from None
    finally:
        session.stop()
        if log is not None and not keep_log:
            log.unlink(missing_ok=True)  # Spark did not fail: nothing to read in it


def _new_log() -> Path:
    """A new file in the temp folder for what the JVM prints (made here, never reused)."""
    handle, name = tempfile.mkstemp(prefix="newsreader-spark-", suffix=".log")
    os.close(handle)
    return Path(name)


def _see(log: Path | None) -> str:
    return f" (Spark's own messages: {log})" if log is not None else ""


@contextlib.contextmanager
def _jvm_output_to(log: Path | None) -> Iterator[None]:
    """The JVM Spark starts keeps the stderr it was started with: while it starts, ours
    is `log` (at start-up the JVM prints a warning of its own that no setting silences;
    later it prints only errors, which newsreader reports itself)."""
    if log is None:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(log, "ab") as handle:
            os.dup2(handle.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@contextlib.contextmanager
def _executors_python(master: str | None) -> Iterator[None]:
    """In local mode, the executors run this Python (pyspark reads PYSPARK_PYTHON when
    Spark starts; else it runs `python3`, which may lack newsreader's packages)."""
    if not is_local(master) or under_spark_submit() or "PYSPARK_PYTHON" in os.environ:
        yield
        return
    os.environ["PYSPARK_PYTHON"] = sys.executable
    try:
        yield
    finally:
        del os.environ["PYSPARK_PYTHON"]


@contextlib.contextmanager
def _package_shipped(session: SparkSession, master: str | None) -> Iterator[None]:
    """On a cluster, send this `reader` package to the executors (they still need its
    dependencies installed), so they run the code the driver runs."""
    if is_local(master) or under_spark_submit():
        yield
        return
    package = Path(str(resources.files("reader")))
    with tempfile.TemporaryDirectory(prefix="newsreader-spark-") as folder:
        archive = Path(folder) / "newsreader.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(package.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    zipped.write(path, Path("reader") / path.relative_to(package))
        session.sparkContext.addPyFile(str(archive))
        yield


@contextlib.contextmanager
def spark_errors() -> Iterator[None]:
    """Turn the errors of pyspark and of the JVM bridge into SparkJobFailed, with the
    reason in one line (the Python error an executor met, when there is one)."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        yield
    except (Py4JError, PySparkException) as error:
        raise SparkJobFailed(f"the Spark job failed: {failure_reason(error)}") from None


#: The last line of a Python traceback: `ModuleNotFoundError: No module named 'numpy'`.
_PYTHON_ERROR = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception)): .*$", re.MULTILINE)


def failure_reason(error: BaseException) -> str:
    """What went wrong, in one line: the last Python error in Spark's message, else its
    first line."""
    matches = list(_PYTHON_ERROR.finditer(str(error)))
    return matches[-1].group(0).strip() if matches else _first_line(error)


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
