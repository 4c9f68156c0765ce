"""Regenerate docs/review-report.png, the README's picture of a review report (needs Chromium + Playwright).

.venv/bin/python docs/make_screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from tools.browser import screenshot  # noqa: E402

from castguard.report.html import render_html  # noqa: E402
from castguard.scan import scan  # noqa: E402

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "review.html"
        sample = ROOT / "sample_contracts" / "film_actor_harborlight.pdf"
        page.write_text(render_html(scan(sample, source=sample.name)), encoding="utf-8")
        out = screenshot(page, ROOT / "docs" / "review-report.png", width=1100, height=1400)
    print("wrote", out.relative_to(ROOT))
