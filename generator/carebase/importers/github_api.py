"""The connection to GitHub that both GitHub sources share: PyGithub, bounded retries, and
errors a person can act on.

PyGithub retries 5xx answers and rate limits (``GithubRetry``); here the waits are bounded
(:class:`Limits`), requests are counted, and every failure becomes one :class:`GitHubError`
that says what to do, without the token.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from github import Auth, Github, GithubException, GithubRetry
from github.GithubException import (
    BadCredentialsException,
    RateLimitExceededExceedsMaxWait,
    RateLimitExceededException,
    UnknownObjectException,
)
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.response import BaseHTTPResponse

from carebase.announce.secrets import header_safe
from carebase.errors import CarebaseError
from carebase.importers.settings import ENV, IMPORT_PLUGIN
from carebase.redaction import redact, remember

API_URL = "https://api.github.com"
USER_AGENT = "carebase-importer"


class GitHubError(CarebaseError):
    """GitHub refused or failed a request; the message says why and what to do."""


@dataclass(frozen=True)
class Limits:
    """How long and how often to try: bounded, so an import never hangs on GitHub."""

    timeout: int = 20
    """Seconds to wait for one answer."""
    retries: int = 3
    """Further attempts after a timeout, a 5xx or a rate limit."""
    backoff: float = 0.5
    """urllib3's backoff factor: seconds before the second retry, doubling after."""
    max_wait: float = 60.0
    """Longest wait for a rate limit (``Retry-After``, ``x-ratelimit-reset``) before giving up."""
    pause: float = 0.25
    """Seconds between requests, which GitHub asks of API clients (PyGithub's default)."""


class _BoundedRetry(GithubRetry):
    """GithubRetry that gives up, rather than sleeps, when ``Retry-After`` exceeds the bound.

    GithubRetry caps the wait for ``x-ratelimit-reset`` (``max_rate_limit_wait``) but leaves
    ``Retry-After`` to urllib3, which sleeps for as long as the server asks.
    """

    def sleep_for_retry(self, response: BaseHTTPResponse) -> bool:
        wait = self.get_retry_after(response)
        bound = self.max_rate_limit_wait
        if wait is not None and bound is not None and wait > bound:
            headers = dict(response.headers)
            raise RateLimitExceededExceedsMaxWait(response.status, None, headers, wait=wait)
        return super().sleep_for_retry(response)


