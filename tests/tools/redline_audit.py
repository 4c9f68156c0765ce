"""An independent audit of a redline: what a lawyer receiving it would check, written from the brief, not
from castguard's redline code.

``audit(redline_bytes, original_path)`` returns a list of problems (empty when the redline is right) and counts:

- no deletion anywhere (the default redline only inserts);
- every inline insertion is a carve-out of the expected form, citing sections of the Addendum that the appended
  rider really has, and naming only terms the rider defines;
- at most one carve-out in any paragraph;
- no carve-out in a heading, a table header row, a recital, a definition, the signature block, a quoted
  statement or question, or after a list introduction (text ending with ":");
- the rider (inserted paragraphs and tables) comes after the whole contract, as one block;
- rejecting every change (an OOXML transform written from the spec) gives back the text castguard read from
  the original; accepting every change gives that text plus the carve-outs plus the rider, nothing else.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from .ooxml_revisions import transform

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CARVE_OUT = re.compile(
    r"^(?:; provided, however, that the foregoing| The foregoing) is subject to (Sections? [\d, and]+?) of the "
    r"Addendum attached hereto, which shall prevail with respect to any (.+?) \(each as defined in that "
    r"Addendum\)\.?$"
)
NARROWED = re.compile(r"^(?:for a term of .{1,30} years?|\d+-year)$")
# what --narrow-grants may strike: a grant's duration, "or hereafter devised", "irrevocable" (with its joining word)
NARROWABLE = re.compile(
    r"(?i)(?:(?:and|&)\s+)?(?:in perpetuity|perpetual|forever|for all time|without (?:any )?limit(?:ation)? (?:of|as to) "
    r"time|irrevocabl[ey](?:,?\s*(?:and)?)?|(?:whether\s+)?(?:or|and|and/or)\s+(?:hereafter|hereinafter|later|"
    r"subsequently|in the future)\s+(?:devised|developed|invented|created|known|existing))"
)
_DEFINITION = re.compile(
    r"^\W*[\"“][^\"”]{1,80}[\"”]\s*(?:\([^)]*\)\s*)?(?:,?\s*as \w+ herein,?\s*)?(?:shall\s+)?means?\b"
)


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _inside(el, tag: str, stop) -> bool:
    anc = el.getparent()
    while anc is not None and anc is not stop:
        if anc.tag == _q(tag):
            return True
        anc = anc.getparent()
    return False


def _para(p) -> dict:
    """Original text, inserted pieces (with the original text before each) and facts of one w:p."""
    original, inserted = [], []
    for el in p.iter(_q("t"), _q("delText"), _q("tab")):
        if _inside(el, "p", p):  # a nested paragraph (text box)
            continue
        text = "\t" if el.tag == _q("tab") else (el.text or "")
        if _inside(el, "ins", p):
            inserted.append(("".join(original), text))
        elif el.tag != _q("delText"):
            original.append(text)
    # adjacent insertions (one w:ins split in runs) are one piece
    merged: list[list[str]] = []
    for before, text in inserted:
        if merged and merged[-1][0] == before:
            merged[-1][1] += text
        else:
            merged.append([before, text])
    ppr = p.find(_q("pPr"))
    style = ""
    if ppr is not None and ppr.find(_q("pStyle")) is not None:
        style = ppr.find(_q("pStyle")).get(_q("val")) or ""
    mark_inserted = ppr is not None and ppr.find(f"{_q('rPr')}/{_q('ins')}") is not None
    runs = [r for r in p.iter(_q("r")) if "".join(t.text or "" for t in r.iter(_q("t"))).strip()]
    bolds = [r.find(f"{_q('rPr')}/{_q('b')}") for r in runs if not _inside(r, "ins", p)]
    bold = bool(bolds) and all(b is not None and b.get(_q("val")) not in ("0", "false") for b in bolds)
    tr = next((a for a in p.iterancestors() if a.tag == _q("tr")), None)
    header_row = False
    if tr is not None:
        rows = [r for r in tr.getparent() if r.tag == _q("tr")]
        header_row = tr.find(f"{_q('trPr')}/{_q('tblHeader')}") is not None or (len(rows) > 1 and rows[0] is tr)
    return {
        "original": "".join(original),
        "inserted": [(b, t) for b, t in merged],
        "style": style,
        "mark_inserted": mark_inserted,
        "bold": bold,
        "header_row": header_row,
        "in_table": tr is not None,
    }


def _words(text: str) -> list[str]:
    bullets = {"\u2022", "\u25e6", "\u25aa", "\uf0b7"}
    return [w for w in text.split() if w not in bullets]


def _forbidden(paras: list[dict], i: int) -> str | None:
    """Why paragraph i must not hold a carve-out, by plain rules of contract layout (None if it may)."""
    para = paras[i]
    text = para["original"].strip()
    words = len(re.findall(r"[A-Za-z]{2,}", text))
    if re.match(r"(?i)heading|title|subtitle", para["style"]) or text.startswith("#"):
        return "heading"
    if para["bold"] and words <= 15:
        return "heading"
    if para["header_row"]:
        return "table header row"
    if para["in_table"] and words < 6:
        return "table cell"
    if re.match(r"(?i)^\s*WHEREAS\b", text):
        return "recital"
    if _DEFINITION.match(re.sub(r"^\s*(?:\(?[a-z0-9.]{1,6}[.)]\s+)", "", text)):
        return "definition"
    if re.match(r"(?i)^\s*(?:IN WITNESS WHEREOF|By\s*:|Name\s*:|Title\s*:|Signature\b|Date\s*:)", text):
        return "signature block"
    if re.match(r"^\s*[\"“].*[\"”][.!?]?\s*$", text) or text.endswith("?"):
        return "quoted statement or question"
    for before, _ in para["inserted"]:
        if before.rstrip().endswith(":"):
            return "after a list introduction"
    # context: recitals before the operative part; the signature block after IN WITNESS WHEREOF
    before = [p["original"].strip() for p in paras[:i]]
    if any(re.match(r"(?i)^\s*IN WITNESS WHEREOF\b", t) for t in before) and not any(
        re.match(r"(?i)^\s*(?:EXHIBIT|SCHEDULE|ANNEX|APPENDIX)\b", t) for t in before[-40:]
    ):
        return "signature block"
    recital_heads = [k for k, t in enumerate(before) if re.match(r"(?i)^\s*(?:RECITALS?|BACKGROUND|WITNESSETH)\W*$", t)]
    if recital_heads:
        after = before[recital_heads[-1] + 1 :]
        if not any(
            re.search(r"(?i)NOW,? THEREFORE|agree[sd]? as follows|^AGREED TERMS$|^\s*1\.?\s", t) for t in after
        ):
            return "recital"
    return None


def _body_text(doc) -> str:
    """The document's body text (its headers, footers, notes and comments are read after it, and untouched)."""
    return "\n".join(doc.text[b.start : b.end] for b in doc.blocks if b.location in ("body", "text box"))


