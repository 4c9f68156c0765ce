"""Detection on Unicode-normalised text: hidden characters and look-alike letters cannot hide a grant, and every
offset, quote and clause text in the report is still the original document's."""

from __future__ import annotations

import hashlib
import random
import re
import sys
import unicodedata

import pytest
from conftest import CORPUS

from castguard.classify.taxonomy import GAPS
from castguard.ingest import read_document
from castguard.model import Block, Document
from castguard.normalise import LOOKALIKES, _fold_lookalikes, normalise, to_normalised, to_original
from castguard.scan import scan, scan_document

SCAN = sys.modules["castguard.scan"]  # the module (castguard.scan is also the name of the function)

ZW, SHY, CYR_O = "\u200b", "\u00ad", "\u043e"

# the grant of the issue, hidden as the issue describes: zero-width spaces in "voice" and "train", a soft hyphen
# in "artificial" and a Cyrillic "о" in "models" (the readers drop the first two already; the third reaches the
# detector)
GRANT = "Performer grants Company the right to use Performer's voice to train artificial intelligence models."
HIDDEN = (
    f"Performer grants Company the right to use Performer's voi{ZW}ce to tr{ZW}ain "
    f"arti{SHY}ficial intelligence m{CYR_O}dels."
)
# the same grant hidden only with characters the readers keep: Cyrillic "а" and "і", an invisible operator,
# a left-to-right mark and full-width letters
HIDDEN_KEPT = (
    "Performer grants Company the right to use Performer's vo\u0456ce to tr\u0430\u2061in "
    "arti\u200eficial intelligence ｍｏｄｅｌｓ."
)
assert unicodedata.normalize("NFKC", GRANT) == GRANT


def contract_paragraphs(grant: str) -> list[str]:
    """A short but ordinary performer agreement with ``grant`` in its rights clause."""
    return [
        "PERFORMER AGREEMENT",
        "This Performer Agreement (the “Agreement”) is made on 3 March 2025 between Northlight Pictures LLC, "
        "a California limited liability company (“Company”), and Jane Rivera, an individual (“Performer”).",
        "1. Engagement. Company engages Performer to render acting services in the role of “Mara” in the motion "
        "picture currently entitled “Harbor Light” (the “Picture”), and Performer accepts the engagement.",
        "2. Compensation. Company shall pay Performer US$2,500 per week for a guaranteed period of six weeks, "
        "payable weekly in arrears.",
        "3. Rights. Performer grants Company the right to use Performer's name, approved likeness and approved "
        f"biography in the Picture and in advertising for the Picture. {grant}",
        "4. Term. This Agreement begins on the date above and continues until completion of all services "
        "for the Picture.",
        "5. Governing Law. This Agreement is governed by the laws of the State of California.",
        "IN WITNESS WHEREOF, the parties have signed this Agreement on the date first written above.",
    ]


def write_contract(tmp_path, fmt: str, grant: str):
    paragraphs = contract_paragraphs(grant)
    path = tmp_path / f"deal.{fmt}"
    if fmt == "txt":
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    else:
        import docx

        d = docx.Document()
        d.add_heading(paragraphs[0], level=1)
        for p in paragraphs[1:]:
            d.add_paragraph(p)
        d.save(str(path))
    return path


def collapsed(s: str) -> str:
    return " ".join(s.split())


def assert_quote_matches(text: str, quote: str, start: int, end: int) -> None:
    """``quote`` is the original slice at its offsets, whitespace-collapsed, or its start cut with an ellipsis."""
    assert 0 <= start <= end <= len(text)
    whole = collapsed(text[start:end])
    if quote.endswith("…"):
        assert whole.startswith(quote[:-1].rstrip()), (quote, whole)
    else:
        assert quote == whole, (quote, whole)


