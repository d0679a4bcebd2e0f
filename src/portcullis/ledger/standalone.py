"""An auditor's verifier for a ledger export, needing only the standard library and cryptography."""

# This file imports nothing else from the product on purpose: an auditor can copy it alone and run
# `python standalone.py EXPORT_DIR`, and it re-implements docs/ledger.md independently of the code
# that wrote the ledger, so a bug shared by both would have to be made twice.

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

DASH = "\u2014 "


class ExportRejected(Exception):
    """The export fails verification; the message says where and why."""


@dataclass(frozen=True)
class Verdict:
    """What a successful verification established."""

    entries: int
    checkpoints: int
    latest_size: int
    latest_cosigners: tuple[str, ...]


def leaf_hash(line: bytes) -> bytes:
    """Hash one entry line's bytes (without its newline) as SHA-256(0x00 || line)."""
    return hashlib.sha256(b"\x00" + line).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two children as SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def key_id(name: str, sig_type: int, key: Ed25519PublicKey) -> bytes:
    """Compute a C2SP key ID: the first 4 bytes of SHA-256(name || 0x0A || type || key)."""
    raw = key.public_bytes_raw()
    return hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + raw).digest()[:4]


def split_note(text: str) -> tuple[str, list[tuple[str, bytes]]]:
    """Split a signed note into its body and (key name, decoded signature) pairs."""
    cut = text.rfind("\n\n")
    if cut < 0 or not text.endswith("\n"):
        raise ExportRejected("a checkpoint is not a signed note")
    signatures = []
    for line in text[cut + 2 : -1].split("\n"):
        name, _, encoded = line.removeprefix(DASH).rpartition(" ")
        if not line.startswith(DASH) or not name:
            raise ExportRejected(f"malformed signature line {line[:40]!r}")
        try:
            signatures.append((name, base64.b64decode(encoded, validate=True)))
        except binascii.Error as exc:
            raise ExportRejected(f"signature by {name!r} is not base64") from exc
    return text[: cut + 1], signatures


def check_log_signature(
    body: str, sigs: list[tuple[str, bytes]], origin: str, key: Ed25519PublicKey
) -> bool:
    """Return True if one signature line is a valid Ed25519 note signature by the log."""
    ident = key_id(origin, 0x01, key)
    for name, raw in sigs:
        if name == origin and raw[:4] == ident:
            try:
                key.verify(raw[4:], body.encode())
                return True
            except InvalidSignature:
                continue
    return False


def valid_cosigners(
    body: str, sigs: list[tuple[str, bytes]], witnesses: dict[str, Ed25519PublicKey]
) -> set[str]:
    """Return the witnesses with a valid cosignature/v1 line on this checkpoint body."""
    found = set()
    for name, raw in sigs:
        key = witnesses.get(name)
        if key is None or len(raw) != 4 + 8 + 64 or raw[:4] != key_id(name, 0x04, key):
            continue
        stamp = int.from_bytes(raw[4:12], "big")
        message = f"cosignature/v1\ntime {stamp}\n{body}".encode()
        try:
            key.verify(raw[12:], message)
            found.add(name)
        except InvalidSignature:
            continue
    return found


def parse_body(body: str, origin: str) -> tuple[int, bytes]:
    """Read the size and root hash from a checkpoint body, checking its origin line."""
    lines = body.split("\n")
    if len(lines) < 4 or lines[0] != origin or not lines[1].isdigit():
        raise ExportRejected(f"checkpoint body is malformed or for another origin: {lines[:2]}")
    root = base64.b64decode(lines[2], validate=True)
    if len(root) != 32:
        raise ExportRejected("checkpoint root hash is not 32 bytes")
    return int(lines[1]), root


def public_key(text: str) -> Ed25519PublicKey:
    """Parse a standard-base64 raw Ed25519 public key."""
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))


class Tree:
    """The right edge of the Merkle tree being rebuilt: (level, hash) of each complete subtree."""

    def __init__(self) -> None:
        self.size = 0
        self.edge: list[tuple[int, bytes]] = []

    def append(self, leaf: bytes) -> None:
        """Add one leaf hash, merging equal-sized subtrees as RFC 9162 does."""
        self.edge.append((0, leaf))
        while len(self.edge) > 1 and self.edge[-1][0] == self.edge[-2][0]:
            (level, right), (_, left) = self.edge.pop(), self.edge.pop()
            self.edge.append((level + 1, node_hash(left, right)))
        self.size += 1

    def root(self) -> bytes:
        """Return the root hash of the leaves so far (SHA-256 of nothing for no leaves)."""
        if not self.edge:
            return hashlib.sha256(b"").digest()
        result = self.edge[-1][1]
        for _, value in reversed(self.edge[:-1]):
            result = node_hash(value, result)
        return result


@dataclass(frozen=True)
class RetiredLogKey:
    """A ledger key retired by rotation: it alone signed the checkpoints of sizes first..last."""

    first_size: int
    last_size: int
    key: Ed25519PublicKey


def log_key_for(
    size: int, current: Ed25519PublicKey, retired: Sequence[RetiredLogKey]
) -> Ed25519PublicKey:
    """Return the key that must have signed a checkpoint at `size`: a retired one in its sizes."""
    for old in retired:
        if old.first_size <= size <= old.last_size:
            return old.key
    return current


