"""Regenerate the golden clause trees (run by hand after a deliberate segmentation change, then review the diff).

.venv/bin/python tests/golden/regen.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from castguard.ingest import read_document  # noqa: E402
from castguard.segment import segment  # noqa: E402

# one or more contracts per format, real (tests/corpus) and sample
GOLDEN = [
    "tests/corpus/cuad_endorsement_teardropgolf_brettogle.txt",
    "tests/corpus/cuad_sponsorship_vnue_anthemic_floodfest.txt",
    "tests/corpus/cuad_endorsement_bizzingo_joetheismann.pdf",
    "tests/corpus/cuad_sponsorship_arcgroup_jacksonvillejaguars.pdf",
    "tests/corpus/18f_consent_research_participant_2016.docx",
    "tests/corpus/18f_consent_research_participant_recording.docx",
    "sample_contracts/voiceover_brightwave.docx",
    "sample_contracts/film_actor_harborlight.pdf",
    "sample_contracts/model_release_lumen.md",
]


def tree(path: Path) -> list[dict]:
    doc = read_document(path)
    return [
        {
            "id": c.id,
            "number": c.number,
            "heading": c.heading,
            "parent": c.parent,
            "page": c.page,
            "starts": " ".join(c.text.split())[:60],
        }
        for c in segment(doc)
    ]


def golden_path(rel: str) -> Path:
    return HERE / "clauses" / (Path(rel).name + ".json")


if __name__ == "__main__":
    for rel in GOLDEN:
        out = golden_path(rel)
        out.write_text(json.dumps(tree(ROOT / rel), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print("wrote", out.relative_to(ROOT))
