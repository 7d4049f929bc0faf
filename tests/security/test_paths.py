"""Nothing outside the project reaches ``site/``, and nothing is written outside it.

Each attack is tried three ways where it applies: ``carebase check``, ``carebase build`` (the
check it runs first) and a plain MkDocs build, which only the ``carebase/kb`` plugin guards.
A canary outside the project stands for a secret; it must never appear in the site.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import MKDOCS_YML

CANARY = "canary-7f3a9c-secret"
WHEN = datetime(2026, 3, 1, tzinfo=UTC)
POST = (
    "---\ndate: 2026-02-01\nauthors: [priya]\ncategories: [News]\n{extra}---\n\n# Post\n\nText.\n"
)


def carebase(project: Path, *args: str) -> Result:
    from carebase.cli.main import cli

    result = CliRunner().invoke(cli, ["-f", str(project / "mkdocs.yml"), *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def mkdocs_build(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` in its own process, as CI runs it, with ``env`` added."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env={**os.environ, **env, "SOURCE_DATE_EPOCH": str(int(WHEN.timestamp()))},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def site_text(site: Path) -> str:
    """Everything under ``site`` as text (none when it was never made)."""
    if not site.exists():
        return ""
    files = (path for path in site.rglob("*") if path.is_file())
    return "\n".join(path.read_bytes().decode("utf-8", "replace") for path in files)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file and a folder outside every project, holding the canary."""
    folder = tmp_path / "outside" / "dot-ssh"
    folder.mkdir(parents=True)
    (folder / "id_rsa").write_text(f"{CANARY}\n")
    (tmp_path / "outside" / "secret.txt").write_text(f"{CANARY}\n")
    return tmp_path / "outside"


# --- 1. symlinks -----------------------------------------------------------------------------


def link(project: Path, rel: str, target: Path | str) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


@pytest.mark.parametrize(
    ("rel", "target"),
    [
        ("content/secret.txt", "{outside}/secret.txt"),
        ("content/kb/billing/secret.md", "{outside}/secret.txt"),
        ("content/sshdir", "{outside}/dot-ssh"),
        ("content/env.txt", "/proc/self/environ"),
    ],
)
def test_check_refuses_a_symlink_leaving_the_repository(make_project, secret, rel, target):
    project = make_project()
    link(project, rel, target.format(outside=secret))
    result = carebase(project, "check")
    assert result.exit_code == 1
    shown = rel  # relative to the project, like every path Carebase prints
    line = next(line for line in result.output.splitlines() if line.startswith(f"{shown}:"))
    assert line.startswith(f"{shown}:1: file: symlink to '")
    assert line.endswith("' outside the repository")
    assert "hint: symlinks may point only to files of the project" in result.output
    assert CANARY not in result.output


def test_check_refuses_a_symlink_into_the_git_folder(make_project):
    project = make_project()
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text(f"[http]\n\textraheader = {CANARY}\n")
    link(project, "content/gitconfig.txt", "../.git/config")
    result = carebase(project, "check")
    assert result.exit_code == 1
    assert "gitconfig.txt:1: file: symlink to '.git/config', a hidden file" in result.output


def test_check_refuses_a_symlink_in_the_theme(make_project, secret):
    project = make_project(config=MKDOCS_YML.replace("  name: material\n", THEMED), theme=True)
    link(project, "theme/assets/leak.txt", secret / "secret.txt")
    result = carebase(project, "check")
    assert result.exit_code == 1
    assert "theme/assets/leak.txt:1: file: symlink to '" in result.output


THEMED = "  name: material\n  custom_dir: theme\n"


def test_a_symlink_inside_the_repository_is_followed(make_project):
    """Shared snippets may be linked from another folder of the project."""
    project = make_project()
    (project / "shared").mkdir()
    (project / "shared" / "note.md").write_text("# Shared note\n\nText.\n")
    link(project, "content/kb/billing/note.md", "../../../shared/note.md")
    result = carebase(project, "check")
    assert result.exit_code == 0, result.output


def test_symlink_loops_are_refused_not_followed(make_project):
    project = make_project()
    link(project, "content/kb/billing/loop", "..")
    link(project, "content/kb/up", "../..")
    result = carebase(project, "check")
    assert result.exit_code == 1
    assert "kb/billing/loop:1: file: symlink to 'content/kb', a folder that contains it" in (
        result.output
    )
    assert "kb/up:1: file: symlink to '.', a folder that contains it" in result.output


