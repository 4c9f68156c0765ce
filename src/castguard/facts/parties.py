"""Who the parties are: the performer (a natural person), a loan-out company that furnishes them, and the
company that receives the rights.

The parties are read from the statement that names them ("... by and between X, a Delaware corporation
(\"Sponsor\"), and Jane Doe, an individual (\"Talent\")"; a "PARTIES" block; a cover sheet "Performer: ..."),
each with the words that define it. A name must look like a name: an address, a defined term, a heading, a
signature-line label, a "Name: ____" placeholder or a blank is never a party. A person who is not a party is
the performer only when the recitals introduce them as the person whose name or services the deal is about
("WHEREAS, Brett Ogle (\"Ogle\") is recognized ... as an expert golfer") or the party furnishes them
("T&B Seminars, Inc. f/s/o Tarek El Moussa"). A letter agreement's "you" is the person it is addressed to.
The company is the party that receives the rights: the other party when the performer is one, else the one the
contract says receives them (its role, "grants to", "desires to obtain"); an agent acting for a principal is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..vocabulary import CORPORATE_NAME_WORDS, GRANTEE_ROLES, GRANTOR_ROLES, GUARDIAN_ROLES, PERFORMER_ROLES
from .places import place_code
from .text import clean, title_case

__all__ = ["Party", "PartyFacts", "find_parties"]

_NOT_PARTY_TERMS = {
    "agreement", "effective date", "parties", "party", "term", "territory", "date", "amendment", "this agreement",
    "recitals", "exhibit", "schedule", "products", "product", "services", "website", "site", "network site",
    "property", "contract", "execution date", "commencement date", "closing", "closing date", "confidential information",
    "addendum", "deal memo", "terms", "license", "licence", "marks", "trademarks", "content", "materials",
}  # fmt: skip
_PLACEHOLDER = re.compile(r"_{2,}|\[[^\]]*\]|\.{3,}|…|\bX{3,}\b|<[^>]*>|\{[^}]*\}|\bTBD\b|\bTBA\b", re.I)
_LABEL_WORDS = {
    "name", "by", "its", "title", "signature", "signed", "date", "print name", "printed name", "witness", "address",
    "attn", "attention", "email", "e-mail", "phone", "telephone", "fax", "facsimile", "agreed", "accepted",
    "accepted and agreed", "agreed and accepted", "authorized signatory", "notary", "dated",
}  # fmt: skip
_STREET = re.compile(
    r"\b(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Drive|Dr\.|Lane|Ln\.?|Way|Court|Ct\.?|Plaza|"
    r"Suite|Ste\.?|Floor|Fl\.?|Circle|Place|Pl\.?|Parkway|Pkwy\.?|Highway|Hwy\.?|Box|Square|Sq\.?|Terrace|"
    r"Building|Bldg\.?|Apt\.?|Apartment|Unit|Flat|Room|Tower|Center|Centre|Park|Row|Crescent|Close|Mews|"
    r"Quay|Wharf|Yard|Hill|Bend|Commons)\b"
)
_CORPORATE = re.compile(rf"(?<![\w-])(?:{CORPORATE_NAME_WORDS})\b\.?|\.com\b|\.net\b|\.org\b", re.I)
_CORPORATE_CS = re.compile(rf"(?<![\w-])(?:{CORPORATE_NAME_WORDS})\b\.?|\.com\b|\.net\b|\.org\b")
_SUFFIX_AFTER_COMMA = re.compile(
    r",\s*(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Co|Company|L\.?P|LLP|L\.L\.P|N\.?A|plc|"
    r"S\.?A|AG|GmbH|B\.?V|N\.?V|S\.?p\.?A|Pty|K\.?K|S\.?L|S\.?r\.?l|SE|AB|A/S|Oy|SAS|SARL|P\.?C|P\.?A|Jr|Sr|II|"
    r"III|IV|N\.?D|M\.?D|Ph\.?D|Esq|D\.?D\.?S|CPA)\b\.?",
    re.I,
)
_ENTITY_DESC = re.compile(
    r"\b(?:corporation|company|partnership|limited\s+liability|l\.?l\.?c|trust|association|bank|entity|"
    r"organi[sz]ation|institution|society|foundation|university|fund|authority|agency|municipal|government|"
    r"co-?operative|incorporated|registered\s+(?:office|number|in)|company\s+number|statutory|business\s+trust|"
    r"sole\s+proprietorship|joint\s+venture|limited\s+company|public\s+company|corporate|GmbH|ltd)\b",
    re.I,
)
_PERSON_DESC = re.compile(
    r"\b(?:an?\s+individual|a\s+minor|residing|resident\s+of|born|date\s+of\s+birth|"
    r"professionally\s+known\s+as|p/k/a|a\s+natural\s+person|an\s+adult|social\s+security|"
    r"(?:his|her)\s+(?:principal\s+)?(?:residence|address)|(?:his|her)\s+individual\s+capacity)\b",
    re.I,
)
_HONORIFIC = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Sir|Dame|Prof|Professor|Hon|Rev)\.?"
_NAME_WORD = r"(?:[A-Z][a-zA-Z'’-]*[a-z][a-zA-Z'’-]*|[A-Z]{2,}(?:[-'’][A-Z]+)?|[A-Z]\.|[A-Z][a-z]?\.)"
_CONNECT = r"(?:de|del|della|der|den|van|von|da|di|du|la|le|el|El|bin|ibn|al|Al|St\.|ten|ter|dos|das|y)"
_PERSON_NAME = re.compile(
    rf"^(?:{_HONORIFIC}\s+)?{_NAME_WORD}(?:\s+(?:[\"“(][A-Z][a-z]+[\"”)]|{_CONNECT}|{_NAME_WORD})){{1,5}}"
    r"(?:,?\s+(?:Jr|Sr|II|III|IV|N\.D|M\.D|Ph\.D|Esq|D\.D\.S|CPA)\.?)?$"
)


@dataclass(frozen=True)
class Party:
    name: str  # as it will be used: title-cased when the contract writes it in capitals
    start: int  # the name in the document text
    end: int
    role: str | None  # the defined term, "Sponsor"
    quote_start: int  # the name and the words that define it
    quote_end: int
    kind: str  # person | entity | unknown
    description: str = ""  # the words after the name (lower case, one line)
    furnishes: tuple[str, int, int] | None = None  # "f/s/o Tarek El Moussa": (name, start, end)


@dataclass
class PartyFacts:
    parties: list[Party] = field(default_factory=list)
    performer: tuple | None = None  # (value, start, end, quote_start, quote_end, confidence)
    performer_entity: tuple | None = None
    company: tuple | None = None
    minor: tuple | None = None  # (True, quote_start, quote_end, confidence)
    statement: tuple[int, int] | None = None  # where the statement of the parties is


# --------------------------------------------------------------------------- names

_CUT = re.compile(
    r"\s*\("  # a parenthesis: the role, or "(hereinafter ...)"
    r"|\s*[\"“]"  # a quoted term after the name
    r"|,?\s+an?\s+(?=\S)"  # ", a Delaware corporation", " an individual"
    r"|,\s+the\s+"
    r"|,\s*(?=\d)"  # ", 2450 White Road"
    r"|\s+(?:having|with|whose|located|residing|resident|organi[sz]ed|incorporated|existing|duly|c/o|care\s+of|"
    r"doing\s+business|d/b/a|dba|f/s/o|fso|for\s+the\s+services\s+of|furnishing|p/k/a|professionally|acting|"
    r"on\s+behalf|hereinafter|herein|trading\s+as|t/a|which|who|registered|address(?:ed)?|principal|at|"
    r"through|by\s+its|represented|as\s+(?:agent|trustee|successor)|under\s+the|for\s+itself|whereas|and\s+its)\b"
    r"|\s+(?=\d{1,6}[A-Za-z]?\s+(?-i:(?:[NSEW]\.?\s+)?[A-Z][a-z]))"  # "Xencor, Inc. 111 W. Lemon Ave."
    r"|\s+(?=\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Za-z]+\s+){1,3}(?:street|st|avenue|ave|road|rd|boulevard|blvd|"
    r"drive|dr|lane|ln|way|plaza|parkway|pkwy|highway|hwy|court|ct|place|pl|circle|square|suite)\b)"  # "320 NEVADA STREET"
    r"|\s+Page\s+\d"
    r"|\s+of\s*(?::|$|(?=\d)|\n)"  # "OWEN TREMLETT of:"
    r"|\s+of\s+(?=c/o|(?:Flat|Unit|Suite|Apartment|Apt|Floor|House|Room|Building|PO\s+Box|P\.O\.)\b|\d)"
    r"|:\s"
    r"|;",
    re.I,
)


def _cut_name(text: str) -> tuple[int, int]:
    """(start, end) of the name at the beginning of ``text`` (after leading punctuation/enumeration)."""
    lead = re.match(r"[\s:;,*#|>_-]*(?:\(\s*\d+\s*\)|\(\s*[a-z]\s*\)|\d+\.(?!\d)|[ivx]+\))?[\s:;,*#|>_-]*", text)
    s = lead.end() if lead else 0
    # a comma that is not followed by a company or person suffix ends the name: "Prolong Super Lubricants, Anaheim"
    limit = len(text)
    m = _CUT.search(text, s)
    if m and m.start() > s:
        limit = m.start()
    elif m and m.start() == s and text[s : s + 1] in '"“(':
        # a name in quotes is a defined term, not a name
        return s, s
    pos = s
    while True:
        c = text.find(",", pos, limit)
        if c < 0:
            break
        sm = _SUFFIX_AFTER_COMMA.match(text, c)
        if sm:
            pos = sm.end()
            continue
        limit = c
        break
    # a line break ends the name when the next line is an address, a description or a parenthesis
    nl = text.find("\n", s, limit)
    while nl >= 0:
        nxt = text[nl + 1 : nl + 60].lstrip(" \t")
        if (
            not nxt
            or re.match(r"(?:\d|\(|c/o|care of|attn|p\.?\s?o\.?\s+box|[a-z])", nxt, re.I)
            or _STREET.search(nxt[:40])
            or re.search(r"\d", nxt[:30])
        ):
            limit = nl
            break
        nl = text.find("\n", nl + 1, limit)
    e = limit
    while e > s and text[e - 1] in " \t\n,;:*_|":
        e -= 1
    return s, e


def _strip_trailing_period(name: str) -> str:
    if name.endswith(".") and not re.search(
        r"(?:\b(?:Inc|Co|Corp|Ltd|Jr|Sr|L\.L\.C|S\.A|N\.A|N\.V|B\.V|L\.P|P\.C|P\.A|K\.K|S\.p\.A|Pty|Esq|Bros|"
        r"N\.D|M\.D|Ph\.D|D\.C)|\b[A-Z])\.$",
        name,
        re.I,
    ):
        return name[:-1]
    return name


_FUNCTION_WORDS = {
    "and", "or", "between", "among", "by", "with", "of", "the", "to", "from", "parties", "party", "whereas",
    "witnesseth", "recitals", "and:", "between:", "hereto", "herein", "as", "follows",
}  # fmt: skip
_NAME_CONNECTORS = {
    "of", "and", "the", "for", "de", "du", "van", "von", "la", "le", "&", "y", "da", "di", "del", "der", "den", "et",
    "a", "an", "in", "on", "at", "by", "d/b/a", "dba", "und", "fur", "für", "zu", "e", "do", "dos", "das",
}  # fmt: skip


def valid_name(name: str) -> bool:
    """A name a person would write as a party: never an address, a placeholder, a label or a defined term."""
    if not name or len(name) > 120 or len(name.split()) > 12:
        return False
    if sum(c.isalpha() for c in name) < 2 or _PLACEHOLDER.search(name):
        return False
    low = name.lower().strip(" .:")
    if low in _FUNCTION_WORDS:
        return False
    if re.match(
        r"(?:\d+(?:\.\d+)+\.?\s|exhibit|schedule|annex|appendix|article|section|clause|by|if|or|to|when|where|"
        r"upon|subject|pursuant|for|in|on|at|with|from|party\s+[a-z0-9]\b|www\.|https?:)",
        low,
    ):
        return False  # "1.1 The Company", "Exhibit 1.1", "By Downloading ...", "Party A", a web address
    if place_code(name):
        return False  # "England and Wales", "Wales": a place, not a party
    if re.search(
        r"\bExchange\s+Commission\b|\bInternal\s+Revenue\b|\bDeposit\s+Insurance\b|\bOffice\s+of\s+Thrift\b", name
    ):
        return False  # a regulator named in passing, never a party to a private agreement
    if re.search(r"\d+\s+\d+|\d+\.\s+[A-Z]|www\.|\.com\.\s", name):
        return False  # a table of contents: "Survival 36 24. Governing Law 36"
    if re.search(r"\b(?:Inc|LLC|Ltd|Corp|Co|GmbH|plc|L\.P|LLP)\.?,?\s+(?:and|&)\s+[A-Z]", name, re.I):
        return False  # "RadialSpark, LLC and Clear Capital": two parties, not one name
    lower_words = [
        w for w in name.split()
        if w[:1].islower() and w.lower() not in _NAME_CONNECTORS and not re.search(r"[A-Z.]|\d", w[1:])
    ]  # fmt: skip
    if lower_words:
        return False  # "Distribute the program, file or video ...": words, not a name
    if low in _LABEL_WORDS or low in _NOT_PARTY_TERMS or low in PERFORMER_ROLES or low in GRANTEE_ROLES:
        return False
    if low in GRANTOR_ROLES or low in GUARDIAN_ROLES or low in {"you", "we", "us", "i", "me", "the undersigned"}:
        return False
    first = low.split()[0]
    if first in {"these", "those", "our", "your", "their"}:
        return False
    if first in {"the", "this", "that", "such", "each", "any", "all", "said", "both", "either", "its", "his", "her"}:
        rest = low.split(None, 1)[1] if " " in low else ""
        if first != "the" or not rest or rest in PERFORMER_ROLES | GRANTEE_ROLES | GRANTOR_ROLES | _NOT_PARTY_TERMS:
            return False
        capitalised = [w for w in name.split()[1:] if w[:1].isupper()]
        if not _CORPORATE.search(name) and (first != "the" or len(capitalised) < 2 or name.split()[0] != "The"):
            return False  # "The Bank of New York", "The Victory Portfolios" are names; "the Production" a term
    if re.match(r"\d+[A-Za-z]?\s+\w", name) and _STREET.search(name):
        return False  # "455 Mercer Plaza"
    if re.search(r"\d{5}(?:-\d{4})?\b", name):  # a ZIP code
        return False
    if re.match(r"(?:agreement|contract|dated|between|whereas|recitals?|witnesseth|now|article|section)\b", low):
        return False
    if re.search(
        r"\b(?:agreement|release|contract|addendum|amendment|rider|terms\s+(?:and\s+conditions|of\s+(?:service|use))|form)\b",
        low,
    ) and not (re.search(r"\b(?:Inc|LLC|Ltd|Limited|Corp|Corporation|GmbH|plc|LLP)\.?$", name, re.I)):
        return False  # "MODEL RELEASE -- ADULT OR MINOR": a title, not a party
    if "--" in name or "—" in name:
        return False
    if not name[0].isupper() and not name[0].isdigit():
        word = name.split()[0]
        if not (any(c.isupper() for c in word) or "." in word or "-" in word):
            return False  # "drkoop.com", "eFashion", "bw-3" stay; "party of the first part" goes
    return True


_NOT_PERSON = re.compile(
    r"\b(?:Agreement|Manual|Systems?|Systemes|Transaction|Program|Plan|Policy|Schedule|Exhibit|Annex|Addendum|"
    r"Amendment|Terms|Orthopaedics|Review|Operations|Premier|Trust|Estate|Project|Products?|Series|Event|Festival|"
    r"Tour|Championship|Cup|Games|Show|Awards?|Prize|Collection|Brand|Line|Store|Center|Centre|Site|Website|"
    r"Platform|Service|Services|Portal|Software|Application|App|Device|Unit|Facility|Plant|Field|Property|"
    r"Territory|Region|Area|District|Province|State|County|City|Street|Road|Avenue|One|Two|Three|Capital|Partners|"
    r"Holdings|Fund|Bank|Act|Code|Law|Rules|Regulations|Committee|Board|Council|Office|Department|Party|Parties)\b"
)


def looks_like_person(name: str) -> bool:
    """A natural person's name: two to six words of a personal name, with no company word in it."""
    if re.match(r"(?:the|a|an)\s", name, re.I):
        return False
    if any(re.search(r"[a-z][A-Z]", w) and not re.match(r"(?:Mc|Mac|De|Di|La|Le|Van|Von|Da|Du|O['’])[A-Z]", w)
           for w in name.split()):  # fmt: skip
        return False  # "ArtStation", "eFashion": a brand's spelling, not a person's
    if (
        _CORPORATE.search(name)
        or _NOT_PERSON.search(name)
        or any(ch.isdigit() for ch in name)
        or "&" in name
        or "/" in name
    ):
        return False
    return bool(_PERSON_NAME.match(name))


