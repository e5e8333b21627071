"""Landing pages of published snapshots (flows/site.py).

No spaCy: the data folder is written by hand, as in tests/test_publish.py, and
published with the project's real views in sql/. The browser test serves the
published folder with ``python -m http.server`` on 127.0.0.1 and drives the
system Chromium (/usr/bin/chromium) through Playwright; no browser is ever
downloaded. It skips, saying why, only where that browser or the playwright
package is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import ROOT
from flows.download import parse_sha256sums, verify_snapshot
from flows.publish import PublishError, publish
from flows.schema import TABLES
from flows.site import render_snapshot_page, render_versions_page
from flows.storage import write_table

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
LATER = datetime(2024, 5, 1, 15, 30, tzinfo=timezone.utc)
V1, V2 = "2024-05-01", "2024-05-01.2"
BASE_URL = "https://data.example.org/counterclaim/"
CHROMIUM = Path(os.environ.get("COUNTERCLAIM_CHROMIUM", "/usr/bin/chromium"))
BROWSER_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HOSTILE = '<script>alert("x")</script> & "quoted" <b>bold</b>'
CHART_IDS = ["chart-claims", "chart-words", "chart-headlines", "chart-stories"]


def _doc(doc_id: str, source: str, text: str, **extra) -> dict:
    return {
        "doc_id": doc_id, "source": source, "source_format": "txt", "text": text,
        "content_hash": hashlib.sha256(text.encode()).hexdigest(), "n_chars": len(text), **extra,
    }


def _claim(doc_id: str, n: int, claim_type: str, text: str, start: int, position: str, **extra) -> dict:
    return {
        "claim_id": f"{doc_id}:{n}", "doc_id": doc_id, "claim_type": claim_type, "text": text,
        "start_char": start, "end_char": start + len(text), "is_direct": '"' in text,
        "position": position, "paragraph_index": 0 if position == "headline" else 1, **extra,
    }


T1 = 'US says Pyongyang shipped shells\n\nWashington said "shells went north by rail". Pyongyang denied it.'
T2 = 'North Korea denies arms deal\n\nPyongyang called the claim "groundless and absurd". The US disagreed.'
T4 = HOSTILE + "\n\nNothing attributed here."

ROWS: dict[str, list[dict]] = {
    "documents": [
        _doc("d1", "a.txt", T1, outlet="Outlet A", title=T1.split("\n")[0], story_id="story-1",
             published_at=datetime(2024, 4, 30, 8, 0, tzinfo=timezone.utc)),
        _doc("d2", "b.txt", T2, outlet="Outlet B <i>", title=T2.split("\n")[0], story_id="story-1"),
        _doc("d3", "c.txt", T1, outlet="Outlet C", title=T1.split("\n")[0], story_id="story-1", duplicate_of="d1"),
        _doc("d4", "d.jsonl#1", T4, source_format="jsonl", title=HOSTILE, story_id="story-2"),
    ],
    "removed_lines": [{"doc_id": "d1", "line_no": 1, "text": "Subscribe now", "reason": "appeal"}],
    "near_duplicates": [{"doc_id_a": "d1", "doc_id_b": "d3", "similarity": 1.0, "relation": "exact"}],
    "entities": [{"doc_id": "d1", "text": "Pyongyang", "label": "GPE", "canonical": "North Korea", "start_char": 8, "end_char": 17}],
    "quotes": [{"quote_id": "d1:0", "doc_id": "d1", "text": "shells went north by rail", "kind": "direct",
                "start_char": 52, "end_char": 77, "fragments": [[52, 77]]}],
    "claims": [
        _claim("d1", 0, "allegation", "US says Pyongyang shipped shells", 0, "headline", side="United States", target="North Korea"),
        _claim("d1", 1, "allegation", 'Washington said "shells went north by rail".', 34, "lead", side="United States", target="North Korea"),
        _claim("d1", 2, "denial", "Pyongyang denied it.", 79, "lead", side="North Korea", target="United States"),
        _claim("d2", 0, "denial", "North Korea denies arms deal", 0, "headline", side="North Korea", target="United States"),
        _claim("d2", 1, "denial", 'Pyongyang called the claim "groundless and absurd".', 30, "lead", side="North Korea", target="United States"),
        _claim("d2", 2, "allegation", "The US disagreed.", 82, "lead", side="United States", target="North Korea"),
        _claim("d4", 0, "other", "Nothing attributed here.", len(HOSTILE) + 2, "lead"),
    ],
    "rejects": [{"source": "e.bin", "stage": "ingest", "reason": "binary file"}],
}


def make_data(root: Path) -> Path:
    data = root / "data"
    for name in TABLES:
        write_table(data / "tables", name, ROWS.get(name, []))
    return data


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Two versions published with the project's views; the second with a base URL."""
    root = tmp_path_factory.mktemp("site")
    data = make_data(root)
    dest = root / "published"
    assert publish(data, dest, V1, ROOT / "sql", now=NOW) == V1
    assert publish(data, dest, V2, ROOT / "sql", now=LATER, base_url=BASE_URL) == V2
    return dest


