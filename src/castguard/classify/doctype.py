"""What kind of document this is, decided from its content before scope (report schema revision 1.1).

``contract``            an agreement between named parties (the default for anything that binds someone)
``terms_of_service``    terms a platform's or service's users accept ("By using the Services you agree ...")
``release_or_consent``  a release, consent form or statement signed or read by the person ("I consent ...")
``not_a_contract``      a README, cover letter, sources list or notes: no findings are raised on it

File names are never used: a union's archive holds "contract_final_v2.pdf" files that are cover letters and
READMEs named like deals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Clause, Document
from ..playbooks.rulepatterns import patterns_of
from .language import main_language

__all__ = ["DocumentType", "decide_document_type"]


@dataclass(frozen=True)
class DocumentType:
    value: str
    reason: str
    language: str = "English"  # the text's main language (castguard reads English; see language.py)


P = patterns_of("doctype")  # the rule patterns: playbooks/patterns/doctype.toml
FR = patterns_of("french")  # FIRST_PERSON_STATEMENT: a French consent in the first person (patterns/french.toml)


class _Count:
    """A number computed the first time it is asked for."""

    def __init__(self, compute: Callable[[], float]):
        self.compute = compute
        self.value: float | None = None

    def __call__(self) -> float:
        if self.value is None:
            self.value = self.compute()
        return self.value


def decide_document_type(doc: Document, clauses: tuple[Clause, ...] = ()) -> DocumentType:
    text = doc.text
    words = max(1, len(P.WORD.findall(text)))
    head = text[:3000]
    stripped = text.lstrip()
    if stripped[:1] in "{[" and P.STRUCTURED_DATA.match(stripped):
        return DocumentType("not_a_contract", "it is structured data (JSON), not the text of an agreement")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    table_lines = sum(1 for ln in lines if ln.lstrip().startswith("|"))
    if lines and table_lines / len(lines) > 0.2 and not P.PARTIES.search(head):
        return DocumentType("not_a_contract", "it is mostly a table or list (notes, a sources list), not an agreement")
    language = main_language(text)
    if language.name != "English":
        # castguard reads English (and French by rules): a title it knows in other languages, or a French
        # statement in the first person, says what the document is
        other = P.TITLE_TOS_OTHER.search(head)
        if other:
            kind, what = "terms_of_service", "terms that users accept by using a service"
        elif language.name == "French" and (other := FR.FIRST_PERSON_STATEMENT.search(head)):
            kind, what = "release_or_consent", "a statement the person makes in the first person"
        if other:
            return DocumentType(kind, f"{what} (“{' '.join(other.group(0).split())}”)", language.name)
        if language.name == "French":  # read by the French rules (classify/french.py)
            return DocumentType("contract", "an agreement written in French (no title says otherwise)", language.name)
        return DocumentType(
            "contract", f"not read (the text is in {language.name}): taken as an agreement until a person reads it", language.name
        )
    first_person_consent = P.CONSENT_STATEMENT.search(text[:20000])
    # each count over the whole text is made only when a decision below needs it (an ordinary contract, with
    # its parties in the first lines, needs none of them); the decisions are those the counts always gave
    binding = _Count(lambda: len(P.BINDING.findall(text)))
    # binding words per thousand words; contracts run 15-60, prose 0-5
    density = _Count(lambda: binding() / words * 1000)
    readme = _Count(lambda: len(P.README.findall(text)))
    letter = _Count(lambda: len(P.LETTER.findall(text)))
    if first_person_consent and (binding() < 3 or density() < 6):
        return DocumentType(
            "release_or_consent",
            f"a statement in the first person by which the person consents (“{_clip(first_person_consent.group(0))}”)",
        )
    looks_like_agreement = bool(
        P.PARTIES.search(head) or P.TITLE_TOS.search(head) or P.AGREEMENT_TITLE.search(text.lstrip()[:600])
    )
    if not looks_like_agreement and (binding() < 3 or density() < 6):
        what = (
            "a README or technical notes"
            if readme() >= 2
            else "a letter"
            if letter()
            else "a list of sources or links"
            if len(P.URL.findall(text)) >= 5
            else "prose that binds no one"
        )
        return DocumentType(
            "not_a_contract",
            f"it reads as {what}: {binding()} binding word(s) such as 'shall', 'grants' or 'agrees' in {words:,} words",
        )
    if not P.PARTIES.search(head) and (readme() >= 3 or letter() >= 2) and density() < 10:
        return DocumentType(
            "not_a_contract", "it reads as a README or a letter, with few binding words and no parties"
        )

    tos_title = P.TITLE_TOS.search(head)
    accept = P.ACCEPT_BY_USE.search(text[:20000])
    you = _Count(lambda: len(P.YOU_WORD.findall(text)) / words * 1000)
    if (tos_title and (accept or you() > 15)) or (accept and you() > 20 and not P.PARTIES.search(head[:1500])):
        cue = tos_title or accept
        assert cue is not None  # the condition above holds only with one of them
        return DocumentType(
            "terms_of_service", f"terms that users accept by using a service (“{' '.join(cue.group(0).split())}”)"
        )

    release_title = P.TITLE_RELEASE.search(head[:400])
    first_person = len(P.FIRST_PERSON.findall(text)) / words * 1000
    if release_title and (first_person > 8 or not P.AGREEMENT_TITLE.search(head[:400])):
        return DocumentType(
            "release_or_consent",
            f"a release or consent given by the person (“{' '.join(release_title.group(0).split())}”)",
        )
    if first_person > 25 and P.I_CONSENT.search(text):
        return DocumentType("release_or_consent", "a statement in the first person by which the person consents")
    if not (
        P.PARTIES.search(head)
        or P.SIGNATURE.search(text)
        or P.AGREEMENT_TITLE.search(text.lstrip()[:300])
        or density() >= 15
    ):
        return DocumentType(
            "not_a_contract",
            "it talks about agreements but is not one: no parties, no title, no signature block, few binding words",
        )
    cue = P.AGREEMENT_NAME.search(head) or P.AGREEMENT_TITLE.search(head) or P.PARTIES.search(head)
    return DocumentType(
        "contract", f"an agreement between parties (“{' '.join(cue.group(0).split())}”)" if cue else "binding terms"
    )


def _clip(s: str, n: int = 80) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1].rsplit(" ", 1)[0] + "…"
