"""Regenerate the golden addenda (Markdown) of the sample contracts; run by hand after a deliberate change to
the templates, the deal logic or the detector, then review the diff.

.venv/bin/python tests/golden/regen_addenda.py

Each sample has its deal facts in ``addenda/<stem>.toml`` (a fixed addendum date, so the output is stable).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from castguard.draft import build_addendum, deal_for  # noqa: E402
from castguard.scan import scan  # noqa: E402

SAMPLES = ROOT / "sample_contracts"


def cases() -> list[tuple[Path, Path, Path]]:
    """(contract, deal file, golden Markdown) for every sample that has a deal file here."""
    out = []
    for deal in sorted((HERE / "addenda").glob("*.toml")):
        contract = next(p for p in SAMPLES.iterdir() if p.stem == deal.stem and p.suffix != ".toml")
        out.append((contract, deal, deal.with_suffix(".md")))
    return out


def render(contract: Path, deal: Path) -> str:
    report = scan(contract)
    return build_addendum(report, deal_for(report, deal)).markdown


if __name__ == "__main__":
    for contract, deal, golden in cases():
        golden.write_text(render(contract, deal), encoding="utf-8")
        print("wrote", golden.relative_to(ROOT))
