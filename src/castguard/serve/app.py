"""The web app of ``castguard serve``: upload -> review report -> deal facts -> addendum and redline -> run store.

Starlette routes over the library the commands use: the report page is :func:`castguard.report.html.render_html`
with the page ``serve_report.html.j2`` (which extends the review report), the addendum is
:func:`castguard.draft.build_addendum` with the deal from :func:`castguard.draft.deal_and_sources` (the confirmed
facts are the options of ``castguard draft``), the redline is :func:`castguard.redline.redline`, and the run
store is written by :func:`castguard.batch.add_contract`. Parsing (scan, redline) happens in the worker
processes of :mod:`.pool`, never in the server.

Safety (README: "castguard serve"): every request's Host must be the address the server listens on (a DNS
rebinding page's host is refused); a POST must come with the session's CSRF token and, when the browser sends
one, an Origin of that address; an upload is refused over the file-size limit before it is parsed (by its
Content-Length, then by the bytes that arrive); uploads live in one private folder (0700) removed when the
server stops, each in a folder of its own under an unguessable id bound to the session that made it.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import tempfile
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from .._version import __version__
from ..errors import INTERNAL_ERROR, CastguardError, LimitExceeded
from ..ingest import SUPPORTED_EXTENSIONS
from ..jurisdictions import JURISDICTIONS
from ..limits import current_limits
from ..templating.html import render, source
from .pool import WorkerPool

__all__ = ["Config", "create_app"]

SESSION_COOKIE = "castguard_session"
KEPT_UPLOADS = 50  # the oldest upload (and its folder) goes when a newer one would be one too many
KEPT_SESSIONS = 1000
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the small fields, beyond the file itself
STATIC = {"serve.css": "text/css; charset=utf-8", "serve.js": "text/javascript; charset=utf-8"}
META_CSP = (  # the report page's own <meta> policy (a meta element cannot carry frame-ancestors)
    "default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'"
)
CSP = META_CSP + "; frame-ancestors 'none'"  # the header on every response
# the deal facts the form confirms: (field, label, the contract fact it is prefilled from)
FACT_FIELDS = (
    ("performer", "Performer", "performer"),
    ("company", "Company", "company"),
    ("agreement_title", "Agreement", "agreement_title"),
    ("agreement_date", "Date of the agreement", "agreement_date"),
    ("jurisdiction", "Jurisdiction (the addendum's wording)", "governing_law"),
    ("union", "Union", "union"),
    ("minor", "The performer is a minor", "minor"),
    ("term_years", "Term for AI and replica uses (years)", None),
)
STATUS = {"E103": 413, "E600": 409, "E999": 500}


@dataclass
class Config:
    host: str = "127.0.0.1"
    port: int = 8765
    jobs: int = 1
    time_limit: float = 60.0
    memory_mb: int = 2048
    store: Path | None = None
    playbook: Any = None  # a castguard.playbooks.Playbook; None: the default
    on_ready: Any = None  # called (no arguments) once the workers are warm


@dataclass
class Upload:
    id: str
    session: str
    name: str
    folder: Path
    path: Path
    sha256: str
    size: int
    report: Any
    created: float = field(default_factory=time.time)
    stored_as: str | None = None


class Failure(Exception):
    """A request that ends on the error page: a castguard error code and the line the CLI would print."""

    def __init__(self, code: str, line: str, status: int | None = None):
        super().__init__(line)
        self.code = code
        self.line = line
        self.status = status or STATUS.get(code, 500 if code.startswith("E9") and code != "E902" else 422)


def _failure(result: dict, name: str) -> Failure:
    code = result.get("error_code") or "E999"
    return Failure(code, f"error: [{code}] {name}: {result.get('reason') or 'failed'}")


def _from_error(exc: CastguardError) -> Failure:
    return Failure(exc.code, f"error: [{exc.code}] {exc}")


def _safe_name(filename: str | None) -> str:
    """The uploaded file's base name, as the CLI would show a path: no folders, no controls, at most 120 characters."""
    base = re.split(r"[/\\]", filename or "")[-1]
    base = "".join(c for c in base if c.isprintable()).strip() or "contract"
    return base[-120:]


FOLDER_PREFIX = "castguard-serve-"
OWNER = "pid"  # in the private folder: the server that made it