def test_carebase_build_refuses_before_the_engine_runs(make_project, secret, monkeypatch):
    monkeypatch.setenv("CAREBASE_CANARY", CANARY)
    project = make_project()
    link(project, "content/env.txt", "/proc/self/environ")
    link(project, "content/secret.txt", secret / "secret.txt")
    link(project, "content/sshdir", secret / "dot-ssh")
    for options in ([], ["--strict-build"]):
        result = carebase(project, "build", *options)
        assert result.exit_code == 1
        assert "env.txt:1: file: symlink to '/proc/" in result.output
        assert "not building" in result.output
        assert not (project / "site").exists()


def test_a_plain_mkdocs_build_refuses_and_publishes_no_canary(make_project, secret):
    project = make_project()
    link(project, "content/env.txt", "/proc/self/environ")
    link(project, "content/secret.txt", secret / "secret.txt")
    link(project, "content/sshdir", secret / "dot-ssh")
    built = mkdocs_build(project, CAREBASE_CANARY=CANARY)
    assert built.returncode != 0
    assert "env.txt:1: file: symlink to '/proc/" in built.stderr
    assert "sshdir:1: file: symlink to '" in built.stderr
    assert CANARY not in site_text(project / "site")
    assert CANARY not in built.stderr


def test_a_plain_mkdocs_build_refuses_a_symlink_in_the_theme(make_project, secret):
    project = make_project(config=MKDOCS_YML.replace("  name: material\n", THEMED), theme=True)
    link(project, "theme/assets/leak.txt", secret / "secret.txt")
    built = mkdocs_build(project)
    assert built.returncode != 0
    assert "theme/assets/leak.txt:1: file: symlink to '" in built.stderr
    assert CANARY not in site_text(project / "site")


@pytest.mark.parametrize(
    ("option", "value"),
    [("docs_dir", "/etc"), ("docs_dir", "../outside"), ("custom_dir", "../outside")],
)
def test_folders_outside_the_project_are_refused(make_project, secret, option, value):
    project = make_project()
    if option == "docs_dir":
        config = MKDOCS_YML.replace("docs_dir: content", f"docs_dir: {value}")
    else:
        config = MKDOCS_YML.replace(
            "  name: material\n", f"  name: material\n  custom_dir: {value}\n"
        )
    (project / "mkdocs.yml").write_text(config)
    result = carebase(project, "check")
    assert result.exit_code == 1
    assert f"mkdocs.yml: {'theme.' if option == 'custom_dir' else ''}{option}: '" in result.output
    assert "is outside the project folder" in result.output
    built = mkdocs_build(project)
    assert built.returncode != 0
    assert "is outside the project folder" in built.stderr
    assert CANARY not in site_text(project / "site")


# --- 2. redirects.yml ------------------------------------------------------------------------

REDIRECTS = "redirects:\n  {old}: {new}\n"
TARGET = "kb/billing/new.md"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("/tmp/evil.md", TARGET, "the old page '/tmp/evil.md' is an absolute path"),
        ("../../victim/mkdocs.yml", TARGET, "'../../victim/mkdocs.yml' has an empty, '.' or"),
        ("kb/../../../x.md", TARGET, "has an empty, '.' or '..' part"),
        ('"kb\\\\billing\\\\x.md"', TARGET, "contains a backslash"),
        ('"kb/x\\0.md"', TARGET, "contains a control character"),
        ("kb/billing/old.md", "javascript:alert(1)", "is an address, not a path"),
        ("kb/billing/old.md", "/etc/passwd", "the new page '/etc/passwd' is an absolute path"),
        ("kb/billing/old.md", "kb/billing/new.html", "is not a Markdown page"),
    ],
)
def test_check_refuses_redirects_leaving_the_docs_folder(make_project, old, new, message):
    project = make_project(
        {".carebase/redirects.yml": REDIRECTS.format(old=old, new=new), TARGET: "# New\n"}
    )
    result = carebase(project, "check")
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "redirects.yml:" in line)
    assert line.startswith("content/.carebase/redirects.yml:2: ")
    assert message in line
    assert "hint: each line maps an old page to a new one" in result.output


IMPORT_ONLY = """\
site_name: Redirects
docs_dir: content
use_directory_urls: false
theme:
  name: material
plugins:
  - carebase/import
"""


