"""Names of the places a contract's law can be chosen from, and the code castguard gives each.

Codes: a US state (or DC, Puerto Rico) is its two-letter postal code (NY, CA, DE); the United States as a
whole is ``US``; the United Kingdom and its law districts (England, Wales, Scotland, Northern Ireland) are
``UK``; a member state of the European Union is ``EU-`` and its ISO 3166-1 alpha-2 code (EU-DE, EU-FR); any
other country is its ISO 3166-1 alpha-3 code (CAN, CHN, ISR, CHE), so that no country is ever read as a US
state (IL is Illinois, ISR is Israel; CA is California, CAN is Canada). A province or state of another
country takes that country's code.
"""

from __future__ import annotations

import re

__all__ = ["ADJECTIVES", "PLACES", "place_code", "place_pattern", "jurisdiction_for"]

US_STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO",
    "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID",
    "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN",
    "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX",
    "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA", "West Virginia": "WV",
    "Wisconsin": "WI", "Wyoming": "WY", "District of Columbia": "DC", "Washington, D.C.": "DC",
    "Washington D.C.": "DC", "Puerto Rico": "PR",
}  # fmt: skip

EU_STATES = {
    "Austria": "AT", "Belgium": "BE", "Bulgaria": "BG", "Croatia": "HR", "Cyprus": "CY", "Czech Republic": "CZ",
    "Czechia": "CZ", "Denmark": "DK", "Estonia": "EE", "Finland": "FI", "France": "FR", "Germany": "DE",
    "Federal Republic of Germany": "DE", "Greece": "GR", "Hungary": "HU", "Ireland": "IE",
    "Republic of Ireland": "IE", "Italy": "IT", "Latvia": "LV", "Lithuania": "LT", "Luxembourg": "LU",
    "Grand Duchy of Luxembourg": "LU", "Malta": "MT", "Netherlands": "NL", "The Netherlands": "NL",
    "Holland": "NL", "Poland": "PL", "Portugal": "PT", "Romania": "RO", "Slovakia": "SK", "Slovenia": "SI",
    "Spain": "ES", "Sweden": "SE",
}  # fmt: skip

UK_NAMES = (
    "England and Wales", "England & Wales", "England", "Wales", "Scotland", "Northern Ireland",
    "United Kingdom of Great Britain and Northern Ireland", "United Kingdom", "Great Britain", "the UK", "U.K.",
)  # fmt: skip

OTHER_COUNTRIES = {
    "Canada": "CAN", "Ontario": "CAN", "Quebec": "CAN", "British Columbia": "CAN", "Alberta": "CAN",
    "Manitoba": "CAN", "Saskatchewan": "CAN", "Nova Scotia": "CAN", "New Brunswick": "CAN",
    "People's Republic of China": "CHN", "People’s Republic of China": "CHN", "PRC": "CHN", "P.R.C.": "CHN",
    "China": "CHN", "Mainland China": "CHN", "Hong Kong": "HKG", "Hong Kong Special Administrative Region": "HKG",
    "Macau": "MAC", "Taiwan": "TWN", "Republic of China": "TWN", "Japan": "JPN", "Republic of Korea": "KOR",
    "South Korea": "KOR", "Korea": "KOR", "Singapore": "SGP", "India": "IND", "Israel": "ISR", "State of Israel": "ISR",
    "Switzerland": "CHE", "Norway": "NOR", "Iceland": "ISL", "Liechtenstein": "LIE", "Australia": "AUS",
    "New South Wales": "AUS", "Victoria, Australia": "AUS", "Queensland": "AUS", "Western Australia": "AUS",
    "New Zealand": "NZL", "Mexico": "MEX", "Brazil": "BRA", "Argentina": "ARG", "Chile": "CHL",
    "Colombia": "COL", "Peru": "PER", "South Africa": "ZAF", "Republic of South Africa": "ZAF", "Nigeria": "NGA",
    "Kenya": "KEN", "Egypt": "EGY", "Russia": "RUS", "Russian Federation": "RUS", "Ukraine": "UKR",
    "Turkey": "TUR", "United Arab Emirates": "ARE", "Dubai": "ARE", "Saudi Arabia": "SAU", "Qatar": "QAT",
    "Kazakhstan": "KAZ", "Republic of Kazakhstan": "KAZ", "Papua New Guinea": "PNG", "Philippines": "PHL",
    "Thailand": "THA", "Malaysia": "MYS", "Indonesia": "IDN", "Vietnam": "VNM", "Bermuda": "BMU",
    "Cayman Islands": "CYM", "British Virgin Islands": "VGB", "Bahamas": "BHS", "Jersey": "JEY",
    "Guernsey": "GGY", "Isle of Man": "IMN", "Beijing": "CHN", "Shanghai": "CHN",
}  # fmt: skip

