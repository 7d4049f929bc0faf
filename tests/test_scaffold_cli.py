"""`carebase new`, `build` and `serve`, and the pure scaffolding functions behind them."""

from __future__ import annotations

import stat
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from carebase import __version__
from carebase.cli import build as build_module
from carebase.cli.main import cli
from carebase.documents import parse_document
from carebase.fsutil import atomic_write_text
from carebase.models import ArticleMeta, ArticleType, PostMeta
from carebase.project import load_project
from carebase.scaffold import (
    ScaffoldError,
    article_text,
    choose_slug,
    clean_title,
    post_text,
    slugify,
)
from tests.commands import filled_in
from tests.conftest import MKDOCS_YML

TODAY = date(2026, 3, 14)


def invoke(project: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["-f", str(project / "mkdocs.yml"), *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


# --- pure functions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("How do I get a refund?", "how-do-i-get-a-refund"),
        ("Can't connect to Wi-Fi", "cant-connect-to-wi-fi"),
        ("¿Cómo pido un reembolso?", "como-pido-un-reembolso"),
        ("Straße & Größe", "strasse-grosse"),
        ("  5G   roaming -- in the EU  ", "5g-roaming-in-the-eu"),
        ("退款", ""),
    ],
)
def test_slugify_makes_lowercase_ascii_words_joined_by_hyphens(title, slug):
    assert slugify(title) == slug


def test_slugify_cuts_long_titles_at_a_word_boundary():
    slug = slugify("word " * 40)
    assert len(slug) <= 80
    assert slug.endswith("word")


@pytest.mark.parametrize(
    ("title", "slug", "message"),
    [
        ("退款", None, "cannot make a file name from '退款'\n  hint: pass one with --slug"),
        (
            "Index",
            None,
            "slug 'index' is reserved for generated pages\n  hint: pass another --slug",
        ),
        ("FAQ", None, "slug 'faq' is reserved for generated pages\n  hint: pass another --slug"),
        (
            "Fine",
            "Not A Slug",
            "slug 'Not A Slug' must be lowercase words joined by hyphens"
            "\n  hint: like --slug not-a-slug",
        ),
    ],
)
def test_unusable_slugs_are_refused(title, slug, message):
    with pytest.raises(ScaffoldError) as caught:
        choose_slug(title, slug)
    assert str(caught.value) == message


def test_titles_are_put_on_one_line_and_must_be_plain_text():
    assert clean_title("  Reset\n your   router ") == "Reset your router"
    with pytest.raises(ScaffoldError, match="plain text"):
        clean_title("<b>Bold</b>")
    with pytest.raises(ScaffoldError, match="must not be empty"):
        clean_title("   ")


@pytest.mark.parametrize("kind", [ArticleType.ARTICLE, ArticleType.FAQ])
def test_article_text_has_valid_front_matter(kind):
    title = 'Why is my "bill": higher? #2'
    document, problems = parse_document(article_text(title, "priya", TODAY, kind), "a.md")
    assert problems == []
    assert document is not None
    meta = ArticleMeta.model_validate(document.meta)
    assert meta.title == title
    assert meta.type is kind
    assert meta.owner == "priya"
    assert meta.reviewed == TODAY
    assert meta.review_every == "180d"
    assert meta.tags == []
    assert meta.description


def test_post_text_is_dated_today_with_a_more_marker():
    text = post_text("Network upgrade", ["tomasz"], TODAY, ["News"])
    document, problems = parse_document(text, "p.md")
    assert problems == []
    assert document is not None
    meta = PostMeta.model_validate(document.meta)
    assert (meta.created, meta.authors, meta.categories) == (TODAY, ["tomasz"], ["News"])
    assert "draft" not in document.meta
    assert "\n<!-- more -->\n" in document.body


