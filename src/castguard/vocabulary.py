"""The words for the people and the companies a contract names: roles, party words and corporate-name words.

One place for every reader that needs them (``classify.concepts``, ``classify.scope``, ``facts.parties``,
``facts``); this module imports nothing of castguard, so any layer may use it.

The readers do not all use the same list. Where two lists differ, both are kept here as named sets with the
reader that uses them, and each reader builds exactly the pattern it had before (same words, same order).
Merging them is a behaviour change, not a tidy-up: measured on the corpus (the performer contracts, the 41
platform terms, the 491 CUAD contracts and the samples: 563 documents), letting the concept reader's person
test use the scope reader's company words changes the persons it finds in 3 documents, the union of both lists
in 2, and the party reader's corporate-name words in 14 (it would stop reading "Board", "Commission" or
"Business" as a person in CUAD contracts, and also drop others) -- worth a look as a change of its own.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "APPROVING_ROLES", "ASSIGNING_ROLES", "COMPANY_ROLES", "COMPANY_WORDS", "CORPORATE_NAME_WORDS", "CORPORATE_SUFFIXES",
    "DEFINED_PERSON_ROLES", "GRANTEE_ROLES", "GRANTOR_ROLES", "GUARDIAN_ROLES", "NOT_A_PERSON", "OWNER_ROLES",
    "PERFORMER_ROLES", "REVERSION_ROLES", "REVOKING_ROLES", "RIGHT_HOLDER_ROLES", "alternation", "owner_roles_pattern",
]  # fmt: skip

# --------------------------------------------------------------------------- roles (the defined terms of parties)

# the performer's side: a party defined by one of these terms is the person (facts.parties, facts)
PERFORMER_ROLES = frozenset({
    "performer", "artist", "talent", "model", "athlete", "actor", "actress", "player", "vocalist", "musician",
    "creator", "influencer", "host", "narrator", "participant", "presenter", "voice actor", "endorser", "celebrity",
    "personality", "singer", "dancer", "comedian", "contributor", "subject", "releasor", "speaker", "guest",
    "professional", "driver", "golfer", "coach", "spokesperson", "ambassador", "author", "composer", "writer",
    "voice talent", "entertainer", "star", "instructor", "expert", "consultant", "pro", "artiste", "streamer",
})  # fmt: skip
# the side that receives the rights
GRANTEE_ROLES = frozenset({
    "company", "studio", "producer", "brand", "client", "photographer", "publisher", "developer", "label",
    "network", "station", "sponsor", "licensee", "employer", "production company", "advertiser", "manufacturer",
    "distributor", "customer", "purchaser", "buyer", "broadcaster", "platform", "record company", "agency",
    "promoter", "operator", "franchisee", "channel",
})  # fmt: skip
# the side that grants them without being the person (a licensor, a loan-out, a team)
GRANTOR_ROLES = frozenset({"licensor", "team", "racing", "lender", "loan-out", "owner", "rights holder", "grantor", "vendor"})
GUARDIAN_ROLES = frozenset({"guardian", "parent", "parent/guardian", "parents", "legal guardian", "parent or guardian"})

# a term in quotation marks that stands for a natural person wherever it is used ("Talent"): the concept
# reader marks every use of it as the person (classify.concepts); a subset of PERFORMER_ROLES
DEFINED_PERSON_ROLES = frozenset({
    "performer", "artist", "talent", "model", "athlete", "player", "influencer", "creator", "endorser", "actor",
    "vocalist", "musician", "narrator", "celebrity", "personality", "participant", "coach", "golfer",
    "spokesperson", "host", "dancer", "singer",
})  # fmt: skip
# words before "'s likeness" that are never a person ("Company's name and likeness", "its likeness")
NOT_A_PERSON = frozenset({
    "company", "licensee", "licensor", "sponsor", "client", "brand", "producer", "studio", "agency", "network",
    "team", "league", "the", "its",
})  # fmt: skip

# whose likeness it is, for the scope reader (classify.scope): the roles, in the order they are tried, and
# which of them are written in the plural too
OWNER_ROLES = (
    "performer", "artist", "talent", "actor", "actress", "athlete", "player", "driver", "musician", "vocalist",
    "singer", "dancer", "influencer", "creator", "endorser", "celebrity", "spokesperson", "narrator", "host",
    "golfer", "coach", "personality", "participant", "contributor", "voice actor", "voice talent", "the undersigned",
)  # fmt: skip
_SINGULAR_ONLY = frozenset({
    "talent", "actress", "spokesperson", "coach", "personality", "voice actor", "voice talent", "the undersigned",
})  # fmt: skip

# the person's role words the clause rules and the protections look for, each list in the order its regex tries
# them; they differ from rule to rule (who may hold a right, who assigns, who approves, who revokes)
RIGHT_HOLDER_ROLES = (
    "performer", "artist", "talent", "model", "athlete", "influencer", "actor", "musician", "vocalist", "creator",
    "participant",
)  # fmt: skip
ASSIGNING_ROLES = (
    "performer", "artist", "talent", "model", "player", "athlete", "influencer", "actor", "musician", "vocalist",
    "endorser", "creator", "participant",
)  # fmt: skip
REVERSION_ROLES = (
    "talent", "performer", "artist", "athlete", "player", "licensor", "celebrity", "endorser", "creator",
)  # fmt: skip
APPROVING_ROLES = (
    "performer", "talent", "artist", "model", "athlete", "player", "influencer", "actor", "musician", "vocalist",
)  # fmt: skip
REVOKING_ROLES = (
    "performer", "talent", "artist", "participant", "creator", "model", "athlete", "player", "influencer",
)  # fmt: skip
# the company's side in a carve-out that opens a free hand ("except as Company may ...")
COMPANY_ROLES = ("company", "producer", "studio", "brand", "label", "licensee", "agency", "client", "network", "publisher")

# --------------------------------------------------------------------------- company words

# a word that makes a name a company's in a party statement, as regex alternatives (facts.parties): the
# suffixes and the nouns of business names ("Entertainment", "Records", "Seminars")
CORPORATE_NAME_WORDS = (
    r"Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Co|Company|Cos|LP|L\.P|LLP|L\.L\.P|plc|PLC|S\.A|SA|AG|"
    r"GmbH|B\.V|BV|N\.V|NV|S\.p\.A|SpA|Pty|K\.K|S\.L|S\.r\.l|SRL|S\.R\.L|SAS|SARL|A/S|Oy|Oyj|P\.C|PC|N\.A|KG|Pte|Bhd|"
    r"Telnet|Telecom|Wireless|Mobile|Holdings|"
    r"Group|Holdings?|Partners|Partnership|Associates|Enterprises?|Productions?|Pictures|Studios?|Records|"
    r"Entertainment|Media|Interactive|Networks?|Agency|Association|University|College|Foundation|Trust|Funds?|"
    r"Bank|Bancorp|Bancshares|Capital|Management|Services|Solutions|Systems|Technolog(?:y|ies)|Industries|"
    r"International|Global|Worldwide|Racing|Sports|Team|Club|League|Motors?|Energy|Health|Healthcare|"
    r"Pharmaceuticals?|Pharma|Labs?|Laboratories|Software|Communications|Marketing|Consulting|Ventures|Resources|"
    r"Products|Brands|Foods?|Supply|Supplies|Distribution|Distributors?|Logistics|Airlines|Airways|Hotels?|Resorts|"
    r"Restaurants?|Roadhouse|Stores?|Superstores|Outfitters|Beauty|Audio|Apparel|Seminars|Artists|Society|"
    r"Institute|Council|Board|Authority|Department|Government|City|County|Commission|Register|Exchange|Hospital|"
    r"Clinic|Church|School|Academy|Alliance|Federation|Guild|Cooperative|Publishing|Publishers|Press|Broadcasting|"
    r"Radio|Television|Films?|Music|Games|Gaming|Digital|Online|Designs?|Works|Shoppe|Market|Markets|Realty|"
    r"Properties|Insurance|Financial|Finance|Investments?|Securities|Advisors|Advisers|Electric|Power|Oil|Gas|"
    r"Mining|Minerals|Chemicals|Biotech|Medical|Sciences|Research|Nutraceuticals|Nutrition|Wellness|Education|"
    r"Athletics|Golf|Putter|Lubricants|Apps?|Labels?|Imports?|Exports?|Trading|Manufacturing|Industry|Automobile|"
    r"Vehicles|Fermentation|Biotechnology|Therapeutics|Bioceuticals|Communications|Telecom|Wireless|Cable|"
    r"Internet|Web|Net|Com|Dot|Outdoor|Franchise|Franchising|Fitness|Fashion|Cosmetics|Collective|Company's|"
    r"Ministry|Office|Bureau|Agency|Estate|Estates|Family|Brothers|Bros|Sons|Commerce|Tech|Software|Data"
)
# the legal forms and institution words that keep a defined name from being a person's (classify.concepts):
# short, so that a performer's surname that happens to be a business noun ("Music", "Media") still counts
CORPORATE_SUFFIXES = (
    "inc", r"llc", r"l\.l\.c", "corp", "corporation", "company", "co", "ltd", "limited", "plc", "gmbh", "lp", "llp",
    "partnership", "association", "university", "bank", "trust", "club", "group", "holdings",
)  # fmt: skip
# a company's word or role next to a name or a likeness (classify.scope): "Acme Inc.'s name", "Sponsor's image"
COMPANY_WORDS = (
    "inc", "corp", "corporation", "company", "llc", "ltd", "limited", "co", "group", "holdings", "bank", "network",
    "club", "team", "league", "association", "foundation", "university", "sponsor", "licensee", "licensor",
    "client", "distributor", "franchisee", "franchisor", "manufacturer", "supplier",
)  # fmt: skip


def alternation(words) -> str:
    """``a|b|c``: the words as regex alternatives, in the order given (the order a regex tries them)."""
    return "|".join(words)


def owner_roles_pattern() -> str:
    """:data:`OWNER_ROLES` as regex alternatives, each with its plural where the role takes one
    ("performers?", "celebrit(?:y|ies)")."""
    parts = []
    for w in OWNER_ROLES:
        if w in _SINGULAR_ONLY:
            parts.append(w)
        elif w.endswith("y"):
            parts.append(w[:-1] + "(?:y|ies)")
        else:
            parts.append(w + "s?")
    return alternation(parts)


@lru_cache(maxsize=1)
def regex_vocabulary() -> dict[str, str]:
    """The word lists a rule pattern may name as ``{{vocab.NAME}}`` (``playbooks/patterns/*.toml``), each as
    regex alternatives in its list's order; ``OWNER_ROLES`` with the plurals of :func:`owner_roles_pattern`.
    Built once per process (every placeholder of every pattern file reads it); callers must not change it."""
    lists = {
        "RIGHT_HOLDER_ROLES": RIGHT_HOLDER_ROLES,
        "ASSIGNING_ROLES": ASSIGNING_ROLES,
        "REVERSION_ROLES": REVERSION_ROLES,
        "APPROVING_ROLES": APPROVING_ROLES,
        "REVOKING_ROLES": REVOKING_ROLES,
        "COMPANY_ROLES": COMPANY_ROLES,
        "COMPANY_WORDS": COMPANY_WORDS,
        "CORPORATE_NAME_WORDS": CORPORATE_NAME_WORDS,
        "CORPORATE_SUFFIXES": CORPORATE_SUFFIXES,
    }
    out = {name: alternation(words) for name, words in lists.items()}
    out["OWNER_ROLES"] = owner_roles_pattern()
    return out
