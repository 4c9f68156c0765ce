"""The command line as a user drives it: real files, CliRunner, exit codes, help."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from castguard import __version__
from castguard.cli import cli


@pytest.fixture()
def runner():
    return CliRunner()


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("args", [["--help"], ["scan", "--help"]] + [[name, "--help"] for name in ("scan",)])
def test_help_everywhere_with_an_example(runner, args):
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert "Example" in result.output and "castguard scan" in result.output


def test_every_command_has_help_with_example(runner):
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"{name} --help has no example"
        assert command.help


@pytest.mark.parametrize(
    "name",
    [
        "film_actor_harborlight.pdf",
        "voiceover_brightwave.docx",
        "videogame_performer_ironpeak.txt",
        "model_release_lumen.md",
    ],
)
def test_scan_table_for_each_format(runner, name):
    result = runner.invoke(cli, ["scan", str(SAMPLES / name)])
    assert result.exit_code == 0, result.output
    assert "In scope: yes" in result.output and "Risk score:" in result.output
    assert "HIGH" in result.output or "MEDIUM" in result.output
    assert "Not legal advice" in result.output


def test_scan_json_to_stdout_is_the_report(runner):
    result = runner.invoke(cli, ["scan", str(SAMPLES / "influencer_glowup.txt"), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema"] == "castguard.report/1" and data["findings"]


def test_scan_markdown_to_file_atomically(runner, tmp_path):
    out = tmp_path / "review.md"
    result = runner.invoke(
        cli, ["scan", str(SAMPLES / "music_session_bluefinch.txt"), "--format", "markdown", "-o", str(out)]
    )
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# castguard report: ")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert "wrote" in result.stderr


def test_fail_on_sets_exit_code(runner):
    risky = str(SAMPLES / "videogame_performer_ironpeak.txt")
    assert runner.invoke(cli, ["scan", risky, "--fail-on", "high"]).exit_code == 1
    clean = str(SAMPLES / "voice_actor_protective_rider.md")
    assert runner.invoke(cli, ["scan", clean, "--fail-on", "low"]).exit_code == 0
    control = str(SAMPLES / "control_software_license.txt")
    assert runner.invoke(cli, ["scan", control, "--fail-on", "low"]).exit_code == 0


def test_missing_file_is_one_line_exit_2(runner, tmp_path):
    missing = tmp_path / "nope.pdf"
    result = runner.invoke(cli, ["scan", str(missing)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "nope.pdf" in lines[0]


def test_output_onto_the_input_is_refused(runner, tmp_path):
    src = tmp_path / "deal.txt"
    src.write_text((SAMPLES / "influencer_glowup.txt").read_text(encoding="utf-8"), encoding="utf-8")
    before = src.read_bytes()
    result = runner.invoke(cli, ["scan", str(src), "-o", str(src)])
    assert result.exit_code == 2 and "never overwrites its input" in result.stderr
    assert src.read_bytes() == before


def test_output_into_missing_folder_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(cli, ["scan", str(SAMPLES / "influencer_glowup.txt"), "-o", str(tmp_path / "no" / "r.json")])
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_bad_option_is_a_usage_error(runner):
    result = runner.invoke(cli, ["scan", str(SAMPLES / "influencer_glowup.txt"), "--format", "xml"])
    assert result.exit_code == 2 and "Invalid value" in result.output
