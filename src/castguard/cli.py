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
from pathlib import Path

import click

from ._version import __version__
from .errors import INTERNAL_ERROR, CastguardError, DiskFull, full_disk_error
from .escape.terminal import visible
from .limits import ENV, OPTION, Limits
from .output import write_atomic as _write
from .outputs import check_output_folder, resolve_format, to_pdf

SEVERITIES = ("high", "medium", "low")


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write an output atomically (temporary file + rename), with errors a user can act on."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CastguardError(f"output folder {directory} does not exist; create it first", path=str(path))
    try:
        _write(path, text)
    except OSError as exc:
        raise CastguardError(f"cannot write here ({exc.strerror}); choose another -o path", path=str(path)) from None


def _echo(message: str = "", *, err: bool = False, nl: bool = True, json: bool = False) -> None:
    """Everything castguard prints goes through here: controls and bidi marks from a contract or a file name
    are shown as escapes, never sent to the terminal (:mod:`castguard.escape.terminal`)."""
    click.echo(visible(message, json=json), err=err, nl=nl)


class _Group(click.Group):
    """Converts CastguardError (and anything unexpected) into one clear line and exit 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CastguardError as exc:
            _echo(f"error: [{exc.code}] {exc}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # a bug, not bad input: exit 3, one line, and where the traceback is
            full = full_disk_error(exc, None)
            if full is not None:
                _echo(f"error: [{full.code}] {full}", err=True)
                ctx.exit(2)
            where = _write_traceback(exc)
            _echo(
                f"error: [{INTERNAL_ERROR}] internal error ({type(exc).__name__}: {exc}): this is a bug in castguard, "
                f"not a problem with your file; the traceback is in {where}; please report it with the command you "
                "ran and that file (not the contract)",
                err=True,
            )
            ctx.exit(3)


def _write_traceback(exc: BaseException) -> str:
    """The traceback of an internal error, in a file of its own (the terminal gets one line)."""
    import tempfile
    import traceback

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        fd, path = tempfile.mkstemp(prefix="castguard-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"castguard {__version__}\n{' '.join(sys.argv)}\n\n{text}")
        return path
    except OSError:
        return "(could not be written: the disk is not writable)"


def _limit_options(f):
    """Global --max-* options: each sets its CASTGUARD_MAX_* variable, so worker processes inherit it."""
    defaults = Limits()

    def setter(name):
        def set_env(ctx, param, value):
            if value is not None:
                os.environ[ENV[name]] = str(value)
            return value

        return set_env

    for name in reversed(list(ENV)):
        f = click.option(
            OPTION[name],
            type=click.FloatRange(min=0, min_open=True),
            default=None,
            expose_value=False,
            callback=setter(name),
            help=f"Resource limit (default {getattr(defaults, name):g}; env {ENV[name]}).",
        )(f)
    return f


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="castguard")
@_limit_options
def cli():
    """castguard: find where performers' contracts leave them exposed to AI.

    Reads a contract (PDF, DOCX, TXT or Markdown), splits it into clauses and
    flags AI-training, digital-replica and synthetic-performer gaps, citing the
    clause, the union and legal anchors, and the remedy. Not legal advice.

    \b
    Example:
      castguard scan contract.pdf
      castguard scan contract.docx -o report.json
    """


_on_revisions_option = click.option(
    "--on-revisions",
    type=click.Choice(["accept", "reject"]),
    default="accept",
    show_default=True,
    help="A Word file with tracked changes: read it as if they were all accepted, or all rejected.",
)


_playbook_option = click.option(
    "--playbook",
    "playbook_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Your organisation's playbook (TOML): severities, gaps switched off, extra patterns, own remedy "
    "templates, over the default rules (see README: 'Playbooks'; check it with castguard playbook check FILE).",
)


def _playbook(playbook_file: Path | None):
    """The effective playbook (checked before any work); a user's is named on stderr."""
    from .playbooks import load_playbook

    book = load_playbook(playbook_file)
    if playbook_file is not None:
        _echo(f"playbook: {book.name} (sha256 {book.sha256[:12]}) from {playbook_file}", err=True)
    return book


def _output_option(help: str, *, required: bool = False):
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, required=required, help=help
    )


def _emit(text: str | bytes, output: Path | None, fmt: str, warnings, summary: str) -> None:
    """A report to standard output or, atomically, to ``output``; the document's warnings on stderr unless the
    terminal table already shows them. Bytes (a PDF) only ever go to a file: resolve_format asks for -o."""
    if output is not None or fmt != "table":
        for warning in warnings:
            _echo(f"warning: {warning}", err=True)
    if output is None:
        assert isinstance(text, str), "binary output needs -o"
        _echo(text, nl=False, json=fmt == "json")
    else:
        write_atomic(output, text)
        _echo(f"wrote {output} ({summary})", err=True)


