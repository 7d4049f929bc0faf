"""Solved topics of a Discourse forum, read through its public JSON API.

The list ``/latest.json?solved=yes`` (the discourse-solved plugin's filter) holds solved
topics 30 a page, newest ``bumped_at`` first, pinned topics ahead of the rest. Each topic
becomes a :class:`~carebase.importers.model.Thread` from ``/t/{id}.json`` (its first 20 posts
and the ids of all of them) and ``/t/{id}/posts.json`` for the rest, 20 at a time, several
topics at once while the list is read ahead. Requests go through :mod:`.discourse_api`, which
retries and honours rate limits.

Only what anyone may read is imported: never whispers, hidden or deleted posts, unlisted
topics, personal messages or topics of private categories, even when an API key lets us see
them. A topic listed (or fetched) in such a state becomes a :class:`Removal`.

Incremental sync pages the list only until it meets a topic bumped no later than the cursor
(the newest ``bumped_at`` of the last complete run): an unchanged forum costs one request.
A topic that merely leaves the solved list (un-accepted, deleted, moved out of sight without
a bump) is not seen that way; ``full`` runs return every published id from
:meth:`DiscourseSource.known_ids`, and the engine removes the others.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from carebase.announce.secrets import header_safe
from carebase.importers.discourse_api import (
    ATTEMPTS,
    GONE,
    DiscourseApi,
    DiscourseError,
    Gone,
    Politeness,
)
from carebase.importers.model import Change, Cursor, Post, Removal, Thread
from carebase.importers.settings import ENV, IMPORT_PLUGIN, DiscourseOptions, discourse_url
from carebase.models import SourceKind
from carebase.redaction import remember

Json = dict[str, Any]

LINKED_TOPICS = 5
"""Most topics that link to a topic whose titles become its article's ``questions``."""
POST_BATCH = 20
"""Post ids per ``/t/{id}/posts.json`` request: what Discourse sends with a topic, too."""
REGULAR_POST = 1
"""``post_type`` of what people wrote; 2 and 3 are staff notes and actions, 4 whispers."""
_SKIPPED_IMAGES = {"emoji", "avatar", "site-icon"}
"""Decoration, not content: Discourse marks its emoji and avatars with these classes."""


@dataclass(frozen=True)
class _Category:
    slug: str
    private: bool
    parent: int | None = None


@dataclass
class _Run:
    """What one iteration of :meth:`DiscourseSource.changes` saw."""

    since: Cursor
    full: bool
    newest: datetime | None = None
    complete: bool = False
    published: set[str] = field(default_factory=set)
    listed: set[int] = field(default_factory=set)

    def saw(self, bumped: datetime) -> None:
        if self.newest is None or bumped > self.newest:
            self.newest = bumped


