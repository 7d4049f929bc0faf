"""One redaction for every line Carebase prints: known secrets, in the forms they come back in,
and anything that looks like a credential.

Whoever reads a secret (the announcer's networks, the importers' tokens, the Algolia admin
key, the PR comment's token) calls :func:`remember`; every message, progress line and error
goes through :func:`redact`. A secret is echoed back by servers and libraries not only as
itself but percent-encoded (in a URL they quote) or base64-encoded (an ``Authorization:
Basic`` header, ``base64("user:secret")``), so each of those forms is computed once, when the
secret is remembered, and one regular expression of all of them replaces them in a line.

A secret inside a longer base64 text (Basic auth) starts at an offset unknown in advance; of
its three possible alignments on base64's 3-byte groups, each has an inner part that encodes
only bytes of the secret, and that part is always the same text: those three parts are
redacted. The one or two characters at each end that mix the secret with its neighbours stay,
which leaks a few bits of the secret's first and last byte, never the secret.
"""

from __future__ import annotations

import base64
import re
import threading
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
MIN_SECRET = 6
"""Shorter values are not redacted on their own (they would blank out ordinary words)."""
MIN_FORM = 8
"""Shorter encoded fragments are not redacted (four base64 letters occur in ordinary text)."""

_known: set[str] = set()
_forms: re.Pattern[str] | None = None
_lock = threading.Lock()

_QUERY_NAMES = r"token|password|passwd|pwd|secret|key|sig|signature|auth|credentials?"
"""Query parameters that carry credentials (``access_token``, ``api_key``, ``client_secret``
end in one of these)."""
_PATTERNS = (
    # `https://user:token@host/…`: clients and git echo URLs with their credentials.
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]+@"), rf"\1{REDACTED}@"),
    (
        re.compile(r"(?i)(authorization\s*[:=]\s*)(bearer|basic|oauth|token)?\s*[^\s,'\"}]+"),
        rf"\1\2 {REDACTED}",
    ),
    (
        re.compile(r"(?i)\b((?:x-algolia-api-key|x-api-key|api-key|private-token)\s*[:=]\s*)"
                   r"[^\s,'\"}]+"),
        rf"\1{REDACTED}",
    ),
    (re.compile(rf"(?i)((?:{_QUERY_NAMES})=)[^&\s'\"]+"), rf"\1{REDACTED}"),
    (re.compile(r"(hooks\.slack\.com/services/)[\w/]+"), rf"\1{REDACTED}"),
    (re.compile(r"(/api/webhooks/\d+/)[\w-]+"), rf"\1{REDACTED}"),
)  # fmt: skip


def remember(value: str) -> None:
    """Redact ``value`` (and its encoded forms) from every message from now on."""
    global _forms
    if len(value) < MIN_SECRET:
        return
    with _lock:
        if value in _known:
            return
        _known.add(value)
        forms = {form for secret in _known for form in encoded_forms(secret)}
        ordered = sorted(forms, key=len, reverse=True)  # The longest form wins an overlap.
        _forms = re.compile("|".join(re.escape(form) for form in ordered))


def redact(text: str) -> str:
    """``text`` with every known secret (raw, percent- or base64-encoded) and every
    credential-looking part (URL userinfo, ``token=`` parameters, auth headers) replaced."""
    forms = _forms
    if forms is not None:
        text = forms.sub(REDACTED, text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def encoded_forms(secret: str) -> set[str]:
    """The texts ``secret`` can be echoed back as: itself, percent-encoded, base64-encoded."""
    raw = secret.encode()
    forms = {secret, quote(secret), quote(secret, safe=""), quote_plus(secret)}
    forms |= {quote_plus(secret, safe="")}
    for encoded in (base64.b64encode(raw).decode(), *_inner_base64(raw)):
        for variant in (encoded, encoded.translate(_URLSAFE)):
            forms |= {variant, variant.rstrip("=")}
    return {form for form in forms if len(form) >= MIN_FORM or form == secret}


_URLSAFE = str.maketrans("+/", "-_")


def _inner_base64(raw: bytes) -> list[str]:
    """The base64 text of ``raw`` inside any longer base64 text, for each of the 3 offsets
    ``raw`` can start at: the whole 3-byte groups made of ``raw``'s bytes alone."""
    inner = []
    for skip in range(3):
        whole = (len(raw) - skip) // 3 * 3
        if whole > 0:
            inner.append(base64.b64encode(raw[skip : skip + whole]).decode())
    return inner
