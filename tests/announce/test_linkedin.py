"""Posting to a LinkedIn organisation page through ``/rest/posts``, against a fake on
127.0.0.1, and the little-text escaping of the commentary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, date, datetime

import httpx
import pytest

from carebase.announce.model import (
    Duplicate,
    NetworkKind,
    RateLimited,
    Rejected,
    SendError,
    Transient,
)
from carebase.announce.networks.linkedin import LinkedInOrganization, connect, little_text
from carebase.announce.settings import LinkedInOptions, linkedin_version
from tests.announce.faults import (
    LOOKUP,
    POSTING,
    Case,
    check_found_by_revision,
    check_lookup,
    check_posting,
)
from tests.fakes.social import FakeLinkedIn, make_message

TOKEN = "tok-SECRET-linkedin-123456"
ORGANIZATION = "urn:li:organization:5515715"
ENV = "CAREBASE_TEST_LINKEDIN_TOKEN"
MESSAGE = make_message(NetworkKind.LINKEDIN)


@pytest.fixture
def fake() -> Iterator[FakeLinkedIn]:
    with FakeLinkedIn(organization=ORGANIZATION, token=TOKEN).running() as service:
        yield service


def page_for(
    url: str, monkeypatch: pytest.MonkeyPatch, token: str = TOKEN, version: str | None = None
) -> LinkedInOrganization:
    """The page's client; ``version`` None: the default, which follows the date."""
    monkeypatch.setenv(ENV, token)
    chosen = {"version": version} if version is not None else {}
    options = LinkedInOptions(organization="5515715", url=url, token_env=ENV, timeout=0.5, **chosen)
    return connect(options, "linkedin")


@pytest.fixture
def page(fake: FakeLinkedIn, monkeypatch: pytest.MonkeyPatch) -> Iterator[LinkedInOrganization]:
    with closing(page_for(fake.url, monkeypatch)) as network:
        yield network