def _sweep(tmp: Path) -> None:
    """Remove the private folders of castguard serve processes that were killed outright (SIGKILL, a power cut)
    and so could not remove their own: this user's folders whose server is no longer running."""
    for folder in tmp.glob(FOLDER_PREFIX + "*"):
        try:
            if folder.stat().st_uid != os.getuid():
                continue
            pid = int((folder / OWNER).read_text(encoding="ascii"))
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):
            continue  # not ours, no owner recorded, or a server that is running


class State:
    def __init__(self, config: Config):
        self.config = config
        self.allowed_hosts = {f"{h}:{config.port}" for h in ("127.0.0.1", "localhost", "[::1]")}
        if config.host not in ("127.0.0.1", "localhost", "::1"):
            self.allowed_hosts.add(f"{config.host}:{config.port}" if ":" not in config.host else f"[{config.host}]:{config.port}")
        # --host 0.0.0.0 (or ::): the machine is reached by any of its addresses, so any IP address is a right Host;
        # a name is not (DNS rebinding needs a name that the attacker's DNS resolves to this machine)
        self.any_address = config.host in ("0.0.0.0", "::", "[::]")
        self.sessions: OrderedDict[str, str] = OrderedDict()  # session id -> its CSRF token
        self.uploads: OrderedDict[str, Upload] = OrderedDict()
        self.crash_dir = tempfile.gettempdir()  # a traceback file must outlive the server
        _sweep(Path(self.crash_dir))
        self.folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))  # 0700: this user's only
        os.chmod(self.folder, 0o700)
        (self.folder / OWNER).write_text(str(os.getpid()), encoding="ascii")
        self.pool = WorkerPool(
            config.jobs, time_limit=config.time_limit, memory_mb=config.memory_mb, playbook=config.playbook
        )
        from ..playbooks import default_playbook

        self.playbook = config.playbook or default_playbook()

    def start(self) -> None:
        self.pool.start()
        # the report page and the addendum are rendered here: their templates load now, not on the first upload
        from ..draft import load_templates
        from ..report import html as _html  # noqa: F401

        load_templates(None, playbook=self.playbook)

    def stop(self) -> None:
        self.pool.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def host_ok(self, host: str) -> bool:
        """Whether a request's Host (``name:port``) is this server's."""
        if host in self.allowed_hosts:
            return True
        if not self.any_address:
            return False
        import ipaddress

        name, _, port = host.rpartition(":")
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        return port == str(self.config.port)

    def origin_ok(self, origin: str) -> bool:
        return origin.startswith("http://") and self.host_ok(origin[len("http://") :])

    def new_session(self) -> str:
        sid = secrets.token_urlsafe(24)
        self.sessions[sid] = secrets.token_urlsafe(24)
        while len(self.sessions) > KEPT_SESSIONS:  # a client that never keeps its cookie cannot grow this
            self.sessions.popitem(last=False)
        return sid

    def keep(self, upload: Upload) -> None:
        self.uploads[upload.id] = upload
        while len(self.uploads) > KEPT_UPLOADS:
            _, old = self.uploads.popitem(last=False)
            shutil.rmtree(old.folder, ignore_errors=True)


# --------------------------------------------------------------------------- checks


def _session(request: Request) -> str | None:
    sid = request.cookies.get(SESSION_COOKIE)
    state: State = request.app.state.castguard
    return sid if sid in state.sessions else None


_TOKEN_REFUSED = (
    "error: [E000] refused: the form's security token is missing or out of date (the server restarted, or the form "
    "came from elsewhere); go back to the start page and try again"
)


def _check_origin(request: Request) -> str:
    """Before a POST's body is read: the browser's Origin and Sec-Fetch-Site, when sent, are this server's, and the
    request has a session. Returns the session; Failure (403) otherwise."""
    state: State = request.app.state.castguard
    origin = request.headers.get("origin")
    if origin is not None and not state.origin_ok(origin):
        raise Failure("E000", f"error: [E000] refused: a request from another site ({origin}); open castguard "
                      "from its own address", 403)  # fmt: skip
    if request.headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
        raise Failure("E000", "error: [E000] refused: a request from another site; open castguard from its own "
                      "address", 403)  # fmt: skip
    sid = _session(request)
    if sid is None:
        raise Failure("E000", _TOKEN_REFUSED, 403)
    return sid


