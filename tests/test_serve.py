"""castguard serve (issue 17): the real server in a process of its own, driven by Chromium (Playwright) and by a
plain HTTP client.

One server for the module (`python -m castguard --max-file-mb 2 serve --port 0 --jobs 1 --store DIR`), so the
workers load once: the browser flow (upload by choosing and by dropping, a finding beside its clause, the
performer corrected, the redline downloaded and read with python-docx), hostile files on the error page with
the CLI's code, the Host / Origin / CSRF refusals, the size limit before parsing, five concurrent uploads each
with its own report, the run store, and the private folder removed on Ctrl-C. The worker pool's time limit is
tested on the pool itself. Chromium or Playwright missing: the browser tests skip (fail under CI=true).
"""

from __future__ import annotations

import io
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, docx_memory_bomb, require_tool, skip_or_fail

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette", reason="castguard serve needs the serve extra: pip install 'castguard[serve]'")
pytest.importorskip("uvicorn", reason="castguard serve needs the serve extra: pip install 'castguard[serve]'")

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Server:
    def __init__(self, *args: str, cwd: Path | None = None):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "castguard", *args],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=ENV, text=True, cwd=cwd,
        )  # fmt: skip
        assert self.proc.stderr is not None
        self.lines: list[str] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.lines.append(line)
            m = re.search(r"(http://\S+/) .*uploads stay in (\S+), removed", line)
            if m:
                self.url, self.folder = m.group(1), Path(m.group(2))
                self.port = int(self.url.rsplit(":", 1)[1].strip("/"))
                return
        self.proc.kill()
        raise AssertionError("castguard serve did not start:\n" + "".join(self.lines))

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("store") / "review"


@pytest.fixture(scope="module")
def server(store):
    s = Server("--max-file-mb", "2", "serve", "--port", "0", "--jobs", "1", "--store", str(store))
    yield s
    if s.proc.poll() is None:
        s.stop()


def client(server) -> tuple:
    c = httpx.Client(base_url=server.url, timeout=120)
    page = c.get("/")
    assert page.status_code == 200
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    return c, token.group(1)


def upload(c, csrf: str, name: str, data: bytes, **kw):
    return c.post("/upload", data={"csrf": csrf}, files={"contract": (name, data)}, **kw)


