"""Architecture rules that keep the core reusable without the TUI."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "clerk_tui"


def test_models_and_services_never_import_textual() -> None:
    offenders = []
    for folder in ("models", "services"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "textual"]
    assert offenders == []


def test_services_import_without_loading_textual() -> None:
    """Importing every service module at run time must not pull Textual in indirectly."""
    modules = sorted(
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for folder in ("models", "services", "db")
        for p in (PACKAGE / folder).rglob("*.py")
    )
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_screens_have_no_chinese_literals() -> None:
    """Every Chinese string the clerk sees goes through the translation table."""
    han = re.compile(r"[\u4e00-\u9fff]")
    offenders = []
    for folder in ("screens", "widgets"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and han.search(node.value):
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_only_storage_writes_sql_text() -> None:
    """SQL text (`text(...)`, `exec_driver_sql`, PRAGMAs) is dialect-specific: only
    `clerk_tui/db/` may write it; everything else builds expressions."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "db":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sqlalchemy"):
                offenders += [
                    f"{path.name}: imports {a.name}" for a in node.names if a.name in ("text", "literal_column")
                ]
            elif isinstance(node, ast.Attribute) and node.attr in ("exec_driver_sql", "driver_connection"):
                offenders.append(f"{path.name}:{node.lineno} .{node.attr}")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.match(r"\s*(PRAGMA|SELECT|INSERT|UPDATE|DELETE|CREATE|BEGIN)\b", node.value)
            ):
                offenders.append(f"{path.name}:{node.lineno} SQL string")
    assert offenders == []
