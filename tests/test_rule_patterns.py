"""The rules' regular expressions are data: named patterns in ``playbooks/patterns/<module>.toml`` (issue 15).

Checked here: every ``P.NAME`` the package reads is defined, and every pattern defined is read; the rule modules
keep no regular expression inline; the files are checked when read (an error names the file and the line); a
playbook can replace a built-in pattern, that changes the report, and only for the scans that use it.
"""

from __future__ import annotations

import ast
import re
import threading
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from castguard.errors import PlaybookError
from castguard.playbooks import (
    PATTERNS_DIR,
    _pattern_files,
    _read_patterns,
    default_playbook,
    load_playbook,
    show_patterns,
    show_playbook,
)
from castguard.playbooks.rulepatterns import patterns_of, rule_patterns
from castguard.scan import scan

PACKAGE = ROOT / "src" / "castguard"
PLAYBOY = CORPUS / "cuad_contentlicense_playboy_efashion.txt"  # CUAD (CC BY 4.0), see tests/corpus/NOTICE.md

# the rule modules whose patterns all live in playbooks/patterns/ (no re.compile, no rx.search(r"..."))
RULE_MODULES = (
    "classify/__init__.py",
    "classify/clause_rules.py",
    "classify/concepts.py",
    "classify/contract.py",
    "classify/doctype.py",
    "classify/evidence.py",
    "classify/language.py",
    "classify/playbook_rules.py",
    "classify/protections.py",
    "classify/scope.py",
    "classify/sentences.py",
)


