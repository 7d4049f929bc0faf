"""The planner: what a run posts, records, or leaves for later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from carebase.announce.ledger import Entry, Ledger, State
from carebase.announce.model import Change, Item
from carebase.announce.planner import Account, plan

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=15)
MASTODON = Account("mastodon-en", ("en",), cap=5)


def item(
    name: str, revision: str = "r1", type: str = "faq", lang: str = "en", **more: object
) -> Item:
    return Item(
        id=f"kb/help/{name}@{lang}",
        revision=revision,
        type=type,
        lang=lang,
        title=name.title(),
        description="",
        url=f"https://help.example/kb/help/{name}/",
        **more,  # type: ignore[arg-type]
    )


def seen(
    it: Item, network: str = "mastodon-en", state: State = State.POSTED, **more: object
) -> Entry:
    return Entry(it.id, it.revision, network, state, **more)  # type: ignore[arg-type]


def test_a_network_seen_for_the_first_time_records_a_baseline_instead_of_posting() -> None:
    items = [item("wifi"), item("refund")]
    result = plan(items, Ledger(), [MASTODON], now=NOW, lease=LEASE)
    assert result.send == []
    assert {(e.item_id, e.state) for e in result.record} == {
        ("kb/help/wifi@en", State.BASELINE),
        ("kb/help/refund@en", State.BASELINE),
    }


def test_backfill_posts_what_is_already_published() -> None:
    result = plan([item("wifi")], Ledger(), [MASTODON], now=NOW, lease=LEASE, backfill=True)
    assert [s.item.id for s in result.send] == ["kb/help/wifi@en"]


def test_new_faq_is_sent_and_one_already_posted_is_not() -> None:
    old, new = item("wifi"), item("refund")
    result = plan([old, new], Ledger([seen(old)]), [MASTODON], now=NOW, lease=LEASE)
    assert [(s.item.id, s.item.change) for s in result.send] == [(new.id, Change.NEW)]


def test_a_changed_faq_is_announced_as_updated_but_a_changed_post_is_not() -> None:
    faq, post = item("wifi", "r2"), item("launch", "r2", type="post")
    ledger = Ledger([seen(item("wifi", "r1")), seen(item("launch", "r1", type="post"))])
    result = plan([faq, post], ledger, [MASTODON], now=NOW, lease=LEASE)
    assert [(s.item.id, s.item.change) for s in result.send] == [(faq.id, Change.UPDATED)]


def test_a_silent_edit_is_recorded_not_announced() -> None:
    faq = item("wifi", "r2", silent=True)
    result = plan([faq], Ledger([seen(item("wifi", "r1"))]), [MASTODON], now=NOW, lease=LEASE)
    assert result.send == []
    assert [(e.revision, e.state) for e in result.record] == [("r2", State.SILENCED)]


def test_languages_go_to_their_own_accounts() -> None:
    spanish = Account("mastodon-es", ("es",), cap=5)
    items = [item("wifi"), item("wifi", lang="es")]
    ledger = Ledger([seen(item("x")), seen(item("x", lang="es"), network="mastodon-es")])
    result = plan(items, ledger, [MASTODON, spanish], now=NOW, lease=LEASE)
    assert sorted((s.network, s.item.lang) for s in result.send) == [
        ("mastodon-en", "en"),
        ("mastodon-es", "es"),
    ]


def test_the_cap_defers_the_rest_and_notices_go_first() -> None:
    capped = Account("mastodon-en", ("en",), cap=2)
    items = [item(f"faq{n}") for n in range(4)] + [item("outage", type="notice")]
    result = plan(items, Ledger([seen(item("x"))]), [capped], now=NOW, lease=LEASE)
    assert len(result.send) == 2
    assert result.send[0].item.type == "notice"
    assert result.deferred == {"mastodon-en": 3}


def test_a_failure_is_retried_only_once_it_is_due() -> None:
    faq = item("wifi")
    later = seen(faq, state=State.FAILED, next_attempt_at=(NOW + timedelta(minutes=5)).isoformat())
    assert plan([faq], Ledger([later]), [MASTODON], now=NOW, lease=LEASE).send == []
    due = later.but(next_attempt_at=(NOW - timedelta(seconds=1)).isoformat())
    retried = plan([faq], Ledger([due]), [MASTODON], now=NOW, lease=LEASE).send
    assert [s.previous for s in retried] == [due]


def test_a_claim_of_another_run_is_left_alone_until_its_lease_ends() -> None:
    faq = item("wifi")
    fresh = seen(faq, state=State.SENDING, claimed_at=(NOW - timedelta(minutes=1)).isoformat())
    result = plan([faq], Ledger([fresh]), [MASTODON], now=NOW, lease=LEASE)
    assert result.send == [] and result.waiting == 1
    stale = fresh.but(claimed_at=(NOW - timedelta(minutes=16)).isoformat())
    reclaimed = plan([faq], Ledger([stale]), [MASTODON], now=NOW, lease=LEASE).send
    assert len(reclaimed) == 1 and reclaimed[0].reclaimed


def test_a_newer_revision_gives_up_the_older_failed_one() -> None:
    failed = seen(item("wifi", "r1"), state=State.FAILED, error="500")
    result = plan([item("wifi", "r2")], Ledger([failed]), [MASTODON], now=NOW, lease=LEASE)
    assert [s.item.revision for s in result.send] == ["r2"]
    assert [(e.revision, e.state) for e in result.record] == [("r1", State.GAVE_UP)]


@pytest.mark.parametrize(
    "first", [State.FAILED, State.GAVE_UP, State.UNCONFIRMED, State.SILENCED, State.SENDING]
)
def test_an_edit_of_a_faq_whose_first_announcement_never_went_out_is_new(first: State) -> None:
    claimed = (NOW - timedelta(hours=1)).isoformat()
    never = seen(item("wifi", "r1"), state=first, claimed_at=claimed)
    result = plan([item("wifi", "r2")], Ledger([never]), [MASTODON], now=NOW, lease=LEASE)
    assert [(s.item.revision, s.item.change) for s in result.send] == [("r2", Change.NEW)]


@pytest.mark.parametrize("first", [State.POSTED, State.BASELINE])
def test_an_edit_is_updated_only_after_an_earlier_revision_was_seen(first: State) -> None:
    ledger = Ledger([seen(item("wifi", "r0"), state=State.FAILED), seen(item("wifi"), state=first)])
    result = plan([item("wifi", "r2")], ledger, [MASTODON], now=NOW, lease=LEASE)
    assert [(s.item.revision, s.item.change) for s in result.send] == [("r2", Change.UPDATED)]


def test_seen_is_per_network() -> None:
    other = Account("bluesky", ("en",), cap=5)
    ledger = Ledger(
        [seen(item("wifi")), seen(item("wifi"), network="bluesky", state=State.GAVE_UP)]
    )
    result = plan([item("wifi", "r2")], ledger, [MASTODON, other], now=NOW, lease=LEASE)
    assert sorted((s.network, s.item.change) for s in result.send) == [
        ("bluesky", Change.NEW),
        ("mastodon-en", Change.UPDATED),
    ]


def test_a_pending_older_revision_is_superseded_and_only_the_newest_goes_out_once() -> None:
    stale = (NOW - timedelta(hours=1)).isoformat()
    ledger = Ledger(
        [
            seen(item("wifi", "r1"), state=State.SENDING, claimed_at=stale),
            seen(item("wifi", "r2"), state=State.FAILED, error="500"),
        ]
    )
    result = plan([item("wifi", "r3")], ledger, [MASTODON], now=NOW, lease=LEASE)
    assert [(s.item.revision, s.item.change) for s in result.send] == [("r3", Change.NEW)]
    assert sorted((e.revision, e.state) for e in result.record) == [
        ("r1", State.GAVE_UP),
        ("r2", State.GAVE_UP),
    ]


def test_an_older_revision_that_may_have_reached_a_webhook_stays_for_a_person() -> None:
    slack = Account("slack", ("en",), cap=5, reconciles=False)
    doubt = seen(
        item("wifi", "r1"), "slack", State.FAILED, attempted_at=NOW.isoformat(), error="timeout"
    )
    result = plan([item("wifi", "r2")], Ledger([doubt]), [slack], now=NOW, lease=LEASE)
    assert [(s.item.revision, s.item.change) for s in result.send] == [("r2", Change.NEW)]
    assert [(e.revision, e.state) for e in result.record] == [("r1", State.UNCONFIRMED)]


def test_an_older_revision_being_posted_right_now_holds_the_newer_back() -> None:
    busy = seen(item("wifi", "r1"), state=State.SENDING, claimed_at=NOW.isoformat())
    result = plan([item("wifi", "r2")], Ledger([busy]), [MASTODON], now=NOW, lease=LEASE)
    assert result.send == [] and result.waiting == 1 and result.record == []


@pytest.mark.parametrize("first", [State.FAILED, State.GAVE_UP])
def test_a_post_whose_first_announcement_never_went_out_is_announced_at_its_edit(
    first: State,
) -> None:
    ledger = Ledger([seen(item("launch", type="post"), state=first)])
    result = plan([item("launch", "r2", type="post")], ledger, [MASTODON], now=NOW, lease=LEASE)
    assert [(s.item.revision, s.item.change) for s in result.send] == [("r2", Change.NEW)]


def test_a_post_that_may_have_gone_out_is_not_announced_again_at_its_edit() -> None:
    ledger = Ledger([seen(item("launch", type="post"), state=State.UNCONFIRMED)])
    result = plan([item("launch", "r2", type="post")], ledger, [MASTODON], now=NOW, lease=LEASE)
    assert result.send == []
