"""Reading a project's mkdocs.yml without MkDocs: layout, languages, blog and KB settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from carebase.errors import ProjectError
from carebase.project import load_project, plugin_configs

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, config: str, docs: str = "docs") -> Path:
    (tmp_path / docs).mkdir(parents=True, exist_ok=True)
    path = tmp_path / "mkdocs.yml"
    path.write_text(config, encoding="utf-8")
    return path


def test_the_test_project_is_read_with_its_settings(make_project):
    project = load_project(make_project() / "mkdocs.yml")
    settings = project.settings
    assert project.root == project.config_path.parent
    assert settings.docs_dir == project.root / "content"
    assert settings.languages == ("en", "es", "de")
    assert settings.blog_dir == "blog"
    assert settings.blog_categories == ("News", "Tips", "Service status")
    assert settings.categories_file == "kb/.categories.yml"
    assert settings.authors_file == "blog/.authors.yml"
    assert project.site_url == "https://help.example.com/"
    assert project.repo_url is None
    assert project.edit_uri is None


def test_the_repository_config_is_read_as_written():
    project = load_project(REPO / "mkdocs.yml")
    assert project.docs_dir == REPO / "content"
    assert (
        project.edit_uri == "https://github.com/brightwave-example/help-centre/edit/main/content/"
    )
    assert project.settings.languages[0] == "en"


def test_defaults_without_i18n_blog_or_kb_plugins(tmp_path):
    project = load_project(write(tmp_path, "site_name: Minimal\n"))
    settings = project.settings
    assert settings.docs_dir == tmp_path / "docs"
    assert settings.languages == ("en",)
    assert settings.blog_categories == ()
    assert settings.categories_file == "kb/.categories.yml"
    assert settings.authors_file == "blog/.authors.yml"


def test_the_default_language_comes_first_wherever_it_is_listed(tmp_path):
    config = (
        "plugins:\n  - i18n:\n      languages:\n"
        "        - {locale: es}\n        - {locale: de, default: true}\n        - {locale: en}\n"
    )
    assert load_project(write(tmp_path, config)).settings.languages == ("de", "es", "en")


def test_material_blog_and_kb_options_are_read(tmp_path):
    config = (
        "docs_dir: site-src\nplugins:\n"
        "  - material/blog:\n      blog_dir: news/\n      categories_allowed: [Outages]\n"
        "      authors_file: '{blog}/people.yml'\n"
        "  - carebase/kb:\n      categories_file: help/cats.yml\n"
    )
    settings = load_project(write(tmp_path, config, docs="site-src")).settings
    assert settings.docs_dir == tmp_path / "site-src"
    assert settings.blog_dir == "news"
    assert settings.posts_dir == "news/posts"
    assert settings.blog_categories == ("Outages",)
    assert settings.authors_file == "news/people.yml"
    assert settings.categories_file == "help/cats.yml"


def test_python_tags_and_env_values_do_not_stop_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("HELP_URL", "https://from-env.example/")
    config = (
        "site_url: !ENV [HELP_URL, 'https://fallback.example/']\n"
        "repo_url: !ENV [UNSET_CAREBASE_VARIABLE, 'https://fallback.example/repo']\n"
        "edit_uri: !ENV UNSET_CAREBASE_VARIABLE\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "  - pymdownx.superfences:\n"
        "      custom_fences:\n"
        "        - name: mermaid\n"
        "          format: !!python/object/apply:pymdownx.superfences.fence_code_format\n"
        "            kwds: {}\n"
        "extra: !custom {a: 1}\n"
    )
    project = load_project(write(tmp_path, config))
    assert project.site_url == "https://from-env.example/"
    assert project.repo_url == "https://fallback.example/repo"
    assert project.edit_uri is None


def test_inherit_merges_the_parent_config(tmp_path):
    (tmp_path / "base.yml").write_text(
        "site_url: https://base.example/\nplugins:\n  - i18n:\n"
        "      languages: [{locale: fr, default: true}, {locale: en}]\n",
        encoding="utf-8",
    )
    project = load_project(write(tmp_path, "INHERIT: base.yml\nrepo_url: https://git.example/\n"))
    assert project.site_url == "https://base.example/"
    assert project.repo_url == "https://git.example/"
    assert project.settings.languages == ("fr", "en")


def test_plugins_may_be_a_mapping():
    assert plugin_configs({"search": None, "blog": {"blog_dir": "x"}}) == {
        "search": {},
        "blog": {"blog_dir": "x"},
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("site_name: [unclosed\n", "mkdocs.yml:2: is not valid YAML: "),
        ("- a list\n", "mkdocs.yml: must be a mapping of settings"),
        ("plugins: search\n", "mkdocs.yml: plugins must be a list of plugin names"),
        ("plugins:\n  - {a: 1, b: 2}\n", "mkdocs.yml: plugins: each item must be a name"),
        ("plugins:\n  - i18n:\n      languages: []\n", "mkdocs.yml: i18n: languages must be"),
        ("plugins:\n  - i18n:\n      languages: [en]\n", "each item needs a 'locale'"),
        ("plugins:\n  - blog:\n      categories_allowed: News\n", "categories_allowed must be"),
        ("docs_dir: nowhere\n", "mkdocs.yml: docs_dir 'nowhere' is not a folder next to it"),
        ("site_url: [1]\n", "mkdocs.yml: site_url must be text, got [1]"),
        ("INHERIT: missing.yml\n", "mkdocs.yml: INHERIT: "),
    ],
)
def test_unusable_configs_raise_a_project_error_saying_why(tmp_path, config, message):
    with pytest.raises(ProjectError) as caught:
        load_project(write(tmp_path, config))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_config_names_the_path(tmp_path):
    with pytest.raises(ProjectError, match=r"mkdocs\.yml does not exist"):
        load_project(tmp_path / "mkdocs.yml")


def test_reading_a_project_does_not_import_mkdocs(make_project):
    config = make_project() / "mkdocs.yml"
    code = (
        "import sys\nfrom carebase.project import load_project\nfrom carebase.checks import *\n"
        "from carebase.cli.main import cli\n"
        f"load_project({str(config)!r})\nassert 'mkdocs' not in sys.modules, 'mkdocs imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