def read_checkpoints(
    path: Path,
    origin: str,
    log: Ed25519PublicKey,
    witnesses: dict[str, Ed25519PublicKey],
    retired: Sequence[RetiredLogKey] = (),
) -> list[tuple[int, bytes, set[str]]]:
    """Check each checkpoint's log signature; return (size, root, valid cosigners) in order."""
    heads: list[tuple[int, bytes, set[str]]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        body, sigs = split_note(json.loads(line)["note"])
        size, root = parse_body(body, origin)
        if not check_log_signature(body, sigs, origin, log_key_for(size, log, retired)):
            raise ExportRejected(f"checkpoint on line {number} has no valid signature by the log")
        if heads and size <= heads[-1][0]:
            raise ExportRejected(f"checkpoint on line {number} does not grow the tree")
        heads.append((size, root, valid_cosigners(body, sigs, witnesses)))
    return heads


def verify_export(
    folder: Path,
    log_key: str | None = None,
    witness_keys: dict[str, str] | None = None,
    quorum: int = 0,
    retired_log_keys: Sequence[RetiredLogKey] | None = None,
) -> Verdict:
    """Check every checkpoint and rebuild the tree from the entries; raise ExportRejected if bad."""
    keys = json.loads((folder / "keys.json").read_text(encoding="utf-8"))
    origin = keys["origin"]
    log = public_key(log_key or keys["log_key"]["public_key"])
    # A pinned log key pins the retired ones too: keys.json is not trusted for either.
    if log_key is not None:
        retired = list(retired_log_keys or ())
    else:
        retired = [
            RetiredLogKey(int(k["first_size"]), int(k["last_size"]), public_key(k["public_key"]))
            for k in keys.get("retired_log_keys", [])
            if k.get("last_size") is not None
        ]
    pinned = witness_keys or {w["name"]: w["public_key"] for w in keys["witnesses"]}
    witnesses = {name: public_key(text) for name, text in pinned.items()}
    heads = read_checkpoints(folder / "checkpoints.jsonl", origin, log, witnesses, retired)
    tree, pending, previous = Tree(), list(heads), 0
    with (folder / "entries.jsonl").open("rb") as handle:
        while True:
            while pending and pending[0][0] == tree.size:
                size, expected, _ = pending.pop(0)
                if tree.root() != expected:
                    raise ExportRejected(
                        f"entries {previous}..{size - 1} do not reproduce the root signed"
                        f" at size {size}"
                    )
                previous = size
            raw = handle.readline()
            if not raw:
                break
            if not raw.endswith(b"\n"):
                raise ExportRejected(f"entry {tree.size} is not newline-terminated")
            try:
                if not isinstance(json.loads(raw[:-1]), dict):
                    raise ValueError("not an object")
            except ValueError as exc:
                raise ExportRejected(f"entry {tree.size} is not a JSON object: {exc}") from exc
            tree.append(leaf_hash(raw[:-1]))
    if pending:
        raise ExportRejected(f"a checkpoint covers {pending[0][0]} entries, export has {tree.size}")
    if not heads:
        return Verdict(tree.size, 0, 0, ())
    latest_size, _, cosigners = heads[-1]
    if len(cosigners) < quorum:
        raise ExportRejected(f"latest checkpoint has {len(cosigners)} cosigners, {quorum} needed")
    return Verdict(tree.size, len(heads), latest_size, tuple(sorted(cosigners)))


def _pinned_retired(text: str) -> RetiredLogKey:
    sizes, _, key = text.partition("=")
    first, _, last = sizes.partition("-")
    return RetiredLogKey(int(first), int(last), public_key(key))


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, verify the export, print one line and return the exit status."""
    parser = argparse.ArgumentParser(description="Verify a Portcullis ledger export.")
    parser.add_argument("export_dir", type=Path)
    parser.add_argument("--log-key", help="pin the log's base64 Ed25519 key instead of keys.json")
    parser.add_argument(
        "--witness",
        action="append",
        default=[],
        metavar="NAME=KEY",
        help="pin a witness key (repeatable) instead of keys.json",
    )
    parser.add_argument(
        "--retired-log-key",
        action="append",
        default=[],
        metavar="FIRST-LAST=KEY",
        help="with --log-key, pin a retired log key for checkpoint sizes FIRST..LAST (repeatable)",
    )
    parser.add_argument(
        "--quorum", type=int, default=0, help="cosignatures the latest checkpoint needs"
    )
    args = parser.parse_args(argv)
    pinned = dict(item.split("=", 1) for item in args.witness) or None
    try:
        retired = [_pinned_retired(item) for item in args.retired_log_key]
        verdict = verify_export(args.export_dir, args.log_key, pinned, args.quorum, retired)
    except (ExportRejected, OSError, ValueError, KeyError) as exc:
        print(f"REJECTED: {exc}")
        return 1
    print(
        f"OK: {verdict.entries} entries, {verdict.checkpoints} checkpoints, latest at size "
        f"{verdict.latest_size} cosigned by {', '.join(verdict.latest_cosigners) or 'no witness'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