class DiscourseSource:
    """Solved, public topics of one Discourse forum (see the module's docstring)."""

    kind = SourceKind.DISCOURSE

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        api_username: str | None = None,
        categories: Sequence[str] = (),
        concurrency: int = 4,
        timeout: float = 20.0,
        attempts: int = ATTEMPTS,
        backoff: float = 0.5,
    ) -> None:
        self.base = _base_url(url)
        self.categories = frozenset(categories)
        self.concurrency = max(1, concurrency)
        self.politeness = Politeness(timeout, max(1, attempts), backoff)
        self.requests_made = 0
        """HTTP requests sent so far, retries included (for the benchmark)."""
        self._headers = {"Accept": "application/json", "User-Agent": "carebase-importer"}
        if api_key:
            remember(api_key)
            self._headers["Api-Key"] = api_key
            if api_username:
                self._headers["Api-Username"] = api_username
        self._count_lock = threading.Lock()
        self._categories_lock = threading.Lock()
        self._run: _Run | None = None
        self._categories: dict[int, _Category] | None = None
        self._titles: dict[str, str | None] = {}
        """Topics read this run: their title when anyone may read it, else None."""
        self._titles_lock = threading.Lock()

    @classmethod
    def from_settings(
        cls, options: DiscourseOptions | None, env: Mapping[str, str]
    ) -> DiscourseSource:
        """The forum of ``mkdocs.yml`` (or ``CAREBASE_DISCOURSE_URL``), keys from ``env``."""
        url = discourse_url(options, env)
        if not url:
            raise DiscourseError(
                f"No Discourse forum to import from: set 'url' under "
                f"plugins.{IMPORT_PLUGIN}.discourse in mkdocs.yml, or the "
                f"{ENV['discourse_url']} environment variable"
            )
        api_key = _header_env(env, ENV["discourse_api_key"])
        api_username = _header_env(env, ENV["discourse_api_username"])
        if api_username and not api_key:
            raise DiscourseError(
                f"{ENV['discourse_api_username']} is set but {ENV['discourse_api_key']} is not: "
                "set both to read the forum as that user, or neither to read it anonymously"
            )
        options = options or DiscourseOptions()
        return cls(
            url,
            api_key=api_key,
            api_username=api_username,
            categories=options.categories,
            concurrency=options.concurrency,
            timeout=options.timeout,
        )

    # The ThreadSource protocol.

    def changes(self, since: Cursor, *, full: bool, limit: int | None) -> Iterator[Change]:
        """Solved topics bumped after ``since`` (all of them when ``full``), and removals.

        ``limit`` caps the threads yielded; a run cut short by it keeps the old cursor (the
        topics it did not reach are older than those it did) and knows no complete id set.
        """
        run = _Run(since, full)
        self._run = run
        self._categories = None
        self._titles = {}
        after = None if full else _cursor_time(since)
        if limit is not None and limit <= 0:
            return
        yielded = 0
        with self._client() as client, closing(self._in_order(client, run, after)) as found:
            for change in found:
                if isinstance(change, Thread):
                    run.published.add(change.id)
                    yielded += 1
                yield change
                if limit is not None and yielded >= limit:
                    return
        run.complete = True

    def cursor(self) -> Cursor:
        """The newest ``bumped_at`` listed, once a run went through; else the old cursor."""
        run = self._run
        if run is None:
            return Cursor()
        if not run.complete or run.newest is None:
            return run.since
        return Cursor(run.newest.isoformat().replace("+00:00", "Z"))

    def known_ids(self) -> set[str] | None:
        """After a complete ``full`` run: every topic id published upstream."""
        run = self._run
        if run is None or not (run.full and run.complete):
            return None
        return set(run.published)

    # Listing and fetching.

    def _client(self) -> DiscourseApi:
        # One more connection than workers: the listing runs ahead of them.
        return DiscourseApi(
            self.base,
            self._headers,
            self.politeness,
            connections=self.concurrency + 1,
            counted=self._counted,
        )

    def _counted(self) -> None:
        with self._count_lock:
            self.requests_made += 1

    def _listing(self, client: DiscourseApi, run: _Run, after: datetime | None) -> Iterator[Json]:
        """Topics of the solved list, newest first, down to the first one not after ``after``."""
        page: str | None = "/latest.json?solved=yes"
        while page is not None:
            topic_list = client.get(page).get("topic_list") or {}
            for item in topic_list.get("topics") or []:
                bumped = _bumped(item)
                run.saw(bumped)
                if after is not None and bumped <= after:
                    if item.get("pinned"):
                        continue  # Pinned topics lead page 0 whatever their age.
                    return
                if item["id"] not in run.listed:
                    run.listed.add(item["id"])
                    yield item
            page = _next_page(topic_list.get("more_topics_url"), self.base)

    def _in_order(
        self, client: DiscourseApi, run: _Run, after: datetime | None
    ) -> Generator[Change, None, None]:
        """Fetch listed topics ``concurrency`` at a time (the listing runs ahead); keep order."""
        window = self.concurrency * 2
        pending: deque[Future[Change | None]] = deque()
        pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="carebase-discourse")
        try:
            for item in self._listing(client, run, after):
                pending.append(self._submit(pool, client, item))
                while pending and (len(pending) > window or pending[0].done()):
                    if (change := pending.popleft().result()) is not None:
                        yield change
            while pending:
                if (change := pending.popleft().result()) is not None:
                    yield change
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _submit(
        self, pool: ThreadPoolExecutor, client: DiscourseApi, item: Json
    ) -> Future[Change | None]:
        verdict = self._screen(client, item, listed=True)
        if verdict is True:
            return pool.submit(self._fetch, client, item["id"])
        done: Future[Change | None] = Future()
        done.set_result(verdict if isinstance(verdict, Removal) else None)
        return done

    def _screen(self, client: DiscourseApi, topic: Json, *, listed: bool) -> Removal | bool:
        """True to import ``topic``, a Removal when it must not be public, else False.

        A listed topic must say it is solved; a fetched one is judged by its posts too.
        """
        categories = self._known_categories(client)
        removal = _unpublishable(topic, categories, listed=listed)
        if removal is not None:
            return removal
        return _wanted(categories[topic["category_id"]], categories, self.categories)

    def _fetch(self, client: DiscourseApi, topic_id: int) -> Change | None:
        try:
            topic = client.get(f"/t/{topic_id}.json", gone_ok=True)
            posts = self._posts(client, topic_id, topic.get("post_stream") or {})
        except Gone as gone:
            return Removal(self.kind, str(topic_id), GONE[gone.status])
        verdict = self._screen(client, topic, listed=False)
        self._remember(topic, public=verdict is True or verdict is False)
        if verdict is not True:
            return verdict if isinstance(verdict, Removal) else None
        thread = thread_of(topic, posts, self.base, self._known_categories(client))
        if isinstance(thread, Removal):
            return thread
        linked = linking_topics(posts, self.base, str(topic_id))
        return replace(thread, questions=self._public_titles(client, linked))

    def _remember(self, topic: Json, *, public: bool) -> None:
        with self._titles_lock:
            self._titles[str(topic["id"])] = str(topic.get("title") or "") if public else None

    def _public_titles(self, client: DiscourseApi, topic_ids: Sequence[str]) -> tuple[str, ...]:
        """Titles of the topics that anyone may read, read once a run (an API key may see
        titles of private categories and personal messages in ``link_counts``)."""
        titles = []
        for topic_id in topic_ids:
            with self._titles_lock:
                known = topic_id in self._titles
            if not known:
                self._read_linked(client, topic_id)
            if title := self._titles.get(topic_id):
                titles.append(title)
        return tuple(titles)

    def _read_linked(self, client: DiscourseApi, topic_id: str) -> None:
        try:
            topic = client.get(f"/t/{topic_id}.json", gone_ok=True)
        except Gone:  # Deleted or private: no title to lend.
            with self._titles_lock:
                self._titles[topic_id] = None
            return
        categories = self._known_categories(client)
        self._remember(topic, public=_unpublishable(topic, categories, listed=False) is None)

    def _posts(self, client: DiscourseApi, topic_id: int, stream: Json) -> list[Json]:
        posts: list[Json] = list(stream.get("posts") or [])
        loaded = {post["id"] for post in posts}
        missing = [pid for pid in stream.get("stream") or [] if pid not in loaded]
        for start in range(0, len(missing), POST_BATCH):
            batch = missing[start : start + POST_BATCH]
            params = [("post_ids[]", str(pid)) for pid in batch]
            more = client.get(f"/t/{topic_id}/posts.json", params=params, gone_ok=True)
            posts.extend((more.get("post_stream") or {}).get("posts") or [])
        return sorted(posts, key=lambda post: int(post.get("post_number", 0)))

    def _known_categories(self, client: DiscourseApi) -> dict[int, _Category]:
        """The forum's categories, read once a run and only when a topic needs them."""
        with self._categories_lock:
            if self._categories is None:
                answer = client.get("/categories.json?include_subcategories=true")
                self._categories = categories_of(answer)
            return self._categories


