"""The announcement preview as one comment on a pull request, kept up to date by each push.

The comment is found by a hidden marker in its body and by its author, so each run of the
pull request's workflow edits the same comment rather than adding another; an unchanged preview
is left alone, so reviewers are not notified for nothing.

Anyone can write the marker in a comment of their own: a comment is Carebase's only when the
token that comments wrote it, or its preview would be put into someone else's words (and the
contributor's comment overwritten). The token's login is ``GET /user``'s. GitHub refuses that
request to an installation token (403 "Resource not accessible by integration"), which is what
GitHub Actions' ``GITHUB_TOKEN`` is, and whose comments are authored by ``github-actions[bot]``:
then that login is taken. A GitHub App's own installation token comments as
``<app-slug>[bot]``: name it in ``CAREBASE_PR_COMMENT_LOGIN``, which, when set, is used
without asking ``/user``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import requests
from github import GithubException
from github.IssueComment import IssueComment

from carebase.errors import CarebaseError
from carebase.importers.github_api import GitHubClient, Limits
from carebase.redaction import redact

MARKER = "<!-- carebase-announce-preview -->"
LOGIN_ENV = "CAREBASE_PR_COMMENT_LOGIN"
"""Who the token comments as, when ``GET /user`` cannot tell (a GitHub App: ``<slug>[bot]``)."""
ACTIONS_LOGIN = "github-actions[bot]"
"""The author of GitHub Actions' ``GITHUB_TOKEN``'s comments."""
MAX_BODY = 65_000
"""GitHub refuses comments over 65,536 characters."""

Outcome = Literal["created", "updated", "unchanged"]


class CommentError(CarebaseError):
    """GitHub refused or failed the comment; the message says why and what to do."""


def comment_body(text: str) -> str:
    """``text`` with the marker, shortened to what GitHub accepts."""
    body = f"{MARKER}\n{text}"
    if len(body) <= MAX_BODY:
        return body
    note = "\n\n… (shortened: run `carebase announce --dry-run` for the whole preview)"
    return body[: MAX_BODY - len(note)] + note


def upsert_comment(
    repository: str, number: int, text: str, token: str, api_url: str, login: str | None = None
) -> str:
    """Create or update the preview comment on pull request ``number`` of ``repository``;
    return what happened and the comment's address. ``login``: who the token comments as
    (asked of GitHub when None)."""
    client = GitHubClient(api_url, token, page_size=100, limits=Limits(pause=0))
    body = comment_body(text)
    try:
        author = login or token_login(client)
        issue = client.github.get_repo(repository).get_issue(number)
        existing = _ours(issue.get_comments(), author)
        outcome: Outcome
        if existing is None:
            comment = issue.create_comment(body)
            outcome = "created"
        elif existing.body == body:
            comment, outcome = existing, "unchanged"
        else:
            existing.edit(body)
            comment, outcome = existing, "updated"
    except (GithubException, requests.RequestException) as exc:
        raise CommentError(redact(_explain(exc, repository, number))) from exc
    finally:
        client.close()
    return f"{outcome}: {comment.html_url}"


def token_login(client: GitHubClient) -> str:
    """The login the token comments as: ``GET /user``'s, or ``github-actions[bot]`` for an
    installation token, which GitHub refuses ``/user`` (403)."""
    try:
        return client.github.get_user().login
    except GithubException as exc:
        if exc.status != 403:
            raise
        return ACTIONS_LOGIN


def _ours(comments: Iterable[IssueComment], author: str) -> IssueComment | None:
    """The first comment holding the marker that ``author`` wrote (logins ignore case)."""
    return next(
        (
            comment
            for comment in comments
            if MARKER in (comment.body or "")
            and comment.user is not None
            and comment.user.login.lower() == author.lower()
        ),
        None,
    )


def _explain(exc: Exception, repository: str, number: int) -> str:
    where = f"pull request #{number} of {repository}"
    if isinstance(exc, requests.RequestException):
        return f"GitHub could not be reached to comment on {where} ({type(exc).__name__})"
    assert isinstance(exc, GithubException)
    message = exc.data.get("message", "") if isinstance(exc.data, dict) else str(exc.data)
    if exc.status == 401:
        return (
            f"GitHub rejected GITHUB_TOKEN (401 {message}) commenting on {where}\n"
            "  hint: it is mistyped, expired or revoked"
        )
    if exc.status in (403, 404):
        return (
            f"GitHub refused the comment on {where} ({exc.status} {message})\n"
            "  hint: check the number; the workflow needs 'permissions: pull-requests: write' "
            "(a pull request from a fork gets a read-only token)"
        )
    return f"GitHub answered {exc.status} commenting on {where}: {message}"
