"""GitHub as a source: answered Discussions and merged pull requests, read through PyGithub.

Discussions exist only in GitHub's GraphQL API, which always needs a token. Merged pull requests
are listed through REST, which answers public repositories without one (60 requests an hour);
with a token, one GraphQL query per batch adds the issues each closes and display names.

Bodies are imported as the Markdown their authors wrote (``body``), not GitHub's ``bodyHTML``:
the articles are Markdown, and the HTML carries GitHub's own rendering (camo-proxied image
URLs that expire, ``<g-emoji>``, hovercard ``data-*`` attributes) that the sanitiser would only
have to strip again. What GitHub's Markdown means that ours would not, ``#12`` references, is
resolved here into links, because only the source knows which repository they point into.

Both sources list newest-updated first and stop at the cursor, so an incremental run costs a
request or two. The cursor maps each repository to the newest update fully seen; a run cut
short by ``limit`` leaves it where it was, so nothing is skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from github.PullRequest import PullRequest

from carebase.importers.gfm import autolink_references, closing_references, image_urls
from carebase.importers.github_api import GitHubClient, GitHubError, Limits, connect, token_from
from carebase.importers.model import Change, Cursor, Post, Removal, Thread
from carebase.importers.settings import ENV, IMPORT_PLUGIN, DiscussionsOptions, PullsOptions
from carebase.models import SourceKind

GHOST = "ghost"
"""GitHub's name for a deleted account."""
DISCUSSIONS_PAGE = 25
PULLS_PAGE = 100
COMMENTS = 50
"""Comments read per discussion: the most helpful replies are chosen among these."""
MAX_REPLIES = 20
POSITIVE = frozenset({"THUMBS_UP", "HEART", "HOORAY", "ROCKET"})
"""Reactions that count as votes for a reply, with its upvotes."""
UNPUBLISHABLE_LOCKS = frozenset({"SPAM", "OFF_TOPIC", "TOO_HEATED"})
"""A discussion locked as RESOLVED (or without a reason) is still a good answer."""
UNPUBLISHABLE_CLOSES = frozenset({"OUTDATED", "DUPLICATE"})


# Cursors: {"owner/repo": "2025-01-31T12:00:00+00:00"}, one mark per repository, so a
# repository added to the options is read from the beginning. A bare timestamp (what the
# engine passes for ``--since``) holds for every repository.

ALL = "*"


def _marks(cursor: Cursor) -> dict[str, datetime]:
    value = cursor.value.strip()
    try:
        if value and not value.startswith("{"):
            return {ALL: _time(value)}
        return {name: _time(when) for name, when in json.loads(value or "{}").items()}
    except (ValueError, TypeError, AttributeError):
        return {}  # Unreadable (another version's): reading everything again is safe.


def _cursor(marks: Mapping[str, datetime]) -> Cursor:
    kept = {name: when.isoformat() for name, when in sorted(marks.items()) if name != ALL}
    return Cursor(json.dumps(kept))


@dataclass
class _Progress:
    """What one run has seen: how many threads, their ids, and whether the limit cut it."""

    limit: int | None
    threads: int = 0
    cut: bool = False
    known: set[str] = field(default_factory=set)

    def room(self) -> bool:
        """Whether another thread may be yielded; remembers that the limit cut the run."""
        if self.limit is not None and self.threads >= self.limit:
            self.cut = True
        return not self.cut

    def took(self, thread: Thread) -> None:
        self.threads += 1
        self.known.add(thread.id)


# Discussions: one GraphQL query per page, newest update first.

