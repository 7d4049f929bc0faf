"""Pushing search records to Algolia, with the official client (``algoliasearch`` v4).

A push is incremental: it reads the ``objectID`` and ``hash`` of every record the index
holds, saves only new and changed records, and deletes the records no page produces any
more, so pushing an unchanged site writes nothing. ``full=True`` replaces every record
through a temporary index moved over the live one, so readers never see it half-filled.

The client retries a 429 on the same host (waiting ``Retry-After``) and moves on to the next
host after a 5xx or a timeout, but then marks every host down for five minutes and gives up.
:class:`AlgoliaIndex` adds a few spaced attempts around each call, with the hosts brought
back up, and turns what remains into one-line errors that say what to do.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from algoliasearch.http.exceptions import AlgoliaUnreachableHostException, RequestException
from algoliasearch.http.hosts import Host, HostsCollection
from algoliasearch.search.client import SearchClientSync
from algoliasearch.search.config import SearchConfig

from carebase.errors import CarebaseError
from carebase.redaction import remember
from carebase.search.records import SearchRecord
from carebase.search.settings import AlgoliaSettings

HOSTS_ENV = "CAREBASE_ALGOLIA_HOSTS"
"""Optional: comma-separated base URLs to send requests to instead of Algolia's own hosts."""
BATCH_SIZE = 1000
"""Records per ``batch`` request: Algolia's advice, and at 8 KB a record well under its cap."""
RETRIED_STATUS = 429
_T = TypeVar("_T")
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")


SYNONYM_PAGE = 1000
"""Synonyms read per request (Algolia's largest page)."""
MAX_SYNONYM_PAGES = 100
"""At most this many pages of synonyms are read: 100,000, far beyond any help centre's."""


class AlgoliaError(CarebaseError):
    """Algolia refused a push, or could not be reached."""


def index_settings(fallback: bool = True) -> dict[str, Any]:
    """The settings a Carebase index needs, for DocSearch-shaped records."""
    hierarchy = [f"unordered(hierarchy.lvl{level})" for level in range(7)]
    return {
        # Questions (a page's "Also asked as") rank right after its title: they are the words
        # customers use, which the title and text may not (money back / refund).
        "searchableAttributes": [*hierarchy[:2], "unordered(questions)", *hierarchy[2:], "content"],
        # hierarchy.lvl0 is the category as readers see it (its title, or "Blog"): the
        # search box's category filter.
        "attributesForFaceting": [
            "filterOnly(lang)",
            "filterOnly(fallback_for)",
            "searchable(category)",
            "hierarchy.lvl0",
            "page_type",
        ],
        "customRanking": [
            "desc(promoted)",
            "desc(weight.page_rank)",
            "desc(weight.level)",
            "asc(weight.position)",
        ],
        # One hit per page: its best section.
        "attributeForDistinct": "url_without_anchor",
        "distinct": True,
        "attributesToRetrieve": [
            "hierarchy",
            "content",
            "anchor",
            "url",
            "url_without_anchor",
            "type",
            "page_type",
            "lang",
            "category",
            "fallback_for",
        ],
        "attributesToHighlight": ["hierarchy", "content"],
        "attributesToSnippet": ["content:20"],
        "highlightPreTag": "<mark>",
        "highlightPostTag": "</mark>",
        "snippetEllipsisText": "…",
        "advancedSyntax": True,
        "allowTyposOnNumericTokens": False,
        # The search plugin's `fallback`: a long question that matches nothing drops words.
        "removeWordsIfNoResults": "allOptional" if fallback else "none",
    }


def settings_changes(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, Any]:
    """The settings in ``wanted`` that ``current`` lacks or holds with another value."""
    return {name: value for name, value in wanted.items() if current.get(name) != value}


def admin_key(settings: AlgoliaSettings, environ: Mapping[str, str] = os.environ) -> str:
    """The admin key, from the environment variable the settings name; never from a file."""
    name = settings.admin_key_env
    key = environ.get(name, "").strip()
    if not key:
        raise AlgoliaError(
            f"{name} is not set: pushing to Algolia needs the application's Admin API key; "
            f"hint: export {name}=<Admin API key of {settings.app_id}> (Algolia dashboard, "
            "API Keys), or set it as a CI secret; never write it in mkdocs.yml"
        )
    remember(key)
    return key


