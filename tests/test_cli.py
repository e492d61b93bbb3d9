"""The command line as a user meets it: version, help, and clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=60
    )


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("newsreader ")


def test_help_describes_paths() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "PATH" in result.stdout
    assert "built-in sample" in result.stdout


def test_missing_path_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    result = run_cli(str(tmp_path / "no" / "such" / "path"))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no such file or directory" in lines[0]
    assert "Traceback" not in result.stderr
