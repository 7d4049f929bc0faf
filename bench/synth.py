"""A synthetic help centre of N articles in Carebase's content format, for benchmarks.

    python bench/synth.py --articles 2000 --out /tmp/hc-2000 [--seed 1]

writes a complete project: ``mkdocs.yml`` (the repository's, with its theme copied beside
it) and ``content/`` with categories, authors, a blog, home and knowledge-base index
pages, and N articles: how-tos, FAQs (~10 %), imported community threads (~30 %, under
``kb/<category>/community/``), ~10 % also in Spanish and German. Every link and ``related``
entry points at an article that exists, so ``carebase check`` finds no errors.

The output is a pure function of N and the seed: one ``random.Random(seed)`` drives every
choice, in a fixed order, and nothing depends on the clock, hash order or the file system.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import json
import posixpath
import random
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import words as W  # a sibling module, importable however this file is run

REPO = Path(__file__).resolve().parents[1]
MARKER = ".carebase-synth"
# What builds run "as of": notices and stale flags depend on it (see carebase.clock).
BUILD_EPOCH = int(dt.datetime(2026, 11, 23, tzinfo=dt.UTC).timestamp())
AUTHORS = ("priya", "tomasz", "amara")
LANGS = ("en", "es", "de")
IMPORTED_AT = "2026-11-01T00:00:00Z"

SHARE_COMMUNITY = 0.30
SHARE_FAQ = 0.10
SHARE_TRANSLATED = 0.10
SHARE_PROMOTED = 0.01
SHARE_RELATED = 0.15
SHARE_TABLE = 0.20
N_POSTS = 20
N_TAGS = 150
STREAM_SIZE = 1 << 19
TABLE_SIZE = 1 << 16


# --- vocabulary ----------------------------------------------------------------------------


def _zipf(count: int, exponent: float = 1.0) -> list[float]:
    """Cumulative Zipf weights: a few words are everywhere, most are rare, as in prose."""
    total, cumulative = 0.0, []
    for rank in range(count):
        total += 1.0 / (rank + 2) ** exponent
        cumulative.append(total)
    return cumulative


def _made_up_words(rng: random.Random, syllables: list[str], count: int) -> list[str]:
    """Pseudo-words for the long tail of the vocabulary, distinct and in a fixed order."""
    found: dict[str, None] = {}
    while len(found) < count:
        found["".join(rng.choices(syllables, k=rng.randint(2, 4)))] = None
    return list(found)


class Vocabulary:
    """The words of one language, most frequent first, with Zipf weights for sampling."""

    def __init__(self, rng: random.Random, lang: str, core: list[str], tail: int) -> None:
        self.lang = lang
        words = list(dict.fromkeys(core))
        words += [w for w in _made_up_words(rng, W.SYLLABLES[lang], tail) if w not in core]
        self.words = words
        # Prose is cut from one long stream of Zipf-distributed words, one random draw per
        # sentence: sampling each word costs ~1 µs, which is most of the time at 20,000
        # articles. Each position is reused a few times; word frequencies stay Zipfian.
        # Weights baked into a table by repetition: uniform draws from it skip the bisection
        # weighted `choices` does for every word.
        weights = [1.0 / (rank + 2) for rank in range(len(words))]
        scale = TABLE_SIZE / sum(weights)
        table = [
            word
            for word, weight in zip(words, weights, strict=True)
            for _ in range(round(weight * scale) or 1)
        ]
        self.stream = rng.choices(table, k=STREAM_SIZE)


def _vocabularies(rng: random.Random) -> dict[str, Vocabulary]:
    english = W.EN_COMMON + W.EN_BODY + [n.replace("-", " ") for n in W.EN_NOUNS]
    return {
        "en": Vocabulary(rng, "en", english, 3000),
        "es": Vocabulary(rng, "es", W.ES_WORDS, 1500),
        "de": Vocabulary(rng, "de", W.DE_WORDS, 1500),
    }


# --- the plan: which articles exist, where, with which title -------------------------------


@dataclass
class Entry:
    """One planned article: its place, kind, title and the front matter decided up front."""

    number: int
    path: str
    category: str
    slug: str
    kind: str  # "article", "faq" or "community"
    title: str
    tags: list[str]
    translated: bool = False
    promoted: bool = False
    titles: dict[str, str] = field(default_factory=dict)


def slugify(title: str) -> str:
    """Lowercase words joined by hyphens: the file name, and so the URL, of an article."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _display(word: str) -> str:
    return word.replace("-", " ")