def _surname_match(role: str | None, name: str) -> bool:
    """("Auriemma") for GENO AURIEMMA, ("Dr. Murray") for Michael T. Murray: the role is the person's name."""
    if not role:
        return False
    role_words = [w.strip(".").lower() for w in role.split() if w.strip(".").lower() not in
                  {"dr", "mr", "mrs", "ms", "miss", "sir", "prof"}]  # fmt: skip
    name_words = {w.strip('.,"“”()').lower() for w in name.split()}
    return bool(role_words) and all(w in name_words for w in role_words)


# --------------------------------------------------------------------------- the party statement

_OPENER = re.compile(
    r"\b(?:by\s+and\s+(?:between|among)|between|among|made\s+by|entered\s+into\s+by|BETWEEN|AMONG)\b\s*:?"
    r"|(?m:^[ \t*#]*(?:THE\s+)?PART(?:IES|Y)\b[ \t*#]*:?[ \t*]*$)",
    re.I,
)
_STOP = re.compile(
    r"\bWHEREAS\b|\bWhereas\b|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H|\bRECITALS?\b|(?m:^\s*Recitals?\b)|\bBACKGROUND\b|"
    r"(?m:^\s*Background\b)|\bNOW,?\s+THEREFORE\b|\bNow,?\s+[Tt]herefore\b|\bIN\s+CONSIDERATION\b|"
    r"\bagree(?:s|d)?\s+as\s+follows\b|\bAGREED\s+TERMS\b|\bIT\s+IS\s+AGREED\b|"
    r"(?m:^\s*(?:ARTICLE|Article|SECTION|Section)\s+(?:1|I|ONE)\b)|(?m:^\s*1\.\s+[A-Z])|\s{2,}1\.\s+[A-Z][A-Za-z]+"
    r"|[.]\s*\n\s*\n|\.\s+(?=(?:The|This|These|Capitalized|Each|In|For|Such|All|Any|Unless)\s)"
    r"|(?m:^\s*[A-Z][A-Z ]{3,40}\s*$)(?<!AND)(?<!BETWEEN)(?<!PARTIES)"
)
_ROLE_DEF = re.compile(r"\((?P<inner>[^()]{1,260})\)")
_ROLE_TERM = re.compile(r"[\"“”']\s*(?P<term>[^\"“”]{1,50}?)\s*(?:[\"“”]|$)")
_SEPARATOR = re.compile(
    r"(?:^|[\s,;])(?:and|AND|And)\b\s*:?|;|\(\s*\d+\s*\)|\n\s*(?=\(?\d+[.)]\s)"
    r"|\bacting\s+as\s+(?:an?\s+)?agent\s+(?:for|of)\b|\b(?:for\s+and\s+)?on\s+behalf\s+of\b"
)
_ROLE_LEAD = re.compile(
    r"^\s*(?:(?:the|this|each\s+a|hereinafter|herein(?:after)?\s+(?:referred\s+to\s+as|called)|referred\s+to\s+as|"
    r"hereinafter\s+(?:to\s+be\s+)?referred\s+to\s+as|to\s+be\s+referred\s+to\s+as|also\s+referred\s+to\s+as|"
    r"called|known\s+as|together\s+with\s+its\s+affiliates,?|individually\s+and\s+collectively|"
    r"hereafter(?:\s+referred\s+to\s+as)?)\s+)*",
    re.I,
)


