"""The sample's blog as a customer reads it: headed, dated archives, its authors' own faces."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.conftest import parse

LISTINGS = ["blog/", "blog/archive/2026/11/", "blog/category/news/", "blog/author/amara/"]
POST = "blog/2026/11/21/broadband-outage-in-parts-of-cumbria-after-flooding/"


@pytest.mark.parametrize("lang", ["", "es/", "de/"])
def test_each_monthly_archive_lists_only_that_months_posts(sample_site: Path, lang: str) -> None:
    archives = sorted((sample_site / f"{lang}blog/archive/2026").glob("[0-9][0-9]/index.html"))
    assert [path.parent.name for path in archives] == ["10", "11"]
    for path in archives:
        month = f"2026-{path.parent.name}-"
        soup = parse(sample_site, str(path.relative_to(sample_site)).removesuffix("index.html"))
        dates = [time["datetime"] for time in soup.select("article.md-post time[datetime]")]
        assert dates, path
        assert all(str(date).startswith(month) for date in dates), (path, dates)


def test_the_blog_index_has_a_heading(sample_site: Path) -> None:
    headings = parse(sample_site, "blog/").select(".md-content h1")
    assert [heading.find(string=True).strip() for heading in headings] == ["Blog"]


@pytest.mark.parametrize("url_path", LISTINGS)
def test_blog_listings_lead_to_no_unrelated_previous_or_next_page(
    sample_site: Path, url_path: str
) -> None:
    soup = parse(sample_site, url_path)
    assert soup.select(".md-footer__link") == []
    assert soup.select("link[rel=prev], link[rel=next]") == []


def test_a_post_still_leads_to_the_previous_post(sample_site: Path) -> None:
    links = parse(sample_site, POST).select(".md-footer__link--prev")
    assert [link["aria-label"] for link in links] == [
        "Previous: Travelling this Christmas? Your roaming checklist"
    ]


def test_authors_have_local_pictures_of_their_own(sample_site: Path) -> None:
    pictures: dict[str, bytes] = {}
    for page in ["blog/", POST, "es/blog/", "de/blog/author/amara/"]:
        soup = parse(sample_site, page)
        for img in soup.select(".md-author img, .md-profile img"):
            src = str(img["src"])
            assert "://" not in src and not src.startswith("//"), src
            file = (sample_site / page / src).resolve()
            assert file.is_file(), f"{page}: {src}"
            pictures[str(img["alt"])] = file.read_bytes()
    assert {"Tomasz Nowak", "Amara Okafor"} <= set(pictures)
    assert len(set(pictures.values())) == len(pictures), "two authors share a picture"


def test_the_header_has_no_repository_badge(sample_site: Path) -> None:
    soup = parse(sample_site, "")
    assert soup.select(".md-source, .md-header__source") == []