def _article_title(rng: random.Random) -> str:
    verb, adj = _display(rng.choice(W.EN_VERBS)), rng.choice(W.EN_ADJS)
    noun, other = _display(rng.choice(W.EN_NOUNS)), _display(rng.choice(W.EN_NOUNS))
    prep = rng.choice(W.EN_PREPS)
    pattern = rng.randrange(4)
    if pattern == 0:
        return f"{verb.capitalize()} your {adj} {noun}"
    if pattern == 1:
        return f"{verb.capitalize()} the {noun} {prep} your {other}"
    if pattern == 2:
        return f"How to {verb} your {noun} {prep} the {adj} {other}"
    return f"{adj.capitalize()} {noun} {prep} {other} explained"


def _faq_title(rng: random.Random) -> str:
    verb, adj = _display(rng.choice(W.EN_VERBS)), rng.choice(W.EN_ADJS)
    noun, other = _display(rng.choice(W.EN_NOUNS)), _display(rng.choice(W.EN_NOUNS))
    pattern = rng.randrange(4)
    if pattern == 0:
        return f"How do I {verb} my {adj} {noun}?"
    if pattern == 1:
        return f"Can I {verb} my {noun} {rng.choice(W.EN_PREPS)} a {adj} {other}?"
    if pattern == 2:
        return f"Why is my {adj} {noun} {rng.choice(W.EN_STATES)}?"
    return f"What happens to my {noun} if I {verb} my {other}?"


def _thread_title(rng: random.Random) -> str:
    device, state = rng.choice(W.EN_DEVICES), rng.choice(W.EN_STATES)
    noun, adj = _display(rng.choice(W.EN_NOUNS)), rng.choice(W.EN_ADJS)
    pattern = rng.randrange(3)
    if pattern == 0:
        return f"{device} {state} after {adj} {noun} change"
    if pattern == 1:
        return f"Can't {_display(rng.choice(W.EN_VERBS))} {adj} {noun} on {device}"
    return f"{noun.capitalize()} {state} with {device} since the {adj} update"


def _translated_title(rng: random.Random, lang: str, vocab: Vocabulary) -> str:
    starters = W.ES_TITLE_VERBS if lang == "es" else W.DE_TITLE_VERBS
    body = rng.choices(vocab.words[:400], k=rng.randint(2, 4))
    return " ".join([rng.choice(starters).replace("-", " "), *body])


def _unique(make: Callable[[], str], seen: set[str]) -> str:
    """A title from ``make`` not yet in ``seen``; numbered once retries keep colliding."""
    for _ in range(8):
        value = make()
        if value.casefold() not in seen:
            seen.add(value.casefold())
            return value
    base, number = make(), 2
    while f"{base} {number}".casefold() in seen:
        number += 1
    seen.add(f"{base} {number}".casefold())
    return f"{base} {number}"


TITLE_MAKERS: dict[str, Callable[[random.Random], str]] = {
    "article": _article_title,
    "faq": _faq_title,
    "community": _thread_title,
}