def _role_of(inner: str) -> str | None:
    """The defined term a parenthesis gives a party: ("Sponsor"), (the "Company"), (hereinafter Sabco)."""
    text = " ".join(inner.split())
    if re.match(r"\s*(?:each|both|collectively|individually|together|as\s+defined|as\s+amended|including|which|"
                r"the\s+date|a\s|an\s|see\s|\d)", text, re.I) and not re.match(r"\s*each\s+a\s+[\"“]", text, re.I):  # fmt: skip
        return None
    as_role = re.fullmatch(r"\s*as\s+(?:the\s+)?([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,2})\s*", text)
    if as_role:  # "(as Company)"
        term = as_role.group(1)
        return None if term.lower() in _NOT_PARTY_TERMS else term
    lead = _ROLE_LEAD.match(text)
    rest = text[lead.end() :] if lead else text
    m = _ROLE_TERM.match(rest) or _ROLE_TERM.search(rest[:60])
    if not m:  # "(on behalf of itself and its Affiliates, individually and collectively referred to as "Bellicum")"
        far = re.search(r"(?:referred\s+to\s+as|called|known\s+as)\s+(?:the\s+)?[\"“](?P<term>[^\"”]{1,50})[\"”]", rest)
        m = far
    if m:
        term = m.group("term").strip(" ,.;")
    else:
        if not lead or not lead.group(0).strip():
            return None
        m2 = re.match(r"([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3})\s*$", rest)
        if not m2:
            return None
        term = m2.group(1)
    term = re.sub(r"^(?:the|The|THE)\s+", "", term)
    if re.search(
        r"\b(?:Services|Products|Software|Fees?|Price|Term|Territory|Materials|Content|Marks|Data|Program|"
        r"Website|Site|Shares|Units|Securities|Notes|Plan|Policy|Period|Event|Series)\b",
        term,
    ):
        return None  # ("Due Diligence Services"), ("Licensed Marks"): a defined thing, not a party
    if not term or term.lower() in _NOT_PARTY_TERMS or re.search(r"agreement|effective|date\b|amendment", term, re.I):
        return None
    return term


