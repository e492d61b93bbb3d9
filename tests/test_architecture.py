"""The architecture holds: layers import only downwards, the core never imports Textual,
and the package type-checks under mypy --strict. Both checks are the project's own
configuration in pyproject.toml, run as a user would run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_layers_import_only_the_layers_below_them() -> None:
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_package_type_checks_strictly() -> None:
    result = run(sys.executable, "-m", "mypy", "--strict", "reader")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_core_imports_without_textual() -> None:
    """The command line's own modules and every layer below the TUI load without Textual."""
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "reader").rglob("*.py")
        if "tui" not in path.parts and path.name != "__main__.py"
    )
    code = "import sys; " + "; ".join(f"import {m}" for m in modules)
    code += "; print('textual' in sys.modules)"
    result = run(sys.executable, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_text_boundary_needs_neither_rich_nor_textual() -> None:
    """The sanitiser every display path calls is plain Python: nothing can bypass it by
    failing to import a renderer."""
    code = "import sys, reader.text.safe_text; print('rich' in sys.modules or 'textual' in sys.modules)"  # noqa: E501
    result = run(sys.executable, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_at_most_four_modules_stand_loose_at_the_top_of_the_package() -> None:
    loose = sorted(path.name for path in (ROOT / "reader").glob("*.py"))
    assert len(loose) <= 4, loose