def plan(rng: random.Random, count: int, vocab: dict[str, Vocabulary]) -> list[Entry]:
    """Decide every article's category, kind, title, slug and tags, before writing any."""
    categories = [c[0] for c in W.CATEGORIES]
    category_weights = _zipf(len(categories), 0.5)
    tags = [slugify(n) for n in W.EN_NOUNS][:N_TAGS]
    tag_weights = _zipf(len(tags), 0.9)
    titles: dict[str, set[str]] = {lang: set() for lang in LANGS}
    slugs: set[str] = set()
    entries = []
    for number in range(count):
        draw = rng.random()
        kind = (
            "community"
            if draw < SHARE_COMMUNITY
            else "faq"
            if draw < SHARE_COMMUNITY + SHARE_FAQ
            else "article"
        )
        category = rng.choices(categories, cum_weights=category_weights)[0]
        title = _unique(functools.partial(TITLE_MAKERS[kind], rng), titles["en"])
        slug = slugify(title)
        if slug in slugs or re.fullmatch(r"index|faq|faq-\d+|page", slug):
            slug = f"{slug}-{number}"
        slugs.add(slug)
        folder = f"kb/{category}/community" if kind == "community" else f"kb/{category}"
        picked = rng.choices(tags, cum_weights=tag_weights, k=rng.randint(1, 4))
        entry = Entry(
            number, f"{folder}/{slug}.md", category, slug, kind, title, list(dict.fromkeys(picked))
        )
        if kind != "community":
            # Shares of all articles, drawn among the 70 % that are written by staff.
            staff = 1 - SHARE_COMMUNITY
            entry.promoted = rng.random() < SHARE_PROMOTED / staff
            entry.translated = rng.random() < SHARE_TRANSLATED / staff
        entry.titles["en"] = title
        if entry.translated:
            for lang in LANGS[1:]:
                make = functools.partial(_translated_title, rng, lang, vocab[lang])
                entry.titles[lang] = _unique(make, titles[lang])
        entries.append(entry)
    return entries


# --- prose ---------------------------------------------------------------------------------


class Writer:
    """Markdown blocks in one language, counting the words it writes."""

    def __init__(self, rng: random.Random, vocab: Vocabulary) -> None:
        self.rng = rng
        self.vocab = vocab
        self.lang = vocab.lang
        self.words = 0

    def between(self, low: int, high: int) -> int:
        """``randint``, at a quarter of the cost: it is called for every sentence."""
        return low + int(self.rng.random() * (high - low + 1))

    def _pick(self, count: int) -> list[str]:
        self.words += count
        start = int(self.rng.random() * (STREAM_SIZE - count))
        return self.vocab.stream[start : start + count]

    def phrase(self, low: int, high: int) -> str:
        """A capitalised run of words without a full stop: headings, cells, list items."""
        text = " ".join(self._pick(self.between(low, high)))
        return text[:1].upper() + text[1:]

    def sentence(self, low: int = 7, high: int = 18) -> str:
        """One sentence; now and then with a bold or code span, as staff write them."""
        words = self._pick(self.between(low, high))
        style = self.rng.random()
        if style < 0.08:
            spot = self.rng.randrange(1, len(words))
            words[spot] = f"**{words[spot]}**"
        elif style < 0.11:
            spot = self.rng.randrange(1, len(words))
            words[spot] = f"`{words[spot]}`"
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "."

    def paragraph(self, low: int = 2, high: int = 5) -> str:
        return " ".join(self.sentence() for _ in range(self.between(low, high)))

    def heading(self, level: int = 2) -> str:
        return "#" * level + " " + self.phrase(2, 6)

    def numbered(self) -> str:
        steps = self.between(3, 7)
        return "\n".join(f"{n}. {self.sentence(5, 14)}" for n in range(1, steps + 1))

    def bullets(self) -> str:
        return "\n".join(f"- {self.sentence(4, 12)}" for _ in range(self.between(3, 6)))

    def admonition(self) -> str:
        kind, title = self.rng.choice(W.ADMONITIONS[self.lang])
        head = f'!!! {kind} "{title}"' if title else f"!!! {kind}"
        paragraphs = [self.paragraph(1, 3) for _ in range(self.between(1, 2))]
        return head + "\n" + "\n\n".join(f"    {p}" for p in paragraphs)

    def code(self) -> str:
        rng = self.rng
        host = f"192.168.{rng.randint(0, 9)}.{rng.randint(1, 254)}"
        lines = rng.sample(
            [
                f"ping -c 4 {host}",
                f"tracert {host}",
                "ipconfig /all",
                "nslookup help.brightwave.example",
                f"hub> status --port {rng.randint(1, 4)}",
                f"hub> wifi channel {rng.choice([1, 6, 11, 36, 44, 149])}",
                f"hub> reboot --delay {rng.randint(5, 60)}",
                f"ERROR {rng.randint(100, 999)}: {self.phrase(2, 5).lower()}",
                f"SYNC {rng.randint(40, 900)} Mbps / {rng.randint(10, 110)} Mbps",
                f"PIN {rng.randint(1000, 9999)}  PUK {rng.randint(10**7, 10**8 - 1)}",
            ],
            k=rng.randint(2, 6),
        )
        info = rng.choice(["text", "console", "bash"])
        return f"```{info}\n" + "\n".join(lines) + "\n```"

    def table(self) -> str:
        columns = self.between(2, 4)
        head = [self.phrase(1, 2) for _ in range(columns)]
        rows = [[self.phrase(1, 4) for _ in range(columns)] for _ in range(self.between(2, 6))]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * columns]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)