def _uses() -> dict[str, dict[str, list[str]]]:
    """module of the patterns -> NAME -> where it is read ("file:line"), over every module of the package."""
    out: dict[str, dict[str, list[str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        holders: dict[str, str] = {}  # variable -> pattern module
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "patterns_of"
            ):
                module = node.value.args[0].value  # type: ignore[attr-defined]
                for target in node.targets:
                    holders[target.id] = module  # type: ignore[attr-defined]
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in holders:
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                out.setdefault(holders[node.value.id], {}).setdefault(node.attr, []).append(where)
    return out


def test_every_pattern_read_is_defined_and_every_pattern_defined_is_read():
    book = default_playbook()
    uses = _uses()
    missing = [
        f"{module}.{name} ({', '.join(where)})"
        for module, names in uses.items()
        for name, where in names.items()
        if name not in book.patterns.get(module, {}) or book.patterns[module][name].fragment
    ]
    assert not missing, "read but not defined in playbooks/patterns/: " + "; ".join(missing)
    unused = [
        f"{module}.{name}"
        for module, table in book.patterns.items()
        for name, p in table.items()
        if not p.fragment and name not in uses.get(module, {})
    ]
    assert not unused, "defined in playbooks/patterns/ but read nowhere: " + ", ".join(unused)
    for module, table in book.patterns.items():
        raw = (PATTERNS_DIR / f"{module}.toml").read_text(encoding="utf-8")
        for name, p in table.items():
            if p.fragment:
                assert "{{" + name + "}}" in raw, f"fragment {module}.{name} is written into no pattern"


@pytest.mark.parametrize("module", RULE_MODULES)
def test_the_rule_modules_keep_no_regular_expression_inline(module):
    source = (PACKAGE / module).read_text(encoding="utf-8")
    inline = [
        f"{module}:{n}: {line.strip()}"
        for n, line in enumerate(source.splitlines(), 1)
        if re.search(
            r"\bre\.(?:compile|search|match|fullmatch|finditer|findall|sub|split)\(|\brx\.\w+\(|LazyPattern\(", line
        )
    ]
    assert not inline, "move these to playbooks/patterns/: " + "; ".join(inline)


def test_every_pattern_has_a_reason_and_compiles():
    book = default_playbook()
    assert sum(len(t) for t in book.patterns.values()) >= 10
    for module, table in book.patterns.items():
        for name, p in table.items():
            assert p.why.strip(), f"{module}.{name} says nothing of what it finds"
            if not p.fragment:
                re.compile(p.regex, p.flag_bits())
            assert "{{" not in p.regex, f"{module}.{name}: a placeholder left unexpanded"


def test_a_module_without_a_pattern_file_is_an_error_at_import():
    with pytest.raises(LookupError, match="patterns/no_such_rules.toml is missing"):
        patterns_of("no_such_rules")


def test_a_name_the_file_does_not_define_is_a_clear_bug():
    with pytest.raises(AttributeError, match="contract.toml defines no pattern 'NO_SUCH'"):
        patterns_of("contract").NO_SUCH  # noqa: B018


# --------------------------------------------------------------------------- placeholders


def _pattern_file(tmp_path: Path, module: str, text: str) -> list[tuple[str, Path, bytes]]:
    path = tmp_path / f"{module}.toml"
    path.write_text(text, encoding="utf-8")
    return [(module, path, path.read_bytes())]


def test_fragments_and_vocabulary_are_written_out(tmp_path):
    from castguard.playbooks import _build_patterns
    from castguard.vocabulary import REVERSION_ROLES

    files = _pattern_file(
        tmp_path,
        "demo",
        """
[THINGS]
why = "things"
fragment = '''settings?|comments?'''

[AFTER]
why = "a thing, then a role"
flags = "i"
regex = '''\\b(?:{{THINGS}})\\b to (?:{{vocab.REVERSION_ROLES}})'''
""",
    )
    data = _read_patterns(files)
    built = _build_patterns("demo", data["demo"], None)
    assert built["THINGS"].fragment and not built["AFTER"].fragment
    assert built["AFTER"].regex == r"\b(?:settings?|comments?)\b to (?:" + "|".join(REVERSION_ROLES) + ")"
    assert re.compile(built["AFTER"].regex, built["AFTER"].flag_bits()).search("Comments to Talent")


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("[A]\nwhy = 'x'\nregex = '''(unclosed'''\n", 3, "regex does not compile"),
        ("[A]\nwhy = 'x'\nregex = '''a'''\n\n[B]\nwhy = 'y'\nregex = '''{{NOPE}}'''\n", 7, "names no fragment"),
        ("[A]\nwhy = 'x'\nregex = '''{{vocab.NOPE_ROLES}}'''\n", 3, "unknown placeholder {{vocab.NOPE_ROLES}}"),
        ("[A]\nwhy = 'x'\nflags = 'iq'\nregex = '''a'''\n", 3, 'flags must be letters of "imsx"'),
        ("[A]\nregex = '''a'''\n", 1, "why must be a non-empty string"),
        ("[a_lower]\nwhy = 'x'\nregex = '''a'''\n", 1, "must be in capitals"),
        ("[A]\nwhy = 'x'\nregex = '''a'''\nfragment = '''b'''\n", 1, "exactly one of regex"),
        ("[A]\nwhy = 'x'\nfragment = '''{{B}}'''\n[B]\nwhy = 'y'\nfragment = '''{{A}}'''\n[C]\nwhy = 'z'\nregex = '''{{A}}'''\n",
         3, "contains itself"),
    ],
)  # fmt: skip
def test_a_malformed_pattern_file_gets_one_clear_error_line(tmp_path, text, line, words):
    files = _pattern_file(tmp_path, "demo", text)
    with pytest.raises(PlaybookError) as err:
        _read_patterns(files)
    message = str(err.value)
    assert "\n" not in message and "demo.toml" in message and words in message, message
    assert f"line {line}:" in message, message


def test_the_shipped_pattern_files_are_the_ones_read():
    assert {m for m, _, _ in _pattern_files()} == set(default_playbook().patterns)
    assert "rule patterns (" in show_playbook(default_playbook())
    listing = show_patterns(default_playbook())
    assert "[contract]  (patterns/contract.toml)" in listing and "NOT_A_GRANT" in listing


# --------------------------------------------------------------------------- an organisation's playbook


def _book(tmp_path: Path, body: str):
    path = tmp_path / "org.toml"
    path.write_text('[playbook]\nname = "org"\n\n' + body, encoding="utf-8")
    return load_playbook(path)


