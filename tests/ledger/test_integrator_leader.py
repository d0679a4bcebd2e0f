"""One integrator per workspace: the process holding the lock checkpoints for every process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from portcullis.gateway import Gateway
from portcullis.ledger.integrator import CommitSettings, NotWitnessed
from portcullis.ledger.tables import ledger_checkpoints
from portcullis.processing import process_request
from portcullis.store.tables import releases
from portcullis.workspace import Workspace
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