def _refuse_overwrite(contract: Path, output: Path | None) -> None:
    if output is not None and contract.exists() and output.resolve() == contract.resolve():
        raise CastguardError(
            "the output path is the contract itself; castguard never overwrites its input", path=str(output)
        )


@cli.command()
@click.argument("contract", type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown", "html", "pdf"]),
    default=None,
    help="table for a person at a terminal (the default); json for other tools (castguard.report/1); markdown "
    "for email; html for the review report (the contract with its gaps marked; one file that works offline and "
    "prints); pdf: the review report through LibreOffice. With -o the extension chooses and --format may only agree.",
)
@_output_option(
    "Write the report to this file (atomically) instead of standard output; its extension chooses the format: "
    ".txt (table), .json, .md, .html or .pdf (needs LibreOffice)."
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default=None,
    help="Exit with status 1 if a finding of this severity or worse exists (for scripts and CI).",
)
@_on_revisions_option
@_playbook_option
def scan(
    contract: Path, fmt: str | None, output: Path | None, fail_on: str | None, on_revisions: str,
    playbook_file: Path | None,
):  # fmt: skip
    """Analyse one contract and report its AI-exposure gaps.

    Exit status: 0 done, 1 findings at or above --fail-on, 2 error (one line on stderr).

    \b
    Examples:
      castguard scan deal.pdf
      castguard scan deal.docx -o deal-review.md
      castguard scan deal.txt --format json --fail-on high
      castguard scan deal.pdf -o review.html
      castguard scan deal.pdf -o review.pdf
      castguard scan deal.pdf --playbook union.toml
    """
    from .report import SEVERITY_ORDER, report_to_dict
    from .scan import scan as run_scan

    _refuse_overwrite(contract, output)
    fmt = resolve_format("scan", output, fmt)
    book = _playbook(playbook_file)
    report = run_scan(contract, source=str(contract), on_revisions=on_revisions, playbook=book)
    text: str | bytes
    if fmt == "pdf":
        from .report.pdf import render_pdf

        text = render_pdf(report, output=output)
    elif fmt == "json":
        text = json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "markdown":
        from .report.markdown import render_markdown

        text = render_markdown(report)
    elif fmt == "html":
        from .report.html import render_html

        text = render_html(report)
    else:
        from .report.table import render_table

        text = render_table(report, width=100 if output is not None else None) + "\n"
    _emit(text, output, fmt, report.document.warnings, f"{len(report.findings)} finding(s)")
    if fail_on and any(SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[fail_on] for f in report.findings):
        sys.exit(1)


