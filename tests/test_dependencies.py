"""pyproject.toml's dependencies are exactly what src/ imports: every third-party module that castguard imports
(at the top of a module or lazily inside a function) comes from a declared distribution, and every declared
distribution is imported somewhere. A dependency nothing imports (pdfplumber was one) or an import that only works
because another package happens to bring it (numpy, scipy, threadpoolctl did) fails here."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "castguard"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# optional imports: module -> (the extra that declares it, its distribution); each stays behind a clear error
OPTIONAL = {"dask": ("dask", "dask"), "starlette": ("serve", "starlette"), "uvicorn": ("serve", "uvicorn"),
            "python_multipart": ("serve", "python-multipart")}
# stdlib modules newer than some Python: the oldest version each needs
STDLIB_SINCE = {"tomllib": (3, 11)}


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    assert m, spec
    return _canon(m.group(1))


def src_imports() -> dict[str, list[str]]:
    """Top-level module -> the files that import it, for every absolute import in src/castguard."""
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], []).append(str(path.relative_to(ROOT)))
    return found


def third_party(imports: dict[str, list[str]]) -> dict[str, list[str]]:
    return {m: files for m, files in imports.items() if m not in sys.stdlib_module_names and m != "castguard"}


def test_the_import_walk_sees_lazy_imports():
    imports = src_imports()
    # pypdfium2 is imported inside read_pdf, scikit-learn inside training: both must be seen
    assert "pypdfium2" in imports and "sklearn" in imports and "click" in imports
    assert "re" in imports and "re" not in third_party(imports)


def test_every_import_is_declared_and_every_dependency_is_imported():
    declared = {_requirement_name(s) for s in PYPROJECT["project"]["dependencies"]}
    extras = {
        name: {_requirement_name(s) for s in specs}
        for name, specs in PYPROJECT["project"].get("optional-dependencies", {}).items()
    }
    dists = packages_distributions()
    used: set[str] = set()
    undeclared = []
    for module, files in sorted(third_party(src_imports()).items()):
        extra, dist = OPTIONAL.get(module, (None, None))
        if extra:
            assert dist in extras.get(extra, set()), f"{module} is optional: the [{extra}] extra must declare {dist}"
            continue
        owners = {_canon(d) for d in dists.get(module, [])}
        assert owners, f"{module} (imported by {files[0]}) is not installed: which distribution provides it?"
        used |= owners
        if not owners & declared:
            undeclared.append(f"{module} ({', '.join(sorted(owners))}; imported by {files[0]})")
    assert not undeclared, "imported but not declared in [project] dependencies: " + "; ".join(undeclared)
    unused = sorted(declared - used)
    assert not unused, f"declared but never imported by src/castguard: {unused}; drop them or say why in pyproject"


def test_requires_python_covers_the_stdlib_modules_used():
    spec = PYPROJECT["project"]["requires-python"]
    m = re.fullmatch(r">=\s*(\d+)\.(\d+)", spec.strip())
    assert m, f"requires-python should be a plain lower bound, not {spec!r}"
    oldest = (int(m.group(1)), int(m.group(2)))
    imports = src_imports()
    for module, since in STDLIB_SINCE.items():
        if module in imports:
            assert oldest >= since, f"{imports[module][0]} imports {module}, new in Python {since}: requires-python {spec}"


def test_every_direct_dependency_has_a_lower_bound():
    """.ci/oldest installs each dependency at its lower bound: one without a bound is never tested old."""
    for spec in PYPROJECT["project"]["dependencies"]:
        assert re.search(r">=\s*\d", spec), f"{spec!r} has no lower bound"