def zip_bomb() -> bytes:
    """A DOCX whose 20 MB document.xml deflates to a few KB: the zip-bomb check refuses it before inflating."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", b"<w:document>" + b"\0" * (20 * 2**20) + b"</w:document>")
    return buf.getvalue()


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright not installed: pip install playwright (the test extra; it drives the system Chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=LAUNCH_ARGS, timeout=20_000)
        try:
            yield b
        finally:
            b.close()


def new_page(browser, server, outside: list[str]):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)

    def route(r):  # nothing may be fetched from anywhere but the server
        if r.request.url.startswith(server.url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context, context.new_page()


def test_the_whole_deal_in_a_browser(server, browser, tmp_path):
    """Choose a contract, see a finding beside its clause, correct the performer, download the redline: the new
    name is in it, with tracked changes; every asset came from the server."""
    import docx

    outside: list[str] = []
    errors: list[str] = []
    context, page = new_page(browser, server, outside)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(server.url)
        with page.expect_navigation(url=re.compile(r"/r/[\w-]+$")):
            page.set_input_files("#contract", str(SAMPLES / "film_actor_harborlight.pdf"))  # the page sends it
        flagged = page.locator(".clause.flagged").first
        assert flagged.locator(".text mark").count() >= 1  # the clause's words that raise the gap...
        assert flagged.locator(".findings .finding h3").count() >= 1  # ...and the finding beside them
        assert "Dana R. Whitcombe" in page.locator(".deal-facts").inner_text()
        page.click("#to-facts")
        assert page.input_value("#f-performer") == "Dana R. Whitcombe"  # prefilled from the contract
        page.fill("#f-performer", "Dana Ruth Whitcombe-Okafor")
        page.fill("#f-author", "Ana Ruiz (agent)")
        with page.expect_download() as info:
            page.click("#get-redline")
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
    finally:
        context.close()
    assert target.name == "film_actor_harborlight-redline.docx"
    document = docx.Document(str(target))
    body = document.element.body
    inserted = body.findall(f".//{W_NS}ins")
    assert inserted, "no tracked insertion (w:ins) in the redline"
    assert {i.get(f"{W_NS}author") for i in inserted} == {"Ana Ruiz (agent)"}
    # the new name is in what the redline inserts (the addendum appended as tracked insertions)
    inserted_text = "".join(t.text or "" for i in inserted for t in i.iter(f"{W_NS}t"))
    assert "Dana Ruth Whitcombe-Okafor" in inserted_text
    assert "Dana R. Whitcombe" not in inserted_text
    assert outside == [] and errors == []


def test_drag_and_drop_a_contract(server, browser):
    outside: list[str] = []
    context, page = new_page(browser, server, outside)
    try:
        page.goto(server.url)
        text = (SAMPLES / "music_session_bluefinch.txt").read_text(encoding="utf-8")
        drop = page.evaluate_handle(
            """(text) => { const dt = new DataTransfer();
                dt.items.add(new File([text], "bluefinch.txt", {type: "text/plain"})); return dt; }""",
            text,
        )
        with page.expect_navigation(url=re.compile(r"/r/[\w-]+$")):
            page.dispatch_event("#drop-zone", "drop", {"dataTransfer": drop})
        assert page.locator(".clause.flagged .finding").count() >= 1
        assert "bluefinch.txt" in page.locator(".serve-bar").inner_text()
    finally:
        context.close()
    assert outside == []


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("contract.docx", zip_bomb(), "E103"),  # a zip bomb named .docx: refused before it is inflated
        ("contract.pdf", b"these are not the pages of any PDF\n" * 50, "E101"),  # junk named .pdf
    ],
)
def test_a_hostile_file_shows_the_error_page(server, browser, tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)
    outside: list[str] = []
    context, page = new_page(browser, server, outside)
    try:
        page.goto(server.url)
        with page.expect_navigation():
            page.set_input_files("#contract", str(path))
        assert page.inner_text("#error-code") == code
        line = page.inner_text("#error-line")
    finally:
        context.close()
    # the line the command line prints for the same file
    cli = subprocess.run([sys.executable, "-m", "castguard", "scan", name], cwd=tmp_path, env=ENV,
                         capture_output=True, text=True)  # fmt: skip
    assert cli.returncode == 2
    assert line == cli.stderr.strip().splitlines()[-1]


# --------------------------------------------------------------------------- safety, over plain HTTP


def test_a_foreign_host_is_refused(server):
    """DNS rebinding: a page on evil.example that resolves to 127.0.0.1 sends its own host name."""
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1:1", f"127.0.0.2:{server.port}"):
        r = httpx.get(server.url, headers={"host": host})
        assert r.status_code == 403 and "refused" in r.text, host
    assert httpx.get(server.url.replace("127.0.0.1", "localhost")).status_code == 200


def test_a_post_without_the_session_token_or_from_another_site_is_refused(server):
    c, csrf = client(server)
    data = (SAMPLES / "music_session_bluefinch.txt").read_bytes()
    assert upload(c, "wrong-token", "a.txt", data).status_code == 403
    assert upload(c, "", "a.txt", data).status_code == 403
    other, other_csrf = client(server)
    assert upload(c, other_csrf, "a.txt", data).status_code == 403  # another session's token
    assert upload(c, csrf, "a.txt", data, headers={"origin": "http://evil.example"}).status_code == 403
    assert upload(c, csrf, "a.txt", data, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    bare = httpx.post(server.url + "upload", data={"csrf": csrf}, files={"contract": ("a.txt", data)})
    assert bare.status_code == 403  # the token without its session cookie
    ok = upload(c, csrf, "a.txt", data, headers={"origin": server.url.rstrip("/")})
    assert ok.status_code == 303
    # an upload belongs to the session that made it
    where = ok.headers["location"]
    assert c.get(where).status_code == 200
    assert other.get(where).status_code == 404
    r = other.post(where + "/documents", data={"csrf": other_csrf, "what": "addendum-md"})
    assert r.status_code == 404
    # security headers on every page
    page = c.get(where)
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"


def test_the_size_limit_holds_before_parsing(server):
    c, csrf = client(server)
    before = set(server.folder.iterdir())
    r = upload(c, csrf, "big.txt", b"Performer grants Company a licence.\n" * (3 * 2**20 // 36))
    assert r.status_code == 413
    m = re.search(r'id="error-line">([^<]*)', r.text)
    assert m and re.match(r"error: \[E103\] upload: the upload is 3\.0 MB, over the 2 MB file-size limit; raise it "
                          r"with --max-file-mb or CASTGUARD_MAX_FILE_MB if the file is genuine$", m.group(1)), m.group(1)
    # without a Content-Length (chunked), the bytes that arrive are counted
    boundary = "castguard-test-boundary"

    def body():
        yield (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n--{boundary}\r\n'
               'Content-Disposition: form-data; name="contract"; filename="big.txt"\r\n\r\n').encode()
        for _ in range(3 * 16):
            yield b"x" * (2**20 // 16)
        yield f"\r\n--{boundary}--\r\n".encode()

    r = c.post("/upload", content=body(), headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and "error: [E103] upload: the upload is over the 2 MB file-size limit" in r.text
    assert set(server.folder.iterdir()) == before  # nothing was kept, nothing was parsed


def test_the_content_decides_the_type_and_the_name_is_only_a_hint(server):
    """A PDF named .exe is read as a PDF, with the CLI's warning about the name, as `castguard scan` gives it."""
    c, csrf = client(server)
    r = upload(c, csrf, "deal.exe", (SAMPLES / "film_actor_harborlight.pdf").read_bytes(), follow_redirects=True)
    assert r.status_code == 200
    assert "deal.exe: named .exe but the content is a PDF; read as PDF" in r.text
    assert "<dt>File</dt><dd>deal.exe (PDF, 4 page(s)" in r.text


