"""A fake Discourse forum on 127.0.0.1, for the real ``DiscourseSource``.

It speaks the JSON Discourse sends: ``/latest.json`` (``solved=yes`` keeps topics with an
accepted answer, 30 a page, pinned first then newest ``bumped_at``, ``more_topics_url``
without ``.json`` as Discourse writes it), ``/t/{id}.json`` (the first 20 posts and the whole
``stream``), ``/t/{id}/posts.json?post_ids[]=…``, ``/categories.json`` (subcategories with
``include_subcategories=true``) and PNG images under ``/uploads/`` and ``/images/``.

Every post carries ``link_counts`` as Discourse's ``TopicLink.counts_for`` builds them: the
topics of this forum its text links to (``reflection: false``), and the posts of *other*
topics that link to it (``reflection: true``, ``title`` the linking topic's), never from a
deleted topic or a personal message, nor from an unlisted topic (Discourse makes no
reflection for those), and for anonymous requests never from a private category. Reflections
come from topics added with :meth:`FakeDiscourse.add_topic`; generated topics link one way
only, so 12,000 of them stay cheap.

Anonymous requests see what Discourse shows anyone: no whispers or deleted posts, no unlisted
topics in lists, nothing of private categories (403 on the topic). A request with the right
``Api-Key`` and ``Api-Username`` is staff and sees *everything* that is not deleted, personal
messages in lists included: more than a real forum shows, so the source's own filters are
what keeps staff-only content out.

``FakeDiscourse(topics=12_000)`` generates topics from a seed: their list entries at once,
their posts when first asked for. Tests add their own with :meth:`FakeDiscourse.add_topic`,
change them, make requests fail (429 with ``Retry-After`` or ``extras.wait_seconds``, 5xx)
or answer late, and read every request in ``requests``.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import time
import zlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.fakes.server import FakeService, Fault, Faults, JsonHandler

PAGE_SIZE = 30
TOPIC_POSTS = 20
BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
WHISPER = 4
NOT_FOUND = {
    "errors": ["The requested URL or resource could not be found."],
    "error_type": "not_found",
}
INVALID_ACCESS = {
    "errors": ["You are not permitted to view the requested resource."],
    "error_type": "invalid_access",
}
_VOCABULARY = (
    "router restart bill refund roaming sim broadband outage wifi password payment direct "
    "debit contract upgrade signal voicemail tv box engineer visit speed slow fibre email "
    "account login app data allowance international porting number pin puk handset"
)
_WORDS = _VOCABULARY.split()
_HREF = re.compile(r'<a\b[^>]*?\bhref="(?P<href>[^"]+)"')
_TOPIC_HREF = re.compile(r"^/t/(?:[^/]+/)?(?P<id>\d+)(?:/(?P<number>\d+))?/?$")


@dataclass(frozen=True)
class FakeCategory:
    id: int
    slug: str
    name: str
    private: bool = False
    parent: int | None = None


# The public slugs are those the sample project's mkdocs.yml maps to its own categories.
CATEGORIES = (
    FakeCategory(1, "billing-and-payments", "Billing and payments"),
    FakeCategory(2, "broadband-and-wifi", "Broadband and Wi-Fi"),
    FakeCategory(3, "mobile-and-roaming", "Mobile and roaming"),
    FakeCategory(4, "outages", "Outages", parent=2),
    FakeCategory(5, "staff", "Staff lounge", private=True),
    FakeCategory(6, "escalations", "Escalations", parent=5),
    FakeCategory(7, "complaints", "Complaints", parent=6),
)
PUBLIC_CATEGORY_IDS = (1, 2, 3, 4)


@dataclass
class FakePost:
    id: int
    post_number: int
    username: str
    name: str
    cooked: str
    created_at: datetime
    post_type: int = 1
    hidden: bool = False
    deleted: bool = False
    user_deleted: bool = False
    likes: int = 0


@dataclass
class FakeTopic:
    id: int
    title: str
    slug: str
    category_id: int
    created_at: datetime
    bumped_at: datetime
    accepted: int | None
    """The accepted post's number; None: not solved."""
    posts_count: int
    visible: bool = True
    archetype: str = "regular"
    pinned: bool = False
    deleted: bool = False
    tags: tuple[str, ...] = ()
    posts: list[FakePost] | None = None
    """None until first asked for (generated from the seed)."""


@dataclass(frozen=True)
class Request:
    """One request as the fake received it, and what it answered."""

    path: str
    query: dict[str, list[str]]
    status: int
    staff: bool
    at: float = field(compare=False)
    """``time.monotonic()`` when it arrived."""


