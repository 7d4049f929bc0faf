"""The announcement preview as one comment on a pull request, kept up to date by each push.

The comment is found by a hidden marker in its body, so each run of the pull request's
workflow edits the same comment rather than adding another; an unchanged preview is left
alone, so reviewers are not notified for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import requests
from github import GithubException
from github.IssueComment import IssueComment

from carebase.announce.secrets import redact, remember
from carebase.errors import CarebaseError
from carebase.importers.github_api import GitHubClient, Limits

MARKER = "<!-- carebase-announce-preview -->"
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


def upsert_comment(repository: str, number: int, text: str, token: str, api_url: str) -> str:
    """Create or update the preview comment on pull request ``number`` of ``repository``;
    return what happened and the comment's address."""
    remember(token)
    client = GitHubClient(api_url, token, page_size=100, limits=Limits(pause=0))
    body = comment_body(text)
    try:
        issue = client.github.get_repo(repository).get_issue(number)
        existing = _ours(issue.get_comments())
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


def _ours(comments: Iterable[IssueComment]) -> IssueComment | None:
    return next((comment for comment in comments if MARKER in (comment.body or "")), None)


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
