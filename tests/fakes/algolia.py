"""A fake Algolia Search API on 127.0.0.1, for the real ``algoliasearch`` client.

It speaks the REST wire format the client uses (``/1/indexes/{index}/...``): ``batch``,
``browse`` with a cursor, settings, tasks (always published), ``operation`` (copy, move) and
index deletion, synonyms (``synonyms/batch`` with ``replaceExistingSynonyms``, 400 for an
invalid synonym; ``synonyms/search``), and answers like Algolia where the push depends on
it: 403 with Algolia's body for a wrong key, 404 for a missing index on browse and settings.
Tests can make the next requests fail (429 with ``Retry-After``, 5xx) or answer late, and
read every request.

For the site's search box it also answers ``query`` (words matched in the record's text,
all of them, or any with ``removeWordsIfNoResults``; ``filters`` of ``attr:"value"`` joined by
AND, or by OR inside parentheses (an array attribute matches when it holds the value); one hit
per page; matches marked in ``_snippetResult``) to the *search-only* key, which
may do nothing else, and answers browsers' CORS preflight requests as Algolia does.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes.server import FakeService, Fault, Faults, JsonHandler

INVALID_KEY = {"message": "Invalid Application-ID or API key", "status": 403}
NOT_ALLOWED = {"message": "Method not allowed with this API key", "status": 403}
_WORD = re.compile(r"\w+", re.UNICODE)
_FILTER = re.compile(r'(?P<name>[\w.]+):"(?P<value>(?:[^"\\]|\\.)*)"')
_ROUTE = re.compile(
    r"^/1/indexes/(?P<index>[^/]+)(?:/(?P<verb>[a-z]+)(?:/(?P<task>\d+)|/(?P<sub>[a-z]+))?)?$"
)
SYNONYM_TYPES = ("synonym", "onewaysynonym", "altcorrection1", "altcorrection2", "placeholder")


@dataclass
class FakeIndex:
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    synonyms: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """One request as the fake received it, and what it answered."""

    method: str
    path: str
    index: str
    verb: str
    body: Any
    status: int

    @property
    def writes(self) -> int:
        """Algolia's indexing operations: one per record in a batch, one per other write."""
        if self.status != 200:
            return 0
        if self.verb == "batch":
            return len(self.body["requests"])
        if self.verb == "synonyms" and self.method == "POST" and isinstance(self.body, list):
            return len(self.body)  # Each synonym saved counts as one operation.
        return 1 if self.method in ("PUT", "DELETE") or self.verb == "operation" else 0


_CORS = {"Access-Control-Allow-Origin": "*"}


class _Handler(JsonHandler):
    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_OPTIONS(self) -> None:
        """A browser's CORS preflight, answered as Algolia does: anyone may ask."""
        self.send_response(200)
        for name, value in _CORS.items():
            self.send_header(name, value)
        self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
        self.send_header(
            "Access-Control-Allow-Headers",
            "x-algolia-application-id, x-algolia-api-key, content-type",
        )
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _serve(self) -> None:
        fake: FakeAlgolia = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        status, answer, extra = fake.handle(
            self.command, parts.path, self.headers, self.json_body(), parts.query
        )
        self.send_answer(status, answer, {**_CORS, **extra})