def test_atomic_write_leaves_a_readable_file_and_no_temporary_files(tmp_path):
    target = tmp_path / "deep" / "file.md"
    atomic_write_text(target, "héllo\n")
    atomic_write_text(target, "again\n")
    assert target.read_text(encoding="utf-8") == "again\n"
    assert [p.name for p in target.parent.iterdir()] == ["file.md"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


# --- carebase new --------------------------------------------------------------------------


ORIGINALS = {
    "kb/billing/refunds.md": "---\ntitle: Refunds\nowner: priya\n---\nx\n",
    "kb/broadband/is-there-a-limit.md": (
        "---\ntitle: Is there a limit?\ntype: faq\nowner: tomasz\n---\nNo.\n"
    ),
    "blog/posts/faster-broadband.md": (
        "---\ntitle: Faster broadband\ndate: 2026-02-01\nauthors: [tomasz]\n"
        "categories: [News]\n---\nx\n"
    ),
}


@pytest.mark.parametrize(
    ("args", "path", "placeholders"),
    [
        (
            ["article", "How do I get a refund?", "--category", "billing", "-a", "priya"],
            "kb/billing/how-do-i-get-a-refund.md",
            [3, 11, 15, 19, 20, 24],
        ),
        (
            ["faq", "Is there a data limit?", "-c", "broadband", "-a", "priya"],
            "kb/broadband/is-there-a-data-limit.md",
            [3, 9, 12],
        ),
        (
            ["post", "Faster broadband in March", "--category", "News", "-a", "priya"],
            "blog/posts/faster-broadband-in-march.md",
            [3, 10, 14],
        ),
        (
            ["article", "Reembolsos", "--lang", "es", "--slug", "refunds"],
            "kb/billing/refunds.es.md",
            [3, 11, 15, 19, 20, 24],
        ),
        (
            ["faq", "Gibt es ein Limit?", "--lang", "de", "--slug", "is-there-a-limit"],
            "kb/broadband/is-there-a-limit.de.md",
            [3, 9, 12],
        ),
        (
            ["post", "Schnelleres Breitband", "--lang", "de", "--slug", "faster-broadband"],
            "blog/posts/faster-broadband.de.md",
            [3, 10, 14],
        ),
    ],
)
def test_a_new_file_fails_check_until_its_placeholders_are_replaced(
    make_project, args, path, placeholders
):
    project = make_project(ORIGINALS)
    result = invoke(project, "new", *args)
    assert result.exit_code == 0, result.output
    assert result.output == f"content/{path}\n"
    written = project / "content" / path
    checked = invoke(project, "check", "--strict", str(written))
    assert checked.exit_code == 1
    lines = [line for line in checked.output.splitlines() if line.startswith("content/")]
    assert [int(line.split(":")[1]) for line in lines] == placeholders
    assert lines[0].startswith(f"content/{path}:3: description: is the placeholder '")
    rest = [line.split(": ", 2)[1:] for line in lines[1:]]  # An FAQ's question, then the text.
    assert all(field in ("body", "questions") and "placeholder '" in words for field, words in rest)
    assert "    hint: replace it with your own words;" in checked.output
    written.write_text(filled_in(written.read_text(encoding="utf-8")), "utf-8")
    checked = invoke(project, "check", "--strict", str(written))
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("checked 1 file: 0 errors, 0 warnings\n")


@pytest.mark.parametrize("lang", ["es", "de"])
@pytest.mark.parametrize("kind", ["article", "faq", "post"])
def test_translations_start_with_placeholders_in_their_language(make_project, kind, lang):
    project = make_project(ORIGINALS)
    slug = {"article": "refunds", "faq": "is-there-a-limit", "post": "faster-broadband"}[kind]
    translation = new_file(project, kind, "Título", "--lang", lang, "--slug", slug)
    category = "News" if kind == "post" else "billing"
    english = new_file(project, kind, "English", "-a", "priya", "-c", category)
    theirs = set(translation.read_text(encoding="utf-8").splitlines())
    ours = set(english.read_text(encoding="utf-8").splitlines())
    # Only the YAML around the text and Material's marker are the same in every language.
    fields = ("tags", "type", "review", "date", "authors", "categories", "owner")
    shared = {line for line in theirs & ours if not line.startswith(fields)}
    assert shared <= {"---", "", "<!-- more -->"}


def test_a_translation_keeps_its_originals_category_owner_and_date(make_project):
    project = make_project(ORIGINALS)
    article = new_file(project, "article", "Reembolsos", "-l", "es", "--slug", "refunds")
    assert article == project / "content/kb/billing/refunds.es.md"
    assert (front_matter(article)["owner"], front_matter(article)["type"]) == ("priya", "article")
    args = ("-l", "de", "--slug", "faster-broadband", "-a", "priya")
    post = front_matter(new_file(project, "post", "Schneller", *args))
    assert (post["date"], post["authors"], post["categories"]) == (
        date(2026, 2, 1),
        ["priya"],
        ["News"],
    )


def new_file(project: Path, *args: str) -> Path:
    """Run ``carebase new ARGS``; the file it wrote, found by the path it printed."""
    result = invoke(project, "new", *args)
    assert result.exit_code == 0, result.output
    return project / result.output.strip()


def front_matter(path: Path) -> dict[str, object]:
    document, problems = parse_document(path.read_text(encoding="utf-8"), path.name)
    assert document is not None
    assert problems == []
    return document.meta


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["article", "Reembolsos", "--lang", "es"],
            "a translation (--lang es) needs --slug: the file name of the 'en' article it"
            ' translates; hint: carebase new article "Reembolsos" --lang es --slug'
            " how-to-get-a-refund (for how-to-get-a-refund.md)",
        ),
        (
            ["article", "Reembolsos", "--lang", "es", "--slug", "refund"],
            "no article 'refund.md' in content/kb to translate (a translation starts from its"
            " 'en' original); hint: did you mean --slug refunds?",
        ),
        (
            ["post", "Hola", "--lang", "es", "--slug", "coming-soon"],
            "no post 'coming-soon.md' in content/blog/posts to translate (a translation starts"
            " from its 'en' original); hint: write the 'en' post first",
        ),
        (
            ["article", "Límite", "--lang", "es", "--slug", "is-there-a-limit"],
            "content/kb/broadband/is-there-a-limit.md is an faq, not an article;"
            " hint: carebase new faq … --lang es --slug is-there-a-limit",
        ),
        (
            ["article", "Reembolsos", "-l", "es", "--slug", "refunds", "-c", "broadband"],
            "content/kb/billing/refunds.md is in the category 'billing', not 'broadband';"
            " hint: leave out --category: a translation goes beside its original",
        ),
    ],
)
def test_a_translation_needs_an_existing_original(make_project, args, error):
    project = make_project(ORIGINALS)
    result = invoke(project, "new", *args)
    assert result.exit_code == 1
    assert result.output == f"Error: {error}\n"
    assert sorted(p.name for p in (project / "content").rglob("*.es.md")) == []


