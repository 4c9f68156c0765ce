"""The package carries what it needs: model and templates found as package data, errors instead of fallbacks.

The full check (build the sdist and the wheel, install the wheel into a fresh venv outside the checkout, run
every command there) is `.ci/check-wheel`, run by `.ci/run`.
"""

from __future__ import annotations

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