@cli.command()
@click.argument("contract", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default=None,
    help="table for a person at a terminal (the default); json for other tools (the report schema's facts "
    "object). With -o the extension chooses (.txt or .json); a --format that contradicts it is an error.",
)
@_output_option("Write the facts to this file (atomically) instead of standard output.")
@_on_revisions_option
@_playbook_option
def facts(contract: Path, fmt: str, output: Path | None, on_revisions: str, playbook_file: Path | None):
    """Print the deal facts a contract states, each with its clause and the contract's own words.

    Performer (the natural person) and their loan-out company, the company that receives the rights, the
    agreement's title and date, the governing law (with a code: NY, CA, UK, EU-DE, ...), the union and
    whether the performer is a minor. A fact the contract does not state clearly is shown as not stated,
    never guessed. draft and redline use these facts as their defaults. Not legal advice.

    Exit status: 0 done, 2 error (one line on stderr).

    \b
    Examples:
      castguard facts deal.pdf
      castguard facts deal.docx --format json -o facts.json
    """
    from .facts import read_facts
    from .report.facts import facts_json, render_facts_table

    _refuse_overwrite(contract, output)
    fmt = resolve_format("facts", output, fmt)
    _playbook(playbook_file)  # checked like everywhere; the deal facts are read the same whatever its rules
    sheet = read_facts(contract, source=str(contract), on_revisions=on_revisions)
    if fmt == "json":
        text = json.dumps(facts_json(sheet), indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_facts_table(sheet) + "\n"
    _emit(text, output, fmt, sheet.document.warnings, f"{len(sheet.facts)} fact(s) stated in the contract")


def _deal_options(f):
    """The deal-fact options shared by draft and redline (they override the deal file and the contract)."""
    from .jurisdictions import JURISDICTIONS

    options = [
        click.option("--deal", "deal_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="TOML file of deal facts (see README: 'Drafting the renegotiation')."),
        click.option("--performer", default=None, help="Performer's full name (default: as the contract states it)."),
        click.option("--company", default=None, help="Company's full name (default: as the contract states it)."),
        click.option("--agreement-title", default=None, help="Title of the original agreement."),
        click.option("--agreement-date", default=None, help="Date of the original agreement, as written."),
        click.option("--jurisdiction", type=click.Choice(JURISDICTIONS, case_sensitive=False), default=None,
                     help="Law the wording follows: CA, NY, IL, TN, US (other state), EU, UK or OTHER "
                          "(default: from the contract's governing-law clause)."),
        click.option("--union", default=None, help="Union whose agreement covers the performer, e.g. SAG-AFTRA."),
        click.option("--minor/--adult", default=None, help="The performer is a minor (default: from the contract or the deal file)."),
        click.option("--term-years", type=int, default=None, help="Term for AI and replica uses, in years (default 5)."),
        click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="A folder with your own template set (validated before use; see templates/README.md)."),
        _on_revisions_option,
        _playbook_option,
    ]  # fmt: skip
    for option in reversed(options):
        f = option(f)
    return f


def _deal_and_addendum(contract: Path, kw: dict):
    from .draft import build_addendum, check_draftable, deal_and_sources, deal_notes, load_templates
    from .scan import scan as run_scan

    book = _playbook(kw.get("playbook_file"))
    # a broken template set fails before any work
    templates = load_templates(kw.get("templates_dir"), playbook=book)
    report = run_scan(contract, source=str(contract), on_revisions=kw["on_revisions"], playbook=book)
    for warning in report.document.warnings:
        _echo(f"warning: {warning}", err=True)
    check_draftable(report)  # before the deal facts: a French contract gets no English addendum, whatever they are
    options = {
        "performer": kw.get("performer"),
        "company": kw.get("company"),
        "agreement_title": kw.get("agreement_title"),
        "agreement_date": kw.get("agreement_date"),
        "jurisdiction": kw["jurisdiction"].upper() if kw.get("jurisdiction") else None,
        "union": kw.get("union"),
        "minor": kw.get("minor"),
        "term_years": kw.get("term_years"),
    }
    deal, used = deal_and_sources(report, kw.get("deal_file"), options)
    for line in deal_notes(report, used, kw.get("deal_file")):  # which facts came from where
        _echo(f"deal: {line}", err=True)
    return report, build_addendum(report, deal, templates)


@cli.command()
@click.argument("contract", type=click.Path(dir_okay=False, path_type=Path))
@_output_option("Where to write the addendum (atomically).", required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "markdown", "html", "pdf"]),
    default=None,
    help="Output format; the -o extension chooses it (.docx, .md, .html or .pdf) and --format may only agree.",
)
@_deal_options
def draft(contract: Path, output: Path, fmt: str | None, **kw):
    """Draft the addendum that answers the gaps a contract leaves open.

    One section per gap found, most severe first, each citing its legal and union anchors, in the
    wording of the chosen jurisdiction. Deal facts come from the contract itself, then --deal FILE,
    then the options below. Not legal advice: have it reviewed before sending.

    \b
    Examples:
      castguard draft deal.pdf -o addendum.docx --jurisdiction CA
      castguard draft deal.docx --deal deal.toml -o addendum.md
      castguard draft deal.txt --performer "Ana Ruiz" --jurisdiction UK -o addendum.html
      castguard draft deal.pdf -o addendum.pdf --jurisdiction NY
    """
    from .draft.writers import render

    _refuse_overwrite(contract, output)
    fmt = resolve_format("draft", output, fmt)
    report, addendum = _deal_and_addendum(contract, kw)
    data = render(addendum.markdown, addendum.title, "docx" if fmt == "pdf" else fmt)
    if fmt == "pdf":
        data = to_pdf(data, ".docx", output=output)
    write_atomic(output, data)
    _echo(f"wrote {output} ({len(addendum.sections)} section(s) answering the gaps found)", err=True)
    _not_advice()


def _not_advice() -> None:
    """The not-legal-advice notice: on the terminal, never in a document meant for the other side."""
    from .report import DISCLAIMER

    _echo(f"note: {DISCLAIMER}", err=True)


