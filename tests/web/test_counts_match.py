"""The counts on the pages equal direct SQL counts after decisions, reviews, recalls and edits."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

import sqlalchemy as sa

from portcullis.accounting import accounting_rows, refused_request_rows
from portcullis.aftercare import annual_report_for
from portcullis.gateway import Gateway
from portcullis.reports.annual import annual_report
from portcullis.reports.annual_tallies import annual_report_from_tallies
from portcullis.review import review_queue, settle_review
from portcullis.store.tables import decisions, intake_events, items, releases
from portcullis.store.tallies import decision_tallies
from portcullis.store.taxpayer_tallies import taxpayer_tallies
from portcullis.web.glance import glance
from tests.web.conftest import TestClient, create_accounts, sign_in
from tests.web.test_dashboard import figure

OUTCOMES = ("disclosed", "refused", "no_match", "ambiguous", "pending_review")


def settle_a_mix(gateway: Gateway) -> None:
    """Approve one held item, refuse another, recall the release."""
    held = review_queue(gateway)
    settle_review(gateway, held[0].item_pk, reviewer="rita.reviewer", approve=True, reason="ok")
    settle_review(gateway, held[1].item_pk, reviewer="rita.reviewer", approve=False, reason="no")
    with gateway.engine.begin() as con:
        con.execute(
            releases.update().values(recalled_at=dt.datetime.now(dt.UTC), recall_reason="wrong")
        )


def by_outcome(gateway: Gateway, request_id: str | None = None) -> Counter[str]:
    query = (
        sa.select(decisions.c.outcome, sa.func.count())
        .join(items, items.c.id == decisions.c.item_pk)
        .group_by(decisions.c.outcome)
    )
    if request_id is not None:
        query = query.where(items.c.request_id == request_id)
    with gateway.engine.connect() as con:
        return Counter({str(outcome): int(n) for outcome, n in con.execute(query)})


def test_the_tallies_follow_every_insert_update_and_delete(
    gateway: Gateway, held_request: str
) -> None:
    settle_a_mix(gateway)
    with gateway.engine.begin() as con:
        # Writes outside the road are counted too: an edit, and a decision removed.
        first, second = con.execute(
            sa.select(decisions.c.item_pk).order_by(decisions.c.item_pk).limit(2)
        ).scalars()
        con.execute(
            decisions.update()
            .where(decisions.c.item_pk == first)
            .values(outcome="ambiguous", reason_codes="edited", decided_at=dt.datetime(2025, 3, 1))
        )
        con.execute(decisions.delete().where(decisions.c.item_pk == second))
        tallied = Counter(
            {
                (str(rid), str(day)[:10], str(outcome), str(codes)): int(n)
                for rid, day, outcome, codes, n in con.execute(
                    sa.select(
                        decision_tallies.c.request_id,
                        decision_tallies.c.day,
                        decision_tallies.c.outcome,
                        decision_tallies.c.reason_codes,
                        decision_tallies.c["items"],
                    )
                )
            }
        )
        counted: Counter[tuple[str, str, str, str]] = Counter()
        for rid, moment, outcome, codes in con.execute(
            sa.select(
                items.c.request_id,
                decisions.c.decided_at,
                decisions.c.outcome,
                decisions.c.reason_codes,
            ).join(items, items.c.id == decisions.c.item_pk)
        ):
            day = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
            counted[str(rid), day.date().isoformat(), str(outcome), str(codes)] += 1
    assert tallied == counted
    assert 0 not in tallied.values()


def test_the_taxpayer_tallies_follow_every_insert_update_and_delete(
    gateway: Gateway, held_request: str
) -> None:
    settle_a_mix(gateway)
    for approve, reason in ((True, "ok again"), (True, "and again")):
        item = review_queue(gateway)[0].item_pk
        settle_review(gateway, item, reviewer="rita.reviewer", approve=approve, reason=reason)
    with gateway.engine.begin() as con:
        disclosed = list(
            con.execute(
                sa.select(decisions.c.item_pk)
                .where(decisions.c.outcome == "disclosed")
                .order_by(decisions.c.item_pk)
            ).scalars()
        )
        assert len(disclosed) >= 3
        # Writes outside the road count too: a release moved to another year, one undone, one gone.
        con.execute(
            decisions.update()
            .where(decisions.c.item_pk == disclosed[0])
            .values(decided_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
        )
        con.execute(
            decisions.update()
            .where(decisions.c.item_pk == disclosed[1])
            .values(outcome="refused", reason_codes="edited")
        )
        con.execute(decisions.delete().where(decisions.c.item_pk == disclosed[2]))
        tallied = Counter(
            {
                (int(year), str(tin)): int(n)
                for year, tin, n in con.execute(sa.select(taxpayer_tallies))
            }
        )
        counted: Counter[tuple[int, str]] = Counter()
        for moment, tin in con.execute(
            sa.select(decisions.c.decided_at, decisions.c.tin).where(
                decisions.c.outcome == "disclosed", decisions.c.tin.is_not(None)
            )
        ):
            day = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
            counted[day.year, str(tin)] += 1
    assert tallied == counted
    assert 0 not in tallied.values()
    year = dt.datetime.now(dt.UTC).year
    seen = glance(gateway.engine, year, "month", ledger_size=gateway.ledger.size())
    assert seen.taxpayers_affected == len({tin for (y, tin) in counted if y == year})


def test_the_pages_show_the_databases_counts_after_reviews_and_recalls(
    gateway: Gateway, held_request: str, client_for: Callable[[Gateway], TestClient]
) -> None:
    settle_a_mix(gateway)
    create_accounts(gateway, "avery.auditor")
    client = client_for(gateway)
    sign_in(client, "avery.auditor")
    expected = by_outcome(gateway)
    dashboard = client.get("/ui/dashboard").text
    shown = {
        "disclosed": figure(dashboard, "releases"),
        "refused": figure(dashboard, "refusals"),
        "no_match": figure(dashboard, "no_match"),
        "ambiguous": figure(dashboard, "ambiguous"),
        "pending_review": figure(dashboard, "pending_review"),
    }
    assert shown == {outcome: expected[outcome] for outcome in OUTCOMES}
    assert figure(dashboard, "items") == sum(expected.values())
    assert figure(dashboard, "backlog") == expected["pending_review"]
    with gateway.engine.connect() as con:
        recalled = con.execute(sa.select(sa.func.count(releases.c.recalled_at))).scalar_one()
    assert f"{recalled} of 1 released package recalled." in dashboard
    detail = client.get(f"/ui/requests/{held_request}").text
    rows = dict(re.findall(r'<tr><td>([a-z ]+)</td><td class="number">(\d+)</td></tr>', detail))
    per_request = by_outcome(gateway, held_request)
    assert {o: int(rows[o.replace("_", " ")]) for o in OUTCOMES} == {
        o: per_request[o] for o in OUTCOMES
    }


def test_the_annual_report_and_the_dashboard_count_the_same_totals(
    gateway: Gateway, held_request: str
) -> None:
    settle_a_mix(gateway)
    year = dt.datetime.now(dt.UTC).year
    report = annual_report_for(gateway, year)
    seen = glance(gateway.engine, year, "month", ledger_size=gateway.ledger.size())
    total = report.total
    assert (
        total.items,
        total.releases,
        total.refusals,
        total.no_match,
        total.ambiguous,
        total.pending_review,
        total.taxpayers_affected,
        total.requests,
    ) == (
        seen.totals.items,
        seen.totals.releases,
        seen.totals.refusals,
        seen.totals.no_match,
        seen.totals.ambiguous,
        seen.totals.pending_review,
        seen.taxpayers_affected,
        seen.requests,
    )
    assert dict(total.refusal_reasons) == dict(seen.refusal_reasons)
    assert "reviewer_refused" in dict(seen.refusal_reasons)
    assert report.recalls == seen.totals.recalls == 1
    assert seen.total.outcomes == seen.totals.outcomes


def test_the_annual_report_from_the_tallies_equals_the_one_from_the_accounting(
    gateway: Gateway, held_request: str
) -> None:
    settle_a_mix(gateway)
    year = dt.datetime.now(dt.UTC).year
    with gateway.engine.begin() as con:
        # A request refused as a whole, twice under one id (counted once), and once unnamed.
        for request_id, code in (("REQ-WHOLE", "bad_signature"), ("REQ-WHOLE", None), (None, None)):
            con.execute(
                intake_events.insert().values(
                    request_id=request_id,
                    program_id="ice-address-verification",
                    file_name="refused.csv",
                    file_sha256="ab" * 32,
                    accepted=False,
                    code=code,
                    received_at=dt.datetime.now(dt.UTC),
                )
            )
        # A decision moved to last year leaves this year's figures and enters last year's.
        first = con.execute(sa.select(sa.func.min(decisions.c.item_pk))).scalar_one()
        con.execute(
            decisions.update()
            .where(decisions.c.item_pk == first)
            .values(decided_at=dt.datetime(year - 1, 12, 31, 23, 59, tzinfo=dt.UTC))
        )
    for shown in (year, year - 1):
        from_accounting = annual_report(accounting_rows(gateway.engine), shown)
        from_tallies = annual_report_from_tallies(
            gateway.engine, shown, refused_request_rows(gateway.engine)
        )
        assert from_tallies == from_accounting
        assert from_tallies.total.items > 0
    # The report of the workspace takes the tallies' road for a UTC year; settle_a_mix recalled one.
    rows = accounting_rows(gateway.engine)
    assert annual_report_for(gateway, year) == annual_report(rows, year, recalls=1)


def test_items_sharing_an_item_id_or_none_each_count_in_the_annual_report(
    gateway: Gateway, held_request: str
) -> None:
    # A request may repeat an item id or leave it blank (such items are refused, and accounted
    # for): each item is counted once, as the tallies count it, whatever its id says.
    year = dt.datetime.now(dt.UTC).year
    with gateway.engine.begin() as con:
        first, second, third = (
            con.execute(
                sa.select(items.c.id)
                .where(items.c.request_id == held_request)
                .order_by(items.c.row)
            )
            .scalars()
            .all()[:3]
        )
        con.execute(items.update().where(items.c.id.in_((first, second))).values(item_id="SAME"))
        con.execute(items.update().where(items.c.id == third).values(item_id=None))
    from_accounting = annual_report(accounting_rows(gateway.engine), year)
    from_tallies = annual_report_from_tallies(
        gateway.engine, year, refused_request_rows(gateway.engine)
    )
    assert from_accounting.total.items == sum(by_outcome(gateway).values())
    assert from_tallies == from_accounting
