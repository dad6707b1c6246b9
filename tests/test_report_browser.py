"""The HTML report in a real browser: the system's Chromium, driven by Playwright.

It must load with no console error and no request but the file itself (answers are untrusted:
markup in them must not fetch anything), every internal link must land on an element, and
Chinese text must be marked ``lang="zh"`` so screen readers and fonts treat it as Chinese.
Skips, saying why, where Chromium (Debian: chromium) or Playwright is missing; Playwright's own
browser download is never used.
"""

from __future__ import annotations

import shutil

import pytest
from report_support import library, write

from ddcheck.checklists.library import load_library
from ddcheck.report.pipeline import render
from ddcheck.resources import bundled

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
HOSTILE = "<img src='https://example.org/pixel.png'><script>console.error('ran')</script>"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (Debian: apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright not installed (pip install playwright)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def html_reports(tmp_path):
    own = write(tmp_path / "own.yaml", subject="Huamian Textiles (华棉纺织) — yarn", note=HOSTILE)
    yield render(own, library(), "html").data
    lib = load_library()
    for example in sorted(bundled("examples").glob("*.yaml")):
        yield render(example, lib, "html").data


def test_html_report_in_chromium(browser, tmp_path):
    for i, data in enumerate(html_reports(tmp_path)):
        path = tmp_path / f"report-{i}.html"
        path.write_bytes(data)
        page = browser.new_page()
        problems: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri(), wait_until="load")
        assert problems == [], problems
        assert requests == [path.as_uri()], requests
        dangling = page.evaluate("""() => [...document.querySelectorAll('a[href^="#"]')]
            .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
        assert dangling == []
        assert page.evaluate("() => document.querySelectorAll('a[href^=\"#\"]').length") > 10
        unmarked = page.evaluate(r"""() => {
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const out = [];
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                if (/[\u4e00-\u9fff]/.test(n.data) && !(n.parentElement.closest('[lang]')?.lang || '').startsWith('zh'))
                    out.push(n.data);
            }
            return out;
        }""")
        assert unmarked == []
        assert page.evaluate("() => document.querySelectorAll('[lang=zh]').length") > 0
        if i == 0:  # the hostile answer is shown as text, not obeyed
            assert "<script>console.error('ran')</script>" in page.inner_text("body")
        page.close()
