"""Two witness processes on loopback: cosigning a gateway, refusing a split view, an outage."""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from portcullis.audit import audit_workspace
from portcullis.cli.app import app
from portcullis.gateway import Gateway
from portcullis.keys import load_private_key, public_key_b64
from portcullis.ledger.checkpoint import sign_checkpoint
from portcullis.ledger.demo import witness_home
from portcullis.ledger.integrator import CommitSettings, NotWitnessed
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.mldsa_cosignature import mldsa_public_from_b64, valid_mldsa_cosigners
from portcullis.ledger.remote_witness import RemoteWitness
from portcullis.ledger.tables import create_ledger_tables
from portcullis.ledger.witness_home import open_witness_home
from portcullis.ledger.witness_protocol import AddCheckpoint, ExtensionUnproven, SameSizeOtherRoot
from portcullis.ledger.witness_state import WitnessState
from portcullis.processing import process_request
from portcullis.store.database import open_engine
from portcullis.store.tables import releases
from portcullis.workspace import Workspace
from tests.aftercare.conftest import THREE_PEOPLE, submit_and_process
from tests.test_processing import submit

runner = CliRunner()
QUICK = CommitSettings(interval=0.05, witness_timeout=1.0, commit_timeout=2.0)
NAMES = ("tigta", "jct")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Service:
    """One witness process: its own home, its port, and the process while it runs."""

    name: str
    home: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [sys.executable, "-c", "from portcullis.cli.app import main; main()"]
        command += ["witness", "serve", "--home", str(self.home), "--port", str(self.port)]
        with (self.home.parent / f"{self.name}-serve.log").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            assert self.process.poll() is None, f"witness {self.name} exited"
            time.sleep(0.1)
        raise AssertionError(f"witness {self.name} did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def services(workspace: Workspace, tmp_path: Path) -> Iterator[list[Service]]:
    """The demo witnesses moved out to their own homes and run as two processes."""
    log_key = public_key_b64(load_private_key(workspace.ledger_key_path).public_key())
    started: list[Service] = []
    lines: list[str] = []
    for name in NAMES:
        home = tmp_path / f"witness-{name}"
        adopted = witness_home(workspace, name) / "witness.key"
        public = public_key_b64(load_private_key(adopted).public_key())
        result = runner.invoke(
            app,
            ["witness", "init", "--home", str(home), "--name", name, "--origin",
             workspace.ledger_origin, "--log-key", log_key, "--adopt-key", str(adopted)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert public in result.output and not adopted.exists()
        service = Service(name, home, _free_port())
        service.start()
        started.append(service)
        lines += ["[[witness]]", f'name = "{name}"', f'url = "{service.url}"']
        lines += [f'public_key = "{public}"', "timeout = 2.0", ""]
    (workspace.home / "witnesses.toml").write_text("\n".join(lines))
    yield started
    for service in started:
        service.stop()


@pytest.fixture
def remote_gateway(workspace: Workspace, services: list[Service]) -> Iterator[Gateway]:
    """The workspace's gateway, asking the two witness services."""
    opened = Gateway.open(workspace, commit=QUICK)
    assert {type(w) for w in opened.witnesses} == {RemoteWitness}
    yield opened
    opened.close()


def _released(gateway: Gateway) -> int:
    with gateway.engine.connect() as con:
        return int(con.execute(sa.select(sa.func.count()).select_from(releases)).scalar_one())


def test_releases_are_cosigned_by_both_witness_processes(
    remote_gateway: Gateway, services: list[Service], request_file: Callable[..., Path]
) -> None:
    submit_and_process(remote_gateway, request_file(*THREE_PEOPLE))
    assert _released(remote_gateway) == 3
    latest = remote_gateway.ledger.latest_checkpoint()
    assert latest is not None
    assert remote_gateway.ledger.cosigners(latest) == set(NAMES)
    for service in services:
        remembered = WitnessState(service.home).latest(latest.origin)
        assert remembered is not None and remembered[0] == latest.size
    # Each service also cosigns with ML-DSA-44, its key in its own home.
    pq_keys = {
        s.name: mldsa_public_from_b64((s.home / "witness-mldsa.pub").read_text()) for s in services
    }
    assert valid_mldsa_cosigners(latest.note, pq_keys) == set(NAMES)
    assert not (remote_gateway.workspace.home / "witnesses" / "tigta" / "witness.key").exists()
    assert audit_workspace(remote_gateway.workspace).ok


def _fork(tmp_path: Path, workspace: Workspace, entries: list[dict[str, object]]) -> Ledger:
    # Another database signed with the ledger's own key: the operator showing a second history.
    engine = open_engine(f"sqlite:///{tmp_path / 'fork.sqlite'}")
    create_ledger_tables(engine)
    fork = Ledger(engine, load_private_key(workspace.ledger_key_path), workspace.ledger_origin)
    fork.append_many([(f"fork/{i}", entry) for i, entry in enumerate(entries)])
    return fork


def _post(service: Service, body: bytes) -> tuple[int, str, str]:
    request = urllib.request.Request(f"{service.url}/add-checkpoint", data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers.get_content_type(), response.read().decode()
    except urllib.error.HTTPError as refusal:
        return refusal.code, refusal.headers.get_content_type(), refusal.read().decode()


def test_a_split_view_is_refused_by_the_witness_process(
    remote_gateway: Gateway,
    services: list[Service],
    request_file: Callable[..., Path],
    tmp_path: Path,
) -> None:
    submit_and_process(remote_gateway, request_file({}))
    latest = remote_gateway.ledger.latest_checkpoint()
    assert latest is not None
    size, tigta = latest.size, services[0]
    fork = _fork(tmp_path, remote_gateway.workspace, [{"forged": i} for i in range(size + 2)])
    same = sign_checkpoint(latest.origin, size, fork.root(size), load_private_key(
        remote_gateway.workspace.ledger_key_path))  # fmt: skip
    remote = RemoteWitness(tigta.name, tigta.url)
    with pytest.raises(SameSizeOtherRoot, match="409"):
        remote.add_checkpoint(size, [], same.note)
    grown = fork.checkpoint()
    with pytest.raises(ExtensionUnproven, match="422"):
        remote.add_checkpoint(size, fork.consistency_proof(size, grown.size), grown.note)
    # A stale old size is answered with the size the witness cosigned, as the protocol says.
    status, kind, text = _post(tigta, AddCheckpoint(0, (), grown.note).encode())
    assert (status, kind, text) == (409, "text/x.tlog.size", f"{size}\n")
    # A checkpoint the log did not sign is forbidden; an unknown log is not found.
    stranger = sign_checkpoint(latest.origin, size, latest.root, Ed25519PrivateKey.generate())
    assert _post(tigta, AddCheckpoint(size, (), stranger.note).encode())[0] == 403
    other = sign_checkpoint("elsewhere.example/log", 1, bytes(32), Ed25519PrivateKey.generate())
    assert _post(tigta, AddCheckpoint(0, (), other.note).encode())[0] == 404
    assert WitnessState(tigta.home).latest(latest.origin) == (size, latest.root)
    fork.engine.dispose()


def test_releases_wait_through_a_witness_outage_then_resume(
    remote_gateway: Gateway, services: list[Service], request_file: Callable[..., Path]
) -> None:
    for service in services:
        service.stop()
    request_id = submit(remote_gateway, request_file({}))
    with pytest.raises(NotWitnessed, match="quorum"):
        process_request(remote_gateway, request_id)
    assert _released(remote_gateway) == 0  # decided and recorded, but nothing goes out
    for service in services:
        service.start()
    report = process_request(remote_gateway, request_id)
    assert report.released == 1 and _released(remote_gateway) == 1


def test_a_witness_home_is_refused_twice_and_read_back(tmp_path: Path) -> None:
    key = public_key_b64(Ed25519PrivateKey.generate().public_key())
    arguments = ["witness", "init", "--home", str(tmp_path / "w"), "--name", "court"]
    arguments += ["--origin", "portcullis.test/ledger", "--log-key", key]
    assert runner.invoke(app, arguments).exit_code == 0
    again = runner.invoke(app, arguments)
    assert again.exit_code == 1 and "already a witness home" in again.stderr
    home = open_witness_home(tmp_path / "w")
    assert (home.name, home.origin, home.log_key) == ("court", "portcullis.test/ledger", key)
    assert base64.b64decode(key)
