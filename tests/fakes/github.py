"""A fake GitHub API on 127.0.0.1, for the real PyGithub client.

It is laid out like GitHub Enterprise, which is how PyGithub is pointed at it: REST under
``/api/v3`` (the ``base_url``) and GraphQL at ``/api/graphql`` (PyGithub drops the ``/v3``).
It answers what the GitHub importers ask:

- ``GET /api/v3/repos/{owner}/{repo}``;
- ``GET /api/v3/repos/{owner}/{repo}/pulls`` with ``state``, ``sort=updated``, ``direction``,
  ``per_page`` and ``page``, paginated by ``Link`` headers;
- ``GET /api/v3/repos/{owner}/{repo}/issues/{number}`` (a pull request is an issue), its
  ``/comments`` (paginated), ``POST`` to them, and ``PATCH .../issues/comments/{id}``: what
  the announcer's preview comment needs;
- ``GET /api/v3/user``: the token's own account. With an installation token (a GitHub App's,
  or GitHub Actions' ``GITHUB_TOKEN``, the default here) GitHub refuses it: 403 "Resource not
  accessible by integration", and the token's comments are authored by ``<app-slug>[bot]``;
- ``POST /api/graphql``: the discussions query (``answered``, ``first``/``after`` cursors,
  newest update first, ``pageInfo { hasNextPage endCursor }``) and the pull requests' batch
  query (``pN: pullRequest(number: $nN)`` with authors and ``closingIssuesReferences``:
  each issue's ``url``, ``title`` and ``repository { nameWithOwner isPrivate }``).
  A GraphQL answer keeps only the fields its query names, so a field the importer reads but
  does not ask for fails a test as it would fail against GitHub.

Like GitHub, it answers 401 "Bad credentials" to a wrong token, refuses GraphQL without a
token, answers 404 for a missing repository (and, without a token, a private one), and sends
rate-limit headers. Tests can make the next requests fail (401, 403 rate limits with
``x-ratelimit-*`` and ``Retry-After``, 5xx) or answer late, and read every request.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.fakes.server import FakeService, Fault, Faults, JsonHandler

WEB = "https://github.example.test"
"""Where the fake's repositories live on the web (``html_url``, discussion ``url``)."""
TOKEN = "ghp_fake-token-for-tests-0123456789"
RATE_LIMITED = (
    "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated "
    "requests get a higher rate limit. Check out the documentation for more details.)"
)
_REPO = re.compile(r"^/api/v3/repos/(?P<owner>[\w.-]+)/(?P<name>[\w.-]+)(?P<rest>/.*)?$")
_WORD = re.compile(r"\w+")
_OPERATION = re.compile(r"\bquery\s+(\w+)")
DEFAULT_CATEGORIES = (("Q&A", "q-a"), ("General", "general"), ("Ideas", "ideas"))


@dataclass(frozen=True)
class Request:
    """One request as the fake received it, and what it answered."""

    method: str
    path: str
    query: dict[str, str]
    authorization: str | None
    operation: str
    """The GraphQL operation's name (``CarebaseDiscussions``), or "" for REST."""
    variables: dict[str, Any]
    status: int


def _actor(login: str | None, name: str | None = None) -> dict[str, Any] | None:
    return None if login is None else {"login": login, "name": name}


