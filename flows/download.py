"""Download a published snapshot and verify it, file by file, against its manifest.

``download`` reads ``latest.json`` (unless a version is named), then
``<version>/datapackage.json`` and ``<version>/SHA256SUMS``, then streams
every listed file into ``<to>/.cache/<version>/`` (an interrupted file is
resumed with an HTTP Range request), checks its size and sha256, and only when
every file matches renames the assembled folder to ``<to>/<version>/``.

Nothing from the source is trusted for a path: every name is checked so it
cannot leave the target folder. A file whose sha256 differs from the manifest
is never accepted, from the network or from the cache.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

import flows
from flows.storage import file_sha256

SUMS_NAME = "SHA256SUMS"
MANIFEST_NAME = "datapackage.json"
LATEST_NAME = "latest.json"

# Caps for files read whole into memory, and for files the manifest gives no size:
# a hostile or broken server must not make us read forever.
MAX_LATEST = 64 * 1024
MAX_MANIFEST = 64 * 1024 * 1024
MAX_SUMS = 16 * 1024 * 1024
MAX_UNSIZED = 256 * 1024 * 1024

CHUNK = 1 << 16
TIMEOUT_S = 60
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")
SUMS_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")

OnBytes = Callable[[int], None]


class DownloadError(RuntimeError):
    """The snapshot could not be downloaded or does not match its manifest."""


# ---------------------------------------------------------------- manifest checks


def safe_relpath(rel: Any) -> str:
    """``rel`` if it is a plain relative POSIX path that stays inside its folder."""
    if not isinstance(rel, str) or not rel:
        raise DownloadError(f"manifest path {rel!r} is not a file name")
    # Backslashes and drive letters would be separators or roots on some systems.
    if "\\" in rel or "\x00" in rel or rel.startswith("/") or re.match(r"^[A-Za-z]:", rel):
        raise DownloadError(f"manifest path {rel!r} is not a safe relative path")
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise DownloadError(f"manifest path {rel!r} would escape the snapshot folder")
    # Names this module uses for its own bookkeeping.
    if parts[-1].endswith(".part") or rel == SUMS_NAME:
        raise DownloadError(f"manifest path {rel!r} is reserved")
    return rel


def check_version_name(version: Any) -> str:
    if not isinstance(version, str) or not VERSION_RE.match(version):
        raise DownloadError(f"invalid snapshot version {version!r}")
    return version


def parse_sha256sums(text: str) -> dict[str, str]:
    """``path -> lowercase hex`` from sha256sum's output format."""
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = SUMS_LINE.match(line)
        if not m:
            raise DownloadError(f"{SUMS_NAME} line {n} is not '<sha256>  <path>': {line[:80]!r}")
        rel = safe_relpath(m.group(2))
        if rel in out:
            raise DownloadError(f"{SUMS_NAME} lists {rel!r} twice")
        out[rel] = m.group(1).lower()
    if not out:
        raise DownloadError(f"{SUMS_NAME} lists no files")
    return out


@dataclass(frozen=True)
class Expected:
    sha256: str
    size: int | None = None  # None where the manifest gives no size (README.md, datapackage.json)
    rows: int | None = None


def expected_files(manifest: Any, sums: dict[str, str]) -> dict[str, Expected]:
    """Every file of the snapshot with its hash and, for resources, its size.

    The two manifests must agree: a resource missing from SHA256SUMS or with
    another hash means one of them was changed without the other.
    """
    if not isinstance(manifest, dict) or not isinstance(manifest.get("resources"), list):
        raise DownloadError(f"{MANIFEST_NAME} has no 'resources' list")
    expected = {rel: Expected(sha) for rel, sha in sums.items()}
    for res in manifest["resources"]:
        if not isinstance(res, dict):
            raise DownloadError(f"{MANIFEST_NAME}: a resource is not an object")
        rel = safe_relpath(res.get("path"))
        h, size = res.get("hash"), res.get("bytes")
        if not isinstance(h, str) or not re.fullmatch(r"sha256:[0-9a-fA-F]{64}", h):
            raise DownloadError(f"{MANIFEST_NAME}: resource {rel} has no 'sha256:<hex>' hash")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise DownloadError(f"{MANIFEST_NAME}: resource {rel} has no byte size")
        if rel not in sums:
            raise DownloadError(f"{MANIFEST_NAME} lists {rel} but {SUMS_NAME} does not")
        if sums[rel] != h[7:].lower():
            raise DownloadError(f"{rel}: {MANIFEST_NAME} and {SUMS_NAME} give different sha256")
        rows = res.get("rows") if isinstance(res.get("rows"), int) else None
        expected[rel] = Expected(sums[rel], size, rows)
    if MANIFEST_NAME not in expected:
        raise DownloadError(f"{SUMS_NAME} does not list {MANIFEST_NAME}")
    return expected


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_problem(path: Path, exp: Expected) -> str | None:
    """Why ``path`` does not match ``exp``, or None when it does."""
    size = path.stat().st_size
    if exp.size is not None and size != exp.size:
        return f"size {size} bytes, manifest says {exp.size}"
    got = file_sha256(path)
    if got != exp.sha256:
        return f"sha256 {got}, manifest says {exp.sha256}"
    return None