def _link_sentence(lang: str, title: str, target: str) -> str:
    return f"{W.SEE_ALSO[lang]} [{title}]({target}) {W.MORE[lang]}."


def _add_links(
    rng: random.Random, blocks: list[str], paragraphs: list[int], links: list[str]
) -> None:
    """Append each link sentence to a paragraph picked at random."""
    for link in links:
        spot = rng.choice(paragraphs)
        blocks[spot] = f"{blocks[spot]} {link}"


def article_body(writer: Writer, target_words: int, links: list[str], table: bool) -> str:
    """A how-to: intro, sections with lists, an admonition, maybe code and a table."""
    rng = writer.rng
    extras = ["numbered", "bullets"]
    extras += ["admonition"] if rng.random() < 0.75 else []
    extras += ["code"] if rng.random() < 0.5 else []
    extras += ["table"] if table else []
    rng.shuffle(extras)
    blocks = [writer.paragraph()]
    paragraphs = [0]
    while writer.words < target_words or extras:
        blocks.append(writer.heading(3 if rng.random() < 0.15 else 2))
        paragraphs.append(len(blocks))
        blocks.append(writer.paragraph())
        if extras:
            blocks.append(getattr(writer, extras.pop())())
        if rng.random() < 0.5 and writer.words < target_words:
            paragraphs.append(len(blocks))
            blocks.append(writer.paragraph(1, 3))
    _add_links(rng, blocks, paragraphs, links)
    return "\n\n".join(blocks) + "\n"


def faq_body(writer: Writer, links: list[str]) -> str:
    """A short answer: one or two paragraphs, sometimes a few steps."""
    blocks = [writer.paragraph(2, 4)]
    if writer.rng.random() < 0.3:
        blocks.append(writer.numbered())
    if writer.rng.random() < 0.5:
        blocks.append(writer.paragraph(1, 3))
    _add_links(writer.rng, blocks, [0], links)
    return "\n\n".join(blocks) + "\n"


def thread_body(writer: Writer, target_words: int, links: list[str]) -> str:
    """An imported community thread: the question, the accepted answer, other replies."""
    rng = writer.rng
    blocks = [writer.paragraph(2, 4)]
    if rng.random() < 0.3:
        blocks.append(writer.code())
    blocks += ["## Accepted answer", writer.paragraph(2, 5)]
    paragraphs = [0, len(blocks) - 1]
    if rng.random() < 0.5:
        blocks.append(writer.numbered())
    blocks.append("## Other replies")
    replies = rng.randint(2, 4)
    for reply in range(replies):
        blocks.append(f"### {rng.choice(W.FIRST_NAMES)}{rng.randint(1, 999)}")
        paragraphs.append(len(blocks))
        # Each reply takes its share of the words still to write.
        budget = writer.words + (target_words - writer.words) // (replies - reply)
        blocks.append(writer.paragraph(1, 4))
        while writer.words < budget:
            blocks.append(writer.paragraph(2, 5))
    _add_links(rng, blocks, paragraphs, links)
    return "\n\n".join(blocks) + "\n"