def test_a_post_arrives_once_as_an_article_by_the_organisation(
    fake: FakeLinkedIn, page: LinkedInOrganization
) -> None:
    urn = page.send(MESSAGE)

    [request] = fake.sent("POST")
    assert request.path == "/rest/posts"
    assert request.body == {
        "author": ORGANIZATION,
        "commentary": "How to get a refund: the steps, and how long it takes. #billing",
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "content": {
            "article": {
                "source": MESSAGE.link,
                "title": MESSAGE.title,
                "description": MESSAGE.description,
            }
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    assert urn == fake.posts[0]["id"]
    assert urn.startswith("urn:li:share:")


def test_a_post_carries_the_version_protocol_and_token_headers(
    fake: FakeLinkedIn, page: LinkedInOrganization
) -> None:
    page.send(MESSAGE)

    [request] = fake.requests
    assert request.headers["linkedin-version"] == linkedin_version()
    assert request.headers["x-restli-protocol-version"] == "2.0.0"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_a_429_is_a_rate_limit_with_its_retry_after(
    fake: FakeLinkedIn, page: LinkedInOrganization
) -> None:
    fake.fail(429, retry_after="60")

    with pytest.raises(RateLimited) as raised:
        page.send(MESSAGE)
    assert raised.value.retry_after == 60


def test_a_server_error_is_transient_and_maybe_sent(
    fake: FakeLinkedIn, page: LinkedInOrganization
) -> None:
    fake.fail(500)

    with pytest.raises(Transient) as raised:
        page.send(MESSAGE)
    assert raised.value.maybe_sent
    assert fake.posts == []


def test_a_late_answer_is_transient_and_may_have_been_sent(
    fake: FakeLinkedIn, page: LinkedInOrganization
) -> None:
    fake.delay(0.8)

    with pytest.raises(Transient) as raised:
        page.send(MESSAGE)
    assert raised.value.maybe_sent


def test_a_wrong_token_is_rejected_naming_the_variable(
    fake: FakeLinkedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "tok-SECRET-linkedin-wrong-999"
    network = page_for(fake.url, monkeypatch, wrong)
    with closing(network), pytest.raises(Rejected) as raised:
        network.send(MESSAGE)
    assert "401" in str(raised.value)
    assert ENV in str(raised.value)


def shifted(months: int) -> str:
    """The YYYYMM ``months`` after this month (before, when negative)."""
    today = datetime.now(UTC).date()
    count = today.year * 12 + today.month - 1 + months
    return f"{count // 12:04d}{count % 12 + 1:02d}"


@pytest.mark.parametrize("months", [-13, -24, 0, 1, 6])
def test_a_retired_or_future_version_is_rejected_with_a_hint(
    fake: FakeLinkedIn, monkeypatch: pytest.MonkeyPatch, months: int
) -> None:
    network = page_for(fake.url, monkeypatch, version=shifted(months))
    with closing(network), pytest.raises(Rejected, match=r"426.*not active.*'version'"):
        network.send(MESSAGE)
    assert fake.posts == []


@pytest.mark.parametrize("months", [-1, -2, -12])
def test_a_version_of_the_last_twelve_months_is_active(
    fake: FakeLinkedIn, monkeypatch: pytest.MonkeyPatch, months: int
) -> None:
    with closing(page_for(fake.url, monkeypatch, version=shifted(months))) as network:
        network.send(MESSAGE)
    assert len(fake.posts) == 1


def test_the_default_version_follows_the_date() -> None:
    assert linkedin_version(date(2026, 1, 15)) == "202511"
    assert linkedin_version(date(2026, 3, 1)) == "202601"
    assert linkedin_version(date(2027, 12, 31)) == "202710"
    assert LinkedInOptions(organization="1").version == shifted(-2)


def test_the_fake_names_a_retired_version_as_linkedin_does(fake: FakeLinkedIn) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "LinkedIn-Version": "202411"}
    answer = httpx.post(f"{fake.url}/rest/posts", headers=headers, json={})

    assert answer.status_code == 426
    assert answer.json() == {
        "status": 426,
        "code": "NONEXISTENT_VERSION",
        "message": "Requested version 20241101 is not active",
    }


@pytest.mark.parametrize("case", POSTING, ids=str)
def test_every_fault_of_posting_is_mapped_and_find_tells_the_truth(
    fake: FakeLinkedIn, page: LinkedInOrganization, case: Case
) -> None:
    assert TOKEN not in str(check_posting(case, fake, page, MESSAGE, "POST /rest/posts"))


@pytest.mark.parametrize("case", LOOKUP, ids=str)
def test_every_fault_of_the_look_up_is_mapped(
    fake: FakeLinkedIn, page: LinkedInOrganization, case: Case
) -> None:
    page.send(MESSAGE)

    assert TOKEN not in str(check_lookup(case, fake, page, MESSAGE, "GET /rest/posts"))


def test_find_takes_only_this_revisions_post(
    fake: FakeLinkedIn, page: LinkedInOrganization
) -> None:
    first, update = (make_message(NetworkKind.LINKEDIN, revision=r) for r in ("r1", "r2"))
    check_found_by_revision(page, first, update)


def test_untracked_find_compares_the_commentary_as_linkedin_lists_it(
    fake: FakeLinkedIn, page: LinkedInOrganization
) -> None:
    url = "https://h.example/r"
    text = "New FAQ: Refunds (and returns) #billing"
    first = make_message(NetworkKind.LINKEDIN, text=text, link=url)
    update = make_message(NetworkKind.LINKEDIN, revision="r2", text="Updated FAQ", link=url)
    check_found_by_revision(page, first, update)
    [listed] = httpx.get(
        f"{fake.url}/rest/posts",
        params={"author": ORGANIZATION, "q": "author"},
        headers={"Authorization": f"Bearer {TOKEN}", "LinkedIn-Version": linkedin_version()},
    ).json()["elements"]
    assert listed["commentary"] == r"New FAQ: Refunds \(and returns\) {hashtag|\#|billing}"


def test_the_same_article_twice_is_a_duplicate_of_the_original(
    fake: FakeLinkedIn, page: LinkedInOrganization
) -> None:
    original = page.send(MESSAGE)

    with pytest.raises(Duplicate) as raised:
        page.send(make_message(NetworkKind.LINKEDIN, text="Reworded, same page"))
    assert raised.value.remote_id == original
    assert len(fake.posts) == 1


def test_find_answers_an_earlier_post_by_its_article(
    fake: FakeLinkedIn, page: LinkedInOrganization
) -> None:
    urn = page.send(MESSAGE)
    page.send(make_message(NetworkKind.LINKEDIN, link="https://help.example.com/other/"))

    assert page.find(MESSAGE) == urn
    [lookup] = fake.sent("GET")
    assert lookup.query == {"author": ORGANIZATION, "q": "author", "count": "20"}


def test_find_sends_the_author_urn_percent_encoded(
    fake: FakeLinkedIn, page: LinkedInOrganization
) -> None:
    page.find(MESSAGE)

    [lookup] = fake.requests
    assert lookup.status == 200
    assert "author=urn%3Ali%3Aorganization%3A5515715&" in lookup.raw_query


def test_find_answers_none_without_such_a_post(
    fake: FakeLinkedIn, page: LinkedInOrganization
) -> None:
    page.send(make_message(NetworkKind.LINKEDIN, link="https://help.example.com/other/"))

    assert page.find(MESSAGE) is None


@pytest.mark.parametrize(
    ("text", "hashtags", "escaped"),
    [
        ("Refunds (in 5 days)", (), r"Refunds \(in 5 days\)"),
        (
            "a[b]{c}<d>@e|f~g_h*i#j\\k",
            (),
            r"a\[b\]\{c\}\<d\>\@e\|f\~g\_h\*i\#j\\k",
        ),
        ("Café über niño 🎉 (nuevo) #ayuda", ("ayuda",), r"Café über niño 🎉 \(nuevo\) #ayuda"),
        ("#billing and #other_tag", ("billing",), r"#billing and \#other\_tag"),
        ("#Billing_help stays", ("billing_help",), "#Billing_help stays"),
        ("No markup: é ü ñ 🚀.", (), "No markup: é ü ñ 🚀."),
    ],
)
def test_commentary_escapes_little_text_markup_but_not_hashtags(
    text: str, hashtags: tuple[str, ...], escaped: str
) -> None:
    assert little_text(text, hashtags) == escaped


def test_the_commentary_sent_is_escaped(fake: FakeLinkedIn, page: LinkedInOrganization) -> None:
    message = make_message(
        NetworkKind.LINKEDIN, text="Ayuda (nueva) para niños 👋 @equipo #ayuda", hashtags=("ayuda",)
    )

    page.send(message)

    assert fake.posts[0]["commentary"] == r"Ayuda \(nueva\) para niños 👋 \@equipo #ayuda"


FAULTS: dict[str, Callable[[FakeLinkedIn], object]] = {
    "429": lambda fake: fake.fail(429, retry_after="5"),
    "500": lambda fake: fake.fail(500, body={"message": f"oops Bearer {TOKEN}"}),
    "timeout": lambda fake: fake.delay(0.8),
    "401": lambda fake: fake.fail(401, body={"message": f"Invalid access token {TOKEN}"}),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_no_error_shows_the_token(
    fake: FakeLinkedIn, page: LinkedInOrganization, fault: str
) -> None:
    FAULTS[fault](fake)

    with pytest.raises(SendError) as raised:
        page.send(MESSAGE)
    assert TOKEN not in str(raised.value)
    assert "\n" not in str(raised.value)
