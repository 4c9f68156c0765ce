"""Deal facts: who, what agreement, where, and the numbers the addendum needs.

Facts come from three places, later ones winning: what the contract itself states (parties, date, title;
see :func:`facts_from_contract`), a TOML deal file (``--deal deal.toml``), and CLI options. A required fact
that none of them gives is a :class:`DealError` naming the fact and how to give it, never a blank in an
addendum. A deal file is untrusted input: it is size-limited, parsed by ``tomllib`` (no code, no includes),
and every key and type is checked.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

import tomllib

from ..errors import DealError

__all__ = ["JURISDICTIONS", "REQUIRED", "Deal", "Fees", "facts_from_contract", "load_deal", "resolve_deal"]

JURISDICTIONS = ("CA", "NY", "IL", "TN", "US", "EU", "UK", "OTHER")
REPRESENTATION = ("counsel", "union", "none", "")
REQUIRED = ("performer", "company", "agreement_title", "agreement_date", "jurisdiction")
MAX_DEAL_BYTES = 64 * 1024
MAX_VALUE_CHARS = 400
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Fees:
    replica_session: str = ""
    per_use: str = ""
    training: str = ""
    reuse: str = ""


@dataclass(frozen=True)
class Deal:
    performer: str = ""
    company: str = ""
    agreement_title: str = ""
    agreement_date: str = ""
    jurisdiction: str = ""
    addendum_date: str = ""
    union: str = ""
    minor: bool = False
    representation: str = ""
    counsel: str = ""
    term_years: int = 5
    territory: str = ""
    notice_hours: int = 48
    deletion_days: int = 30
    currency: str = "USD"
    fees: Fees = field(default_factory=Fees)

    def to_context(self) -> dict:
        """Plain data for the templates (dicts, strings, numbers: nothing a sandboxed template can abuse)."""
        return asdict(self)

    def missing(self) -> list[str]:
        return [name for name in REQUIRED if not str(getattr(self, name)).strip()]


_INT_LIMITS = {"term_years": (1, 99), "notice_hours": (1, 24 * 365), "deletion_days": (1, 3650)}
_DEAL_KEYS = {f.name: f for f in fields(Deal) if f.name != "fees"}
_FEE_KEYS = {f.name for f in fields(Fees)}
HOW_TO_GIVE = {
    "performer": '--performer NAME or performer = "..." in the deal file',
    "company": '--company NAME or company = "..." in the deal file',
    "agreement_title": '--agreement-title TEXT or agreement_title = "..." in the deal file',
    "agreement_date": '--agreement-date DATE or agreement_date = "..." in the deal file',
    "jurisdiction": "--jurisdiction " + "|".join(JURISDICTIONS) + ' or jurisdiction = "..." in the deal file',
}


def _check_value(name: str, value, source: str):
    """One deal value, type- and content-checked; returns it normalised."""
    if name == "minor":
        if not isinstance(value, bool):
            raise DealError(f"'{name}' must be true or false, not {value!r}", path=source)
        return value
    if name in _INT_LIMITS:
        lo, hi = _INT_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise DealError(f"'{name}' must be a whole number from {lo} to {hi}, not {value!r}", path=source)
        return value
    if not isinstance(value, str):
        raise DealError(f"'{name}' must be text in quotes, not {type(value).__name__}", path=source)
    value = value.strip()
    if len(value) > MAX_VALUE_CHARS:
        raise DealError(f"'{name}' is longer than {MAX_VALUE_CHARS} characters; shorten it", path=source)
    if _CONTROL.search(value) or "\n" in value:
        raise DealError(f"'{name}' contains a line break or control character; give it on one line", path=source)
    if name == "jurisdiction":
        value = value.upper()
        if value not in JURISDICTIONS:
            raise DealError(f"'jurisdiction' must be one of {', '.join(JURISDICTIONS)}, not {value!r}", path=source)
    if name == "representation" and value.lower() not in REPRESENTATION:
        raise DealError("'representation' must be counsel, union or none", path=source)
    if name == "representation":
        value = value.lower()
    if name == "addendum_date" and value:
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            raise DealError(f"'addendum_date' must be an ISO date (YYYY-MM-DD), not {value!r}", path=source) from None
    return value


def _check_table(table: dict, source: str) -> dict:
    """Validated overrides from a parsed deal file: {field: value}, fees as a Fees-compatible dict."""
    out: dict = {}
    for key, value in table.items():
        if key == "fees":
            if not isinstance(value, dict):
                raise DealError("'fees' must be a table: [fees] with replica_session, per_use, ...", path=source)
            unknown = sorted(set(value) - _FEE_KEYS)
            if unknown:
                raise DealError(
                    f"unknown key(s) in [fees]: {', '.join(unknown)}; allowed: {', '.join(sorted(_FEE_KEYS))}",
                    path=source,
                )
            out["fees"] = {k: _check_value(f"fees.{k}", v, source) for k, v in value.items()}
        elif key in _DEAL_KEYS:
            out[key] = _check_value(key, value, source)
        else:
            allowed = ", ".join(sorted([*_DEAL_KEYS, "fees"]))
            raise DealError(f"unknown key '{key}' in the deal file; allowed: {allowed}", path=source)
    return out


def load_deal(path: str | Path) -> dict:
    """Read a TOML deal file; returns the validated overrides it gives.

    The facts may sit at the top level or under ``[deal]``; fees under ``[fees]`` (or ``[deal.fees]``).
    """
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DealError(f"cannot read the deal file ({exc.strerror})", path=source) from None
    if size > MAX_DEAL_BYTES:
        raise DealError(f"the deal file is {size} bytes; a deal file is at most {MAX_DEAL_BYTES}", path=source)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise DealError("the deal file is not UTF-8 text; save it as UTF-8", path=source) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DealError(f"the deal file is not valid TOML ({exc}); see the example in README.md", path=source) from None
    if "deal" in data:
        deal = data.pop("deal")
        if not isinstance(deal, dict):
            raise DealError("[deal] must be a table of facts", path=source)
        if "fees" in data and "fees" not in deal:
            deal["fees"] = data.pop("fees")
        if data:
            raise DealError(f"unknown table or key(s) outside [deal]: {', '.join(sorted(data))}", path=source)
        data = deal
    return _check_table(data, source)


def resolve_deal(
    contract_facts: dict, file_overrides: dict | None = None, cli_overrides: dict | None = None, *, source: str = ""
) -> Deal:
    """Merge the three sources (contract < deal file < CLI), validate, and insist on the required facts."""
    merged: dict = {}
    fees: dict = {}
    for layer, where in (
        (contract_facts, source),
        (file_overrides or {}, "deal file"),
        (cli_overrides or {}, "options"),
    ):
        for key, value in layer.items():
            if value is None:
                continue
            if key == "fees":
                fees.update({k: v for k, v in value.items() if v is not None})
            else:
                merged[key] = _check_value(key, value, where) if where != source else value
    deal = Deal(**merged, fees=Fees(**fees))
    if not deal.addendum_date:
        deal = replace(deal, addendum_date=_dt.date.today().isoformat())
    missing = deal.missing()
    if missing:
        how = "; ".join(f"{name}: {HOW_TO_GIVE[name]}" for name in missing)
        raise DealError(
            f"missing deal fact(s) {', '.join(missing)}: the contract does not state them clearly; give {how}",
            path=source or None,
        )
    return deal


# --------------------------------------------------------------------------- what the contract says

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DATE = (
    rf"(?:(?:{_MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:day of )?(?:{_MONTHS}),? \d{{4}}"
    rf"|the \d{{1,2}}(?:st|nd|rd|th)? day of (?:{_MONTHS}),? \d{{4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
_DATED = re.compile(
    rf"(?:\b(?:dated|effective|made|entered into|executed|signed)\b[^.\n]{{0,40}}?|\bDate\b[\s:*|]*)({_DATE})",
    re.I,
)
_ROLE = re.compile(r"\(\s*(?:the\s+|hereinafter\s+)?[\"“]([A-Z][\w .&'’-]{1,30})[\"”]\s*\)")
_TITLE_WORDS = re.compile(r"\b(?:AGREEMENT|CONTRACT|RELEASE|LICEN[CS]E|TERMS|DEAL MEMO|ADDENDUM|RIDER)\b", re.I)
PERFORMER_ROLES = {
    "performer", "artist", "talent", "model", "athlete", "actor", "actress", "player", "vocalist", "musician",
    "creator", "influencer", "host", "narrator", "participant", "presenter", "voice actor", "endorser", "celebrity",
    "personality", "singer", "dancer", "comedian", "contributor", "subject", "releasor", "speaker", "guest", "you",
}  # fmt: skip
_COMPANY_ROLES = {
    "company", "studio", "producer", "brand", "client", "photographer", "publisher", "developer", "label",
    "network", "station", "agency", "sponsor", "licensee", "licensor", "employer", "production company",
}  # fmt: skip
_NOT_PARTIES = {"agreement", "effective date", "guardian", "parent", "parties", "party", "term", "territory"}
_CORPORATE = re.compile(
    r"\b(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Co|Company|GmbH|plc|LLP|LP|S\.A|AG|Records|Pictures|Studios?|"
    r"Productions?|Entertainment|Media|Interactive|Group|Network|Agency|Association|University)\b\.?"
)


def _title_case(text: str) -> str:
    if text.isupper():
        small = {"and", "of", "the", "for", "to", "in", "on", "a", "an", "with"}
        words = text.lower().split()
        return " ".join(w if (w in small and i) else w[:1].upper() + w[1:] for i, w in enumerate(words))
    return text


_DESCRIPTOR = re.compile(
    r",?\s+(?=(?:an?|the|whose|of|with|having|incorporated|located|residing|c/o|professionally|p/k/a|f/s/o|"
    r"acting|on behalf)\b)|,\s*$",
    re.I,
)
_CONNECTORS = {"of", "and", "&", "de", "van", "von", "der", "la", "le", "d/b/a", "dba", "f/k/a", "t/a", "du", "da"}
_LEAD = re.compile(r"^(?:\(\d+\)|\d+\.|[-*>#|]+)\s*")
_BLOCK_STOP = re.compile(r"^(?:and|between|by and between|parties|between the parties)\W*$|:\s*$|[\"“][)]", re.I)


def _clean_name(candidate: str) -> str:
    candidate = _LEAD.sub("", candidate.strip())
    candidate = re.sub(r"\s+of\s*:?$", "", candidate)
    name = _DESCRIPTOR.split(candidate, maxsplit=1)[0].strip(' ,:;"“”*')
    if not re.search(r"\b(?:Inc|Co|Ltd|Corp|Jr|Sr|L\.L\.C|S\.A)\.$", name, re.I):
        name = name.rstrip(".")
    words = name.split()
    if any(w[:1].islower() and w not in _CONNECTORS for w in words):
        # "**Grant.** I irrevocably grant to Lumen Studio LLC": keep the trailing run of capitalised words
        tail: list[str] = []
        for w in reversed(words):
            if w[:1].isupper() or w in _CONNECTORS and tail:
                tail.append(w)
            else:
                break
        while tail and tail[-1] in _CONNECTORS:
            tail.pop()
        name = " ".join(reversed(tail))
    if not name or len(name.split()) > 10 or not name[:1].isupper() or name.startswith(("I ", "The ", "This ")):
        return ""
    if name.isupper() and len(name) > 3:
        name = " ".join(
            w
            if w in {"LLC", "LLP", "LTD", "PLC", "II", "III"} or len(w) <= 2 and w.endswith(".")
            else w[:1] + w[1:].lower()
            for w in name.split()
        )
        name = re.sub(r"\bLtd\b", "Ltd", name.replace("LTD", "Ltd"))
    return name


def _party_name(head: str, role_start: int) -> str:
    """The name a "(\"Role\")" definition belongs to: on its own line, or the first line of its address block."""
    line_start = head.rfind("\n", 0, role_start) + 1
    same_line = head[line_start:role_start].strip().strip(",")
    if same_line:
        # "... by and between KESTREL ATHLETICS, INC., an Oregon corporation": after the last between/and
        parts = re.split(r"\b(?:between|and)\s+(?=[A-Z(])", same_line)
        return _clean_name(parts[-1])
    lines = head[:line_start].rstrip("\n").split("\n")
    block: list[str] = []
    for line in reversed(lines):
        text = line.strip()
        if re.match(r"\(\d+\)\s", text):  # "(1) BRIGHTWAVE AUDIO LTD, incorporated ... at:" opens its party
            block.append(text)
            break
        if not text or _BLOCK_STOP.search(text) and block:
            break
        if _BLOCK_STOP.search(text) and not block and text.endswith(":") and not re.match(r"\(\d+\)", text):
            break
        block.append(text)
    return _clean_name(block[-1]) if block else ""


_LABELLED = re.compile(
    r"^[\s*|>#-]*(?P<role>[A-Z][A-Za-z ]{1,20}?)[\s*]*(?::|\|)[\s*]*(?P<name>[A-Z][^|\n]{1,80}?)[\s*|]*$", re.M
)


def facts_from_contract(text: str) -> dict:
    """What the contract itself states: title, date, performer and company (each None when unclear), and
    ``minor`` when the performer signs as a minor."""
    head = text[:6000]
    facts: dict = {"agreement_title": None, "agreement_date": None, "performer": None, "company": None}
    # a performer who signs through a parent or guardian is a minor (--adult overrides)
    if re.search(r"\ba minor\b|\bminor performer\b|\bparent (?:and|or) (?:legal )?guardian\b", head, re.I):
        facts["minor"] = True
    for line in head.split("\n")[:15]:
        line = line.strip().strip("#*").strip()
        if 4 <= len(line) <= 130 and _TITLE_WORDS.search(line) and not line.lower().startswith("this "):
            facts["agreement_title"] = _title_case(line)
            break
    m = _DATED.search(head)
    if m:
        facts["agreement_date"] = m.group(1)
    performer = company = None
    for m in _ROLE.finditer(head):
        role = m.group(1).strip()
        if role.lower() in _NOT_PARTIES:
            continue
        name = _party_name(head, m.start())
        if not name or len(name) > 120 or name.lower() in ("this agreement", "the agreement"):
            continue
        before = head[max(0, m.start() - 200) : m.start()]
        is_person = role.lower() in PERFORMER_ROLES or re.search(
            r"\ban individual\b|\ba minor\b|\bprofessionally known as\b|p/k/a", before, re.I
        )
        if not is_person and role.lower() not in _COMPANY_ROLES and not _CORPORATE.search(name):
            continue  # ("Episodes"), ("Picture"): a defined term, not a party
        if is_person and not _CORPORATE.search(name) and performer is None:
            performer = name
        elif not is_person and company is None and name != performer:
            company = name
    if performer is None or company is None:
        # a cover sheet: "**Performer:** Renata Solis", "| Model | Aaliyah Brandt |"
        for m in _LABELLED.finditer(head[:3000]):
            role, name = m.group("role").strip().lower(), _clean_name(m.group("name"))
            if not name or name.lower().startswith(("the ", "this ")):
                continue
            if performer is None and role in PERFORMER_ROLES and not _CORPORATE.search(name):
                performer = name
            elif company is None and role in _COMPANY_ROLES and name != performer:
                company = name
    facts["performer"], facts["company"] = performer, company
    return facts