# --- front matter --------------------------------------------------------------------------


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _date(rng: random.Random, start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(days))


def _relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source))


@dataclass
class Shared:
    """Front matter and links decided once for an article and all its translations."""

    lines: list[str]
    links: list[tuple[Entry, str]]
    words: int
    table: bool


def shared_parts(rng: random.Random, entry: Entry, entries: list[Entry]) -> Shared:
    """Tags, owner, review dates, links: what the English file and translations share."""
    lines = [f"tags: [{', '.join(entry.tags)}]"]
    if entry.kind != "community":
        lines.append(f"type: {'faq' if entry.kind == 'faq' else 'article'}")
        lines.append(f"owner: {rng.choice(AUTHORS)}")
        # Checked within the last 300 days, mostly yearly: about one in six is past due.
        lines.append(f"reviewed: {_date(rng, dt.date(2026, 1, 24), 300).isoformat()}")
        lines.append(f"review_every: {rng.choice(['180d', '6m', '1y', '1y', '2y'])}")
        if entry.promoted:
            lines.append("promoted: true")
        if rng.random() < SHARE_RELATED:
            picks = [rng.choice(entries) for _ in range(rng.randint(1, 2))]
            related = [_relative(entry.path, p.path) for p in picks if p is not entry]
            if related:
                lines.append(f"related: [{', '.join(dict.fromkeys(related))}]")
        if rng.random() < 0.4:
            products = rng.sample(["broadband", "mobile", "home-phone", "tv"], rng.randint(1, 2))
            lines.append(f"products: [{', '.join(products)}]")
    targets = [rng.choice(entries) for _ in range(rng.randint(1, 3))]
    links = [(t, _relative(entry.path, t.path)) for t in targets if t is not entry]
    words = 0 if entry.kind == "faq" else rng.randint(300, 900)
    return Shared(lines, links, words, rng.random() < SHARE_TABLE)


def source_lines(rng: random.Random, entry: Entry, body: str) -> list[str]:
    """Provenance an importer writes: where the thread came from and a hash of the body."""
    thread = str(100000 + entry.number * 10 + rng.randrange(10))
    return [
        "source:",
        "  kind: discourse",
        f"  url: https://community.example.com/t/{entry.slug}/{thread}",
        f'  id: "{thread}"',
        "  accepted_post: 3",
        f"  imported_at: {IMPORTED_AT}",
        f"  content_hash: {hashlib.sha256(body.encode('utf-8')).hexdigest()}",
    ]


def render(rng: random.Random, entry: Entry, lang: str, shared: Shared, vocab: Vocabulary) -> str:
    """One article file in one language: front matter, then the body."""
    writer = Writer(rng, vocab)
    links = [_link_sentence(lang, t.titles.get(lang, t.title), rel) for t, rel in shared.links]
    if entry.kind == "faq":
        body = faq_body(writer, links)
    elif entry.kind == "community":
        body = thread_body(writer, shared.words, links)
    else:
        body = article_body(writer, shared.words, links, shared.table)
    description = writer.phrase(8, 20) + "."
    head = [f"title: {q(entry.titles[lang])}", f"description: {q(description)}", *shared.lines]
    if entry.kind == "community":
        head += source_lines(rng, entry, body)
    return "---\n" + "\n".join(head) + "\n---\n\n" + body


# --- the rest of the project ---------------------------------------------------------------


