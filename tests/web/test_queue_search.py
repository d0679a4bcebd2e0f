"""The review queue's search and its pages by key agree with the database, however deep."""

from __future__ import annotations

import html as markup
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from portcullis.checks.duplicates import normalise_case_number, normalise_token
from portcullis.gateway import Gateway
from portcullis.store.tables import decisions, items
from portcullis.web import queue_view
from tests.web.conftest import TestClient, hold_batch, sign_in, write_held_batch
from tests.web.test_review import figure


def lines_of(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-item="(\d+)"', page)]


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return None if found is None else markup.unescape(found.group(1))


def held_rows(gateway: Gateway) -> list[sa.Row[tuple[int, str, str, str, str]]]:
    query = (
        sa.select(
            items.c.id, items.c.item_id, items.c.request_id, items.c.case_number, items.c.name_key
        )
        .join(decisions, decisions.c.item_pk == items.c.id)
        .where(decisions.c.outcome == "pending_review")
    )
    with gateway.engine.connect() as con:
        return list(con.execute(query).all())


def matches(row: sa.Row[tuple[int, str, str, str, str]], search: str) -> bool:
    """The documented rule, word by word: in the name, or at the start of an identifier."""

    def one(word: str) -> bool:
        name, case = normalise_token(word), normalise_case_number(word)
        starts = [str(value or "") for value in (row.item_id, row.request_id)]
        return (
            bool(name and name in (row.name_key or ""))
            or bool(case and str(row.case_number or "").startswith(case))
            or any(s.startswith(word) or s.startswith(word.upper()) for s in starts)
        )

    return all(one(word) for word in search.split())


@pytest.fixture
def two_batches(gateway: Gateway, fresh_client: TestClient, tmp_path: Path) -> TestClient:
    hold_batch(gateway, write_held_batch(tmp_path / "more.csv", series="2027"))
    sign_in(fresh_client, "rita.reviewer")
    return fresh_client


def test_the_search_finds_ids_from_their_start_and_names_anywhere(
    gateway: Gateway, two_batches: TestClient
) -> None:
    rows = held_rows(gateway)
    request_id = str(rows[-1].request_id)
    searches = {
        "i-1": 2,  # item I-1 of each request, whatever the case typed
        "-1": 0,  # the middle of an identifier is not its start
        "GARCÍA maria": 10,  # every word in the name, accents and case folded
        "ICE-ERO-2027-000003": 1,  # a whole case number, punctuation folded
        "ice-ero-2027": 5,  # the start of a case number
        request_id.lower(): 5,  # a request id, typed in small letters
        "lopez I-2": 2,
    }
    for search, expected in searches.items():
        page = two_batches.get("/ui/review", params={"search": search}).text
        wanted = sorted(row.id for row in rows if matches(row, search))
        assert len(wanted) == expected, search
        assert figure(page, "waiting") == str(expected), search
        assert sorted(lines_of(page)) == wanted, search


def test_the_next_and_previous_links_walk_every_held_item_once_by_key(
    gateway: Gateway, two_batches: TestClient
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(queue_view, "PAGE_SIZE", 4)
        for sort in ("priority", "oldest", "newest", "score_high"):
            numbered = [
                lines_of(two_batches.get("/ui/review", params={"sort": sort, "page": n}).text)
                for n in (1, 2, 3)
            ]
            walked: list[list[int]] = []
            address: str | None = f"/ui/review?sort={sort}"
            while address is not None:
                page = two_batches.get(address).text
                walked.append(lines_of(page))
                address = link(page, "next")
            assert "after=" in (link(two_batches.get(f"/ui/review?sort={sort}").text, "next") or "")
            assert walked == numbered, sort
            back: list[list[int]] = []
            address = link(page, "prev")
            while address is not None:
                page = two_batches.get(address).text
                back.insert(0, lines_of(page))
                address = link(page, "prev")
            assert back == numbered[:2], sort
    every = sorted(pk for lines in walked for pk in lines)
    assert every == sorted(row.id for row in held_rows(gateway))
    assert len(every) == 10


def test_a_page_after_an_item_since_settled_still_follows_it_in_the_order(
    gateway: Gateway, two_batches: TestClient
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(queue_view, "PAGE_SIZE", 4)
        first = two_batches.get("/ui/review", params={"sort": "oldest"}).text
        second = lines_of(two_batches.get("/ui/review?sort=oldest&page=2").text)
        following = link(first, "next")
        assert following is not None
        with gateway.engine.begin() as con:
            con.execute(
                decisions.update()
                .where(decisions.c.item_pk == lines_of(first)[-1])
                .values(outcome="refused", reason_codes="reviewer_refused")
            )
        assert lines_of(two_batches.get(following).text) == second