# Pure functions of Discourse's JSON.


def categories_of(answer: Json) -> dict[int, _Category]:
    """``/categories.json?include_subcategories=true`` as id → category, subcategories too."""
    found: dict[int, _Category] = {}

    def walk(categories: Iterable[Json], parent: int | None) -> None:
        for category in categories:
            found[category["id"]] = _Category(
                slug=str(category.get("slug") or category["id"]),
                private=bool(category.get("read_restricted")),
                parent=category.get("parent_category_id", parent),
            )
            walk(category.get("subcategory_list") or [], category["id"])

    walk((answer.get("category_list") or {}).get("categories") or [], None)
    return found


def _unpublishable(
    topic: Json, categories: Mapping[int, _Category], *, listed: bool = True
) -> Removal | None:
    """Why a topic (a list item or ``/t/{id}.json``) must not be published, if it must not."""
    reason = ""
    category = categories.get(topic.get("category_id") or -1)
    if topic.get("archetype", "regular") != "regular":
        reason = "personal message"
    elif topic.get("deleted_at"):
        reason = "deleted"
    elif topic.get("visible") is False:
        reason = "unlisted"
    elif category is None or _private(category, categories):
        reason = "private category"  # Categories we cannot see are private to us.
    elif listed and not (topic.get("has_accepted_answer") or topic.get("accepted_answer")):
        reason = "no accepted answer"
    return Removal(SourceKind.DISCOURSE, str(topic["id"]), reason) if reason else None


