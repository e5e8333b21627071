"""Static landing pages for published snapshots.

``render_snapshot_page(snapshot)`` writes ``<snapshot>/index.html``: what the
snapshot holds (the dataset card, the source articles, every table and view with
its rows, size, sha256, columns and first rows), charts of who alleged and who
denied, and copy-ready commands to download and query it.
``render_versions_page(dest)`` writes ``<dest>/index.html``: every published
version, newest first, with ``latest`` marked.

The pages are plain files: one inline ``<style>``, inline SVG charts, no script,
no font or file fetched from anywhere, relative links only, so they open from
disk (``file://``) and from any static host. The same snapshot always gives
the same bytes: the only time on the page is the manifest's ``created``.

Publishing (``flows.publish``) renders the snapshot page inside the temporary
folder before ``SHA256SUMS`` is written, so the page is checksummed like the
dataset card, and the versions page after ``latest.json``.
"""

from __future__ import annotations

import fnmatch
import html
import io
import json
import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Sequence

PAGE_NAME = "index.html"
MANIFEST_NAME = "datapackage.json"
CARD_NAME = "README.md"
SUMS_NAME = "SHA256SUMS"
LATEST_NAME = "latest.json"

PREVIEW_ROWS = 5
CELL_CHARS = 80
MAX_BARS = 30
LABEL_CHARS = 28
URL_PLACEHOLDER = "https://HOST/PATH/"