def _descriptor_after(text: str, pos: int, limit: int) -> str:
    """Words describing a party after its role: "), an individual", ") a Canada corporation"."""
    chunk = text[pos : min(limit, pos + 160)]
    m = re.search(r"(?:^|[\s,;])and\s+(?=[A-Z(\"“])|;|\(", chunk)
    return chunk[: m.start()] if m else chunk


def _parties_in(text: str, lo: int, hi: int) -> list[Party]:
    """The parties of one party statement ``text[lo:hi]`` (from just after its "between")."""
    parties: list[Party] = []
    prev = lo
    defs = [m for m in _ROLE_DEF.finditer(text, lo, hi)]
    for i, m in enumerate(defs):
        role = _role_of(m.group("inner"))
        if role is None:
            continue
        chunk_start = prev
        chunk = text[chunk_start : m.start()]
        if parties or prev != lo:
            # after an earlier party: this one starts after the first "and" / ";" / "(2)" that a name follows
            start = None
            for sep in _SEPARATOR.finditer(chunk):
                after = chunk[sep.end() :]
                # "and its Reseller, Schoolpop, Inc.": the role a party plays, then its name
                lead = re.match(r"\s*(?:its|their|the|our)\s+[A-Za-z-]+(?:\s+[A-Za-z-]+)?,\s*(?=[A-Z0-9])", after)
                skip = lead.end() if lead else 0
                s, e = _cut_name(after[skip:])
                candidate = clean(after[skip + s : skip + e])
                if e > s and (valid_name(candidate) or candidate.lower() == "you"):
                    start = sep.end() + skip
                    break
            if start is None:
                # a second parenthesis of the same party ("Client," which shall include ...) or a description
                continue
            chunk_start += start
            chunk = text[chunk_start : m.start()]
        if not parties and prev == lo:
            # a title "AGREEMENT BETWEEN A AND B" before the statement itself: the last "between" opens it
            last = None
            for last in re.finditer(r"\b(?:by\s+and\s+)?(?:between|among)\b\s*:?", chunk, re.I):
                pass
            if last is not None:
                chunk_start += last.end()
                chunk = text[chunk_start : m.start()]
        s, e = _cut_name(chunk)
        officer = re.match(
            r",?\s*(?:the\s+)?(?:director|president|chief\s+executive\s+officer|ceo|officer|managing\s+director|"
            r"general\s+manager|owner|principal|authori[sz]ed\s+(?:representative|signatory)|representative|agent)\s+"
            r"(?:of|for)\s+",
            chunk[e:],
            re.I,
        )
        if officer:  # "Mitchell Vitalis, director of Mitchell's Web Advance, PLC": the party is the company
            s2, e2 = _cut_name(chunk[e + officer.end() :])
            s, e = e + officer.end() + s2, e + officer.end() + e2
        raw = text[chunk_start + s : chunk_start + e]
        name = _strip_trailing_period(clean(raw))
        prev = m.end()
        if name.lower() == "you" and (role or "").lower() in PERFORMER_ROLES:
            addressee = _addressee(text)
            if addressee is not None:  # a letter agreement: "you" is the person it is addressed to
                who, ws, we = addressee
                parties.append(Party(who, ws, we, role, ws, we, "person", "an individual"))
            continue
        if not valid_name(name):
            continue
        name_start = chunk_start + s
        name_end = name_start + len(raw.rstrip())
        described = (text[name_end : m.start()] + " " + _descriptor_after(text, m.end(), hi)).lower()
        described = " ".join(described.split())
        furnishes = None
        fso = re.search(
            r"\b(?:f/s/o|fso|for\s+the\s+services\s+of|furnishing\s+the\s+services\s+of)\s+"
            r"(?P<who>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,4})",
            text[name_end : m.start()],
        )
        if fso:
            who = _strip_trailing_period(clean(fso.group("who")))
            if looks_like_person(who):
                ws = name_end + fso.start("who")
                furnishes = (title_case(who), ws, ws + len(fso.group("who")))
        kind = _kind(name, role, described)
        parties.append(
            Party(title_case(name), name_start, name_end, role, name_start, m.end(), kind, described, furnishes)
        )
    if len(parties) == 1 and prev < hi:
        # "by and between Go Call, Inc. (herein "Go Call") located at ... and PageMaster Corporation located at":
        # the last party named without a role of its own, when its name is plainly a company's
        tail = text[prev:hi]
        for sep in _SEPARATOR.finditer(tail):
            after = tail[sep.end() :]
            s, e = _cut_name(after)
            name = _strip_trailing_period(clean(after[s:e]))
            if (
                e > s
                and valid_name(name)
                and re.search(
                    r"\b(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Company|"
                    r"GmbH|plc|PLC|AG|S\.A|N\.V|B\.V|LLP|L\.P)\b",
                    name,
                )
            ):
                ns = prev + sep.end() + s
                parties.append(Party(title_case(name), ns, ns + (e - s), None, ns, ns + (e - s), "entity", ""))
                break
    return parties


