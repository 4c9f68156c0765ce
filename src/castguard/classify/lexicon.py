"""Concepts the rule detector looks for, as phrase lists and token patterns.

A concept is a family of wordings that mean the same thing to a reviewer
("in perpetuity", "forever", "for the full period of copyright"). The rules in
``rules.py`` are written over concepts, not words, so a new paraphrase is one
line here. Phrases are matched case-insensitively on spaCy tokens
(PhraseMatcher on LOWER); token patterns cover what a list cannot (a "no" that
opens a sentence, "voice" that is not telephony).
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["CONCEPTS", "TOKEN_PATTERNS", "matchers"]


def _inflect(*stems: str) -> list[str]:
    """'alter' -> alter, alters, altered, altering (cheap English morphology for verbs)."""
    out = []
    for s in stems:
        if s.endswith("e"):
            out += [s, s + "s", s + "d", s[:-1] + "ing"]
        else:
            out += [s, s + "s", s + "ed", s + "ing"]
    return out


CONCEPTS: dict[str, list[str]] = {
    # --- who and what is licensed
    "PERSON_STRONG": [
        "likeness", "likenesses", "voice", "voices", "vocal", "vocals", "singing voice", "speaking voice", "persona",
        "personas", "biometric", "biometrics", "biometric data", "voiceprint", "voice print", "faceprint",
        "facial geometry", "facial features", "facial", "physical characteristics", "physical features",
        "physical likeness", "mannerisms", "autograph", "autographs", "biography", "biographical",
        "facial likeness", "facial image", "facial images",
        "biographical information", "biographical material", "biographical data", "personal characteristics",
        "identifying characteristics", "indicia of identity", "indicia of personality", "caricature", "caricatures",
        "voiceover", "voiceovers", "voice-over", "voice-overs", "vocal performance", "vocal performances",
        "voice recordings", "voice recording", "visage", "look and feel of performer", "sound of his voice",
        "sound of her voice", "vocal characteristics", "vocal timbre", "vocal style", "singing style",
    ],
    "PERSON_WEAK": [
        "name", "names", "nickname", "nicknames", "image", "images", "photograph", "photographs", "photo", "photos",
        "picture", "pictures", "portrait", "portraits", "performance", "performances", "appearance", "appearances",
        "recording", "recordings", "footage", "results and proceeds", "signature", "identity", "attributes",
        "endorsement", "endorsements", "poses", "video", "videos", "audio recordings", "video recordings",
        "audio-visual recordings", "audiovisual recordings", "excerpts",
    ],
    "ROLE": [
        "performer", "performers", "artist", "artists", "artiste", "talent", "actor", "actors", "actress", "athlete",
        "player", "musician", "musicians", "vocalist", "singer", "dancer", "model", "influencer", "creator",
        "endorser", "celebrity", "spokesperson", "narrator", "host", "participant", "participants", "contributor",
        "voice actor", "voice talent", "the undersigned", "i", "me", "my", "you", "your", "he", "she", "his", "her",
        "him", "personality", "minor", "child",
    ],
    # --- technology
    "AI": [
        "artificial intelligence", "ai", "a.i.", "a. i.", "machine learning", "machine-learning", "deep learning",
        "neural network", "neural networks", "neural net", "generative", "genai", "gen ai", "large language model",
        "large language models", "llm", "llms", "foundation model", "foundation models", "algorithm", "algorithms",
        "algorithmic", "dataset", "datasets", "data set", "data sets", "training data", "training set",
        "text-to-speech", "text to speech", "speech synthesis", "voice synthesis", "generative model",
        "ai model", "ai models", "ai system", "ai systems", "ai tools", "ai technology", "ai technologies",
        "computer model", "computer models", "computational model", "learning models", "learning systems",
        "automated systems", "synthetic media", "ai-generated", "ai generated",
    ],
    "TRAIN_STRONG": ["train", "trains", "trained", "training", "fine-tune", "fine-tuned", "fine-tuning", "fine tune",
                     "fine tuning", "teach", "teaching", "machine learning", "machine-learning"],
    "TRAIN_WEAK": _inflect("develop", "improve", "enhance", "build", "ingest", "feed", "refine", "calibrate")
    + ["development", "improvement", "improvements", "research and development", "input"],
    "TECH_OBJECT": ["technology", "technologies", "system", "systems", "software", "tools", "models", "engine",
                    "engines", "products and services", "platform", "platforms", "algorithms", "neural"],
    "REPLICA_STRONG": [
        "digital replica", "digital replicas", "digital double", "digital doubles", "digital twin", "digital twins",
        "digital likeness", "digital likenesses", "digital version", "digital versions", "digital human",
        "digital humans", "digital recreation", "digital re-creation", "digital representation",
        "digital representations", "digital avatar", "digital avatars", "avatar", "avatars", "virtual likeness",
        "virtual version", "voice model", "voice models", "vocal model", "vocal models", "voice clone", "voice clones",
        "voice cloning", "cloned voice", "synthetic voice", "synthetic voices", "synthesized voice", "likeness model",
        "3d model", "3-d model", "3d models", "digital model", "digital models", "deepfake", "deepfakes",
        "deep fake", "deep fakes", "hologram", "holograms", "holographic", "photogrammetry", "volumetric capture",
        "body scan", "body scans", "face scan", "facial scan", "3d scan", "3d scans", "digital scan", "digital scans",
        "reproductions or simulations", "computer-generated likeness", "computer generated likeness",
        "performance capture", "motion capture", "mo-cap", "mocap", "virtual performer", "virtual performers",
        "digitally recreate", "digitally re-create", "digitally recreated", "digitally replicate",
        "digitally replicated", "voice double",
    ],
    "REPLICA_WEAK": _inflect("clone", "synthesize", "synthesise", "simulate", "recreate", "re-create", "replicate",
                             "scan", "digitize", "digitise")
    + ["simulation", "simulations", "synthesis", "recreation", "re-creation", "replica", "replicas",
       "computer-generated", "computer generated", "cgi", "emulate", "emulation", "digitized", "digitised"],
    "SYNTHETIC_WEAK": [
        "new performances", "new performance", "new vocal performances", "new material", "new recordings",
        "never performed", "did not perform", "not actually performed", "additional performances", "substitute",
        "substitutes", "replace", "replaces", "replacement", "in lieu of", "new content", "new dialogue",
        "new lines", "new scenes", "new songs", "perform", "performing",
    ],
    "SYNTHETIC": [
        "synthetic performer", "synthetic performers", "synthetic performance", "synthetic performances",
        "synthetic voice", "synthetic voices", "synthetic vocal", "synthetic vocals", "synthetic content",
        "synthetic media", "synthetic likeness", "ai-generated", "ai generated", "generated by artificial intelligence",
        "machine-generated", "machine generated", "digitally generated", "virtual performer", "virtual performers",
        "virtual influencer", "virtual influencers", "digital human", "digital humans", "in the style of",
        "sound-alike", "soundalike", "sound alike", "sound-alikes", "soundalikes", "look-alike", "lookalike",
        "look alike", "look-alikes", "impersonate", "impersonates", "impersonation", "impersonations",
        "impersonator", "imitate", "imitates", "imitation", "imitations", "voice imitation",
        "generated performer", "generated performers",
        "generated voice", "generated voices", "generated likeness", "derivative voice", "derivative voices",
    ],
    "DERIVED": ["derived from", "based on", "based upon", "modeled on", "modelled on", "trained on", "resembling",
                "recognizable as", "recognisable as", "reminiscent of", "inspired by"],
    # --- scope and time
    "PERPETUAL": [
        "in perpetuity", "perpetuity", "perpetual", "perpetually", "forever", "for all time", "without limitation as to time",
        "without time limit", "without limit of time", "unlimited duration", "no time limit", "full period of copyright",
        "full term of copyright", "life of copyright", "renewals and extensions", "indefinitely", "indefinite",
        "in all renewals", "for all time to come", "at any time thereafter", "at any time in the future",
    ],
    "IRREVOCABLE": ["irrevocable", "irrevocably", "may not be revoked", "cannot be revoked", "can not be revoked",
                    "not revocable", "non-revocable", "nonrevocable", "may not revoke", "cannot revoke",
                    "shall not revoke", "no right to revoke", "not be entitled to revoke", "waives any right to revoke",
                    "without right of revocation", "not be revoked", "shall not be revocable"],
    "SURVIVE": ["survive", "survives", "shall survive", "survival", "notwithstanding termination",
                "notwithstanding the termination", "notwithstanding expiration", "notwithstanding the expiration",
                "after the term", "after termination", "after the termination", "after expiration",
                "after the expiration", "following termination", "following the termination", "following expiration",
                "following the expiration", "beyond the term", "post-term", "thereafter"],
    "UNIVERSE": ["throughout the universe", "universe", "throughout the world", "worldwide", "world-wide",
                 "anywhere in the world", "all territories", "the world"],
    "ALL_MEDIA": [
        "all media", "any media", "any and all media", "all forms of media", "media now known", "now known or hereafter",
        "now known or later", "now existing or hereafter", "now existing or later", "hereafter devised",
        "hereafter developed", "hereafter invented", "hereafter created", "later developed", "later devised",
        "later invented", "later existing", "hereafter existing", "any medium", "all mediums", "all media formats",
        "all formats", "any format", "any and all formats", "any technology", "any and all technologies",
        "whether now known", "now or hereafter known", "all manner of media", "every medium", "all channels",
        "all platforms",
    ],
    "ANY_PURPOSE": [
        "any and all purposes", "any purpose", "any purposes", "all purposes", "any lawful purpose",
        "any lawful purposes", "any purpose whatsoever", "any use", "all uses", "any and all uses",
        "unlimited", "without limitation", "without restriction", "without restrictions", "unrestricted",
        "in any manner", "in any way", "any manner whatsoever", "in any manner whatsoever", "as it sees fit",
        "as company sees fit", "in its sole discretion", "sole discretion", "absolute discretion",
        "unlimited right", "for any reason", "in any and all manner",
    ],
    "RESULTS": ["results and proceeds", "all results", "work product"],
    "REUSE": [
        "sequel", "sequels", "prequel", "prequels", "remake", "remakes", "spin-off", "spin-offs", "spinoff", "spinoffs",
        "derivative work", "derivative works", "derivative production", "derivative productions", "derivatives",
        "other production", "other productions", "other project", "other projects", "any project", "any projects",
        "any production", "any productions", "future production", "future productions", "future project",
        "future projects", "other motion picture", "other motion pictures", "other program", "other programs",
        "other programmes", "other games", "other episodes", "subsequent production", "subsequent productions",
        "any other production", "any other productions", "other works", "library", "libraries", "stock footage",
        "reuse", "re-use", "reused", "re-used", "repurpose", "re-purpose", "repurposed",
        "compilation", "compilations", "other titles", "other albums", "other products", "new works",
        "other media productions", "unrelated productions", "any other purpose", "any other medium", "outtakes",
        "other advertising", "other campaigns", "future campaigns",
    ],
    "ALTER": _inflect("alter", "manipulate", "retouch", "distort", "morph", "revoice", "re-voice", "composite",
                      "reshape", "airbrush")
    + ["modify", "modifies", "modified", "modifying", "digital alteration", "digital alterations",
       "manipulation", "manipulations", "dub", "dubs", "dubbed", "dubbing", "lip-sync", "lip sync", "lip-synch",
       "lip synch", "lipsync", "lip-synced", "lip-synching", "distortion", "distortions", "composites",
       "add to", "delete from", "change dialogue", "change the dialogue", "change dialog", "additional dialogue",
       "re-record", "re-records", "re-recorded", "digitally altered", "digitally enhanced", "digitally modified",
       "re-edit", "re-edited", "recut", "re-cut"],
    "CUSTOMARY": ["customary editing", "customary", "for timing", "for time", "technical reasons", "technical",
                  "standard editing", "substantially as performed", "color correction", "colour correction",
                  "editing for length", "not materially", "minor adjustments", "cutting for time",
                  "in the ordinary course of post-production", "routine", "conventional"],
    "DEPICT_ANY": [
        "in any manner", "any manner whatsoever", "in any context", "any context", "distorted",
        "composite or distorted", "distorted in character", "distorted in character or form", "without approval",
        "without the approval", "without inspection", "without your approval", "without my approval",
        "any product", "any products", "any cause", "in conjunction with any", "any subject matter",
        "any purpose whatsoever", "without restriction", "unrestricted", "any advertising", "any and all purposes",
        "any purpose", "in its sole discretion", "sole discretion", "any manner",
    ],
    "APPROVAL": ["right to approve", "right of approval", "approval right", "approval rights", "prior approval",
                 "prior written approval", "written approval", "approval", "approve", "approves", "approved",
                 "mutually approved", "mutually agreed", "right to review", "consultation", "veto"],
    "DEEMED": ["deemed approved", "deemed to have approved", "deemed approval", "deemed given", "deemed consent",
               "deemed to have consented", "deemed to consent", "deemed to have been approved",
               "deemed to have been given", "failure to respond", "fails to respond", "does not respond",
               "no response", "not respond", "not objected to", "not disapproved", "does not object",
               "fails to object", "failure to object", "not object"],
    "NO_COMP": [
        "no additional compensation", "without additional compensation", "without further compensation",
        "no further compensation", "without additional payment", "without further payment", "no further payment",
        "no additional payment", "without any compensation", "without compensation", "no compensation",
        "without any payment", "without payment", "free of charge", "at no cost", "at no charge", "royalty-free",
        "royalty free", "without royalty", "without royalties", "fully paid", "fully paid-up", "fully-paid",
        "full consideration", "full and complete consideration", "sole consideration", "complete consideration",
        "buyout", "buy-out", "flat fee", "one-time fee", "covers all uses", "in full payment", "full compensation",
        "no residuals", "without residuals", "not entitled to any additional", "not be entitled to additional",
        "not be entitled to any additional", "not entitled to any further", "not be entitled to any further",
        "gratis", "without fee", "no fee", "no fees", "without any further", "without additional consideration",
        "without further consideration", "no additional consideration", "no further consideration",
        "no other compensation", "no payment", "inclusive of all", "included in the fee", "included in the session fee",
        "payment in full", "full payment", "without any additional", "no additional fee", "no additional fees",
        "no royalties", "no royalty", "without further remuneration", "no further remuneration",
        "without additional remuneration", "no additional remuneration", "no remuneration", "without remuneration",
    ],
    "PAY_SPECIFIC": ["per use", "per-use", "each use", "reuse fee", "re-use fee", "use fee", "use fees", "residual",
                     "residuals", "scale", "scale or better", "additional compensation", "separate fee",
                     "separate payment", "replica fee", "training fee", "license fee", "royalty", "royalties",
                     "session fee", "additional payment", "additional fee", "negotiate in good faith"],
    "CONSENT_BUNDLED": ["by signing", "by executing", "by signing this", "by signing below", "signature below",
                        "signature hereto", "execution of this agreement", "execution hereof", "deemed to consent",
                        "deemed to have consented", "hereby consents", "hereby consent", "hereby authorizes",
                        "hereby authorize", "hereby grants", "hereby grant", "hereby agrees", "hereby agree",
                        "acknowledges and agrees", "hereby acknowledges", "irrevocably consents",
                        "irrevocably authorizes", "consents to", "consent to"],
    "SEPARATE_CONSENT": [
        "separate written consent", "separately signed", "separate consent", "separate rider", "separately executed",
        "separate agreement", "separate signature", "separately initialed", "separately initialled",
        "specific consent", "informed consent", "express written consent", "express consent", "explicit consent",
        "opt in", "opt-in", "opts in", "clear and conspicuous", "separate written agreement", "separately negotiated",
        "new consent", "fresh consent", "additional consent", "further written consent", "prior written consent",
        "prior consent", "written consent", "express prior written consent", "reasonably specific description",
    ],
    "WAIVE": _inflect("waive", "release", "discharge", "relinquish", "forgo", "forego")
    + ["waiver", "waivers", "hold harmless", "covenant not to sue", "not to sue", "no claim", "no claims",
       "shall not assert", "agrees not to assert", "will not assert", "not make any claim", "shall have no claim",
       "not bring any claim", "no right of action", "will not bring", "assume the risk", "any claims"],
    "WAIVE_OBJ": [
        "privacy", "invasion of privacy", "right of privacy", "rights of privacy", "right of publicity",
        "rights of publicity", "publicity rights", "moral rights", "moral right", "droit moral",
        "droits moraux", "defamation", "libel", "slander", "false light", "right to inspect", "right to approve",
        "approval rights", "right of approval", "inspect or approve", "inspect and/or approve", "personality rights",
        "image rights", "misappropriation", "rights of personality", "right of attribution", "right of integrity",
        "droit de suite", "likeness rights", "name and likeness rights",
    ],
    "CONDITION": ["condition of employment", "condition of engagement", "condition of this agreement",
                  "condition of being engaged", "condition of hiring", "condition precedent", "as a condition",
                  "required to consent", "must consent", "must agree", "shall consent", "refusal to consent",
                  "failure to consent", "condition of participation", "condition of receiving"],
    "NOT_CONDITION": ["not a condition", "refusal shall not", "refusal will not", "will not affect", "shall not affect",
                      "without penalty", "no penalty", "no adverse", "not be penalized", "not be penalised",
                      "voluntary", "entirely voluntary", "completely voluntary", "free to decline", "may decline"],
    "REVOKE_OK": ["may revoke", "revocable", "right to revoke", "revoke", "revokes", "withdraw consent",
                  "withdraw his consent", "withdraw her consent", "withdraw their consent", "withdraw my consent",
                  "withdraw your consent", "withdraw", "revocation", "suspend", "suspension", "opt out", "opt-out",
                  "cease", "stop using", "discontinue"],
    "ASSIGN": _inflect("assign", "transfer", "sublicense", "sub-license", "sublicence", "sub-licence", "license",
                       "licence", "delegate")
    + ["assignable", "assignment", "assignments", "transferable", "transferrable", "sublicensable",
       "sub-licensable", "sublicensee", "sublicensees", "sub-licensee", "sub-licensees", "licensees", "licensee",
       "designees", "designee", "third parties", "third party", "affiliates", "successors", "assigns",
       "successors and assigns", "sublicenses", "sublicences"],
    "ASSIGN_STRONG": _inflect("sublicense", "sub-license", "sublicence", "sub-licence")
    + ["sublicensable", "sub-licensable", "sublicensee", "sublicensees", "sub-licensee", "sub-licensees",
       "freely assign", "freely assignable", "freely transferable", "assign or transfer", "transfer or assign",
       "assign, transfer", "assign and transfer", "assignable", "transferable", "freely", "licensees", "designees",
       "third parties", "third party", "any person", "any entity", "others", "any other person", "assigns",
       "licensees and assigns", "affiliates", "successors", "sublicenses", "sublicences", "license to others",
       "license others", "permit others", "those acting"],
    "DEATH": ["death", "deceased", "posthumous", "posthumously", "after death", "died", "dies", "post-mortem",
              "postmortem", "post mortem", "lifetime", "after his lifetime", "after her lifetime", "after the lifetime",
              "estate", "decease", "demise"],
    "HEIRS": ["heirs", "estate", "executors", "administrators", "personal representatives", "legal representatives",
              "beneficiaries", "successors in interest"],
    "BINDING": ["binding upon", "binding on", "inure to the benefit", "enure to the benefit", "inures to the benefit",
                "shall be binding", "be binding"],
    "NEG": [
        "shall not", "will not", "may not", "must not", "cannot", "can not", "could not", "should not", "shall never",
        "will never", "not permitted", "not be permitted", "is prohibited", "are prohibited", "prohibited",
        "prohibits", "prohibit", "no right", "no rights", "not have the right", "not have any right", "no license",
        "no licence", "not be entitled", "not entitled", "in no event", "under no circumstances", "nothing in this",
        "nothing herein", "nothing contained", "does not grant", "do not grant", "does not include", "do not include",
        "not include", "excludes", "excluded", "exclude", "expressly reserved", "reserved",
        "neither", "never", "not authorize", "not authorized", "does not authorize", "not to use", "refrain from",
        "not be used", "not use", "no use", "does not permit", "do not permit", "will not be", "shall not be",
        "no consent", "is not granted", "are not granted", "not granted", "without any right", "without the right",
        "no right to", "non-transferable", "non-assignable", "non-sublicensable", "nontransferable",
        "nonassignable",
    ],
    "EXCEPT": ["except", "excepting", "other than", "save for", "save that", "unless", "provided that",
               "provided, however", "provided however", "except that", "except for", "except as", "but may",
               "however, company may", "notwithstanding the foregoing"],
    "CONSENT_WORD": ["consent", "consents", "approval", "approve", "approves", "approved", "authorization",
                     "authorisation", "permission", "agreement", "rider", "agreed", "separately", "negotiated",
                     "opt-in", "opt in", "agrees in writing", "signed"],
    "NOTICE": ["notify", "notifies", "notified", "notification", "notice", "notices", "usage report", "usage reports",
               "report", "reports", "reporting", "label", "labels", "labeled", "labelled", "labelling", "labeling",
               "watermark", "watermarks", "watermarked", "watermarking", "disclose", "discloses", "disclosed",
               "disclosure", "identified as", "clearly identify", "clearly identified", "identify as", "inform",
               "informs", "informed", "transparency"],
    "DATA_SEC": ["delete", "deletes", "deleted", "deletion", "destroy", "destroys", "destroyed", "destruction",
                 "erase", "erased", "erasure", "purge", "purged", "retention period", "data retention", "securely",
                 "secure storage", "secure location", "security measures", "encrypted", "encryption", "access controls",
                 "access control", "access limited", "restrict access", "industry-standard security",
                 "industry standard security", "data protection", "return or destroy", "stored securely",
                 "safeguards", "safeguard", "data security", "breach notification", "security breach",
                 "unauthorized access", "unauthorised access"],
    "DATA_OBJECT": ["data", "recordings", "recording", "scans", "scan", "scan data", "capture data", "voice data",
                    "performance data", "biometric", "biometric data", "digital replica", "digital replicas",
                    "voice model", "voice models", "datasets", "dataset", "materials", "files", "footage",
                    "information", "video", "videos", "audio"],
    "COUNSEL": ["independent counsel", "legal counsel", "own counsel", "counsel of", "represented by counsel",
                "advice of counsel", "independent legal advice", "legal representation", "consult with an attorney",
                "consult an attorney", "consulted with an attorney", "consult a lawyer", "consulted a lawyer",
                "consult with counsel", "consulted with counsel", "opportunity to consult", "represented by an attorney",
                "represented by a lawyer", "represented by legal counsel", "solicitor", "counsel for performer",
                "counsel for artist", "counsel for talent", "performer's counsel", "artist's counsel", "talent's counsel",
                "performer's attorney", "artist's attorney", "talent's attorney", "reviewed by counsel",
                "negotiated by counsel", "advised by counsel", "legal adviser", "legal advisor", "entertainment attorney",
                "entertainment lawyer", "independent legal counsel"],
    "UNION": ["sag-aftra", "sag aftra", "sag", "aftra", "screen actors guild", "actors' equity", "actors equity",
              "british equity", "equity (uk)", "afm", "american federation of musicians", "collective bargaining",
              "collective bargaining agreement", "union", "unions", "guild", "guilds", "basic agreement",
              "codified basic agreement", "interactive media agreement", "commercials contract", "netcode", "pact",
              "union scale", "wga", "dga", "actra", "meaa", "musicians' union", "musicians union", "equity agreement",
              "equity minimum", "equity minimums", "equity rules"],
    "MINOR": ["a minor", "the minor", "minor's", "minors", "under the age of 18", "under the age of eighteen",
              "under 18", "under eighteen", "child performer", "parent or guardian", "parent or legal guardian",
              "parent/guardian", "parent / guardian", "legal guardian", "guardian", "coogan", "child actor",
              "if under 18", "under age 18", "not yet 18", "infant", "young children", "children"],
    "RESTRICT": ["solely for", "only for", "only in", "exclusively for", "limited to", "solely in connection with",
                 "only in connection with", "schedule of permitted uses", "permitted uses", "use schedule",
                 "described in schedule", "set forth in schedule", "listed in", "specific uses", "as described in",
                 "reasonably specific description", "solely in", "only within", "strictly limited",
                 "solely to", "only to", "only the uses", "the uses listed"],
    "GRANT": ["usable", "exploitable"] + _inflect("grant", "license", "licence", "authorize", "authorise", "permit", "allow", "consent", "assign",
                      "own", "use", "exploit", "exhibit", "distribute", "reproduce", "publish", "broadcast",
                      "transmit", "display", "advertise", "sell", "create", "make", "produce", "perform")
    + ["right", "rights", "may", "entitled", "permission", "ownership", "owner", "property", "title", "hereby",
       "shall have", "is entitled", "free to", "the right to", "unlimited right", "exclusive right", "sole right"],
    "COMPANY_MAY": ["company may", "producer may", "studio may", "licensee may", "client may", "sponsor may",
                    "brand may", "agency may", "publisher may", "label may", "network may", "photographer may",
                    "company shall have the right", "producer shall have the right", "licensee shall have the right",
                    "company shall be entitled", "producer shall be entitled", "company is entitled",
                    "shall have the right", "shall be entitled", "is entitled", "are entitled", "may freely",
                    "may, without", "may at any time", "reserves the right"],
    "BOTH_PARTIES": ["neither party", "either party", "each party", "both parties", "neither of the parties",
                     "the parties", "neither tpc nor"],
    "TERM_LIMIT": ["during the term", "during the contract period", "during the license period",
                   "during the licence period", "during the period", "term of this agreement", "for the term",
                   "within the term", "until the expiration", "until the end of the term", "during the agreement term",
                   "expires", "expiration of the term", "end of the term", "limited term", "sell-off",
                   "sell off", "during the sponsorship term", "during the endorsement term"],
    "VOICE_TELECOM": ["voice processing", "voice over ip", "voip", "voice mail", "voicemail", "voice services",
                      "voice service", "voice calls", "voice call", "voice traffic", "voice and data", "voice data network",
                      "voice network", "voice line", "voice lines", "voice response", "voice recognition software",
                      "voice commands", "voice command", "voice channel", "voice channels", "voice communications",
                      "voice communication", "voice carrier", "interactive voice", "voice-enabled", "voice enabled",
                      "voice assistant", "voice messaging", "voice terminals", "voice products", "voice port",
                      "voice ports", "voice grade", "voice-grade", "voice portal", "voice features",
                      "product model", "model number", "model numbers", "models of", "business model",
                      "replica of the product", "product replica", "replicas of the product", "disk image",
                      "system image", "images of the software", "software image", "image file", "brand image",
                      "corporate image", "public image of the company", "trade name", "trade names",
                      "domain name", "domain names", "user name", "username", "product name", "product names",
                      "company name", "business name", "performance of this agreement", "performance of its obligations",
                      "performance of the services", "performance hereunder", "performance under this agreement",
                      "performance of the software", "performance standards", "performance of their obligations",
                      "specific performance", "performance bond", "performance of the agreement",
                      "its performance", "the performance of", "performance warranty", "performance levels",
                      "performance metrics", "key performance", "non-performance", "nonperformance"],
}

# token patterns: (concept, pattern)
TOKEN_PATTERNS: list[tuple[str, list[dict]]] = [
    # "No digital replica shall ..." / "No right is granted ..." -- a sentence-opening "no"
    ("NEG", [{"IS_SENT_START": True, "LOWER": "no"}]),
    # "non-exclusive, non-sublicensable": a "non-" prefix negates the word it is attached to
    ("NEG", [{"LOWER": "non"}, {"ORTH": "-"}, {"LOWER": {"IN": ["sublicensable", "sub", "transferable", "transferrable",
                                                                 "assignable", "revocable"]}}]),
    ("NEG", [{"LOWER": {"IN": [";", ":", ","]}}, {"LOWER": "no"}, {"IS_ALPHA": True, "OP": "{0,4}"},
             {"LOWER": {"IN": ["shall", "will", "may", "is", "are", "can"]}}]),
    # "without Performer's separate written consent"
    ("SEPARATE_CONSENT", [{"LOWER": "without"}, {"OP": "{0,4}"},
                          {"LOWER": {"IN": ["separate", "specific", "express", "informed", "explicit", "prior"]}},
                          {"OP": "{0,2}"}, {"LOWER": {"IN": ["consent", "approval", "authorization", "permission"]}}]),
    ("SEPARATE_CONSENT", [{"LOWER": {"IN": ["only", "solely"]}}, {"LOWER": {"IN": ["with", "upon", "after"]}},
                          {"OP": "{0,5}"}, {"LOWER": {"IN": ["consent", "approval", "agreement", "authorization"]}}]),
    # "years of age" with a number under 18: minors
    ("MINOR", [{"LIKE_NUM": True}, {"LOWER": "years"}, {"LOWER": "of"}, {"LOWER": "age"}]),
    # "without further notice/consent/approval": aggravates a grant
    ("NO_CONSENT_NEEDED", [{"LOWER": "without"}, {"LOWER": {"IN": ["further", "any", "additional", "the", "your", "my"]}, "OP": "?"},
                           {"LOWER": {"IN": ["further", "additional", "prior"]}, "OP": "?"},
                           {"LOWER": {"IN": ["consent", "approval", "notice", "permission", "authorization"]}}]),
]


@lru_cache(maxsize=1)
def matchers():
    """(PhraseMatcher, Matcher) built over the shared blank English pipeline."""
    from spacy.matcher import Matcher, PhraseMatcher

    from ..segment.sentences import pipeline

    nlp = pipeline()
    phrase = PhraseMatcher(nlp.vocab, attr="LOWER")
    for concept, phrases in CONCEPTS.items():
        phrase.add(concept, [nlp.make_doc(p) for p in sorted(set(phrases))])
    token = Matcher(nlp.vocab)
    for i, (concept, pattern) in enumerate(TOKEN_PATTERNS):
        token.add(f"{concept}#{i}", [pattern])
    return phrase, token