@cli.command()
@click.argument("contract", type=click.Path(dir_okay=False, path_type=Path))
@_output_option(
    "Where to write the redline (atomically): .docx (tracked changes to accept or reject in Word or LibreOffice) "
    "or .pdf (the same changes as LibreOffice shows them, for reading; needs LibreOffice).",
    required=True,
)
@click.option(
    "--author",
    default=None,
    help="Name on every tracked change and comment, as the other side will see it "
    "(default: \"Reviewer\").",
)
@click.option(
    "--date", "rev_date", default=None, help="ISO 8601 date-time on every tracked change (default: now, UTC)."
)
@click.option(
    "--narrow-grants",
    is_flag=True,
    help="Also narrow the grant's own words (\"in perpetuity\", \"hereafter devised\", \"irrevocable\") where "
    "the clause is about the person's name, likeness, voice or performance. Off by default: the redline only "
    "inserts.",
)
@click.option(
    "--internal",
    is_flag=True,
    help="Annotated copy for your team: comments also give gap ids, clause ids and confidence. Not for sending.",
)
@_deal_options
def redline(
    contract: Path, output: Path, author: str | None, rev_date: str | None, narrow_grants: bool, internal: bool, **kw
):
    """Write the contract back as a Word document with native tracked changes.

    The redline touches AI terms only: it inserts, per flagged clause, one carve-out making the clause subject
    to the addendum's sections on digital replicas, AI training and synthetic performers, with one comment
    saying why, and appends the addendum as an inserted block. Fees, term, ownership and every other
    commercial term stay word for word. Accept or reject the changes in Word or LibreOffice. Not legal advice.

    \b
    Examples:
      castguard redline deal.docx -o deal-redline.docx --author "Ana Ruiz (agent)"
      castguard redline deal.pdf --deal deal.toml -o deal-redline.docx
      castguard redline deal.docx --narrow-grants -o deal-redline.docx   # also limit "in perpetuity" etc.
      castguard redline deal.docx --internal -o team-copy.docx          # gap ids in the comments
      castguard redline deal.docx -o deal-redline.pdf
    """
    import datetime as _dt

    from .redline import DEFAULT_AUTHOR
    from .redline import redline as make_redline

    _refuse_overwrite(contract, output)
    fmt = resolve_format("redline", output)
    if rev_date is not None:
        try:
            parsed = _dt.datetime.fromisoformat(rev_date.replace("Z", "+00:00"))
        except ValueError:
            raise CastguardError(f"--date {rev_date!r} is not an ISO 8601 date or date-time") from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=_dt.timezone.utc)
        rev_date = parsed.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    defaulted = author is None
    author = DEFAULT_AUTHOR if author is None else author
    if not author.strip() or len(author) > 200 or any(ord(c) < 32 for c in author):
        raise CastguardError("--author must be a name of 1 to 200 printable characters")
    report, addendum = _deal_and_addendum(contract, kw)
    result = make_redline(
        report,
        addendum,
        contract,
        author=author,
        date=rev_date,
        on_revisions=kw["on_revisions"],
        narrow_grants=narrow_grants,
        internal=internal,
    )
    write_atomic(output, to_pdf(result.data, ".docx", output=output, notes=True) if fmt == "pdf" else result.data)
    for note in result.notes:
        _echo(f"warning: {note}", err=True)
    left = [c for c in result.changes if not c.form]
    _echo(
        f"wrote {output} ({result.insertions} insertion(s), {result.deletions} deletion(s), "
        f"{result.comments} comment(s)); {result.carve_outs} clause(s) carved out, {len(left)} commented only",
        err=True,
    )
    if defaulted:
        _echo(f'note: changes and comments are signed "{author}"; give --author NAME to sign them', err=True)
    if internal:
        _echo("note: --internal: the comments carry gap ids and confidences; do not send this copy", err=True)
    _not_advice()


