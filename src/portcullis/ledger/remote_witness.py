"""Ask a witness that runs as its own service, over the C2SP tlog-witness HTTP protocol."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Sequence

from portcullis.ledger.witness_protocol import (
    SIZE_CONTENT_TYPE,
    AddCheckpoint,
    ExtensionUnproven,
    NotSignedByLog,
    OldSizeAboveCheckpoint,
    OldSizeMismatch,
    SameSizeOtherRoot,
    UnknownLog,
    WitnessRefused,
)

_BY_STATUS: dict[int, type[WitnessRefused]] = {
    400: OldSizeAboveCheckpoint,
    403: NotSignedByLog,
    404: UnknownLog,
    422: ExtensionUnproven,
}


class WitnessUnreachable(WitnessRefused):
    """The witness did not answer, or answered something the protocol does not define."""

    status = 502


class RemoteWitness:
    """A witness at `url` (its submission prefix); this side holds no key of the witness."""

    def __init__(self, name: str, url: str, timeout: float = 10.0) -> None:
        self.name = name
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._sizes: dict[str, int] = {}
        self._lock = threading.Lock()

    def latest_size(self, origin: str) -> int:
        """Return the size the witness last cosigned as far as this process knows (0 at first)."""
        with self._lock:
            return self._sizes.get(origin, 0)

    def add_checkpoint(self, old_size: int, proof: Sequence[bytes], checkpoint_note: str) -> str:
        """POST add-checkpoint and return the cosignature lines, or raise the witness's refusal."""
        body = AddCheckpoint(old_size, tuple(proof), checkpoint_note).encode()
        request = urllib.request.Request(f"{self.url}/add-checkpoint", data=body, method="POST")
        origin = checkpoint_note.split("\n", 1)[0]
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                lines: str = response.read().decode("utf-8")
        except urllib.error.HTTPError as refusal:
            raise self._refusal(origin, refusal) from refusal
        except (OSError, UnicodeDecodeError) as exc:
            raise WitnessUnreachable(f"witness {self.name} at {self.url}: {exc}") from exc
        size_line = checkpoint_note.split("\n", 2)[1]
        with self._lock:
            self._sizes[origin] = int(size_line)
        return lines

    def _refusal(self, origin: str, refusal: urllib.error.HTTPError) -> WitnessRefused:
        text = refusal.read().decode("utf-8", "replace").strip()
        where = f"witness {self.name} at {self.url} answered {refusal.code}"
        if refusal.code == 409:
            if refusal.headers.get_content_type() == SIZE_CONTENT_TYPE and text.isdigit():
                with self._lock:
                    self._sizes[origin] = int(text)
                return OldSizeMismatch(f"{where}: it last cosigned size {text}", int(text))
            return SameSizeOtherRoot(f"{where}: {text}")
        return _BY_STATUS.get(refusal.code, WitnessUnreachable)(f"{where}: {text}")