_ACTOR = "author { login ... on User { name } }"
_COMMENT = (
    "id url body createdAt updatedAt upvoteCount isMinimized minimizedReason "
    f"{_ACTOR} reactionGroups {{ content reactors {{ totalCount }} }}"
)
DISCUSSIONS_QUERY = f"""
query CarebaseDiscussions($owner: String!, $name: String!, $answered: Boolean,
                          $first: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    discussionCategories(first: 25) {{ nodes {{ name slug }} }}
    discussions(first: $first, after: $after, answered: $answered,
                orderBy: {{field: UPDATED_AT, direction: DESC}}) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{
        id number title url body createdAt updatedAt upvoteCount
        locked activeLockReason closed stateReason isAnswered answerChosenAt
        {_ACTOR}
        category {{ name slug }}
        labels(first: 20) {{ nodes {{ name }} }}
        answer {{ {_COMMENT} }}
        comments(first: {COMMENTS}) {{ nodes {{ {_COMMENT} }} }}
      }}
    }}
  }}
}}
"""


Options = TypeVar("Options", DiscussionsOptions, PullsOptions)


class _GitHubSource(Generic[Options]):
    """What both GitHub sources keep: their options, the API client, where a run ended."""

    def __init__(self, options: Options, client: GitHubClient) -> None:
        self.options: Options = options
        self.client = client
        self._cursor = Cursor()
        self._known: set[str] | None = None

    @property
    def requests_made(self) -> int:
        return self.client.requests_made

    def cursor(self) -> Cursor:
        return self._cursor

    def known_ids(self) -> set[str] | None:
        return self._known


class DiscussionsSource(_GitHubSource[DiscussionsOptions]):
    """Answered GitHub Discussions of one repository, each with its accepted answer."""

    kind = SourceKind.GITHUB_DISCUSSION

    @classmethod
    def from_settings(
        cls,
        options: DiscussionsOptions | None,
        env: Mapping[str, str],
        *,
        limits: Limits | None = None,
    ) -> DiscussionsSource:
        """A source for ``options``, with the token and API URL of ``env``."""
        if options is None:
            raise GitHubError(
                f"plugins.{IMPORT_PLUGIN}.discussions.repository is not set: "
                "name the repository whose discussions to import, as owner/name"
            )
        token = token_from(env)
        if token is None:
            raise GitHubError(
                "GitHub Discussions can only be read through GitHub's GraphQL API, which "
                f"needs a token: set {ENV['github_token']} (public_repo scope, or "
                "'Discussions: read' for a fine-grained token)"
            )
        return cls(
            options, connect(env, token, page_size=DISCUSSIONS_PAGE, limits=limits or Limits())
        )

    def changes(self, since: Cursor, *, full: bool, limit: int | None) -> Iterator[Change]:
        """Answered discussions updated since ``since``; unpublishable ones as removals.

        Incrementally, every updated discussion is read, answered or not, so one that lost
        its answer becomes a :class:`Removal`; ``full`` reads the answered ones only and
        leaves deleted ones to :meth:`known_ids`.
        """
        self._cursor, self._known = since, None
        marks = _marks(since)
        name = self.options.repository
        after = None if full else marks.get(name, marks.get(ALL))
        progress = _Progress(limit)
        newest: datetime | None = None
        try:
            with self.client.explaining(name, "discussions.repository"):
                for node in self._discussions(full=full):
                    updated = _time(node["updatedAt"])
                    if after is not None and updated <= after:
                        break
                    change = discussion_change(node, self._categories)
                    if isinstance(change, Thread):
                        if not progress.room():
                            break
                        progress.took(change)
                    newest = max(newest or updated, updated)
                    yield change
        finally:
            self.client.close()
        if progress.cut:
            return
        mark = newest or after
        self._cursor = _cursor({**marks, name: mark} if mark else marks)
        self._known = progress.known if full else None

    @property
    def _categories(self) -> frozenset[str]:
        return frozenset(category.casefold() for category in self.options.categories)

    def _discussions(self, *, full: bool) -> Iterator[dict[str, Any]]:
        owner, name = self.options.repository.split("/", 1)
        variables: dict[str, Any] = {
            "owner": owner,
            "name": name,
            "answered": True if full else None,
            "first": self.client.github.requester.per_page,
            "after": None,
        }
        while True:
            repository = self.client.graphql(DISCUSSIONS_QUERY, variables)["repository"]
            if variables["after"] is None:
                self._check_categories(repository["discussionCategories"]["nodes"])
            page = repository["discussions"]
            yield from page["nodes"]
            if not page["pageInfo"]["hasNextPage"]:
                return
            variables["after"] = page["pageInfo"]["endCursor"]

    def _check_categories(self, nodes: list[dict[str, Any]]) -> None:
        names = {node["name"].casefold() for node in nodes}
        names |= {node["slug"].casefold() for node in nodes}
        unknown = sorted(c for c in self.options.categories if c.casefold() not in names)
        if unknown:
            available = ", ".join(f"'{node['name']}'" for node in nodes) or "none"
            raise GitHubError(
                f"plugins.{IMPORT_PLUGIN}.discussions.categories: "
                f"{', '.join(repr(c) for c in unknown)} not found in "
                f"{self.options.repository}; its categories are {available}"
            )


