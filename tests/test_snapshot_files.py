"""Every stored snapshot belongs to a test. syrupy fails a serial run that leaves a snapshot
unused, but it cannot tell when the suite runs in several processes (pytest-xdist, the
default here), so the suite checks it itself."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SNAPSHOTS = TESTS / "__snapshots__"


def names_of_tests(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def test_every_stored_snapshot_belongs_to_a_test_of_its_module() -> None:
    folders = sorted(folder for folder in SNAPSHOTS.iterdir() if folder.is_dir())
    assert folders, "no snapshots found: has the folder moved?"
    for folder in folders:
        module = TESTS / f"{folder.name}.py"
        assert module.is_file(), f"snapshots of a module that is gone: {folder.name}"
        tests = names_of_tests(module)
        # a parametrised test stores test_name[parameters].svg
        orphans = [
            path.name
            for path in sorted(folder.iterdir())
            if path.name.split("[")[0].removesuffix(".svg") not in tests
        ]
        assert orphans == [], f"{folder.name}: snapshots no test takes: {orphans}"
    assert not [path.name for path in SNAPSHOTS.iterdir() if not path.is_dir()]