def test_the_private_folder_is_the_user_s_alone(server):
    assert stat.S_IMODE(server.folder.stat().st_mode) == 0o700


def test_five_concurrent_uploads_each_get_their_own_report(server):
    names = [
        "music_session_bluefinch.txt", "influencer_glowup.txt", "videogame_performer_ironpeak.txt",
        "model_release_lumen.md", "voiceover_brightwave.docx",
    ]  # fmt: skip
    pages: dict[str, str] = {}

    def one(name: str) -> None:
        c, csrf = client(server)
        r = upload(c, csrf, name, (SAMPLES / name).read_bytes(), follow_redirects=True)
        pages[name] = r.text if r.status_code == 200 else f"status {r.status_code}"

    threads = [threading.Thread(target=one, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert sorted(pages) == sorted(names)
    for name, page in pages.items():
        shown = re.search(r"<dt>File</dt><dd>([^<(]+)", page)
        assert shown and shown.group(1).strip() == name, (name, page[:200])


def test_the_facts_form_and_the_addendum(server, tmp_path):
    c, csrf = client(server)
    r = upload(c, csrf, "ironpeak.txt", (SAMPLES / "videogame_performer_ironpeak.txt").read_bytes())
    base = r.headers["location"]
    md = c.post(base + "/documents", data={"csrf": csrf, "what": "addendum-md", "performer": "Rae Kim",
                                           "jurisdiction": "NY", "term_years": "3"})  # fmt: skip
    assert md.status_code == 200 and md.headers["content-disposition"] == 'attachment; filename="ironpeak-addendum.md"'
    assert "Rae Kim" in md.text and "General Obligations Law" in md.text
    word = c.post(base + "/documents", data={"csrf": csrf, "what": "addendum-docx", "performer": "Rae Kim"})
    assert word.content[:2] == b"PK"
    review = c.get(base + "/review.html")  # the report as castguard scan -o review.html writes it
    assert review.headers["content-disposition"] == 'attachment; filename="ironpeak-review.html"'
    (tmp_path / "ironpeak.txt").write_bytes((SAMPLES / "videogame_performer_ironpeak.txt").read_bytes())
    subprocess.run([sys.executable, "-m", "castguard", "scan", "ironpeak.txt", "-o", "review.html"], cwd=tmp_path,
                   env=ENV, check=True, capture_output=True)  # fmt: skip
    assert review.content == (tmp_path / "review.html").read_bytes()  # byte for byte what the command writes
    bad = c.post(base + "/documents", data={"csrf": csrf, "what": "addendum-md", "term_years": "ever"})
    assert bad.status_code == 422 and "not a whole number" in bad.text  # the form again, with what is wrong


def test_a_french_contract_gets_its_review_but_no_english_addendum(server):
    """The French rules review it; the facts page then says why no addendum is drafted, instead of a file."""
    c, csrf = client(server)
    french = ROOT / "tests" / "fixtures" / "french" / "autorisation_image_voix_comedien.txt"
    r = upload(c, csrf, "autorisation.txt", french.read_bytes())
    base = r.headers["location"]
    page = c.get(base)
    assert "read in French" in page.text and "Not checked (French rules)" in page.text
    md = c.post(base + "/documents", data={"csrf": csrf, "what": "addendum-md", "performer": "Claire Montel",
                                           "jurisdiction": "EU"})  # fmt: skip
    assert md.status_code == 422 and "written in French" in md.text


def test_add_to_the_run_store(server, store):
    c, csrf = client(server)
    r = upload(c, csrf, "kestrel.docx", (SAMPLES / "athlete_endorsement_kestrel.docx").read_bytes())
    added = c.post(r.headers["location"] + "/store", data={"csrf": csrf})
    assert added.status_code == 200 and "kestrel.docx" in added.text
    assert (store / "index.html").is_file()
    assert "kestrel.docx" in (store / "contracts.csv").read_text(encoding="utf-8")
    assert any(p.suffix == ".html" for p in (store / "reports").iterdir())
    track = subprocess.run([sys.executable, "-m", "castguard", "track", str(store), "kestrel.docx", "--status", "sent",
                            "--no-summary"], env=ENV, capture_output=True, text=True)  # fmt: skip
    assert track.returncode == 0, track.stderr


def test_ctrl_c_removes_the_uploads(store):
    """Its own server: stopping it is the test."""
    s = Server("serve", "--port", "0", "--jobs", "1")
    c, csrf = client(s)
    assert upload(c, csrf, "a.txt", (SAMPLES / "influencer_glowup.txt").read_bytes()).status_code == 303
    assert [p for p in s.folder.iterdir() if p.name.startswith("u-")]
    err = s.stop()
    assert s.proc.returncode == 0, err
    assert not s.folder.exists()
    assert "stopped; the uploads are removed" in err


def test_the_folder_of_a_killed_server_is_removed_by_the_next(tmp_path, monkeypatch):
    from castguard.serve.app import Config, State

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    killed = tmp_path / "castguard-serve-killed"
    (killed / "u-1").mkdir(parents=True)
    (killed / "pid").write_text(str(dead.pid))
    running = tmp_path / "castguard-serve-running"
    running.mkdir()
    (running / "pid").write_text(str(os.getpid()))
    unknown = tmp_path / "castguard-serve-unknown"
    unknown.mkdir()
    state = State(Config())
    try:
        assert not killed.exists() and running.exists() and unknown.exists()
        assert (state.folder / "pid").read_text() == str(os.getpid())
    finally:
        state.stop()


def test_another_address_is_only_served_when_asked_and_with_a_warning():
    proc = subprocess.Popen([sys.executable, "-m", "castguard", "serve", "--host", "0.0.0.0", "--port", "0"],
                            stderr=subprocess.PIPE, env=ENV, text=True)  # fmt: skip
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
    finally:
        proc.kill()
        proc.wait()
    assert first.startswith("warning: --host 0.0.0.0: castguard serve will answer other machines")


# --------------------------------------------------------------------------- the worker pool


def test_a_file_over_the_time_or_memory_limit_costs_one_worker_not_the_server(tmp_path, monkeypatch):
    from castguard.serve.pool import WorkerPool

    monkeypatch.setenv("CASTGUARD_MAX_ZIP_RATIO", "100000")  # let the bomb past the zip check, to the memory limit
    slow = tmp_path / "deal.txt"
    slow.write_text((SAMPLES / "videogame_performer_ironpeak.txt").read_text(encoding="utf-8") * 20)
    bomb = tmp_path / "bomb.docx"
    docx_memory_bomb(bomb)
    pool = WorkerPool(1, time_limit=0.05, memory_mb=100)  # 100 MB beyond the loaded worker
    pool.start()
    try:
        first = pool.workers[0].process.pid
        out = pool.call(("scan", str(slow), "deal.txt", "accept"))
        assert out["status"] == "failed" and out["error_code"] == "E902"
        assert "time limit of 0.05 s" in out["reason"]
        second = pool.workers[0].process.pid
        assert second != first  # a fresh worker took its place
        pool.time_limit = 120
        out = pool.call(("scan", str(bomb), "bomb.docx", "accept"))
        assert out["status"] == "failed" and out["error_code"] == "E900", out
        assert pool.workers[0].process.pid != second  # its heap is spent: a fresh one again
        small = SAMPLES / "music_session_bluefinch.txt"
        assert pool.call(("scan", str(small), small.name, "accept"))["status"] == "done"
    finally:
        pool.close()


@pytest.mark.parametrize("module", ["starlette", "uvicorn", "python_multipart"])
def test_without_the_serve_extra_one_line_says_what_to_install(module):
    code = f"import sys; sys.modules[{module!r}] = None; from castguard.cli import cli; cli(['serve', '--port', '0'])"
    run = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip() == (
        f"error: [E000] castguard serve needs Starlette, uvicorn and python-multipart ({module} is not installed): "
        "pip install 'castguard[serve]'"
    )


def test_which_hosts_a_server_answers():
    """127.0.0.1 (the default): its loopback names only. --host 0.0.0.0: any IP address of the machine, still no
    name (a DNS-rebinding page comes with a name)."""
    from castguard.serve.app import Config, State

    for host, good, bad in (
        ("127.0.0.1", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765"],
         ["192.168.1.5:8765", "evil.example:8765", "127.0.0.1:80", "127.0.0.1"]),
        ("0.0.0.0", ["127.0.0.1:8765", "192.168.1.5:8765", "[fe80::1]:8765"],
         ["evil.example:8765", "192.168.1.5:80", "rebind.127.0.0.1.nip.io:8765"]),
    ):  # fmt: skip
        state = State(Config(host=host, port=8765))
        try:
            assert [h for h in good if not state.host_ok(h)] == []
            assert [h for h in bad if state.host_ok(h)] == []
            assert state.origin_ok(f"http://{good[0]}") and not state.origin_ok(f"http://{bad[0]}")
            assert not state.origin_ok("null")
        finally:
            state.stop()


def test_a_worker_is_replaced_after_its_share_of_uploads():
    """A server that runs for weeks would otherwise keep every word spaCy met in every upload: after
    ``recycle_after`` uploads a worker hands over to a fresh one, and each upload still gets its report."""
    from castguard.serve.pool import WorkerPool

    pool = WorkerPool(1, time_limit=120, recycle_after=2)
    pool.start()
    try:
        small = SAMPLES / "music_session_bluefinch.txt"
        pids = []
        for _ in range(3):
            assert pool.call(("scan", str(small), small.name, "accept"))["status"] == "done"
            pids.append(pool.workers[0].process.pid)
        assert pids[0] != pids[1] == pids[2], pids  # replaced after the second upload
    finally:
        pool.close()
