"""Playbooks: the gap taxonomy, the detection lexicon and an organisation's own line on them, as data.

The default playbook (``default.toml`` beside this module, shipped in the package) holds what the rules read:
every gap's kind, severity, remedy template and the words the reports show, the phrase concepts and the spaCy
token patterns. The rules' own regular expressions are named patterns in ``patterns/<module>.toml``, one file
per rule module (``classify/clause_rules.py`` reads ``patterns/clause_rules.toml`` through
:func:`castguard.playbooks.rulepatterns.patterns_of`). The Python rules keep the logic (which patterns combine,
in what order); the data is here.

An organisation's playbook (``--playbook FILE``) overlays the default::

    [playbook]
    name = "union-strict"
    templates_dir = "templates"          # its own remedy templates, relative to this file

    [gaps.replica_use_unspecified]
    severity = "high"                    # low | medium | high
    remedy = "union_replica_schedule"    # templates/union_replica_schedule.md.j2
    [gaps.ai_disclosure_missing]
    enabled = false                      # not raised

    [concepts.add]
    REPLICA_STRONG = ["digital double", "body scan"]
    [concepts.remove]
    PERSON_WEAK = ["photos"]

    [[rules]]                            # raises the gap on a sentence that matches
    gap = "replica_creation_grant"
    phrases = ["volumetric capture"]     # and/or regex = '''...''', concepts = ["PERSON_STRONG"]
    why = "Our line: any volumetric capture is a replica session."
    [[rules]]                            # narrows: the gap is not raised where this matches
    gap = "digital_alteration"
    suppress = true
    phrases = ["colour correction only"]

    [patterns.clause_rules.NAME]         # replaces one built-in rule pattern (playbook show --patterns)
    regex = '''...'''
    flags = "i"

Everything is checked when the file is loaded; a problem is one :class:`~castguard.errors.PlaybookError` naming
the file, the line and what is wrong. Parsing TOML costs tens of milliseconds, so the default is read from
``default.compiled.json`` (the same data, written by ``python -m castguard.playbooks``) whenever that file was
compiled from the current ``default.toml`` (its sha256 is recorded); otherwise from the TOML itself.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import PlaybookError
from ..templating.sandbox import remedy_template_problem

__all__ = [
    "DEFAULT_NAME",
    "Gap",
    "Playbook",
    "PlaybookRule",
    "RulePattern",
    "SEVERITIES",
    "compile_default",
    "default_playbook",
    "load_playbook",
    "show_patterns",
    "show_playbook",
]

DEFAULT_NAME = "default"
SEVERITIES = ("low", "medium", "high")
KINDS = ("clause", "contract", "clause or contract")
MAX_PLAYBOOK_BYTES = 1024 * 1024
MAX_PHRASE = 200
MAX_REGEX = 1000
_HERE = Path(__file__).resolve().parent
DEFAULT_TOML = _HERE / "default.toml"
COMPILED_JSON = _HERE / "default.compiled.json"

_GAP_TEXT = ("title", "why", "protection", "protects")
_GAP_KEYS_DEFAULT = ("kind", "severity", "severity_likeness", "enabled", "remedy", *_GAP_TEXT, "anchors")
_GAP_KEYS_USER = ("severity", "severity_likeness", "enabled", "remedy")
_RULE_KEYS = ("gap", "phrases", "regex", "concepts", "suppress", "scope", "why")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._+-]{0,59}")
_REMEDY = re.compile(r"[a-z][a-z0-9_]{0,60}")
_CONCEPT = re.compile(r"[A-Z][A-Z0-9_]{0,40}")
PATTERNS_DIR = _HERE / "patterns"
_PATTERN_KEYS = ("why", "flags", "regex", "fragment")
_PATTERN_KEYS_USER = ("why", "flags", "regex")
_FLAGS = {"i": re.I, "m": re.M, "s": re.S, "x": re.X}
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")


@dataclass(frozen=True)
class Gap:
    """One gap of the taxonomy as a playbook sets it."""

    id: str
    kind: str  # clause | contract | clause or contract
    severity: str
    title: str  # plain words for a table row
    why: str  # why it matters, for a person reading the report
    protection: str  # what the addendum asks for
    anchors: tuple[str, ...]
    remedy: str  # the addendum template: remedies/<remedy>.md.j2
    protects: str = ""  # what a protective clause does, for the report's protections
    severity_likeness: str | None = None  # the severity when the cues name the likeness, voice or a replica
    enabled: bool = True


@dataclass(frozen=True)
class PlaybookRule:
    """An extra rule of a user playbook: raises ``gap`` on a sentence that matches, or (``suppress``) keeps it
    from being raised there (``scope`` "contract": anywhere in a contract that matches)."""

    gap: str
    phrases: tuple[str, ...] = ()
    regex: str | None = None
    concepts: tuple[str, ...] = ()
    suppress: bool = False
    scope: str = "sentence"
    why: str = ""
    line: int = 0
    pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    def matches(self, text: str, concepts_present=None) -> re.Match[str] | None:
        """The first match in ``text`` (of the phrases or the regex), when every named concept is present.
        A rule with concepts only matches the whole text."""
        if self.concepts and (concepts_present is None or not all(concepts_present(c) for c in self.concepts)):
            return None
        if self.pattern is None:
            return re.match(r"(?s).*", text)
        return self.pattern.search(text)

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"gap": self.gap}
        for key in ("phrases", "regex", "concepts", "why"):
            value = getattr(self, key)
            if value:
                d[key] = list(value) if isinstance(value, tuple) else value
        if self.suppress:
            d["suppress"] = True
            d["scope"] = self.scope
        return d


@dataclass(frozen=True)
class RulePattern:
    """One named regular expression of a rule module (``patterns/<module>.toml``), placeholders expanded."""

    module: str
    name: str
    regex: str  # as compiled: {{FRAGMENT}} and {{vocab.NAME}} replaced
    flags: str  # letters of "imsx"
    why: str  # what it finds, for a person reading the playbook
    fragment: bool = False  # a part of other patterns, never compiled alone
    # the words one of which every match contains (castguard.prefilter.required_words), stored in
    # default.compiled.json for the built-in patterns; False: not known yet, read from the regex on first use
    words: tuple[str, ...] | None | bool = field(default=False, compare=False, repr=False)

    def flag_bits(self) -> int:
        bits = 0
        for letter in self.flags:
            bits |= _FLAGS[letter]
        return bits


@dataclass(frozen=True)
class Playbook:
    name: str
    version: str
    description: str
    source: str  # the file it was read from ("built-in" for the default)
    sha256: str  # of the effective content (see :func:`_digest`)
    gaps: dict[str, Gap]
    concepts: dict[str, tuple[str, ...]]  # concept -> every phrase, in file order
    concept_parts: dict[str, dict[str, tuple[str, ...]]]  # concept -> named list -> phrases
    token_patterns: tuple[tuple[str, list[dict]], ...]
    rules: tuple[PlaybookRule, ...] = ()
    templates: dict[str, Path] = field(default_factory=dict)  # custom remedy -> its template file
    matcher_key: str = DEFAULT_NAME  # equal keys: the same concepts and token patterns
    patterns: dict[str, dict[str, RulePattern]] = field(default_factory=dict)  # module -> name -> pattern
    pattern_key: str = DEFAULT_NAME  # equal keys: the same rule patterns
    changes: tuple[str, ...] = ()  # what a user playbook changes, one line each (for ``show``)

    @property
    def is_default(self) -> bool:
        return self.source == "built-in"

    def ref(self) -> dict[str, str]:
        """What the reports and the run store record: the name and the hash."""
        return {"name": self.name, "sha256": self.sha256}

    def enabled(self, gap: str) -> bool:
        g = self.gaps.get(gap)
        return g is None or g.enabled


# --------------------------------------------------------------------------- locating keys in the text


class _Lines:
    """Where each key of a TOML file is defined, so an error can name its line."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(
        r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
    )

    def __init__(self, text: str):
        self.where: dict[tuple, int] = {}
        table: tuple = ()
        arrays: dict[tuple, int] = {}
        depth = 0  # inside a multi-line array or string: no keys there
        for n, line in enumerate(text.splitlines(), 1):
            if depth == 0:
                m = self._HEADER.match(line)
                if m:
                    path: tuple = tuple(self._parts(m.group(2)))
                    if m.group(1) == "[[":
                        arrays[path] = arrays.get(path, -1) + 1
                        path = path + (arrays[path],)
                    table = path
                    self.where.setdefault(table, n)
                    continue
                k = self._KEY.match(line)
                if k:
                    self.where.setdefault(table + tuple(self._parts(k.group(1))), n)
            depth = max(0, depth + self._balance(line))

    @staticmethod
    def _parts(dotted: str) -> list[str]:
        return [p.strip().strip("\"'") for p in re.findall(r""""[^"]*"|'[^']*'|[^.]+""", dotted)]

    @staticmethod
    def _balance(line: str) -> int:
        line = re.sub(r'"(?:\\.|[^"\\])*"|\'[^\']*\'|#.*$', "", line)
        return line.count("[") - line.count("]")

    def line(self, *path) -> int:
        """The line of ``path`` or of the nearest table above it (0 when unknown)."""
        for i in range(len(path), 0, -1):
            n = self.where.get(tuple(path[:i]))
            if n:
                return n
        return 0


