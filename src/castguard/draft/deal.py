"""Deal facts: who, what agreement, where, and the numbers the addendum needs.

Facts come from three places, later ones winning: what the contract itself states (parties, date, title,
governing law, union, minor: :mod:`castguard.facts`, see :func:`contract_facts`), a TOML deal file (``--deal deal.toml``), and CLI options. A required fact
that none of them gives is a :class:`DealError` naming the fact and how to give it, never a blank in an
addendum. A deal file is untrusted input: it is size-limited, parsed by ``tomllib`` (no code, no includes),
and every key and type is checked.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from ..errors import DealError
from ..facts import jurisdiction_for
from ..jurisdictions import JURISDICTIONS

__all__ = ["JURISDICTIONS", "REQUIRED", "Deal", "Fees", "contract_facts", "load_deal", "resolve_deal"]

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

# the deal fields the contract's own facts (castguard.facts) fill, and the fact each comes from
CONTRACT_FIELDS = {
    "performer": "performer",
    "company": "company",
    "agreement_title": "agreement_title",
    "agreement_date": "agreement_date",
    "jurisdiction": "governing_law",
    "union": "union",
    "minor": "minor",
}


def contract_facts(facts) -> dict:
    """The deal values the contract states, from its facts (:mod:`castguard.facts`): the governing law's code
    becomes the jurisdiction of the template set (CA/NY/IL/TN as they are, another US state US, UK, an EU
    state EU, anything else OTHER)."""
    by_name = {f.name: f for f in facts}
    out: dict = {}
    for field_name, fact_name in CONTRACT_FIELDS.items():
        fact = by_name.get(fact_name)
        if fact is None:
            continue
        if field_name == "jurisdiction":
            value = jurisdiction_for(fact.code)
            if value:
                out[field_name] = value
        elif field_name == "minor":
            if fact.value is True:  # a contract that says the performer is an adult leaves the default
                out[field_name] = True
        else:
            out[field_name] = fact.value
    return out
