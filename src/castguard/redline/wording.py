"""The words the redline adds: one carve-out per clause, and one comment per clause, in a lawyer's neutral voice.

The carve-out changes nothing in the clause's commercial terms: it makes the clause subject to the sections of
the Addendum appended to the redline, for Digital Replicas, AI Training and Synthetic Performers (and Digital
Alteration or Performer Data where the clause raises them), each a term the Addendum defines. The comment says
what was proposed and what each of those sections provides, from the remedy templates' ``carve_out`` blocks.
Neither names the tool that drafted them or any internal identifier, unless ``internal`` asks for them.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["carve_out", "comment", "section_list", "terms_for"]

ADDENDUM = "the Addendum attached hereto"

# the Addendum's defined terms a carve-out may name, in the order it names them, and the gaps that call for
# the optional ones
_TERMS = (
    ("Digital Replica", None),
    ("Digital Alteration", {"digital_alteration", "objectionable_depiction"}),
    ("AI Training", None),
    ("Synthetic Performer", None),
    ("Performer Data", {"data_security_deletion_missing"}),
)


_PLAIN = {
    "Digital Replica": "digital replicas",
    "Digital Alteration": "digital alteration",
    "AI Training": "AI training",
    "Synthetic Performer": "synthetic performers",
    "Performer Data": "the performer's data",
}


def terms_for(gaps) -> list[str]:
    gaps = set(gaps)
    return [term for term, needs in _TERMS if needs is None or needs & gaps]


def _join(items: list[str], conj: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def section_list(numbers) -> str:
    """"Section 2", "Sections 2 and 4", "Sections 2, 4 and 5"."""
    ns = [str(n) for n in sorted(set(numbers))]
    return ("Section " if len(ns) == 1 else "Sections ") + _join(ns, "and")


def carve_out(numbers, gaps, form: str) -> str:
    """The text inserted into the clause: a proviso before its final full stop, or a sentence after it."""
    terms = _join(terms_for(gaps), "or")
    core = (
        f"the foregoing is subject to {section_list(numbers)} of {ADDENDUM}, which shall prevail with respect to "
        f"any {terms} (each as defined in that Addendum)"
    )
    if form == "proviso":
        return "; provided, however, that " + core
    return " " + core[0].upper() + core[1:] + "."


def comment(
    sections,
    gaps,
    *,
    placed: str | None,
    reason: str | None = None,
    narrowed: Sequence[tuple[str, str]] = (),
    internal: Sequence[str] = (),
    hidden: Sequence[str] = (),
) -> str:
    """One comment for one clause. ``sections`` are the Addendum's Section objects the clause calls for;
    ``placed`` is "proviso" / "sentence" when a carve-out was added, None when the clause is left as it is
    (``reason`` says what kind of passage it is); ``narrowed`` lists (old words, new words) edits; ``hidden``
    how the provision's words are hidden in the document (white text, ...), when they are."""
    numbers = [s.n for s in sections]
    terms = _join([_PLAIN[t] for t in terms_for(gaps)], "and")
    where = f"{section_list(numbers)} of the attached Addendum"
    lines = []
    if placed:
        what = "a proviso" if placed == "proviso" else "a closing sentence"
        lines.append(f"Proposed addition: {what} making this provision subject to {where} with respect to {terms}.")
    else:
        kind = reason or "passage"
        verb = "applies" if len(numbers) == 1 else "apply"
        lines.append(
            f"No change is proposed to the wording of this {kind}; {where} {verb} to it with respect to {terms}."
        )
    if hidden:
        lines.append(
            "This provision contains wording that does not show when the document is displayed or printed "
            f"({_join(list(hidden), 'and')})."
        )
    if narrowed:
        edits = []
        for old, new in narrowed:
            edits.append(f"\u201c{old}\u201d replaced by \u201c{new}\u201d" if new else f"\u201c{old}\u201d deleted")
        lines.append("Also proposed, for the grant of rights in the person's name, likeness, voice or performance: "
                     + "; ".join(edits) + ".")  # fmt: skip
    for s in sections:
        title = s.body.split("\n", 1)[0].lstrip("#").strip()
        title = title.split(". ", 1)[1] if ". " in title and title.split(". ", 1)[0].isdigit() else title
        summary = (s.carve_out or "").strip()
        lines.append(f"Section {s.n} ({title}): {summary}" if summary else f"Section {s.n}: {title}.")
    if internal:
        lines.append("Internal note, remove before sending: " + "; ".join(internal) + ".")
    return "\n".join(lines)