def test_a_replaced_pattern_changes_the_report_and_only_for_its_scans(tmp_path):
    """The golf endorsement's broad legacy grant rests on its licence of the golfer's name and likeness. An
    organisation that reads every sentence naming Teardrop as 'not a grant' (a replaced NOT_A_GRANT) loses it;
    scans without the playbook, before and after and in another thread at the same time, keep it."""
    before = scan(PLAYBOY, source=PLAYBOY.name)
    assert "silent_broad_legacy_grant" in {f.gap for f in before.findings}
    book = _book(
        tmp_path,
        """[patterns.contract.NOT_A_GRANT]
why = "our reading: nothing here grants"
flags = "i"
regex = '''(?s).'''
""",
    )
    assert book.pattern_key != default_playbook().pattern_key and book.sha256 != default_playbook().sha256
    assert any("pattern contract.NOT_A_GRANT: replaced" in c for c in book.changes)
    assert "NOT_A_GRANT flags=i *: our reading: nothing here grants" in show_patterns(book)

    other: dict[str, set[str]] = {}
    thread = threading.Thread(target=lambda: other.setdefault("gaps", {f.gap for f in scan(PLAYBOY).findings}))
    thread.start()
    changed = scan(PLAYBOY, source=PLAYBOY.name, playbook=book)
    thread.join()
    assert "silent_broad_legacy_grant" not in {f.gap for f in changed.findings}
    assert "silent_broad_legacy_grant" in other["gaps"]
    assert {f.gap for f in scan(PLAYBOY, source=PLAYBOY.name).findings} == {f.gap for f in before.findings}


def test_patterns_follow_the_playbook_in_use():
    P = patterns_of("contract")
    default = P.NOT_A_GRANT
    with rule_patterns(default_playbook()):
        assert P.NOT_A_GRANT is default  # the default's patterns are compiled once and shared


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("[patterns.nosuch.X]\nwhy = 'x'\nregex = 'a'\n", 4, "no rule module 'nosuch'"),
        ("[patterns.contract.NOT_A_GRANTS]\nregex = 'a'\n", 4, "did you mean NOT_A_GRANT?"),
        ("[patterns.contract.NOT_A_GRANT]\nregex = '(a'\n", 5, "regex does not compile"),
        ("[patterns.contract.NOT_A_GRANT]\nregex = 'a?'\n", 5, "matches empty text"),
        ("[patterns.contract.NOT_A_GRANT]\nregex = 'a'\nfragment = 'b'\n", 6, "unknown key 'fragment'"),
        ("[patterns.contract.NOT_A_GRANT]\nflags = 'i'\n", 4, "needs exactly one of regex"),
        ("[patterns.contract.NOT_A_GRANT]\nregex = '{{vocab.X}}'\n", 5, "unknown placeholder"),
    ],
)
def test_a_malformed_replacement_gets_one_clear_error_line(tmp_path, body, line, words):
    with pytest.raises(PlaybookError) as err:
        _book(tmp_path, body)
    message = str(err.value)
    assert "\n" not in message and "org.toml" in message and words in message, message
    assert f"line {line}:" in message, message


def test_the_readme_example_replacement_loads(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(\[patterns\.contract\.PROJECT\].*?)```", readme, re.S)
    assert block, "README: the [patterns.contract.PROJECT] example is gone"
    book = _book(tmp_path, block.group(1))
    project = book.patterns["contract"]["PROJECT"]
    assert re.compile(project.regex, project.flag_bits()).search("solely for this production")
    assert not re.compile(*_default_project()).search("solely for this production")


def _default_project():
    p = default_playbook().patterns["contract"]["PROJECT"]
    return p.regex, p.flag_bits()


def test_playbook_show_patterns_lists_every_pattern_through_the_cli(tmp_path):
    from click.testing import CliRunner

    from castguard.cli import cli

    result = CliRunner().invoke(cli, ["playbook", "show", "--patterns"])
    assert result.exit_code == 0, result.output
    book = default_playbook()
    for module, table in book.patterns.items():
        assert f"[{module}]  (patterns/{module}.toml)" in result.output
        for name, p in table.items():
            if not p.fragment:
                assert f"  {name}" in result.output and p.regex in result.output, f"{module}.{name} not listed"
    path = tmp_path / "org.toml"
    path.write_text('[playbook]\nname = "org"\n[patterns.contract.AND_OTHERWISE]\nregex = \'\'\'\\bor otherwise\\b\'\'\'\n')
    shown = CliRunner().invoke(cli, ["playbook", "show", "--playbook", str(path)])
    assert shown.exit_code == 0 and "pattern contract.AND_OTHERWISE: replaced" in shown.output, shown.output


def test_the_readme_counts_the_patterns():
    book = default_playbook()
    total = sum(not p.fragment for t in book.patterns.values() for p in t.values())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{total} of them in {len(book.patterns)}" in readme.replace("nine", "9"), "README: update the count"
