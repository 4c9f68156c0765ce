"""The gap taxonomy (v1): ids, kinds, severities, anchors and remedies.

Transcribed from the project's design note ``taxonomy.md``. The ids are a stable
interface: reports, templates and the batch database use them verbatim.
``remedy`` names the addendum section that answers the gap.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GAPS", "Gap", "SEVERITY_ORDER", "TAXONOMY_VERSION", "raise_severity"]

TAXONOMY_VERSION = "v1"
SEVERITY_ORDER = {"low": 1, "medium": 2, "high": 3}


@dataclass(frozen=True)
class Gap:
    id: str
    kind: str  # clause | contract | clause or contract
    severity: str
    title: str  # plain words for a table row
    why: str  # why it matters, for a person reading the report
    protection: str  # what the addendum asks for
    anchors: tuple[str, ...]
    remedy: str


def _g(id, kind, severity, title, why, protection, anchors, remedy):
    return Gap(id, kind, severity, title, why, protection, tuple(anchors), remedy)


GAPS: dict[str, Gap] = {
    g.id: g
    for g in [
        _g(
            "ai_training_grant",
            "clause",
            "high",
            "Performance may be used to train AI",
            "Recordings of the performer can be fed to AI or machine-learning systems (or licensed as data), "
            "which can then produce new work in their voice or image without them.",
            "Separate opt-in consent naming the purpose and the model; separate pay; no licensing of the data to "
            "third parties; revocable; deletion.",
            ["SAG-AFTRA Commercials Contracts 2025", "Equity (UK) AI vision statement", "WGA 2023 MBA Art. 72"],
            "training_opt_in",
        ),
        _g(
            "replica_creation_grant",
            "clause",
            "high",
            "Company may create a digital replica",
            "The company may scan, capture, model, clone or synthesize the performer's likeness or voice, creating a "
            "digital double that can perform without them.",
            "Replica creation only for the named project, 48 hours' notice, a paid session and a stated purpose.",
            ["SAG-AFTRA 2023 TV/Theatrical Agreement (employment-based digital replica)", "NY Fashion Workers Act"],
            "replica_creation_limits",
        ),
        _g(
            "replica_use_unspecified",
            "clause",
            "high",
            "Replica uses not specifically described",
            "A digital replica or simulated performance may be used without a reasonably specific description of the "
            "intended uses, which the California and New York replica laws require for the consent to hold.",
            "A schedule of permitted uses; any other use needs new consent.",
            ["Cal. Lab. Code 927 (AB 2602)", "N.Y. Gen. Oblig. Law 5-302", "Illinois PA 103-0830"],
            "replica_use_schedule",
        ),
        _g(
            "unbounded_term_scope",
            "clause",
            "medium",
            "Rights are perpetual or unlimited in media",
            "Rights in the performance, name, likeness or voice are granted forever, everywhere, in media not yet "
            "invented, or irrevocably, which is how pre-AI contracts come to be read as covering AI uses.",
            "A fixed term, listed media and a territory for any AI or replica use.",
            ["Equity (UK): time-limited licences", "NO FAKES Act draft (10-year cap)"],
            "term_and_media_limits",
        ),
        _g(
            "reuse_other_projects",
            "clause",
            "medium",
            "Performance may be reused in other projects",
            "The performance, likeness or a replica may be reused in sequels, derivative works, libraries or other "
            "productions the performer never agreed to or was paid for.",
            "Fresh written consent and pay for each new project.",
            ["SAG-AFTRA 2023 (other-project consent)", "Sound Recordings Code 2024 (per-project)"],
            "per_project_consent",
        ),
        _g(
            "digital_alteration",
            "clause",
            "medium",
            "Performance may be digitally altered",
            "The producer may alter, manipulate, dub or change the recorded performance beyond customary editing, so "
            "the performer can be shown saying or doing what they never did.",
            "Consent unless the result is substantially as performed; a list of allowed technical fixes.",
            ["SAG-AFTRA 2023 (digital alteration)", "'materially altered' in the CA/NY replica laws"],
            "alteration_consent",
        ),
        _g(
            "objectionable_depiction",
            "clause",
            "medium",
            "Likeness may be used in any manner, without approval",
            "Nothing stops the likeness from being used in sexual, political, derogatory or unrelated endorsement "
            "contexts, and the performer has no approval right.",
            "Excluded categories of use, an approval right, and an objection to derogatory treatment.",
            ["Equity (UK)", "Narrativ ad-category approvals"],
            "excluded_uses_and_approval",
        ),
        _g(
            "replica_compensation_missing",
            "clause or contract",
            "medium",
            "No pay for replica, AI or reuse rights",
            "Replica, AI or reuse rights are covered by the base fee ('no additional compensation', 'buyout') or "
            "granted with no pay term, so new uses earn the performer nothing.",
            "A per-use fee at scale or better, residual-like pay, pension and health contributions.",
            ["SAG-AFTRA 2023 TV/Theatrical", "SAG-AFTRA Interactive Media 2025", "SAG-AFTRA Commercials 2025"],
            "replica_pay",
        ),
        _g(
            "consent_buried_or_bundled",
            "clause",
            "medium",
            "AI/replica consent is buried in the contract",
            "Consent to replica or AI uses is given by signing the whole contract or sits in boilerplate, instead of a "
            "separate, clear and signed rider.",
            "A separately signed, clear and conspicuous AI rider.",
            [
                "SAG-AFTRA 2023",
                "N.Y. Gen. Oblig. Law 5-302",
                "Cal. Lab. Code 927",
                "Sound Recordings Code (no blanket consent)",
            ],
            "separate_ai_rider",
        ),
        _g(
            "consent_conditioned_or_waived",
            "clause",
            "high",
            "Performer waives publicity, privacy or moral rights",
            "The performer gives up publicity, privacy, moral or approval rights, or must consent to AI uses to get "
            "the job, leaving no remedy if their likeness is misused.",
            "Refusal carries no penalty; waivers exclude AI and replica uses.",
            ["Equity (UK): consent cannot be waived"],
            "no_conditioned_consent",
        ),
        _g(
            "no_revocation_or_suspension",
            "clause",
            "medium",
            "Consent cannot be revoked",
            "The licence or consent is irrevocable or survives termination, with no way to stop new uses.",
            "Consent revocable for new material; suspension during union action.",
            ["SAG-AFTRA Interactive Media 2025", "SAG-AFTRA / Replica Studios agreement"],
            "revocation_and_suspension",
        ),
        _g(
            "assignment_sublicensing",
            "clause",
            "medium",
            "Likeness rights may be passed to third parties",
            "The company may assign, transfer or sublicense rights in the likeness, voice or recordings to affiliates, "
            "successors or third parties, including AI developers, without the performer's consent.",
            "Rights personal and non-transferable; no sublicence to AI developers; successors bound by the rider.",
            ["Equity (UK)", "NO FAKES Act draft (not assignable during life)"],
            "no_assignment_to_ai_developers",
        ),
        _g(
            "post_mortem_use",
            "clause",
            "high",
            "Uses may continue after the performer's death",
            "The likeness or replica may be used after the performer dies, binding the estate without its consent or pay.",
            "No posthumous replica without the estate's consent and pay.",
            ["Cal. Civ. Code 3344.1 (AB 1836)", "N.Y. Civ. Rights Law 50-f"],
            "estate_consent",
        ),
        _g(
            "synthetic_substitution",
            "clause",
            "high",
            "Synthetic performers may be built from the performer",
            "The producer may use AI-generated or synthetic performers or voices based on, derived from or 'in the "
            "style of' the performer, replacing them.",
            "No synthetic performer derived from the performer's name or features without consent.",
            ["SAG-AFTRA 2023 (synthetic performers)", "SAG-AFTRA TV Animation 2024"],
            "no_synthetic_from_performer",
        ),
        _g(
            "data_security_deletion_missing",
            "contract",
            "medium",
            "Nothing protects the performer's data",
            "Recordings, scans or voice data are collected or licensed for replica or AI uses, and nothing covers their "
            "storage, security, retention or deletion.",
            "Secure storage, access limits, deletion at the end of the term with written certification.",
            ["Narrativ and Replica Studios agreements", "UK GDPR (Equity)"],
            "data_security_and_deletion",
        ),
        _g(
            "ai_disclosure_missing",
            "contract",
            "low",
            "No notice, reports or labelling of AI uses",
            "AI, replica or synthetic uses are contemplated but nothing requires notice to the performer, usage "
            "reports or labelling of synthetic output.",
            "Notice of each use, usage reports, labelling of synthetic media.",
            ["EU AI Act Art. 50", "SAG-AFTRA Interactive Media 2025"],
            "notice_reports_labelling",
        ),
        _g(
            "silent_broad_legacy_grant",
            "contract",
            "high",
            "Broad grant that says nothing about AI",
            "A broad grant of name, likeness, voice or performance ('all media now known or hereafter devised', "
            "'in perpetuity', 'any and all purposes') with no AI or replica terms could be read to cover AI uses.",
            "An express statement that nothing in the agreement grants replica or training rights without a separate "
            "signed agreement.",
            ["Equity (UK): pre-AI contracts are not AI consent", "Cal. Lab. Code 927"],
            "no_implied_ai_rights",
        ),
        _g(
            "representation_or_minor_gap",
            "contract",
            "medium",
            "Minor, or no counsel or union for replica terms",
            "The performer is a minor, or replica/AI rights are granted with no sign of counsel or union representation, "
            "which the California, New York and Illinois laws look for.",
            "Counsel- or union-negotiated replica terms; a minor's AI licence ends at majority or within 5 years.",
            ["CA/NY/IL counsel-or-union prong", "NO FAKES Act draft (5 years for minors)"],
            "counsel_union_and_minors",
        ),
    ]
}


def raise_severity(severity: str) -> str:
    """One level up (minor performer, deceased person's likeness)."""
    return {"low": "medium", "medium": "high", "high": "high"}[severity]
