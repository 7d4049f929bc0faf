"""Every line Carebase prints is redacted: each secret read, as itself and in the forms servers
echo it back in (percent-encoded, base64, inside a Basic ``Authorization``), URL userinfo and
credential-like query parameters; errors keep their hints; numbers that make no sense are
refused; and a whole deploy prints no canary."""

from __future__ import annotations

import base64
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from carebase import redaction
from carebase.cli.main import cli
from carebase.manifest import MANIFEST_FILE, Manifest
from carebase.redaction import REDACTED, encoded_forms, redact, remember
from tests.conftest import MKDOCS_YML, ProjectFactory

ALPHABET = string.ascii_letters + string.digits + "+/=&%:!@#?~._- é€"
SECRETS = st.text(ALPHABET, min_size=8, max_size=40)
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]+=*")


@pytest.fixture(autouse=True, scope="module")
def _secrets_of_this_module_stay_here() -> Iterator[None]:
    """The many secrets remembered here are forgotten after: an example such as "00000000"
    would otherwise blank out parts of other modules' output."""
    known, forms = set(redaction._known), redaction._forms
    yield
    with redaction._lock:
        redaction._known.clear()
        redaction._known.update(known)
        redaction._forms = forms


def echoes(secret: str) -> dict[str, str]:
    """The forms a server or client library may print ``secret`` in."""
    raw = secret.encode()
    forms = {
        "raw": secret,
        "quote": quote(secret),
        "quote (safe='')": quote(secret, safe=""),
        "quote_plus": quote_plus(secret),
        "quote_plus (safe='')": quote_plus(secret, safe=""),
    }
    for name, encode in (("b64", base64.b64encode), ("urlsafe", base64.urlsafe_b64encode)):
        padded = encode(raw).decode()
        forms |= {name: padded, f"{name} unpadded": padded.rstrip("=")}
    return forms


def recoverable(text: str, secret: str) -> bool:
    """Whether the middle of ``secret`` decodes out of any base64-looking run in ``text``, at
    any of the 4 character offsets (the edges of a redacted part may leak a byte or two)."""
    middle = secret.encode()[2:-2]
    for run in _BASE64_RUN.findall(text):
        run = run.rstrip("=").translate(str.maketrans("-_", "+/"))
        for offset in range(4):
            chunk = run[offset:]
            chunk = chunk[: len(chunk) // 4 * 4]
            if chunk and middle in base64.b64decode(chunk):
                return True
    return False


@settings(max_examples=150, deadline=None)
@given(secret=SECRETS, before=st.text(ALPHABET, max_size=12))
def test_a_remembered_secret_is_redacted_in_every_form_it_comes_back_in(
    secret: str, before: str
) -> None:
    assume(not any(form in REDACTED for form in encoded_forms(secret)))
    remember(secret)
    for name, form in echoes(secret).items():
        line = redact(f"GitHub said: {before}{form} (while posting)")
        assert form not in line, name
        assert secret not in line
    for user in ("u", "us", "use", "x-access-token", before):
        header = base64.b64encode(f"{user}:{secret}".encode()).decode()
        for encoded in (header, header.translate(str.maketrans("+/", "-_"))):
            line = redact(f"echo: Basic {encoded} was refused")
            assert not recoverable(line, secret), (user, line)


def test_the_redacted_basic_header_keeps_only_its_edges() -> None:
    secret = "canary-4Jq9-basic-secret"
    remember(secret)
    header = base64.b64encode(f"deploy:{secret}".encode()).decode()  # At offset 7 = 1 mod 3.
    line = redact(f"sent {header}")
    assert REDACTED in line and not recoverable(line, secret)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("waiting until https://deployer:pa55word@host.example/ serves", "https://[redacted]@"),
        ("GET https://host.example/?token=abc123&page=2", "?token=[redacted]&page=2"),
        ("GET /x?access_token=abc123", "access_token=[redacted]"),
        ("GET /x?api_key=abc123&client_secret=xyz", "api_key=[redacted]&client_secret=[redacted]"),
        ("POST /login password=hunter22", "password=[redacted]"),
        ("Authorization: Basic ZGVwbG95ZXI6cGE1NQ==", "Authorization: Basic [redacted]"),
        ("X-Algolia-API-Key: 0123abcd", "X-Algolia-API-Key: [redacted]"),
    ],
)
def test_credentials_are_redacted_without_being_remembered(line: str, kept: str) -> None:
    assert kept in redact(line)


def test_one_redaction_serves_the_importers_and_search() -> None:
    from carebase.importers.discourse import DiscourseSource
    from carebase.importers.github_api import GitHubClient, Limits
    from carebase.search.algolia import admin_key
    from carebase.search.settings import AlgoliaSettings

    github, discourse, algolia = "ghp_canaryGH0123456789", "dk-canary-0123456789", "alg0canary123"
    GitHubClient("https://api.github.com", github, page_size=10, limits=Limits()).close()
    DiscourseSource("https://forum.example", api_key=discourse)
    found = AlgoliaSettings(app_id="APP", index_name="help", search_key="public")
    assert admin_key(found, {"ALGOLIA_ADMIN_KEY": algolia}) == algolia
    for canary in (github, discourse, algolia):
        for form in echoes(canary).values():
            assert form not in redact(f"failed: {form}")


def test_redacting_is_fast_with_many_secrets() -> None:
    import time

    for number in range(30):
        remember(f"speed-secret-{number:02d}-{'x' * number}")
    line = "deploy: an ordinary line, https://example.com/kb/?page=2 and some words " * 4
    # CPU time of this process, not wall time: other processes on a shared machine do not count.
    start = time.process_time()
    for _ in range(2000):
        redact(line)
    assert time.process_time() - start < 3  # About 0.3 s on a loaded CI machine.