def test_new_prints_a_path_relative_to_the_project_wherever_it_runs(make_project, monkeypatch):
    project = make_project()
    monkeypatch.chdir(project / "content" / "kb")
    result = CliRunner().invoke(
        cli,
        [
            "-f",
            "../../mkdocs.yml",
            "new",
            "faq",
            "Do you charge for paper bills?",
            "-c",
            "billing",
            "-a",
            "tomasz",
        ],
    )
    assert result.output == "content/kb/billing/do-you-charge-for-paper-bills.md\n"
    assert (project / "content/kb/billing/do-you-charge-for-paper-bills.md").is_file()


def test_new_refuses_to_overwrite_an_existing_file(make_project):
    project = make_project({"kb/billing/refunds.md": "mine\n"})
    result = invoke(project, "new", "article", "Refunds", "-c", "billing", "-a", "priya")
    assert result.exit_code == 1
    assert result.output == (
        "Error: content/kb/billing/refunds.md already exists;"
        " hint: edit it, or pass another --slug\n"
    )
    assert (project / "content/kb/billing/refunds.md").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["article", "A", "-c", "biling", "-a", "priya"],
            "unknown category 'biling' in content/kb/.categories.yml; hint: did you mean"
            " 'billing'?",
        ),
        (
            ["article", "A", "-c", "shipping", "-a", "priya"],
            "unknown category 'shipping' in content/kb/.categories.yml;"
            " hint: known: billing, broadband",
        ),
        (
            ["faq", "A", "-a", "priya"],
            "an faq needs --category, the folder it goes in;"
            " hint: one of billing, broadband (content/kb/.categories.yml)",
        ),
        (
            ["article", "A", "-c", "billing", "-a", "pria"],
            "unknown author 'pria' in content/blog/.authors.yml; hint: did you mean 'priya'?",
        ),
        (
            ["article", "A", "-c", "billing"],
            "a new article needs --author: who owns it and keeps it right;"
            " hint: one of priya, tomasz (content/blog/.authors.yml)",
        ),
        (
            ["post", "A", "-c", "Newz", "-a", "priya"],
            "unknown blog category 'Newz' in mkdocs.yml; hint: did you mean 'News'?",
        ),
        (
            ["post", "A", "-a", "priya"],
            "a post needs --category, the part of the blog it is listed in;"
            " hint: one of News, Tips, Service status, in quotes when it has spaces:"
            ' --category "Service status"',
        ),
        (
            ["article", "A", "-c", "billing", "-a", "priya", "--lang", "fr"],
            "unknown language 'fr' in mkdocs.yml; hint: known: de, en, es",
        ),
        (
            ["article", "<i>A</i>", "-c", "billing", "-a", "priya"],
            "the title must be plain text, without HTML tags; hint: remove the tags",
        ),
    ],
)
def test_new_reports_mistakes_in_one_line_with_a_hint(make_project, args, error):
    project = make_project()
    result = invoke(project, "new", *args)
    assert result.exit_code == 1
    assert result.output == f"Error: {error}\n"
    assert not (project / "content/kb/billing/a.md").exists()
    assert not (project / "content/blog/posts/a.md").exists()


def test_a_post_without_categories_allowed_lists_the_categories_posts_use(make_project):
    config = MKDOCS_YML.replace(
        "      categories_allowed:\n        - News\n        - Tips\n        - Service status\n", ""
    )
    project = make_project(ORIGINALS, config=config)
    result = invoke(project, "new", "post", "A", "-a", "priya")
    assert result.output == (
        "Error: a post needs --category, the part of the blog it is listed in;"
        ' hint: one of News, in quotes when it has spaces: --category "Service status"\n'
    )
    assert invoke(project, "new", "post", "A", "-a", "priya", "-c", "Offers").exit_code == 0


