"""The gap taxonomy (v1): ids, kinds, severities, anchors and remedies.

Transcribed from the project's design note ``taxonomy.md`` into the default playbook
(``castguard/playbooks/default.toml``), which is where the table lives now; ``GAPS`` is that table as the
default playbook sets it. The ids are a stable interface: reports, templates and the batch database use them
verbatim. ``remedy`` names the addendum section that answers the gap. An organisation's playbook
(``--playbook FILE``) may change a gap's severity, switch it off or point it at its own remedy template; code
that builds findings reads the gaps of the playbook in use, not this table.
"""

from __future__ import annotations

from ..playbooks import Gap, default_playbook

__all__ = ["GAPS", "Gap", "SEVERITY_ORDER", "TAXONOMY_VERSION", "raise_severity"]

TAXONOMY_VERSION = "v1"
SEVERITY_ORDER = {"low": 1, "medium": 2, "high": 3}

GAPS: dict[str, Gap] = dict(default_playbook().gaps)


def raise_severity(severity: str) -> str:
    """One level up (minor performer, deceased person's likeness)."""
    return {"low": "medium", "medium": "high", "high": "high"}[severity]
