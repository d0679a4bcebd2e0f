"""One integrator per workspace: the process holding the lock checkpoints for every process."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from portcullis.gateway import Gateway
from portcullis.ledger.integrator import (
    CommitSettings,
    Integrator,
    NotWitnessed,
    checkpoint_by_leader,
)
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.opening import open_ledger
from portcullis.ledger.tables import ledger_checkpoints
from portcullis.processing import process_request
from portcullis.store.tables import releases
from portcullis.workspace import Workspace
from tests.conftest import POSTGRES_ENV
from tests.ledger.test_integrator import one_item, process_at_once
from tests.test_processing import count, submit

WriteRequest = Callable[..., Path]
SHARED = CommitSettings(interval=0.02, witness_timeout=0.5, commit_timeout=3.0)


def test_a_second_gateway_is_answered_under_the_leaders_checkpoints(
    workspace: Workspace, request_file: WriteRequest
) -> None:
    # Two gateways on one workspace stand for two server processes (each has its own lock file
    # description, so the lock tells them apart as it tells processes apart).
    leader = Gateway.open(workspace, commit=SHARED)
    follower = Gateway.open(workspace, commit=SHARED)
    try:
        process_request(leader, submit(leader, one_item(request_file, 1)))
        assert leader.integrator.leading
        ids = [submit(follower, one_item(request_file, n)) for n in range(2, 8)]
        signed: list[int] = []
        follower.ledger.integrate = lambda *_, **__: signed.append(1)  # type: ignore[method-assign]
        assert process_at_once(follower, ids) == []
        assert not follower.integrator.leading
        assert signed == []  # the follower never signed a checkpoint of its own
        assert count(follower, releases) == 7
        assert follower.ledger.verify().ok
    finally:
        follower.close()
        leader.close()


def test_when_the_leader_ends_another_gateway_takes_the_lead(
    workspace: Workspace, request_file: WriteRequest
) -> None:
    leader = Gateway.open(workspace, commit=SHARED)
    follower = Gateway.open(workspace, commit=SHARED)
    try:
        process_request(leader, submit(leader, one_item(request_file, 1)))
        request_id = submit(follower, one_item(request_file, 2))
        leader.close()  # its process ends: the lock is free
        before = count(follower, ledger_checkpoints)
        assert process_request(follower, request_id).released == 1
        assert follower.integrator.leading
        assert count(follower, ledger_checkpoints) > before
        assert follower.ledger.verify().ok
    finally:
        follower.close()


def test_a_follower_whose_leader_cannot_cosign_fails_closed_and_loses_nothing(
    workspace: Workspace, request_file: WriteRequest
) -> None:
    leader = Gateway.open(workspace, commit=SHARED)
    follower = Gateway.open(
        workspace, commit=CommitSettings(interval=0.02, witness_timeout=0.2, commit_timeout=0.6)
    )
    try:
        process_request(leader, submit(leader, one_item(request_file, 1)))
        saved = list(leader.witnesses)
        leader.witnesses[:] = []  # the witnesses are gone: no checkpoint gets a quorum
        request_id = submit(follower, one_item(request_file, 2))
        with pytest.raises(NotWitnessed, match="witness quorum"):
            process_request(follower, request_id)
        assert count(follower, releases) == 1  # only the first request's package
        leader.witnesses[:] = saved
        follower.integrator.settings = SHARED  # the leader asks again within RETRY_UNCOSIGNED
        assert process_request(follower, request_id).released == 1
        assert follower.ledger.verify().ok
    finally:
        follower.close()
        leader.close()


def _covered_soon(ledger: Ledger, index: int) -> bool:
    deadline = time.monotonic() + 5
    while not ledger.is_covered(index, 1) and time.monotonic() < deadline:
        time.sleep(0.05)
    return ledger.is_covered(index, 1)


def _append_own_entry(ledger: Ledger, name: str) -> int:
    # What recall, retention or a key rotation does before it asks for a checkpoint.
    return ledger.append({"kind": "note", "name": name}, decision_key=f"note/{name}")


def test_a_command_run_while_a_server_leads_hands_its_entries_to_the_leader(
    workspace: Workspace, request_file: WriteRequest
) -> None:
    server = Gateway.open(workspace, commit=SHARED)
    try:
        process_request(server, submit(server, one_item(request_file, 1)))
        assert server.integrator.leading
        with open_ledger(workspace) as ledger:
            index = _append_own_entry(ledger, "while-led")
            signed_here: list[int] = []
            ledger.integrate = lambda *_, **__: signed_here.append(1)  # type: ignore[method-assign]
            ledger.checkpoint = lambda: signed_here.append(1)  # type: ignore[assignment,method-assign]
            checkpoint = checkpoint_by_leader(
                ledger, [], workspace.integrator_lock_path, settings=SHARED
            )
            assert signed_here == []  # the command signed nothing of its own
            assert checkpoint is not None and checkpoint.size > index
            assert _covered_soon(server.ledger, index)  # the server's witnesses cosign it
            assert ledger.verify().ok
    finally:
        server.close()


def test_a_command_with_no_server_running_signs_under_the_lead_and_gives_it_back(
    workspace: Workspace, request_file: WriteRequest
) -> None:
    with open_ledger(workspace) as ledger:
        index = _append_own_entry(ledger, "alone")
        checkpoint = checkpoint_by_leader(
            ledger, [], workspace.integrator_lock_path, settings=SHARED
        )
        assert checkpoint is not None and checkpoint.size > index
    # The command's lead ended with it: a server started afterwards leads.
    server = Gateway.open(workspace, commit=SHARED)
    try:
        process_request(server, submit(server, one_item(request_file, 1)))
        assert server.integrator.leading
    finally:
        server.close()


def test_a_command_that_may_not_wait_leaves_its_entries_to_the_leader(
    workspace: Workspace, request_file: WriteRequest
) -> None:
    server = Gateway.open(workspace, commit=SHARED)
    try:
        process_request(server, submit(server, one_item(request_file, 1)))
        with open_ledger(workspace) as ledger:
            index = _append_own_entry(ledger, "left")
            done = checkpoint_by_leader(
                ledger, [], workspace.integrator_lock_path, wait=False, settings=SHARED
            )
            assert done is None
        # The leader finds the unsigned entry on its next look and signs it.
        assert _covered_soon(server.ledger, index)
    finally:
        server.close()


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get(POSTGRES_ENV), reason=f"needs {POSTGRES_ENV}")
@pytest.mark.parametrize("state_url", ["postgresql"], indirect=True)
def test_two_hosts_on_one_postgresql_database_elect_one_leader(
    workspace: Workspace, request_file: WriteRequest, tmp_path: Path
) -> None:
    # Two hosts do not share a lock file: each gateway gets its own, so only the database elects.
    first = Gateway.open(workspace, commit=SHARED)
    second = Gateway.open(workspace, commit=SHARED)
    second.integrator = Integrator(
        second.ledger,
        second.witnesses,
        second.integrator.source,
        SHARED,
        lock_path=tmp_path / "other-host.lock",
    )
    closed: list[Gateway] = []
    try:
        process_request(first, submit(first, one_item(request_file, 1)))
        assert first.integrator.leading
        signed: list[int] = []
        second.ledger.integrate = lambda *_, **__: signed.append(1)  # type: ignore[method-assign]
        ids = [submit(second, one_item(request_file, n)) for n in range(2, 5)]
        assert process_at_once(second, ids) == []
        assert not second.integrator.leading
        assert signed == []  # the second host never signed
        assert count(second, releases) == 4
        first.close()  # the first host goes away: its session, and its lock, end
        closed.append(first)
        del second.ledger.integrate
        request_id = submit(second, one_item(request_file, 5))
        assert process_request(second, request_id).released == 1
        assert second.integrator.leading
        assert second.ledger.verify().ok
    finally:
        second.close()
        if not closed:
            first.close()
