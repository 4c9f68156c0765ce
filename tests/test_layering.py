"""Imports follow the data flow (issue 15): ingest -> segment -> classify -> facts -> scan -> report, draft,
redline -> batch -> cli, over a few shared bases. Every module of the package is parsed with ``ast`` (imports
inside functions and under ``TYPE_CHECKING`` count too); an import of a later stage from an earlier one, a base
importing a stage, or a cycle between two parts of the package fails with the modules and lines that make it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "castguard"

# shared bases: usable from anywhere, importing only each other (without cycles)
BASES = frozenset(
    {
        "_version",
        "errors",
        "escape",
        "jurisdictions",
        "lazyre",
        "prefilter",
        "limits",
        "metrics",
        "model",
        "normalise",
        "numerals",
        "output",
        "outputs",
        "provenance",
        "templating",
        "vocabulary",
    }
)
# the stages in data-flow order; a part may import its own stage's other parts (no cycle) and earlier stages
STAGES: tuple[frozenset[str], ...] = tuple(
    frozenset(s)
    for s in (
        {"ingest"},
        {"segment"},
        {"playbooks"},  # the rules' configuration: read by classify, draft and report
        {"classify"},
        {"facts"},
        {"scan"},
        {"draft", "report", "redline", "evaluate"},  # what a scanned report becomes
        {"batch"},
        {"serve"},  # the local web app: every stage above, behind a browser
        {"cli"},
        {"__main__", ""},  # "": the package's own __init__ (the public API, imports everything)
    )
)
RANK = {part: i for i, stage in enumerate(STAGES) for part in stage}


def _part(module: str) -> str:
    """'castguard.report.html' -> 'report'; 'castguard' -> ''."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _module_name(path: Path) -> tuple[str, bool]:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def _imports(path: Path) -> list[tuple[str, int]]:
    """(imported castguard module, line) for every import in the file, wherever it is."""
    module, is_package = _module_name(path)
    package = module if is_package else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "castguard"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "castguard":
                continue
            if node.module is None or target.count(".") == 0:  # "from . import x": x may be a module of its own
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    found = (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").exists() or (
                        PACKAGE.parent / sub.replace(".", "/") / "__init__.py"
                    ).exists()
                    out.append((sub if found else target, node.lineno))
            else:
                out.append((target, node.lineno))
    return out


def edges() -> list[tuple[str, str, str, int]]:
    """(from part, to part, 'file:line', imported module) for imports between different parts."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module, _ = _module_name(path)
        for target, line in _imports(path):
            a, b = _part(module), _part(target)
            if a != b:
                out.append((a, b, f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}", target))
    return out


def _known(part: str) -> bool:
    return part in BASES or part in RANK


def test_every_part_is_placed():
    """A new subpackage or top-level module must be given its place in the flow (here) before it is used."""
    parts = {_part(_module_name(p)[0]) for p in PACKAGE.rglob("*.py")}
    assert sorted(p for p in parts if not _known(p)) == []


def test_imports_follow_the_data_flow():
    wrong = []
    for a, b, where, _ in edges():
        if not (_known(a) and _known(b)):
            continue  # test_every_part_is_placed names it
        if a in BASES:
            if b not in BASES:
                wrong.append(f"{where}: the shared base {a!r} imports the stage {b!r}")
        elif b not in BASES and RANK[b] > RANK[a]:
            wrong.append(f"{where}: {a!r} imports {b!r}, which comes after it in the data flow")
    assert wrong == [], "\n".join(wrong)


def test_no_cycle_between_parts():
    graph: dict[str, dict[str, str]] = {}
    for a, b, where, _ in edges():
        graph.setdefault(a, {}).setdefault(b, where)
    cycles = []
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                loop = path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt]
                cycles.append(" -> ".join(loop) + ": " + "; ".join(graph[x][y] for x, y in zip(loop, loop[1:])))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == [], "\n".join(cycles)


@pytest.mark.parametrize(
    "source, message",
    [
        ("from ..scan import scan\n", "comes after it"),
        ("def f():\n    from ..report import html\n", "comes after it"),
    ],
)
def test_the_check_sees_a_wrong_import(tmp_path, monkeypatch, source, message):
    """The checker itself: a backward import in a stage, also one inside a function, is reported."""
    fake = tmp_path / "castguard"
    (fake / "segment").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "segment" / "__init__.py").write_text("")
    (fake / "segment" / "wrong.py").write_text(source)
    (fake / "scan.py").write_text("")
    (fake / "report").mkdir()
    (fake / "report" / "__init__.py").write_text("from ..segment import wrong\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    with pytest.raises(AssertionError, match=message):
        test_imports_follow_the_data_flow()


def test_the_check_sees_a_cycle(tmp_path, monkeypatch):
    fake = tmp_path / "castguard"
    for part, other in (("draft", "report"), ("report", "draft")):
        (fake / part).mkdir(parents=True)
        (fake / part / "__init__.py").write_text(f"def f():\n    from ..{other} import x\n")
    (fake / "__init__.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    with pytest.raises(AssertionError, match="draft -> report -> draft"):
        test_no_cycle_between_parts()