def manifest_of(snap: Path) -> dict:
    return json.loads((snap / "datapackage.json").read_text(encoding="utf-8"))


ICON = '<link rel="icon" href="data:,">'


def local_refs(page_html: str) -> list[str]:
    """Every href/src on the page but the empty inline icon."""
    return re.findall(r'\s(?:href|src|xlink:href)="([^"]*)"', page_html.replace(ICON, ""))


# ---------------------------------------------------------------- without a browser


def test_snapshot_page_is_checksummed_and_the_snapshot_verifies(site):
    snap = site / V1
    assert verify_snapshot(snap) == []
    sums = parse_sha256sums((snap / "SHA256SUMS").read_text())
    assert "index.html" in sums
    assert sums["index.html"] == hashlib.sha256((snap / "index.html").read_bytes()).hexdigest()
    # Like the dataset card, the page is listed in SHA256SUMS only: it is rendered from
    # datapackage.json, so it cannot also be one of its resources.
    assert "index.html" not in {r["path"] for r in manifest_of(snap)["resources"]}


def test_snapshot_page_content(site):
    snap = site / V1
    text = (snap / "index.html").read_text(encoding="utf-8")
    manifest = manifest_of(snap)
    assert text.startswith("<!DOCTYPE html>")
    assert f"counterclaim dataset <code>{V1}</code>" in text
    assert '<time datetime="2024-05-01T12:00:00Z">' in text
    # Every table and view, with the manifest's sha256.
    for res in manifest["resources"]:
        assert f'data-path="{res["path"]}">{res["hash"][7:]}</code>' in text
    for name in TABLES:
        assert f'id="table-{name}"' in text
    for view in ("denial_vs_allegation", "denial_vs_allegation_by_outlet", "claims_by_outlet"):
        assert f'id="view-{view}"' in text
    # Sources with their content hash; the card rendered as HTML.
    for doc in ROWS["documents"]:
        assert doc["content_hash"] in text
    assert "<h3>counterclaim dataset " in text and "Known limits" in text
    # Commands: a placeholder without --base-url, and a real Parquet path for DuckDB.
    assert f"counterclaim download https://HOST/PATH/ --version {V1} --to snapshots" in text
    assert f"read_parquet(&#x27;snapshots/{V1}/tables/claims/claims.parquet&#x27;)" in text
    # Four charts, each an accessible inline SVG with its own ids.
    for cid in CHART_IDS:
        assert re.search(rf'<svg viewBox="[^"]+" width="100%"[^>]* role="img" aria-label="[^"]+" aria-describedby="{cid}-desc"', text)
        assert f'<title id="{cid}-title">' in text and f'<desc id="{cid}-desc">' in text
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), "ids must be unique on the page"


def test_snapshot_page_is_safe_and_self_contained(site):
    text = (site / V1 / "index.html").read_text(encoding="utf-8")
    # Article text cannot inject markup: the hostile headline is shown escaped.
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert "Outlet B &lt;i&gt;" in text
    # Relative links only; nothing fetched from anywhere.
    for ref in local_refs(text):
        assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", ref, re.I), ref
    assert "<link" not in text.replace(ICON, "") and "@import" not in text and "url(http" not in text