def assert_verbatim(report) -> None:
    """Every offset, quote and clause text of ``report`` is its document's own."""
    text = report.document.text
    ids = [c.id for c in report.clauses]
    assert set(report.labels) == set(ids)
    for c in report.clauses:
        assert c.text == text[c.start : c.end]
        assert c.page == report.document.page_at(c.start)
        for a, b in c.sentences:
            assert c.start <= a <= b <= c.end
    for item in (*report.findings, *report.protections):
        for e in item.evidence:
            assert e.clause_id in ids
            assert_quote_matches(text, e.quote, e.start, e.end)
            assert e.page == report.document.page_at(e.start)
    if report.scope_evidence:
        a, b = report.scope_evidence
        assert 0 <= a <= b <= len(text)


def quoted(text: str) -> list[str]:
    return re.findall(r"“([^“”]*)”", text)


def assert_quotes_in_explanations_are_verbatim(report) -> None:
    """Quotation marks are not put around words that only the normalised text has."""
    text = collapsed(report.document.text).lower()
    norm = collapsed(normalise(report.document.text)[0]).lower()
    titles = {g.title for g in GAPS.values()}
    for item in (*report.findings, *report.protections):
        for q in quoted(item.explanation):
            q_ = collapsed(q.removesuffix("…")).lower()
            assert q in titles or q_ in text or q_ not in norm, (q, item.explanation)


def without_normalising(monkeypatch) -> None:
    monkeypatch.setattr(SCAN, "normalised_document", lambda doc: (doc, None))


# --------------------------------------------------------------------------- normalise()


def test_ordinary_text_is_returned_unchanged():
    for text in ("", "Plain ASCII text.", "Curly “quotes”, an en dash – and §7 stay as they are.", GRANT):
        norm, origin = normalise(text)
        assert norm is text
        assert list(origin) == list(range(len(text) + 1))


def test_hidden_characters_are_removed_and_mapped():
    norm, origin = normalise(HIDDEN)
    assert norm == GRANT
    assert len(origin) == len(norm) + 1 and origin[-1] == len(HIDDEN)
    for word in ("voice", "train", "artificial", "models"):
        i = norm.index(word)
        s, e = to_original(origin, i, i + len(word))
        assert HIDDEN[s:e].replace(ZW, "").replace(SHY, "").replace(CYR_O, "o") == word
    assert normalise(HIDDEN_KEPT)[0] == GRANT


def test_nfkc_expands_a_ligature_and_maps_both_letters_to_it():
    norm, origin = normalise("the \ufb01lm")
    assert norm == "the film"
    assert list(origin) == [0, 1, 2, 3, 4, 4, 5, 6, 7]
    assert to_original(origin, 4, 8) == (4, 7)  # "film" is the whole of "ﬁlm"
    assert to_original(origin, 5, 6) == (4, 5)  # the "i" alone still points at the ligature
    assert to_original(origin, 3, 3) == (3, 3)
    assert [to_normalised(origin, o) for o in range(8)] == [0, 1, 2, 3, 4, 6, 7, 8]


def test_full_width_letters_and_non_breaking_spaces():
    norm, origin = normalise("ｔｒａｉｎ\u00a0AI\u2003models")
    assert norm == "train AI models"
    assert list(origin) == list(range(16))


def test_spacing_accents_are_left_alone():
    # NFKC turns "´" into a space and a combining accent, which would split "Performer´s" in two
    assert normalise("Performer´s voice")[0] == "Performer´s voice"


@pytest.mark.parametrize(
    "text",
    [
        # the start of a voice-consent statement, as recorded in Russian, Ukrainian, Bulgarian and Greek
        "Я, [имя и фамилия], даю согласие компании [название компании] на использование записей моего голоса "
        "для создания и использования синтетической версии моего голоса. О сор хор: АКМЕ, ТОМ, ОХ.",
        "Я, [ім'я та прізвище], надаю згоду компанії [назва компанії] на використання записів мого голосу.",
        "Аз, [име и фамилия], давам съгласие на [име на компанията] да използва записи на моя глас.",
        "Εγώ, ο/η [όνομα], συναινώ στη χρήση των ηχογραφήσεων της φωνής μου από την [εταιρεία]. ΚΑΙ ΤΟ ΚΕΙΜΕΝΟ.",
        "ΚΑΙ ΤΟ ΚΕΙΜΕΝΟ",  # only look-alikes, and no Latin word anywhere
    ],
)
def test_russian_ukrainian_bulgarian_and_greek_are_left_alone(text):
    norm, origin = normalise(text)
    assert norm is text


