"""Read ledger values back from the state database, refusing any of the wrong type by name."""

from __future__ import annotations

from portcullis.ledger.errors import LedgerError


class StoredValueMalformed(LedgerError):
    """A value in a ledger table is not of the type the ledger wrote there."""


def stored_bytes(value: object, where: str) -> bytes:
    """Return `value` as bytes if the database holds bytes there, else name `where` it is not."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    raise StoredValueMalformed(f"{where} holds a value of type {type(value).__name__}, not bytes")


def stored_int(value: object, where: str) -> int:
    """Return `value` if the database holds an integer there, else name `where` it does not."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise StoredValueMalformed(
        f"{where} holds a value of type {type(value).__name__}, not an integer"
    )


def stored_text(value: object, where: str) -> str:
    """Return `value` if the database holds text there, else name `where` it does not."""
    if isinstance(value, str):
        return value
    raise StoredValueMalformed(f"{where} holds a value of type {type(value).__name__}, not text")