@pytest.mark.parametrize("plugins", ["import only", "with kb"])
def test_a_build_refuses_a_redirect_outside_the_site(make_project, tmp_path, plugins):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "mkdocs.yml").write_text("site_name: Victim\n")
    config = IMPORT_ONLY if plugins == "import only" else IMPORT_ONLY + "  - carebase/kb\n"
    old = "../../victim/mkdocs.md"
    files = {".carebase/redirects.yml": REDIRECTS.format(old=old, new=TARGET), TARGET: "# New\n"}
    project = make_project(files, config=config)
    built = mkdocs_build(project)
    assert built.returncode != 0
    assert "redirects.yml:2: ../../victim/mkdocs.md: the old page" in built.stderr
    assert (victim / "mkdocs.yml").read_text() == "site_name: Victim\n"
    assert not (tmp_path / "victim" / "mkdocs.html").exists()


def test_the_redirect_writer_joins_through_the_guard(tmp_path):
    """Even a redirect that slipped past the reading is not written outside the site."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File, Files

    from carebase_mkdocs.importer.plugin import _write_redirects

    site = tmp_path / "site"
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path), "site_dir": str(site)})
    config.validate()
    files = Files([File(TARGET, str(tmp_path), str(site), use_directory_urls=True)])
    with pytest.raises(PluginError, match="would write outside the site"):
        _write_redirects(config, files, {"../escaped.md": TARGET})
    assert not (tmp_path / "escaped").exists()


# --- 3. slugs and destinations ---------------------------------------------------------------


@pytest.mark.parametrize(
    "slug", ["../../../../outside", "a/b", "..", ".hidden", "a\\b", "two words"]
)
def test_check_refuses_a_post_slug_that_is_not_one_part(make_project, slug):
    quoted = slug.replace("\\", "\\\\")
    project = make_project({"blog/posts/p.md": POST.format(extra=f'slug: "{quoted}"\n')})
    result = carebase(project, "check")
    assert result.exit_code == 1
    assert "blog/posts/p.md:5: slug: must be one part of an address" in result.output


def test_check_refuses_an_author_slug_that_leaves_the_blog(make_project):
    authors = (
        "authors:\n  priya:\n    name: P\n    description: D\n    avatar: a.png\n"
        "    slug: ../../x\n"
    )
    project = make_project({"blog/.authors.yml": authors})
    result = carebase(project, "check")
    assert result.exit_code == 1
    assert "blog/.authors.yml:1: authors.priya.slug: must be one part" in result.output


def test_a_plain_build_refuses_an_escaping_slug(make_project, tmp_path):
    extra = 'slug: "../../../../../outside"\n'
    project = make_project({"blog/posts/p.md": POST.format(extra=extra)})
    built = mkdocs_build(project)
    assert built.returncode != 0
    assert "blog/posts/p.md:5: slug: must be one part of an address" in built.stderr
    assert list(tmp_path.rglob("outside*")) == []


def test_every_destination_is_checked_before_anything_is_written(make_project, tmp_path):
    """An option can move pages too: Material's post_url_format here, caught at build time."""
    url_format = '      blog_dir: blog\n      post_url_format: "../../../{slug}"\n'
    config = MKDOCS_YML.replace("      blog_dir: blog\n", url_format)
    project = make_project({"blog/posts/p.md": POST.format(extra="")}, config=config)
    built = mkdocs_build(project)
    assert built.returncode != 0
    assert "blog/posts/p.md: would be written outside the site: '../../post" in built.stderr
    assert not (project / "site" / "index.html").exists()
    written = [p for p in tmp_path.rglob("*.html") if not p.is_relative_to(project / "site")]
    assert written == []


# --- 4. templates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "message", "hint"),
    [
        (
            "carebase/hmoe.html",
            "'carebase/hmoe.html' is not a template of the theme",
            "did you mean 'carebase/home.html'?",
        ),
        (
            "blog-psot.html",
            "'blog-psot.html' is not a template of the theme",
            "did you mean 'blog-post.html'?",
        ),
        (
            "../../../etc/passwd",
            "'../../../etc/passwd' has an empty, '.' or '..' part",
            "name a template of the theme",
        ),
        ("/etc/passwd", "'/etc/passwd' is an absolute path", "name a template of the theme"),
    ],
)
def test_check_refuses_a_template_the_theme_does_not_have(make_project, template, message, hint):
    config = MKDOCS_YML.replace("  name: material\n", THEMED)
    page = f"---\ntitle: Page\ntemplate: {template}\n---\n\nText.\n"
    project = make_project({"kb/billing/guide.md": page}, config=config, theme=True)
    result = carebase(project, "check")
    assert result.exit_code == 1
    assert f"kb/billing/guide.md:3: template: {message}" in result.output
    assert f"hint: {hint}" in result.output