# ---------------------------------------------------------------- verify


def _load_manifests(root: Path) -> dict[str, Expected]:
    for name in (MANIFEST_NAME, SUMS_NAME):
        p = root / name
        if p.is_symlink() or not p.is_file():
            raise DownloadError(f"{name} missing in {root}")
    try:
        manifest = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DownloadError(f"{MANIFEST_NAME} is not valid JSON: {exc}") from None
    sums = parse_sha256sums((root / SUMS_NAME).read_text(encoding="utf-8"))
    return expected_files(manifest, sums)


def _inside_without_symlinks(root: Path, rel: str) -> Path:
    p = root
    for part in rel.split("/"):
        p = p / part
        if p.is_symlink():
            raise DownloadError(f"{rel}: {p} is a symbolic link")
    return p


def _parquet_rows(path: Path) -> int | None:
    try:
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    except Exception:
        return None


def verify_snapshot(root: Path) -> list[str]:
    """Every way ``root`` differs from its datapackage.json and SHA256SUMS; empty when it matches."""
    root = Path(root)
    if not root.is_dir():
        return [f"{root} is not a folder"]
    try:
        expected = _load_manifests(root)
    except DownloadError as exc:
        return [str(exc)]
    problems: list[str] = []
    for rel, exp in sorted(expected.items()):
        try:
            path = _inside_without_symlinks(root, rel)
        except DownloadError as exc:
            problems.append(str(exc))
            continue
        if not path.is_file():
            problems.append(f"{rel}: missing")
            continue
        why = file_problem(path, exp)
        if why:
            problems.append(f"{rel}: {why}")
        elif exp.rows is not None and rel.endswith(".parquet") and _parquet_rows(path) != exp.rows:
            problems.append(f"{rel}: {_parquet_rows(path)} rows, manifest says {exp.rows}")
    # Views read tables/<name>/*.parquet: an extra file there would change the data.
    for sub in ("tables", "sql"):
        base = root / sub
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(root).as_posix()
            if (p.is_file() or p.is_symlink()) and rel not in expected:
                problems.append(f"{rel}: not in {SUMS_NAME}")
    return problems


# ---------------------------------------------------------------- sources


class Source(Protocol):
    def describe(self, rel: str) -> str: ...

    def read_bytes(self, rel: str, limit: int) -> bytes: ...

    def fetch(self, rel: str, part: Path, limit: int, on_bytes: OnBytes) -> bool:
        """Append ``rel``'s remaining bytes to ``part``; True if it resumed a partial file."""
        ...


