"""`carebase serve`: an edited article body is re-rendered alone, as a full build renders it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.site.conftest import BUILD_TIME, copy_sample
from tests.site.servers import free_port, wait_until_answering

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fast rebuilds need os.fork")

# The server adds its reload script, with the build's time, to every page it serves.
LIVERELOAD = re.compile(r"livereload\(\d+, \d+\);")
# Every full build starts with this line and ends with the server's "Reloading browsers"; the
# engine's own "Documentation built in" was seen missing once (static-i18n filters it while it
# builds the other languages), so the test does not rely on it.
FULL_BUILD = "Building documentation..."
RELOADED = "Reloading browsers"
FAILED_REBUILD = "An error happened during the rebuild"


@dataclass
class Preview:
    """A running `carebase serve` of a copy of the sample site."""

    project: Path
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def page(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return LIVERELOAD.sub("livereload();", response.read().decode("utf-8"))

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def wait_for(self, path: str, text: str, timeout: float = 60) -> str:
        """Poll the page until it shows ``text``; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            page = self.page(path)
            if text in page:
                return page
            time.sleep(0.1)
        pytest.fail(f"{path} did not show {text!r} within {timeout} s:\n{self.output()[-3000:]}")

    def full_builds_done(self) -> int:
        """How many full builds the server finished: the first (the fixture waited for it to
        serve), and each later one once the server reloads the browsers after it."""
        output = self.output()
        assert FAILED_REBUILD not in output, output[-3000:]
        started = output.count(FULL_BUILD)
        last = output.rfind(FULL_BUILD)
        return started if RELOADED in output[last:] or started == 1 else started - 1

    def wait_for_full_builds(self, count: int, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while self.full_builds_done() < count:
            if time.monotonic() > deadline:
                pytest.fail(f"no full build within {timeout} s:\n{self.output()[-3000:]}")
            time.sleep(0.1)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.project / "content" / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{rel} no longer contains {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    root = tmp_path_factory.mktemp("live")
    project = copy_sample(root / "project")
    port = free_port()
    log = root / "serve.log"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(BUILD_TIME.timestamp()))}
    command = [sys.executable, "-m", "carebase", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    with log.open("wb") as sink:
        # Its own session: the engine it starts goes down with it.
        process = subprocess.Popen(
            command,
            cwd=project,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    server = Preview(project, f"http://127.0.0.1:{port}/", log, process)
    try:
        wait_until_answering(server.url, process, timeout=120)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_an_edited_body_is_rendered_alone_and_as_a_full_build_renders_it(preview):
    article = "kb/billing/change-your-payment-method.md"
    builds = preview.full_builds_done()
    preview.edit(article, "\n## ", "\nA sentence added while the preview runs.\n\n## ")

    fast = preview.wait_for("kb/billing/change-your-payment-method/", "added while the preview")
    assert "Rebuilt kb/billing/change-your-payment-method/index.html" in preview.output()
    assert preview.output().count(FULL_BUILD) == builds

    # Anything but an article's text (here the config) runs the full build.
    (preview.project / "mkdocs.yml").touch()
    preview.wait_for_full_builds(builds + 1)
    assert preview.page("kb/billing/change-your-payment-method/") == fast


def test_an_edited_translation_is_rendered_in_its_language(preview):
    article = "kb/billing/how-to-get-a-refund.es.md"
    preview.edit(article, "\n## ", "\nUna frase nueva mientras se previsualiza.\n\n## ")
    page = preview.wait_for("es/kb/billing/how-to-get-a-refund/", "Una frase nueva")
    assert 'lang="es"' in page
    assert "Rebuilt es/kb/billing/how-to-get-a-refund/index.html" in preview.output()


def test_a_new_title_runs_the_full_build_so_listings_show_it(preview):
    builds = preview.full_builds_done()
    article = "kb/billing/change-your-payment-method.md"
    path = preview.project / "content" / article
    title = re.search(r"^title: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert title is not None
    preview.edit(article, f"title: {title[1]}", "title: Reading your bill, line by line")
    preview.wait_for_full_builds(builds + 1)
    assert "Reading your bill, line by line" in preview.page("kb/billing/")