class _Progress:
    """Batch progress for a person (a live line on a terminal) or a log (a plain line every few seconds)."""

    def __init__(self, stream=None, interval: float = 10.0):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.interval = interval
        self.last = 0.0

    def __call__(self, event: dict) -> None:
        import time

        if event["event"] == "waiting":
            _echo(f"batch: waiting for the other batch using this folder ({event['holder']}) to finish", err=True)
            return
        if event["event"] == "start":
            words = {"skipped": "already done", "duplicates": "duplicates", "refused": "refused",
                     "recovered": "recovered", "not read": "not read",
                     "not retried": "failed for good or not a contract before: not retried"}  # fmt: skip
            extra = ", ".join(f"{event[k]} {w}" for k, w in words.items() if event.get(k))
            _echo(
                f"batch: {event['files']} file(s) found; {event['total']} to analyse"
                + (f" ({extra})" if extra else ""),
                err=True,
            )
            return
        done, total, failed, elapsed = event["done"], event["total"], event["failed"], event["elapsed"]
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (total - done) / rate if rate > 0 else 0.0
        line = (
            f"{done}/{total} files · {rate * 60:.0f}/min · ETA {int(eta // 60)}m{int(eta % 60):02d}s · {failed} failed"
        )
        if self.tty:
            width = 24
            filled = int(width * done / total) if total else width
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {visible(line)}   ")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
        else:
            now = time.monotonic()
            if now - self.last >= self.interval or done == total:
                self.last = now
                _echo(f"batch: {line}", err=True)
        if event["status"] != "done" and not self.tty:
            _echo(f"batch: failed: {event['name']}: {event.get('reason')}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder: reports/, contracts.xlsx, roster.csv, findings.csv, skipped_and_failed.csv, contracts.csv, index.html, the run store.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 256),
    default=None,
    help="Worker processes (default: the number of CPU cores).",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local worker processes, or a Dask distributed cluster (--scheduler).",
)
@click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")
@click.option(
    "--resume",
    is_flag=True,
    help="Continue a run in OUTDIR: skip what is done and what failed for good (unreadable, encrypted, image-only, "
    "not a contract); retry time-outs and crashed workers.",
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="With --resume (implied): also analyse again the files that failed for good or were not contracts.",
)
@click.option(
    "--wait",
    is_flag=True,
    help="If another batch is using OUTDIR, wait for it to finish instead of stopping (one batch per folder).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(0.01, 86400),
    default=120.0,
    show_default=True,
    help="Seconds one file may take before its worker is stopped and the file recorded as failed.",
)
@click.option(
    "--memory-mb",
    type=click.IntRange(64, 1 << 20),
    default=2048,
    show_default=True,
    help="Memory one file may use in its worker, beyond the loaded worker itself, in MB.",
)
@click.option(
    "--summary",
    "summary_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Only re-render the summaries of the run in this folder from its run store (no analysis).",
)
@_playbook_option
def batch(
    paths, outdir, jobs, executor, scheduler, resume, retry_failed, wait, time_limit, memory_mb, summary_dir,
    playbook_file,
):
    """Analyse a whole archive of contracts: folders and .zip files, resumable, in parallel.

    One JSON report per contract, contracts.csv and findings.csv, an Excel workbook, and index.html (a
    dashboard that works offline). Every outcome is recorded as it happens in a SQLite run store in the
    output folder, so a crash or Ctrl-C loses nothing: run again with --resume. A file that is broken,
    hangs or crashes its worker is recorded as failed with the reason; the batch goes on. --resume retries
    time-outs and crashed workers, not files that fail every time (unreadable, encrypted, image-only, not a
    contract): add --retry-failed for those. The end lists the first 20 failures and files not read; all of
    them are in contracts.csv and index.html. Record each contract's renegotiation with castguard track.
    Not legal advice.

    \b
    Examples:
      castguard batch contracts/ -o review/
      castguard batch archive.zip more/ -o review/ --jobs 4
      castguard batch contracts/ -o review/ --resume
      castguard batch contracts/ -o review/ --resume --retry-failed
      castguard batch contracts/ -o review/ --executor dask --scheduler tcp://10.0.0.5:8786
      castguard batch --summary review/
      castguard batch contracts/ -o review/ --playbook union.toml
    """
    import os as _os

    from .batch import run_batch, write_summaries

    if summary_dir is not None:
        from .batch.lock import FolderLock

        with FolderLock(summary_dir, wait=wait):
            info = write_summaries(summary_dir)
        _echo(f"wrote summaries of {info['contracts']} contract(s) to {summary_dir}", err=True)
        return
    if not paths or outdir is None:
        raise click.UsageError("give the contracts (files, folders or .zip) and -o OUTDIR; or --summary OUTDIR")
    check_output_folder("batch", outdir)
    book = _playbook(playbook_file)
    try:
        result = run_batch(
            list(paths), outdir, jobs=jobs or (_os.cpu_count() or 1), executor=executor, scheduler=scheduler,
            resume=resume or retry_failed, retry_failed=retry_failed, time_limit=time_limit, memory_mb=memory_mb,
            progress=_Progress(), wait=wait, playbook=book,
        )  # fmt: skip
    except KeyboardInterrupt:
        _echo(f"\ninterrupted: nothing is lost; continue with: castguard batch ... -o {outdir} --resume", err=True)
        sys.exit(130)
    except Exception as exc:
        full = full_disk_error(exc, getattr(exc, "path", None))
        if full is None:
            raise
        raise DiskFull(
            full.message.replace(
                "run the command again", f"continue with: castguard batch ... -o {outdir} --resume"
            ),
            path=full.path,
        ) from None
    _echo(
        f"batch: {result.files} file(s): {result.done} analysed, {result.failed} failed, {result.duplicates} duplicate(s), "
        f"{result.skipped} already done, {result.refused} refused"
        + (f", {result.not_retried} not retried (failed for good before: --retry-failed)" if result.not_retried else "")
        + f", in {result.seconds:.1f} s; see {outdir / 'index.html'}"
        + (
            f"; {result.ignored} file(s) not read (links leaving the input, hidden or unsupported files: "
            "listed in contracts.csv)"
            if result.ignored
            else ""
        ),
        err=True,
    )
    _list_problems(outdir)


PROBLEMS_LISTED = 20


def _list_problems(outdir: Path) -> None:
    """The first failures and files not read, one line each (file, reason, error code, whether --resume retries
    it), and where the full list is."""
    from .batch import is_permanent
    from .batch.store import STORE_NAME, RunStore

    store = RunStore(outdir / STORE_NAME)
    try:
        total, rows = store.problems(store.meta("model") or "", PROBLEMS_LISTED)
    finally:
        store.close()
    if not total:
        return
    shown = "" if total <= len(rows) else f"; the first {len(rows)}"
    _echo(f"batch: {total} file(s) failed or not read{shown}:", err=True)
    for r in rows:
        if r["status"] == "failed":
            what = "failed"
            retried = "not retried by --resume" if is_permanent("failed", r["error_code"]) else "retried by --resume"
            tag = f" [{r['error_code'] + ', ' if r['error_code'] else ''}{retried}]"
        else:
            what, tag = {"refused": "refused", "skipped": "not read"}.get(r["status"], r["status"]), ""
            if r["status"] == "done":
                what = "not read"
        _echo(f"  {what}: {r['name']}: {r['reason'] or '(no reason recorded)'}{tag}", err=True)
    _echo(
        f"batch: the full list, with what to do: {outdir / 'skipped_and_failed.csv'} (also the sheet \"Skipped and "
        f"failed\" of contracts.xlsx, and {outdir / 'index.html'}); every file's status, reason and error code: "
        f"{outdir / 'contracts.csv'}",
        err=True,
    )


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port; the address is printed).")
@click.option("--host", default=None,
              help="Address to listen on (default 127.0.0.1: this computer only). Another address lets other "
                   "machines reach the contracts you upload: give it only on a network you trust.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A batch output folder (a run store) that \"Add to the run store\" records contracts in, for "
                   "the dashboard and castguard track; created if new.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes that read contracts (default: up to 2, the number of CPU cores).")
