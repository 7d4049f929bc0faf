"""Compose one announcement for one network: its text, link and hashtags, within its limit.

The text comes from the network's template (:mod:`carebase.announce.templates`) with words in
the page's language. When it is too long for the network it is shortened at word boundaries, in
this order: the description, then the hashtags (last first), then the title. The link is never
cut: a post whose link does not work is worse than no post.

A tracked link carries the item's revision as ``utm_content`` (what that parameter is for:
telling apart the contents that lead to one page), so that a post can be recognised by revision
and not only by page: an update of a FAQ links to the same page as its first announcement, and
must never be taken for it when an interrupted attempt is reconciled. Where ``utm: false`` the
link is the bare address, and a network's ``find()`` recognises the post by its exact text
instead (its lead, "New FAQ" or "Updated FAQ", and its title): two revisions whose posts read
the same are then one post to the network as to its followers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import regex
from jinja2 import TemplateError

from carebase.announce.length import LIMITS, graphemes, length
from carebase.announce.model import Item, Message, NetworkKind
from carebase.announce.settings import AnnounceSettings, MastodonOptions, NetworkOptions
from carebase.announce.templates import default_template, render
from carebase.errors import ProjectError

ELLIPSIS = "…"
REVISION_LENGTH = 12
"""Characters of the revision in ``utm_content``: short, and unique among a page's revisions."""
DISPLAY_LINK_LENGTH = 30
"""Bluesky shows a link as a short label (its facet points at the whole address)."""

LEADS: dict[str, dict[tuple[str, str], str]] = {
    "en": {
        ("faq", "new"): "New FAQ",
        ("faq", "updated"): "Updated FAQ",
        ("post", "new"): "New on the blog",
        ("post", "updated"): "Updated on the blog",
        ("notice", "new"): "Service notice",
        ("notice", "updated"): "Service notice updated",
    },
    "es": {
        ("faq", "new"): "Nueva pregunta frecuente",
        ("faq", "updated"): "Pregunta frecuente actualizada",
        ("post", "new"): "Nuevo en el blog",
        ("post", "updated"): "Actualizado en el blog",
        ("notice", "new"): "Aviso de servicio",
        ("notice", "updated"): "Aviso de servicio actualizado",
    },
    "de": {
        ("faq", "new"): "Neue FAQ",
        ("faq", "updated"): "FAQ aktualisiert",
        ("post", "new"): "Neu im Blog",
        ("post", "updated"): "Im Blog aktualisiert",
        ("notice", "new"): "Servicehinweis",
        ("notice", "updated"): "Servicehinweis aktualisiert",
    },
}
"""The first words of a post, by language, type and change (English for other languages)."""

_SPACE = regex.compile(r"\s+")
_NOT_IN_HASHTAG = regex.compile(r"[^\p{L}\p{N}_]+")


@dataclass(frozen=True)
class _Parts:
    title: str
    description: str
    hashtags: tuple[str, ...]


def lead(item: Item) -> str:
    """ "New FAQ" (or its like) in the item's language."""
    words = LEADS.get(item.lang.split("-")[0].lower(), LEADS["en"])
    return words.get((item.type, item.change.value), words[("faq", item.change.value)])