US_NAMES = ("United States of America", "United States", "U.S.A.", "USA", "U.S.")

PLACES: dict[str, str] = {}
PLACES.update({name: code for name, code in US_STATES.items()})
PLACES.update({name: f"EU-{code}" for name, code in EU_STATES.items()})
PLACES.update({name: "UK" for name in UK_NAMES})
PLACES.update(OTHER_COUNTRIES)
PLACES.update({name: "US" for name in US_NAMES})

# "governed by English law", "New York law": the adjective (or the place used as one) before "law"
ADJECTIVES: dict[str, str] = {
    "English": "UK", "British": "UK", "Scottish": "UK", "Scots": "UK", "Welsh": "UK", "Swiss": "CHE",
    "German": "EU-DE", "French": "EU-FR", "Dutch": "EU-NL", "Irish": "EU-IE", "Italian": "EU-IT",
    "Spanish": "EU-ES", "Swedish": "EU-SE", "Danish": "EU-DK", "Finnish": "EU-FI", "Belgian": "EU-BE",
    "Austrian": "EU-AT", "Luxembourg": "EU-LU", "Japanese": "JPN", "Chinese": "CHN", "PRC": "CHN",
    "Israeli": "ISR", "Indian": "IND", "Canadian": "CAN", "Australian": "AUS", "Singapore": "SGP",
    "Singaporean": "SGP", "Hong Kong": "HKG", "Korean": "KOR", "Mexican": "MEX", "Brazilian": "BRA",
    "Norwegian": "NOR", "Ontario": "CAN",
}  # fmt: skip
ADJECTIVES.update({name: code for name, code in US_STATES.items() if "," not in name and "." not in name})

# prefixes a place name may carry: "the State of", "the Commonwealth of", "the Province of", ...
_PREFIX = (
    r"(?:the\s+)?(?:(?:State|Commonwealth|Province|Republic|Kingdom|Federal\s+Republic|Grand\s+Duchy|Territory|"
    r"Special\s+Administrative\s+Region|Emirate|Canton)\s+of\s+)?"
)


def _alternation(names) -> str:
    # longest first, so "New South Wales" is never read as "Wales", nor "West Virginia" as "Virginia"
    parts = []
    for name in sorted(names, key=len, reverse=True):
        words = [re.escape(w) for w in name.split()]
        parts.append(r"\s+".join(words))
    return "|".join(parts)


_PLACE_RE = None


def place_pattern() -> str:
    """A regex (string) for one place name with its optional prefix; group ``place`` is the bare name."""
    global _PLACE_RE
    if _PLACE_RE is None:
        names = [n for n in PLACES if n not in ("the UK",)]
        _PLACE_RE = _PREFIX + r"(?P<place>" + _alternation(names) + r"|the\s+UK)(?![\w-])"
    return _PLACE_RE


_LOOKUP = {" ".join(k.lower().split()): v for k, v in PLACES.items()}
_ADJ_LOOKUP = {k.lower(): v for k, v in ADJECTIVES.items()}


def place_code(name: str) -> str | None:
    """The code of a place name as :func:`place_pattern` captured it (any case, any spacing)."""
    key = " ".join(name.replace("’", "'").split()).lower()
    key = key.replace("’", "'")
    if key in _LOOKUP:
        return _LOOKUP[key]
    key2 = key.replace("'", "’")
    return _LOOKUP.get(key2) or _ADJ_LOOKUP.get(key)


def adjective_code(word: str) -> str | None:
    return _ADJ_LOOKUP.get(" ".join(word.split()).lower())


# the template set's jurisdictions (castguard.jurisdictions.JURISDICTIONS) a governing-law code maps onto
_TEMPLATE_STATES = {"CA", "NY", "IL", "TN"}
_US_CODES = set(US_STATES.values()) | {"US"}


def jurisdiction_for(code: str | None) -> str | None:
    """The template set's jurisdiction for a governing-law code: CA/NY/IL/TN as they are, another US state
    US, UK UK, an EU member state EU, anything else OTHER; None when there is no code."""
    if not code:
        return None
    if code in _TEMPLATE_STATES:
        return code
    if code in _US_CODES:
        return "US"
    if code == "UK":
        return "UK"
    if code.startswith("EU-"):
        return "EU"
    return "OTHER"
