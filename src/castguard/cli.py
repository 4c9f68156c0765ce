"""Command line: ``castguard scan CONTRACT``.

The commands are thin: they parse options, call the library, print. Every
``CastguardError`` is turned into one line on stderr and exit status 2 here,
and nowhere else. Exit status 1 is reserved for ``--fail-on`` (findings of that
severity or worse exist), so scripts can tell "bad contract" from "bad input".
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from . import __version__
from .errors import CastguardError

SEVERITIES = ("high", "medium", "low")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename, so a reader never sees half a file."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CastguardError(f"output folder {directory} does not exist; create it first", path=str(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise CastguardError(f"cannot write here ({exc.strerror}); choose another -o path", path=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class _Group(click.Group):
    """Converts CastguardError (and anything unexpected) into one clear line and exit 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CastguardError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # a bug: still one line, still exit 2, and a pointer to report it
            click.echo(
                f"error: internal error ({type(exc).__name__}: {exc}); please report it with the command you ran",
                err=True,
            )
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="castguard")
def cli():
    """castguard: find where performers' contracts leave them exposed to AI.

    Reads a contract (PDF, DOCX, TXT or Markdown), splits it into clauses and
    flags AI-training, digital-replica and synthetic-performer gaps, citing the
    clause, the union and legal anchors, and the remedy. Not legal advice.

    \b
    Example:
      castguard scan contract.pdf
      castguard scan contract.docx --format json -o report.json
    """


@cli.command()
@click.argument("contract", type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="table for a person at a terminal; json for other tools (castguard.report/1); markdown for email.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to this file (atomically) instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default=None,
    help="Exit with status 1 if a finding of this severity or worse exists (for scripts and CI).",
)
def scan(contract: Path, fmt: str, output: Path | None, fail_on: str | None):
    """Analyse one contract and report its AI-exposure gaps.

    Exit status: 0 done, 1 findings at or above --fail-on, 2 error (one line on stderr).

    \b
    Examples:
      castguard scan deal.pdf
      castguard scan deal.docx --format markdown -o deal-review.md
      castguard scan deal.txt --format json --fail-on high
    """
    from .report import SEVERITY_ORDER, report_to_dict
    from .scan import scan as run_scan

    if output is not None and contract.exists() and output.resolve() == contract.resolve():
        raise CastguardError(
            "the output path is the contract itself; castguard never overwrites its input", path=str(output)
        )
    report = run_scan(contract, source=str(contract))
    if fmt == "json":
        text = json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "markdown":
        from .report.markdown import render_markdown

        text = render_markdown(report)
    else:
        from .report.table import render_table

        text = render_table(report) + "\n"
    if output is not None or fmt != "table":  # the table already shows them
        for warning in report.document.warnings:
            click.echo(f"warning: {warning}", err=True)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output} ({len(report.findings)} finding(s))", err=True)
    if fail_on and any(SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[fail_on] for f in report.findings):
        sys.exit(1)


def main() -> None:  # pragma: no cover - entry point
    cli()


_data_option = click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Labelled clauses (JSONL). Default: data/clauses.jsonl of the project.",
)


def _project_path(*parts: str) -> Path:
    from .classify.model import models_dir

    return models_dir().parent.joinpath(*parts)


@cli.command()
@_data_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write clauses-v1.json/.npz. Default: the project's models/ folder.",
)
def train(data: Path | None, out: Path | None):
    """Rebuild the clause classifier in models/ from the labelled data (deterministic).

    \b
    Example:
      castguard train
      castguard train --data data/clauses.jsonl --out models/
    """
    import time

    from .classify.train import train as run_train

    data = data or _project_path("data", "clauses.jsonl")
    out = out or _project_path("models")
    t = time.perf_counter()
    meta = run_train(data, out)
    click.echo(
        f"trained {meta['id']} on {meta['training_data']['clauses']} clauses "
        f"({meta['training_data']['documents']} documents), {len(meta['labels'])} labels, "
        f"in {time.perf_counter() - t:.1f}s -> {out}"
    )


@cli.command()
@_data_option
@click.option(
    "--folds", type=click.IntRange(2, 20), default=5, show_default=True, help="Document-grouped cross-validation folds."
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "--contracts/--no-contracts",
    default=True,
    show_default=True,
    help="Also evaluate contract-level gap sets on the labelled whole contracts.",
)
def evaluate(data: Path | None, folds: int, fmt: str, contracts: bool):
    """Measure the detector: clause-level P/R/F1 on held-out documents, and contract-level gap detection.

    Clause level: document-grouped k-fold (no contract's clauses on both sides); the keyword baseline, the
    rules, the learned model and their combination side by side. Contract level: the gap sets the scanner
    reports for the labelled whole contracts (corpus, samples, held-out set).

    \b
    Example:
      castguard evaluate
      castguard evaluate --folds 5 --format json > metrics.json
    """
    from .classify.evaluation import evaluate_all, render_evaluation

    data = data or _project_path("data", "clauses.jsonl")
    result = evaluate_all(
        data, folds=folds, contracts=contracts, progress=(lambda m: click.echo(m, err=True)) if fmt == "table" else None
    )
    if fmt == "json":
        click.echo(json.dumps(result, indent=1))
    else:
        click.echo(render_evaluation(result))