class LocalSource:
    """A published folder on this machine (a path or a file:// URL)."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise DownloadError(f"source folder not found: {root}")
        self.root = root

    def describe(self, rel: str) -> str:
        return str(self.root / rel)

    def _path(self, rel: str) -> Path:
        # A symlink could point anywhere on this machine; a published folder has none.
        path = _inside_without_symlinks(self.root, rel)
        if not path.is_file():
            raise DownloadError(f"{self.describe(rel)}: not found")
        return path

    def read_bytes(self, rel: str, limit: int) -> bytes:
        with open(self._path(rel), "rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise DownloadError(f"{self.describe(rel)}: larger than {limit} bytes")
        return data

    def fetch(self, rel: str, part: Path, limit: int, on_bytes: OnBytes) -> bool:
        src = self._path(rel)
        have = part.stat().st_size if part.exists() else 0
        if have > src.stat().st_size:
            have = 0
        with open(src, "rb") as fin, open(part, "ab" if have else "wb") as fout:
            fin.seek(have)
            _copy_stream(fin, fout, have, limit, on_bytes, self.describe(rel))
        return have > 0


class HttpSource:
    """A published folder served over http(s); resumes with Range requests."""

    def __init__(self, base_url: str, retries: int = 3) -> None:
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.retries = retries

    def describe(self, rel: str) -> str:
        return self.base + urllib.parse.quote(rel, safe="/")

    def _open(self, rel: str, headers: dict[str, str]) -> http.client.HTTPResponse:
        req = urllib.request.Request(
            self.describe(rel), headers={"User-Agent": f"counterclaim/{flows.__version__}", **headers}
        )
        return urllib.request.urlopen(req, timeout=TIMEOUT_S)

    def read_bytes(self, rel: str, limit: int) -> bytes:
        try:
            with self._open(rel, {}) as resp:
                data = resp.read(limit + 1)
        except urllib.error.HTTPError as exc:
            raise DownloadError(f"{self.describe(rel)}: HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise DownloadError(f"cannot fetch {self.describe(rel)}: {getattr(exc, 'reason', exc)}") from None
        if len(data) > limit:
            raise DownloadError(f"{self.describe(rel)}: larger than {limit} bytes")
        return data

    def fetch(self, rel: str, part: Path, limit: int, on_bytes: OnBytes) -> bool:
        resumed = False
        last_error: Exception | None = None
        for _ in range(self.retries + 1):
            have = part.stat().st_size if part.exists() else 0
            if have > limit:
                part.unlink()
                have = 0
            try:
                if self._fetch_once(rel, part, have, limit, on_bytes):
                    resumed = True
                return resumed
            except _RangeNotSatisfiable:
                # The part is as long as the file or longer: it cannot be resumed.
                part.unlink(missing_ok=True)
            except urllib.error.HTTPError as exc:
                raise DownloadError(f"{self.describe(rel)}: HTTP {exc.code} {exc.reason}") from None
            except (urllib.error.URLError, OSError, http.client.HTTPException, _Interrupted) as exc:
                # Interrupted: the bytes received so far stay in the .part file for the next try.
                last_error = exc
        raise DownloadError(f"{self.describe(rel)}: download interrupted ({last_error}); run the same command again to resume")

    def _fetch_once(self, rel: str, part: Path, have: int, limit: int, on_bytes: OnBytes) -> bool:
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            resp = self._open(rel, headers)
        except urllib.error.HTTPError as exc:
            if exc.code == 416 and have:
                raise _RangeNotSatisfiable() from None
            raise
        with resp:
            if have and resp.status == 206:
                if not (resp.headers.get("Content-Range") or "").startswith(f"bytes {have}-"):
                    raise _RangeNotSatisfiable()
                mode, start = "ab", have
            elif resp.status == 200:
                # The server ignored the Range header: start the file again.
                mode, start = "wb", 0
            else:
                raise DownloadError(f"{self.describe(rel)}: unexpected HTTP {resp.status}")
            length = resp.headers.get("Content-Length")
            with open(part, mode) as fout:
                got = _copy_stream(resp, fout, start, limit, on_bytes, self.describe(rel))
            # urllib returns a short body without complaint when the connection drops.
            if length is not None and length.isdigit() and got < int(length):
                raise _Interrupted(f"connection closed after {got} of {length} bytes")
        return start > 0


class _Interrupted(Exception):
    pass


class _RangeNotSatisfiable(Exception):
    pass


def _copy_stream(fin: Any, fout: Any, start: int, limit: int, on_bytes: OnBytes, what: str) -> int:
    got = 0
    while True:
        chunk = fin.read(CHUNK)
        if not chunk:
            return got
        got += len(chunk)
        if start + got > limit:
            raise DownloadError(f"{what}: larger than the manifest says ({limit} bytes)")
        fout.write(chunk)
        on_bytes(len(chunk))


def open_source(source: str) -> Source:
    parsed = urllib.parse.urlparse(source)
    if parsed.scheme in ("http", "https"):
        return HttpSource(source)
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            raise DownloadError(f"file URL with a host is not supported: {source}")
        return LocalSource(Path(urllib.request.url2pathname(parsed.path)))
    if parsed.scheme and len(parsed.scheme) > 1:
        raise DownloadError(f"unsupported source {source!r}: use http(s)://, file:// or a folder")
    return LocalSource(Path(source))


# ---------------------------------------------------------------- download


def resolve_version(src: Source, version: str | None) -> tuple[str, str]:
    """The version and its folder (with a trailing slash) at the source."""
    if version is not None:
        return check_version_name(version), f"{version}/"
    try:
        latest = json.loads(src.read_bytes(LATEST_NAME, MAX_LATEST))
    except DownloadError as exc:
        raise DownloadError(f"no usable {LATEST_NAME} ({exc}); pass --version to pick a snapshot") from None
    except (ValueError, UnicodeDecodeError):
        raise DownloadError(f"{src.describe(LATEST_NAME)} is not valid JSON") from None
    if not isinstance(latest, dict):
        raise DownloadError(f"{src.describe(LATEST_NAME)} is not a JSON object")
    version = check_version_name(latest.get("version"))
    path = latest.get("path", f"{version}/")
    folder = safe_relpath(path.rstrip("/") if isinstance(path, str) else path)
    return version, f"{folder}/"


def fetch_verified(
    src: Source, remote: str, rel: str, exp: Expected, cache: Path, on_bytes: OnBytes
) -> Path:
    """``cache/rel`` holding exactly the manifest's bytes, downloading what is missing."""
    dst = cache / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.is_file() and not dst.is_symlink():
        if file_problem(dst, exp) is None:
            return dst
        # A cached copy is a convenience, never evidence: a bad one is fetched again.
    if dst.exists() or dst.is_symlink():
        dst.unlink()
    part = dst.with_name(dst.name + ".part")
    limit = exp.size if exp.size is not None else MAX_UNSIZED
    for fresh in (False, True):
        if fresh:
            part.unlink(missing_ok=True)
        resumed = part.exists() and part.stat().st_size > 0
        resumed = src.fetch(remote + rel, part, limit, on_bytes) or resumed
        why = file_problem(part, exp)
        if why is None:
            os.replace(part, dst)
            return dst
        part.unlink(missing_ok=True)
        if not (resumed and not fresh):
            raise DownloadError(f"{src.describe(remote + rel)}: {why}; the file was not accepted")
        # The bad bytes may have come from an old partial file: try once from zero.
    raise AssertionError("unreachable")