def _kind(name: str, role: str | None, described: str) -> str:
    person_desc = bool(_PERSON_DESC.search(described))
    entity_desc = bool(_ENTITY_DESC.search(described))
    if _CORPORATE_CS.search(name) or re.search(r"\b(?:Inc|LLC|Ltd|Corp|GmbH|plc)\b", name, re.I):
        return "entity"
    if entity_desc and not (person_desc and re.search(r"\ban?\s+individual\b|\ba\s+minor\b", described)):
        return "entity"
    if looks_like_person(name) or (person_desc and looks_like_person(title_case(name))):
        role_low = (role or "").lower()
        if person_desc or role_low in PERFORMER_ROLES or role_low in GUARDIAN_ROLES or _surname_match(role, name):
            return "person"
    return "unknown"


_ADDRESSEE = re.compile(
    r"(?m)^[ \t]*(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?[ \t]+(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){1,3})[ \t]*$"
)


def _addressee(text: str):
    """The person a letter agreement is addressed to: "Ms. Dolores Kincaid-Reyes" above "Dear Ms. Kincaid-Reyes"."""
    for m in _ADDRESSEE.finditer(text, 0, min(len(text), 3000)):
        name = m.group("name")
        surname = name.split()[-1]
        if re.search(rf"\bDear\s+(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?\s+{re.escape(surname)}\b", text[m.end() : m.end() + 1500]):
            if looks_like_person(name):
                return title_case(name), m.start("name"), m.end("name")
    return None


