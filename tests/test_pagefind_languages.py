"""A language's Pagefind index holds the pages of its folders the theme marks for it
(``data-cb-index``), never a listing page or a redirect stub."""

from __future__ import annotations

import json
from pathlib import Path

from carebase.search import pagefind
from tests.site.pagefind_files import fragments

GLOBS = {"es": "es/kb/**/*.html", "en": "kb/**/*.html"}
LISTING = "<html lang='{lang}'><body><h1>Billing</h1><ul><li>Refunds</li></ul></body></html>"
REDIRECT = (
    "<html lang='{lang}'><head><meta http-equiv='refresh' content='0; url=/kb/c/'></head>"
    "<body><a href='/kb/c/'>Refunds</a></body></html>"
)
ARTICLE = (
    "<html lang='{lang}'><body><nav>Menu</nav><div data-pagefind-body data-cb-index='{index}'>"
    "<h1>{title}</h1><p>Refunds take five days.</p></div></body></html>"
)


def _write(site: Path, pages: dict[str, str]) -> None:
    for path, html in pages.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")


def _index(site: Path, lang: str) -> list[pagefind.PagefindReport]:
    queue = pagefind.IndexingQueue()
    queue.add(pagefind.IndexingJob(site, GLOBS[lang], f"{lang}/pagefind", lang=lang))
    return queue.finish()


def test_a_language_index_holds_the_pages_marked_for_it_and_no_other(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "es/kb/index.html": LISTING.format(lang="es"),
            "es/kb/a/index.html": ARTICLE.format(lang="es", index="es", title="Reembolsos"),
            "es/kb/c/index.html": REDIRECT.format(lang="es"),
            "kb/index.html": LISTING.format(lang="en"),
            "kb/c/index.html": ARTICLE.format(lang="en", index="en es", title="Refunds"),
            "kb/d/index.html": ARTICLE.format(lang="en", index="en", title="Translated"),
        },
    )
    (report,) = _index(tmp_path, "es")
    bundle = tmp_path / "es" / "pagefind"
    assert {page["url"] for page in fragments(bundle)} == {"/es/kb/a/"}
    assert report.pages == 1
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["es"]
    # The English pages are in the English index, once, whichever languages read them.
    (english,) = _index(tmp_path, "en")
    assert {page["url"] for page in fragments(tmp_path / "en" / "pagefind")} == {"/kb/c/", "/kb/d/"}
    assert english.pages == 2


def test_nothing_marked_for_a_language_is_an_empty_bundle_not_a_failed_build(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "es/kb/index.html": LISTING.format(lang="es"),
            "es/kb/c/index.html": REDIRECT.format(lang="es"),
            "kb/d/index.html": ARTICLE.format(lang="en", index="en", title="Translated"),
        },
    )
    (report,) = _index(tmp_path, "es")
    assert report.pages == 0
    assert not (tmp_path / "es" / "pagefind").exists()