class _Checker:
    def __init__(self, source: str, text: str):
        self.source = source
        self.lines = _Lines(text)

    def fail(self, path: tuple, message: str) -> PlaybookError:
        n = self.lines.line(*path)
        where = f"line {n}: " if n else ""
        return PlaybookError(f"{where}{message}", path=self.source)

    def table(self, value, path: tuple, what: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, f"{what} must be a table")
        return value

    def keys(self, value: dict, allowed, path: tuple, what: str) -> None:
        for key in value:
            if key not in allowed:
                hint = difflib.get_close_matches(key, list(allowed), n=1)
                also = f"did you mean {hint[0]!r}? " if hint else ""
                raise self.fail(path + (key,), f"unknown key {key!r} in {what}; {also}allowed: {', '.join(allowed)}")

    def string(self, value, path: tuple, what: str, *, limit: int = 2000) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, f"{what} must be a non-empty string")
        if len(value) > limit or any(ord(c) < 32 and c not in "\t" for c in value):
            raise self.fail(path, f"{what} must be one line of at most {limit} characters")
        return value

    def phrases(self, value, path: tuple, what: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(path, f"{what} must be a non-empty list of phrases")
        return tuple(self.string(p, path, f"each phrase of {what}", limit=MAX_PHRASE) for p in value)

    def severity(self, value, path: tuple, what: str) -> str:
        if value not in SEVERITIES:
            raise self.fail(path, f"{what} is {value!r}; it must be one of {', '.join(SEVERITIES)}")
        return value

    def gap_id(self, gap: str, known, path: tuple) -> str:
        if gap not in known:
            hint = difflib.get_close_matches(str(gap), list(known), n=1)
            also = f"did you mean {hint[0]}? " if hint else ""
            raise self.fail(path, f"unknown gap id {gap!r}; {also}`castguard playbook show` lists the ids")
        return gap


# --------------------------------------------------------------------------- reading


def _parse(text: str, source: str) -> dict:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", message)
        what = re.sub(r"\s*\(at line \d+, column \d+\)", "", message).strip() or "syntax error"
        where = f"line {m.group(1)}, column {m.group(2)}: " if m else ""
        raise PlaybookError(
            f"{where}not valid TOML ({what}); fix the file (castguard playbook check FILE)", path=source
        ) from None


def _read_text(path: Path) -> str:
    source = str(path)
    if not path.exists():
        raise PlaybookError("the playbook file does not exist; check the path given to --playbook", path=source)
    if not path.is_file():
        raise PlaybookError("the playbook is not a file; give --playbook a .toml file", path=source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlaybookError(f"the playbook cannot be read ({exc.strerror})", path=source) from None
    if len(data) > MAX_PLAYBOOK_BYTES:
        raise PlaybookError(f"the playbook is larger than {MAX_PLAYBOOK_BYTES // 1024} KB", path=source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlaybookError(
            f"the playbook is not UTF-8 text (byte {exc.start}); save it as UTF-8", path=source
        ) from None


def _pattern_files() -> list[tuple[str, Path, bytes]]:
    """(module, path, bytes) of every ``patterns/<module>.toml``, by module."""
    return [(p.stem, p, p.read_bytes()) for p in sorted(PATTERNS_DIR.glob("*.toml"))]


def _source_sha(raw: bytes, files: list[tuple[str, Path, bytes]]) -> str:
    """What the compiled JSON was made from: default.toml, every pattern file and the vocabulary they name."""
    from ..vocabulary import regex_vocabulary

    h = hashlib.sha256(raw)
    for module, _, data in files:
        h.update(b"\0" + module.encode() + b"\0" + data.replace(b"\r\n", b"\n"))
    h.update(json.dumps(regex_vocabulary(), sort_keys=True).encode())
    return h.hexdigest()


def _expand(raw: str, fragment_of, fail, path: tuple, seen: frozenset[str] = frozenset()) -> str:
    """``raw`` with each ``{{NAME}}`` (a fragment of the same file, ``fragment_of(NAME)`` its text) and each
    ``{{vocab.NAME}}`` (a word list of castguard.vocabulary as alternatives) written out."""
    from ..vocabulary import regex_vocabulary

    vocab = regex_vocabulary()

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key.startswith("vocab."):
            words = vocab.get(key[6:])
            if words is None:
                hint = difflib.get_close_matches(key[6:], list(vocab), n=1)
                raise fail(
                    path,
                    f"unknown placeholder {{{{{key}}}}}"
                    + (
                        f"; did you mean vocab.{hint[0]}?"
                        if hint
                        else f"; the word lists are {', '.join(sorted(vocab))}"
                    ),
                )
            return words
        text = fragment_of(key)
        if text is None:
            raise fail(path, f"{{{{{key}}}}} names no fragment of this file (a table with fragment = '...')")
        if key in seen:
            raise fail(path, f"the fragment {key} contains itself ({' -> '.join((*seen, key))})")
        return _expand(text, fragment_of, fail, path, seen | {key})

    return _PLACEHOLDER.sub(sub, raw)


def _pattern_entry(ck: _Checker, module: str, name: str, entry, *, user: bool) -> dict:
    """One pattern table checked (keys, why, flags, one of regex or fragment); returns it."""
    path = ("patterns", module, name) if user else (name,)
    what = f"[patterns.{module}.{name}]" if user else f"[{name}]"
    ck.table(entry, path, what)
    ck.keys(entry, _PATTERN_KEYS_USER if user else _PATTERN_KEYS, path, what)
    if not user or "why" in entry:
        ck.string(entry.get("why"), path + ("why",), f"{what} why", limit=500)
    flags = entry.get("flags", "")
    if not isinstance(flags, str) or any(c not in _FLAGS for c in flags):
        raise ck.fail(
            path + ("flags",),
            f'{what} flags must be letters of "imsx" (i: any case, m: ^ and $ at each line, s: . matches a line end, x: verbose)',
        )
    kinds = [k for k in ("regex", "fragment") if k in entry]
    if len(kinds) != 1:
        raise ck.fail(path, f"{what} needs exactly one of regex = '...'" + ("" if user else " or fragment = '...'"))
    value = entry[kinds[0]]
    if not isinstance(value, str) or not value.strip():
        raise ck.fail(path + (kinds[0],), f"{what} {kinds[0]} must be a non-empty string")
    if len(value) > 20 * MAX_REGEX:
        raise ck.fail(path + (kinds[0],), f"{what} {kinds[0]} is longer than {20 * MAX_REGEX} characters")
    return entry


def _read_patterns(files: list[tuple[str, Path, bytes]]) -> dict[str, dict[str, dict]]:
    """Every pattern file of the default playbook, checked: names, keys, placeholders, and each regex compiles."""
    out: dict[str, dict[str, dict]] = {}
    for module, path, raw in files:
        source = str(path)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PlaybookError(f"not UTF-8 text (byte {exc.start})", path=source) from None
        data = _parse(text, source)
        ck = _Checker(source, text)
        if not re.fullmatch(r"[a-z][a-z0-9_]*", module):
            raise PlaybookError(
                "a pattern file is named after its rule module: lower-case letters, digits, _", path=source
            )
        for name, entry in data.items():
            if not _CONCEPT.fullmatch(name):
                raise ck.fail((name,), f"pattern name {name!r} must be in capitals (A-Z, 0-9, _)")
            _pattern_entry(ck, module, name, entry, user=False)
        built = _build_patterns(module, data, ck.fail)
        for name, pat in built.items():
            if pat.fragment:
                continue
            try:
                re.compile(pat.regex, pat.flag_bits())
            except re.error as exc:
                raise ck.fail((name, "regex"), f"[{name}] regex does not compile ({exc})") from None
        out[module] = data
    return out


def _build_patterns(
    module: str, data: dict[str, dict], fail, words: dict[str, list[str] | None] | None = None
) -> dict[str, RulePattern]:
    """A pattern file's tables as :class:`RulePattern`, placeholders expanded; ``words``: the prefilter's words of
    each pattern, as ``default.compiled.json`` stores them."""

    def fragment_of(key: str) -> str | None:
        e = data.get(key)
        return e.get("fragment") if isinstance(e, dict) else None

    out = {}
    for name, e in data.items():
        kind = "fragment" if "fragment" in e else "regex"
        regex = _expand(e[kind], fragment_of, fail, (name, kind))
        known: tuple[str, ...] | None | bool = False
        if words is not None and name in words:
            w = words[name]
            known = None if w is None else tuple(w)
        out[name] = RulePattern(module, name, regex, e.get("flags", ""), e.get("why", ""), kind == "fragment", known)
    return out


def _default_data(text: str, source: str, files: list[tuple[str, Path, bytes]] | None = None) -> dict:
    """The default playbook's tables, checked: the whole taxonomy and lexicon, and the rule patterns."""
    data = _parse(text, source)
    ck = _Checker(source, text)
    ck.keys(data, ("playbook", "gaps", "concepts", "token_patterns"), (), "the default playbook")
    head = ck.table(data.get("playbook"), ("playbook",), "[playbook]")
    ck.string(head.get("name"), ("playbook", "name"), "[playbook] name")
    gaps = ck.table(data.get("gaps"), ("gaps",), "[gaps]")
    for gid, g in gaps.items():
        path = ("gaps", gid)
        ck.table(g, path, f"[gaps.{gid}]")
        ck.keys(g, _GAP_KEYS_DEFAULT, path, f"[gaps.{gid}]")
        if g.get("kind") not in KINDS:
            raise ck.fail(path + ("kind",), f"[gaps.{gid}] kind must be one of {', '.join(KINDS)}")
        ck.severity(g.get("severity"), path + ("severity",), f"[gaps.{gid}] severity")
        if "severity_likeness" in g:
            ck.severity(g["severity_likeness"], path + ("severity_likeness",), f"[gaps.{gid}] severity_likeness")
        if not isinstance(g.get("enabled", True), bool):
            raise ck.fail(path + ("enabled",), f"[gaps.{gid}] enabled must be true or false")
        for key in ("remedy", *_GAP_TEXT):
            ck.string(g.get(key), path + (key,), f"[gaps.{gid}] {key}")
        if not isinstance(g.get("anchors"), list) or not all(isinstance(a, str) for a in g["anchors"]):
            raise ck.fail(path + ("anchors",), f"[gaps.{gid}] anchors must be a list of strings")
    concepts = ck.table(data.get("concepts"), ("concepts",), "[concepts]")
    for name, parts in concepts.items():
        path = ("concepts", name)
        if not _CONCEPT.fullmatch(name):
            raise ck.fail(path, f"concept name {name!r} must be in capitals (A-Z, 0-9, _)")
        ck.table(parts, path, f"[concepts.{name}]")
        if "phrases" not in parts:
            raise ck.fail(path, f"[concepts.{name}] has no phrases list")
        for part, phrases in parts.items():
            ck.phrases(phrases, path + (part,), f"[concepts.{name}] {part}")
    patterns = data.get("token_patterns", [])
    if not isinstance(patterns, list):
        raise ck.fail(("token_patterns",), "token_patterns must be an array of tables ([[token_patterns]])")
    for i, tp in enumerate(patterns):
        path = ("token_patterns", i)
        ck.table(tp, path, "[[token_patterns]]")
        ck.keys(tp, ("concept", "pattern"), path, "[[token_patterns]]")
        if tp.get("concept") not in concepts and not _CONCEPT.fullmatch(str(tp.get("concept"))):
            raise ck.fail(path + ("concept",), "[[token_patterns]] concept must be a concept name in capitals")
        if not isinstance(tp.get("pattern"), list) or not all(isinstance(t, dict) for t in tp["pattern"]):
            raise ck.fail(path + ("pattern",), "[[token_patterns]] pattern must be a list of token tables")
    data["patterns"] = _read_patterns(_pattern_files() if files is None else files)
    return data


def _build_default(data: dict, sha256: str | None, words: dict[str, dict[str, list[str] | None]] | None = None) -> Playbook:
    head = data["playbook"]
    gaps = {
        gid: Gap(
            id=gid,
            kind=g["kind"],
            severity=g["severity"],
            title=g["title"],
            why=g["why"],
            protection=g["protection"],
            anchors=tuple(g["anchors"]),
            remedy=g["remedy"],
            protects=g["protects"],
            severity_likeness=g.get("severity_likeness"),
            enabled=g.get("enabled", True),
        )
        for gid, g in data["gaps"].items()
    }
    concept_parts = {name: {part: tuple(p) for part, p in parts.items()} for name, parts in data["concepts"].items()}
    concepts = {name: _join(parts) for name, parts in concept_parts.items()}
    token_patterns = tuple((tp["concept"], tp["pattern"]) for tp in data.get("token_patterns", []))

    def fail(path: tuple, message: str) -> PlaybookError:  # checked when read: only a corrupt compiled JSON
        return PlaybookError(message, path=str(PATTERNS_DIR))

    patterns = {
        module: _build_patterns(module, entries, fail, (words or {}).get(module))
        for module, entries in data.get("patterns", {}).items()
    }
    book = Playbook(
        name=head["name"],
        version=str(head.get("version", "")),
        description=head.get("description", ""),
        source="built-in",
        sha256="",
        gaps=gaps,
        concepts=concepts,
        concept_parts=concept_parts,
        token_patterns=token_patterns,
        patterns=patterns,
    )
    return _with_digest(book, sha256)


def _join(parts: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A concept's phrases: its named lists before ``phrases`` (ANY_PURPOSE: the broad ones first)."""
    out: list[str] = []
    for part, phrases in parts.items():
        if part != "phrases":
            out.extend(phrases)
    out.extend(parts.get("phrases", ()))
    return tuple(out)


def _canonical(book: Playbook) -> dict:
    """The effective content, independent of layout and comments: what the hash covers."""
    return {
        "name": book.name,
        "version": book.version,
        "gaps": {
            gid: {
                "kind": g.kind,
                "severity": g.severity,
                "severity_likeness": g.severity_likeness,
                "enabled": g.enabled,
                "remedy": g.remedy,
                "title": g.title,
                "why": g.why,
                "protection": g.protection,
                "protects": g.protects,
                "anchors": list(g.anchors),
            }
            for gid, g in book.gaps.items()
        },  # fmt: skip
        "concepts": {c: sorted(set(p)) for c, p in book.concepts.items()},
        "concept_parts": {c: {k: sorted(set(v)) for k, v in parts.items()} for c, parts in book.concept_parts.items()},
        "token_patterns": [[c, p] for c, p in book.token_patterns],
        "patterns": {
            module: {n: [p.regex, p.flags] for n, p in table.items() if not p.fragment}
            for module, table in book.patterns.items()
        },
        "rules": [r.to_dict() for r in book.rules],
        "templates": {
            name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in sorted(book.templates.items())
        },
    }


def _digest(book: Playbook) -> str:
    text = json.dumps(_canonical(book), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _with_digest(book: Playbook, sha256: str | None) -> Playbook:
    from dataclasses import replace

    return replace(book, sha256=sha256 or _digest(book))


@lru_cache(maxsize=1)
def default_playbook() -> Playbook:
    """The built-in playbook, read once per process (from the compiled JSON when it is current)."""
    raw = DEFAULT_TOML.read_bytes()
    files = _pattern_files()
    source_sha = _source_sha(raw, files)
    try:
        compiled = json.loads(COMPILED_JSON.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        compiled = None
    if isinstance(compiled, dict) and compiled.get("source_sha256") == source_sha:
        return _build_default(compiled["data"], compiled["sha256"], compiled.get("prefilter_words"))
    return _build_default(_default_data(raw.decode("utf-8"), str(DEFAULT_TOML), files), None)


def compile_default() -> dict:
    """What ``default.compiled.json`` holds for the current ``default.toml`` and pattern files."""
    raw = DEFAULT_TOML.read_bytes()
    files = _pattern_files()
    data = _default_data(raw.decode("utf-8"), str(DEFAULT_TOML), files)
    book = _build_default(data, None)
    from ..prefilter import required_words

    words = {
        module: {n: _list_or_none(required_words(p.regex, p.flag_bits())) for n, p in table.items() if not p.fragment}
        for module, table in book.patterns.items()
    }
    return {"source_sha256": _source_sha(raw, files), "sha256": book.sha256, "data": data, "prefilter_words": words}


def _list_or_none(words: tuple[str, ...] | None) -> list[str] | None:
    return None if words is None else list(words)


# --------------------------------------------------------------------------- user playbooks


def load_playbook(path: str | Path | None) -> Playbook:
    """The effective playbook: the default, overlaid with the file at ``path`` (None: the default).
    Raises PlaybookError naming the file, the line and what is wrong."""
    if path is None:
        return default_playbook()
    path = Path(path)
    text = _read_text(path)
    return _overlay(default_playbook(), _parse(text, str(path)), text, path)


def _overlay(base: Playbook, data: dict, text: str, path: Path) -> Playbook:
    from dataclasses import replace

    source = str(path)
    ck = _Checker(source, text)
    ck.keys(data, ("playbook", "gaps", "concepts", "rules", "patterns"), (), "a playbook (top level)")
    if "playbook" not in data:
        raise ck.fail((), 'a playbook starts with a [playbook] table giving its name: [playbook] name = "..."')
    head = ck.table(data["playbook"], ("playbook",), "[playbook]")
    ck.keys(head, ("name", "version", "description", "templates_dir"), ("playbook",), "[playbook]")
    name = ck.string(head.get("name"), ("playbook", "name"), "[playbook] name", limit=60)
    if not _NAME.fullmatch(name) or name == DEFAULT_NAME:
        raise ck.fail(
            ("playbook", "name"),
            f"[playbook] name {name!r} must be 1-60 letters, digits, spaces or ._+- and not {DEFAULT_NAME!r}",
        )
    version = head.get("version", "")
    if not isinstance(version, (str, int, float)):
        raise ck.fail(("playbook", "version"), "[playbook] version must be a string")
    description = head.get("description", "")
    if description:
        ck.string(description, ("playbook", "description"), "[playbook] description")
    templates_dir = path.resolve().parent
    if "templates_dir" in head:
        rel = ck.string(head["templates_dir"], ("playbook", "templates_dir"), "[playbook] templates_dir")
        templates_dir = (path.resolve().parent / rel).resolve()
        if not templates_dir.is_dir():
            raise ck.fail(
                ("playbook", "templates_dir"),
                f"[playbook] templates_dir {rel!r} is not a folder (it is read relative to the playbook file)",
            )
    changes: list[str] = []
    path_: tuple  # where in the file, for an error's line

    # gaps: severity, severity_likeness, enabled, remedy
    gaps = dict(base.gaps)
    builtin_remedies = {g.remedy for g in base.gaps.values()}
    templates: dict[str, Path] = {}
    for gid, g in ck.table(data.get("gaps", {}), ("gaps",), "[gaps]").items():
        path_ = ("gaps", gid)
        ck.gap_id(gid, base.gaps, path_)
        ck.table(g, path_, f"[gaps.{gid}]")
        ck.keys(g, _GAP_KEYS_USER, path_, f"[gaps.{gid}] (a playbook may set)")
        update: dict[str, Any] = {}
        for key in ("severity", "severity_likeness"):
            if key in g:
                update[key] = ck.severity(g[key], path_ + (key,), f"[gaps.{gid}] {key}")
        if "enabled" in g:
            if not isinstance(g["enabled"], bool):
                raise ck.fail(path_ + ("enabled",), f"[gaps.{gid}] enabled must be true or false")
            update["enabled"] = g["enabled"]
        if "remedy" in g:
            remedy = ck.string(g["remedy"], path_ + ("remedy",), f"[gaps.{gid}] remedy", limit=61)
            if not _REMEDY.fullmatch(remedy):
                raise ck.fail(
                    path_ + ("remedy",),
                    f"[gaps.{gid}] remedy {remedy!r} must be a template name of lower-case letters, digits and _",
                )
            if remedy not in builtin_remedies:
                problem = _template_problem(templates_dir, remedy)
                if problem:
                    raise ck.fail(path_ + ("remedy",), f"[gaps.{gid}] remedy {remedy!r}: {problem}")
                templates[remedy] = templates_dir / f"{remedy}.md.j2"
            update["remedy"] = remedy
        for key, value in update.items():
            before = getattr(base.gaps[gid], key)
            if key == "enabled":
                before, value = ("on" if before else "off"), ("on" if value else "off")
            changes.append(f"{gid}: {key} {before} -> {value}")
        gaps[gid] = replace(base.gaps[gid], **update)

    # concepts: add and remove phrases
    concepts = {c: list(p) for c, p in base.concepts.items()}
    parts = {c: {k: list(v) for k, v in ps.items()} for c, ps in base.concept_parts.items()}
    cdata = ck.table(data.get("concepts", {}), ("concepts",), "[concepts]")
    for key in cdata:
        if key not in ("add", "remove"):
            raise ck.fail(
                ("concepts", key),
                f"[concepts.{key}]: a playbook adds or removes phrases with [concepts.add] and [concepts.remove] "
                f'(e.g. [concepts.add] {key} = ["..."])',
            )
    for cname, phrases in ck.table(cdata.get("add", {}), ("concepts", "add"), "[concepts.add]").items():
        path_ = ("concepts", "add", cname)
        if not _CONCEPT.fullmatch(cname):
            raise ck.fail(path_, f"concept name {cname!r} must be in capitals (A-Z, 0-9, _)")
        new = ck.phrases(phrases, path_, f"[concepts.add] {cname}")
        concepts.setdefault(cname, []).extend(new)
        parts.setdefault(cname, {}).setdefault("phrases", []).extend(new)
        changes.append(f"concept {cname}: + {len(new)} phrase(s)" + ("" if cname in base.concepts else " (new)"))
    for cname, phrases in ck.table(cdata.get("remove", {}), ("concepts", "remove"), "[concepts.remove]").items():
        path_ = ("concepts", "remove", cname)
        if cname not in concepts:
            hint = difflib.get_close_matches(cname, list(concepts), n=1)
            raise ck.fail(path_, f"unknown concept {cname!r}" + (f"; did you mean {hint[0]}?" if hint else ""))
        gone = ck.phrases(phrases, path_, f"[concepts.remove] {cname}")
        have = {p.lower() for p in concepts[cname]}
        for p in gone:
            if p.lower() not in have:
                raise ck.fail(path_, f"[concepts.remove] {cname}: {p!r} is not a phrase of {cname}")
        drop = {p.lower() for p in gone}
        concepts[cname] = [p for p in concepts[cname] if p.lower() not in drop]
        parts[cname] = {k: [p for p in v if p.lower() not in drop] for k, v in parts[cname].items()}
        if not concepts[cname]:
            raise ck.fail(path_, f"[concepts.remove] would leave {cname} with no phrases; remove fewer")
        changes.append(f"concept {cname}: - {len(gone)} phrase(s)")

    # extra rules
    rules: list[PlaybookRule] = []
    rdata = data.get("rules", [])
    if not isinstance(rdata, list):
        raise ck.fail(("rules",), "rules must be an array of tables: [[rules]]")
    for i, r in enumerate(rdata):
        path_ = ("rules", i)
        what = f"[[rules]] #{i + 1}"
        ck.table(r, path_, what)
        ck.keys(r, _RULE_KEYS, path_, what)
        if "gap" not in r:
            raise ck.fail(path_, f'{what} needs gap = "<gap id>"')
        gid = ck.gap_id(r["gap"], base.gaps, path_ + ("gap",))
        suppress = r.get("suppress", False)
        if not isinstance(suppress, bool):
            raise ck.fail(path_ + ("suppress",), f"{what} suppress must be true or false")
        if not suppress and "clause" not in base.gaps[gid].kind:
            raise ck.fail(
                path_ + ("gap",),
                f"{what}: {gid} is decided for the whole contract (what it lacks), so a sentence cannot raise it; "
                "a rule may only suppress it (suppress = true)",
            )
        scope = r.get("scope", "sentence")
        if scope not in ("sentence", "contract") or (scope == "contract" and not suppress):
            raise ck.fail(
                path_ + ("scope",), f'{what} scope must be "sentence", or "contract" for a rule with suppress = true'
            )
        phrases = ck.phrases(r["phrases"], path_ + ("phrases",), f"{what} phrases") if "phrases" in r else ()
        regex = None
        if "regex" in r:
            regex = ck.string(r["regex"], path_ + ("regex",), f"{what} regex", limit=MAX_REGEX)
            try:
                compiled = re.compile(regex, re.I)
            except re.error as exc:
                raise ck.fail(path_ + ("regex",), f"{what} regex does not compile ({exc})") from None
            if compiled.search(""):
                raise ck.fail(path_ + ("regex",), f"{what} regex matches empty text, so it would match every sentence")
        rule_concepts: tuple[str, ...] = ()
        if "concepts" in r:
            if not isinstance(r["concepts"], list) or not r["concepts"]:
                raise ck.fail(path_ + ("concepts",), f"{what} concepts must be a non-empty list of concept names")
            for c in r["concepts"]:
                if c not in concepts:
                    hint = difflib.get_close_matches(str(c), list(concepts), n=1)
                    raise ck.fail(
                        path_ + ("concepts",),
                        f"{what}: unknown concept {c!r}" + (f"; did you mean {hint[0]}?" if hint else ""),
                    )
            rule_concepts = tuple(r["concepts"])
        if not (phrases or regex or rule_concepts):
            raise ck.fail(path_, f"{what} needs phrases = [...], regex = '...' or concepts = [...] to match")
        why = ck.string(r["why"], path_ + ("why",), f"{what} why", limit=500) if "why" in r else ""
        alternatives = [_phrase_regex(p) for p in phrases] + ([f"(?:{regex})"] if regex else [])
        pattern = re.compile("|".join(alternatives), re.I) if alternatives else None
        rules.append(
            PlaybookRule(gid, phrases, regex, rule_concepts, suppress, scope, why, ck.lines.line(*path_), pattern)
        )
        changes.append(f"rule line {ck.lines.line(*path_)}: {'suppresses' if suppress else 'raises'} {gid}")

    # built-in rule patterns replaced
    patterns = {module: dict(table) for module, table in base.patterns.items()}
    for module, table in ck.table(data.get("patterns", {}), ("patterns",), "[patterns]").items():
        path_ = ("patterns", module)
        if module not in patterns:
            if isinstance(table, dict) and table:
                path_ += (next(iter(table)),)  # [patterns.module.NAME]: the line of its header
            hint = difflib.get_close_matches(module, list(patterns), n=1)
            raise ck.fail(
                path_,
                f"[patterns.{module}]: no rule module {module!r}"
                + (f"; did you mean {hint[0]}?" if hint else f"; the modules are {', '.join(sorted(patterns))}"),
            )
        for pname, entry in ck.table(table, path_, f"[patterns.{module}]").items():
            pp = path_ + (pname,)
            old_pattern = patterns[module].get(pname)
            if old_pattern is None:
                hint = difflib.get_close_matches(pname, list(patterns[module]), n=1)
                raise ck.fail(
                    pp,
                    f"[patterns.{module}.{pname}]: the rules read no pattern {pname!r} of {module} (a playbook replaces "
                    "a built-in pattern; to raise a gap on new words use [[rules]])"
                    + (f"; did you mean {hint[0]}?" if hint else ""),
                )
            if old_pattern.fragment:
                raise ck.fail(pp, f"[patterns.{module}.{pname}] is a fragment of other patterns; replace those instead")
            _pattern_entry(ck, module, pname, entry, user=True)
            base_table = base.patterns[module]

            def fragment_of(key: str, _t=base_table) -> str | None:
                f = _t.get(key)
                return f.regex if f is not None and f.fragment else None

            regex = _expand(entry["regex"], fragment_of, ck.fail, pp + ("regex",))
            flags = entry.get("flags", "")
            new_pattern = RulePattern(module, pname, regex, flags, entry.get("why", old_pattern.why))
            try:
                compiled = re.compile(regex, new_pattern.flag_bits())
            except re.error as exc:
                raise ck.fail(pp + ("regex",), f"[patterns.{module}.{pname}] regex does not compile ({exc})") from None
            if compiled.search("") and not re.compile(old_pattern.regex, old_pattern.flag_bits()).search(""):
                raise ck.fail(
                    pp + ("regex",),
                    f"[patterns.{module}.{pname}] regex matches empty text, so it would match everywhere",
                )
            patterns[module][pname] = new_pattern
            changes.append(f"pattern {module}.{pname}: replaced (line {ck.lines.line(*pp)})")

    same_lexicon = concepts == {c: list(p) for c, p in base.concepts.items()}
    same_patterns = patterns == base.patterns
    book = Playbook(
        name=name,
        version=str(version),
        description=description,
        source=source,
        sha256="",
        gaps=gaps,
        concepts={c: tuple(p) for c, p in concepts.items()},
        concept_parts={c: {k: tuple(v) for k, v in ps.items()} for c, ps in parts.items()},
        token_patterns=base.token_patterns,
        rules=tuple(rules),
        templates=templates,
        patterns=patterns,
        changes=tuple(changes),
    )
    book = _with_digest(book, None)
    return replace(
        book,
        matcher_key=base.matcher_key if same_lexicon else book.sha256,
        pattern_key=base.pattern_key if same_patterns else book.sha256,
    )


def _phrase_regex(phrase: str) -> str:
    """A phrase as a case-insensitive pattern on word boundaries, any run of spaces matching any other."""
    words = [re.escape(w) for w in phrase.split()]
    return r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"


def _template_problem(folder: Path, remedy: str) -> str | None:
    return remedy_template_problem(folder, f"{remedy}.md.j2")


# --------------------------------------------------------------------------- show


def show_playbook(book: Playbook) -> str:
    """The effective rules, for ``castguard playbook show``."""
    base = default_playbook()
    lines = [f"playbook: {book.name}" + (f" {book.version}" if book.version else "") + f" ({book.source})"]
    lines.append(f"sha256: {book.sha256}")
    if book.description:
        lines.append(f"description: {book.description}")
    lines.append("")
    lines.append("gaps (severity, enabled, remedy):")
    width = max(len(g) for g in book.gaps)
    for gid, g in book.gaps.items():
        sev = g.severity + (f" ({g.severity_likeness} for likeness or voice)" if g.severity_likeness else "")
        remedy = g.remedy + (f" [{book.templates[g.remedy]}]" if g.remedy in book.templates else "")
        mark = " *" if not book.is_default and base.gaps.get(gid) != g else ""
        lines.append(f"  {gid:<{width}}  {sev:<36} {'on ' if g.enabled else 'OFF'}  {remedy}{mark}")
    lines.append("")
    lines.append(f"concepts ({len(book.concepts)}, phrases each):")
    row: list[str] = []
    for c, p in book.concepts.items():
        delta = len(set(p)) - len(set(base.concepts.get(c, ())))
        row.append(f"{c} {len(set(p))}" + (f" ({delta:+d})" if not book.is_default and delta else ""))
    for i in range(0, len(row), 5):
        lines.append("  " + ", ".join(row[i : i + 5]))
    lines.append(f"token patterns: {len(book.token_patterns)}")
    counts = [f"{m} {sum(not p.fragment for p in t.values())}" for m, t in sorted(book.patterns.items())]
    lines.append(f"rule patterns ({sum(not p.fragment for t in book.patterns.values() for p in t.values())}; "
                 f"castguard playbook show --patterns lists them): " + ", ".join(counts))  # fmt: skip
    lines.append("")
    if book.rules:
        lines.append("extra rules:")
        for r in book.rules:
            how = []
            if r.phrases:
                how.append("phrases " + ", ".join(repr(p) for p in r.phrases))
            if r.regex:
                how.append(f"regex {r.regex!r}")
            if r.concepts:
                how.append("concepts " + " + ".join(r.concepts))
            verb = f"suppresses ({r.scope})" if r.suppress else "raises"
            lines.append(f"  line {r.line}: {verb} {r.gap} where: {'; '.join(how)}")
    else:
        lines.append("extra rules: none")
    if book.changes:
        lines.append("")
        lines.append("changes from the default:")
        lines += [f"  {c}" for c in book.changes]
    return "\n".join(lines) + "\n"


def show_patterns(book: Playbook) -> str:
    """Every rule pattern of ``book``: module, name, flags, what it finds and the expression as compiled."""
    base = default_playbook()
    lines = [f"playbook: {book.name} ({book.source}); rule patterns by module (* replaced by this playbook)"]
    for module, table in sorted(book.patterns.items()):
        lines.append("")
        lines.append(f"[{module}]  (patterns/{module}.toml)")
        for name, p in table.items():
            if p.fragment:
                continue
            mark = " *" if not book.is_default and base.patterns.get(module, {}).get(name) != p else ""
            flags = f" flags={p.flags}" if p.flags else ""
            lines.append(f"  {name}{flags}{mark}: {p.why}")
            lines.append(f"    {p.regex}")
    return "\n".join(lines) + "\n"


def _main() -> None:  # pragma: no cover - a maintainer's command
    """``python -m castguard.playbooks``: rewrite default.compiled.json from default.toml."""
    compiled = compile_default()
    text = json.dumps(compiled, ensure_ascii=False, separators=(",", ":")) + "\n"
    COMPILED_JSON.write_text(text, encoding="utf-8")
    print(f"wrote {COMPILED_JSON} (default playbook sha256 {compiled['sha256']})")