def parse_hosts(text: str) -> tuple[str, ...]:
    """Base URLs from ``CAREBASE_ALGOLIA_HOSTS`` (``http://127.0.0.1:8080,https://proxy``)."""
    hosts = tuple(part.strip().rstrip("/") for part in text.split(",") if part.strip())
    for host in hosts:
        parts = urlsplit(host)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path:
            raise AlgoliaError(
                f"{HOSTS_ENV}: '{host}' is not a base URL; "
                "hint: write scheme://host[:port], several separated by commas"
            )
    return hosts


@dataclass(frozen=True)
class Network:
    """How patiently to talk to Algolia."""

    attempts: int = 3
    """Tries of each call, each with the client's own retries inside; 1 turns ours off."""
    backoff: float = 2.0
    """Seconds before our second try, doubled before each next one."""
    connect_timeout: float = 2.0
    read_timeout: float = 5.0
    write_timeout: float = 30.0
    hosts: tuple[str, ...] = ()
    """Base URLs replacing Algolia's hosts (a proxy, a test server); empty for Algolia's."""


@dataclass(frozen=True)
class PushPlan:
    """What an incremental push writes."""

    save: list[SearchRecord]
    delete: list[str]
    unchanged: int


def plan_push(records: Sequence[SearchRecord], existing: Mapping[str, str]) -> PushPlan:
    """Compare fresh records with the index's ``{objectID: hash}``."""
    save = [record for record in records if existing.get(record.object_id) != record.hash]
    produced = {record.object_id for record in records}
    delete = sorted(object_id for object_id in existing if object_id not in produced)
    return PushPlan(save=save, delete=delete, unchanged=len(records) - len(save))


@dataclass(frozen=True)
class PushReport:
    """What a push did, or with ``dry_run``, would do."""

    index: str
    plan: PushPlan
    settings_changed: tuple[str, ...]
    full: bool
    dry_run: bool
    created: bool
    """The index did not exist before."""
    records: int
    """Records the site produced."""
    synonyms_sent: int | None = None
    """Synonyms written (or, in a dry run, to write) in place of the index's; 0 when the
    index already holds exactly the site's; None when the site has no synonyms file."""

    @property
    def saved(self) -> int:
        return self.records if self.full else len(self.plan.save)

    @property
    def deleted(self) -> int:
        return len(self.plan.delete)

    @property
    def unchanged(self) -> int:
        return 0 if self.full else self.plan.unchanged