@click.option("--time-limit", type=click.FloatRange(1, 86400), default=60.0, show_default=True,
              help="Seconds one upload may take in its worker before the worker is stopped.")
@click.option("--memory-mb", type=click.IntRange(64, 1 << 20), default=2048, show_default=True,
              help="Memory one upload may use in its worker, beyond the loaded worker itself, in MB.")
@_playbook_option
def serve(port: int, host: str | None, open_browser: bool, store: Path | None, jobs: int | None, time_limit: float,
          memory_mb: int, playbook_file: Path | None):  # fmt: skip
    """Review contracts in a browser on this computer: upload, report, facts, addendum, redline.

    A local web app: choose or drop a contract (PDF, DOCX or text), read the review report, confirm or correct
    the deal facts, download the addendum (Word or Markdown) and the redline (Word, tracked changes), and add
    the contract to a batch run store (--store). It listens on 127.0.0.1 only unless --host says otherwise;
    nothing is fetched from or sent to the network. Needs the serve extra: pip install 'castguard[serve]'.
    Stop it with Ctrl-C: the uploaded files are removed. Not legal advice.

    \b
    Examples:
      castguard serve --open
      castguard serve --port 8800 --store review/
      castguard serve --playbook union.toml
    """
    try:
        from .serve import Config, is_loopback, run
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing not in ("starlette", "uvicorn", "python_multipart"):
            raise
        raise CastguardError(
            f"castguard serve needs Starlette, uvicorn and python-multipart ({missing} is not installed): "
            "pip install 'castguard[serve]'"
        ) from None
    if host is not None and not is_loopback(host):
        _echo(
            f"warning: --host {host}: castguard serve will answer other machines that can reach this address; the "
            "contracts you upload are then readable by anyone who can reach it. Use it only on a network you trust.",
            err=True,
        )
    book = _playbook(playbook_file)
    config = Config(
        host=host or "127.0.0.1", port=port, jobs=jobs or min(2, os.cpu_count() or 1), time_limit=time_limit,
        memory_mb=memory_mb, store=store, playbook=None if book.is_default else book,
    )  # fmt: skip
    run(config, open_browser=open_browser, echo=lambda line: _echo(line, err=True))
    _echo("castguard serve: stopped; the uploads are removed", err=True)


# the same as castguard.batch.store.TRACK_STATUSES (a test checks), here so that --help needs no batch import
TRACK_STATUSES = ("to-send", "sent", "countered", "signed", "declined")


@cli.command()
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("file", required=False)
@click.option(
    "--status",
    type=click.Choice(TRACK_STATUSES),
    default=None,
    help="Record this status for FILE; without FILE, list only the contracts at this status.",
)
@click.option("--note", default=None, help="A note with the status (who, what was asked, the next step).")
@click.option("--date", "on", default=None, metavar="YYYY-MM-DD", help="The date of the status (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format."
)
@click.option(
    "--no-summary",
    is_flag=True,
    help="Do not render index.html and contracts.xlsx again after recording (do it later: castguard batch --summary).",
)
def track(outdir: Path, file: str | None, status: str | None, note: str | None, on: str | None, fmt: str,
          no_summary: bool):  # fmt: skip
    """Record and list the renegotiation of each contract of a batch run: to-send, sent, countered, signed,
    declined.

    With FILE and --status, records the status (with --note and --date) in the run store of OUTDIR; with FILE
    alone, prints its whole history; with OUTDIR alone, lists the latest status of every tracked contract and
    the pipeline counts. FILE is the contract as the batch recorded it (contracts.csv, column path), the same
    file from here, or its path inside the folder given to the batch. The history stays through later batch
    runs (--resume); a contract whose file has changed since its latest status is marked "changed since sent".

    \b
    Examples:
      castguard track review/ contracts/kestrel.docx --status sent --note "addendum v1 to agent"
      castguard track review/ kestrel.docx --status countered --date 2025-03-09
      castguard track review/ kestrel.docx
      castguard track review/
      castguard track review/ --status sent
    """
    import datetime as _dt

    from .batch.track import open_run, resolve

    if file is None and (note is not None or on is not None):
        raise click.UsageError("--note and --date go with FILE and --status: castguard track OUTDIR FILE --status ...")
    if file is not None and status is None and (note is not None or on is not None):
        raise click.UsageError(f"--note and --date need --status ({', '.join(TRACK_STATUSES)})")
    store = open_run(outdir)
    try:
        if file is None:
            _track_list(store, status, fmt)
            return
        name = resolve(store, file)
        if status is None:
            _track_history(store, name, fmt)
            return
        row = store.track(name, status, on or _dt.date.today().isoformat(), note)
    finally:
        store.close()
    before = row["previous"]
    _echo(f"{name}: {status} on {row['date']}" + (f" ({row['note']})" if row["note"] else ""), err=True)
    if before is not None and before["sha256"] and row["sha256"] and before["sha256"] != row["sha256"]:
        _echo(
            f"note: the file has changed since its previous status ({before['status']} on {before['date']}); "
            f"this status is recorded against the new version",
            err=True,
        )
    if not no_summary:
        _track_summaries(outdir)