def discussion_change(node: Mapping[str, Any], categories: frozenset[str] = frozenset()) -> Change:
    """A discussion as GitHub's GraphQL API describes it, as a thread or a removal.

    ``categories`` (case-folded names or slugs; empty: all) are the ones imported.
    """
    reason = _withdrawn(node, categories)
    if reason is not None:
        return Removal(SourceKind.GITHUB_DISCUSSION, node["id"], reason)
    return _discussion_thread(node)


def _withdrawn(node: Mapping[str, Any], categories: frozenset[str]) -> str | None:
    category = node["category"]
    answer = node.get("answer")
    if categories and not {category["name"].casefold(), category["slug"].casefold()} & categories:
        return f"is in category '{category['name']}', which is not imported"
    if not node.get("isAnswered") or answer is None:
        return "has no accepted answer"
    if node.get("locked") and node.get("activeLockReason") in UNPUBLISHABLE_LOCKS:
        return f"was locked as {_words(node['activeLockReason'])}"
    if answer.get("isMinimized"):
        return f"its answer was hidden as {_words(answer.get('minimizedReason') or 'hidden')}"
    if node.get("closed") and node.get("stateReason") in UNPUBLISHABLE_CLOSES:
        return f"was closed as {_words(node['stateReason'])}"
    return None


def _words(enum: str) -> str:
    return enum.lower().replace("_", " ")


def _discussion_thread(node: Mapping[str, Any]) -> Thread:
    web = node["url"].rsplit("/discussions/", 1)[0]
    answer = _comment_post(node["answer"], web)
    replies = sorted(
        (
            _comment_post(comment, web)
            for comment in node["comments"]["nodes"]
            if comment["id"] != answer.id and not comment.get("isMinimized")
        ),
        key=lambda post: (-post.score, post.created_at),
    )[:MAX_REPLIES]
    question = Post(
        id=node["id"],
        author=_author(node.get("author")),
        body=autolink_references(node.get("body") or "", web),
        format="markdown",
        created_at=_time(node["createdAt"]),
        score=int(node.get("upvoteCount") or 0),
        url=node["url"],
    )
    texts = [question.body, answer.body, *(reply.body for reply in replies)]
    changed = [node["updatedAt"], node.get("answerChosenAt"), node["answer"].get("updatedAt")]
    return Thread(
        kind=SourceKind.GITHUB_DISCUSSION,
        id=node["id"],
        url=node["url"],
        title=node["title"],
        source_category=node["category"]["name"],
        question=question,
        answer=answer,
        replies=tuple(replies),
        tags=tuple(label["name"] for label in node.get("labels", {}).get("nodes", [])),
        created_at=question.created_at,
        updated_at=max(_time(value) for value in changed if value),
        links=_unique(re.findall(re.escape(web) + r"/discussions/\d+", "\n".join(texts))),
        images=image_urls(texts),
    )


def _comment_post(comment: Mapping[str, Any], web: str) -> Post:
    votes = int(comment.get("upvoteCount") or 0)
    reactions = sum(
        group["reactors"]["totalCount"]
        for group in comment.get("reactionGroups") or []
        if group["content"] in POSITIVE
    )
    return Post(
        id=comment["id"],
        author=_author(comment.get("author")),
        body=autolink_references(comment.get("body") or "", web),
        format="markdown",
        created_at=_time(comment["createdAt"]),
        score=votes + reactions,
        url=comment.get("url") or "",
    )