def tracked(url: str, source: str, campaign: str, revision: str = "") -> str:
    """``url`` with ``utm_source``, ``utm_medium=social``, ``utm_campaign`` and, given a
    ``revision``, ``utm_content`` (its first 12 characters); any earlier ``utm_*`` parameters
    replaced, its other parameters and fragment kept."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(key, value) for key, value in query if not key.startswith("utm_")]
    query += [("utm_source", source), ("utm_medium", "social"), ("utm_campaign", campaign)]
    if revision:
        query.append(("utm_content", revision_tag(revision)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def revision_tag(revision: str) -> str:
    """The revision as a link carries it."""
    return revision[:REVISION_LENGTH]


def display_link(url: str) -> str:
    """A short label for ``url``: host and path without the scheme or ``www.``, cut to 30."""
    parts = urlsplit(url)
    shown = parts.netloc.removeprefix("www.") + parts.path.rstrip("/")
    if graphemes(shown) <= DISPLAY_LINK_LENGTH:
        return shown
    clusters = regex.findall(r"\X", shown)
    return "".join(clusters[: DISPLAY_LINK_LENGTH - 1]) + ELLIPSIS


def hashtags_of(tags: Sequence[str]) -> tuple[str, ...]:
    """Tags as hashtags: letters, digits and underscores only, each once, in order."""
    cleaned = (_NOT_IN_HASHTAG.sub("", tag) for tag in tags)
    return tuple(dict.fromkeys(tag for tag in cleaned if tag))


def limit_of(options: NetworkOptions) -> int:
    """How long a post may be on this account."""
    if isinstance(options, MastodonOptions):
        return options.limit
    return LIMITS[options.kind]


def compose(
    item: Item, options: NetworkOptions, settings: AnnounceSettings, network: str
) -> Message:
    """The post of ``item`` for the account ``network`` (configured by ``options``)."""
    # A staff template was checked when the options were read (settings._template_works).
    source = options.template or default_template(options.kind)
    link = item.url
    if options.utm:
        link = tracked(item.url, options.kind.value, settings.utm_campaign, item.revision)
    shown = display_link(link) if options.kind is NetworkKind.BLUESKY else link
    limit = limit_of(options)
    fixed = {
        "lead": lead(item),
        "link": shown,
        "url": item.url,
        "tags": list(item.tags),
        "category": item.category,
        "lang": item.lang,
        "type": item.type,
        "change": item.change.value,
    }

    def text_of(parts: _Parts) -> str:
        hashtags = " ".join(f"#{tag}" for tag in parts.hashtags)
        variables = {**fixed, "title": parts.title, "description": parts.description}
        try:
            return render(source, {**variables, "hashtags": hashtags})
        except TemplateError as exc:
            raise ProjectError(_where(network, f"the template failed: {exc}")) from exc

    def fits(parts: _Parts) -> bool:
        return length(options.kind, text_of(parts)) <= limit

    tags = options.hashtags if options.hashtags is not None else settings.hashtags
    whole = _Parts(_clean(item.title), _clean(item.description), hashtags_of(tags))
    parts = shortened(whole, fits)
    if parts is None:
        raise ProjectError(
            _where(network, f"its template leaves no room for a title within {limit} characters")
        )
    text = text_of(parts)
    return Message(
        item_id=item.id,
        revision=item.revision,
        network=network,
        kind=options.kind,
        text=text,
        link=link,
        title=whole.title,
        description=whole.description,
        lang=item.lang,
        length=length(options.kind, text),
        limit=limit,
        link_text=shown if shown in text else "",
        hashtags=parts.hashtags if any(f"#{tag}" in text for tag in parts.hashtags) else (),
    )


def shortened(whole: _Parts, fits: Callable[[_Parts], bool]) -> _Parts | None:
    """``whole`` or the longest shortening of it that fits; None when not even a cut title does."""
    if fits(whole):
        return whole
    description = cut_to_fit(
        whole.description, lambda d: fits(replace(whole, description=d)), inside_words=False
    )
    if description:
        return replace(whole, description=description)
    bare = replace(whole, description="")
    for count in range(len(whole.hashtags) - 1, -1, -1):
        fewer = replace(bare, hashtags=whole.hashtags[:count])
        if fits(fewer):
            return fewer
    plain = replace(bare, hashtags=())
    title = cut_to_fit(whole.title, lambda t: fits(replace(plain, title=t)))
    return replace(plain, title=title) if title else None


def cut_to_fit(text: str, fits: Callable[[str], bool], *, inside_words: bool = True) -> str:
    """The longest ``text`` cut at a word boundary (inside a word only when the first word is
    too long and ``inside_words``) and ended with "…" for which ``fits`` holds; empty when none
    does."""
    words = text.split(" ")
    if len(words) == 1 and not inside_words:
        return ""
    pieces = words if len(words) > 1 else regex.findall(r"\X", text)
    joiner = " " if len(words) > 1 else ""

    def attempt(count: int) -> str:
        return joiner.join(pieces[:count]).rstrip(" ,;:.-–—") + ELLIPSIS

    low, high = 0, len(pieces) - 1  # the most pieces known to fit, the most worth trying
    while low < high:
        middle = (low + high + 1) // 2
        if fits(attempt(middle)):
            low = middle
        else:
            high = middle - 1
    if low == 0 and len(words) > 1 and inside_words:
        return cut_to_fit(words[0], fits)
    return attempt(low) if low else ""


def preview(message: Message) -> str:
    """The post as a person reviewing it wants to see it: where, how long, then its text."""
    head = f"── {message.network} · {message.item_id} · {message.length}/{message.limit} characters"
    body = "\n".join(f"   {line}" if line else "" for line in message.text.splitlines())
    if message.link not in message.text:
        body += f"\n   [link card: {message.link}]"
    return f"{head}\n{body}"


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _where(network: str, problem: str) -> str:
    return (
        f"mkdocs.yml: plugins.carebase/announce: network {network!r}: {problem}\n"
        "    hint: see the 'Announcing on social networks' section of the README"
    )