def _track_summaries(outdir: Path) -> None:
    """Render the summaries again with the new status, unless a batch is running in the folder (it renders
    them when it ends, from the same store)."""
    from .batch import write_summaries
    from .batch.lock import FolderLock
    from .errors import BusyError

    try:
        with FolderLock(outdir):
            write_summaries(outdir)
    except BusyError:
        _echo(
            "note: a batch is running in this folder; its index.html and contracts.xlsx show the status when it ends",
            err=True,
        )
        return
    _echo(f"updated {outdir / 'index.html'} and {outdir / 'contracts.xlsx'}", err=True)


def _changed_words(status: str) -> str:
    return "changed since marked to-send" if status == "to-send" else f"changed since {status}"


def _track_list(store, status: str | None, fmt: str) -> None:
    latest = store.latest_tracking()
    counts = {s: 0 for s in TRACK_STATUSES}
    for t in latest.values():
        counts[t["status"]] = counts.get(t["status"], 0) + 1
    done = {r[0] for r in store.db.execute("SELECT name FROM files WHERE status = 'done'")}
    untracked = len(done - set(latest))
    order = {s: i for i, s in enumerate(TRACK_STATUSES)}
    rows = sorted(
        ((n, t) for n, t in latest.items() if status is None or t["status"] == status),
        key=lambda nt: (order.get(nt[1]["status"], 99), nt[1]["date"], nt[0]),
    )
    if fmt == "json":
        out = {
            "contracts": [{"file": n, **t} for n, t in rows],
            "counts": counts,
            "without_status": untracked,
        }
        _echo(json.dumps(out, indent=1, ensure_ascii=False), json=True)
        return
    if rows:
        _echo(f"{'STATUS':<10} {'DATE':<10}  FILE")
    elif not latest:
        _echo("no status recorded yet: castguard track OUTDIR FILE --status to-send|sent|countered|signed|declined")
    for n, t in rows:
        flag = f"  [{_changed_words(t['status'])}]" if t["changed"] else ""
        _echo(f"{t['status']:<10} {t['date']:<10}  {n}{flag}" + (f"  — {t['note']}" if t["note"] else ""))
    changed = sum(1 for _, t in rows if t["changed"])
    _echo(
        "pipeline: " + ", ".join(f"{counts[s]} {s}" for s in TRACK_STATUSES)
        + f"; {untracked} analysed contract(s) without a status"
        + (f"; {changed} changed since their status: check them again" if changed else "")
    )  # fmt: skip


def _track_history(store, name: str, fmt: str) -> None:
    history = store.tracking_history(name)
    now = store.file_status(name)
    now_sha = now["sha256"] if now is not None else None
    if fmt == "json":
        out = {"file": name, "sha256": now_sha, "history": history}
        _echo(json.dumps(out, indent=1, ensure_ascii=False), json=True)
        return
    _echo(f"{name}" + (f" (sha256 {now_sha[:12]}…)" if now_sha else ""))
    if not history:
        _echo("  no status recorded yet: castguard track OUTDIR FILE --status to-send|sent|countered|signed|declined")
        return
    for t in history:
        flag = f"  [a new version of the file: sha256 {t['sha256'][:12]}…]" if t["changed"] else ""
        _echo(f"  {t['date']}  {t['status']:<10}" + (f"  — {t['note']}" if t["note"] else "") + flag)
    last = history[-1]
    if last["sha256"] and now_sha and last["sha256"] != now_sha:
        _echo(f"  {_changed_words(last['status'])}: the file's content is now sha256 {now_sha[:12]}…; "
              "read it again before the next step")  # fmt: skip