def test_look_alikes_are_folded_only_among_latin_words():
    # a word with Latin letters, and a word made only of look-alikes between Latin words
    assert normalise("use \u0410\u0406 to train m\u043edels")[0] == "use AI to train models"
    # a Russian word keeps its letters, and so do the look-alike words next to it
    text = "the words согласие о сор and more"
    assert normalise(text)[0] is text
    # look-alike words with Latin words on both sides, or on one side and nothing on the other, are folded
    assert normalise("and о сор in")[0] == "and o cop in"
    assert normalise("and о сор")[0] == "and o cop"
    # a Russian quotation inside an English contract
    text = "Performer records the statement «Я даю согласие» in Russian."
    assert normalise(text)[0] is text


def test_origin_is_monotonic_and_each_character_comes_from_its_origin():
    rng = random.Random(7)
    alphabet = "ab cd\n.ﬁﬀ" + ZW + SHY + "\u2061\u200e\ufeff" + "ｍｏ" + "аеорсАВЕ" + "ΑΙο" + "…™½" + "дж"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        norm, origin = normalise(text)
        assert len(origin) == len(norm) + 1 and origin[-1] == len(text)
        assert all(a <= b for a, b in zip(origin, list(origin)[1:]))
        assert all(0 <= o < len(text) for o in list(origin)[:-1])
        for i, ch in enumerate(norm):
            src = text[origin[i]]
            made = unicodedata.normalize("NFKC", src)
            assert ch == src or ch in made or LOOKALIKES.get(src) == ch, (text, i)
        # the few-words path and the whole-text path fold the same words
        assert _fold_lookalikes(text, few=1) == _fold_lookalikes(text)


def test_a_megabyte_normalises():
    rng = random.Random(1)
    words = GRANT.split() + ["tr\u0430in", "m\u043edels", f"voi{ZW}ce", "\ufb01lm", "согласие", "о", "ΚΑΙ"]
    text = " ".join(rng.choice(words) for _ in range(160_000))
    assert len(text) > 1_000_000
    norm, origin = normalise(text)
    assert "tr\u0430in" not in norm and ZW not in norm and "согласие" in norm
    assert len(origin) == len(norm) + 1
    i = norm.index("film")
    s, e = to_original(origin, i, i + 4)
    assert text[s:e] == "\ufb01lm"
    plain = GRANT * 10_000
    assert normalise(plain)[0] is plain  # and the quick path for plain text


# --------------------------------------------------------------------------- scanning


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_hidden_grant_is_found_and_quoted_verbatim(tmp_path, fmt):
    path = write_contract(tmp_path, fmt, HIDDEN)
    report = scan(path)
    assert report.in_scope
    assert "ai_training_grant" in {f.gap for f in report.findings}
    # the report is the document as read: its own text and hash, not the normalised text
    doc = read_document(path)
    assert report.document.text == doc.text and report.document.sha256 == doc.sha256
    assert report.document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert f"m{CYR_O}dels" in report.document.text
    assert_verbatim(report)
    assert_quotes_in_explanations_are_verbatim(report)
    grant = next(f for f in report.findings if f.gap == "ai_training_grant")
    assert any(f"m{CYR_O}dels" in e.quote for e in grant.evidence)
    assert "“models”" not in grant.explanation  # the document does not contain "models" in Latin letters


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_characters_the_readers_keep_cannot_hide_a_grant(tmp_path, fmt, monkeypatch):
    path = write_contract(tmp_path, fmt, HIDDEN_KEPT)
    report = scan(path)
    assert "ai_training_grant" in {f.gap for f in report.findings}
    assert_verbatim(report)
    assert_quotes_in_explanations_are_verbatim(report)
    assert "\u2061" in report.document.text  # the evidence quotes the document as it is
    grant = next(f for f in report.findings if f.gap == "ai_training_grant")
    assert any("tr\u0430\u2061in" in e.quote for e in grant.evidence)
    assert "“train”" not in grant.explanation
    clause = next(c for c in report.clauses if c.id in grant.clause_ids)
    assert (clause.number, clause.heading) == ("3.", "Rights")

    without_normalising(monkeypatch)  # the same file read as it is: the grant stays hidden
    assert "ai_training_grant" not in {f.gap for f in scan(path).findings}


