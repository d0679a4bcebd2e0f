"""The ordered writer: crash safety, idempotent retries and serialised concurrent appends."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.ledger import writer
from portcullis.ledger.ledger import Ledger

from .conftest import ORIGIN, sample_entry


def test_a_failure_inside_a_batch_writes_nothing(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger.append(sample_entry("before"), decision_key="before")
    calls = {"n": 0}
    real = writer.leaf_hash

    def failing(data: bytes) -> bytes:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        return real(data)

    monkeypatch.setattr(writer, "leaf_hash", failing)
    batch = [(f"k{i}", sample_entry(f"k{i}")) for i in range(5)]
    with pytest.raises(RuntimeError):
        ledger.append_many(batch)
    assert ledger.size() == 1
    monkeypatch.setattr(writer, "leaf_hash", real)
    assert ledger.append_many(batch) == [1, 2, 3, 4, 5]
    assert ledger.append_many(batch) == [1, 2, 3, 4, 5]
    assert ledger.verify().ok


def test_a_killed_process_mid_append_loses_nothing_committed(
    state_url: str, ledger: Ledger, signer: Ed25519PrivateKey, tmp_path: Path
) -> None:
    ledger.append(sample_entry("kept"), decision_key="kept")
    key_file = tmp_path / "signer.pem"
    key_file.write_bytes(
        signer.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from portcullis.keys import load_private_key
        from portcullis.ledger import writer
        from portcullis.ledger.ledger import Ledger
        from portcullis.store.database import open_engine
        real, seen = writer.leaf_hash, []
        def dying(data):
            seen.append(data)
            if len(seen) == 2:
                os._exit(9)  # the process dies with the transaction open
            return real(data)
        writer.leaf_hash = dying
        key = load_private_key(Path({str(key_file)!r}))
        ledger = Ledger(open_engine({state_url!r}), key, {ORIGIN!r})
        ledger.append_many([("a", {{"n": 1}}), ("b", {{"n": 2}}), ("c", {{"n": 3}})])
        """
    )
    result = subprocess.run([sys.executable, "-c", script], check=False)
    assert result.returncode == 9
    assert ledger.size() == 1
    assert ledger.append_many([("a", {"n": 1}), ("kept", sample_entry("kept"))]) == [1, 0]
    report = ledger.verify()
    assert report.ok, report.describe()


def test_concurrent_writers_get_distinct_contiguous_indexes(
    ledger: Ledger, signer: Ed25519PrivateKey
) -> None:
    # A second Ledger object has its own in-process lock, so only the database serialises the two.
    other = Ledger(ledger.engine, signer, ORIGIN)
    results: list[list[int]] = []

    def run(target: Ledger, prefix: str) -> None:
        for batch in range(5):
            keys = [(f"{prefix}{batch}-{i}", sample_entry(f"{prefix}{i}")) for i in range(20)]
            results.append(target.append_many(keys))

    threads = [threading.Thread(target=run, args=(t, p)) for t, p in ((ledger, "a"), (other, "b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    indexes = sorted(i for batch in results for i in batch)
    assert indexes == list(range(200))
    assert ledger.verify().ok