# --- the CLI -------------------------------------------------------------------------------


def run(project: Path, *arguments: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-f", str(project / "mkdocs.yml"), *arguments], env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "arguments",
    [
        ["deploy", "--wait-timeout", "-5"],
        ["deploy", "--wait-timeout", "0"],
        ["announce", "--dry-run", "--pr-comment", "0"],
        ["announce", "--dry-run", "--pr-comment", "-3"],
        ["import", "discourse", "--limit", "0"],
    ],
)
def test_numbers_that_make_no_sense_are_refused(
    make_project: ProjectFactory, arguments: list[str]
) -> None:
    code, output = run(make_project(), *arguments)
    assert code == 2 and "Invalid value for" in output


ANNOUNCING = MKDOCS_YML + (
    "  - carebase/announce:\n"
    "      ledger: {path: .carebase/ledger}\n"
    "      networks:\n"
    "        - {kind: mastodon, url: 'https://mastodon.example', languages: [en]}\n"
)


def announcing_project(make_project: ProjectFactory) -> Path:
    """A project announcing on Mastodon, with a built (empty) site's manifest."""
    project = make_project(config=ANNOUNCING)
    (project / "site").mkdir()
    manifest = Manifest(site_url="https://help.example.com/", built_at="2026-12-01T00:00:00Z")
    (project / "site" / MANIFEST_FILE).write_text(manifest.to_json(), encoding="utf-8")
    return project


def test_an_error_keeps_its_hint_and_gives_no_wrong_advice(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAREBASE_MASTODON_TOKEN", raising=False)
    code, output = run(announcing_project(make_project), "announce")
    assert code == 1
    assert "CAREBASE_MASTODON_TOKEN is not set" in output
    assert "hint: set it in the environment (a CI secret), never in mkdocs.yml" in output
    assert "carebase check" not in output and "more lines" not in output


def test_a_content_error_with_many_problems_is_summarised(tmp_path: Path) -> None:
    from carebase.cli.main import error_text
    from carebase.errors import ContentError, Problem

    problems = [Problem("kb/a.md", n, "title", "is missing", hint="add one") for n in (1, 2, 3)]
    text = error_text(ContentError(problems))
    assert (
        text
        == "kb/a.md:1: title: is missing; hint: add one (and 2 more problems; run 'carebase check')"
    )


# --- a whole deploy ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_whole_deploy_prints_no_canary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``carebase deploy --dir`` with every credential set to a canary, a wait URL with
    userinfo and a token, and a network that echoes its token back in every form."""
    from tests.announce.test_deploy_end_to_end import configure
    from tests.commands import carebase
    from tests.fakes.mastodon import FakeMastodon
    from tests.site.conftest import copy_sample
    from tests.site.servers import served

    canaries = {
        "CAREBASE_MASTODON_TOKEN": "canary-mastodon-Zx81+/q",
        "GITHUB_TOKEN": "ghp_canaryGithub7734",
        "CAREBASE_DISCOURSE_API_KEY": "canary-discourse-5521",
        "ALGOLIA_ADMIN_KEY": "canaryAlgolia0042",
    }
    password, token = "canary-pass-w0rd:9", "canary-wait-token-31"
    project = copy_sample(tmp_path / "project")
    target = tmp_path / "srv" / "help"
    target.mkdir(parents=True)
    mastodon_token = canaries["CAREBASE_MASTODON_TOKEN"]
    with FakeMastodon(token=mastodon_token).running() as mastodon, served(target) as url:
        echoed = " ".join(echoes(mastodon_token).values())
        basic = base64.b64encode(f"carebase:{mastodon_token}".encode()).decode()
        mastodon.fail(500, body={"error": f"echo {echoed} Basic {basic}"}, times=999)
        network = {"kind": "mastodon", "url": mastodon.url, "languages": ["en"], "timeout": 2}
        options = {"ledger": {"path": ".carebase/ledger"}, "networks": [network]}
        configure(project, f"  - carebase/announce: {json.dumps(options)}\n")
        wait_url = url.replace("http://", f"http://deployer:{quote(password)}@") + f"?token={token}"
        arguments = ["--dir", str(target), "--wait-url", wait_url, "--wait-timeout", "30"]
        done = carebase(project, "deploy", "--no-search", "--backfill", *arguments, env=canaries)
    output = done.stdout + done.stderr
    assert "deploy: waiting until http://[redacted]@127.0.0.1" in output, output
    assert "token=[redacted]" in output and "injected" not in output
    assert "failed" in output and done.returncode == 1, output  # The echoes were printed.
    assert json.loads((target / MANIFEST_FILE).read_text())["build_id"]
    assert_no_canary(output, [*canaries.values(), password, token])


def assert_no_canary(output: str, canaries: list[str]) -> None:
    for canary in canaries:
        for name, form in echoes(canary).items():
            assert form not in output, (canary, name)
        assert not recoverable(output, canary), canary


@pytest.mark.slow
def test_a_deploy_to_a_remote_with_a_token_in_its_url_prints_no_canary(tmp_path: Path) -> None:
    from tests.commands import carebase
    from tests.site.conftest import copy_sample
    from tests.site.servers import free_port

    token = "ghp_canaryRemote4410"
    project = copy_sample(tmp_path / "project")
    remote = f"http://x-access-token:{token}@127.0.0.1:{free_port()}/brightwave/help.git"
    env = {"GITHUB_TOKEN": token}
    done = carebase(project, "deploy", "--no-search", "--no-announce", "--remote", remote, env=env)
    output = done.stdout + done.stderr
    assert done.returncode == 1 and "Error: branch gh-pages of http://[redacted]@" in output
    assert "hint: " in output and "carebase check" not in output
    assert_no_canary(output, [token])