def _progress(enabled: bool):
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=Console(stderr=True),
        disable=not enabled,
    )


def download(source: str, to: Path, version: str | None = None, *, progress: bool = True) -> Path:
    """Download ``source``'s snapshot into ``to/<version>``; returns that folder.

    On any failure nothing appears at ``to/<version>``; completed files stay in
    ``to/.cache/<version>`` so the next attempt resumes, and are checked again.
    """
    to = Path(to)
    src = open_source(source)
    version, remote = resolve_version(src, version)
    final = to / version
    if final.exists() or final.is_symlink():
        problems = verify_snapshot(final)
        if problems:
            raise DownloadError(f"{final} exists but does not verify ({problems[0]}); remove it and download again")
        return final
    manifest_bytes = src.read_bytes(remote + MANIFEST_NAME, MAX_MANIFEST)
    try:
        manifest = json.loads(manifest_bytes)
    except (ValueError, UnicodeDecodeError):
        raise DownloadError(f"{src.describe(remote + MANIFEST_NAME)} is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("version") != version:
        raise DownloadError(f"{src.describe(remote + MANIFEST_NAME)} is not the manifest of version {version}")
    sums_bytes = src.read_bytes(remote + SUMS_NAME, MAX_SUMS)
    try:
        sums = parse_sha256sums(sums_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise DownloadError(f"{SUMS_NAME} is not UTF-8 text") from None
    expected = expected_files(manifest, sums)
    if sha256_bytes(manifest_bytes) != expected[MANIFEST_NAME].sha256:
        raise DownloadError(f"{MANIFEST_NAME}: sha256 does not match {SUMS_NAME}")

    to.mkdir(parents=True, exist_ok=True)
    cache = to / ".cache" / version
    (cache / MANIFEST_NAME).parent.mkdir(parents=True, exist_ok=True)
    (cache / MANIFEST_NAME).write_bytes(manifest_bytes)
    tmp = to / f".tmp-{version}-{secrets.token_hex(4)}"
    try:
        todo = [rel for rel in sorted(expected) if rel != MANIFEST_NAME]
        total = sum(expected[r].size or 0 for r in todo)
        with _progress(progress) as bar:
            task = bar.add_task(f"{version}", total=total or None)
            for rel in todo:
                bar.update(task, description=f"{version} {rel}")
                fetch_verified(src, remote, rel, expected[rel], cache, lambda n: bar.advance(task, n))
        tmp.mkdir()
        for rel in sorted(expected):
            dst = tmp / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(cache / rel, dst)
        (tmp / SUMS_NAME).write_bytes(sums_bytes)
        # `query --snapshot` falls back to the project's sql/ when a snapshot has none.
        (tmp / "sql").mkdir(exist_ok=True)
        problems = verify_snapshot(tmp)
        if problems:
            raise DownloadError("the assembled snapshot does not verify: " + "; ".join(problems))
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(cache, ignore_errors=True)
    try:
        (to / ".cache").rmdir()
    except OSError:
        pass  # other versions' partial downloads are still there
    return final
