"""What `carebase new` writes is a valid page of a built site, in every kind and language."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from carebase.cli.main import cli
from tests.commands import filled_in
from tests.site.conftest import build_site, copy_sample, parse

pytestmark = pytest.mark.slow


def test_new_files_pass_check_and_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_sample(tmp_path / "project")
    monkeypatch.chdir(project)
    runner = CliRunner()
    commands = [
        ["article", "Set up voicemail", "-c", "mobile", "--author", "amara"],
        ["faq", "Can I keep my landline number?", "-c", "account", "--author", "priya"],
        ["article", "Configurar el buzón de voz", "--lang", "es", "--slug", "set-up-voicemail"],
        ["post", "Voicemail comes to every plan", "-c", "News", "--author", "amara"],
    ]  # fmt: skip
    written = []
    for command in commands:
        result = runner.invoke(cli, ["new", *command])
        assert result.exit_code == 0, result.output
        written.append(project / result.output.strip())
    check = runner.invoke(cli, ["check", "content/kb/mobile", "content/blog/posts"])
    assert check.exit_code == 1  # the placeholders, until a writer replaces them
    for path in written:
        path.write_text(filled_in(path.read_text(encoding="utf-8")), encoding="utf-8")
    check = runner.invoke(cli, ["check", "content/kb/mobile", "content/blog/posts"])
    assert check.exit_code == 0, check.output
    assert "0 errors" in check.output
    # The sample's one deliberately stale mobile article is the only warning.
    assert "1 warning" in check.output
    assert "set-up-voicemail" not in check.output
    assert "voicemail-comes-to-every-plan" not in check.output
    when = datetime.now(UTC)
    site = build_site(project, tmp_path / "site", monkeypatch, when)
    article = parse(site, "kb/mobile/set-up-voicemail/")
    assert article.select_one("h1").get_text(strip=True) == "Set up voicemail"
    spanish = parse(site, "es/kb/mobile/set-up-voicemail/")
    assert spanish.select_one("h1").get_text(strip=True) == "Configurar el buzón de voz"
    faq = parse(site, "kb/account/faq/")
    assert "Can I keep my landline number?" in faq.get_text()
    blog = parse(site, "blog/")
    assert "Voicemail comes to every plan" in blog.get_text()
