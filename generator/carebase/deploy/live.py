"""Waiting until the web server serves the build just published (GitHub Pages takes a while).

The build writes ``carebase-manifest.json`` with its ``build_id``; the site is live when the
address serves that manifest. Caches in between are asked not to answer (a query of its own,
``Cache-Control: no-cache``), or an old manifest could be taken for the new one and vice versa.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

import httpx

from carebase.deploy import DeployError
from carebase.manifest import MANIFEST_FILE
from carebase.redaction import redact


def wait_until_live(url: str, build_id: str, timeout: float, interval: float = 5.0) -> None:
    """Return once ``<url>/carebase-manifest.json`` says ``build_id``; :class:`DeployError`
    saying what it served last when ``timeout`` seconds pass first."""
    address = manifest_address(url)
    deadline = time.monotonic() + timeout
    seen = "nothing yet"
    with httpx.Client(
        timeout=max(0.5, min(10.0, timeout)),
        follow_redirects=True,
        headers={"Cache-Control": "no-cache", "Pragma": "no-cache"},
    ) as client:
        while True:
            seen = _look(client, address)
            if seen == f"build {build_id}":
                return
            left = deadline - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(interval, left))
    raise DeployError(
        f"{redact(url)} did not serve build {build_id} within {timeout:g}s (last saw {seen})\n"
        "  hint: check the host's deploy status (GitHub Pages: the repository's Actions tab), "
        "or raise --wait-timeout"
    )


def manifest_address(url: str) -> httpx.URL:
    """The manifest's address under ``url``, keeping the query (a token some hosts need)."""
    parts = urlsplit(url)
    return httpx.URL(urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/{MANIFEST_FILE}")))


def _look(client: httpx.Client, address: httpx.URL) -> str:
    """What the address serves now: ``build <id>``, or what went wrong, for the message."""
    try:
        response = client.get(address.copy_merge_params({"carebase": str(time.time_ns())}))
    except httpx.HTTPError as exc:
        return f"no answer: {redact(str(exc)) or type(exc).__name__}"
    if response.status_code != 200:
        return f"status {response.status_code}"
    try:
        data = response.json()
    except ValueError:
        return "a manifest that is not JSON"
    found = data.get("build_id") if isinstance(data, dict) else None
    return f"build {found}" if isinstance(found, str) else "a manifest without a build_id"