@cli.group()
def playbook():
    """Check or show a playbook: your organisation's line over the default rules.

    A playbook (TOML) changes a gap's severity, switches a gap off, adds or removes phrases of the lexicon,
    adds rules that raise or suppress a gap, and points a gap at your own remedy template. Give it to scan,
    batch, draft, redline or facts with --playbook FILE; every report records its name and sha256.
    See README: 'Playbooks'.

    \b
    Examples:
      castguard playbook check union.toml
      castguard playbook show --playbook union.toml
      castguard scan deal.pdf --playbook union.toml
    """


@playbook.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def playbook_check(file: Path):
    """Validate a playbook: prints "ok: NAME, sha256 ..." or the one line that says what is wrong (exit 2).

    \b
    Example:
      castguard playbook check union.toml
    """
    from .playbooks import load_playbook

    book = load_playbook(file)
    _echo(
        f"ok: {book.name}, sha256 {book.sha256} ({len(book.changes)} change(s) to the default, "
        f"{len(book.rules)} rule(s), {len(book.templates)} remedy template(s) of its own)"
    )


@playbook.command("show")
@_playbook_option
@click.option("--patterns", "with_patterns", is_flag=True,
              help="List every rule pattern (module, name, what it finds, the expression) instead.")  # fmt: skip
def playbook_show(playbook_file: Path | None, with_patterns: bool):
    """Print the effective rules: each gap's severity, whether it is on and its remedy template, the
    lexicon's concepts, the rule patterns and the extra rules (the default playbook, or yours over it with
    --playbook FILE).

    \b
    Examples:
      castguard playbook show
      castguard playbook show --playbook union.toml
      castguard playbook show --patterns
    """
    from .playbooks import load_playbook, show_patterns, show_playbook

    book = load_playbook(playbook_file)
    _echo((show_patterns if with_patterns else show_playbook)(book), nl=False)


def main() -> None:  # pragma: no cover - entry point
    cli()


_data_option = click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Labelled clauses (JSONL). Default: data/clauses.jsonl of the project.",
)


def _project_path(*parts: str, what: str = "--data FILE") -> Path:
    """A path in the castguard checkout (data/clauses.jsonl, models/). Installed from a wheel there is no
    checkout: say what to pass instead of pointing at a path that does not exist."""
    root = Path(__file__).resolve().parents[2]
    if not ((root / "pyproject.toml").is_file() and (root / "data" / "clauses.jsonl").is_file()):
        raise click.UsageError(
            f"no castguard checkout here to take {'/'.join(parts)} from (this castguard is installed as a package); "
            f"run it in a checkout of the castguard repository, or pass {what}"
        )
    return root.joinpath(*parts)


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

    data = data or _project_path("data", "clauses.jsonl", what="--data FILE and --out DIR")
    out = out or _project_path("models", what="--out DIR")
    t = time.perf_counter()
    meta = run_train(data, out)
    _echo(
        f"trained {meta['id']} on {meta['training_data']['clauses']} clauses "
        f"({meta['training_data']['documents']} documents), {len(meta['labels'])} labels, "
        f"in {time.perf_counter() - t:.1f}s -> {out}"
    )


@cli.command()
@_data_option
@click.option(
    "--folds", type=click.IntRange(2, 20), default=5, show_default=True, help="Document-grouped cross-validation folds."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default=None,
    help="table (the default) or json; with -o the extension chooses (.txt or .json) and --format may only agree.",
)
@_output_option("Write the measurements to this file (atomically): .txt (table) or .json.")
@click.option(
    "--contracts/--no-contracts",
    default=True,
    show_default=True,
    help="Also evaluate contract-level gap sets on the labelled whole contracts.",
)
def evaluate(data: Path | None, folds: int, fmt: str | None, output: Path | None, contracts: bool):
    """Measure the detector: clause-level P/R/F1 on held-out documents, and contract-level gap detection.

    Clause level: document-grouped k-fold (no contract's clauses on both sides); the keyword baseline, the
    rules, the learned model and their combination side by side, for all clauses and separately for real and
    written ones. Contract level: the gap sets the scanner reports for the labelled whole contracts (corpus,
    samples, held-out set) and, when ../shared/corpus is beside the checkout, the real labelled documents of
    data/real_gold.json (CUAD in and out of scope, AI-era terms) with the rules alone and the keyword baseline
    beside them; a real document is scanned with the fold model that never saw its clauses.

    \b
    Example:
      castguard evaluate
      castguard evaluate --folds 5 -o metrics.json
    """
    from .evaluate import evaluate_all, render_evaluation

    fmt = resolve_format("evaluate", output, fmt)
    data = data or _project_path("data", "clauses.jsonl")
    result = evaluate_all(
        data,
        folds=folds,
        contracts=contracts,
        progress=(lambda m: _echo(m, err=True)) if fmt == "table" or output is not None else None,
    )
    text = json.dumps(result, indent=1) + "\n" if fmt == "json" else render_evaluation(result) + "\n"
    if output is None:
        _echo(text, nl=False, json=fmt == "json")
    else:
        write_atomic(output, text)
        _echo(f"wrote {output}", err=True)
