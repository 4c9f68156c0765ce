"""Deal facts with evidence (castguard.facts): real layouts read right, what is not stated clearly stays absent,
every fact carries its clause and the document's own words; the JSON, the CLI command and draft's use of them."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT, SAMPLES, SCHEMA

from castguard.cli import cli
from castguard.facts import jurisdiction_for, parse_date, read_facts
from castguard.facts.places import place_code


def facts_of(path) -> dict:
    sheet = read_facts(path)
    for f in sheet.facts:  # every fact: a verbatim quote of the document, inside the clause it names
        assert f.source == "contract" and 0 < f.confidence <= 1
        assert f.quote and sheet.document.text[f.start : f.end] == f.quote, f.name
        clause = next(c for c in sheet.clauses if c.id == f.clause_id)
        assert clause.start <= f.start < max(clause.end, clause.start + 1), f.name
    return {f.name: f for f in sheet.facts}


def values(facts: dict) -> dict:
    return {k: (f.code if k == "governing_law" else f.value) for k, f in facts.items()}


def write(tmp_path, text: str, name: str = "contract.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the samples

SAMPLE_FACTS = {
    "film_actor_harborlight.pdf": {
        "performer": "Dana R. Whitcombe", "company": "Harbor Light Pictures, LLC",
        "agreement_title": "Performer Agreement", "agreement_date": "March 4, 2024", "governing_law": "CA",
    },
    "voiceover_brightwave.docx": {
        "performer": "Owen Tremlett", "company": "Brightwave Audio Ltd", "agreement_title": "Voice-over Services Agreement",
        "agreement_date": "17 June 2024", "governing_law": "UK", "minor": False,
    },
    "athlete_endorsement_kestrel.docx": {
        "performer": "Tamsin Oduya", "company": "Kestrel Athletics, Inc.", "agreement_title": "Endorsement Agreement",
        "agreement_date": "January 15, 2017", "governing_law": "OR",
    },
    "influencer_glowup.txt": {
        "performer": "Skylar Delacroix", "company": "GlowUp Beauty Co.",
        "agreement_title": "Influencer Content Agreement", "agreement_date": "October 1, 2024", "governing_law": "NY",
    },
    "music_session_bluefinch.txt": {
        "performer": "Corinne Ashby", "company": "Bluefinch Records LLC", "agreement_title": "Session Vocalist Agreement",
        "agreement_date": "July 22, 2024", "governing_law": "TN",
    },
    "videogame_performer_ironpeak.txt": {
        "performer": "Milo Varga", "company": "IronPeak Interactive, Inc.",
        "agreement_title": "Performer Services Agreement", "agreement_date": "September 9, 2024", "governing_law": "TX",
        "minor": True,
    },
    "model_release_lumen.md": {
        "performer": "Aaliyah Brandt", "company": "Lumen Studio LLC",
        "agreement_title": "Adult Model Release (Photography and Video)",
        "agreement_date": "April 22, 2019", "governing_law": "IL", "minor": False,
    },
    "voice_actor_protective_rider.md": {
        "performer": "Renata Solis", "company": "Tidewater Animation Studios, Inc.",
        "agreement_title": "Voice Performer Agreement with Digital Replica and AI Rider",
        "agreement_date": "February 10, 2025", "governing_law": "CA", "union": "SAG-AFTRA",
    },
    "control_software_license.txt": {
        "company": "Redfield Freight Logistics Corp.", "agreement_title": "Software License and Hardware Supply Agreement",
        "agreement_date": "May 1, 2024", "governing_law": "WI",
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SAMPLE_FACTS))
def test_sample_facts(name):
    assert values(facts_of(SAMPLES / name)) == SAMPLE_FACTS[name]


# --------------------------------------------------------------------------- real layouts (CUAD, CC BY 4.0)

REAL_FACTS = {
    # a person party defined by surname, a bank; law in a headed clause; no date in the opening, so the date
    # the last party signed (5/17/12 written above "Date", the bank's 5/14/12)
    "cuad_endorsement_berkshirebank_genoauriemma.pdf": {
        "performer": "Geno Auriemma", "company": "Berkshire Bank", "agreement_title": "Endorsement Agreement",
        "agreement_date": "5/17/12", "governing_law": "CT",
    },
    # "an individual" after the name; "made as of this March 14, 2012 but effective as of March 1, 2012"
    "cuad_endorsement_bizzingo_joetheismann.pdf": {
        "performer": "Joseph Theismann", "company": "Bizzingo, Inc.", "agreement_title": "Celebrity Endorsement Agreement",
        "agreement_date": "March 14, 2012",
    },
    # the golfer is introduced in the recitals; the loan-out "holds all rights to ... Ogle's name"
    "cuad_endorsement_teardropgolf_brettogle.txt": {
        "performer": "Brett Ogle", "performer_entity": "Consolidated Artists Inc.", "company": "Teardrop Putter Corporation",
        "agreement_title": "Endorsement Agreement", "agreement_date": "first (1st) day of January, 1996",
        "governing_law": "VA",
    },
    # the loan-out carries the performer's name; the company is the party that desires his rights
    "regress_facts_loanout_recital_mossimo.txt": {
        "performer": "David Duval", "performer_entity": "David Duval Enterprises, Inc.", "company": "Mossimo, Inc.",
        "agreement_title": "Endorsement Agreement", "agreement_date": "1st day of January, 2000", "governing_law": "OH",
    },
    # "T&B Seminars, Inc., a California corporation f/s/o Tarek El Moussa"
    "regress_facts_fso_legacy.txt": {
        "performer": "Tarek El Moussa", "performer_entity": "T&B Seminars, Inc.",
        "company": "Legacy Education Alliance Holdings, Inc.",
        "agreement_title": "Real Estate Education Training Program Development Agreement",
        "agreement_date": "12-23-2019", "governing_law": "NY",
    },
    # ("Celebrity) with its quote unclosed; "dated as of this ____day of ____, 2012, but made effective as of
    # February 20, 2012"; "the laws and decisions of the State of Georgia"
    "regress_facts_celebrity_pharmagen.txt": {
        "performer": "Paul Silas", "company": "Healthcare Distribution Specialists LLC",
        "agreement_title": "Endorsement Agreement", "agreement_date": "February 20, 2012", "governing_law": "GA",
    },
    # three parties: two companies and a doctor called ("Dr. Murray")
    "regress_facts_three_parties_emerald.txt": {
        "performer": "Michael T. Murray, N.D.", "company": "Emerald Health Sciences Inc.",
        "agreement_title": "Consulting and Product Development Agreement",
        "agreement_date": "1st day of September 2016", "governing_law": "AZ",
    },
    # the document starts in the middle of the agreement; the parties come from the exhibit's own statement
    "regress_facts_exhibit_parties_womensgolf.txt": {"performer": "Kathy Whitworth", "company": "Square Two Golf Inc."},
    # Dr. Koop's name is licensed, but he is no party: no performer; the company is the sponsor
    "regress_facts_sponsor_drkoop.txt": {
        "company": "Vitamin Shoppe Industries, Inc.", "agreement_title": "Sponsorship Agreement",
        "agreement_date": "the 11th day of March, 1999", "governing_law": "DE",
    },
    # a racing team's sponsor, the driver named in clause 1 and called ("Baker")
    "regress_inscope_driver_likeness_logans.txt": {
        "performer": "Brad Baker", "company": "Logan's Roadhouse, Inc.", "agreement_title": "Sponsorship Agreement",
        "agreement_date": "the 24th day of February, 1998", "governing_law": "TN",
    },
    # three drivers: no single performer; the sponsor, not the team, is the company
    "regress_inscope_drivers_likeness_prolong.txt": {
        "company": "Prolong Super Lubricants", "agreement_title": "Sponsorship Agreement",
        "agreement_date": "19th day of December 1997", "governing_law": "NC",
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(REAL_FACTS))
def test_real_layouts(name):
    got = values(facts_of(CORPUS / name))
    expected = REAL_FACTS[name]
    assert {k: got.get(k) for k in expected} == expected
    # nothing beyond what is expected is stated about the parties
    for fact in ("performer", "performer_entity", "company"):
        if fact not in expected:
            assert fact not in got, (fact, got.get(fact))


def test_an_amendment_is_dated_by_its_own_date_not_the_agreement_it_amends():
    got = facts_of(CORPUS / "regress_facts_amendment_date_cerus.txt")
    # "This First Amendment ... to the Supply and Manufacturing Agreement dated April 1, 2017 ... is made this 22
    # day of June 2018"
    assert parse_date(got["agreement_date"].value).isoformat() == "2018-06-22"


def test_the_state_named_with_the_united_states_is_the_governing_law():
    got = facts_of(CORPUS / "regress_facts_us_and_state_law_nationalprocessing.txt")
    law = got["governing_law"]
    assert (law.code, law.value) == ("KY", "the Commonwealth of Kentucky")
    assert "the laws of the United States" in law.quote and "Kentucky" in law.quote


# --------------------------------------------------------------------------- absent, never guessed

ABSENT_PARTIES = {
    # an address block where the name should be
    "address": (
        "TALENT AGREEMENT\n\nThis Talent Agreement is made as of May 1, 2024 between:\n\n455 Mercer Plaza, Floor 9\n"
        "New York, NY 10012\n(\"Company\")\n\nand\n\n2610 Ocean Park Way, Apt. 5\nSanta Monica, CA 90405\n"
        "(\"Performer\").\n\n1. Grant. Performer grants Company the right to use Performer's likeness.\n"
    ),
    # a form with blanks for the names
    "blank form": (
        "PERFORMER RELEASE\n\nName: ______________________ (\"Performer\")\n\nThis Release is made between "
        "____________________ (\"Company\") and ____________________ (\"Performer\").\n\n1. Performer grants "
        "Company the right to use Performer's voice.\n\nPerformer: ____________________\nName: "
        "____________________\nBy: ____________________\nIts: ____________________\n"
    ),
    # defined terms where the names should be
    "defined terms": (
        "VOICE AGREEMENT\n\nThis Agreement is entered into between the Company (\"Company\") and the Performer "
        "(\"Performer\"), each a \"Party\".\n\n1. Performer grants Company the right to record Performer's voice.\n"
    ),
    # a heading and signature labels, no statement of the parties at all
    "headings and labels": (
        "PARTIES\n\nRECITALS\n\nThe parties agree as follows.\n\n1. The Performer grants the Company the right to use "
        "the Performer's likeness.\n\nIN WITNESS WHEREOF:\n\nPERFORMER\nSignature: ________\nPrint Name:\n\nCOMPANY\n"
        "By: ________\nTitle: ________\n"
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(ABSENT_PARTIES))
def test_no_address_placeholder_term_or_label_is_a_party(tmp_path, case):
    got = facts_of(write(tmp_path, ABSENT_PARTIES[case]))
    assert not {"performer", "performer_entity", "company"} & set(got), {k: got[k].value for k in got}


def test_a_date_with_blanks_is_no_date(tmp_path):
    text = 'SERVICES AGREEMENT\n\nThis Agreement is made as of February ____, 2017 by and between Acme Inc. ("Acme") and Beta LLC ("Beta").\n'
    assert "agreement_date" not in facts_of(write(tmp_path, text))


GOVERNING = [
    ("This Agreement shall be governed by the laws of the State of New York.", "NY", "the State of New York"),
    ("This Agreement is governed by the laws of England and Wales.", "UK", "England and Wales"),
    ("This Agreement is governed by English law.", "UK", "English law"),
    ("This Agreement shall be governed by the laws of the Federal Republic of Germany.", "EU-DE",
     "the Federal Republic of Germany"),
    ("This Agreement shall be construed under the laws of the People's Republic of China.", "CHN",
     "the People's Republic of China"),
    ("This Agreement shall be governed by the laws of Israel.", "ISR", "Israel"),
    ("This Agreement shall be governed by the laws of the Province of Ontario.", "CAN", "the Province of Ontario"),
    ("This Agreement shall be governed by the laws of the Commonwealth of Massachusetts.", "MA",
     "the Commonwealth of Massachusetts"),
    ("This Agreement shall be governed by the laws of the United States and the State of Florida.", "FL",
     "the State of Florida"),
]  # fmt: skip


@pytest.mark.parametrize("sentence,code,value", GOVERNING)
def test_governing_law_is_read_from_its_clause_with_a_code(tmp_path, sentence, code, value):
    text = (
        "LICENSE AGREEMENT\n\n1. Grant. Licensor grants Licensee a licence to use the Marks.\n\n"
        f"2. Governing Law. {sentence}\n\n3. Notices. Notices are given in writing.\n"
    )
    law = facts_of(write(tmp_path, text))["governing_law"]
    assert (law.code, law.value) == (code, value) and law.quote == sentence


NO_GOVERNING_LAW = {
    "a party's description": "Acme Inc., a corporation organized under the laws of the State of Delaware, and Beta LLC.",
    "a forum clause": "Any action shall be brought in the state or federal courts located in New York County.",
    "compliance": "Licensee shall comply with all applicable laws of the United States.",
    "a split choice": (
        "If you live in the European Union, these Terms are governed by the laws of Ireland. If you live anywhere "
        "else, these Terms are governed by the laws of the State of California."
    ),
}


@pytest.mark.parametrize("case", sorted(NO_GOVERNING_LAW))
def test_no_governing_law_when_none_is_chosen_clearly(tmp_path, case):
    text = f"AGREEMENT\n\n1. Terms. {NO_GOVERNING_LAW[case]}\n\n2. Notices. Notices are given in writing.\n"
    assert "governing_law" not in facts_of(write(tmp_path, text))


def test_codes_never_collide_and_map_to_the_template_jurisdictions():
    assert place_code("Israel") == "ISR" and place_code("Illinois") == "IL"
    assert place_code("Canada") == "CAN" and place_code("California") == "CA"
    assert place_code("Germany") == "EU-DE" and place_code("Delaware") == "DE"
    mapping = {"CA": "CA", "NY": "NY", "IL": "IL", "TN": "TN", "CT": "US", "US": "US", "DC": "US", "UK": "UK",
               "EU-DE": "EU", "EU-IE": "EU", "ISR": "OTHER", "CAN": "OTHER", None: None}  # fmt: skip
    assert {code: jurisdiction_for(code) for code in mapping} == mapping


UNION = {
    "Performer's services are subject to the SAG-AFTRA Commercials Contract.": "SAG-AFTRA",
    "Artist is a member in good standing of Equity and this engagement is under the Equity agreement.": "Equity",
    "Musician's services are rendered under the AFM Sound Recording Labor Agreement.": "AFM",
    "Performer is not a member of SAG-AFTRA and this engagement is non-union.": None,
    "The Company's stockholders' equity agreement governs the shares.": None,
}


@pytest.mark.parametrize("sentence", sorted(UNION))
def test_union_only_when_the_contract_says_the_performer_is_covered(tmp_path, sentence):
    text = f"SESSION AGREEMENT\n\n1. Services. {sentence}\n\n2. Fee. Company pays the fee.\n"
    got = facts_of(write(tmp_path, text))
    assert (got["union"].value if "union" in got else None) == UNION[sentence]


def test_quotes_are_the_original_words_when_the_text_is_normalised(tmp_path):
    # a Cyrillic "о" in the place name: the reading is normalised, the quote is the document's own words
    sentence = "This Agreement is governed by the laws of the State of New Y\u043erk."
    path = write(tmp_path, f"AGREEMENT\n\n1. Law. {sentence}\n")
    law = facts_of(path)["governing_law"]
    assert (law.code, law.value) == ("NY", "the State of New York") and law.quote == sentence


# --------------------------------------------------------------------------- JSON, CLI, draft


def test_report_json_carries_schema_valid_facts():
    from castguard.report import report_to_dict
    from castguard.scan import scan

    data = report_to_dict(scan(SAMPLES / "voice_actor_protective_rider.md"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert data["facts"]["union"]["value"] == "SAG-AFTRA" and data["facts"]["governing_law"]["code"] == "CA"
    assert all(f["source"] == "contract" and f["clause_id"] for f in data["facts"].values())
    assert "performer_entity" not in data["facts"]  # absent, not null


def test_facts_command_table_json_and_bad_input(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["facts", str(CORPUS / "regress_facts_fso_legacy.txt")])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Tarek El Moussa" in out and "T&B Seminars, Inc." in out and "Not legal advice" in out
    assert re.search(r"Union\s+not stated", out) and "“T&B Seminars, Inc., a California corporation f/s/o" in out
    target = tmp_path / "facts.json"
    result = runner.invoke(cli, ["facts", str(SAMPLES / "videogame_performer_ironpeak.txt"), "--format", "json",
                                 "-o", str(target)])  # fmt: skip
    assert result.exit_code == 0 and "wrote" in result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(data["facts"], {"$defs": schema["$defs"], **schema["properties"]["facts"]})
    assert data["facts"]["minor"]["value"] is True and data["facts"]["governing_law"]["code"] == "TX"
    result = runner.invoke(cli, ["facts", str(tmp_path / "missing.pdf")])
    assert result.exit_code == 2 and "missing.pdf" in result.output and len(result.output.strip().splitlines()) == 1
    # the -o extension chooses the format; a contradicting --format is an error and nothing is written
    by_name = tmp_path / "by-name.json"
    result = runner.invoke(cli, ["facts", str(SAMPLES / "videogame_performer_ironpeak.txt"), "-o", str(by_name)])
    assert result.exit_code == 0 and json.loads(by_name.read_text(encoding="utf-8"))["facts"]
    clash = tmp_path / "clash.json"
    result = runner.invoke(cli, ["facts", str(SAMPLES / "videogame_performer_ironpeak.txt"), "--format", "table",
                                 "-o", str(clash)])  # fmt: skip
    assert result.exit_code == 2 and "contradicts" in result.output and not clash.exists()


def test_draft_names_where_each_fact_came_from_and_options_win(tmp_path):
    runner = CliRunner()
    contract = SAMPLES / "film_actor_harborlight.pdf"
    result = runner.invoke(cli, ["draft", str(contract), "-o", str(tmp_path / "a.md")])
    assert result.exit_code == 0, result.output
    assert "deal: performer Dana R. Whitcombe from the opening, p. 1; override with --performer" in result.output
    assert (
        "deal: jurisdiction CA (governing law: the State of California, CA) from Section 12.2 (Governing Law), p. 4; "
        "override with --jurisdiction" in result.output
    )
    assert "Labor Code" in (tmp_path / "a.md").read_text(encoding="utf-8")  # California wording by default
    deal = tmp_path / "deal.toml"
    deal.write_text('[deal]\ncompany = "Harbor Light Holdings, Inc."\n', encoding="utf-8")
    result = runner.invoke(cli, ["draft", str(contract), "-o", str(tmp_path / "b.md"), "--jurisdiction", "NY",
                                 "--deal", str(deal)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "deal: jurisdiction NY from --jurisdiction" in result.output
    assert f"deal: company Harbor Light Holdings, Inc. from the deal file {deal}" in result.output
    md = (tmp_path / "b.md").read_text(encoding="utf-8")
    assert "5-302" in md and "Labor Code" not in md and "Harbor Light Holdings, Inc." in md


def test_report_views_are_headed_by_the_facts_and_escape_them(tmp_path):
    from castguard.report.html import render_html
    from castguard.report.markdown import render_markdown
    from castguard.scan import scan

    text = (
        "PERFORMER AGREEMENT\n\nThis Performer Agreement is made as of May 1, 2024 between Smith & Jones *Studios* "
        'LLC, a New York company at <b>1 Main Street</b> ("Company") and Ana Ruiz, an individual ("Performer").\n\n1. Grant. Performer grants Company the '
        "right to use Performer's name, likeness and voice in perpetuity and to create a digital replica of "
        "Performer's voice.\n\n2. Governing Law. This Agreement is governed by the laws of the State of New York.\n"
    )
    report = scan(write(tmp_path, text))
    assert report.fact("company").value == "Smith & Jones *Studios* LLC"
    assert "<b>1 Main Street</b>" in report.fact("company").quote
    html = render_html(report)
    head = html[html.index("<header>") : html.index("</header>")]
    assert "Deal facts" in head and "Smith &amp; Jones *Studios* LLC" in head and "&lt;b&gt;1 Main Street" in head
    assert "<b>" not in html and head.index("Deal facts") < head.index("Risk")
    md = render_markdown(report)
    assert md.index("## Deal facts") < md.index("## Summary")
    assert "| Governing law | the State of New York (NY) |" in md
    # rendered as CommonMark (a ticket, a wiki), the contract's words stay words: no tag, no emphasis
    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)
    assert "<b>" not in page and "<em>Studios</em>" not in page
    assert "Smith &amp; Jones *Studios* LLC" in page and "&lt;b&gt;1 Main Street&lt;/b&gt;" in page


# --------------------------------------------------------------------------- other drafting styles (fictional)

HELDOUT = ROOT / "benchmarks" / "heldout"
STYLES = {
    # a letter agreement: "between ... ("Producer") and you ("Artist")", the letter addressed to the performer
    "01_tv_series_regular_1994.txt": {
        "performer": "Dolores Kincaid-Reyes", "company": "Meridian Bay Productions, Inc.",
        "agreement_title": "Series Regular Agreement", "agreement_date": "March 14, 1994", "governing_law": "CA",
        "union": "SAG",
    },
    # a form with a ticked box "[X] Model is under 18"
    "02_stock_photo_model_release_minor_2003.txt": {
        "performer": "Emily Rose Haskins", "agreement_title": "Model Release", "agreement_date": "April 12, 2003",
        "minor": True,
    },
    # numbered parties, the third the player's guardian
    "06_esports_player_minor_2023.md": {
        "performer": "Callum Oyelaran-Hughes", "company": "Northwind Esports Limited", "minor": True,
        "agreement_date": "14 December 2022",
    },
    # "the Agency, acting as agent for the Advertiser": the advertiser is the company; "a member of Equity"
    "08_uk_voice_session_ai_rider_2025.txt": {
        "performer": "Bethan Marsh-Adeyemi", "company": "Halden Home Insurance PLC", "agreement_date": "2 June 2025",
        "union": "Equity",
    },
    # no "between": the parties open the paragraph that ends "agree as follows on this 28th day of ..."
    "09_theatre_capture_2017.md": {
        "performer": "Marisol Quintero-Blake", "company": "Greystone Repertory Theatre",
        "agreement_date": "28th day of November, 2016", "governing_law": "IL",
    },
    # an equipment rental: two companies, no rights granted by anyone, so no company is named as receiving them
    "10_film_equipment_rental_out_of_scope_2022.txt": {"agreement_title": "Equipment Rental Agreement",
                                                       "governing_law": "CAN"},
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(STYLES))
def test_other_drafting_styles(name):
    got = values(facts_of(HELDOUT / name))
    expected = STYLES[name]
    assert {k: got.get(k) for k in expected} == expected
    for fact in ("performer", "company"):
        if fact not in expected:
            assert fact not in got, (fact, got.get(fact))
