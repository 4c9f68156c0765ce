"""Open a local HTML file in Debian's Chromium through Playwright, offline, and see what a reader would see.

    from tools.browser import open_page, visible, screenshot, print_pdf, overflows_horizontally

    with open_page("report.html") as s:
        assert visible(s.page, "main h1") == 1
        assert s.console == [] and s.page_errors == [] and s.failed_requests == []

Every call launches its own headless Chromium (the system one, ``shutil.which("chromium")``; Playwright's own
browser builds are never downloaded or used) with a fresh throwaway profile, JavaScript on, and the network
cut off: every request whose URL is not ``file:``, ``data:``, ``blob:`` or ``about:`` is recorded in
``failed_requests`` and aborted before it leaves the browser (WebSockets too). The page is loaded from its
``file://`` URL, so relative links to local files work; a local file that does not exist is recorded in
``missing_files``. The page's own Content-Security-Policy is enforced (no bypass).

A launch takes about 1-2 s on the 2-core machine (launch timeout 10 s). Browser, profile and Playwright
driver are closed in ``finally`` blocks, so no Chromium process outlives the call (the zygote children
can linger as <defunct> for a moment until PID 1 reaps them).

Quirks worth knowing:
  * as root Chromium refuses to start without ``--no-sandbox``; ``--disable-gpu`` avoids GPU probing noise;
  * ``/usr/bin/chromium`` is Debian's shell wrapper (it sources /etc/chromium.d and execs
    /usr/lib/chromium/chromium); it may print ``[: ...: unexpected operator`` from its /dev/shm check when
    /dev/shm is mounted twice; harmless;
  * a blocked request also shows up as a console error ("Failed to load resource:
    net::ERR_BLOCKED_BY_CLIENT.Inspector"), and a missing local file as "net::ERR_FILE_NOT_FOUND";
  * ``page.pdf`` lays the page out with the ``print`` media type and an A4 page unless the page's CSS
    ``@page { size: ... }`` says otherwise (``prefer_css_page_size``); ``position: sticky``/``fixed`` boxes
    repeat or vanish differently than on screen, and backgrounds are only printed because of
    ``print_background=True``; Playwright's "A4" (8.27 x 11.7 in) comes out as 595.92 x 842.88 pt, not the
    exact 595.28 x 841.89, so compare page sizes with a tolerance;
  * ``overflows_horizontally`` uses a desktop viewport of the phone's width (media queries see 390 px), not
    mobile emulation: a page without <meta name=viewport> is not laid out at 980 px here.

Playwright is imported lazily so that ``tools.a11y`` and this module can be imported without it.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu"]
TIMEOUT_MS = 10_000  # launch, navigation and every Playwright action
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@dataclass(frozen=True)
class ConsoleMessage:
    type: str  # "error" or "warning"
    text: str
    location: str  # "url:line:column", may be empty

    def __str__(self) -> str:
        return f"console.{self.type}: {self.text}" + (f" ({self.location})" if self.location else "")


@dataclass
class PageSession:
    """What open_page yields. Lists fill while the page runs; read them after the actions you care about."""

    page: Any  # playwright.sync_api.Page
    console: list[ConsoleMessage] = field(default_factory=list)  # console.error / console.warn (and browser errors)
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions, "Name: message"
    failed_requests: list[str] = field(default_factory=list)  # URLs of blocked non-local requests, in order
    missing_files: list[str] = field(default_factory=list)  # file:// URLs that failed to load
    launch_seconds: float = 0.0  # driver start + browser launch + page load
    profile: str = ""  # the throwaway --user-data-dir (deleted on exit); lets a test look for leftover processes

    def problems(self) -> list[str]:
        """Everything above as one list of lines; empty when the page loaded cleanly."""
        return (
            [str(m) for m in self.console]
            + [f"uncaught exception: {e}" for e in self.page_errors]
            + [f"network request (blocked): {u}" for u in self.failed_requests]
            + [f"missing local file: {u}" for u in self.missing_files]
        )


def chromium_path() -> str:
    path = shutil.which("chromium")
    if not path:
        raise RuntimeError("chromium not found: apt-get install chromium")
    return path


def _url(html_path: str | Path) -> str:
    path = Path(html_path).resolve()
    if not path.is_file():
        raise FileNotFoundError(path)
    return path.as_uri()


@contextlib.contextmanager
def open_page(html_path: str | Path, *, width: int = 1280, height: int = 900) -> Iterator[PageSession]:
    """Load html_path in a fresh offline headless Chromium; yield a PageSession; close everything after."""
    from playwright.sync_api import sync_playwright

    url = _url(html_path)
    started = time.monotonic()
    playwright = sync_playwright().start()
    try:
        with tempfile.TemporaryDirectory(prefix="castguard-chromium-", ignore_cleanup_errors=True) as profile:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=chromium_path(),
                headless=True,
                args=LAUNCH_ARGS,
                timeout=TIMEOUT_MS,
                java_script_enabled=True,
                viewport={"width": width, "height": height},
                accept_downloads=False,
                service_workers="block",
            )
            try:
                context.set_default_timeout(TIMEOUT_MS)
                page = context.pages[0] if context.pages else context.new_page()
                session = PageSession(page=page, profile=profile)
                _watch(context, page, session)
                page.goto(url, wait_until="load")
                # let the first frame (and anything the load handlers queued for it) run
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                session.launch_seconds = time.monotonic() - started
                yield session
            finally:
                context.close()
    finally:
        playwright.stop()


def _watch(context, page, session: PageSession) -> None:
    recorded: dict[int, Any] = {}  # Request objects already in failed_requests, kept alive so ids stay unique

    def record(request) -> None:
        if id(request) not in recorded:
            recorded[id(request)] = request
            session.failed_requests.append(request.url)

    def on_route(route) -> None:
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            record(route.request)
            route.abort("blockedbyclient")

    def on_websocket(ws) -> None:  # never connect_to_server: the socket is closed instead
        session.failed_requests.append(ws.url)
        ws.close(code=1008, reason="offline test browser")

    def on_request(request) -> None:  # also anything that slipped past the route (should not happen)
        if not request.url.startswith(LOCAL_SCHEMES):
            record(request)

    def on_request_failed(request) -> None:
        if request.url.startswith("file:"):
            session.missing_files.append(request.url)

    def on_console(message) -> None:
        if message.type in ("error", "warning"):
            loc = message.location or {}
            where = f"{loc.get('url', '')}:{loc.get('lineNumber', '')}:{loc.get('columnNumber', '')}"
            session.console.append(ConsoleMessage(message.type, message.text, "" if where == "::" else where))

    def on_page_error(error) -> None:
        session.page_errors.append(f"{error.name}: {error.message}" if getattr(error, "name", "") else error.message)

    context.route("**/*", on_route)
    if hasattr(context, "route_web_socket"):  # Playwright >= 1.48
        context.route_web_socket("**/*", on_websocket)
    context.on("request", on_request)
    context.on("requestfailed", on_request_failed)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)


def visible(page, selector: str) -> int:
    """How many elements matching the CSS selector are visible (non-empty box, not visibility:hidden)."""
    locator = page.locator(selector)
    return sum(1 for i in range(locator.count()) if locator.nth(i).is_visible())


def screenshot(
    html_path: str | Path, png_path: str | Path, width: int = 1280, height: int = 900, full_page: bool = False
) -> Path:
    """Save a PNG of the page at width x height (the whole scroll height with full_page=True)."""
    png_path = Path(png_path)
    with open_page(html_path, width=width, height=height) as session:
        session.page.evaluate("() => document.fonts.ready.then(() => true)")
        session.page.screenshot(path=str(png_path), full_page=full_page, animations="disabled", type="png")
    return png_path


def print_pdf(html_path: str | Path, pdf_path: str | Path) -> Path:
    """Print the page to PDF as Chromium's print does: print media, A4 unless CSS @page sets a size."""
    pdf_path = Path(pdf_path)
    with open_page(html_path) as session:
        session.page.evaluate("() => document.fonts.ready.then(() => true)")
        session.page.pdf(path=str(pdf_path), format="A4", print_background=True, prefer_css_page_size=True)
    return pdf_path


def scroll_width(html_path: str | Path, width: int = 390, height: int = 844) -> int:
    """document.documentElement.scrollWidth with a viewport width px wide (desktop emulation, so the page's
    media queries see `width` but a missing <meta name=viewport> is not punished with a 980px layout)."""
    with open_page(html_path, width=width, height=height) as session:
        return int(session.page.evaluate("() => document.documentElement.scrollWidth"))


def overflows_horizontally(html_path: str | Path, width: int = 390) -> bool:
    """True when the page is wider than a phone-sized viewport, i.e. the reader would have to scroll sideways."""
    return scroll_width(html_path, width=width) > width