def _private(category: _Category, categories: Mapping[int, _Category]) -> bool:
    return any(c.private for c in _lineage(category, categories))


def _wanted(
    category: _Category, categories: Mapping[int, _Category], wanted: frozenset[str]
) -> bool:
    """A topic of ``category`` is imported: every category, or one named, or a child of one."""
    return not wanted or any(c.slug in wanted for c in _lineage(category, categories))


def _lineage(category: _Category, categories: Mapping[int, _Category]) -> Iterator[_Category]:
    """The category, its parent, and so on up (Discourse nests three deep)."""
    found: _Category | None = category
    for _ in range(5):  # Bounded: a forum's answer could loop.
        if found is None:
            return
        yield found
        found = categories.get(found.parent) if found.parent is not None else None


def thread_of(
    topic: Json, posts: Sequence[Json], base: str, categories: Mapping[int, _Category]
) -> Thread | Removal:
    """A topic (``/t/{id}.json``) and all its posts as a Thread, or why it cannot be one."""
    topic_id = str(topic["id"])
    public = [post for post in posts if is_public(post)]
    question = next((post for post in public if post.get("post_number") == 1), None)
    if question is None:
        return Removal(SourceKind.DISCOURSE, topic_id, "question hidden or deleted")
    answer = _accepted(topic, public)
    if answer is None:
        claimed = topic.get("accepted_answer") or any(p.get("accepted_answer") for p in posts)
        reason = "accepted answer hidden or deleted" if claimed else "no accepted answer"
        return Removal(SourceKind.DISCOURSE, topic_id, reason)
    replies = [post for post in public if post is not question and post is not answer]
    kept = [question, answer, *replies]
    links, images = references([str(post.get("cooked") or "") for post in kept], base, topic_id)
    return Thread(
        kind=SourceKind.DISCOURSE,
        id=topic_id,
        url=topic_url(base, topic_id),
        title=str(topic.get("title") or ""),
        source_category=categories[topic["category_id"]].slug,
        question=post_of(question, base, topic_id),
        answer=post_of(answer, base, topic_id),
        replies=tuple(post_of(post, base, topic_id) for post in replies),
        tags=_tags(topic.get("tags")),
        created_at=_time(topic.get("created_at")),
        updated_at=max([_bumped(topic), *(t for p in kept if (t := _time(p.get("updated_at"))))]),
        links=links,
        images=images,
    )


def linking_topics(posts: Sequence[Json], base: str, topic_id: str) -> list[str]:
    """Ids of the topics of this forum that link to the question or the accepted answer.

    Discourse lists them in each post's ``link_counts`` as *reflections*: a topic closed as a
    duplicate, or answered with "see this topic", links here. Their titles are the same
    question in other words. Links *from* this topic, and Discourse's suggested or related
    topics, are other questions, so they are not used.
    """
    found: dict[str, None] = {}
    for post in posts:
        if not is_public(post) or not (post.get("post_number") == 1 or post.get("accepted_answer")):
            continue
        for link in post.get("link_counts") or []:
            if not (link.get("reflection") and link.get("internal")):
                continue
            topic = _topic_link(str(link.get("url") or ""), base)
            if topic is not None and topic[1] != topic_id:
                found.setdefault(topic[1])
    return list(found)[:LINKED_TOPICS]


def is_public(post: Json) -> bool:
    """What anyone may read: a regular post, neither hidden nor deleted (by staff or author)."""
    return (
        post.get("post_type", REGULAR_POST) == REGULAR_POST
        and not post.get("hidden")
        and not post.get("deleted_at")
        and not post.get("user_deleted")
    )


def _accepted(topic: Json, public: Sequence[Json]) -> Json | None:
    flagged = next((post for post in public if post.get("accepted_answer") is True), None)
    if flagged is not None:
        return flagged
    number = (topic.get("accepted_answer") or {}).get("post_number")
    if number is None or number == 1:
        return None
    return next((post for post in public if post.get("post_number") == number), None)


