"""Contracts and terms written in French, read by the French rules (classify/french.py).

The real case is Facebook's terms in French (an excerpt, tests/corpus/regress_tos_french_facebook.txt), which
castguard once reported as not read. The written cases (tests/fixtures/french/) are a legacy image-and-voice
authorisation, an AI voice consent that protects the performer, and an IT services contract that engages no one.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT, scan_text

from castguard.cli import cli
from castguard.report import gap_checklist, summary_text
from castguard.scan import scan

FRENCH = ROOT / "tests" / "fixtures" / "french"
UNCHECKED = {
    "replica_use_unspecified",
    "data_security_deletion_missing",
    "ai_disclosure_missing",
    "representation_or_minor_gap",
}


def gaps(report) -> set[str]:
    return {f.gap for f in report.findings}


def test_facebook_terms_in_french_are_read():
    """The two gaps the labels call required (the name and profile photo next to ads, with no approval; a
    transferable, sub-licensable licence of the user's content), the licence that ends on deletion as a protection,
    and no training or replica gap: the excerpt never speaks of AI."""
    report = scan(CORPUS / "regress_tos_french_facebook.txt")
    assert report.in_scope and report.language == "French"
    assert report.scope_reason.startswith("read in French: the person (“vous”) grants rights in “votre nom”")
    assert {"objectionable_depiction", "assignment_sublicensing"} <= gaps(report)
    assert not gaps(report) & {"ai_training_grant", "replica_creation_grant", "silent_broad_legacy_grant"}
    assert {f.detector for f in report.findings} == {"rules.fr.v1"}
    licence = next(f for f in report.findings if f.gap == "assignment_sublicensing")
    assert "vous nous accordez une licence non exclusive, transférable, sous-licenciable" in licence.evidence[0].quote
    ends = {p.gap: p for p in report.protections}
    assert "La licence prend fin lorsque votre contenu est supprimé" in ends["unbounded_term_scope"].evidence[0].quote
    # the user's own duty ('Vous devez obtenir une autorisation écrite de notre part ... pour modifier') is no gap
    quotes = [e.quote for f in report.findings for e in f.evidence]
    assert not any("Vous devez obtenir une autorisation" in q for q in quotes)
    # the report says what the French rules do not check, in the checklist and a warning
    status = {row["gap"]: row["status"] for row in gap_checklist(report)}
    assert {g for g, s in status.items() if s == "not_checked"} == UNCHECKED - {"data_security_deletion_missing"}
    assert status["data_security_deletion_missing"] == "protected"  # 'sera supprimé si vous supprimez votre compte'
    assert any(w.startswith("read in French") and "Have a person read it" in w for w in report.document.warnings)
    assert "leaves them exposed" in summary_text(report)


def test_a_voice_talents_consent_in_french():
    """The Azure statement's French locales (real): 'les enregistrements de ma voix seront utilisés par [nom de
    l'entreprise] pour créer et utiliser une version synthétique de ma voix'. As the English statement's labels say:
    a replica is made and a model trained on the voice, and no pay is stated; the statement is itself the separate
    consent."""
    report = scan(CORPUS / "regress_voiceconsent_french_azure.txt")
    assert report.in_scope and report.document_type == "release_or_consent"
    assert report.scope_reason.startswith("read in French: a “version synthétique” is made from the material of")
    assert gaps(report) == {"ai_training_grant", "replica_creation_grant", "replica_compensation_missing"}
    assert {p.gap for p in report.protections} == {"consent_buried_or_bundled"}


def test_a_legacy_image_and_voice_authorisation_in_french():
    report = scan(FRENCH / "autorisation_image_voix_comedien.txt")
    assert report.in_scope
    assert report.scope_reason.startswith("read in French: Claire Montel (“L'Artiste”) grants rights in “son image”")
    assert gaps(report) == {
        "unbounded_term_scope",  # tous supports connus ou inconnus à ce jour ... toute la durée de protection
        "reuse_other_projects",  # dans toute autre production du Producteur
        "digital_alteration",  # modifier et adapter la prestation de l'Artiste, notamment par montage
        "consent_conditioned_or_waived",  # renonce à tout recours
        "no_revocation_or_suspension",  # La présente autorisation est consentie à titre irrévocable
        "assignment_sublicensing",  # céder tout ou partie des droits ... à tout tiers
        "silent_broad_legacy_grant",  # broad, and not a word of AI
    }
    broad = next(f for f in report.findings if f.gap == "silent_broad_legacy_grant")
    assert broad.kind == "contract" and "sur tous supports connus ou inconnus" in broad.evidence[0].quote
    # 'Tout litige relatif à son interprétation' is the contract's interpretation, not the actress's performance
    assert not any("litige" in e.quote for f in report.findings for e in f.evidence)


def test_the_same_authorisation_as_a_word_file(tmp_path):
    """The DOCX path (python-docx writes it, castguard reads it back) reads the same French."""
    from docx import Document

    text = (FRENCH / "autorisation_image_voix_comedien.txt").read_text(encoding="utf-8")
    doc = Document()
    for para in text.split("\n\n"):
        doc.add_paragraph(para.strip())
    path = tmp_path / "autorisation.docx"
    doc.save(path)
    assert gaps(scan(path)) == gaps(scan(FRENCH / "autorisation_image_voix_comedien.txt"))


def test_an_ai_voice_consent_in_french_protects():
    """A separate consent, a named project, no training beyond it without written consent, three years, withdrawal
    at any time, destruction at the end: every protection is recognised and no gap raised."""
    report = scan(FRENCH / "consentement_voix_synthese.txt")
    assert report.in_scope and report.findings == ()
    assert {p.gap for p in report.protections if not p.hollowed} == {
        "ai_training_grant",
        "replica_creation_grant",
        "unbounded_term_scope",
        "reuse_other_projects",
        "no_revocation_or_suspension",
        "data_security_deletion_missing",
    }


def test_a_french_services_contract_engages_no_one():
    """'citer son nom et son logo à titre de référence commerciale' is a company's name; the transfer of rights in
    deliverables 'sur tous supports connus ou inconnus' is no person's; the AI tools are the supplier's."""
    report = scan(FRENCH / "contrat_prestation_informatique.txt")
    assert not report.in_scope and report.findings == () and report.protections == ()
    assert report.scope_reason.startswith("read in French: no sentence grants")


def test_a_general_ai_tools_terms_in_french_are_out_of_scope(tmp_path):
    """Licensing 'votre contenu' (prompts and outputs) to an AI service engages no one's likeness: as for English
    terms, an AI tool's terms about nothing but AI are out of scope, with no findings."""
    text = (
        "Conditions d'utilisation du service. Les présentes conditions sont conclues entre vous et la société. "
        "Vous nous accordez une licence sur votre contenu, c'est-à-dire vos requêtes et les réponses générées, pour "
        "fournir le service. Le service repose sur des modèles d'intelligence artificielle. Nous pouvons utiliser "
        "votre contenu pour entraîner et améliorer nos modèles d'IA, sauf si vous vous y opposez dans vos "
        "paramètres. Les réponses de l'IA peuvent être inexactes et vous devez les vérifier. Vous ne devez pas "
        "utiliser l'intelligence artificielle du service pour développer des modèles concurrents. "
        "Nous vous répondrons dans les meilleurs délais pour toute question sur ces conditions.\n"
    )
    report = scan_text(tmp_path, text, "conditions.txt")
    assert report.language == "French" and not report.in_scope and report.findings == ()
    assert "general AI or software tool" in report.scope_reason


PREAMBLE = (
    "Les présentes conditions sont conclues entre vous et la société. Elles décrivent les services que nous vous "
    "fournissons et les règles que vous acceptez en les utilisant. Lorsque vous publiez sur le service, vous nous accordez une licence pour héberger et afficher vos photos et vos vidéos aux personnes de "
    "votre choix. Vous pouvez à tout moment nous écrire pour toute question sur ces conditions, et nous vous "
    "répondrons dans les meilleurs délais. "
)


@pytest.mark.parametrize(
    "sentence,raised,protected",
    [
        ("Nous pouvons utiliser vos contenus pour entraîner nos modèles d'intelligence artificielle.",
         {"ai_training_grant", "consent_buried_or_bundled", "replica_compensation_missing"}, set()),
        ("Nous n'utilisons pas vos contenus pour entraîner nos modèles d'intelligence artificielle.",
         set(), {"ai_training_grant"}),
        ("Vos contenus ne seront jamais utilisés pour entraîner des modèles d'IA sans votre consentement.",
         set(), {"ai_training_grant"}),
        # 'entraîner' also means to entail: without an AI term it trains nothing
        ("La suppression de votre compte entraîne un transfert de vos informations au nouveau propriétaire.",
         set(), set()),
        # the user's duty is neither a gap nor a protection
        ("Vous ne devez pas modifier ou céder à des tiers les contenus des autres utilisateurs.", set(), set()),
        ("Nous pouvons créer un avatar numérique à partir de vos photos et de vos vidéos.",
         {"replica_creation_grant", "consent_buried_or_bundled", "replica_compensation_missing"}, set()),
        ("Vous renoncez à vos droits moraux sur vos contenus.", {"consent_conditioned_or_waived"}, set()),
        ("Vous nous accordez une licence perpétuelle et irrévocable sur votre image et votre voix.",
         {"unbounded_term_scope", "no_revocation_or_suspension", "silent_broad_legacy_grant"}, set()),
        ("Vous pouvez retirer votre consentement à tout moment depuis vos paramètres.", set(),
         {"no_revocation_or_suspension"}),
        ("Nous pouvons afficher votre nom et votre photo de profil dans des publicités, sans rémunération.",
         {"objectionable_depiction", "replica_compensation_missing"}, set()),
        ("Nous pouvons afficher votre nom et votre photo de profil dans des publicités, sous réserve de votre accord.",
         set(), {"objectionable_depiction"}),
        ("Nous pouvons céder les présentes conditions à toute société de notre groupe.",
         {"assignment_sublicensing"}, set()),
        ("Vous ne pouvez pas céder vos droits au titre des présentes sans notre accord préalable.", set(), set()),
        ("Si vous supprimez votre compte, nous supprimerons vos contenus dans un délai de 30 jours.", set(),
         {"data_security_deletion_missing"}),
        ("Nous utilisons des systèmes d'intelligence artificielle pour détecter les contenus contraires à nos règles.",
         set(), set()),
        ("Vous garantissez que les personnes figurant dans vos vidéos ont consenti à l'utilisation de leur image.",
         set(), set()),
        ("Nous n'utiliserons pas votre voix pour créer une voix de synthèse sans votre consentement exprès.", set(),
         {"replica_creation_grant"}),
        ("Si une entité intente une action en votre nom, ce litige sera résolu exclusivement aux États-Unis.", set(),
         set()),
    ],
    ids=[
        "may-train",
        "we-do-not-train",
        "never-without-consent",
        "entraine-means-entails",
        "user-duty",
        "avatar",
        "moral-rights-waiver",
        "perpetual-irrevocable",
        "withdraw-consent",
        "ads-unpaid",
        "ads-with-approval",
        "we-may-assign-the-terms",
        "user-may-not-assign",
        "deleted-in-30-days",
        "ai-moderation-grants-nothing",
        "user-warranty",
        "no-synthetic-voice-without-consent",
        "on-your-behalf-in-the-us",
    ],
)
def test_french_sentences(tmp_path, sentence, raised, protected):
    report = scan_text(tmp_path, PREAMBLE + sentence + "\n", "conditions.txt")
    assert report.in_scope and report.language == "French"
    assert gaps(report) == raised
    assert {p.gap for p in report.protections if not p.hollowed} == protected


def test_no_english_addendum_or_redline_for_a_french_contract(tmp_path):
    for command in ("draft", "redline"):
        out = tmp_path / f"{command}.docx"
        result = CliRunner().invoke(
            cli, [command, str(FRENCH / "autorisation_image_voix_comedien.txt"), "-o", str(out), "--jurisdiction", "EU"]
        )
        assert result.exit_code == 2, result.output
        assert "[E400]" in result.output and "written in French" in result.output and "castguard scan" in result.output
        assert not out.exists()


def test_a_spanish_contract_is_still_not_read():
    report = scan(ROOT / "tests" / "fixtures" / "contrato_es.txt")
    assert not report.in_scope and report.findings == ()
    assert report.scope_reason.startswith("not read: the text is in Spanish")
    assert "was not read" in summary_text(report)


def test_the_checklist_shows_not_checked_in_every_view():
    from castguard.report.html import render_html
    from castguard.report.markdown import render_markdown
    from castguard.report.table import render_table

    report = scan(FRENCH / "autorisation_image_voix_comedien.txt")
    assert "not checked" in render_table(report)
    assert "not checked" in render_markdown(report)
    assert "Not checked (French rules)" in render_html(report)
