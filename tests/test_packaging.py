"""The package carries what it needs: model and templates found as package data, errors instead of fallbacks.

The full check (build the sdist and the wheel, install the wheel into a fresh venv outside the checkout, run
every command there) is `.ci/check-wheel`, run by `.ci/run`.
"""

from __future__ import annotations

import os
import tomllib

import pytest
from click.testing import CliRunner
from conftest import ROOT

import castguard
from castguard.classify.model import load_model, models_dir
from castguard.cli import cli
from castguard.draft.templates import templates_dir
from castguard.errors import CastguardError


def test_the_version_lives_in_one_place():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    result = CliRunner().invoke(cli, ["--version"])
    assert castguard.__version__ in result.output


def test_setup_copies_the_source_folders_into_the_package():
    setup = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert 'DATA_FOLDERS = ("models", "templates")' in setup
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8")
    assert "graft models" in manifest and "graft templates" in manifest
    assert (models_dir() / "clauses-v1.json").is_file() and (templates_dir() / "addendum.md.j2").is_file()


def test_a_missing_model_is_an_error_that_says_what_to_do(tmp_path):
    with pytest.raises(CastguardError, match="castguard train"):
        load_model(tmp_path / "clauses-v1.json")


def test_every_error_code_is_listed_once_with_what_to_do():
    import castguard.errors as errors

    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.CastguardError)]
    codes = [c.code for c in classes]
    assert len(codes) == len(set(codes))
    assert set(codes) | set(errors.WORKER_CODES) | {errors.INTERNAL_ERROR} == set(errors.CODES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"| `{code}` |" in readme for code in errors.CODES)
    # every code the source writes out ("E902" recorded for a file a worker could not finish) is in the table
    import re

    used = {m for p in (ROOT / "src" / "castguard").rglob("*.py") for m in re.findall(r"\bE\d{3}\b", p.read_text())}
    assert used <= set(errors.CODES), sorted(used - set(errors.CODES))


def test_user_errors_carry_their_code_and_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "nope.pdf")])
    assert result.exit_code == 2 and result.output.startswith("error: [E100] ")


def test_an_internal_error_is_a_bug_exit_3_with_its_traceback_in_a_file(tmp_path):
    import re

    @cli.command("explode-for-test", hidden=True)
    def explode():  # a real command on the real group: the handler under test is castguard's own
        {}["no such key"]

    try:
        result = CliRunner().invoke(cli, ["explode-for-test"])
    finally:
        cli.commands.pop("explode-for-test", None)
    assert result.exit_code == 3
    line = result.output.strip()
    assert "\n" not in line and line.startswith("error: [E999] internal error (KeyError") and "a bug" in line
    path = re.search(r"the traceback is in (\S+);", line).group(1)
    with open(path, encoding="utf-8") as fh:
        assert "Traceback" in fh.read()
    os.unlink(path)


def test_the_html_templates_are_package_data_read_through_importlib_resources():
    """The review report, the batch dashboard and the addendum page are templates inside the package: the wheel
    must carry them (pyproject's package-data), and every file a template names must be there."""
    import re
    from importlib import resources

    from castguard.templating import html as templating_html

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "templating/html_templates/*" in project["tool"]["setuptools"]["package-data"]["castguard"]
    folder = resources.files("castguard.templating").joinpath(templating_html.FOLDER)
    names = {p.name for p in folder.iterdir()}
    assert {"review.html.j2", "dashboard.html.j2", "addendum.html.j2", "blocks.html.j2"} <= names
    for name in names:
        text = templating_html.source(name)
        for used in re.findall(r'(?:file|include|from|import)[ (]+"([^"]+)"', text):
            assert used in names, f"{name} uses {used}, which the package does not carry"


def test_a_missing_html_template_is_an_error_not_a_fallback(monkeypatch):
    from castguard.errors import TemplateError
    from castguard.templating import html as templating_html

    with pytest.raises(TemplateError, match="missing from the installed package; reinstall castguard"):
        templating_html.render("no-such-page.html.j2")
    monkeypatch.setattr(templating_html, "FOLDER", "not-there")
    with pytest.raises(TemplateError, match="review.css is missing"):
        templating_html.source("review.css")
