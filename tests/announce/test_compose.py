"""Composing announcements: words in the page's language, tracked links, shortening."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carebase.announce.compose import compose, cut_to_fit, preview, tracked
from carebase.announce.length import length
from carebase.announce.model import Change, Item, NetworkKind
from carebase.announce.settings import AnnounceSettings, announce_settings
from carebase.errors import ProjectError

URL = "https://help.example.com/es/kb/billing/reembolso/"


def settings_with(**network: Any) -> AnnounceSettings:
    return AnnounceSettings.model_validate(
        {"hashtags": ["ayuda", "soporte"], "networks": [network]}
    )


def item(**changes: Any) -> Item:
    values: dict[str, Any] = {
        "id": "kb/billing/reembolso@es",
        "revision": "r1",
        "type": "faq",
        "lang": "es",
        "title": "¿Cómo pido un reembolso?",
        "description": "Plazos, métodos de pago y qué hacer si el reembolso no llega.",
        "url": URL,
    }
    values.update(changes)
    return Item(**values)


def compose_on(config: AnnounceSettings, page: Item) -> Any:
    options = config.networks[0]
    return compose(page, options, config, options.ledger_name())


def test_mastodon_gets_lead_words_in_the_page_language_a_tracked_link_and_hashtags() -> None:
    config = settings_with(kind="mastodon", url="https://social.example")
    message = compose_on(config, item())
    assert message.text.startswith("Nueva pregunta frecuente: ¿Cómo pido un reembolso?")
    assert message.link in message.text and message.link_text == message.link
    query = parse_qs(urlsplit(message.link).query)
    assert query == {
        "utm_source": ["mastodon"],
        "utm_medium": ["social"],
        "utm_campaign": ["help-centre"],
        "utm_content": ["r1"],
    }
    assert message.text.endswith("#ayuda #soporte")
    assert message.hashtags == ("ayuda", "soporte")
    assert message.length == length(NetworkKind.MASTODON, message.text) <= 500


def test_updated_german_faq_says_so() -> None:
    config = settings_with(kind="mastodon", url="https://social.example")
    message = compose_on(config, item(lang="de", change=Change.UPDATED))
    assert message.text.startswith("FAQ aktualisiert:")


def test_facebook_and_linkedin_leave_the_link_to_the_card() -> None:
    for network in (
        {"kind": "facebook", "page_id": "1"},
        {"kind": "linkedin", "organization": "2"},
    ):
        message = compose_on(settings_with(**network), item())
        assert "https://" not in message.text
        assert message.link.startswith(URL) and message.link_text == ""
        assert "[link card:" in preview(message)


def test_bluesky_shows_a_short_label_whose_facet_points_at_the_whole_link() -> None:
    long_url = "https://help.example.com/es/kb/facturacion/como-pedir-un-reembolso-de-un-pedido/"
    message = compose_on(
        settings_with(kind="bluesky", handle="help.example.com"), item(url=long_url)
    )
    assert message.link_text in message.text
    assert message.link_text.endswith("…") and len(message.link_text) == 30
    assert message.link not in message.text and message.link.startswith(long_url)


def test_utm_off_leaves_the_address_alone_and_earlier_utm_parameters_are_replaced() -> None:
    message = compose_on(settings_with(kind="slack"), item())
    assert message.link == URL
    again = tracked(f"{URL}?a=1&utm_source=old#part", "x", "spring")
    assert again == f"{URL}?a=1&utm_source=x&utm_medium=social&utm_campaign=spring#part"


REVISION = "9f2c4e1a7b3d5c6e8f0a1b2c3d4e5f60718293a4"


@pytest.mark.parametrize(
    "network",
    [
        {"kind": "mastodon", "url": "https://social.example"},
        {"kind": "bluesky", "handle": "help.example.com"},
        {"kind": "x", "enabled": True},
        {"kind": "facebook", "page_id": "1"},
        {"kind": "linkedin", "organization": "2"},
    ],
    ids=lambda network: network["kind"],
)
def test_every_tracked_link_names_the_revision(network: dict[str, Any]) -> None:
    config = settings_with(**network)
    first = compose_on(config, item(revision=REVISION))
    update = compose_on(config, item(revision="0" * 40, change=Change.UPDATED))

    assert parse_qs(urlsplit(first.link).query)["utm_content"] == [REVISION[:12]]
    assert first.link != update.link, "an update's link differs from its first announcement's"
    assert first.link.startswith(URL) and update.link.startswith(URL)


def test_tracked_keeps_an_earlier_utm_content_out() -> None:
    again = tracked(f"{URL}?utm_content=old", "x", "spring", REVISION)
    assert parse_qs(urlsplit(again).query)["utm_content"] == [REVISION[:12]]


def test_a_long_description_is_cut_at_a_word_and_the_link_is_whole() -> None:
    description = " ".join(["palabra"] * 200)
    message = compose_on(settings_with(kind="x", enabled=True), item(description=description))
    assert message.length <= 280
    assert "palabra…" in message.text
    assert "palabr…" not in message.text
    assert message.link in message.text
    assert message.text.endswith("#ayuda #soporte")


def test_with_a_very_long_title_description_and_hashtags_go_first() -> None:
    title = "Reembolso " * 40
    message = compose_on(settings_with(kind="bluesky", handle="h.example"), item(title=title))
    assert message.length <= 300
    assert "Plazos" not in message.text and message.hashtags == ()
    assert message.text.startswith("Nueva pregunta frecuente: Reembolso")
    assert "…" in message.text and message.link_text in message.text


def test_cut_to_fit_cuts_inside_a_word_only_when_the_first_word_is_too_long() -> None:
    assert cut_to_fit("one two three", lambda text: len(text) <= 8) == "one two…"
    assert cut_to_fit("Donaudampfschiff", lambda text: len(text) <= 6) == "Donau…"
    assert cut_to_fit("Donaudampfschiff", lambda text: len(text) <= 6, inside_words=False) == ""


def test_a_template_of_its_own_is_used() -> None:
    template = "{{ lead|upper }} — {{ title }} ({{ category }}) {{ link }}"
    config = settings_with(kind="mastodon", url="https://s.example", template=template)
    message = compose_on(config, item(category="Facturación"))
    assert message.text.startswith(
        "NUEVA PREGUNTA FRECUENTE — ¿Cómo pido un reembolso? (Facturación) https://"
    )


@pytest.mark.parametrize(
    ("template", "complaint"),
    [
        ("{{ title ", "template line 1"),
        ("{{ secret_token }}", "'secret_token', which is not one of"),
    ],
)
def test_a_broken_template_is_refused_when_the_options_are_read(
    template: str, complaint: str
) -> None:
    plugins = {"carebase/announce": {"networks": [{"kind": "slack", "template": template}]}}
    with pytest.raises(ProjectError) as caught:
        announce_settings(plugins)
    assert complaint in str(caught.value)
    assert "networks" in str(caught.value)


def test_the_sandbox_refuses_reaching_into_python() -> None:
    template = "{{ title.__class__.__mro__ }}"
    config = settings_with(kind="slack", template=template)
    with pytest.raises(ProjectError, match="the template failed"):
        compose_on(config, item())


def test_a_template_with_no_room_for_a_title_is_a_clear_error() -> None:
    config = settings_with(kind="x", enabled=True, template="{{ title }} " + "x" * 300)
    with pytest.raises(ProjectError, match="no room for a title within 280"):
        compose_on(config, item())


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=400)


@settings(max_examples=60, deadline=None)
@given(title=TEXT.filter(lambda text: text.strip()), description=TEXT)
def test_every_post_fits_its_network(title: str, description: str) -> None:
    kinds = [
        {"kind": "mastodon", "url": "https://s.example", "limit": 100},
        {"kind": "bluesky", "handle": "h.example"},
        {"kind": "x", "enabled": True},
    ]
    for network in kinds:
        config = settings_with(**network)
        message = compose_on(config, item(title=title, description=description))
        assert message.length == length(message.kind, message.text) <= message.limit
        assert message.link_text and message.link_text in message.text