def _check_post(request: Request, csrf: str | None) -> str:
    """The session of a POST, after its Origin and its CSRF token are checked; Failure (403) otherwise."""
    sid = _check_origin(request)
    state: State = request.app.state.castguard
    if not csrf or not secrets.compare_digest(csrf.encode(), state.sessions.get(sid, "").encode()):
        raise Failure("E000", _TOKEN_REFUSED, 403)
    return sid


def _upload(request: Request) -> Upload:
    state: State = request.app.state.castguard
    upload = state.uploads.get(request.path_params["id"])
    if upload is None or upload.session != _session(request):
        raise Failure("E100", "error: [E100] this upload is not here any more (the server restarted, or it was "
                      "one of the oldest); upload the contract again", 404)  # fmt: skip
    return upload


# --------------------------------------------------------------------------- pages


def _page(name: str, request: Request, status: int = 200, **context) -> HTMLResponse:
    state: State = request.app.state.castguard
    found = _session(request)
    new = found is None
    sid = found or state.new_session()
    context.setdefault("step", "")
    html = render(name, version=__version__, csrf=state.sessions[sid], store=state.config.store, **context)
    response = HTMLResponse(html, status_code=status)
    if new:
        response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="strict", path="/")
    return response


def _error_page(request: Request, failure: Failure) -> HTMLResponse:
    return _page("serve_error.html.j2", request, failure.status, code=failure.code, line=failure.line)


async def home(request: Request) -> Response:
    limits = current_limits()
    return _page(
        "serve_upload.html.j2", request, limit_mb=limits.file_mb, pages=limits.pages,
        extensions=", ".join(SUPPORTED_EXTENSIONS),
    )  # fmt: skip