def _author(actor: Mapping[str, Any] | None) -> str:
    """The display name if set (and not an e-mail address), else the login."""
    if not actor:
        return GHOST
    name = str(actor.get("name") or "").strip()
    return name if name and "@" not in name else str(actor["login"])


def _time(value: str | datetime) -> datetime:
    when = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


# Pull requests: listed through REST, newest update first; enriched through GraphQL.

_PULL_FIELDS = (
    f"number {_ACTOR} closingIssuesReferences(first: 20) "
    "{ nodes { url title repository { nameWithOwner isPrivate } } }"
)


@dataclass(frozen=True)
class PullFacts:
    """What an article needs of a merged pull request, however it was read."""

    repository: str
    number: int
    title: str
    body: str
    url: str
    author: str
    created_at: datetime
    merged_at: datetime
    updated_at: datetime
    labels: tuple[str, ...] = ()
    closes: tuple[str, ...] = ()
    """URLs of the issues GitHub says it closes (besides those named in the body)."""
    closes_titles: tuple[str, ...] = ()
    """Titles of those issues that are in this repository or a public one (untrusted)."""


class PullsSource(_GitHubSource[PullsOptions]):
    """Merged pull requests of some repositories with one of some labels: "What's new"."""

    kind = SourceKind.GITHUB_PULL

    @classmethod
    def from_settings(
        cls,
        options: PullsOptions | None,
        env: Mapping[str, str],
        *,
        limits: Limits | None = None,
    ) -> PullsSource:
        """A source for ``options``; without a token, public repositories only."""
        if options is None or not options.repositories:
            raise GitHubError(
                f"plugins.{IMPORT_PLUGIN}.pulls.repositories is not set: name the "
                "repositories whose merged pull requests to import, as owner/name"
            )
        return cls(
            options, connect(env, token_from(env), page_size=PULLS_PAGE, limits=limits or Limits())
        )

    def changes(self, since: Cursor, *, full: bool, limit: int | None) -> Iterator[Change]:
        """Merged, labelled pull requests updated since ``since``.

        Incrementally, a merged pull request that lost its label becomes a :class:`Removal`.
        """
        self._cursor, self._known = since, None
        marks = _marks(since)
        progress = _Progress(limit)
        try:
            for name in self.options.repositories:
                after = None if full else marks.get(name, marks.get(ALL))
                with self.client.explaining(name, "pulls.repositories"):
                    newest = yield from self._repository(name, after, full, progress)
                if progress.cut:
                    return
                mark = newest or after
                if mark is not None:
                    marks[name] = mark
        finally:
            self.client.close()
        self._cursor = _cursor(marks)
        self._known = progress.known if full else None

    def _repository(
        self, name: str, after: datetime | None, full: bool, progress: _Progress
    ) -> Generator[Change, None, datetime | None]:
        """The changes of one repository since ``after``; returns its newest update seen."""
        repository = self.client.github.get_repo(name)
        chosen: list[PullRequest] = []
        newest: datetime | None = None
        for pull in repository.get_pulls(state="closed", sort="updated", direction="desc"):
            updated = _time(pull.updated_at or pull.created_at)
            if after is not None and updated <= after:
                break
            if pull.merged_at is not None and self._wanted(pull):
                if not progress.room():
                    break
                progress.threads += 1  # Counted now, so the listing stops at the limit.
                chosen.append(pull)
            elif pull.merged_at is not None and not full:
                yield Removal(self.kind, f"{name}#{pull.number}", self._unlabelled())
            newest = max(newest or updated, updated)
        for batch in _batches(chosen, 50):
            for facts in self._facts(name, batch):
                thread = pull_thread(facts, self.options.category, self.options.labels)
                progress.known.add(thread.id)
                yield thread
        return newest

    def _wanted(self, pull: PullRequest) -> bool:
        wanted = {label.casefold() for label in self.options.labels}
        return not wanted or any(label.name.casefold() in wanted for label in pull.labels)

    def _unlabelled(self) -> str:
        return "is no longer labelled " + " or ".join(f"'{x}'" for x in self.options.labels)

    def _facts(self, name: str, pulls: list[PullRequest]) -> list[PullFacts]:
        extra = self._graphql_facts(name, [pull.number for pull in pulls])
        return [_pull_facts(name, pull, extra.get(pull.number)) for pull in pulls]

    def _graphql_facts(self, name: str, numbers: list[int]) -> dict[int, dict[str, Any]]:
        """Display names and closed issues, one query for a batch; needs a token."""
        if not self.client.authenticated or not numbers:
            return {}
        owner, repo = name.split("/", 1)
        declared = ", ".join(f"$n{i}: Int!" for i in range(len(numbers)))
        fields = " ".join(
            f"p{i}: pullRequest(number: $n{i}) {{ {_PULL_FIELDS} }}" for i in range(len(numbers))
        )
        query = (
            f"query CarebasePulls($owner: String!, $name: String!, {declared}) "
            f"{{ repository(owner: $owner, name: $name) {{ {fields} }} }}"
        )
        variables: dict[str, Any] = {"owner": owner, "name": repo}
        variables |= {f"n{i}": number for i, number in enumerate(numbers)}
        repository = self.client.graphql(query, variables)["repository"]
        return {node["number"]: node for node in repository.values() if node}