@dataclass
class FakeRepository:
    """A repository's discussions (GraphQL nodes) and pull requests (REST objects)."""

    full_name: str
    private: bool = False
    categories: Sequence[tuple[str, str]] = DEFAULT_CATEGORIES
    discussions: list[dict[str, Any]] = field(default_factory=list)
    pulls: list[dict[str, Any]] = field(default_factory=list)
    closing: dict[int, list[str]] = field(default_factory=dict)
    """Issue URLs GitHub's ``closingIssuesReferences`` gives, per pull request number."""
    issue_titles: dict[int, str] = field(default_factory=dict)
    """Titles of this repository's issues, by number (``Issue <n>`` when not given)."""
    names: dict[str, str] = field(default_factory=dict)
    """Display names of logins, as GraphQL's ``... on User { name }`` gives them."""
    issue_comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    """REST comments of issues and pull requests, by number, oldest first."""

    @property
    def web(self) -> str:
        return f"{WEB}/{self.full_name}"

    def comment(
        self,
        key: str,
        body: str,
        *,
        author: str | None = "helper",
        upvotes: int = 0,
        reactions: Mapping[str, int] | None = None,
        created: str = "2025-01-02T10:00:00Z",
        minimized: str | None = None,
    ) -> dict[str, Any]:
        """A discussion comment as GitHub's GraphQL API describes it."""
        return {
            "id": f"DC_{key}",
            "url": "",  # Set when the comment is added to a discussion.
            "body": body,
            "createdAt": created,
            "updatedAt": created,
            "upvoteCount": upvotes,
            "isMinimized": minimized is not None,
            "minimizedReason": minimized,
            "author": _actor(author, self.names.get(author or "")),
            "reactionGroups": [
                {"content": content, "reactors": {"totalCount": count}}
                for content, count in (reactions or {}).items()
            ],
        }

    def add_discussion(
        self,
        number: int,
        title: str,
        *,
        body: str = "How do I do this?",
        answer: dict[str, Any] | None = None,
        replies: Sequence[dict[str, Any]] = (),
        category: str = "Q&A",
        updated: str = "2025-01-10T10:00:00Z",
        author: str | None = "asker",
        labels: Sequence[str] = (),
        locked: str | None = None,
        closed: str | None = None,
    ) -> dict[str, Any]:
        """Add a discussion (answered when ``answer`` is given); returns its node to change."""
        slug = dict(self.categories).get(category, category.lower())
        comments = [*([answer] if answer else []), *replies]
        for comment in comments:
            key = comment["id"].removeprefix("DC_")
            comment["url"] = f"{self.web}/discussions/{number}#discussioncomment-{key}"
        node = {
            "id": f"D_{self.full_name}_{number}",
            "number": number,
            "title": title,
            "url": f"{self.web}/discussions/{number}",
            "body": body,
            "createdAt": "2025-01-01T09:00:00Z",
            "updatedAt": updated,
            "upvoteCount": 0,
            "locked": locked is not None,
            "activeLockReason": locked,
            "closed": closed is not None,
            "stateReason": closed,
            "isAnswered": answer is not None,
            "answerChosenAt": "2025-01-03T10:00:00Z" if answer is not None else None,
            "author": _actor(author, self.names.get(author or "")),
            "category": {"name": category, "slug": slug},
            "labels": {"nodes": [{"name": label} for label in labels]},
            "answer": answer,
            "comments": {"nodes": comments},
        }
        self.discussions.append(node)
        return node

    def add_pull(
        self,
        number: int,
        title: str,
        *,
        body: str | None = "",
        merged: str | None = "2025-02-01T12:00:00Z",
        state: str = "closed",
        labels: Sequence[str] = ("customer-facing",),
        updated: str | None = None,
        user: str = "developer",
    ) -> dict[str, Any]:
        """Add a pull request (merged unless ``merged=None``); returns it to change."""
        pull = {
            "id": 1000 + number,
            "number": number,
            "state": state,
            "title": title,
            "body": body,
            "user": {"login": user, "id": 1, "type": "User"},
            "labels": [{"id": i, "name": name} for i, name in enumerate(labels)],
            "created_at": "2025-01-20T12:00:00Z",
            "updated_at": updated or merged or "2025-01-25T12:00:00Z",
            "closed_at": merged if state == "closed" else None,
            "merged_at": merged,
            "html_url": f"{self.web}/pull/{number}",
        }
        self.pulls.append(pull)
        return pull


class _Handler(JsonHandler):
    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _serve(self) -> None:
        fake: FakeGitHub = self.server.fake  # type: ignore[attr-defined]
        self.send_answer(*fake.handle(self.command, self.path, self.headers, self.json_body()))