class GitHubClient:
    """One PyGithub connection, the errors it explains, and the requests it made."""

    def __init__(self, api_url: str, token: str | None, *, page_size: int, limits: Limits):
        self.api_url = api_url
        self.limits = limits
        self.requests_made = 0
        self._token = token
        if token:
            remember(token)
        retry = _BoundedRetry(
            total=limits.retries,
            backoff_factor=limits.backoff,
            # After the last attempt, hand PyGithub GitHub's answer, whose message says why.
            raise_on_status=False,
            max_rate_limit_wait=limits.max_wait,
            secondary_rate_wait=min(60.0, limits.max_wait),
        )
        self.github = Github(
            auth=Auth.Token(token) if token else None,
            base_url=api_url,
            timeout=limits.timeout,
            per_page=page_size,
            retry=retry,
            user_agent=USER_AGENT,
            seconds_between_requests=limits.pause or None,
            # The importers only read, but GraphQL reads are POSTs, which PyGithub would
            # space a second apart as if they were writes.
            seconds_between_writes=None,
        )
        self._count_requests()

    @property
    def authenticated(self) -> bool:
        return self._token is not None

    def _count_requests(self) -> None:
        requester = self.github.requester
        send = requester.requestJsonAndCheck

        def counted(*args: Any, **kwargs: Any) -> tuple[dict[str, Any], Any]:
            self.requests_made += 1
            return send(*args, **kwargs)

        # PyGithub has no request hook, but every REST and GraphQL call goes through here.
        requester.requestJsonAndCheck = counted  # type: ignore[method-assign]

    def graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The ``data`` of a GraphQL answer; GraphQL errors raise like REST ones."""
        _, answer = self.github.requester.graphql_query(query, variables)
        data: dict[str, Any] = answer["data"]
        return data

    @contextmanager
    def explaining(self, repository: str, setting: str) -> Iterator[None]:
        """Turn PyGithub's and requests' exceptions into one :class:`GitHubError`."""
        try:
            yield
        except (GithubException, requests.RequestException) as exc:
            raise GitHubError(redact(self._explain(exc, repository, setting))) from exc
        except (RecursionError, ValueError) as exc:
            # An answer that is not GitHub's JSON (a proxy's page, nesting too deep to read).
            raise GitHubError(
                f"GitHub at {self.api_url} gave an answer that cannot be read "
                f"({type(exc).__name__}) while reading {repository} ({setting}); hint: check "
                f"{ENV['github_api_url']}, or try again later"
            ) from None

    def close(self) -> None:
        self.github.close()

    def _explain(self, exc: Exception, repository: str, setting: str) -> str:
        if isinstance(exc, requests.RequestException):
            return self._unreachable(exc)
        assert isinstance(exc, GithubException)
        status, message = exc.status, _message(exc)
        if _rate_limited(exc):
            return self._rate_limit(exc)
        if isinstance(exc, BadCredentialsException) or status == 401:
            return self._unauthorised(message)
        if isinstance(exc, UnknownObjectException) or status == 404:
            return (
                f"GitHub repository '{repository}' was not found at {self.api_url} "
                f"(plugins.{IMPORT_PLUGIN}.{setting})\n"
                f"  hint: check the name; a private repository needs a {ENV['github_token']} "
                "that can read it"
            )
        if status == 403:
            return (
                f"GitHub refused access to {repository} (403 {message})\n"
                f"  hint: the token in {ENV['github_token']} needs read access to its "
                "discussions and pull requests"
            )
        if status >= 500:
            attempts = self.limits.retries + 1
            return (
                f"GitHub kept failing for {repository} ({status} {message}) after "
                f"{attempts} attempts; try again later"
            )
        return f"GitHub answered {status} for {repository}: {message}"

    def _unauthorised(self, message: str) -> str:
        name = ENV["github_token"]
        if self.authenticated:
            return (
                f"GitHub rejected the token in {name} (401 {message}): "
                "it is mistyped, expired or revoked"
            )
        return f"GitHub requires a token for this (401 {message}): set {name}"

    def _rate_limit(self, exc: GithubException) -> str:
        who = "this token" if self.authenticated else "requests without a token"
        text = f"GitHub's rate limit for {who} is used up"
        reset = _header(exc, "x-ratelimit-reset")
        if reset and reset.isdigit():
            text += f" until {datetime.fromtimestamp(int(reset), UTC):%H:%M:%S} UTC"
        if isinstance(exc, RateLimitExceededExceedsMaxWait) and exc.wait is not None:
            text += f" (GitHub asks to wait {exc.wait:.0f} s"
            text += f"; Carebase waits at most {self.limits.max_wait:g} s)"
        if self.authenticated:
            return f"{text}\n  hint: try again after the reset"
        return (
            f"{text}\n  hint: set {ENV['github_token']}: GitHub allows 60 requests an hour "
            "without a token, 5,000 with one"
        )

    def _unreachable(self, exc: requests.RequestException) -> str:
        attempts = self.limits.retries + 1
        if _timed_out(exc):
            return (
                f"GitHub ({self.api_url}) did not answer within {self.limits.timeout} s "
                f"({attempts} attempts); try again later"
            )
        return (
            f"Could not reach GitHub at {self.api_url} ({type(exc).__name__}, "
            f"{attempts} attempts)\n"
            f"  hint: check the network and {ENV['github_api_url']}"
        )


def _message(exc: GithubException) -> str:
    data = exc.data
    if isinstance(data, dict):
        errors = data.get("errors")
        if isinstance(errors, list) and errors:
            return "; ".join(str(error.get("message", error)) for error in errors)
        return str(data.get("message") or "")
    return str(data or "")


def _header(exc: GithubException, name: str) -> str | None:
    headers = {key.lower(): value for key, value in (exc.headers or {}).items()}
    value = headers.get(name)
    return None if value is None else str(value)


def _rate_limited(exc: GithubException) -> bool:
    if isinstance(exc, RateLimitExceededException) or exc.status == 429:
        return True
    errors = exc.data.get("errors") if isinstance(exc.data, dict) else None
    graphql = isinstance(errors, list) and any(
        isinstance(error, dict) and error.get("type") == "RATE_LIMITED" for error in errors
    )
    return graphql or (exc.status == 403 and _header(exc, "x-ratelimit-remaining") == "0")


def _timed_out(exc: requests.RequestException) -> bool:
    if isinstance(exc, requests.Timeout):
        return True
    # After the last retry, requests wraps a read timeout as a ConnectionError.
    # (urllib3 counts a refused connection as a ConnectTimeoutError too.)
    return any(
        isinstance(arg, MaxRetryError)
        and isinstance(arg.reason, ReadTimeoutError | ConnectTimeoutError)
        and not isinstance(arg.reason, NewConnectionError)
        for arg in exc.args
    )


def connect(
    env: Mapping[str, str], token: str | None, *, page_size: int, limits: Limits
) -> GitHubClient:
    """A client for the API at ``CAREBASE_GITHUB_API_URL`` (default: github.com's)."""
    return GitHubClient(api_url_from(env), token, page_size=page_size, limits=limits)


def api_url_from(env: Mapping[str, str]) -> str:
    """The API address in ``CAREBASE_GITHUB_API_URL`` (GitHub Enterprise), else github.com's."""
    api_url = (env.get(ENV["github_api_url"]) or API_URL).rstrip("/")
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise GitHubError(
            f"{ENV['github_api_url']} must be an http(s) URL such as "
            f"https://github.example.com/api/v3, got '{api_url}'"
        )
    return api_url


def token_from(env: Mapping[str, str]) -> str | None:
    """The token in ``GITHUB_TOKEN``, if any (an error when it cannot be sent in a header)."""
    token = (env.get(ENV["github_token"]) or "").strip()
    return header_safe(ENV["github_token"], token, "the GitHub importer") if token else None