def _pull_facts(name: str, pull: PullRequest, extra: Mapping[str, Any] | None) -> PullFacts:
    author = _author(extra.get("author")) if extra else (pull.user.login if pull.user else GHOST)
    nodes = extra["closingIssuesReferences"]["nodes"] if extra else []
    closes = [node["url"] for node in nodes]
    merged = pull.merged_at
    assert merged is not None
    return PullFacts(
        repository=name,
        number=pull.number,
        title=pull.title,
        body=pull.body or "",
        url=pull.html_url,
        author=author,
        created_at=_time(pull.created_at),
        merged_at=_time(merged),
        updated_at=_time(pull.updated_at or pull.created_at),
        labels=tuple(label.name for label in pull.labels),
        closes=tuple(closes),
        closes_titles=tuple(_public_titles(name, nodes)),
    )


def _public_titles(name: str, issues: Iterable[Mapping[str, Any]]) -> list[str]:
    """Titles of closed issues readers may see: in the pull request's own repository (which
    is imported) or in a public one; a token may see private repositories' issues too."""
    titles = []
    for issue in issues:
        repository = issue.get("repository") or {}
        public = repository.get("nameWithOwner") == name or repository.get("isPrivate") is False
        if public and issue.get("title"):
            titles.append(str(issue["title"]))
    return titles


def pull_thread(facts: PullFacts, category: str, selecting: Iterable[str] = ()) -> Thread:
    """A merged pull request as a thread: its body is the article, dated when it merged.

    Labels become tags, except those that only ``selecting`` it (every article has them).
    """
    web = facts.url.rsplit("/pull/", 1)[0]
    body = autolink_references(facts.body, web)
    skip = {label.casefold() for label in selecting}
    question = Post(
        id=f"{facts.repository}#{facts.number}",
        author=facts.author,
        body=body,
        format="markdown",
        created_at=facts.created_at,
        url=facts.url,
    )
    return Thread(
        kind=SourceKind.GITHUB_PULL,
        id=f"{facts.repository}#{facts.number}",
        url=facts.url,
        title=facts.title,
        source_category=category,
        question=question,
        answer=None,
        tags=tuple(label for label in facts.labels if label.casefold() not in skip),
        created_at=facts.merged_at,
        updated_at=facts.updated_at,
        links=_unique([*closing_references(facts.body, web), *facts.closes]),
        images=image_urls([facts.body]),
        questions=facts.closes_titles,
    )


def _batches(items: list[PullRequest], size: int) -> Iterator[list[PullRequest]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