def _region_end(text: str, start: int) -> int:
    """Where a party statement starting at ``start`` ends: the recitals, the first clause, a heading."""
    pos = start + 1
    while True:
        stop = _STOP.search(text, pos, min(len(text), start + 3000))
        if stop is None:
            return min(len(text), start + 3000)
        if text[start : stop.start()].strip(" \t\n:"):
            return stop.start()
        pos = stop.end()  # "made between:\n1. NORTHWIND ...": a numbered list of the parties, not clause 1


def _statement(text: str, limit: int) -> tuple[list[Party], tuple[int, int] | None]:
    """The first party statement in ``text[:limit]`` that names at least two parties (or, when none does, the
    best one that names one)."""
    best: list[Party] = []
    best_span = None
    starts = [op.end() for op in list(_OPENER.finditer(text, 0, limit))[:12]]
    # no "between": the parties open a paragraph of their own ("Greystone Theatre, an Illinois ... (the
    # "Theatre"), and Marisol Quintero-Blake, ... (the "Actor"), agree as follows")
    fallback_starts = []
    for m in list(_ROLE_DEF.finditer(text, 0, min(limit, 5000)))[:6]:
        if _role_of(m.group("inner")) is None:
            continue
        para = max(text.rfind("\n\n", 0, m.start()), text.rfind("\n \n", 0, m.start()))
        fallback_starts.append(para + 2 if para >= 0 else 0)
    starts += fallback_starts
    n_openers = len(starts) - len(fallback_starts)
    for k, start in enumerate(starts):
        end = _region_end(text, start)
        if k >= n_openers and not re.search(r"\bagree|(?m:^[ \t]*(?:and|AND)[ \t]*$)", text[start : end + 40]):
            continue  # a paragraph of the parties says they agree, or sets them apart with a line "and"
        parties = _parties_in(text, start, end)
        if len(parties) >= 2:
            return parties, (start, end)
        if len(parties) > len(best) and start < 4000:  # one party alone counts only in the opening
            best, best_span = parties, (start, end)
    return best, best_span


_LABELLED = re.compile(
    r"^[\s*|>#-]*(?P<role>[A-Z][A-Za-z /]{1,24}?)[\s*]*(?::|\|)[\s*]*(?P<name>[^|\n]{2,100}?)[\s*|]*$", re.M
)


def _labelled(text: str, limit: int) -> list[Party]:
    """A cover sheet: "**Performer:** Renata Solis", "| Model | Aaliyah Brandt |"."""
    out = []
    for m in _LABELLED.finditer(text, 0, limit):
        role = m.group("role").strip()
        low = role.lower()
        if low not in PERFORMER_ROLES and low not in GRANTEE_ROLES:
            continue
        s, e = _cut_name(m.group("name"))
        raw = m.group("name")[s:e]
        name = _strip_trailing_period(clean(raw))
        if not valid_name(name):
            continue
        ns = m.start("name") + s
        kind = "entity" if _CORPORATE.search(name) else ("person" if looks_like_person(name) else "unknown")
        if low in PERFORMER_ROLES and kind == "unknown":
            kind = "person" if looks_like_person(title_case(name)) else "unknown"
        if (low in PERFORMER_ROLES) != (kind == "person"):
            continue  # "Subject: Interest Rate Cap Transaction" is no performer; "Client: Jane Roe" no company
        out.append(Party(title_case(name), ns, ns + len(raw), role, m.start("role"), ns + len(raw), kind, ""))
    return out


_GRANT_TO = re.compile(
    r"\b(?:grants?|assigns?|licen[cs]es?|gives?)\s+(?:and\s+\w+\s+)?to\s+(?P<name>[A-Z][^()\n]{1,80}?)\s*"
    r"\(\s*(?:the\s+)?[\"“](?P<role>[^\"”]{1,30})[\"”]\s*\)"
)


# --------------------------------------------------------------------------- performer, loan-out, company

_PERSON_DEF = re.compile(
    r"(?P<name>(?:[A-Z][\w.'’-]*[ \t]+){1,4}[A-Z][\w'’-]+)\s*"
    r"\(\s*(?:hereinafter\s+(?:referred\s+to\s+as\s+)?)?(?:the\s+)?[\"“](?P<role>[^\"”]{1,30})[\"”]\s*\)"
)
_PERSON_CONTEXT = re.compile(
    r"\b(?:recogni[sz]ed|known|professional|golfer|athlete|driver|player|actor|actress|artist|celebrity|"
    r"perform\w*|appear\w*|endors\w*|services|name|likeness|image|voice|coach|personality|musician|singer|model|"
    r"spokes\w+|host|talent)\b",
    re.I,
)


