"""A workspace whose state holds every kind of accounted event: releases, a recall, reviews."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from portcullis.aftercare.recall import recall_releases
from portcullis.aftercare.retention import confirm_receipt
from portcullis.aftercare.selectors import one_release
from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.intake import submit_request
from portcullis.programs import get_program
from portcullis.review import review_queue, settle_review
from portcullis.store.tables import decisions, intake_events, items
from portcullis.submission import sign_request_file
from tests.aftercare.conftest import PROGRAM, THREE_PEOPLE, submit_and_process
from tests.test_review import held_request


@dataclass(frozen=True, slots=True)
class Accounted:
    """The item keys of the scenario's events, for the tamper tests to aim at."""

    released: int  # a released, unrecalled item
    recalled: int  # a released item, since recalled
    refused: int  # an item refused at decision time
    reviewed: int  # a held item a reviewer settled by refusal
    intake_refusal: int  # the intake event of a request refused as a whole


def _refuse_a_request(gateway: Gateway, path: Path) -> int:
    # The file changes after it was signed, so its digest no longer matches the manifest.
    signed = sign_request_file(
        path, get_program(gateway.engine, PROGRAM), gateway.workspace.demo_signer_key_path
    )
    path.write_text(path.read_text() + "\n")
    with pytest.raises(PortcullisError):
        submit_request(gateway, path, signed)
    with gateway.engine.connect() as con:
        return int(
            con.execute(
                sa.select(intake_events.c.id).where(intake_events.c.accepted.is_(False))
            ).scalar_one()
        )


def _item(gateway: Gateway, request_id: str, row: int) -> int:
    with gateway.engine.connect() as con:
        return int(
            con.execute(
                sa.select(items.c.id).where(items.c.request_id == request_id, items.c.row == row)
            ).scalar_one()
        )


@pytest.fixture
def accounted(gateway: Gateway, request_file: Callable[..., Path]) -> Accounted:
    """Three releases (one recalled, one confirmed received), one refusal and two reviews."""
    released = submit_and_process(gateway, request_file(*THREE_PEOPLE))
    recall_releases(
        gateway, one_release(released, row=2), reason="Wrong taxpayer.", recalled_by="ops-1"
    )
    confirm_receipt(gateway, released, 1, confirmed_by="ICE records office")
    held = held_request(gateway, request_file)
    first, second = review_queue(gateway)[:2]
    settle_review(gateway, first.item_pk, reviewer="officer.lee", approve=True, reason="DOB agrees")
    settle_review(gateway, second.item_pk, reviewer="officer.lee", approve=False, reason="weak")
    with gateway.engine.connect() as con:
        refused = con.execute(
            sa.select(decisions.c.item_pk)
            .join(items, items.c.id == decisions.c.item_pk)
            .where(items.c.request_id == held, decisions.c.outcome == "refused")
            .where(decisions.c.decided_by != "officer.lee")
            .limit(1)
        ).scalar_one()
    accounted = Accounted(
        intake_refusal=_refuse_a_request(gateway, request_file({})),
        released=_item(gateway, released, 1),
        recalled=_item(gateway, released, 2),
        refused=int(refused),
        reviewed=second.item_pk,
    )
    # The tests edit the database as an insider behind a quiet gateway: a running leader would
    # sign or gather cosignatures again for what an edit removed, mending it before the audit.
    gateway.integrator.stop()
    return accounted