class AlgoliaIndex:
    """One Algolia index through the official client, patient and with plain errors."""

    def __init__(
        self, settings: AlgoliaSettings, api_key: str, network: Network | None = None
    ) -> None:
        self.name = settings.index_name
        self._settings = settings
        self._key = api_key
        self._network = network or Network()
        _quiet_client_logs()
        self._config = _client_config(settings.app_id, api_key, self._network)
        self._client = SearchClientSync.create_with_config(self._config)

    def __enter__(self) -> AlgoliaIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._client.close()

    def current_settings(self) -> dict[str, Any] | None:
        """The index's settings; None when the index does not exist yet."""
        try:
            response = self._call("reading the index settings", self._get_settings)
        except _Missing:
            return None
        settings: dict[str, Any] = json.loads(response.raw_data or "{}")
        return settings

    def change_settings(self, changes: Mapping[str, Any]) -> None:
        """Set ``changes`` (only those settings), creating the index if needed."""
        what = "changing the index settings"
        task = self._call(what, self._client.set_settings, self.name, dict(changes))
        self._wait(what, self.name, task.task_id)

    def synonyms(self) -> list[dict[str, Any]]:
        """Every synonym of the index, as Algolia stores them (empty when there is none)."""
        found: list[dict[str, Any]] = []
        for page in range(MAX_SYNONYM_PAGES):
            params = {"hitsPerPage": SYNONYM_PAGE, "page": page}
            try:
                answer = self._call("reading the synonyms", self._search_synonyms, params)
            except _Missing:
                return found
            hits = answer.get("hits") or []
            found.extend(hits)
            if len(found) >= int(answer.get("nbHits", 0)) or not hits:
                break
        return found

    def replace_synonyms(self, synonyms: Sequence[Mapping[str, Any]]) -> None:
        """Make ``synonyms`` the index's only synonyms (and its replicas'), in one request."""
        what = "saving the synonyms"
        task = self._call(
            what,
            self._client.save_synonyms,
            self.name,
            [dict(synonym) for synonym in synonyms],
            forward_to_replicas=True,
            replace_existing_synonyms=True,
        )
        self._wait(what, self.name, task.task_id)

    def _search_synonyms(self, params: dict[str, Any]) -> dict[str, Any]:
        response = self._client.search_synonyms_with_http_info(self.name, params)
        answer: dict[str, Any] = json.loads(response.raw_data or "{}")
        return answer

    def hashes(self) -> dict[str, str]:
        """``{objectID: hash}`` of every record in the index; empty when there is none."""
        found: dict[str, str] = {}
        params: dict[str, Any] = {"attributesToRetrieve": ["hash"], "hitsPerPage": 1000}
        while True:
            try:
                page = self._call("reading the index", self._browse, params)
            except _Missing:
                return found
            found.update((hit["objectID"], str(hit.get("hash", ""))) for hit in page["hits"])
            if not page.get("cursor"):
                return found
            params = {**params, "cursor": page["cursor"]}

    def write(self, save: Iterable[SearchRecord], delete: Iterable[str]) -> None:
        """Save and delete records in batches, then wait until Algolia has applied them."""
        actions = [{"action": "addObject", "body": record.to_dict()} for record in save]
        actions += [{"action": "deleteObject", "body": {"objectID": oid}} for oid in delete]
        tasks = [
            self._call("saving records", self._client.batch, self.name, {"requests": batch})
            for batch in _batches(actions, BATCH_SIZE)
        ]
        for task in tasks:
            self._wait("saving records", self.name, task.task_id)

    def replace_all(self, records: Sequence[SearchRecord]) -> None:
        """Replace every record atomically: fill a temporary copy, then move it over."""
        objects = [record.to_dict() for record in records]
        self._call(
            "replacing all records",
            self._client.replace_all_objects,
            self.name,
            objects,
            batch_size=BATCH_SIZE,
        )

    def _get_settings(self) -> Any:
        return self._client.get_settings_with_http_info(self.name)

    def _browse(self, params: dict[str, Any]) -> dict[str, Any]:
        response = self._client.browse_with_http_info(self.name, params)
        page: dict[str, Any] = json.loads(response.raw_data or "{}")
        return page

    def _wait(self, what: str, index: str, task_id: int) -> None:
        self._call(what, self._client.wait_for_task, index, task_id)

    def _call(self, what: str, call: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """``call``, tried again after a pause while Algolia is busy, failing or unreachable."""
        attempts = max(1, self._network.attempts)
        for attempt in range(1, attempts + 1):
            try:
                return call(*args, **kwargs)
            except RequestException as exc:
                failure = self._failure(what, exc, attempt)
                if exc.status_code == 404:
                    raise _Missing(str(failure)) from exc
                if exc.status_code != RETRIED_STATUS or attempt == attempts:
                    raise failure from exc
            except (AlgoliaUnreachableHostException, requests.RequestException) as exc:
                failure = self._failure(what, exc, attempt)
                self._bring_hosts_back()
                if attempt == attempts:
                    raise failure from exc
            time.sleep(self._network.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _failure(self, what: str, exc: Exception, attempts: int) -> AlgoliaError:
        message = _describe(what, exc, attempts, self._settings, self._network, self._hosts())
        return AlgoliaError(message.replace(self._key, "***"))

    def _hosts(self) -> list[Host]:
        hosts = self._config.hosts
        return [*hosts.read(), *hosts.write()] if hosts is not None else []

    def _bring_hosts_back(self) -> None:
        # The client marks a failing host down for five minutes; our next try needs them.
        for host in self._hosts():
            host.reset()


class _Missing(AlgoliaError):
    """Algolia answered 404: the index (or task) does not exist."""


def push(
    records: Sequence[SearchRecord],
    index: AlgoliaIndex,
    *,
    full: bool = False,
    dry_run: bool = False,
    fallback: bool = True,
    synonyms: Sequence[Mapping[str, Any]] | None = None,
) -> PushReport:
    """Bring ``index`` in line with ``records``, the settings Carebase needs and the site's
    ``synonyms`` (Algolia's objects; None leaves the index's synonyms alone)."""
    if not records:
        raise AlgoliaError(
            f"the site has no published pages, so the push would empty index '{index.name}'; "
            "hint: check --site-dir, and that the site was built with `carebase build`"
        )
    current = index.current_settings()
    changes = settings_changes(current or {}, index_settings(fallback))
    existing = index.hashes() if current is not None else {}
    plan = plan_push(records, existing)
    sent = _synonyms_to_send(index, synonyms, current is not None)
    if not dry_run:
        if changes:
            index.change_settings(changes)
        if sent:
            index.replace_synonyms(synonyms or ())
        if full:
            index.replace_all(records)
        elif plan.save or plan.delete:
            index.write(plan.save, plan.delete)
    return PushReport(
        index=index.name,
        plan=plan,
        settings_changed=tuple(changes),
        full=full,
        dry_run=dry_run,
        created=current is None,
        records=len(records),
        synonyms_sent=None if synonyms is None else len(synonyms) if sent else 0,
    )


def _synonyms_to_send(
    index: AlgoliaIndex, synonyms: Sequence[Mapping[str, Any]] | None, exists: bool
) -> bool:
    """Whether the index's synonyms differ from the site's (never, without a synonyms file)."""
    if synonyms is None:
        return False
    held = index.synonyms() if exists else []
    return _comparable(held) != _comparable(synonyms)


def _comparable(synonyms: Iterable[Mapping[str, Any]]) -> set[str]:
    # Algolia answers with highlight data and may spell the type differently (oneWaySynonym).
    kept = ("objectID", "type", "synonyms", "input")
    return {
        json.dumps(
            {k: str(v).lower() if k == "type" else v for k, v in synonym.items() if k in kept},
            sort_keys=True,
        )
        for synonym in synonyms
    }


def _client_config(app_id: str, api_key: str, network: Network) -> SearchConfig:
    config = SearchConfig(app_id, api_key)
    config.connect_timeout = round(network.connect_timeout * 1000)
    config.read_timeout = round(network.read_timeout * 1000)
    config.write_timeout = round(network.write_timeout * 1000)
    if network.hosts:
        config.hosts = HostsCollection([_host(url) for url in network.hosts])
    return config


def _host(url: str) -> Host:
    parts = urlsplit(url)
    return Host(url=parts.hostname or "", scheme=parts.scheme, port=parts.port)


def _batches(items: list[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _quiet_client_logs() -> None:
    """Keep the client's and urllib3's debug logs (URLs, retries) out of CI output."""
    for name in ("algoliasearch", "urllib3"):
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.level, logging.WARNING))


def _describe(
    what: str,
    exc: Exception,
    attempts: int,
    settings: AlgoliaSettings,
    network: Network,
    hosts: list[Host],
) -> str:
    """One line saying what failed and what to do about it."""
    app = settings.app_id
    if isinstance(exc, RequestException):
        return _describe_status(what, exc, attempts, settings)
    if isinstance(exc, AlgoliaUnreachableHostException):
        if any(host.retry_count for host in hosts):
            return (
                f"Algolia did not answer in time while {what} ({network.read_timeout:g} s read "
                f"timeout, {network.write_timeout:g} s write, {attempts} attempts); "
                "hint: check the network, or try again later"
            )
        return (
            f"Algolia's servers failed (HTTP 5xx) while {what}, {attempts} attempts; "
            "hint: see https://status.algolia.com and push again later"
        )
    cause = _ERRNO.search(str(exc))
    reason = cause.group(1).strip() if cause else type(exc).__name__
    return (
        f"cannot connect to Algolia application {app} while {what} ({reason}, {attempts} "
        f"attempts); hint: check the network, and algolia.app_id in mkdocs.yml"
    )


def _describe_status(
    what: str, exc: RequestException, attempts: int, settings: AlgoliaSettings
) -> str:
    status, message = exc.status_code, str(exc.message).strip() or "no message"
    if status == 403:
        return (
            f"Algolia refused the key in {settings.admin_key_env} for application "
            f"{settings.app_id} while {what}: {message} (HTTP 403); hint: set "
            f"{settings.admin_key_env} to the Admin API key of application {settings.app_id} "
            "(Algolia dashboard, API Keys)"
        )
    if status == 404:
        return (
            f"Algolia has no index '{settings.index_name}' in application {settings.app_id} "
            f"({message}, HTTP 404) while {what}; hint: check algolia.app_id and "
            "algolia.index_name in mkdocs.yml"
        )
    if status == RETRIED_STATUS:
        return (
            f"Algolia kept answering 429 Too Many Requests while {what}, {attempts} attempts; "
            "hint: wait a few minutes and push again, or push less often"
        )
    return f"Algolia rejected {what}: {message} (HTTP {status})"