async def upload(request: Request) -> Response:
    started = time.perf_counter()
    state: State = request.app.state.castguard
    _check_origin(request)  # before a byte of the body is read
    limit = int(current_limits().file_mb * 2**20)
    length = request.headers.get("content-length")

    def too_big(size: str) -> Failure:
        return _from_error(LimitExceeded(
            f"the upload is {size} the {limit / 2**20:g} MB file-size limit; " + current_limits().how_to_raise("file_mb"),
            path="upload",
        ))  # fmt: skip

    if length is not None and length.isdigit() and int(length) > limit + FORM_OVERHEAD:
        raise too_big(f"{int(length) / 2**20:.1f} MB, over")
    received = 0
    receive = request.receive

    async def counted():  # the limit holds for the bytes that arrive, whatever Content-Length said
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > limit + FORM_OVERHEAD:
            raise too_big("over")
        return message

    bounded = Request(request.scope, counted)
    form = await bounded.form(max_files=1, max_fields=8, max_part_size=64 * 1024)
    try:
        sid = _check_post(request, str(form.get("csrf") or ""))
        item = form.get("contract")
        if not isinstance(item, UploadFile) or not item.filename:
            raise Failure("E000", "error: [E000] no file was chosen; choose or drop a contract (PDF, DOCX or text)")
        name = _safe_name(item.filename)
        uid = secrets.token_urlsafe(16)
        folder = Path(tempfile.mkdtemp(prefix="u-", dir=state.folder))
        # the name's extension, as the CLI sees it (a hint only: the content decides the type, and a mismatch is
        # the CLI's warning or error naming that extension)
        suffix = Path(name).suffix
        path = folder / ("contract" + (suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,10}", suffix) else ""))
        digest = hashlib.sha256()
        size = 0
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            while chunk := await item.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    finally:
        await form.close()
    received_at = time.perf_counter()
    result = await run_in_threadpool(state.pool.call, ("scan", str(path), name, "accept"))
    if result["status"] != "done":
        shutil.rmtree(folder, ignore_errors=True)
        raise _failure(result, name)
    state.keep(Upload(uid, sid, name, folder, path, digest.hexdigest(), size, result["report"]))
    timing = (f"upload;dur={(received_at - started) * 1000:.1f}, scan;dur={result['seconds'] * 1000:.1f}, "
              f"worker;dur={(time.perf_counter() - received_at) * 1000:.1f}")  # fmt: skip
    return RedirectResponse(f"/r/{uid}", status_code=303, headers={"Server-Timing": timing})


def _evidence(report) -> dict[str, dict]:
    """Each stated fact's value as the contract states it, where ("the opening, p. 1") and its words: the rows of
    the report's own facts table (:func:`castguard.report.facts.fact_rows`)."""
    from ..report.facts import fact_rows

    return {r.name: {"value": r.value, "where": r.where, "quote": r.quote} for r in fact_rows(report.facts, report.clauses) if r.value}


async def report_page(request: Request) -> Response:
    from ..report.html import render_html

    up = _upload(request)
    state: State = request.app.state.castguard
    sid = _session(request)
    assert sid is not None
    started = time.perf_counter()
    html = await run_in_threadpool(
        render_html, up.report, template="serve_report.html.j2", upload=up, step="report", csrf=state.sessions[sid],
        store=state.config.store, csp=META_CSP,
    )  # fmt: skip
    return HTMLResponse(html, headers={"Server-Timing": f"render;dur={(time.perf_counter() - started) * 1000:.1f}"})


async def review_file(request: Request) -> Response:
    """The review report as `castguard scan -o review.html` writes it: one file to keep or send."""
    from ..report.html import render_html

    up = _upload(request)
    html = await run_in_threadpool(render_html, up.report)
    return Response(html, media_type="text/html; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_stem(up.name)}-review.html"'})  # fmt: skip


def _stem(name: str) -> str:
    """A download's name from the upload's: ASCII letters, digits and ``._-`` only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).stem).strip("._-")[:60] or "contract"


def _prefill(report) -> dict:
    from ..draft import contract_facts

    return contract_facts(report.facts)


async def facts_page(request: Request, *, values: dict | None = None, failure: Failure | None = None) -> Response:
    up = _upload(request)
    stated = _prefill(up.report)
    evidence = _evidence(up.report)
    rows = []
    for name, label, fact_name in FACT_FIELDS:
        value = (values or {}).get(name, stated.get(name, 5 if name == "term_years" else ""))
        rows.append({"name": name, "label": label, "value": value, "evidence": evidence.get(fact_name or "")})
    return _page(
        "serve_facts.html.j2", request, 422 if failure else 200, upload=up, rows=rows, jurisdictions=JURISDICTIONS,
        failure=failure, author=(values or {}).get("author", ""), step="facts",
    )  # fmt: skip


def _options(form, stated: dict) -> tuple[dict, dict]:
    """The deal options of ``castguard draft`` from the form, and the values as typed (to show the form again).
    A field left as the contract states it, or blank, is no option: the contract's value is used, as when the
    command is given no option for it."""
    typed: dict = {}
    options: dict = {}
    for name, _, _ in FACT_FIELDS:
        raw = str(form.get(name) or "").strip()
        typed[name] = raw
        was = stated.get(name)
        if not raw or (was is not None and raw == ({True: "yes", False: "no"}.get(was) if name == "minor" else str(was))):
            continue
        if name == "minor":
            options["minor"] = {"yes": True, "no": False}.get(raw)
        elif name == "term_years":
            if not raw.isdigit():
                raise CastguardError(f"the term {raw!r} is not a whole number of years; give one, e.g. 5")
            options["term_years"] = int(raw)
        elif name == "jurisdiction":
            options["jurisdiction"] = raw.upper()
        else:
            options[name] = raw
    typed["author"] = str(form.get("author") or "").strip()
    return options, typed


async def documents(request: Request) -> Response:
    from ..draft import build_addendum, check_draftable, deal_and_sources, load_templates
    from ..draft.writers import render as render_addendum
    from ..redline import DEFAULT_AUTHOR

    state: State = request.app.state.castguard
    form = await request.form(max_files=0, max_fields=20, max_part_size=16 * 1024)
    _check_post(request, str(form.get("csrf") or ""))
    up = _upload(request)
    what = str(form.get("what") or "")
    if what not in ("addendum-docx", "addendum-md", "redline-docx"):
        raise Failure("E000", "error: [E000] choose what to download: the addendum (DOCX or Markdown) or the redline")
    typed: dict = {}
    try:
        check_draftable(up.report)  # a French contract: why no addendum, before any missing fact
        options, typed = _options(form, _prefill(up.report))
        author = typed["author"] or DEFAULT_AUTHOR
        if len(author) > 200 or any(ord(c) < 32 for c in author):
            raise CastguardError("the author must be a name of 1 to 200 printable characters")
        deal, _ = deal_and_sources(up.report, None, options)
        addendum = build_addendum(up.report, deal, load_templates(None, playbook=state.playbook))
    except CastguardError as exc:
        return await facts_page(request, values=typed, failure=_from_error(exc))
    stem = _stem(up.name)
    if what == "redline-docx":
        result = await run_in_threadpool(state.pool.call, ("redline", str(up.path), up.report, addendum, author, "accept"))
        if result["status"] != "done":
            raise _failure(result, up.name)
        data, filename = result["data"], f"{stem}-redline.docx"
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        fmt = "docx" if what == "addendum-docx" else "markdown"
        data = render_addendum(addendum.markdown, addendum.title, fmt)
        filename = f"{stem}-addendum.{'docx' if fmt == 'docx' else 'md'}"
        media = (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            if fmt == "docx"
            else "text/markdown; charset=utf-8"
        )
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


async def add_to_store(request: Request) -> Response:
    from ..batch import add_contract
    from ..batch.executors import outcome_of

    state: State = request.app.state.castguard
    form = await request.form(max_files=0, max_fields=4, max_part_size=1024)
    _check_post(request, str(form.get("csrf") or ""))
    up = _upload(request)
    if state.config.store is None:
        raise Failure("E000", "error: [E000] no run store: start castguard serve with --store OUTDIR to add contracts to one")
    outcome = await run_in_threadpool(outcome_of, up.report, time.perf_counter())
    try:
        up.stored_as = await run_in_threadpool(
            add_contract, state.config.store, up.name, up.sha256, up.size, outcome, playbook=state.config.playbook
        )
    except CastguardError as exc:
        raise _from_error(exc) from None
    return _page("serve_stored.html.j2", request, upload=up)


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC:
        raise HTTPException(404)
    return Response(source(name), media_type=STATIC[name], headers={"Cache-Control": "no-cache"})


# --------------------------------------------------------------------------- the app


class _Guard:
    """ASGI middleware: the Host check (DNS rebinding) before anything else, and the security headers on every
    response."""

    def __init__(self, app, state: State):
        self.app = app
        self.state = state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"cache-control", b"no-store"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
        if not self.state.host_ok(host):
            where = f"http://{self.state.config.host}:{self.state.config.port}/"
            failure = Failure("E000", f"error: [E000] refused: this server answers only at {where} (the request "
                              f"was for the host {host or '(none)'}); open that address", 403)  # fmt: skip
            html = render("serve_error.html.j2", version=__version__, code=failure.code, line=failure.line)
            return await HTMLResponse(html, status_code=403)(scope, receive, send_with_headers)
        await self.app(scope, receive, send_with_headers)


async def _on_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, Failure):
        return _error_page(request, exc)
    if isinstance(exc, CastguardError):
        return _error_page(request, _from_error(exc))
    if isinstance(exc, HTTPException):
        return _error_page(request, Failure("E000", f"error: [E000] {exc.detail}: {request.url.path}", exc.status_code))
    # a bug: the CLI's line for it (exit 3 there), and the traceback in a file of its own
    where = _write_traceback(exc, request, request.app.state.castguard.crash_dir)
    line = (
        f"error: [{INTERNAL_ERROR}] internal error ({type(exc).__name__}: {exc}): this is a bug in castguard, not a "
        f"problem with your file; the traceback is in {where}; please report it with what you did and that file "
        "(not the contract)"
    )
    return _error_page(request, Failure(INTERNAL_ERROR, line, 500))


def _write_traceback(exc: BaseException, request: Request, folder: str) -> str:
    import traceback

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        fd, path = tempfile.mkstemp(prefix="castguard-crash-", suffix=".txt", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"castguard {__version__}\ncastguard serve: {request.method} {request.url.path}\n\n{text}")
        return path
    except OSError:
        return "(could not be written: the disk is not writable)"


def create_app(config: Config) -> tuple[Any, State]:
    import contextlib

    state = State(config)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await run_in_threadpool(state.start)
        if config.on_ready is not None:
            config.on_ready()
        try:
            yield
        finally:
            state.stop()

    async def facts_get(request: Request) -> Response:
        return await facts_page(request)

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/upload", upload, methods=["POST"]),
            Route("/r/{id}", report_page),
            Route("/r/{id}/facts", facts_get),
            Route("/r/{id}/review.html", review_file),
            Route("/r/{id}/documents", documents, methods=["POST"]),
            Route("/r/{id}/store", add_to_store, methods=["POST"]),
            Route("/static/{name}", static),
        ],
        lifespan=lifespan,
        exception_handlers={Failure: _on_error, CastguardError: _on_error, HTTPException: _on_error, Exception: _on_error},
    )
    app.state.castguard = state
    return _Guard(app, state), state
