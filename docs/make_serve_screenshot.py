"""Regenerate docs/serve-report.png and docs/serve-facts.png, the README's pictures of `castguard serve` (needs
Chromium + Playwright and the serve extra).

.venv/bin/python docs/make_serve_screenshot.py

Starts `castguard serve` from this checkout, uploads the sample film contract in headless Chromium by choosing
the file, as an agent would, and photographs the review report and the deal-facts form (nothing is fetched from
anywhere but the server).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_serve import LAUNCH_ARGS, Server  # noqa: E402

if __name__ == "__main__":
    from playwright.sync_api import sync_playwright

    server = Server("serve", "--port", "0", "--jobs", "1")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server.url) else r.abort())
            page.goto(server.url)
            with page.expect_navigation(url=re.compile(r"/r/[\w-]+$")):
                page.set_input_files("#contract", str(ROOT / "sample_contracts" / "film_actor_harborlight.pdf"))
            page.screenshot(path=str(ROOT / "docs" / "serve-report.png"))
            page.click("#to-facts")
            page.fill("#f-performer", "Dana Ruth Whitcombe")
            page.screenshot(path=str(ROOT / "docs" / "serve-facts.png"), full_page=True)
            browser.close()
    finally:
        server.stop()
    print("wrote docs/serve-report.png and docs/serve-facts.png")