def test_snapshot_page_is_deterministic(site, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(site / V1, copy)
    for p in copy.rglob("*"):
        p.chmod(p.stat().st_mode | stat.S_IWUSR)
    render_snapshot_page(copy)
    assert (copy / "index.html").read_bytes() == (site / V1 / "index.html").read_bytes()


def test_base_url_goes_into_the_commands(site):
    text = (site / V2 / "index.html").read_text(encoding="utf-8")
    assert f"counterclaim download {BASE_URL} --version {V2} --to snapshots" in text
    get = text[text.index('<section id="get"'):text.index('<section id="charts"')]
    assert "https://HOST/PATH/" not in get  # (the dataset card keeps its own placeholder)
    # Shown as a command, never as a link.
    assert f'href="{BASE_URL}' not in text


def test_versions_page_lists_every_version_newest_first(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    assert text.index(f'href="{V2}/index.html"') < text.index(f'href="{V1}/index.html"')
    assert re.search(rf'href="{re.escape(V2)}/index.html"><code>{re.escape(V2)}</code></a> <strong class="latest">latest</strong>', text)
    assert text.count('class="latest"') == 1
    assert f'href="{V1}/datapackage.json"' in text and f'href="{V1}/SHA256SUMS"' in text
    assert f"counterclaim download {BASE_URL} --to snapshots" in text
    for ref in local_refs(text):
        assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", ref, re.I), ref
    # Rewritten from the folder alone: the same bytes again.
    before = (site / "index.html").read_bytes()
    render_versions_page(site, BASE_URL)
    assert (site / "index.html").read_bytes() == before


def test_bad_base_url_is_refused_before_anything_is_published(tmp_path):
    data = make_data(tmp_path)
    dest = tmp_path / "published"
    with pytest.raises(PublishError, match="base URL"):
        publish(data, dest, V1, ROOT / "sql", now=NOW, base_url='javascript:alert(1)"')
    assert not (dest / V1).exists() and not (dest / "latest.json").exists()


def test_index_html_is_not_a_version_name(tmp_path):
    data = make_data(tmp_path)
    with pytest.raises(PublishError, match="invalid version"):
        publish(data, tmp_path / "published", "index.html", ROOT / "sql", now=NOW)


# ---------------------------------------------------------------- in a real browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def http_root(site):
    """The published folder served by `python -m http.server` on 127.0.0.1."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory", str(site)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        end = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > end or proc.poll() is not None:
                    raise RuntimeError("http.server did not start")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no system Chromium at {CHROMIUM}: install it (apt-get install chromium); "
                    "this test never downloads a browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            yield b
        finally:
            b.close()


def _save_artifact(path: Path) -> None:
    target = os.environ.get("COUNTERCLAIM_ARTIFACTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def _check_links(page, context) -> int:
    """Every a[href] on the page, resolved against its URL, answers 200."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert hrefs, "the page has no links"
    checked = set()
    for href in hrefs:
        url = urllib.parse.urldefrag(href).url
        if url in checked:
            continue
        checked.add(url)
        assert url.startswith("http://127.0.0.1:"), f"link leaves the host: {href}"
        resp = context.request.get(url)
        assert resp.status == 200, f"{href} answered {resp.status}"
    return len(checked)


def test_pages_in_a_real_browser(site, http_root, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    # The snapshot's landing page.
    resp = page.goto(f"{http_root}{V1}/index.html")
    assert resp is not None and resp.status == 200
    assert page.title() == f"counterclaim dataset {V1}"
    assert page.locator("script").count() == 0
    assert page.locator("header h1").inner_text().strip() == f"counterclaim dataset {V1}"
    assert page.locator("main section#charts").count() == 1
    # The hostile headline is text, never an element.
    assert page.locator("#sources-table b").count() == 0
    assert HOSTILE in page.locator("#sources-table").inner_text()

    # Checksums shown are the manifest's.
    manifest = manifest_of(site / V1)
    shown = dict(page.eval_on_selector_all(
        "code.sha256[data-path]", "els => els.map(e => [e.dataset.path, e.textContent.trim()])"))
    assert shown == {r["path"]: r["hash"][7:] for r in manifest["resources"]}

    # Charts drew something, and say what they show.
    for cid in CHART_IDS:
        svg = page.locator(f"#{cid} svg[role=img]")
        assert svg.count() == 1, cid
        assert svg.get_attribute("aria-label")
        assert svg.locator("title").text_content() and svg.locator("desc").text_content()
        assert svg.locator("path, rect").count() > 0, cid
        box = svg.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 50, (cid, box)
        assert page.locator(f"#{cid} table caption").count() == 1

    # Every table has a caption and column headers with scope.
    assert page.locator("table:not(:has(caption))").count() == 0
    assert page.locator("thead th:not([scope=col])").count() == 0

    n_links = _check_links(page, context)
    assert n_links >= len(manifest["resources"]) + 3
    shot = tmp_path / "snapshot-page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    _save_artifact(shot)

    # Narrow screen: the page itself never scrolls sideways (wide tables scroll in their box).
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The versions page.
    page.set_viewport_size({"width": 1280, "height": 900})
    resp = page.goto(f"{http_root}index.html")
    assert resp is not None and resp.status == 200
    rows = page.locator("#versions-table tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().startswith(V2) and "latest" in rows.nth(0).inner_text()
    assert "latest" not in rows.nth(1).inner_text()
    _check_links(page, context)
    shot = tmp_path / "versions-page.png"
    page.screenshot(path=str(shot), full_page=True)
    _save_artifact(shot)

    # Nothing was fetched from anywhere but the test server.
    assert requests and all(u.startswith(http_root) for u in requests), [u for u in requests if not u.startswith(http_root)]
    assert console_errors == []
    context.close()


def test_snapshot_page_opens_from_disk(site, browser):
    """file://: the same page, with its charts, and no request leaves the folder."""
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto((site / V1 / "index.html").as_uri())
    assert page.locator("svg[role=img]").count() == len(CHART_IDS)
    assert page.locator("svg[role=img] path").count() > 0
    assert all(u.startswith("file://") for u in requests), requests
    context.close()