Answer = tuple[int, Any, dict[str, str]]


class _Handler(JsonHandler):
    def do_GET(self) -> None:
        fake: FakeDiscourse = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        self.send_answer(*fake.handle(parts.path, parse_qs(parts.query), self.headers))


class FakeDiscourse(FakeService):
    """The fake forum: start with :meth:`running`, change ``topics``, read ``requests``."""

    handler = _Handler

    def __init__(
        self,
        topics: int = 0,
        *,
        seed: int = 7,
        api_key: str = "discourse-key-for-tests",
        api_username: str = "system",
    ) -> None:
        self.seed = seed
        self.api_key = api_key
        self.api_username = api_username
        self.categories = list(CATEGORIES)
        self.topics: dict[int, FakeTopic] = {}
        for topic_id in range(1, topics + 1):
            self.topics[topic_id] = self._generated(topic_id)
        self.requests: list[Request] = []
        self.max_in_flight = 0
        """The most requests the fake was answering at once."""
        self._in_flight = 0
        self._added: list[int] = []
        """Topics added by tests: the only ones whose links make reflections (see above)."""
        self._clock = BASE_TIME + timedelta(hours=topics + 1)
        self._version = 0
        self._lists: dict[tuple[bool, bool], tuple[int, list[FakeTopic]]] = {}
        self._faults = Faults()
        self._lock = threading.RLock()

    # What tests change.

    def add_topic(
        self,
        title: str,
        *,
        category_id: int = 1,
        posts: int = 3,
        accepted: int | None = 2,
        **fields: Any,
    ) -> FakeTopic:
        """A new topic, bumped after every other, with ``posts`` plain posts (change them)."""
        with self._lock:
            topic_id = max(self.topics, default=0) + 1
            now = self._tick()
            topic = FakeTopic(
                id=topic_id,
                title=title,
                slug=_slug(title),
                category_id=category_id,
                created_at=now,
                bumped_at=now,
                accepted=accepted,
                posts_count=posts,
                **fields,
            )
            topic.posts = [
                _post(topic, number, f"<p>{title}: post {number}.</p>", now, likes=number)
                for number in range(1, posts + 1)
            ]
            self.topics[topic_id] = topic
            self._added.append(topic_id)
            self._version += 1
            return topic

    def change(self, topic_id: int, *, bump: bool = False, **fields: Any) -> FakeTopic:
        """Set fields of a topic (``visible=False``, ``accepted=None``, …); maybe bump it."""
        with self._lock:
            topic = replace(self.topics[topic_id], **fields)
            if bump:
                topic.bumped_at = self._tick()
            self.topics[topic_id] = topic
            self._version += 1
            return topic

    def bump(self, topic_id: int) -> FakeTopic:
        """A new reply's effect on the list: the topic moves to the top."""
        return self.change(topic_id, bump=True)

    def post(self, topic_id: int, number: int) -> FakePost:
        """A post of a topic, to change (``hidden``, ``deleted``, ``post_type``)."""
        return self.posts_of(self.topics[topic_id])[number - 1]

    def posts_of(self, topic: FakeTopic) -> list[FakePost]:
        with self._lock:
            if topic.posts is None:
                topic.posts = self._generated_posts(topic)
            return topic.posts

    def fail(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        wait_seconds: float | None = None,
        path: str = "",
    ) -> None:
        """Answer the next ``times`` requests whose path contains ``path`` with ``status``."""
        headers = {"Retry-After": retry_after} if retry_after else {}
        body = _failure(status, wait_seconds)
        self._faults.add(Fault(status, body, headers, path=path, times=times))

    def delay(self, seconds: float, *, times: int = 1, path: str = "") -> None:
        """Answer the next ``times`` matching requests only after ``seconds``."""
        self._faults.add(Fault(None, delay=seconds, path=path, times=times))

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()
            self.max_in_flight = 0

    def solved_public(self) -> list[FakeTopic]:
        """What an importer should import: solved, listed, public, not deleted, newest first."""
        return [t for t in self._listed(staff=False, solved=True) if self._clean_answer(t)]

    # Generated topics.

    def _generated(self, topic_id: int) -> FakeTopic:
        rng = random.Random(f"{self.seed}-{topic_id}")
        words = rng.sample(_WORDS, 4)
        title = f"{words[0].capitalize()} {' '.join(words[1:])} question {topic_id}"
        created = BASE_TIME + timedelta(hours=topic_id)
        count = rng.randint(25, 60) if rng.random() < 0.02 else rng.randint(2, 8)
        solved = rng.random() < 0.7
        category = 5 if rng.random() < 0.03 else rng.choice(PUBLIC_CATEGORY_IDS)
        return FakeTopic(
            id=topic_id,
            title=title,
            slug=_slug(title),
            category_id=category,
            created_at=created,
            # Within the hour: generated topics are listed newest id first.
            bumped_at=created + timedelta(seconds=rng.randint(1, 3500)),
            accepted=rng.randint(2, count) if solved else None,
            posts_count=count,
            visible=rng.random() >= 0.01,
            tags=tuple(rng.sample(_WORDS, rng.randint(0, 2))),
        )

    def _generated_posts(self, topic: FakeTopic) -> list[FakePost]:
        rng = random.Random(f"{self.seed}-{topic.id}-posts")
        posts = []
        for number in range(1, topic.posts_count + 1):
            at = topic.created_at + timedelta(seconds=number * 7)
            post = _post(topic, number, self._cooked(rng, topic, number), at, rng.randint(0, 9))
            if number > 1 and number != topic.accepted:
                roll = rng.random()
                post.post_type = WHISPER if roll < 0.05 else 1
                post.hidden = 0.05 <= roll < 0.08
                post.deleted = 0.08 <= roll < 0.10
            posts.append(post)
        return posts

    def _cooked(self, rng: random.Random, topic: FakeTopic, number: int) -> str:
        text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(12, 40)))
        html = f"<p>{text.capitalize()}.</p>"
        if number == 1 and topic.id > 1 and rng.random() < 0.3:
            other = rng.randint(1, topic.id - 1)
            html += f'<p>Like <a href="/t/{self.topics[other].slug}/{other}">this one</a>.</p>'
        if rng.random() < 0.1:
            digest = hashlib.sha1(f"{topic.id}-{number}".encode()).hexdigest()
            html += f'<p><img src="/uploads/default/original/1X/{digest}.png" alt="shot"></p>'
        if rng.random() < 0.1:
            html += '<img src="/images/emoji/twitter/smile.png?v=12" class="emoji" alt=":smile:">'
        return html

    def _tick(self) -> datetime:
        self._clock += timedelta(minutes=1)
        return self._clock

    # Who sees what.

    def _private(self, topic: FakeTopic) -> bool:
        by_id = {c.id: c for c in self.categories}
        category = by_id.get(topic.category_id)
        if category is None or self._category_private(category):
            return True
        return topic.archetype == "private_message"

    def _listed(self, *, staff: bool, solved: bool) -> list[FakeTopic]:
        with self._lock:
            cached = self._lists.get((staff, solved))
            if cached is not None and cached[0] == self._version:
                return cached[1]
            shown = [
                t
                for t in self.topics.values()
                if not t.deleted
                and (staff or (t.visible and not self._private(t)))
                and (not solved or t.accepted is not None)
            ]
            shown.sort(key=lambda t: (t.pinned, t.bumped_at), reverse=True)
            self._lists[(staff, solved)] = (self._version, shown)
            return shown

    def _clean_answer(self, topic: FakeTopic) -> bool:
        posts = self.posts_of(topic)
        first = posts[0]
        if first.hidden or first.deleted or first.user_deleted or topic.accepted is None:
            return False
        answer = posts[topic.accepted - 1]
        return not (answer.hidden or answer.deleted or answer.user_deleted or answer.post_type != 1)

    # Called by the handler.

    def handle(self, path: str, query: dict[str, list[str]], headers: Any) -> Answer:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            return self._handle(path, query, headers)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _handle(self, path: str, query: dict[str, list[str]], headers: Any) -> Answer:
        fault = self._faults.take(path)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        staff = bool(headers.get("Api-Key"))
        if fault is not None and fault.status is not None:
            status, answer, extra = fault.status, fault.body, dict(fault.headers)
        elif staff and (
            headers.get("Api-Key") != self.api_key
            or headers.get("Api-Username") != self.api_username
        ):
            status, answer, extra = 403, INVALID_ACCESS, {}
        else:
            status, answer, extra = self._route(path, query, staff)
        with self._lock:
            self.requests.append(Request(path, query, status, staff, time.monotonic()))
        return status, answer, extra

    def _route(self, path: str, query: dict[str, list[str]], staff: bool) -> Answer:
        parts = path.strip("/").split("/")
        if path == "/latest.json":
            return self._latest(query, staff)
        if path == "/categories.json":
            return 200, self._categories(query, staff), {}
        if path.startswith(("/uploads/", "/images/")) and path.endswith(".png"):
            return 200, _PNG, {"Content-Type": "image/png"}
        if len(parts) == 2 and parts[0] == "t" and parts[1].removesuffix(".json").isdigit():
            return self._topic(int(parts[1].removesuffix(".json")), staff)
        if len(parts) == 3 and parts[0] == "t" and parts[1].isdigit() and parts[2] == "posts.json":
            ids = {int(i) for i in query.get("post_ids[]", []) if i.isdigit()}
            return self._posts(int(parts[1]), ids, staff)
        return 404, NOT_FOUND, {}

    def _latest(self, query: dict[str, list[str]], staff: bool) -> Answer:
        solved = query.get("solved", [""])[0] == "yes"
        page = int(query.get("page", ["0"])[0] or 0)
        listed = self._listed(staff=staff, solved=solved)
        shown = listed[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        topic_list: dict[str, Any] = {
            "can_create_topic": staff,
            "per_page": PAGE_SIZE,
            "topics": [self._list_item(t) for t in shown],
        }
        if (page + 1) * PAGE_SIZE < len(listed):
            params = {k: v[0] for k, v in query.items() if k != "page"}
            topic_list["more_topics_url"] = f"/latest?{urlencode({**params, 'page': page + 1})}"
        return 200, {"users": [], "primary_groups": [], "topic_list": topic_list}, {}

    def _list_item(self, topic: FakeTopic) -> dict[str, Any]:
        item = {
            **self._topic_fields(topic),
            "fancy_title": topic.title,
            "posts_count": topic.posts_count,
            "reply_count": topic.posts_count - 1,
            "pinned": topic.pinned,
            "closed": False,
            "archived": False,
            "has_accepted_answer": topic.accepted is not None,
        }
        return item

    def _topic_fields(self, topic: FakeTopic) -> dict[str, Any]:
        return {
            "id": topic.id,
            "title": topic.title,
            "slug": topic.slug,
            "category_id": topic.category_id,
            "created_at": _iso(topic.created_at),
            "last_posted_at": _iso(topic.bumped_at),
            "bumped_at": _iso(topic.bumped_at),
            "visible": topic.visible,
            "archetype": topic.archetype,
            "tags": list(topic.tags),
        }

    def _topic(self, topic_id: int, staff: bool) -> Answer:
        topic = self.topics.get(topic_id)
        if topic is None or topic.deleted:
            return 404, NOT_FOUND, {}
        if not staff and self._private(topic):
            return 403, INVALID_ACCESS, {}
        shown = self._visible_posts(topic, staff)
        answer = {
            **self._topic_fields(topic),
            "fancy_title": topic.title,
            "posts_count": len(shown),
            "post_stream": {
                "posts": [self._post_json(topic, p, staff) for p in shown[:TOPIC_POSTS]],
                "stream": [p.id for p in shown],
            },
        }
        if topic.accepted is not None:
            accepted = self.posts_of(topic)[topic.accepted - 1]
            answer["accepted_answer"] = {
                "post_number": accepted.post_number,
                "username": accepted.username,
                "name": accepted.name,
                "excerpt": accepted.cooked[:80],
            }
        return 200, answer, {}

    def _posts(self, topic_id: int, ids: set[int], staff: bool) -> Answer:
        topic = self.topics.get(topic_id)
        if topic is None or topic.deleted:
            return 404, NOT_FOUND, {}
        if not staff and self._private(topic):
            return 403, INVALID_ACCESS, {}
        posts = [
            self._post_json(topic, p, staff)
            for p in self._visible_posts(topic, staff)
            if p.id in ids
        ]
        return 200, {"post_stream": {"posts": posts}, "id": topic_id}, {}

    def _visible_posts(self, topic: FakeTopic, staff: bool) -> list[FakePost]:
        posts = self.posts_of(topic)
        if staff:
            return list(posts)
        return [p for p in posts if p.post_type != WHISPER and not p.deleted]

    def _post_json(self, topic: FakeTopic, post: FakePost, staff: bool) -> dict[str, Any]:
        return {
            "id": post.id,
            "name": post.name,
            "username": post.username,
            "created_at": _iso(post.created_at),
            "updated_at": _iso(post.created_at),
            "cooked": "" if post.hidden else post.cooked,
            "post_number": post.post_number,
            "post_type": post.post_type,
            "hidden": post.hidden,
            "cooked_hidden": post.hidden,
            "deleted_at": _iso(post.created_at) if post.deleted else None,
            "user_deleted": post.user_deleted,
            "topic_id": topic.id,
            "topic_slug": topic.slug,
            "accepted_answer": post.post_number == topic.accepted,
            "actions_summary": [{"id": 2, "count": post.likes}] if post.likes else [],
            "link_counts": self._link_counts(topic, post, staff),
        }

    # Links between topics (TopicLink): what a post links to, and who links to it.

    def _link_counts(self, topic: FakeTopic, post: FakePost, staff: bool) -> list[dict[str, Any]]:
        counts = []
        for linked, _number in self._topic_links(post.cooked):
            target = self.topics.get(linked)
            if target is not None and linked != topic.id and self._linkable(target, staff):
                url = f"{self.url}/t/{target.slug}/{target.id}"
                counts.append(_link_count(url, target.title, reflection=False))
        for source, number in self._reflections(topic, post.post_number):
            if self._linkable(source, staff) and source.visible:
                url = f"{self.url}/t/{source.slug}/{source.id}/{number}"
                counts.append(_link_count(url, source.title, reflection=True))
        # Discourse orders them: links first, then reflections.
        return counts

    def _linkable(self, topic: FakeTopic, staff: bool) -> bool:
        if topic.deleted or topic.archetype == "private_message":
            return False
        return staff or not self._private(topic)

    def _reflections(self, topic: FakeTopic, number: int) -> list[tuple[FakeTopic, int]]:
        """Posts of added topics that link to post ``number`` of ``topic``."""
        found = []
        for source_id in self._added:
            source = self.topics.get(source_id)
            if source is None or source.id == topic.id:
                continue
            for source_post in self.posts_of(source):
                if source_post.deleted or source_post.post_type == WHISPER:
                    continue
                if (topic.id, number) in self._topic_links(source_post.cooked):
                    found.append((source, source_post.post_number))
        return found

    def _topic_links(self, cooked: str) -> list[tuple[int, int]]:
        """``(topic id, post number)`` of each link in ``cooked`` to a topic of this forum."""
        links = []
        for match in _HREF.finditer(cooked):
            parts = urlsplit(match["href"])
            if parts.netloc and f"{parts.scheme}://{parts.netloc}" != self.url:
                continue
            topic = _TOPIC_HREF.match(parts.path)
            if topic is not None:
                links.append((int(topic["id"]), int(topic["number"] or 1)))
        return links

    def _categories(self, query: dict[str, list[str]], staff: bool) -> dict[str, Any]:
        nested = query.get("include_subcategories", [""])[0] == "true"
        shown = [c for c in self.categories if staff or not self._category_private(c)]

        def entry(category: FakeCategory) -> dict[str, Any]:
            children = [c for c in shown if c.parent == category.id]
            found: dict[str, Any] = {
                "id": category.id,
                "name": category.name,
                "slug": category.slug,
                "read_restricted": category.private,
                "subcategory_ids": [c.id for c in children],
            }
            if category.parent is not None:
                found["parent_category_id"] = category.parent
            if nested:
                found["subcategory_list"] = [entry(c) for c in children]
            return found

        top = [entry(c) for c in shown if c.parent is None]
        return {"category_list": {"can_create_category": staff, "categories": top}}

    def _category_private(self, category: FakeCategory) -> bool:
        """Private itself, or below a private category (Discourse nests three deep)."""
        by_id = {c.id: c for c in self.categories}
        found: FakeCategory | None = category
        while found is not None:
            if found.private:
                return True
            found = by_id.get(found.parent) if found.parent is not None else None
        return False


def _post(topic: FakeTopic, number: int, cooked: str, at: datetime, likes: int) -> FakePost:
    user = f"member{(topic.id * 31 + number * 17) % 997}"
    return FakePost(
        id=topic.id * 1000 + number,
        post_number=number,
        username=user,
        name="" if number % 3 == 0 else f"Member {user[6:]}",
        cooked=cooked,
        created_at=at,
        likes=likes,
    )


def _link_count(url: str, title: str, *, reflection: bool) -> dict[str, Any]:
    """One entry of a post's ``link_counts``, with the fields Discourse's schema requires."""
    return {"url": url, "internal": True, "reflection": reflection, "title": title, "clicks": 0}


def _failure(status: int, wait_seconds: float | None) -> dict[str, Any]:
    """What Discourse answers with ``status``: its rate-limit body for a 429."""
    if status != 429:
        return {"errors": [f"injected {status}"]}
    answer: dict[str, Any] = {
        "errors": ["You’ve performed this action too many times. Please wait."],
        "error_type": "rate_limit",
    }
    if wait_seconds is not None:
        answer["extras"] = {"wait_seconds": wait_seconds, "time_left": "a moment"}
    return answer


def _slug(title: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in title.lower()).split())


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _png() -> bytes:
    """A 1×1 PNG, built rather than stored."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00\x33\x66\x99")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


_PNG = _png()