def _grantee_score(text: str, party: Party, others: list[Party]) -> int:
    """How strongly the contract says ``party`` receives the rights (its role, grants to it, its wishes)."""
    score = 0
    role = (party.role or "").lower()
    if role in GRANTEE_ROLES:
        score += 2
    if role in GRANTOR_ROLES:
        score -= 2
    names = [re.escape(n) for n in {party.role or "", party.name.split(",")[0]} if n and len(n) > 1]
    if not names:
        return score
    me = r"(?:" + "|".join(names) + r")"
    other_names = [re.escape(n) for o in others for n in {o.role or "", o.name.split(",")[0]} if n and len(n) > 1]
    them = r"(?:" + "|".join(other_names) + r")" if other_names else None
    body = text[:200000]
    patterns = [
        rf"\b{me}(?:'s)?\s+(?:desires|wishes|is\s+desirous|wants)\s+(?:of\s+acquiring|to\s+(?:obtain|acquire|use|"
        rf"become|be|receive|have|engage|secure))",
        rf"\b{me}\s+(?:shall|will|may)\s+have\s+the\s+(?:exclusive\s+|non-exclusive\s+)?(?:right|license|licence)",
        rf"\b{me}\s+(?:shall\s+be|is)\s+(?:the|a|an)\s+(?:primary\s+|official\s+|exclusive\s+|associate\s+|"
        rf"presenting\s+|title\s+)*sponsor\b",
        rf"\b(?:licen[cs]e|right)\s+to\s+{me}\b",
    ]
    if them:
        patterns += [
            rf"\b{them}\s+(?:hereby\s+)?(?:grants?|licen[cs]es?|assigns?|authori[sz]es?|permits?|engages?)\s+"
            rf"(?:to\s+)?{me}\b",
            rf"\b{me}\s+engages\s+{them}\b",
        ]
    for p in patterns:
        score += min(3, len(re.findall(p, body)))
    return score


def _pick_company(text: str, candidates: list[Party]) -> tuple[Party, float] | None:
    candidates = [p for p in candidates if (p.role or "").lower() not in GUARDIAN_ROLES]
    agents = [
        p for p in candidates if re.search(r"\bacting\s+as\s+(?:an?\s+)?agent\b|\bas\s+agent\s+for\b", p.description)
    ]
    if agents and len(agents) < len(candidates):  # "the Agency, acting as agent for the Advertiser": the principal
        candidates = [p for p in candidates if p not in agents]
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0], 0.9
    scores = [(_grantee_score(text, p, [o for o in candidates if o is not p]), i, p) for i, p in enumerate(candidates)]
    scores.sort(key=lambda t: (-t[0], t[1]))
    best, second = scores[0][0], scores[1][0]
    if best > 0 and best > second:
        return scores[0][2], 0.85 if best - second >= 2 else 0.7
    return None


def find_parties(text: str) -> PartyFacts:
    """The parties of a contract and, from them, its performer, loan-out and company (each None when unclear)."""
    out = PartyFacts()
    limit = min(len(text), 15000)
    parties, out.statement = _statement(text, limit)
    labelled = _labelled(text, min(len(text), 4000))
    from_labels = len(parties) < 2
    if from_labels and not labelled and parties and out.statement is not None:
        lo, hi = out.statement
        context = text[max(0, lo - 200) : hi]
        if not re.search(r"\b(?:made|entered\s+into|dated|is\s+between|agree)", context, re.I) or re.search(
            r"\bconstrued\b|\brelationship\b|\bpartnership\b|\bjoint\s+venture\b", context, re.I
        ):
            # one party named alone, and not in a statement that makes the agreement ("nothing herein creates a
            # partnership between Padres L.P. (the "Padres") and Sponsor"): it says too little
            parties = []
    if from_labels:
        # "This Agreement is between Larkmoor Audio, Inc. ("Publisher") and the Narrator named above": the
        # statement's one named party, and the cover sheet's
        parties = parties + [p for p in labelled if all(p.name.lower() != q.name.lower() for q in parties)]
    out.parties = parties
    persons = [p for p in parties if p.kind == "person" and (p.role or "").lower() not in GUARDIAN_ROLES]
    guardians = [p for p in parties if (p.role or "").lower() in GUARDIAN_ROLES]
    loanouts = [p for p in parties if p.furnishes]

    def fact(p: Party, confidence: float):
        return (p.name, p.start, p.end, p.quote_start, p.quote_end, confidence)

    others: list[Party] = []
    if loanouts and not persons:
        loanout = loanouts[0]
        assert loanout.furnishes is not None  # loanouts are the parties that furnish someone
        who, ws, we = loanout.furnishes
        out.performer = (who, ws, we, loanout.quote_start, loanout.quote_end, 0.9)
        out.performer_entity = fact(loanout, 0.9)
        others = [p for p in parties if p is not loanout]
    elif persons:
        performer: Party | None
        if len(persons) == 1:
            performer = persons[0]
        else:
            by_role = [p for p in persons if (p.role or "").lower() in PERFORMER_ROLES]
            performer = by_role[0] if len(by_role) == 1 else None
        if performer is not None:
            out.performer = fact(performer, 0.95 if performer.role else 0.85)
            others = [p for p in parties if p is not performer and p.kind != "person"]
        else:
            others = [p for p in parties if p.kind != "person"]
    else:
        recital = _recital_performer(text, parties, limit)
        if recital is not None:
            out.performer, entity = recital
            if entity is not None:
                out.performer_entity = fact(entity, 0.8)
                others = [p for p in parties if p is not entity]
            else:
                # the person's own company (their surname in its name) is never the company
                surname = out.performer[0].split()[-1].lower()
                others = [p for p in parties if surname not in p.name.lower()]
        else:
            others = list(parties)
    others = [p for p in others if p.kind != "person" or p.furnishes]
    picked = None
    if from_labels:
        picked = _granted_to(text, limit, out)  # a release: "I grant to Lumen Studio LLC ("Photographer")"
    if picked is None and others:
        picked = _pick_company(text, others)
    if picked is None:
        picked = _granted_to(text, limit, out)
    if picked is not None:
        p, confidence = picked
        out.company = fact(p, confidence)
    # a minor: the performer is described as one, or a parent or guardian is a party for them, or the form says so
    minor_said = _MINOR_SAID.search(text, 0, min(len(text), 20000))
    if out.performer is not None and minor_said is not None:
        out.minor = (True, minor_said.start(), minor_said.end(), 0.85)
    elif out.performer is not None:
        performer_party = next((p for p in parties if p.start == out.performer[1]), None)
        if performer_party is not None and re.search(r"\ba\s+minor\b", performer_party.description):
            at = text.find("minor", performer_party.end, performer_party.end + 400)
            out.minor = (True, performer_party.quote_start, max(performer_party.quote_end, at + 5), 0.9)
        elif guardians:
            g = guardians[0]
            out.minor = (True, g.quote_start, g.quote_end, 0.85)
    return out


