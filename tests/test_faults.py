"""Faults: signals during indexing stop every process we started; options are range-checked."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import write_small_articles

import reader.store.watch
from reader.cli.main import Terminated, main, stop_on_signals
from reader.ingest.workers import PARALLEL_MIN_FILES


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _processes_marked(mark: str) -> list[int]:
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if mark.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_sigterm_during_indexing_stops_the_workers_and_the_tracker(tmp_path: Path) -> None:
    signum = signal.SIGTERM
    folder = write_small_articles(tmp_path / "corpus", PARALLEL_MIN_FILES + 200)
    mark = f"NEWSREADER_TEST_MARK={uuid.uuid4().hex}"
    environment = dict(os.environ, NEWSREADER_TEST_MARK=mark.split("=")[1])
    command = [sys.executable, "-m", "reader", "index", str(folder), "--index"]
    process = subprocess.Popen(
        [*command, str(tmp_path / "i.sqlite3"), "--json"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:  # tracker, workers
        time.sleep(0.05)
    assert process.poll() is None, "indexing ended before the signal could be sent"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum
    assert "Traceback" not in stderr
    deadline = time.monotonic() + 5
    while _processes_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_marked(mark) == [], "no worker or tracker is left behind"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_unwind_the_command_like_ctrl_c(signum: signal.Signals) -> None:
    previous = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        stop_on_signals()
        with pytest.raises(Terminated) as stopped:
            os.kill(os.getpid(), signum)
            time.sleep(1)  # the handler raises before this ends
        assert stopped.value.signum == signum
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@pytest.mark.parametrize("limit", ["0", "-3", "99999999999999999999", "ten"])
def test_search_limit_out_of_range_is_refused_with_a_message(
    limit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_status:
        main(["search", "nato", "--limit", limit])
    assert exit_status.value.code == 2
    assert "--limit" in capsys.readouterr().err


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


@contextlib.contextmanager
def _watching(root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The corpus folder `root` watched in a thread (short delays), its calls listed; the
    watch is stopped, and must end, when the block does."""
    monkeypatch.setattr(reader.store.watch, "DEBOUNCE_MS", 50)
    monkeypatch.setattr(reader.store.watch, "ROOT_POLL_SECONDS", 0.05)
    root.mkdir()
    calls: list[float] = []
    stop = threading.Event()
    watcher = threading.Thread(
        target=reader.store.watch.watch_corpus, args=([root], stop, lambda: calls.append(1.0))
    )
    watcher.start()
    try:
        time.sleep(0.3)  # let the watch start
        yield calls
    finally:
        stop.set()
        watcher.join(timeout=5)
    assert not watcher.is_alive()


def test_the_watcher_survives_the_corpus_folder_deleted_and_created_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    with _watching(root, monkeypatch) as calls:
        shutil.rmtree(root)
        assert _wait_for(lambda: len(calls) >= 1), "the deletion is noticed"
        seen = len(calls)
        root.mkdir()
        (root / "new.txt").write_text("Headline\n\nBody.\n")
        assert _wait_for(lambda: len(calls) > seen), "the folder created again is noticed"
        seen = len(calls)
        time.sleep(0.2)  # the watch restarts on the new folder
        (root / "later.txt").write_text("Another\n\nBody.\n")
        assert _wait_for(lambda: len(calls) > seen), "files added later are still noticed"


def test_the_watcher_follows_a_corpus_folder_replaced_before_it_looks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleted and made again at once (a sync tool, `rm -r` then `cp -r`): the old watch
    sees a folder that no longer exists, so the new one must be watched all the same."""
    root = tmp_path / "corpus"
    with _watching(root, monkeypatch) as calls:
        shutil.rmtree(root)
        root.mkdir()
        assert _wait_for(lambda: len(calls) >= 1), "the replacement is noticed"
        time.sleep(0.3)  # the watch restarts on the new folder
        seen = len(calls)
        (root / "later.txt").write_text("Another\n\nBody.\n")
        assert _wait_for(lambda: len(calls) > seen), "files added to the new folder are noticed"


async def test_an_exception_in_the_app_stops_its_workers_and_exits_non_zero(seeds: Path) -> None:
    import reader.tui.app

    class FailingApp(reader.tui.app.NewsReaderApp):
        CSS_PATH = str(Path(reader.tui.app.__file__).with_name("newsreader.tcss"))

        def action_help(self) -> None:
            raise RuntimeError("a bug anywhere in the app")

    app = FailingApp([seeds])  # watching, so a thread would be left running
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            # Not workers.wait_for_complete(): the watcher, once started, never completes.
            for _ in range(200):
                await pilot.pause(0.05)
                if app.library is not None:
                    break
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
    assert app.return_code == 1
    assert app._cancel_loading.is_set(), "the watcher and loaders were told to stop"