def topic_url(base: str, topic_id: str) -> str:
    """A topic's address without its slug: Discourse resolves ``/t/<id>``, and the slug is
    the title, which may hold what the scrubber removed from it (an order number)."""
    return f"{base}/t/{topic_id}"


def post_of(post: Json, base: str, topic_id: str) -> Post:
    """One Discourse post: cooked HTML, display name (else username), likes."""
    return Post(
        id=str(post["id"]),
        author=str(post.get("name") or post.get("username") or ""),
        body=str(post.get("cooked") or ""),
        format="html",
        created_at=_time(post.get("created_at")) or datetime.fromtimestamp(0, UTC),
        score=_likes(post),
        url=f"{topic_url(base, topic_id)}/{post.get('post_number', 1)}",
    )


def _likes(post: Json) -> int:
    if isinstance(post.get("like_count"), int):
        return int(post["like_count"])
    for action in post.get("actions_summary") or []:
        if action.get("id") == 2:  # Discourse's "like" post action type.
            return int(action.get("count") or 0)
    return 0


def _tags(tags: Any) -> tuple[str, ...]:
    """Tags as names: plain strings, or ``{"name": …}`` objects on newer Discourse."""
    names = (tag.get("name") if isinstance(tag, dict) else tag for tag in tags or [])
    return tuple(str(name) for name in names if name)


_TOPIC_PATH = re.compile(
    r"^/t/(?:(?P<slug>[^/]*[^\d/][^/]*)/(?P<id>\d+)|(?P<bare>\d+))(?:/\d+)?/?$"
)


def references(
    bodies: Iterable[str], base: str, topic_id: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Other topics the HTML links to (canonical URLs) and the images it shows."""
    links: dict[str, None] = {}
    images: dict[str, None] = {}
    root = base + "/"
    for body in bodies:
        if not body:
            continue
        tree = LexborHTMLParser(body)
        for anchor in tree.css("a[href]"):
            link = _topic_link(urljoin(root, anchor.attributes.get("href") or ""), base)
            if link is not None and link[1] != topic_id:
                links.setdefault(link[0])
        for image in tree.css("img[src]"):
            classes = set((image.attributes.get("class") or "").split())
            src = urljoin(root, image.attributes.get("src") or "")
            if not classes & _SKIPPED_IMAGES and urlsplit(src).scheme in ("http", "https"):
                images.setdefault(src)
    return tuple(links), tuple(images)


def _topic_link(url: str, base: str) -> tuple[str, str] | None:
    """``(canonical URL, topic id)`` when ``url`` is a topic of the forum at ``base``."""
    parts, home = urlsplit(url), urlsplit(base)
    if parts.netloc != home.netloc or not parts.path.startswith(home.path + "/t/"):
        return None
    match = _TOPIC_PATH.match(parts.path[len(home.path) :])
    if match is None:
        return None
    topic_id = match["bare"] or match["id"]
    return topic_url(base, topic_id), topic_id


def _next_page(more: Any, base: str) -> str | None:
    """``more_topics_url`` (``/latest?solved=yes&page=1``, path maybe under a subfolder)."""
    if not more:
        return None
    parts = urlsplit(str(more))
    path = parts.path
    prefix = urlsplit(base).path
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix) :]
    if not path.endswith(".json"):
        path += ".json"
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
    return f"{path}?{query}" if query else path


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _bumped(topic: Json) -> datetime:
    for key in ("bumped_at", "last_posted_at", "created_at"):
        if (found := _time(topic.get(key))) is not None:
            return found
    return datetime.fromtimestamp(0, UTC)


def _cursor_time(cursor: Cursor) -> datetime | None:
    return _time(cursor.value)


def _base_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.username or parts.password:
        # Not echoed: the address holds a password.
        raise DiscourseError(
            "The Discourse URL must not hold a user name or password: set "
            f"{ENV['discourse_api_key']} and {ENV['discourse_api_username']} instead"
        )
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DiscourseError(
            f"Discourse URL {url!r} is not an http(s) address such as https://forum.example.com"
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _header_env(env: Mapping[str, str], name: str) -> str | None:
    """A variable sent in a request header: None when unset, an error when it cannot be sent."""
    value = env.get(name, "").strip()
    return header_safe(name, value, "the Discourse importer") if value else None