_MINOR_SAID = re.compile(
    r"\[\s*[Xx✓✔]\s*\]\s*(?:the\s+)?(?:Model|Performer|Talent|Artist|Participant|Player|Actor|Minor|Child)\s+is\s+"
    r"(?:under\s+(?:the\s+age\s+of\s+)?(?:18|eighteen)|a\s+minor)"
    r"|(?<!if )(?<!if the )(?<!where )(?<!where the )(?<!when the )\b(?:The\s+)?(?:Model|Performer|Talent|Artist|"
    r"Participant|Player|Actor)\s+is\s+a\s+minor\b"
)


def _granted_to(text: str, limit: int, out: PartyFacts):
    grant = _GRANT_TO.search(text, 0, limit)
    if not grant:
        return None
    name = _strip_trailing_period(clean(grant.group("name")))
    if not valid_name(name) or looks_like_person(name) or (out.performer and name == out.performer[0]):
        return None
    ns = grant.start("name")
    return Party(
        title_case(name), ns, ns + len(grant.group("name")), grant.group("role"), ns, grant.end(), "entity"
    ), 0.8


def _recital_performer(text: str, parties: list[Party], limit: int):
    """A person the contract introduces by name and calls by their surname ("WHEREAS, David Duval ("Duval") is
    recognized as ...", "Brad Baker ("Baker") will be the only driver"), and the party that holds their rights
    (the loan-out) when the contract says which. Two different such people: none (which one is not clear)."""
    found: dict[str, tuple] = {}
    for m in _PERSON_DEF.finditer(text, 0, min(len(text), 60000)):
        words = m.group("name").split()
        while words and (words[0].lower() in _LEAD_WORDS or words[0].isupper() and len(words[0]) > 3):
            words.pop(0)
        if len(words) < 2:
            continue
        raw = " ".join(words)
        name = _strip_trailing_period(clean(raw))
        role = m.group("role").strip()
        if not looks_like_person(name) or any(name.lower() == p.name.lower() for p in parties):
            continue
        role_last = role.replace(".", " ").split()[-1].lower() if role.split() else ""
        if len(role.split()) >= len(name.split()):
            continue  # ("ArtStation Learning"): a whole name repeated is a defined term, not a surname
        if role.lower() not in PERFORMER_ROLES and not (
            _surname_match(role, name) and role_last == name.replace(",", " ").split()[-1].lower().strip(".")
        ):
            continue  # ("Stryker") for Stryker Orthopaedics: a company's short name, not a surname
        context = text[max(0, m.start() - 150) : m.end() + 200]
        if not _PERSON_CONTEXT.search(context):
            continue
        ns = m.end("name") - len(raw)
        found.setdefault(name.lower(), (title_case(name), ns, m.end("name"), ns, m.end(), 0.8, role))
    if len(found) != 1:
        return None
    who = next(iter(found.values()))
    name, role = who[0], who[6]
    who = who[:6]
    surname = name.split()[-1].lower()
    holders = []
    for p in parties:
        if p.kind == "person":
            continue
        if surname in p.name.lower():
            holders.append(p)
            continue
        names = [re.escape(x) for x in {p.role or "", p.name.split(",")[0]} if x and len(x) > 1]
        if not names:
            continue
        me = "(?:" + "|".join(names) + ")"
        r = re.escape(role)
        if re.search(
            rf"\b{me}\s+(?:holds|owns|controls|has)\s+(?:all|the|exclusive)?\s*(?:rights?|right,\s+title)[^.]{{0,80}}"
            rf"\b{r}(?:'s|’s)?\b|\b{r}\s+has\s+(?:licensed|granted|assigned)[^.]{{0,80}}\bto\s+{me}\b",
            text[:60000],
        ):
            holders.append(p)
    entity = holders[0] if len(holders) == 1 else None
    return who, entity


_LEAD_WORDS = {
    "whereas", "and", "the", "that", "by", "with", "sponsor", "company", "licensee", "licensor", "during", "of",
    "to", "for", "if", "when", "while", "this", "agreement", "hereby", "between", "between:", "whereas,",
} | PERFORMER_ROLES | GRANTEE_ROLES  # fmt: skip
