"""Every row of docs/threat-model.md names tests that exist, or says it is open."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "threat-model.md"
_CODE = re.compile(r"`([^`]+)`")


def threat_rows() -> dict[str, str]:
    """Return each threat's number and its 'Shown by' cell, read from the page's table."""
    rows: dict[str, str] = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"T\d+[a-z]?", cells[0]):
            rows[cells[0]] = cells[-1]
    return rows


def named_tests(cell: str) -> list[tuple[str, str | None]]:
    """Return the (file, function) pairs a cell names; `::name` continues the file before it."""
    named: list[tuple[str, str | None]] = []
    current: str | None = None
    for token in _CODE.findall(cell):
        if token.startswith("tests/"):
            current, _, function = token.partition("::")
            named.append((current, function or None))
        elif token.startswith("::"):
            assert current is not None, f"{token} names no file before it"
            named.append((current, token.removeprefix("::")))
    return named


def _functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_the_table_is_read() -> None:
    rows = threat_rows()
    assert len(rows) >= 20 and "T16" in rows
    assert named_tests("`tests/a.py::test_x`, `::test_y`; `tests/b.py`") == [
        ("tests/a.py", "test_x"),
        ("tests/a.py", "test_y"),
        ("tests/b.py", None),
    ]


@pytest.mark.parametrize("number", sorted(threat_rows()))
def test_each_threat_names_tests_that_exist_or_says_it_is_open(number: str) -> None:
    cell = threat_rows()[number]
    named = named_tests(cell)
    assert named or "**open**" in cell, f"{number} names no test and is not marked open"
    for file, function in named:
        path = ROOT / file
        assert path.is_file(), f"{number}: {file} does not exist"
        if function is not None:
            assert function in _functions(path), f"{number}: {file} has no {function}"