def categories_yml() -> str:
    lines = []
    for order, (folder, icon, en, es, de) in enumerate(W.CATEGORIES, start=1):
        lines += [
            f"{folder}:",
            f"  title: {q(en)}",
            f"  description: {q(f'Guides and answers about {en.lower()}.')}",
            f"  icon: material/{icon}",
            f"  order: {order}",
            "  translations:",
            f"    es: {{title: {q(es)}, description: {q(f'Guías y respuestas: {es.lower()}.')}}}",
            f"    de: {{title: {q(de)}, description: {q(f'Anleitungen und Antworten: {de}.')}}}",
        ]
    return "\n".join(lines) + "\n"


AUTHORS_YML = """authors:
  priya:
    name: Priya Sharma
    description: Head of Customer Care
    avatar: assets/authors/priya.svg
  tomasz:
    name: Tomasz Nowak
    description: Network Operations
    avatar: assets/authors/tomasz.svg
  amara:
    name: Amara Okafor
    description: Mobile Product Specialist
    avatar: assets/authors/amara.svg
"""

HOME = {
    "en": ("Synthetic Help Centre", "Quick answers about your bill, broadband and mobile."),
    "es": ("Centro de ayuda sintético", "Respuestas rápidas sobre tu factura y tu móvil."),
    "de": ("Synthetisches Hilfe-Center", "Schnelle Antworten zu Rechnung und Mobilfunk."),
}
KB_INDEX = {
    "en": ("Knowledge base", "Step-by-step guides written by the customer care team."),
    "es": ("Base de conocimientos", "Guías paso a paso escritas por el equipo de atención."),
    "de": ("Wissensdatenbank", "Schritt-für-Schritt-Anleitungen des Kundenservice-Teams."),
}


def _suffix(lang: str) -> str:
    return "" if lang == "en" else f".{lang}"


def fixed_pages() -> dict[str, str]:
    """Home, knowledge-base index, blog index and the data files."""
    files = {
        "kb/.categories.yml": categories_yml(),
        "blog/.authors.yml": AUTHORS_YML,
        "blog/index.md": "---\ntitle: Blog\n---\n",
    }
    for lang in LANGS:
        title, text = HOME[lang]
        files[f"index{_suffix(lang)}.md"] = (
            f"---\ntitle: {q(title)}\ntemplate: carebase/home.html\n"
            f"hide: [navigation, toc]\n---\n\n{text}\n"
        )
        title, text = KB_INDEX[lang]
        files[f"kb/index{_suffix(lang)}.md"] = (
            f"---\ntitle: {q(title)}\ntemplate: carebase/kb-index.html\n---\n\n{text}\n"
        )
    return files


def posts(rng: random.Random, entries: list[Entry], vocab: Vocabulary) -> dict[str, str]:
    """Staff blog posts: news, tips and service status, one notice active at BUILD_EPOCH."""
    files: dict[str, str] = {}
    seen: set[str] = set()
    kinds = ["News", "Tips", "Service status"]
    for number in range(N_POSTS):
        title = _unique(functools.partial(_article_title, rng), seen)
        slug = slugify(title)
        path = f"blog/posts/{slug}.md"
        category = kinds[number % 3]
        created = dt.date(2026, 1, 5) + dt.timedelta(days=number * 16 + rng.randrange(10))
        writer = Writer(rng, vocab)
        blocks = [writer.paragraph(2, 3), "<!-- more -->"]
        while writer.words < rng.randint(200, 500):
            blocks += [writer.heading(), writer.paragraph()]
        for target in [rng.choice(entries) for _ in range(rng.randint(1, 2))]:
            blocks.append(_link_sentence("en", target.title, _relative(path, target.path)))
        head = [
            f"title: {q(title)}",
            # Material's long form: mkdocs-rss-plugin reads `date.created` without git.
            f"date:\n  created: {created.isoformat()}",
            f"authors: [{rng.choice(AUTHORS)}]",
            f"categories: [{category}]",
            f"tags: [{', '.join(sorted({slugify(rng.choice(W.EN_NOUNS)) for _ in range(2)}))}]",
            f"description: {q(writer.phrase(8, 16) + '.')}",
        ]
        if number == N_POSTS - 1:  # Ongoing at BUILD_EPOCH: a banner on every page.
            head.append(
                'notice: {severity: warning, starts: 2026-11-20T08:00:00Z, summary: "Planned'
                ' maintenance on the mobile network overnight."}'
            )
        elif category == "Service status":
            start = f"{created.isoformat()}T07:00:00Z"
            end = f"{(created + dt.timedelta(days=1)).isoformat()}T18:00:00Z"
            head.append(f"notice: {{severity: info, starts: {start}, ends: {end}}}")
        files[path] = "---\n" + "\n".join(head) + "\n---\n\n" + "\n\n".join(blocks) + "\n"
    return files


