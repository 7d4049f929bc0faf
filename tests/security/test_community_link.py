"""Attacks on "Ask the community": a forum address or category that would put script or markup
in the help centre's pages.

The address comes from ``mkdocs.yml`` or ``CAREBASE_DISCOURSE_URL`` (a CI variable); the
query a reader types is the other way in, checked in chromium by
``tests/site/test_content_gaps.py::test_ask_the_community_carries_a_hostile_query_as_text``.
"""

from __future__ import annotations

import pytest

from carebase.community import ask_community
from carebase.errors import CarebaseError, ProjectError
from carebase.importers.settings import IMPORT_PLUGIN, ImportSettings, import_settings


def settings(**discourse: object) -> ImportSettings:
    return import_settings({IMPORT_PLUGIN: {"discourse": discourse}})


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/new-topic",
        "forum.example.com",
    ],
)
def test_only_an_http_address_becomes_the_link(address: str) -> None:
    with pytest.raises(ProjectError, match=r"is not an http\(s\) address"):
        ask_community(settings(url=address), {})


@pytest.mark.parametrize(
    "address",
    [
        'https://forum.example.com/"><script>alert(1)</script>',
        "https://forum.example.com/ onmouseover=alert(1)",
        "https://forum.example.com/'><img src=x>",
    ],
)
def test_an_address_that_would_break_out_of_the_attribute_is_refused(address: str) -> None:
    with pytest.raises(ProjectError, match="has a space, quote or angle bracket"):
        ask_community(settings(url=address), {})


def test_an_address_with_a_password_is_refused_without_showing_it() -> None:
    with pytest.raises(ProjectError) as refused:
        ask_community(settings(url="https://admin:hunter2-secret@forum.example.com"), {})
    assert "hunter2-secret" not in str(refused.value)
    assert "without a user, password, query or #" in str(refused.value)


def test_the_environment_variable_is_checked_the_same_way() -> None:
    env = {"CAREBASE_DISCOURSE_URL": "javascript:alert(1)"}
    with pytest.raises(ProjectError, match="CAREBASE_DISCOURSE_URL"):
        ask_community(ImportSettings(), env)
    link = ask_community(ImportSettings(), {"CAREBASE_DISCOURSE_URL": "https://f.example/"})
    assert link is not None and link.url == "https://f.example/new-topic"


@pytest.mark.parametrize("category", ['help"><script>', "help&title=x", "../admin", "Help Desk"])
def test_a_category_is_a_slug_and_nothing_else(category: str) -> None:
    with pytest.raises(CarebaseError, match=r"discourse\.ask_category"):
        settings(url="https://forum.example.com", ask_category=category)


def test_no_forum_no_link() -> None:
    assert ask_community(ImportSettings(), {}) is None
    link = ask_community(
        settings(url="https://forum.example.com/", ask_category="help/billing"), {}
    )
    assert link is not None
    assert (link.url, link.category) == ("https://forum.example.com/new-topic", "help/billing")
