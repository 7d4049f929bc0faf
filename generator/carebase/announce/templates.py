"""The texts of announcements: default templates per network and staff's own, in a sandbox.

A template is Jinja, rendered as plain text (no HTML escaping: every network gets text) in a
:class:`~jinja2.sandbox.SandboxedEnvironment`, since ``mkdocs.yml`` is edited through pull
requests. Templates are checked when the options are read, so a typo fails ``carebase check``
rather than a deploy halfway through its posts.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment

from carebase.announce.model import NetworkKind

VARIABLES = frozenset(
    {
        "lead",
        "title",
        "description",
        "link",
        "url",
        "hashtags",
        "tags",
        "category",
        "lang",
        "type",
        "change",
    }
)
"""What a template may use: ``lead`` is "New FAQ" in the page's language, ``link`` the address
as this network shows it (with tracking parameters), ``url`` the page's plain address,
``hashtags`` the ``#tag #tag`` line, ``tags`` the page's own tags (a list)."""

WITH_LINK = """{{ lead }}: {{ title }}
{%- if description %}

{{ description }}
{%- endif %}

{{ link }}
{%- if hashtags %}

{{ hashtags }}
{%- endif %}"""
"""Networks that show a link where the text has it (Mastodon, Bluesky, X, Slack, Discord)."""

WITH_CARD = """{{ lead }}: {{ title }}
{%- if description %}

{{ description }}
{%- endif %}
{%- if hashtags %}

{{ hashtags }}
{%- endif %}"""
"""Networks that show the link as a card below the text (Facebook, LinkedIn)."""

CARD_NETWORKS = frozenset({NetworkKind.FACEBOOK, NetworkKind.LINKEDIN})


def default_template(kind: NetworkKind) -> str:
    """The text a network gets unless its options have a ``template``."""
    return WITH_CARD if kind in CARD_NETWORKS else WITH_LINK


@cache
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


def template_problem(source: str) -> str | None:
    """Why ``source`` cannot be used (a syntax error with its line, or an unknown variable), or
    None when it can."""
    environment = _environment()
    try:
        tree = environment.parse(source)
    except TemplateSyntaxError as exc:
        return f"template line {exc.lineno}: {exc.message}"
    unknown = sorted(meta.find_undeclared_variables(tree) - VARIABLES)
    if unknown:
        known = ", ".join(sorted(VARIABLES))
        return f"the template uses {unknown[0]!r}, which is not one of {known}"
    return None


@cache
def compiled(source: str) -> Template:
    """``source`` ready to render (checked by :func:`template_problem` first)."""
    return _environment().from_string(source)


def render(source: str, variables: Mapping[str, Any]) -> str:
    """The template filled in, with blank lines beyond one removed and no space at its ends."""
    text = compiled(source).render(**variables)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept)