def test_new_names_a_broken_authors_file(make_project):
    project = make_project({"blog/.authors.yml": "authors: [unclosed\n"})
    result = invoke(project, "new", "post", "Hello", "-a", "priya", "-c", "News")
    assert result.exit_code == 1
    assert result.output.startswith("Error: content/blog/.authors.yml:2: file: is not valid YAML")
    assert result.output.endswith("; hint: run 'carebase check' for every problem\n")


def test_version_and_a_missing_config_file():
    runner = CliRunner()
    assert runner.invoke(cli, ["--version"]).output == f"carebase, version {__version__}\n"
    result = runner.invoke(cli, ["-f", "/nonexistent/mkdocs.yml", "new", "post", "x", "-a", "p"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: /nonexistent/mkdocs.yml does not exist;")


# --- carebase build and serve --------------------------------------------------------------


@pytest.fixture
def engine_calls(monkeypatch) -> list[list[str]]:
    """Record engine command lines instead of running them; the engine 'exits' with 3."""
    calls: list[list[str]] = []

    def fake_run(command: list[str], project: object) -> int:
        calls.append(command)
        return 3

    monkeypatch.setattr(build_module, "run_engine", fake_run)
    return calls


def test_build_runs_the_engine_and_passes_its_exit_code(make_project, engine_calls, tmp_path):
    project = make_project()
    result = invoke(project, "build", "--strict", "--site-dir", str(tmp_path / "out"), "--dirty")
    assert result.exit_code == 3
    assert engine_calls == [
        [
            sys.executable,
            "-m",
            "carebase_mkdocs.run",
            "mkdocs",
            "build",
            "-f",
            str(project / "mkdocs.yml"),
            "--dirty",
            "--strict",
            "--site-dir",
            str(tmp_path / "out"),
        ]
    ]


def test_build_with_content_errors_does_not_run_the_engine(make_project, engine_calls):
    project = make_project({"kb/billing/a.md": "---\ntitle: A\nowner: zed\n---\nx\n"})
    result = invoke(project, "build")
    assert result.exit_code == 1
    assert engine_calls == []
    assert result.output.splitlines() == [
        "content/kb/billing/a.md:3: owner: 'zed' is not an author in content/blog/.authors.yml",
        "    hint: add 'zed' to content/blog/.authors.yml",
        "checked 2 files: 1 error, 0 warnings",
        "Error: not building: the content has errors (listed above);"
        " hint: fix them, then run 'carebase check' until it passes",
    ]


def test_build_shows_warnings_and_fails_on_them_only_when_strict(make_project, engine_calls):
    project = make_project({"kb/billing/a.md": "---\ntitle: A\nowners: priya\n---\nx\n"})
    assert invoke(project, "build").exit_code == 3
    assert len(engine_calls) == 1
    strict = invoke(project, "build", "--strict")
    assert strict.exit_code == 1
    assert len(engine_calls) == 1
    assert "Error: not building: the content has problems (listed above);" in strict.output


def test_strict_build_holds_the_engine_strict_but_lets_content_warnings_pass(
    make_project, engine_calls
):
    project = make_project({"kb/billing/a.md": "---\ntitle: A\nowners: priya\n---\nx\n"})
    result = invoke(project, "build", "--strict-build")
    assert result.exit_code == 3
    assert "--strict" in engine_calls[0]
    assert "checked 2 files: 0 errors, 1 warning" in result.output


def test_a_missing_engine_is_a_one_line_error(make_project, engine_calls, monkeypatch):
    monkeypatch.setattr(build_module, "engine_installed", lambda engine: False)
    result = invoke(make_project(), "build", "--engine", "properdocs")
    assert result.exit_code == 1
    assert result.output == "Error: properdocs is not installed; hint: pip install properdocs\n"
    assert engine_calls == []


def test_serve_runs_the_engine_with_the_address(make_project, engine_calls):
    project = make_project()
    result = invoke(project, "serve", "--dev-addr", "127.0.0.1:8123", "--engine", "properdocs")
    assert result.exit_code == 3
    assert engine_calls == [
        [
            sys.executable,
            "-m",
            "carebase_mkdocs.run",
            "properdocs",
            "serve",
            "-f",
            str(project / "mkdocs.yml"),
            "--dev-addr",
            "127.0.0.1:8123",
        ]
    ]


def test_the_engine_runs_as_a_real_subprocess(make_project, tmp_path):
    # A stand-in engine module proves output and exit code pass through unchanged.
    (tmp_path / "fake_engine.py").write_text("import sys\nsys.exit(7)\n", encoding="utf-8")
    command = [sys.executable, str(tmp_path / "fake_engine.py")]
    project = load_project(make_project() / "mkdocs.yml")
    assert build_module.run_engine(command, project) == 7