def test_clean_contract_report_is_unchanged_by_the_normalising_step(tmp_path, monkeypatch):
    path = write_contract(tmp_path, "txt", GRANT)
    report = scan(path)
    without_normalising(monkeypatch)
    assert scan(path) == report


def test_scan_document_maps_pages_and_raw_hidden_characters_back(tmp_path):
    """A Document made by a caller (not by a reader) can carry zero-width spaces and soft hyphens itself."""
    paragraphs = contract_paragraphs(HIDDEN)
    text, blocks, page_starts = "", [], []
    for i, p in enumerate(paragraphs):
        if i in (0, 4):
            page_starts.append(len(text))
        blocks.append(Block(len(text), len(text) + len(p), page=len(page_starts)))
        text += p + "\n"
    doc = Document("deal.txt", "0" * 64, "txt", text, tuple(blocks), pages=2, page_starts=tuple(page_starts))
    report = scan_document(doc)
    assert report.document is doc
    assert "ai_training_grant" in {f.gap for f in report.findings}
    assert_verbatim(report)
    grant = next(f for f in report.findings if f.gap == "ai_training_grant")
    assert any(f"voi{ZW}ce to tr{ZW}ain arti{SHY}ficial" in e.quote for e in grant.evidence)
    assert {e.page for e in grant.evidence} == {2}
    assert [c.page for c in report.clauses][:2] == [1, 1]


# --------------------------------------------------------------------------- the real corpus

CORPUS_FILES = [
    "cuad_contentlicense_pacificap_henryfilm.txt",  # "…" (NFKC: "...")
    "cuad_endorsement_addendum_gridiron_nflalumni.txt",  # "™" (NFKC: "TM")
    "cuad_sponsorship_newegg_alliedesports.txt",
    "cuad_endorsement_teardropgolf_brettogle.txt",
    "cuad_promotion_vnue_bookingentertainment_music.txt",
]


def disguise(text: str) -> str:
    """Every fifth long word gets a Cyrillic look-alike or an invisible operator, keeping a Latin letter."""
    swap = str.maketrans({"a": "\u0430", "e": "\u0435", "o": "\u043e", "c": "\u0441", "p": "\u0440"})
    n = 0

    def one(m: re.Match) -> str:
        nonlocal n
        n += 1
        w = m.group()
        if n % 10 == 0:
            return w[:2] + "\u2062" + w[2:]
        if n % 5 == 0:
            return w[0] + w[1:].translate(swap)  # the first letter stays Latin
        return w

    return re.sub(r"\b[A-Za-z]{5,}\b", one, text)


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_quotes_are_verbatim_and_disguise_changes_nothing(tmp_path, name):
    path = CORPUS / name
    report = scan(path)
    assert_verbatim(report)
    assert_quotes_in_explanations_are_verbatim(report)

    disguised = tmp_path / name
    disguised.write_text(disguise(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert normalise(read_document(disguised).text)[0] == normalise(read_document(path).text)[0]
    other = scan(disguised)
    assert_verbatim(other)
    assert_quotes_in_explanations_are_verbatim(other)

    def shape(r):
        return (
            r.in_scope,
            r.document_type,
            [c.id for c in r.clauses],
            sorted((f.gap, f.severity, f.clause_ids, round(f.confidence, 3), len(f.evidence)) for f in r.findings),
            sorted((p.gap, p.clause_ids, p.hollowed) for p in r.protections),
        )

    assert shape(other) == shape(report)