# Okabe-Ito colours (safe for the common colour-vision deficiencies), plus hatching
# so the sides differ in greyscale and print too.
SIDE_STYLE: dict[str, tuple[str, str]] = {
    "allegation": ("#D55E00", ""),
    "denial": ("#0072B2", "///"),
    "other": ("#999999", ""),  # a dotted hatch costs ~70 KB of SVG; grey alone reads apart
    "canonical": ("#009E73", ""),
    "duplicate": ("#E69F00", "\\\\\\"),
}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.45;color:#1b1b1b;background:#fff;max-width:75rem;margin:0 auto;padding:0 1rem 3rem}
header{border-bottom:1px solid #ccc;padding:.5rem 0}
h1{font-size:1.6rem;margin:.6rem 0}h1 code,h3 code{font-size:1em}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #ddd}h3{font-size:1.1rem;margin-top:1.6rem}
nav ul{list-style:none;padding:0;margin:.4rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1.1rem}
a{color:#0b5394}
.scroll{overflow-x:auto;max-width:100%;margin:.4rem 0 1rem}
table{border-collapse:collapse;font-size:.88rem}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:left;vertical-align:top}
thead th{background:#f2f2f2}
.num{text-align:right;font-variant-numeric:tabular-nums}
.null{color:#6b6b6b;font-style:italic}
code,pre{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.85rem}
pre{background:#f4f4f4;border:1px solid #ddd;padding:.6rem;overflow-x:auto}
p code,li code,dd code{overflow-wrap:anywhere}
.sha256{word-break:break-all}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.15rem 1rem}
dl.facts dt{font-weight:600}dl.facts dd{margin:0;min-width:0;overflow-wrap:anywhere}
.chart{display:grid;grid-template-columns:minmax(0,1.2fr) minmax(0,1fr);gap:1rem;align-items:start}
table.preview td{white-space:nowrap}
details{margin:.5rem 0 1rem}summary{cursor:pointer;font-weight:600}
@media (max-width:52rem){.chart{grid-template-columns:minmax(0,1fr)}}
figure{margin:0}figcaption{font-size:.9rem;color:#333}
svg{display:block;width:100%;height:auto}
.note{font-size:.9rem;color:#333}
.latest{font-weight:700}
td time{white-space:nowrap}
""".strip()


# ---------------------------------------------------------------- small helpers


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{n:,} bytes" if unit == "bytes" else f"{size:.1f} {unit} ({n:,} bytes)"
        size /= 1024
    return f"{n:,} bytes"  # pragma: no cover


def truncate(text: str, limit: int = CELL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell(value: Any, tag: str = "td") -> str:
    """One table cell, HTML-escaped and truncated; numbers right-aligned."""
    if value is None:
        return f'<{tag} class="null">null</{tag}>'
    if isinstance(value, bool):
        return f"<{tag}>{'true' if value else 'false'}</{tag}>"
    if isinstance(value, int):
        return f'<{tag} class="num">{value}</{tag}>'
    if isinstance(value, float):
        return f'<{tag} class="num">{value:.4g}</{tag}>'
    if isinstance(value, (datetime, date)):
        return f"<{tag}>{esc(value.isoformat())}</{tag}>"
    if isinstance(value, (list, tuple, dict)):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = str(value)
    return f"<{tag}>{esc(truncate(text))}</{tag}>"


def table_html(
    caption: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    raw: bool = False,
    table_id: str | None = None,
    cls: str | None = None,
) -> str:
    """A captioned table in a horizontal-scroll wrapper. With ``raw`` the
    cells are trusted HTML (already escaped by the caller)."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in header)
    body = []
    for row in rows:
        if raw:
            cells = "".join(f"<td>{c}</td>" for c in row)
        else:
            cells = "".join(cell(c) for c in row)
        body.append(f"<tr>{cells}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(header)}" class="null">no rows</td></tr>')
    ident = (f' id="{esc(table_id)}"' if table_id else "") + (f' class="{esc(cls)}"' if cls else "")
    return (
        f'<div class="scroll"><table{ident}><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light">\n'
        # An empty inline icon: no browser asks the host for /favicon.ico.
        '<link rel="icon" href="data:,">\n'
        f"<title>{esc(title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def check_base_url(base_url: str | None) -> str | None:
    """The published root's URL, ending in '/', or None; refuses anything but http(s)."""
    if base_url is None or base_url == "":
        return None
    if not re.fullmatch(r"https?://[^\s<>\"'`\\]+", base_url):
        raise ValueError(f"base URL {base_url!r} is not an http(s):// URL")
    return base_url if base_url.endswith("/") else base_url + "/"


def version_key(name: str) -> tuple:
    """Natural order: 2024-05-01.10 after 2024-05-01.9."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", name))


# ---------------------------------------------------------------- markdown


def render_markdown(text: str, heading_shift: int = 0) -> str:
    """CommonMark plus tables, with raw HTML escaped and only relative links kept.

    markdown-it-py comes with rich, which the CLI already needs.
    """
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    # A link with a scheme or to another host is rendered as its plain text.
    md.validateLink = lambda url: not re.match(r"^\s*([a-z][a-z0-9+.-]*:|//)", url, re.I)
    from markdown_it.token import Token

    tokens = md.parse(text)
    out_tokens = []
    heading = ""
    for i, tok in enumerate(tokens):
        out_tokens.append(tok)
        if tok.type == "heading_open":
            heading = tokens[i + 1].content if i + 1 < len(tokens) else ""
        if tok.type in ("heading_open", "heading_close") and heading_shift:
            level = min(6, int(tok.tag[1]) + heading_shift)
            tok.tag = f"h{level}"
        elif tok.type == "th_open":
            tok.attrSet("scope", "col")
        elif tok.type == "table_open":
            # Every table gets a caption: the heading it sits under (escaped here; the
            # renderer passes html_block content through as it is).
            caption = Token("html_block", "", 0)
            caption.content = f"<caption>{esc(heading.replace('`', '')) or 'Table'}</caption>\n"
            out_tokens.append(caption)
    out = md.renderer.render(out_tokens, md.options, {})
    return out.replace("<table>", '<div class="scroll"><table>').replace("</table>", "</table></div>")


# ---------------------------------------------------------------- charts


def _chart_figure(n_bars: int):
    from matplotlib.figure import Figure

    height = max(2.0, 0.9 + 0.42 * n_bars)
    return Figure(figsize=(7.5, height), layout="constrained")


def _rc() -> dict[str, Any]:
    return {
        "svg.hashsalt": "counterclaim",  # fixed clip-path ids: the same data gives the same bytes
        "svg.fonttype": "path",  # glyphs as paths: no font is needed where the page is opened
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "hatch.linewidth": 0.8,
        "hatch.color": "white",
    }


def svg_for(fig, chart_id: str, title: str, desc: str) -> str:
    """The figure as inline SVG: ids made unique on the page, width 100% with
    its viewBox, and role="img" with a <title> and <desc> for screen readers."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\sid="([^"]+)"', lambda m: f' id="{chart_id}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{chart_id}-{m.group(1)})", svg)
    svg = re.sub(r'((?:xlink:)?href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{chart_id}-{m.group(2)}"', svg)
    root = re.match(r"<svg\b([^>]*)>", svg)
    assert root is not None
    view_box = re.search(r'viewBox="([^"]+)"', root.group(1))
    assert view_box is not None
    head = (
        f'<svg viewBox="{view_box.group(1)}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-label="{esc(title)}" aria-describedby="{chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{esc(title)}</title><desc id="{chart_id}-desc">{esc(desc)}</desc>'
    )
    return head + svg[root.end() :].strip()


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    categories: list[str],
    series: list[tuple[str, str, list[float]]],
    *,
    stacked: bool,
    xlabel: str,
) -> str:
    """Horizontal grouped or stacked bars; ``series`` is (label, style key, values)."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context(_rc()):
        fig = _chart_figure(len(categories))
        ax = fig.add_subplot()
        ys = list(range(len(categories)))
        n = len(series)
        height = 0.8 if stacked else 0.8 / max(n, 1)
        left = [0.0] * len(categories)
        top = 0.0
        for i, (label, style, values) in enumerate(series):
            color, hatch = SIDE_STYLE.get(style, ("#555555", ""))
            if stacked:
                pos = ys
            else:
                pos = [y - 0.4 + height * (i + 0.5) for y in ys]
            bars = ax.barh(
                pos, values, height=height, left=left if stacked else None, label=label,
                color=color, hatch=hatch or None, edgecolor="white" if hatch else color, linewidth=0.6,
            )
            labels = [f"{v:g}" if v else "" for v in values]
            ax.bar_label(bars, labels=labels, label_type="center" if stacked else "edge",
                         padding=0 if stacked else 2, fontsize=8,
                         color="white" if stacked else "#1b1b1b")
            if stacked:
                left = [a + b for a, b in zip(left, values)]
                top = max([top, *left])
            else:
                top = max([top, *values])
        ax.set_yticks(ys, [truncate(c, LABEL_CHARS) for c in categories])
        ax.invert_yaxis()
        ax.set_xlim(0, max(1.0, top) * 1.12)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(xlabel)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=max(1, n), frameon=False, fontsize=9)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        return svg_for(fig, chart_id, title, desc)


def chart_section(chart_id: str, heading: str, intro: str, svg: str | None, table: str, note: str = "") -> str:
    figure = (
        f'<figure aria-labelledby="{chart_id}-cap">{svg}'
        f'<figcaption id="{chart_id}-cap">{esc(heading)}. The table beside it holds the same numbers.</figcaption></figure>'
        if svg
        else '<p class="null">No data for this chart in this snapshot.</p>'
    )
    extra = f'<p class="note">{esc(note)}</p>' if note else ""
    return (
        f'<section id="{chart_id}" aria-labelledby="{chart_id}-h"><h3 id="{chart_id}-h">{esc(heading)}</h3>'
        f"<p>{esc(intro)}</p>{extra}"
        f'<div class="chart">{figure}<div>{table}</div></div></section>'
    )


def _top(rows: list[dict[str, Any]], total) -> tuple[list[dict[str, Any]], str]:
    if len(rows) <= MAX_BARS:
        return rows, ""
    kept = sorted(rows, key=lambda r: -total(r))[:MAX_BARS]
    kept_ids = {id(r) for r in kept}
    return [r for r in rows if id(r) in kept_ids], (
        f"The chart shows the {MAX_BARS} largest of {len(rows)}; the table lists them all."
    )


def _summary(rows: list[dict[str, Any]], label: str, parts: list[tuple[str, str]], limit: int = 10) -> str:
    items = []
    for r in rows[:limit]:
        items.append(f"{r[label]}: " + ", ".join(f"{r[k]} {name}" for k, name in parts))
    more = f"; and {len(rows) - limit} more, listed in the table" if len(rows) > limit else ""
    return "; ".join(items) + more + "."


# ---------------------------------------------------------------- reading the snapshot


def _query(con, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def _view_names(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}


def read_documents(root: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    path = root / "tables" / "documents" / "documents.parquet"
    cols = ["doc_id", "source", "outlet", "title", "content_hash", "published_at", "duplicate_of", "story_id"]
    table = pq.read_table(path, columns=cols)
    return sorted(table.to_pylist(), key=lambda r: (r["source"], r["doc_id"]))


def table_preview(path: Path, n: int = PREVIEW_ROWS) -> tuple[list[str], list[list[Any]]]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    rows: list[list[Any]] = []
    for batch in pf.iter_batches(batch_size=n):
        for rec in batch.to_pylist():
            rows.append([rec[c] for c in names])
        break
    return names, rows[:n]


def view_column_notes(sql_text: str) -> dict[str, str]:
    """Column notes from a view file's leading comment: a line starting
    ``-- name:`` or ``-- name =`` (``*`` allowed) opens a note on ``name``."""
    notes: dict[str, str] = {}
    current: str | None = None
    for line in sql_text.splitlines():
        s = line.strip()
        if not s.startswith("--"):
            if s:
                break
            current = None
            continue
        body = s.lstrip("-").strip()
        m = re.match(r"^([a-z_][a-z0-9_*]*)\s*[:=]", body)
        if m and "_" in m.group(1):
            current = m.group(1)
            notes[current] = body
        elif current is not None and body:
            notes[current] += " " + body
        else:
            current = None
    return notes


def describe_view_columns(con, name: str, notes: dict[str, str]) -> list[tuple[str, str, str]]:
    out = []
    for col, typ, *_ in con.execute(f'DESCRIBE "{name}"').fetchall():
        note = next((text for pat, text in notes.items() if fnmatch.fnmatchcase(col, pat)), "")
        out.append((col, typ, note))
    return out


def view_preview(con, name: str, n: int = PREVIEW_ROWS) -> tuple[list[str], list[list[Any]]]:
    import duckdb

    try:
        # ORDER BY ALL: a view has no row order of its own; the page must not change between renders.
        cur = con.execute(f'SELECT * FROM "{name}" ORDER BY ALL LIMIT {int(n)}')
    except duckdb.Error:
        cur = con.execute(f'SELECT * FROM "{name}" LIMIT {int(n)}')
    cols = [d[0] for d in cur.description]
    return cols, [list(r) for r in cur.fetchall()]


# ---------------------------------------------------------------- snapshot page


def _sha(res: dict[str, Any]) -> str:
    h = str(res.get("hash", ""))
    return h[7:] if h.startswith("sha256:") else h


def _code_version(code: dict[str, Any]) -> str:
    out = f"counterclaim {code.get('counterclaim')}"
    if code.get("git_commit"):
        out += f", commit {code['git_commit']}"
    if code.get("git_dirty"):
        out += " (with uncommitted changes)"
    return out


def _libraries(libs: dict[str, Any]) -> str:
    parts = [f"{k} {v}" for k, v in libs.items() if k != "spacy_model" and v]
    model = libs.get("spacy_model") or {}
    if model.get("name"):
        parts.append(f"spaCy model {model['name']} {model.get('version') or ''}".rstrip())
    return ", ".join(parts)


def _commands(version: str, base_url: str | None, has_view: bool) -> str:
    url = base_url or URL_PLACEHOLDER
    snap = f"snapshots/{version}"
    query = (
        "SELECT outlet, headline_frame, n_allegations, n_denials, denial_share FROM denial_vs_allegation ORDER BY outlet"
        if has_view
        else "SELECT outlet, count(*) AS n FROM documents GROUP BY outlet ORDER BY outlet"
    )
    shell = (
        f"counterclaim download {url} --version {version} --to snapshots\n"
        f"counterclaim verify {snap}\n"
        f'counterclaim query --snapshot {snap} "{query}"'
    )
    duck = (
        "-- plain DuckDB, from the folder you downloaded into\n"
        "SELECT d.outlet, c.claim_type, count(*) AS n\n"
        f"FROM read_parquet('{snap}/tables/claims/claims.parquet') AS c\n"
        f"JOIN read_parquet('{snap}/tables/documents/documents.parquet') AS d USING (doc_id)\n"
        "GROUP BY ALL ORDER BY ALL;"
    )
    if base_url:
        note = (
            f"{base_url} is the published folder (the one holding {LATEST_NAME}). Without --version, "
            "download fetches the newest snapshot instead of this one."
        )
    else:
        note = (
            f"Replace {URL_PLACEHOLDER} with the address of the published folder, the one holding "
            f"{LATEST_NAME}: this page's address without “{version}/{PAGE_NAME}”. A local path to a copy "
            "of the published folder works too. Without --version, download fetches the newest snapshot."
        )
    return (
        '<section id="get" aria-labelledby="get-h"><h2 id="get-h">Get the data</h2>'
        "<p>Download this snapshot with <code>counterclaim</code>; every file is checked against the "
        "sha256 sums listed below before the folder appears:</p>"
        f'<pre><code id="cmd-download">{esc(shell)}</code></pre>'
        f'<p class="note">{esc(note)}</p>'
        "<p>Or read the Parquet files with any DuckDB, no counterclaim needed:</p>"
        f'<pre><code id="cmd-duckdb">{esc(duck)}</code></pre>'
    )


def _files_list(root: Path, manifest: dict[str, Any]) -> str:
    items = [
        (MANIFEST_NAME, "the manifest: provenance, sources, and every table's and view's size and sha256"),
        (SUMS_NAME, "sha256 of every other file, for sha256sum -c"),
        (CARD_NAME, "the dataset card, shown at the end of this page"),
    ]
    rows = []
    for rel, what in items:
        # SHA256SUMS is written after this page (it lists the page): no size, so a re-render matches.
        size = human_bytes((root / rel).stat().st_size) if rel != SUMS_NAME and (root / rel).is_file() else "—"
        rows.append([f'<a href="{esc(rel)}"><code>{esc(rel)}</code></a>', esc(what), esc(size)])
    for res in manifest.get("resources", []):
        rel = res["path"]
        rows.append([
            f'<a href="{esc(rel)}" download><code>{esc(rel)}</code></a>',
            esc(f"{res.get('kind', 'file')} {res['name']}"),
            esc(human_bytes(int(res.get("bytes", 0)))),
        ])
    return (
        "<h3>Files</h3>"
        + table_html("Every file of this snapshot", ["file", "what", "size"], rows, raw=True, table_id="files")
        + "</section>"
    )


def _sources_section(docs: list[dict[str, Any]]) -> str:
    rows = []
    for d in docs:
        rows.append([
            esc(d["outlet"]) if d["outlet"] else '<span class="null">unknown</span>',
            esc(d["title"]) if d["title"] else '<span class="null">no headline</span>',
            esc(d["published_at"].isoformat()) if d["published_at"] else '<span class="null">unknown</span>',
            f'<code>{esc(d["source"])}</code>',
            f'<code class="sha256">{esc(d["content_hash"])}</code>',
            "canonical" if not d["duplicate_of"] else f'copy of <code>{esc(d["duplicate_of"])}</code>',
        ])
    outlets = sorted({d["outlet"] for d in docs if d["outlet"]})
    return (
        '<section id="sources" aria-labelledby="sources-h"><h2 id="sources-h">Source articles</h2>'
        f"<p>{len(docs)} article(s) from {len(outlets)} named outlet(s). The content hash is the sha256 of "
        "the cleaned text in <code>documents.text</code>.</p>"
        + table_html(
            f"Source articles ({len(docs)})",
            ["outlet", "headline", "published (UTC)", "source", "content hash (sha256)", "status"],
            rows, raw=True, table_id="sources-table",
        )
        + "</section>"
    )


def _resource_row(res: dict[str, Any], rows: int | None, anchor: str, what: str) -> list[str]:
    rel = res["path"]
    return [
        f'<a href="#{esc(anchor)}"><code>{esc(res["name"] if res.get("kind") == "table" else Path(rel).stem)}</code></a>',
        esc(what),
        f"{rows:,}" if isinstance(rows, int) else '<span class="null">unknown</span>',
        esc(human_bytes(int(res.get("bytes", 0)))),
        f'<code class="sha256" data-path="{esc(rel)}">{esc(_sha(res))}</code>',
        f'<a href="{esc(rel)}" download><code>{esc(rel)}</code></a>',
    ]


RESOURCE_HEADER = ["name", "one row is", "rows", "size", "sha256", "file"]


def _tables_section(root: Path, tables: list[dict[str, Any]]) -> str:
    summary = [
        _resource_row(res, res.get("rows"), f"table-{res['name']}",
                      re.sub(r"^One row is |\.$", "", res.get("description", "")))
        for res in tables
    ]
    parts = [
        '<section id="tables" aria-labelledby="tables-h"><h2 id="tables-h">Tables</h2>'
        "<p>Each table is one Parquet file; the sha256 is the one in <code>datapackage.json</code> and "
        f"<code>{SUMS_NAME}</code>. Open a table below for its columns and first rows (long text is cut to "
        f"{CELL_CHARS} characters here; the files hold it whole).</p>",
        table_html(f"Tables in this snapshot ({len(tables)})", RESOURCE_HEADER, summary, raw=True, table_id="tables-table"),
    ]
    for res in tables:
        name = res["name"]
        fields = res.get("schema", {}).get("fields", [])
        cols, rows = table_preview(root / res["path"])
        parts.append(
            f'<section id="table-{esc(name)}" aria-labelledby="table-{esc(name)}-h">'
            f'<h3 id="table-{esc(name)}-h"><code>{esc(name)}</code>: {res.get("rows", "?")} row(s)</h3>'
            f"<details><summary>{len(fields)} columns and the first {min(PREVIEW_ROWS, len(rows))} row(s)</summary>"
            + table_html(
                f"Columns of {name}",
                ["column", "type", "description"],
                [[f"<code>{esc(f['name'])}</code>", f"<code>{esc(f.get('arrowType') or f.get('type'))}</code>",
                  esc(f.get("description", "")) + (" (never null)" if f.get("constraints", {}).get("required") else "")]
                 for f in fields],
                raw=True,
            )
            + table_html(f"First {len(rows)} row(s) of {name}, of {res.get('rows', '?')}", cols, rows, cls="preview")
            + "</details></section>"
        )
    parts.append("</section>")
    return "".join(parts)


def _views_section(root: Path, con, views: list[dict[str, Any]]) -> str:
    known = _view_names(con) if con is not None else set()
    counts: dict[str, int | None] = {}
    for res in views:
        stem = Path(res["path"]).stem
        counts[stem] = con.execute(f'SELECT count(*) FROM "{stem}"').fetchone()[0] if stem in known else None
    parts = [
        '<section id="views" aria-labelledby="views-h"><h2 id="views-h">Views</h2>'
        "<p>Each view is a DuckDB <code>CREATE VIEW</code> over the tables, in its own file under "
        "<code>sql/</code>; <code>counterclaim query --snapshot</code> creates them all. The row counts "
        "and previews below come from running them on this snapshot (rows sorted by every column).</p>"
    ]
    if not views:
        parts.append("<p>This snapshot has no views: query the tables.</p>")
    else:
        summary = [
            _resource_row(res, counts[Path(res["path"]).stem], f"view-{Path(res['path']).stem}",
                          _view_row_is(res.get("description") or ""))
            for res in views
        ]
        parts.append(table_html(f"Views in this snapshot ({len(views)})", RESOURCE_HEADER, summary, raw=True,
                                table_id="views-table"))
    for res in views:
        stem = Path(res["path"]).stem
        sql_text = (root / res["path"]).read_text(encoding="utf-8")
        parts.append(
            f'<section id="view-{esc(stem)}" aria-labelledby="view-{esc(stem)}-h">'
            f'<h3 id="view-{esc(stem)}-h"><code>{esc(stem)}</code>: '
            f"{counts[stem] if counts[stem] is not None else '?'} row(s)</h3>"
            f"<p>{esc(res.get('description') or '')}</p>"
        )
        if stem in known:
            columns = describe_view_columns(con, stem, view_column_notes(sql_text))
            cols, rows = view_preview(con, stem)
            parts.append(
                f"<details><summary>{len(columns)} columns and the first {len(rows)} row(s)</summary>"
                + table_html(
                    f"Columns of {stem}", ["column", "type", "description"],
                    [[f"<code>{esc(c)}</code>", f"<code>{esc(t)}</code>", esc(d) if d else "—"] for c, t, d in columns],
                    raw=True,
                )
                + table_html(f"First {len(rows)} row(s) of {stem}, of {counts[stem]}", cols, rows, cls="preview")
                + "</details>"
            )
        else:
            parts.append(f'<p class="null">The file defines no view named {esc(stem)}; open it to see what it does.</p>')
        parts.append("</section>")
    parts.append("</section>")
    return "".join(parts)


def _view_row_is(description: str) -> str:
    """'One row per X: ...' -> 'X'; otherwise the description's first clause."""
    m = re.match(r"^One row (?:per|is) ([^:.;]+)", description, re.I)
    return m.group(1).strip() if m else truncate(description, 60)


def _charts_section(con, docs: list[dict[str, Any]]) -> str:
    parts = [
        '<section id="charts" aria-labelledby="charts-h"><h2 id="charts-h">What the data shows</h2>'
        "<p>Counted over canonical articles (copies are left out), from the views "
        "<code>denial_vs_allegation</code> and <code>denial_vs_allegation_by_outlet</code>, and from "
        "<code>documents</code>. Claims are extracted automatically: check one against its article before citing it.</p>"
    ]
    views = _view_names(con) if con is not None else set()
    if "denial_vs_allegation_by_outlet" in views:
        outlets = _query(con, "SELECT * FROM denial_vs_allegation_by_outlet ORDER BY outlet")
        shown, note = _top(outlets, lambda r: r["n_allegations"] + r["n_denials"])
        desc = "Per outlet, allegations and denials: " + _summary(
            outlets, "outlet", [("n_allegations", "allegations"), ("n_denials", "denials")])
        svg = bar_chart(
            "chart-claims", "Allegations and denials per outlet", desc, [r["outlet"] for r in shown],
            [("allegations", "allegation", [r["n_allegations"] for r in shown]),
             ("denials", "denial", [r["n_denials"] for r in shown])],
            stacked=False, xlabel="claims",
        ) if shown else None
        table = table_html(
            "Claims per outlet", ["outlet", "articles", "allegations", "denials", "denial share"],
            [[r["outlet"], r["n_articles"], r["n_allegations"], r["n_denials"], r["denial_share"]] for r in outlets],
        )
        parts.append(chart_section(
            "chart-claims", "Allegations and denials per outlet",
            "How many attributed allegations and denials each outlet's articles report. "
            "Denial share is denials over denials plus allegations: near 0, the accused side barely speaks.",
            svg, table, note,
        ))

        shown, note = _top(outlets, lambda r: r["words_quoted_allegation"] + r["words_quoted_denial"])
        desc = "Per outlet, words quoted for each side: " + _summary(
            outlets, "outlet",
            [("words_quoted_allegation", "words for the allegation"), ("words_quoted_denial", "words for the denial")])
        svg = bar_chart(
            "chart-words", "Words quoted for each side per outlet", desc, [r["outlet"] for r in shown],
            [("allegation side", "allegation", [r["words_quoted_allegation"] for r in shown]),
             ("denial side", "denial", [r["words_quoted_denial"] for r in shown])],
            stacked=False, xlabel="words inside quotation marks",
        ) if shown else None
        table = table_html(
            "Words quoted per outlet", ["outlet", "allegation side", "denial side"],
            [[r["outlet"], r["words_quoted_allegation"], r["words_quoted_denial"]] for r in outlets],
        )
        parts.append(chart_section(
            "chart-words", "Words quoted for each side per outlet",
            "How many of its own words each side gets inside quotation marks: the room an outlet gives each voice.",
            svg, table, note,
        ))

        for r in outlets:
            r["n_headlines_other"] = r["n_articles"] - r["n_headlines_allegation"] - r["n_headlines_denial"]
        shown, note = _top(outlets, lambda r: r["n_articles"])
        desc = "Per outlet, how many headlines lead with each side: " + _summary(
            outlets, "outlet",
            [("n_headlines_allegation", "with the allegation"), ("n_headlines_denial", "with the denial"),
             ("n_headlines_other", "with neither")])
        svg = bar_chart(
            "chart-headlines", "Which side the headline leads with", desc, [r["outlet"] for r in shown],
            [("allegation", "allegation", [r["n_headlines_allegation"] for r in shown]),
             ("denial", "denial", [r["n_headlines_denial"] for r in shown]),
             ("neither", "other", [r["n_headlines_other"] for r in shown])],
            stacked=True, xlabel="articles",
        ) if shown else None
        titles = {d["doc_id"]: d["title"] for d in docs}
        articles = _query(con, "SELECT doc_id, outlet, headline_frame, first_heard FROM denial_vs_allegation ORDER BY outlet, doc_id")
        table = table_html(
            "Headline and first side heard, per article", ["outlet", "headline", "headline leads with", "body opens with"],
            [[a["outlet"], titles.get(a["doc_id"]), a["headline_frame"], a["first_heard"]] for a in articles],
        )
        parts.append(chart_section(
            "chart-headlines", "Which side the headline leads with",
            "The reader meets one side first: the type of the earliest claim in each article's headline "
            "(“neither” when the headline carries no allegation or denial).",
            svg, table, note,
        ))
    else:
        parts.append('<p class="null">This snapshot has no denial_vs_allegation views, so only the story chart is drawn.</p>')

    stories: dict[str, dict[str, Any]] = {}
    for d in docs:
        key = d["story_id"] or "(no story)"
        s = stories.setdefault(key, {"story": key, "canonical": 0, "duplicate": 0, "outlets": set()})
        s["duplicate" if d["duplicate_of"] else "canonical"] += 1
        if d["outlet"]:
            s["outlets"].add(d["outlet"])
    srows = sorted(stories.values(), key=lambda s: (-(s["canonical"] + s["duplicate"]), s["story"]))
    shown, note = _top(srows, lambda s: s["canonical"] + s["duplicate"])
    desc = (
        f"{len(docs)} article(s) in {len(srows)} story cluster(s): "
        + _summary(srows, "story", [("canonical", "canonical"), ("duplicate", "duplicate copies")])
    )
    svg = bar_chart(
        "chart-stories", "Articles per story: canonical and duplicate copies", desc,
        [s["story"] for s in shown],
        [("canonical", "canonical", [s["canonical"] for s in shown]),
         ("duplicate copy", "duplicate", [s["duplicate"] for s in shown])],
        stacked=True, xlabel="articles",
    ) if shown else None
    table = table_html(
        "Articles per story", ["story_id", "canonical", "duplicate copies", "outlets"],
        [[s["story"], s["canonical"], s["duplicate"], ", ".join(sorted(s["outlets"]))] for s in srows],
    )
    parts.append(chart_section(
        "chart-stories", "Articles per story: canonical and duplicate copies",
        "Articles about the same story share a story_id. Exact and near-duplicate copies point at one "
        "canonical article; only canonical articles are counted in the charts above.",
        svg, table, note,
    ))
    parts.append("</section>")
    return "".join(parts)


def snapshot_html(root: Path, base_url: str | None = None) -> str:
    from flows.views import connect

    root = Path(root)
    base_url = check_base_url(base_url)
    manifest = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    version = str(manifest.get("version"))
    card = (root / CARD_NAME).read_text(encoding="utf-8") if (root / CARD_NAME).is_file() else ""
    resources = manifest.get("resources", [])
    tables = [r for r in resources if r.get("kind") == "table"]
    views = [r for r in resources if r.get("kind") == "view"]
    docs = read_documents(root)
    outlets = sorted({d["outlet"] for d in docs if d["outlet"]})
    con = connect(root / "tables", root / "sql")
    try:
        has_view = "denial_vs_allegation" in _view_names(con)
        created = str(manifest.get("created", ""))
        facts = [
            ("version", f"<code>{esc(version)}</code>"),
            ("created", f'<time datetime="{esc(created)}">{esc(created)}</time>'),
            ("table schema", f"<code>{esc(manifest.get('schema_version'))}</code>"),
            ("code", esc(_code_version(manifest.get("code_version", {})))),
            ("libraries", esc(_libraries(manifest.get("libraries", {})))),
            ("articles", esc(f"{len(docs)} from {len(outlets)} named outlet(s)" + (f": {', '.join(outlets)}" if outlets else ""))),
            ("licence", esc("; ".join(lic.get("title") or lic.get("name", "") for lic in manifest.get("licenses", [])))),
        ]
        nav = [("#get", "Get the data"), ("#charts", "Charts"), ("#sources", "Source articles"),
               ("#tables", "Tables"), ("#views", "Views"), ("#card", "Dataset card"),
               (f"../{PAGE_NAME}", "All versions")]
        body = [
            "<header>",
            '<p><a href="#main">Skip to content</a></p>',
            f"<h1>counterclaim dataset <code>{esc(version)}</code></h1>",
            f"<p>{esc(manifest.get('title', ''))}.</p>",
            '<dl class="facts" id="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>",
            '<nav aria-label="On this page"><ul>' + "".join(f'<li><a href="{esc(h)}">{esc(t)}</a></li>' for h, t in nav) + "</ul></nav>",
            "</header>",
            '<main id="main">',
            _commands(version, base_url, has_view),
            _files_list(root, manifest),
            _charts_section(con, docs),
            _sources_section(docs),
            _tables_section(root, tables),
            _views_section(root, con, views),
            '<section id="card" aria-labelledby="card-h"><h2 id="card-h">Dataset card</h2>'
            f'<p>The text of <a href="{CARD_NAME}"><code>{CARD_NAME}</code></a>, as published with the data: '
            "how to query it, every table's columns, how to check the files, and the known limits of the extraction. "
            "Its tables and views are shown above; open it for the rest.</p>"
            "<details><summary>Read the dataset card</summary>"
            f"<article>{render_markdown(card, heading_shift=2)}</article></details></section>",
            "</main>",
        ]
    finally:
        con.close()
    return page(f"counterclaim dataset {version}", "\n".join(body))


def render_snapshot_page(snapshot_dir: Path, base_url: str | None = None) -> None:
    """Write ``<snapshot_dir>/index.html`` from its datapackage.json, README.md, tables and views."""
    snapshot_dir = Path(snapshot_dir)
    (snapshot_dir / PAGE_NAME).write_text(snapshot_html(snapshot_dir, base_url), encoding="utf-8")


# ---------------------------------------------------------------- versions page


def _version_entry(folder: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {"version": folder.name, "created": None, "page": None, "manifest": None}
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return entry
    entry["manifest"] = MANIFEST_NAME
    entry["created"] = manifest.get("created")
    entry["schema_version"] = manifest.get("schema_version")
    entry["code"] = manifest.get("code_version", {})
    sources = manifest.get("sources", [])
    entry["articles"] = len(sources)
    entry["outlets"] = len({s.get("outlet") for s in sources if s.get("outlet")})
    rows = {r.get("name"): r.get("rows") for r in manifest.get("resources", []) if r.get("kind") == "table"}
    entry["claims"] = rows.get("claims")
    entry["total_bytes"] = sum(int(r.get("bytes", 0)) for r in manifest.get("resources", []))
    return entry


def list_versions(dest: Path) -> list[dict[str, Any]]:
    """Every published version folder (hidden temporary folders left out), newest first."""
    out = []
    for folder in Path(dest).iterdir():
        if folder.name.startswith(".") or not folder.is_dir() or not (folder / MANIFEST_NAME).is_file():
            continue
        entry = _version_entry(folder)
        if (folder / PAGE_NAME).is_file():
            entry["page"] = PAGE_NAME
        elif (folder / CARD_NAME).is_file():
            entry["page"] = CARD_NAME
        entry["sums"] = SUMS_NAME if (folder / SUMS_NAME).is_file() else None
        out.append(entry)
    out.sort(key=lambda e: (e["created"] or "", version_key(e["version"])), reverse=True)
    return out


def versions_html(dest: Path, base_url: str | None = None) -> str:
    dest = Path(dest)
    base_url = check_base_url(base_url)
    try:
        latest = json.loads((dest / LATEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        latest = {}
    latest_version = latest.get("version")
    versions = list_versions(dest)
    rows = []
    for e in versions:
        v = e["version"]
        name = f"<code>{esc(v)}</code>"
        link = f'<a href="{esc(v)}/{esc(e["page"])}">{name}</a>' if e["page"] else name
        if v == latest_version:
            link += ' <strong class="latest">latest</strong>'
        files = []
        if e["manifest"]:
            files.append(f'<a href="{esc(v)}/{MANIFEST_NAME}">{MANIFEST_NAME}</a>')
        if e.get("sums"):
            files.append(f'<a href="{esc(v)}/{SUMS_NAME}">{SUMS_NAME}</a>')
        commit = (e.get("code") or {}).get("git_commit")
        code = f"{(e.get('code') or {}).get('counterclaim', '')}" + (f" ({commit[:12]})" if commit else "")
        created = e["created"]
        rows.append([
            link,
            f'<time datetime="{esc(created)}">{esc(created)}</time>' if created else '<span class="null">unknown</span>',
            esc(e.get("articles", "")), esc(e.get("outlets", "")),
            esc("" if e.get("claims") is None else e["claims"]),
            esc(human_bytes(e["total_bytes"])) if e.get("total_bytes") is not None else "",
            f"<code>{esc(e.get('schema_version') or '')}</code>", esc(code), " · ".join(files),
        ])
    url = base_url or URL_PLACEHOLDER
    note = (
        f"{base_url} is this folder." if base_url else
        f"Replace {URL_PLACEHOLDER} with this page's address without “{PAGE_NAME}”, or a local path to a copy of this folder."
    )
    latest_line = (
        f'<p>The newest snapshot is <a href="{esc(latest_version)}/{PAGE_NAME}"><code>{esc(latest_version)}</code></a>, '
        f'published <time datetime="{esc(latest.get("published_at", ""))}">{esc(latest.get("published_at", ""))}</time> '
        f'(<a href="{LATEST_NAME}">{LATEST_NAME}</a>).</p>'
        if latest_version and (dest / latest_version / PAGE_NAME).is_file()
        else (f'<p>The newest snapshot is <code>{esc(latest_version)}</code> (<a href="{LATEST_NAME}">{LATEST_NAME}</a>).</p>'
              if latest_version else "<p>No snapshot is marked latest yet.</p>")
    )
    body = "\n".join([
        "<header>",
        "<h1>counterclaim datasets</h1>",
        "<p>Who said what, who alleged and who denied, and which outlet carried which side: "
        "every published snapshot, newest first. A published snapshot never changes; a new build gets a new version.</p>",
        "</header>",
        '<main id="main">',
        latest_line,
        '<section id="get" aria-labelledby="get-h"><h2 id="get-h">Get the newest snapshot</h2>',
        f'<pre><code id="cmd-download">{esc(f"counterclaim download {url} --to snapshots")}</code></pre>',
        f'<p class="note">{esc(note)} Add <code>--version V</code> for an older snapshot.</p></section>',
        '<section id="versions" aria-labelledby="versions-h"><h2 id="versions-h">Versions</h2>',
        table_html(
            f"Published versions ({len(versions)}), newest first",
            ["version", "created (UTC)", "articles", "outlets", "claims", "size", "table schema", "code", "files"],
            rows, raw=True, table_id="versions-table",
        ),
        "</section>",
        "</main>",
    ])
    return page("counterclaim datasets: published versions", body)


def render_versions_page(dest: Path, base_url: str | None = None) -> None:
    """Write ``<dest>/index.html`` (atomically) listing every version, newest first."""
    from flows.storage import atomic_write_bytes

    dest = Path(dest)
    atomic_write_bytes(dest / PAGE_NAME, versions_html(dest, base_url).encode("utf-8"))