def mkdocs_yml(repo: Path = REPO) -> str:
    """The repository's config, with any ``hooks`` made absolute.

    Everything else is copied as written, so the synthetic site builds with the plugins and
    settings of the repository; its theme is copied beside it (see :func:`theme_folder`), as a
    ``custom_dir`` outside the project is refused.
    """
    lines = (repo / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    in_hooks = False
    for number, line in enumerate(lines):
        hook = re.fullmatch(r"(\s*-\s*)(.+?)\s*", line) if in_hooks else None
        if hook:
            lines[number] = hook[1] + q(str((repo / hook[2].strip("'\"")).resolve()))
        if line and not line[0].isspace():
            in_hooks = line.startswith("hooks:")
    return "\n".join(lines) + "\n"


def theme_folder(repo: Path = REPO) -> str:
    """The repository's ``theme.custom_dir``, as written in its mkdocs.yml."""
    text = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    custom = re.search(r"^\s+custom_dir:\s*(.+?)\s*$", text, re.MULTILINE)
    if custom is None:
        raise SystemExit("synth: the repository's mkdocs.yml has no theme.custom_dir")
    return custom[1].strip("'\"")


# --- writing -------------------------------------------------------------------------------


def generate(count: int, seed: int = 1) -> dict[str, str]:
    """Every content file of the synthetic site, by path relative to ``content/``."""
    rng = random.Random(seed)
    vocab = _vocabularies(rng)
    entries = plan(rng, count, vocab)
    files = fixed_pages()
    for entry in entries:
        shared = shared_parts(rng, entry, entries)
        files[entry.path] = render(rng, entry, "en", shared, vocab["en"])
        if entry.translated:
            for lang in LANGS[1:]:
                stem = entry.path.removesuffix(".md")
                files[f"{stem}.{lang}.md"] = render(rng, entry, lang, shared, vocab[lang])
    files.update(posts(rng, entries, vocab["en"]))
    return files


def prepare(out: Path) -> None:
    """Make ``out`` ready: create it, or empty one written by this script earlier."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SystemExit(f"synth: {out} is not empty and was not written by synth; refusing")
    for name in ("content", "mkdocs.yml", theme_folder()):
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by bench/synth.py\n", encoding="utf-8")


def write_site(count: int, out: Path, seed: int = 1) -> dict[str, str]:
    """Write the project into ``out``; returns the content files written."""
    prepare(out)
    files = generate(count, seed)
    (out / "mkdocs.yml").write_text(mkdocs_yml(), encoding="utf-8")
    shutil.copytree(REPO / theme_folder(), out / theme_folder())
    content = out / "content"
    made: set[Path] = set()
    for rel, text in files.items():
        path = content / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(text.encode("utf-8"))
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="how many articles (N)")
    parser.add_argument("--out", type=Path, required=True, help="project folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    files = write_site(args.articles, args.out, args.seed)
    articles = sum(1 for rel in files if rel.startswith("kb/") and rel.count("/") >= 2)
    print(f"files={len(files)}")
    print(f"article_files={articles}")
    print(f"content_mb={sum(len(t.encode()) for t in files.values()) / 2**20:.1f}")
    print(f"synth_s={time.perf_counter() - started:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