def audit(data: bytes, original_path: str | Path, *, allow_deletions: bool = False) -> tuple[list[str], dict]:
    """(problems, counts) for one redline."""
    from castguard.ingest import read_document

    problems: list[str] = []
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    body = root.find(_q("body"))
    paras = [_para(p) for p in body.iter(_q("p"))]
    dels = [d for d in body.iter(_q("del")) if d.getparent().tag != _q("rPr")]
    if dels and not allow_deletions:
        problems.append(f"{len(dels)} deletion(s): the default redline must only insert")
    for d in dels if allow_deletions else ():
        struck = "".join(t.text or "" for t in d.iter(_q("delText")))
        if not NARROWABLE.fullmatch(struck.strip(" ,")):
            problems.append(f"a deletion of words narrowing does not touch: {struck[:60]!r}")

    # the rider: every inserted paragraph, after the whole contract
    inserted = [k for k, p in enumerate(paras) if p["mark_inserted"]]
    if not inserted:
        problems.append("no rider (inserted paragraphs) appended")
        rider_start = len(paras)
    else:
        rider_start = inserted[0]
        if inserted != list(range(rider_start, len(paras))):
            problems.append("inserted paragraphs are not one block at the end of the contract")
    rider = [p["original"] + "".join(t for _, t in p["inserted"]) for p in paras[rider_start:]]
    rider_text = "\n".join(rider)
    sections = {int(m.group(1)) for t in rider if (m := re.match(r"^\s*(\d+)\.\s+\S", t))}

    carve_outs: list[str] = []
    for k, para in enumerate(paras[:rider_start]):
        pieces = para["inserted"]
        if allow_deletions:  # --narrow-grants: a new term replacing "in perpetuity" is not a carve-out
            pieces = [(b, t) for b, t in pieces if not NARROWED.match(t)]
        if not pieces:
            continue
        if len(pieces) > 1:
            problems.append(f"paragraph {k + 1} has {len(pieces)} insertions (at most one carve-out)")
        for _before, text in pieces:
            carve_outs.append(text)
            m = CARVE_OUT.match(text)
            if not m:
                problems.append(f"paragraph {k + 1}: an insertion that is not a carve-out: {text[:80]!r}")
                continue
            cited = {int(n) for n in re.findall(r"\d+", m.group(1))}
            if not cited or not cited <= sections:
                problems.append(f"paragraph {k + 1}: cites Section(s) {sorted(cited - sections)} the rider lacks")
            for term in re.split(r", | or ", m.group(2)):
                if f"\u201c{term}\u201d" not in rider_text and f'"{term}"' not in rider_text:
                    problems.append(f"paragraph {k + 1}: names {term!r}, which the rider does not define")
        why = _forbidden(paras[:rider_start], k)
        if why:
            problems.append(f"paragraph {k + 1}: carve-out in a {why}: {para['original'][:70]!r}")

    # reject all / accept all with an independent transform, read back by castguard's reader
    original = _body_text(read_document(original_path))
    with tempfile.TemporaryDirectory() as tmp:
        rejected, accepted = Path(tmp) / "rejected.docx", Path(tmp) / "accepted.docx"
        rejected.write_bytes(transform(data, "reject"))
        accepted.write_bytes(transform(data, "accept"))
        back = _body_text(read_document(rejected))
        amended = _body_text(read_document(accepted))
    if _words(back) != _words(original):
        a, b = _words(back), _words(original)
        k = next((n for n, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        problems.append(f"reject all does not give the original text (first difference at word {k}: "
                        f"{' '.join(a[k:k + 6])!r} vs {' '.join(b[k:k + 6])!r})")  # fmt: skip
    # accept all = original + carve-outs + rider: take the rider off the end, the carve-outs out, compare
    first_rider = next((t.strip() for t in rider if t.strip()), "")
    cut = amended.rfind(first_rider) if first_rider else -1
    contract_part = amended[:cut] if cut >= 0 else amended
    for text in carve_outs:
        at = contract_part.find(text.strip())
        if at < 0:
            problems.append(f"accept all lost a carve-out: {text[:60]!r}")
            continue
        contract_part = contract_part[:at] + contract_part[at + len(text.strip()) :]
    if allow_deletions:
        pass  # narrowing changes the grant's words: the deletions were checked one by one above
    elif _words(contract_part) != _words(original):
        a, b = _words(contract_part), _words(original)
        k = next((n for n, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        problems.append("accept all gives more or other text than the original, the carve-outs and the rider "
                        f"(at word {k}: {' '.join(a[k:k + 6])!r} vs {' '.join(b[k:k + 6])!r})")  # fmt: skip
    if cut < 0 or _words(amended[cut:]) != _words("\n".join(rider)):
        problems.append("accept all does not end with the rider, word for word")
    counts = {"carve_outs": len(carve_outs), "rider_sections": len(sections), "deletions": len(dels)}
    return problems, counts
