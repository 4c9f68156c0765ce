"""The steps of classify import only the steps before them, and the seams between them are frozen."""

import ast
import dataclasses
from pathlib import Path

import pytest

import castguard
from castguard import vocabulary
from castguard.classify.clause_rules import ClauseHit
from castguard.classify.concepts import Concepts, Hit
from castguard.classify.protections import ContractFacts

CLASSIFY = Path(castguard.__file__).parent / "classify"
# the order the data goes in (classify.__init__.analyze); a module may import an earlier one, never a later one
STEPS = ["concepts", "sentences", "scope", "clause_rules", "evidence", "protections", "contract"]


def _imports(module: str) -> set[str]:
    tree = ast.parse((CLASSIFY / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 1:
            found.update(a.name for a in node.names)
    return found


@pytest.mark.parametrize("module", STEPS)
def test_a_step_imports_no_later_step(module):
    later = set(STEPS[STEPS.index(module) + 1 :]) | {"rules"}
    assert not _imports(module) & later, f"classify/{module}.py imports a later step: {_imports(module) & later}"


def test_the_seams_are_frozen():
    concepts = Concepts([Hit("AI", 5, 7, "AI"), Hit("ROLE", 0, 4, "Talent")])
    assert [h.concept for h in concepts.hits] == ["ROLE", "AI"] and isinstance(concepts.hits, tuple)
    facts = ContractFacts(notice=True)
    hit = ClauseHit("c1", "ai_training_grant", 0.9, 0, 10, ("train",))
    for obj, name in ((concepts, "hits"), (facts, "notice"), (hit, "label")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, None)


def test_vocabulary_subsets_stay_subsets():
    # the concept reader's person roles are performer roles; the scope reader's roles are too (plural aside)
    assert vocabulary.DEFINED_PERSON_ROLES <= vocabulary.PERFORMER_ROLES
    assert set(vocabulary.OWNER_ROLES) - {"the undersigned"} <= vocabulary.PERFORMER_ROLES
    assert not vocabulary.PERFORMER_ROLES & vocabulary.GRANTEE_ROLES
