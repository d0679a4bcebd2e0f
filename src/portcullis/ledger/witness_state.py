"""A witness's own memory, in a file of its home: the largest tree it cosigned for each log.

It lives outside the operator's state database on purpose: restoring or editing that database
cannot make a witness forget what it vouched for, so a rolled-back ledger head is found.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from portcullis.ledger.errors import LedgerError
from portcullis.ledger.files import replace_file

STATE_FORMAT = "portcullis-witness-state/1"
STATE_FILE = "state.json"

# The size and root hash of a checkpoint a witness cosigned.
TreeHead = tuple[int, bytes]


class WitnessStateRaced(LedgerError):
    """Another process moved this witness's state while it was cosigning; nothing was signed."""


class WitnessStateUnreadable(LedgerError):
    """A witness's state file exists but is not the state it wrote."""


class WitnessState:
    """The state file in one witness home, changed only by compare-and-set under a file lock."""

    def __init__(self, home: Path) -> None:
        self.path = home / STATE_FILE
        self._lock_path = home / ".state.lock"

    def latest(self, origin: str) -> TreeHead | None:
        """Return the size and root this witness last cosigned for `origin`, if any."""
        entry = self._read().get(origin)
        return None if entry is None else _head(entry, self.path, origin)

    def logs(self) -> dict[str, TreeHead]:
        """Return the latest cosigned tree head of every log this witness follows."""
        return {origin: _head(entry, self.path, origin) for origin, entry in self._read().items()}

    def advance(self, origin: str, previous: TreeHead | None, size: int, root: bytes) -> None:
        """Move `origin` from exactly `previous` to (size, root), or raise WitnessStateRaced."""
        with self._locked():
            logs = self._read()
            current = logs.get(origin)
            if (None if current is None else _head(current, self.path, origin)) != previous:
                raise WitnessStateRaced(f"{self.path}: the state of {origin} changed meanwhile")
            logs[origin] = {
                "size": size,
                "root": base64.b64encode(root).decode(),
                "updated_at": dt.datetime.now(dt.UTC).isoformat(),
            }
            self._write(logs)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self) -> dict[str, Any]:
        try:
            document = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return {}
        except ValueError as exc:
            raise WitnessStateUnreadable(f"{self.path} is not JSON: {exc}") from exc
        if not isinstance(document, dict) or document.get("format") != STATE_FORMAT:
            raise WitnessStateUnreadable(f"{self.path} is not a {STATE_FORMAT} file")
        logs = document.get("logs")
        if not isinstance(logs, dict):
            raise WitnessStateUnreadable(f"{self.path} has no logs object")
        return logs

    def _write(self, logs: dict[str, Any]) -> None:
        document = {"format": STATE_FORMAT, "logs": logs}
        text = json.dumps(document, indent=2, sort_keys=True) + "\n"
        replace_file(self.path, text.encode("utf-8"), durable=True)


def _head(entry: object, path: Path, origin: str) -> TreeHead:
    if isinstance(entry, dict):
        size, root_text = entry.get("size"), entry.get("root")
        if isinstance(size, int) and size >= 0 and isinstance(root_text, str):
            try:
                root = base64.b64decode(root_text, validate=True)
            except binascii.Error:
                root = b""
            if len(root) == 32:
                return size, root
    raise WitnessStateUnreadable(f"{path}: the state of {origin} is malformed")