class FakeGitHub(FakeService):
    """The fake service: start with :meth:`running`, then add repositories and read requests."""

    handler = _Handler

    def __init__(
        self, token: str = TOKEN, *, login: str = "github-actions[bot]", installation: bool = True
    ) -> None:
        self.token = token
        self.login = login
        """Who the token comments as."""
        self.installation = installation
        """An installation token (``GET /user`` refused), or a person's."""
        self.repositories: dict[str, FakeRepository] = {}
        self.requests: list[Request] = []
        self._faults = Faults()
        self._lock = threading.Lock()

    @property
    def api_url(self) -> str:
        """What ``CAREBASE_GITHUB_API_URL`` is set to: the REST root, Enterprise style."""
        return f"{self.url}/api/v3"

    def repository(self, full_name: str, *, private: bool = False) -> FakeRepository:
        """The repository of that name, created empty on first use."""
        if full_name not in self.repositories:
            self.repositories[full_name] = FakeRepository(full_name, private=private)
        return self.repositories[full_name]

    def fail(
        self,
        status: int,
        *,
        times: int = 1,
        path: str = "",
        message: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        """Answer the next ``times`` requests whose path contains ``path`` with ``status``."""
        body = body or {"message": message or f"injected {status}", "documentation_url": WEB}
        self._faults.add(Fault(status, body, dict(headers or {}), path=path, times=times))

    def rate_limit(
        self,
        *,
        times: int = 1,
        reset_in: int = 3600,
        retry_after: int | None = None,
        path: str = "",
    ) -> None:
        """Answer like GitHub's primary rate limit: 403, ``x-ratelimit-remaining: 0``."""
        headers = {
            "x-ratelimit-limit": "60",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": str(int(time.time()) + reset_in),
        }
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        self.fail(403, times=times, path=path, message=RATE_LIMITED, headers=headers)

    def graphql_rate_limit(self, *, times: int = 1) -> None:
        """Answer like GitHub's GraphQL rate limit: 200, with a ``RATE_LIMITED`` error."""
        error = {"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}
        headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 600)}
        body = {"data": None, "errors": [error]}
        self.fail(200, times=times, path="/api/graphql", headers=headers, body=body)

    def delay(self, seconds: float, *, times: int = 1, path: str = "") -> None:
        """Answer the next ``times`` matching requests only after ``seconds``."""
        self._faults.add(Fault(None, delay=seconds, path=path, times=times))

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def operations(self) -> list[str]:
        """Each request in order: its GraphQL operation, or ``GET /path`` for REST."""
        return [r.operation or f"{r.method} {r.path}" for r in self.requests]

    # Called by the handler.

    def handle(
        self, method: str, target: str, headers: Any, body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query))
        fault = self._faults.take(parts.path)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.status is not None:
            status, answer, extra = fault.status, fault.body, dict(fault.headers)
        else:
            status, answer, extra = self._answer(method, parts.path, query, headers, body)
        graphql = body if isinstance(body, dict) else {}
        operation = _OPERATION.search(graphql.get("query", ""))
        request = Request(
            method,
            parts.path,
            query,
            headers.get("Authorization"),
            operation.group(1) if operation else "",
            graphql.get("variables") or {},
            status,
        )
        with self._lock:
            self.requests.append(request)
        return status, answer, {**self._rate_headers(headers), **extra}

    def _rate_headers(self, headers: Any) -> dict[str, str]:
        limit = 5000 if headers.get("Authorization") else 60
        used = len(self.requests)
        return {
            "x-ratelimit-limit": str(limit),
            "x-ratelimit-remaining": str(max(limit - used, 1)),
            "x-ratelimit-reset": str(int(time.time()) + 3600),
        }

    def _answer(
        self, method: str, path: str, query: dict[str, str], headers: Any, body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        authorization = headers.get("Authorization")
        if authorization is not None and authorization not in (
            f"token {self.token}",
            f"Bearer {self.token}",
        ):
            return 401, {"message": "Bad credentials", "documentation_url": WEB}, {}
        if (method, path) == ("POST", "/api/graphql"):
            if authorization is None:
                return 401, {"message": "This endpoint requires you to be authenticated."}, {}
            return 200, self._graphql(body["query"], body.get("variables") or {}), {}
        if (method, path) == ("GET", "/api/v3/user"):
            return self._user(authorization)
        match = _REPO.match(path)
        repository = self.repositories.get(f"{match['owner']}/{match['name']}") if match else None
        if match is None or repository is None:
            return 404, {"message": "Not Found", "documentation_url": WEB}, {}
        if repository.private and authorization is None:
            return 404, {"message": "Not Found", "documentation_url": WEB}, {}
        rest = match["rest"] or ""
        if rest.startswith("/issues/"):
            return self._issues(repository, method, path, rest, query, authorization, body)
        if method != "GET":
            return 404, {"message": "Not Found", "documentation_url": WEB}, {}
        if match["rest"] is None:
            return 200, self._repository_json(repository), {}
        if match["rest"] == "/pulls":
            return self._pulls(repository, path, query)
        return 404, {"message": "Not Found", "documentation_url": WEB}, {}

    def _user(self, authorization: str | None) -> tuple[int, Any, dict[str, str]]:
        if authorization is None:
            return 401, {"message": "Requires authentication", "documentation_url": WEB}, {}
        if self.installation:
            # What api.github.com answers an installation token (GitHub Actions' included).
            docs = "https://docs.github.com/rest/users/users#get-the-authenticated-user"
            message = "Resource not accessible by integration"
            return 403, {"message": message, "documentation_url": docs, "status": "403"}, {}
        return 200, {"login": self.login, "id": 7, "type": "User"}, {}

    def _issues(
        self,
        repository: FakeRepository,
        method: str,
        path: str,
        rest: str,
        query: dict[str, str],
        authorization: str | None,
        body: Any,
    ) -> tuple[int, Any, dict[str, str]]:
        not_found = 404, {"message": "Not Found", "documentation_url": WEB}, {}
        edit = re.fullmatch(r"/issues/comments/(\d+)", rest)
        if edit and method == "PATCH":
            return self._edit_comment(repository, int(edit[1]), authorization, body)
        found = re.fullmatch(r"/issues/(\d+)(/comments)?", rest)
        numbers = {pull["number"] for pull in repository.pulls}
        if not found or int(found[1]) not in numbers:
            return not_found
        number = int(found[1])
        comments = repository.issue_comments.setdefault(number, [])
        if found[2] is None and method == "GET":
            pull = next(p for p in repository.pulls if p["number"] == number)
            url = f"{self.api_url}/repos/{repository.full_name}/issues/{number}"
            return 200, {**pull, "url": url, "pull_request": {"url": url}}, {}
        if found[2] is None:
            return not_found
        if method == "GET":
            return self._page(path, query, comments)
        if method != "POST":
            return not_found
        if authorization is None:
            return 401, {"message": "Requires authentication", "documentation_url": WEB}, {}
        if not isinstance(body, dict) or not isinstance(body.get("body"), str):
            return 422, {"message": "Invalid request.", "documentation_url": WEB}, {}
        comment_id = 9000 + sum(len(c) for c in repository.issue_comments.values())
        comment = {
            "id": comment_id,
            "body": body["body"],
            "user": {
                "login": self.login,
                "id": 41898282,
                "type": "Bot" if self.installation else "User",
            },
            "created_at": "2026-12-05T12:00:00Z",
            "updated_at": "2026-12-05T12:00:00Z",
            "html_url": f"{repository.web}/pull/{number}#issuecomment-{comment_id}",
            "url": f"{self.api_url}/repos/{repository.full_name}/issues/comments/{comment_id}",
        }
        comments.append(comment)
        return 201, comment, {}

    def _edit_comment(
        self, repository: FakeRepository, comment_id: int, authorization: str | None, body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        if authorization is None:
            return 401, {"message": "Requires authentication", "documentation_url": WEB}, {}
        for comments in repository.issue_comments.values():
            for comment in comments:
                if comment["id"] == comment_id:
                    comment["body"] = body["body"]
                    comment["updated_at"] = "2026-12-05T13:00:00Z"
                    return 200, comment, {}
        return 404, {"message": "Not Found", "documentation_url": WEB}, {}

    def _page(
        self, path: str, query: dict[str, str], items: list[dict[str, Any]]
    ) -> tuple[int, Any, dict[str, str]]:
        size = int(query.get("per_page", 30))
        page = int(query.get("page", 1))
        last = max(1, -(-len(items) // size))
        links = []
        if page < last:
            links.append(f'<{self.url}{path}?{urlencode({**query, "page": page + 1})}>; rel="next"')
            links.append(f'<{self.url}{path}?{urlencode({**query, "page": last})}>; rel="last"')
        answer = items[(page - 1) * size : page * size]
        return 200, answer, {"Link": ", ".join(links)} if links else {}

    def _repository_json(self, repository: FakeRepository) -> dict[str, Any]:
        owner, name = repository.full_name.split("/")
        return {
            "id": abs(hash(repository.full_name)) % 10**8,
            "name": name,
            "full_name": repository.full_name,
            "owner": {"login": owner, "id": 1, "type": "Organization"},
            "private": repository.private,
            "html_url": repository.web,
            "url": f"{self.api_url}/repos/{repository.full_name}",
        }

    def _pulls(
        self, repository: FakeRepository, path: str, query: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        state = query.get("state", "open")
        pulls = [p for p in repository.pulls if state == "all" or p["state"] == state]
        if query.get("sort") == "updated":
            descending = query.get("direction", "desc") == "desc"
            pulls.sort(key=lambda p: (p["updated_at"], p["number"]), reverse=descending)
        size = int(query.get("per_page", 30))
        page = int(query.get("page", 1))
        last = max(1, -(-len(pulls) // size))
        items = [
            {**p, "url": f"{self.api_url}/repos/{repository.full_name}/pulls/{p['number']}"}
            for p in pulls[(page - 1) * size : page * size]
        ]
        links = []
        if page < last:
            links.append(f'<{self.url}{path}?{urlencode({**query, "page": page + 1})}>; rel="next"')
            links.append(f'<{self.url}{path}?{urlencode({**query, "page": last})}>; rel="last"')
        return 200, items, {"Link": ", ".join(links)} if links else {}

    def _graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        full_name = f"{variables.get('owner')}/{variables.get('name')}"
        repository = self.repositories.get(full_name)
        if repository is None:
            return {
                "data": {"repository": None},
                "errors": [
                    {
                        "type": "NOT_FOUND",
                        "path": ["repository"],
                        "message": f"Could not resolve to a Repository named '{full_name}'.",
                    }
                ],
            }
        if "discussions(" in query:
            data = self._discussions(repository, variables)
        elif "pullRequest(number:" in query:
            data = self._pull_details(repository, variables)
        else:
            return {"errors": [{"message": "the fake does not know this query"}]}
        return {"data": _project({"repository": data}, set(_WORD.findall(query)))}

    def _discussions(self, repository: FakeRepository, variables: dict[str, Any]) -> Any:
        answered = variables.get("answered")
        nodes = [
            node
            for node in repository.discussions
            if answered is None or node["isAnswered"] == answered
        ]
        nodes.sort(key=lambda node: (node["updatedAt"], node["number"]), reverse=True)
        start = _offset(variables.get("after"))
        size = int(variables["first"])
        page = nodes[start : start + size]
        return {
            "discussionCategories": {
                "nodes": [{"name": name, "slug": slug} for name, slug in repository.categories]
            },
            "discussions": {
                "pageInfo": {
                    "hasNextPage": start + size < len(nodes),
                    "endCursor": _cursor(start + len(page)) if page else None,
                },
                "nodes": page,
            },
        }

    def _pull_details(self, repository: FakeRepository, variables: dict[str, Any]) -> Any:
        pulls = {pull["number"]: pull for pull in repository.pulls}
        details: dict[str, Any] = {}
        for key, number in variables.items():
            if not re.fullmatch(r"n\d+", key):
                continue
            pull = pulls.get(number)
            login = pull["user"]["login"] if pull else None
            details[f"p{key[1:]}"] = pull and {
                "number": number,
                "author": _actor(login, repository.names.get(login or "")),
                "closingIssuesReferences": {
                    "nodes": [self._issue_node(url) for url in repository.closing.get(number, [])]
                },
            }
        return details

    def _issue_node(self, url: str) -> dict[str, Any]:
        """An issue as GraphQL's ``Issue`` gives it: its repository may be another one."""
        owner, name, _issues, number = urlsplit(url).path.strip("/").split("/")[:4]
        repository = self.repositories.get(f"{owner}/{name}")
        titles = repository.issue_titles if repository else {}
        return {
            "url": url,
            "title": titles.get(int(number), f"Issue {number}"),
            "repository": {
                "nameWithOwner": f"{owner}/{name}",
                "isPrivate": bool(repository and repository.private),
            },
        }


def _cursor(offset: int) -> str:
    return base64.b64encode(f"cursor:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    return int(base64.b64decode(cursor).decode().split(":")[1]) if cursor else 0


def _project(value: Any, fields: set[str]) -> Any:
    """Only the fields a GraphQL query names (by word: close enough for a fake)."""
    if isinstance(value, dict):
        return {key: _project(item, fields) for key, item in value.items() if key in fields}
    if isinstance(value, list):
        return [_project(item, fields) for item in value]
    return value