class FakeAlgolia(FakeService):
    """The fake service: start with :meth:`running`, inspect ``indexes`` and ``requests``."""

    handler = _Handler

    def __init__(
        self,
        app_id: str = "TESTAPP",
        admin_key: str = "admin-key-for-tests",
        search_key: str = "search-only-key-for-tests",
    ) -> None:
        self.app_id = app_id
        self.admin_key = admin_key
        self.search_key = search_key
        self.indexes: dict[str, FakeIndex] = {}
        self.requests: list[Request] = []
        self.sizes: dict[str, list[int]] = {}
        """Record count of each index after every change to it, to see what readers saw."""
        self.moves: list[tuple[str, str]] = []
        self.browse_page_size = 1000
        self._faults = Faults()
        self._tasks = 0
        self._lock = threading.Lock()

    def fail(
        self, status: int, *, times: int = 1, retry_after: str | None = None, path: str = ""
    ) -> None:
        """Answer the next ``times`` requests whose path contains ``path`` with ``status``."""
        body = {"message": f"injected {status}", "status": status}
        headers = {"Retry-After": retry_after} if retry_after else {}
        self._faults.add(Fault(status, body, headers, path=path, times=times))

    def delay(self, seconds: float, *, times: int = 1, path: str = "") -> None:
        """Answer the next ``times`` matching requests only after ``seconds``."""
        self._faults.add(Fault(None, delay=seconds, path=path, times=times))

    def writes(self, index: str | None = None) -> int:
        """Indexing operations received, for one index or all."""
        return sum(r.writes for r in self.requests if index is None or r.index == index)

    def batch_actions(self, index: str) -> list[tuple[str, str]]:
        """``(action, objectID)`` of every batched write to ``index``, in order."""
        return [
            (item["action"], item["body"]["objectID"])
            for request in self.requests
            if request.verb == "batch" and request.index == index and request.status == 200
            for item in request.body["requests"]
        ]

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()
            self.moves.clear()
            self.sizes.clear()

    # Called by the handler, one request at a time per index name.

    def handle(
        self, method: str, path: str, headers: Any, body: Any, query: str = ""
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        fault = self._faults.take(path)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        match = _ROUTE.match(path)
        index = unquote(match["index"]) if match else ""
        verb = (match["verb"] or "") if match else ""
        status, answer, extra = self._answer(fault, method, match, headers, (body, query))
        with self._lock:
            self.requests.append(Request(method, path, index, verb, body, status))
        return status, answer, extra

    def _answer(
        self,
        fault: Fault | None,
        method: str,
        match: re.Match[str] | None,
        headers: Any,
        body: Any,
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if fault is not None and fault.status is not None:
            return fault.status, fault.body, dict(fault.headers)
        key = headers.get("x-algolia-api-key")
        if headers.get("x-algolia-application-id") != self.app_id or key not in (
            self.admin_key,
            self.search_key,
        ):
            return 403, INVALID_KEY, {}
        if match is None:
            return 404, {"message": "Not found", "status": 404}, {}
        if key == self.search_key and (method, match["verb"]) != ("POST", "query"):
            return 403, NOT_ALLOWED, {}
        body, query = body
        name, verb = unquote(match["index"]), match["verb"] or ""
        with self._lock:
            if verb == "synonyms":
                return self._synonyms(method, name, match["sub"] or "", body, parse_qs(query))
            return self._route(method, name, verb, match["task"], body)

    def _synonyms(
        self, method: str, name: str, action: str, body: Any, query: dict[str, list[str]]
    ) -> tuple[int, Any, dict[str, str]]:
        """``POST synonyms/batch`` (a list of synonyms) and ``POST synonyms/search``."""
        if (method, action) == ("POST", "search"):
            index = self.indexes.get(name)
            if index is None:
                return self._missing(name)
            params = body or {}
            size, page = int(params.get("hitsPerPage", 100)), int(params.get("page", 0))
            every = [index.synonyms[key] for key in sorted(index.synonyms)]
            hits = [
                {**hit, "_highlightResult": {}} for hit in every[page * size : (page + 1) * size]
            ]
            return 200, {"hits": hits, "nbHits": len(every)}, {}
        if (method, action) != ("POST", "batch"):
            return 404, {"message": f"no route {method} synonyms/{action}", "status": 404}, {}
        problem = _synonym_problem(body)
        if problem:
            return 400, {"message": problem, "status": 400}, {}
        index = self.indexes.setdefault(name, FakeIndex())
        if query.get("replaceExistingSynonyms", ["false"])[0] == "true":
            index.synonyms.clear()
        index.synonyms.update((hit["objectID"], dict(hit)) for hit in body)
        self._changed(name)
        return 200, self._task(updatedAt="2026-11-23T12:00:00.000Z"), {}

    def _route(
        self, method: str, name: str, verb: str, task: str | None, body: Any
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        routes = {
            ("POST", "batch"): self._batch,
            ("POST", "browse"): self._browse,
            ("POST", "query"): self._query,
            ("GET", "settings"): self._get_settings,
            ("PUT", "settings"): self._set_settings,
            ("POST", "operation"): self._operation,
            ("DELETE", ""): self._delete_index,
        }
        if method == "GET" and verb == "task" and task is not None:
            return 200, {"status": "published", "pendingTask": False}, {}
        handler = routes.get((method, verb))
        if handler is None:
            return 404, {"message": f"no route {method} {verb}", "status": 404}, {}
        return handler(name, body)

    def _missing(self, name: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        return 404, {"message": f"Index {name} does not exist", "status": 404}, {}

    def _task(self, **fields: Any) -> dict[str, Any]:
        self._tasks += 1
        return {"taskID": self._tasks, **fields}

    def _changed(self, name: str) -> None:
        index = self.indexes.get(name)
        self.sizes.setdefault(name, []).append(len(index.records) if index else 0)

    def _batch(self, name: str, body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        index = self.indexes.setdefault(name, FakeIndex())
        ids = []
        for item in body["requests"]:
            action, record = item["action"], item["body"]
            if action in ("addObject", "updateObject"):
                index.records[record["objectID"]] = record
            elif action == "deleteObject":
                index.records.pop(record["objectID"], None)
            else:
                return 400, {"message": f"unsupported action {action}", "status": 400}, {}
            ids.append(record["objectID"])
        self._changed(name)
        return 200, self._task(objectIDs=ids), {}

    def _browse(self, name: str, body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        index = self.indexes.get(name)
        if index is None:
            return self._missing(name)
        params = body or {}
        start = int(base64.b64decode(params["cursor"])) if params.get("cursor") else 0
        size = min(int(params.get("hitsPerPage", 1000)), self.browse_page_size)
        ids = sorted(index.records)
        attributes = params.get("attributesToRetrieve")
        hits = [_retrieve(index.records[i], attributes) for i in ids[start : start + size]]
        page: dict[str, Any] = {
            "hits": hits,
            "nbHits": len(ids),
            "page": 0,
            "nbPages": 1,
            "hitsPerPage": size,
            "processingTimeMS": 1,
            "query": "",
            "params": "",
        }
        if start + size < len(ids):
            page["cursor"] = base64.b64encode(str(start + size).encode()).decode()
        return 200, page, {}

    def _query(self, name: str, body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        index = self.indexes.get(name)
        if index is None:
            return self._missing(name)
        params = {k: v[0] for k, v in parse_qs((body or {}).get("params", "")).items()}
        words = {w.lower() for w in _WORD.findall(params.get("query", ""))}
        filters = _clauses(params.get("filters", ""))
        candidates = [r for r in index.records.values() if _matches(r, filters)]

        def score(record: dict[str, Any]) -> int:
            found = {w.lower() for w in _WORD.findall(_text(record))}
            return len(words & found)

        ranked = [(score(r), r) for r in candidates]
        wanted = len(words)
        hits = [r for s, r in ranked if s == wanted and wanted]
        if not hits and params.get("removeWordsIfNoResults") == "allOptional":
            hits = [r for s, r in sorted(ranked, key=lambda pair: -pair[0]) if s > 0]

        # Like Algolia's ranking with distinct: each page is shown by its best-matching
        # record, the one whose text holds most of the words.
        def in_text(record: dict[str, Any]) -> int:
            found = {w.lower() for w in _WORD.findall(str(record.get("content", "")))}
            return len(words & found)

        hits.sort(key=in_text, reverse=True)
        pages: dict[str, dict[str, Any]] = {}
        for record in hits:
            pages.setdefault(str(record.get("url_without_anchor", record["objectID"])), record)
        limit = int(params.get("hitsPerPage", 20))
        answer = [
            {
                **record,
                "_snippetResult": {
                    "content": {"value": _snippet(str(record.get("content", "")), words)}
                },
            }
            for record in list(pages.values())[:limit]
        ]
        return 200, {"hits": answer, "nbHits": len(pages), "query": params.get("query", "")}, {}

    def _get_settings(self, name: str, _body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        index = self.indexes.get(name)
        if index is None:
            return self._missing(name)
        return 200, {"hitsPerPage": 20, "paginationLimitedTo": 1000, **index.settings}, {}

    def _set_settings(self, name: str, body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        self.indexes.setdefault(name, FakeIndex()).settings.update(body)
        self._changed(name)
        return 200, self._task(updatedAt="2026-11-23T12:00:00.000Z"), {}

    def _operation(self, name: str, body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        destination = body["destination"]
        source = self.indexes.get(name)
        if body["operation"] == "move":
            # Like Algolia: moving a missing index is ignored; the rename is atomic.
            if source is not None:
                self.indexes[destination] = self.indexes.pop(name)
                self.moves.append((name, destination))
                self._changed(destination)
        elif body["operation"] == "copy":
            self._copy(source or FakeIndex(), destination, body.get("scope"))
        else:
            return 400, {"message": f"unknown operation {body['operation']}", "status": 400}, {}
        return 200, self._task(updatedAt="2026-11-23T12:00:00.000Z"), {}

    def _copy(self, source: FakeIndex, destination: str, scope: list[str] | None) -> None:
        target = self.indexes.setdefault(destination, FakeIndex())
        if scope is None or "settings" in scope:
            target.settings = dict(source.settings)
        if scope is None or "synonyms" in scope:
            target.synonyms = dict(source.synonyms)
        if scope is None:
            target.records = dict(source.records)
        self._changed(destination)

    def _delete_index(self, name: str, _body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        self.indexes.pop(name, None)
        self._changed(name)
        return 200, self._task(deletedAt="2026-11-23T12:00:00.000Z"), {}


def _synonym_problem(body: Any) -> str:
    """What Algolia would reject in a synonyms batch (its 400 message), or nothing."""
    if not isinstance(body, list):
        return "Invalid JSON: expected an array of synonyms"
    for number, hit in enumerate(body):
        kind = hit.get("type") if isinstance(hit, dict) else None
        if not isinstance(hit, dict) or not isinstance(hit.get("objectID"), str):
            return f"synonym {number}: missing objectID"
        if kind not in SYNONYM_TYPES:
            return f"synonym {number}: invalid type {kind!r}"
        words = hit.get("synonyms")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            return f"synonym {number}: 'synonyms' must be a non-empty array of strings"
        if kind == "onewaysynonym" and not isinstance(hit.get("input"), str):
            return f"synonym {number}: a one-way synonym needs 'input'"
    return ""


def _text(record: dict[str, Any]) -> str:
    hierarchy = record.get("hierarchy") or {}
    return " ".join([*(str(v) for v in hierarchy.values() if v), str(record.get("content", ""))])


def _attribute(record: dict[str, Any], name: str) -> list[str]:
    """The record's values of ``name`` (``hierarchy.lvl0``): one, or each of an array's."""
    value: Any = record
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    values = value if isinstance(value, list) else [value]
    return ["" if item is None else str(item) for item in values]


def _clauses(filters: str) -> list[list[tuple[str, str]]]:
    """``filters`` as clauses joined by AND, each of ``attr:"value"`` alternatives (OR)."""
    clauses = [clause for clause in filters.split(" AND ") if clause.strip()]
    return [[(m["name"], m["value"]) for m in _FILTER.finditer(clause)] for clause in clauses]


def _matches(record: dict[str, Any], clauses: list[list[tuple[str, str]]]) -> bool:
    return all(
        any(value in _attribute(record, name) for name, value in clause) for clause in clauses
    )


def _snippet(content: str, words: set[str]) -> str:
    marked = _WORD.sub(
        lambda m: f"<mark>{m.group(0)}</mark>" if m.group(0).lower() in words else m.group(0),
        content,
    )
    return marked[:400]


def _retrieve(record: dict[str, Any], attributes: list[str] | None) -> dict[str, Any]:
    if attributes is None or "*" in attributes:
        return dict(record)
    return {"objectID": record["objectID"], **{a: record[a] for a in attributes if a in record}}


def use_algolia(
    config: Path, app_id: str, index: str, search_key: str, search_host: str | None = None
) -> None:
    """Point a project's ``carebase/search`` plugin at an Algolia index (this fake's, with
    ``search_host``, for the site's search box too)."""
    host = f"        search_host: {search_host}\n" if search_host else ""
    options = (
        "  - carebase/search:\n      backend: algolia\n      algolia:\n"
        f"        app_id: {app_id}\n        index_name: {index}\n"
        f"        search_key: {search_key}\n{host}"
    )
    text = config.read_text(encoding="utf-8")
    if "  - carebase/search\n" in text:
        text = text.replace("  - carebase/search\n", options)
    else:
        text = text.replace("plugins:\n", f"plugins:\n{options}", 1)
    config.write_text(text, encoding="utf-8")