def test_templates_of_the_theme_and_of_material_pass(make_project):
    config = MKDOCS_YML.replace("  name: material\n", THEMED)
    files = {
        "index.md": "---\ntemplate: carebase/home.html\n---\n# Home\n",
        "kb/billing/guide.md": "---\ntitle: Page\ntemplate: main.html\n---\n\nText.\n",
    }
    project = make_project(files, config=config, theme=True)
    assert carebase(project, "check").exit_code == 0


# --- 5. NUL bytes ----------------------------------------------------------------------------


def test_check_and_build_refuse_a_nul_byte_in_the_body(make_project):
    page = b"---\ntitle: Guide\n---\n\nFirst line.\nSecond \x00line.\n"
    project = make_project({"kb/billing/guide.md": page})
    result = carebase(project, "check")
    assert result.exit_code == 1
    assert "kb/billing/guide.md:6: body: NUL byte in column 8" in result.output
    built = mkdocs_build(project)
    assert built.returncode != 0
    assert "kb/billing/guide.md:6: body: NUL byte in column 8" in built.stderr
    assert not (project / "site" / "kb" / "billing" / "guide" / "index.html").exists()


# --- 6. the one helper -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative",
    [
        "",
        "/etc/passwd",
        "../x",
        "a/../../x",
        "a//b",
        "./a",
        "a\\..\\b",
        "a\x00b",
        "C:/x",
        "javascript:x",
    ],
)
def test_inside_refuses_every_way_out(tmp_path, relative):
    from carebase.paths import PathEscapeError, inside

    with pytest.raises(PathEscapeError):
        inside(tmp_path, relative)


def test_inside_and_inside_absolute_accept_plain_paths(tmp_path):
    from carebase.paths import PathEscapeError, inside, inside_absolute

    assert inside(tmp_path, "kb/billing/index.html") == tmp_path / "kb/billing/index.html"
    assert inside(tmp_path, ".nojekyll") == tmp_path / ".nojekyll"
    assert inside_absolute(tmp_path, tmp_path / "a" / "b.html") == tmp_path / "a" / "b.html"
    with pytest.raises(PathEscapeError):
        inside_absolute(tmp_path / "site", tmp_path / "site" / ".." / "b.html")


def test_notices_never_read_a_post_through_a_symlink_leaving_the_project(make_project, secret):
    from carebase.content import load_posts
    from carebase.project import load_project

    (secret / "post.md").write_text(POST.format(extra=f"title: {CANARY}\n"))
    project = make_project({"blog/posts/fine.md": POST.format(extra="")})
    link(project, "content/blog/posts/leak.md", secret / "post.md")
    posts, _problems = load_posts(load_project(project / "mkdocs.yml").settings)
    assert [post.path for post in posts] == ["blog/posts/fine.md"]


def test_data_files_named_outside_the_docs_folder_are_refused(make_project, secret):
    (secret / "cats.yml").write_text(f"leak:\n  title: {CANARY}\n")
    project = make_project()
    config = MKDOCS_YML.replace(
        "categories_file: kb/.categories.yml", "categories_file: ../../outside/cats.yml"
    )
    (project / "mkdocs.yml").write_text(config)
    result = carebase(project, "check")
    assert result.exit_code == 1
    assert "mkdocs.yml: categories_file: '../../outside/cats.yml' has an empty" in result.output
    built = mkdocs_build(project)
    assert built.returncode != 0
    assert "plugins.carebase/kb.categories_file: '../../outside/cats.yml'" in built.stderr
    assert CANARY not in site_text(project / "site") + built.stderr


@pytest.mark.parametrize("avatar", ["../../../../outside.svg", "assets/../../outside.svg"])
def test_a_drawn_avatar_cannot_be_written_outside_the_site(make_project, tmp_path, avatar):
    authors = f"authors:\n  priya:\n    name: P S\n    description: D\n    avatar: {avatar}\n"
    project = make_project({"blog/.authors.yml": authors})
    built = mkdocs_build(project)
    assert built.returncode != 0
    assert f"blog/.authors.yml: authors.priya.avatar: '{avatar}' has an empty" in built.stderr
    assert list(tmp_path.rglob("outside*")) == []
