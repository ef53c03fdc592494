"""Every snapshot SVG sits next to the test module that compares against it.

syrupy fails a serial run on snapshots no test uses, but not a pytest-xdist run (the
suite's default), so a snapshot left behind by a moved or renamed test is caught here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_snapshot_belongs_to_a_test_function() -> None:
    orphans = []
    svgs = sorted(TESTS.rglob("__snapshots__/*/*.svg"))
    for svg in svgs:
        module = svg.parent.parent.parent / f"{svg.parent.name}.py"
        # syrupy names a file after its test, plus [parameters] or .N for a second snapshot
        name = re.sub(r"(\[.*\])?(\.\d+)?$", "", svg.stem)
        defined = set()
        if module.exists():
            tree = ast.parse(module.read_text(encoding="utf-8"))
            defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        if name not in defined:
            orphans.append(str(svg.relative_to(TESTS)))
    assert svgs, "no snapshots found: the folder moved?"
    assert orphans == []
