"""Deal facts against CUAD's own answers: per fact, how often castguard is correct, absent or wrong.

    python benchmarks/facts.py [--corpus ../shared/corpus] [--jobs 2] [--json out.json] [--show wrong|all]

CUAD v1 (The Atticus Project, CC BY 4.0) annotates every contract with its Parties, Agreement Date and
Governing Law (``cuad/master_clauses.csv``, the "-Answer" columns). castguard reads each contract's facts
(``castguard facts``, the same reader a scan uses) and is scored against them:

* company: correct when it is one of CUAD's parties (names compared without case, punctuation or company
  suffixes such as Inc./LLC/Ltd; a name that is the other's leading words, either way round, also matches);
* agreement date: correct when it is the same calendar date as CUAD's answer;
* governing law: correct when its code is the code of (one of) CUAD's answer(s) (NY, UK, EU-DE, CHN, ...);
* performer (the 13 in-scope CUAD contracts only): correct when it is the person ``data/real_gold.json``
  names for the contract (``person``), or absent when the gold says no single person is named or the person
  is not a party.

Where CUAD has no answer: castguard absent too is correct; a value is counted as "unverified" (listed with
--show all so it can be read). Wrong means a value that differs from CUAD's; absent means no value where
CUAD has one. Targets (issue 14) on the in-scope real contracts: performer and company correct >= 95%,
governing law >= 95%, agreement date >= 90%, wrong <= 2% for every fact.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import json
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

OUTCOMES = ("correct", "absent", "wrong", "unverified")


def _one(path: str) -> dict:
    from castguard.errors import CastguardError
    from castguard.facts import facts_of_document
    from castguard.ingest import read_document

    try:
        facts = facts_of_document(read_document(path))
    except CastguardError as exc:
        return {"file": Path(path).name, "error": str(exc)}
    return {"file": Path(path).name, "facts": {f.name: {"value": f.value, "code": f.code} for f in facts}}


# --------------------------------------------------------------------------- CUAD's answers

_SUFFIXES = {
    "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "lp", "llp", "plc",
    "sa", "ag", "gmbh", "na", "the", "nv", "bv", "pty", "pc", "pa", "lllp", "spa", "kk", "sl", "srl",
}  # fmt: skip


def norm_name(name: str) -> str:
    name = re.sub(r"\([^)]*\)|[\"“”]", " ", name)
    name = name.lower().replace("&", " and ")
    name = re.sub(r"\b(?:d/b/a|dba|f/s/o|a/k/a)\b.*$", " ", name)
    words = re.sub(r"[^\w\s]", " ", name).split()
    words = [w for w in words if w not in _SUFFIXES]
    return " ".join(words)


def names_match(ours: str, gold: str) -> bool:
    a, b = norm_name(ours), norm_name(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    aw, bw = a.split(), b.split()
    shorter, longer = (aw, bw) if len(aw) <= len(bw) else (bw, aw)
    n = len(shorter)
    if n >= 2 and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1)):
        return True  # "Stallings Capital Group Consultants" vs "... Consultants dba Bob Stallings Racing"
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8  # CUAD's own typos: "Mount Kowledge", "Pifzer"


def gold_parties(answer: str) -> list[str]:
    out = []
    for part in re.split(r";|\n", answer):
        part = part.strip()
        if not part:
            continue
        name = re.split(r"\s*[(\"“]", part, maxsplit=1)[0].strip(" ,")
        if name:
            out.append(name)
    return out


def gold_date(answer: str) -> dt.date | None:
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*", answer or "")
    if not m:
        return None
    y = int(m.group(3))
    y = y + (2000 if y < 50 else 1900) if y < 100 else y
    try:
        return dt.date(y, int(m.group(1)), int(m.group(2)))
    except ValueError:
        return None


def gold_law_codes(answer: str) -> set[str]:
    from castguard.facts.places import place_code

    codes = set()
    for part in re.split(r";", answer or ""):
        part = re.sub(r"^\s*(?:the\s+)?(?:State|Commonwealth|Province|Republic)\s+of\s+", "", part.strip(), flags=re.I)
        if not part or "[" in part:
            continue
        code = place_code(part)
        if code is None:
            # "Ontario, Canada", "England, United Kingdom", "Virginia, Texas": each comma part
            pieces = [p.strip() for p in part.split(",") if p.strip()]
            found = [place_code(p) for p in pieces if place_code(p)]
            if found and all(f == found[0] for f in found) or len(found) == 1:
                code = found[0]
            elif found:
                codes.update(found)
                continue
        if code:
            codes.add(code)
    return codes


def _stem(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.rsplit(".", 1)[0].lower())


def load_cuad(corpus: Path) -> dict[str, dict]:
    """file name in corpus/cuad -> CUAD's row for it."""
    csv.field_size_limit(10**9)
    with open(corpus / "cuad" / "master_clauses.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_stem = {_stem(r["Filename"]): r for r in rows}
    out = {}
    with open(corpus / "cuad" / "FILES.tsv", encoding="utf-8", newline="") as fh:
        for f in csv.DictReader(fh, delimiter="\t"):
            row = by_stem.get(_stem(f["source_path"].rsplit("/", 1)[-1]))
            if row is not None:
                out[f["file"]] = row
    return out


# --------------------------------------------------------------------------- the performer gold


def gold_performer(person: str | None) -> tuple[str | None, str]:
    """(expected name or None for "absent is right", why) from data/real_gold.json's ``person``."""
    if not person:
        return None, "no person"
    low = person.lower()
    if re.search(r"not named|unnamed|not a party|each driver|drivers|playmates|models", low):
        return None, "the gold names no single person who is a party or introduced as one"
    # the leading name, a nickname in brackets included: "Joseph (Joe) Theismann", "Michael T. Murray, N.D."
    m = re.match(r"(?:[A-Z][\w.'’-]*|\([A-Z][a-z]+\))(?:\s+(?:[A-Z][\w.'’-]*|\([A-Z][a-z]+\)))*", person)
    return (m.group(0) if m else person), ""


def performer_matches(ours: str, gold: str) -> bool:
    def words(s):
        s = re.sub(r",?\s+(?:Jr|Sr|N\.D|M\.D|Ph\.D|Esq|II|III)\.?$", "", s.strip())  # credentials, suffixes
        s = re.sub(r"\((\w+)\)", r"\1", s)  # "Joseph (Joe) Theismann": the nickname is a name too
        return [w for w in re.sub(r"[^\w\s]", " ", s.lower()).split() if w not in {"dr", "mr", "ms", "nd", "md"}]

    o, g = words(ours), words(gold)
    return bool(o) and o[-1] == g[-1] and set(o) <= set(g)


# --------------------------------------------------------------------------- scoring


def score(value, gold, match) -> str:
    if gold in (None, "", set()):
        return "correct" if value in (None, "") else "unverified"
    if value in (None, ""):
        return "absent"
    return "correct" if match(value, gold) else "wrong"


def evaluate(results: list[dict], cuad: dict[str, dict], in_scope: dict[str, str | None]) -> dict:
    from castguard.facts import parse_date

    rows = []
    for r in results:
        row = cuad.get(r["file"])
        if row is None or "facts" not in r:
            continue
        f = r["facts"]
        company = (f.get("company") or {}).get("value")
        date_value = (f.get("agreement_date") or {}).get("value")
        law_code = (f.get("governing_law") or {}).get("code")
        parties = gold_parties(row["Parties-Answer"])
        gdate = gold_date(row["Agreement Date-Answer"])
        gcodes = gold_law_codes(row["Governing Law-Answer"])
        out = {
            "file": r["file"],
            "in_scope": r["file"] in in_scope,
            "company": (company, parties, score(company, parties, lambda v, g: any(names_match(v, p) for p in g))),
            "agreement_date": (
                date_value,
                gdate.isoformat() if gdate else None,
                score(date_value, gdate, lambda v, g: parse_date(v) == g),
            ),
            "date_note": _date_note(date_value, row),
            "governing_law": (
                (f.get("governing_law") or {}).get("value"),
                sorted(gcodes),
                score(law_code, gcodes, lambda v, g: v in g),
            ),
            "performer_stated": (f.get("performer") or {}).get("value"),
            "performer_entity": (f.get("performer_entity") or {}).get("value"),
            "law_code": law_code,
        }
        if r["file"] in in_scope:
            expected, why = gold_performer(in_scope[r["file"]])
            value = out["performer_stated"]
            if expected is None:
                outcome = "correct" if value is None else "wrong"
            else:
                outcome = "absent" if value is None else ("correct" if performer_matches(value, expected) else "wrong")
            out["performer"] = (value, expected or why, outcome)
        rows.append(out)
    return {"rows": rows}


def _date_note(value, row) -> str | None:
    """Why a date CUAD calls wrong may still be the contract's: CUAD's own excerpt says our date (its answer
    is a typo), or our date is the effective date the opening states (CUAD's Agreement Date is another one,
    usually a signature date)."""
    from castguard.facts import parse_date

    ours = parse_date(value) if value else None
    if ours is None:
        return None
    excerpt = [parse_date(x) for x in re.findall(r"'([^']+)'", row.get("Agreement Date") or "")]
    if ours in excerpt:
        return "CUAD's answer contradicts its own excerpt"
    if gold_date(row.get("Effective Date-Answer") or "") == ours:
        return "the effective date the opening states (CUAD's Agreement Date is another date)"
    return None


def table(rows: list[dict], facts: tuple[str, ...]) -> list[str]:
    lines = ["| fact | contracts | correct | absent | wrong | unverified |", "|---|---:|---:|---:|---:|---:|"]
    for fact in facts:
        outcomes = [r[fact][2] for r in rows if fact in r]
        n = len(outcomes)
        if not n:
            continue
        cells = [f"{outcomes.count(o)} ({100 * outcomes.count(o) / n:.1f}%)" for o in OUTCOMES]
        lines.append(f"| {fact.replace('_', ' ')} | {n} | " + " | ".join(cells) + " |")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--show", choices=("wrong", "all", "none"), default="wrong")
    ap.add_argument("--only-in-scope", action="store_true", help="read only the in-scope contracts (fast)")
    args = ap.parse_args(argv)
    if not (args.corpus / "cuad" / "master_clauses.csv").exists():
        print(f"no CUAD annotations at {args.corpus / 'cuad' / 'master_clauses.csv'}", file=sys.stderr)
        return 2
    cuad = load_cuad(args.corpus)
    gold_docs = json.loads((ROOT / "data" / "real_gold.json").read_text(encoding="utf-8"))["documents"]
    in_scope = {
        d["file"].split("/", 1)[1]: d.get("person")
        for d in gold_docs
        if d["file"].startswith("cuad/") and d["in_scope"]
    }
    files = sorted(str(p) for p in (args.corpus / "cuad").glob("*.txt"))
    if args.only_in_scope:
        files = [f for f in files if Path(f).name in in_scope]
    t = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(_one, files, chunksize=4))
    seconds = time.perf_counter() - t
    errors = [r for r in results if "error" in r]
    rows = evaluate(results, cuad, in_scope)["rows"]
    scoped = [r for r in rows if r["in_scope"]]
    out = [
        f"CUAD contracts read: {len(results)} ({len(errors)} unreadable), with CUAD answers: {len(rows)}; "
        f"{seconds:.0f} s with {args.jobs} job(s)",
        "",
        f"In-scope real contracts (data/real_gold.json, CUAD, in scope): {len(scoped)}",
        "",
        *table(scoped, ("performer", "company", "agreement_date", "governing_law")),
    ]
    if not args.only_in_scope:
        stated = [r for r in rows if not r["in_scope"] and r["performer_stated"]]
        out += [
            "",
            f"All CUAD contracts with answers: {len(rows)}",
            "",
            *table(rows, ("company", "agreement_date", "governing_law")),
            "",
            f"Out-of-scope CUAD contracts where a performer (natural person) is stated: {len(stated)} of "
            f"{len(rows) - len(scoped)} (listed with --show all)",
        ]
    notes = {}
    for r in rows:
        if r["agreement_date"][2] == "wrong" and r["date_note"]:
            notes[r["date_note"]] = notes.get(r["date_note"], 0) + 1
    if notes:
        out += ["", "Agreement dates counted wrong above, read one by one:"]
        out += [f"- {n}: {why}" for why, n in sorted(notes.items(), key=lambda t: -t[1])]
    print("\n".join(out))
    if args.show != "none":
        print()
        for r in rows:
            for fact in ("performer", "company", "agreement_date", "governing_law"):
                if fact not in r:
                    continue
                value, gold, outcome = r[fact]
                if outcome in ("wrong",) or args.show == "all" and outcome != "correct":
                    note = f"  ({r['date_note']})" if fact == "agreement_date" and r["date_note"] else ""
                    print(
                        f"{outcome.upper():10} {fact:15} {r['file'][:70]}\n{'':27}ours: {value!r}\n{'':27}CUAD: {gold!r}{note}"
                    )
            if args.show == "all" and not r["in_scope"] and r["performer_stated"]:
                print(f"{'PERFORMER':10} {'(out of scope)':15} {r['file'][:70]}: {r['performer_stated']!r}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "seconds": seconds}, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
