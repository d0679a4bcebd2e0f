"""Group commit: waiters share checkpoints, crashes lose nothing, silent witnesses fail closed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from portcullis.gateway import Gateway
from portcullis.ledger.integrator import CommitSettings, Integrator, NoDecisions, NotWitnessed
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.tables import ledger_checkpoints
from portcullis.ledger.witness import Witness
from portcullis.processing import process_request
from portcullis.store.database import open_engine
from portcullis.store.tables import decisions, releases
from portcullis.workspace import Workspace
from tests.ledger.conftest import Filler, WitnessFactory
from tests.ledger.test_cosigning import Unreachable
from tests.test_processing import QUICK, count, submit

WriteRequest = Callable[..., Path]


def one_item(request_file: WriteRequest, n: int) -> Path:
    # Distinct cases and officers keep every request clear of the duplicate and load checks.
    return request_file({"case_number": f"ICE-GC-{n:06d}", "recipient_officers": f"HSI-{n:05d}"})


def process_at_once(gateway: Gateway, request_ids: Sequence[str]) -> list[BaseException]:
    """Process every request on its own thread at the same time; return what any of them raised."""
    errors: list[BaseException] = []

    def run(request_id: str) -> None:
        try:
            process_request(gateway, request_id)
        except BaseException as exc:  # collected, so the caller's assertion names it
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(rid,)) for rid in request_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


class SlowWitness:
    """A witness that answers only after `delay` seconds (a stalled oversight body)."""

    def __init__(self, inner: Witness, delay: float) -> None:
        self.inner, self.delay, self.name = inner, delay, inner.name

    def latest_size(self, origin: str) -> int:
        return self.inner.latest_size(origin)

    def add_checkpoint(self, old_size: int, proof: Sequence[bytes], note: str) -> str:
        time.sleep(self.delay)
        return self.inner.add_checkpoint(old_size, proof, note)


def test_many_waiters_share_few_checkpoints_and_all_are_released(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    gateway.integrator.settings = CommitSettings(interval=0.2)
    ids = [submit(gateway, one_item(request_file, n)) for n in range(12)]
    signed_before = count(gateway, ledger_checkpoints)
    assert process_at_once(gateway, ids) == []
    assert count(gateway, releases) == 12
    # Twelve decisions arriving together are covered by far fewer checkpoints than twelve.
    assert count(gateway, ledger_checkpoints) - signed_before < 6
    assert gateway.ledger.verify().ok


def test_a_crash_between_sequencing_and_checkpoint_loses_nothing_and_releases_once(
    workspace: Workspace, request_file: WriteRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Gateway.open(workspace, commit=QUICK)
    request_id = submit(first, one_item(request_file, 1))
    size_before = first.ledger.size()

    def crash(*_: Any, **__: Any) -> None:
        raise RuntimeError("power cut after the append")

    # The process dies after appending the entries, before their indexes are written back: the
    # round's one transaction leaves neither, and the stored decision still waits to be appended.
    monkeypatch.setattr(first.integrator.source, "settle", crash)
    with pytest.raises(NotWitnessed, match="power cut"):
        process_request(first, request_id)
    size_after = first.ledger.size()
    first.close()
    assert size_after == size_before
    looking = open_engine(workspace.state_url)
    try:
        with looking.connect() as con:
            assert con.execute(sa.select(decisions.c.ledger_index)).scalar_one() is None
    finally:
        looking.dispose()
    again = Gateway.open(workspace, commit=QUICK)
    try:
        assert process_request(again, request_id).released == 1
        process_request(again, request_id)
        assert again.ledger.size() == size_before + 1  # the decision key wrote it once
        assert count(again, releases) == 1
        assert again.ledger.verify().ok
    finally:
        again.close()


def test_a_witness_slower_than_the_bound_fails_closed_and_loses_nothing(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    gateway.integrator.settings = CommitSettings(
        interval=0.01, witness_timeout=0.2, commit_timeout=0.6
    )
    saved = list(gateway.witnesses)
    gateway.witnesses[:] = [SlowWitness(w, 1.5) for w in saved]
    request_id = submit(gateway, one_item(request_file, 2))
    try:
        with pytest.raises(NotWitnessed, match="witness quorum"):
            process_request(gateway, request_id)
        assert count(gateway, releases) == 0
        with gateway.engine.connect() as con:
            stored = con.execute(sa.select(decisions.c.outcome)).scalars().all()
        assert stored == ["disclosed"]  # recorded, waiting, not lost
    finally:
        gateway.witnesses[:] = saved
    time.sleep(1.5)  # the stalled exchanges end before the witnesses are asked again
    assert process_request(gateway, request_id).released == 1
    assert gateway.ledger.verify().ok


def test_a_round_commits_leaves_indexes_and_checkpoint_together_and_an_idle_one_writes_nothing(
    gateway: Gateway, request_file: WriteRequest
) -> None:
    request_id = submit(gateway, one_item(request_file, 1))
    commits: list[str] = []

    def committed(conn: Any) -> None:
        commits.append(threading.current_thread().name)

    sa.event.listen(gateway.engine, "commit", committed)
    try:
        assert process_request(gateway, request_id).released == 1
        rounds = [name for name in commits if name == "ledger-integrator"]
        # One transaction for the leaves, their indexes and the checkpoint; one for cosignatures.
        assert len(rounds) == 2
        checkpoints_before = count(gateway, ledger_checkpoints)
        commits.clear()
        gateway.integrator.flush()  # nothing pending, nothing unsigned
        assert [name for name in commits if name == "ledger-integrator"] == []
        assert count(gateway, ledger_checkpoints) == checkpoints_before
    finally:
        sa.event.remove(gateway.engine, "commit", committed)


def test_a_round_cosigns_what_it_signed_and_answers_coverage_from_it(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    integrator = Integrator(ledger, [make_witness("tigta"), make_witness("jct")], NoDecisions())
    try:
        fill(3)
        signed = integrator.checkpoint()
        assert signed is not None and signed.size == 3

        def unread(*_: object) -> None:
            raise AssertionError("read from the store")

        # A round that signs cosigns the checkpoint as it holds it; waiters ask it, not the store.
        monkeypatch.setattr(ledger, "latest_signed", unread)
        monkeypatch.setattr(ledger, "latest_checkpoint", unread)
        monkeypatch.setattr(ledger, "covering_size", unread)
        assert integrator.covering_size(2, beyond=2) == 3
        fill(2, prefix="later")
        integrator.flush()
        assert integrator.covering_size(2, beyond=4) == 5
        monkeypatch.undo()
        # What the last round cannot answer is read from the store.
        assert integrator.covering_size(3) is None
        fill(1, prefix="unsigned")
        assert integrator.covering_size(2, beyond=5) == 5  # entry 5 is not covered yet
    finally:
        integrator.stop()


def test_a_round_below_quorum_leaves_coverage_to_the_store(
    ledger: Ledger, fill: Filler, make_witness: WitnessFactory
) -> None:
    down = make_witness("jct")
    down.__class__ = Unreachable
    integrator = Integrator(ledger, [make_witness("tigta"), down], NoDecisions())
    try:
        fill(2)
        integrator.checkpoint()
        assert integrator.covering_size(1, beyond=1) == 2
        assert integrator.covering_size(2, beyond=1) is None
        assert not ledger.is_covered(1, 2)
    finally:
        integrator.stop()
