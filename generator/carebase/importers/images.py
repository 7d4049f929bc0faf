"""Images of imported threads, copied into the repository next to their articles.

A published page never loads an image from a forum: that would tell the forum (or whoever
posted the image) who reads the help centre, and break when the post goes. Each image is
downloaded once into ``kb/<category>/community/img/``, named after its URL, and only when it
is a PNG, JPEG, GIF or WebP by its first bytes (never SVG, which can carry script) and no
larger than ``image_max_bytes``. An image that cannot be had is left out; its alt text stays.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from carebase.errors import CarebaseError
from carebase.importers.writer import IMAGE_FOLDER

Fetch = Callable[[str, int], bytes]
"""Download ``url``, at most ``max_bytes`` bytes; :class:`ImageError` when it cannot."""

TIMEOUT = 20.0
USER_AGENT = "carebase-importer"


class ImageError(CarebaseError):
    """An image could not be downloaded, is too large, or is not an image we publish."""


def image_type(data: bytes) -> str | None:
    """``png``, ``jpg``, ``gif`` or ``webp`` from the file's first bytes; None otherwise."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def image_stem(url: str) -> str:
    """The file name (without extension) of the image at ``url``: the same URL, the same file."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:20]


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to ``http(s)`` only (urllib would follow one to ``ftp:``)."""

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:  # fmt: skip
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise ImageError(f"redirected to {newurl!r}, which is not http(s)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def fetch_url(url: str, max_bytes: int) -> bytes:
    """Download ``url`` over HTTP(S), refusing anything larger than ``max_bytes``."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            data: bytes = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise ImageError(f"the server answered {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ImageError(f"cannot be downloaded ({reason})") from None
    if len(data) > max_bytes:
        raise ImageError(f"is larger than image_max_bytes ({max_bytes} bytes)")
    return data


@dataclass
class Images:
    """Copies images into community folders; remembers what went wrong, for the report."""

    docs_dir: Path
    max_bytes: int
    fetch: Fetch = fetch_url
    dry_run: bool = False
    problems: list[str] = field(default_factory=list)

    def localise(self, url: str, folder: str) -> str | None:
        """The image at ``url`` as a path relative to ``folder`` (``img/….png``), or None."""
        stem = image_stem(url)
        target = self.docs_dir / folder / IMAGE_FOLDER
        existing = sorted(target.glob(f"{stem}.*")) if target.is_dir() else []
        if existing:
            return f"{IMAGE_FOLDER}/{existing[0].name}"
        if self.dry_run:
            return f"{IMAGE_FOLDER}/{stem}"
        return self._download(url, target, stem)

    def _download(self, url: str, target: Path, stem: str) -> str | None:
        try:
            data = self.fetch(url, self.max_bytes)
            if len(data) > self.max_bytes:
                raise ImageError(f"is larger than image_max_bytes ({self.max_bytes} bytes)")
            kind = image_type(data)
            if kind is None:
                raise ImageError("is not a PNG, JPEG, GIF or WebP image")
        except ImageError as exc:
            self.problems.append(f"image {url} left out: {exc}")
            return None
        target.mkdir(parents=True, exist_ok=True)
        _write_bytes_atomically(target / f"{stem}.{kind}", data)
        return f"{IMAGE_FOLDER}/{stem}.{kind}"


def _write_bytes_atomically(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    temp.replace(path)
