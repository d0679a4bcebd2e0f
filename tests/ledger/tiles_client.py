"""A small tlog-tiles client written from the C2SP and RFC 9162 texts alone, for the tests.

It does not import Portcullis: it fetches `checkpoint`, `tile/<L>/<N>[.p/<W>]` and
`tile/entries/<N>[.p/<W>]` through a caller's fetch function, verifies the signed note, and
rebuilds roots and proofs from the tiles. Specs: c2sp.org/tlog-tiles, c2sp.org/signed-note,
c2sp.org/tlog-checkpoint, c2sp.org/tlog-cosignature, RFC 9162 section 2.1.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

Fetch = Callable[[str], bytes]
WIDTH = 256


class ClientRejects(Exception):
    """What the client read does not verify."""


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def hash_leaf(entry: bytes) -> bytes:
    """RFC 9162: the hash of a leaf is SHA-256 of 0x00 followed by the entry."""
    return _sha256(b"\x00" + entry)


def hash_children(left: bytes, right: bytes) -> bytes:
    """RFC 9162: an interior node is SHA-256 of 0x01, the left child, the right child."""
    return _sha256(b"\x01" + left + right)


@dataclass(frozen=True)
class SignedCheckpoint:
    """A checkpoint whose log signature verified, with the witnesses whose cosignature did."""

    origin: str
    size: int
    root: bytes
    cosigned_by: frozenset[str]


def _key_id(name: str, kind: int, public: bytes) -> bytes:
    return _sha256(name.encode() + b"\n" + bytes([kind]) + public)[:4]


def open_checkpoint(
    text: str, origin: str, log_key: bytes, witnesses: dict[str, bytes]
) -> SignedCheckpoint:
    """Check a checkpoint note: the log's Ed25519 signature, and any witness cosignatures."""
    body, separator, signatures = text.rpartition("\n\n")  # the last empty line ends the text
    if not separator or not text.endswith("\n"):
        raise ClientRejects("a signed note is a body, an empty line and signature lines")
    body += "\n"
    lines = body.split("\n")
    if len(lines) < 4 or lines[0] != origin:
        raise ClientRejects(f"the checkpoint is not for {origin!r}")
    size, root = int(lines[1]), base64.b64decode(lines[2], validate=True)
    log_signed = False
    cosigned: set[str] = set()
    for line in signatures.rstrip("\n").split("\n"):
        if not line.startswith("\u2014 "):
            raise ClientRejects(f"not a signature line: {line!r}")
        name, _, blob_text = line[2:].partition(" ")
        blob = base64.b64decode(blob_text, validate=True)
        if name == origin and blob[:4] == _key_id(name, 0x01, log_key):
            log_signed |= _verifies(log_key, blob[4:], body.encode())
        elif name in witnesses and blob[:4] == _key_id(name, 0x04, witnesses[name]):
            timestamp = struct.unpack(">Q", blob[4:12])[0]
            message = f"cosignature/v1\ntime {timestamp}\n{body}".encode()
            if _verifies(witnesses[name], blob[12:], message):
                cosigned.add(name)
    if not log_signed:
        raise ClientRejects("the checkpoint carries no valid signature by the log")
    return SignedCheckpoint(origin, size, root, frozenset(cosigned))


def _verifies(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except InvalidSignature:
        return False
    return True


def tile_path(level: str, index: int, width: int) -> str:
    """tlog-tiles: the index in x-prefixed groups of three digits, `.p/<W>` for a partial tile."""
    digits = f"{index:d}"
    digits = digits.zfill(-(-len(digits) // 3) * 3)
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    path = "/".join([f"x{g}" for g in groups[:-1]] + [groups[-1]])
    return f"tile/{level}/{path}" + ("" if width == WIDTH else f".p/{width}")


class TiledTree:
    """The Merkle tree of one checkpoint's size, read from tiles on demand."""

    def __init__(self, fetch: Fetch, size: int) -> None:
        self.fetch = fetch
        self.size = size
        self._tiles: dict[tuple[int, int], list[bytes]] = {}

    def _tile(self, level: int, index: int) -> list[bytes]:
        if (level, index) not in self._tiles:
            available = self.size // WIDTH**level - index * WIDTH
            width = min(WIDTH, available)
            data = self.fetch(tile_path(str(level), index, width))
            if len(data) != 32 * width:
                raise ClientRejects(f"tile {level}/{index} is {len(data)} bytes, not {32 * width}")
            self._tiles[(level, index)] = [data[i : i + 32] for i in range(0, len(data), 32)]
        return self._tiles[(level, index)]

    def _stored(self, level: int, index: int) -> bytes:
        # A hash at tile level `level` covers 256**level leaves.
        return self._tile(level, index // WIDTH)[index % WIDTH]

    def _perfect(self, start: int, height: int) -> bytes:
        # The root of the complete subtree of 2**height leaves from `start` (aligned).
        level, extra = divmod(height, 8)
        hashes = [self._stored(level, (start >> (8 * level)) + i) for i in range(1 << extra)]
        while len(hashes) > 1:
            hashes = [hash_children(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]

    def hash_range(self, start: int, end: int) -> bytes:
        """RFC 9162 MTH of the leaves [start, end); start is aligned as the recursion leaves it."""
        count = end - start
        if count == 0:
            return _sha256(b"")
        if count & (count - 1) == 0 and start % count == 0:
            return self._perfect(start, count.bit_length() - 1)
        split = 1 << ((count - 1).bit_length() - 1)
        return hash_children(
            self.hash_range(start, start + split), self.hash_range(start + split, end)
        )

    def root(self) -> bytes:
        """The root of the whole tree."""
        return self.hash_range(0, self.size)

    def entries(self) -> list[bytes]:
        """Every entry, read from the bundles and checked against the level-0 tiles."""
        found: list[bytes] = []
        for index in range(-(-self.size // WIDTH)):
            width = min(WIDTH, self.size - index * WIDTH)
            data, offset = self.fetch(tile_path("entries", index, width)), 0
            for position in range(width):
                (length,) = struct.unpack(">H", data[offset : offset + 2])
                entry = data[offset + 2 : offset + 2 + length]
                offset += 2 + length
                if hash_leaf(entry) != self._stored(0, index * WIDTH + position):
                    raise ClientRejects(
                        f"entry {index * WIDTH + position} does not hash to its leaf"
                    )
                found.append(entry)
            if offset != len(data):
                raise ClientRejects(f"entry bundle {index} has bytes left over")
        return found

    def inclusion_proof(self, index: int) -> list[bytes]:
        """RFC 9162 PATH(m, D[0:n]) for leaf `index`."""
        return self._path(index, 0, self.size)

    def _path(self, m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = 1 << ((n - 1).bit_length() - 1)
        if m < k:
            return [*self._path(m, start, start + k), self.hash_range(start + k, end)]
        return [*self._path(m - k, start + k, end), self.hash_range(start, start + k)]

    def consistency_proof(self, old_size: int) -> list[bytes]:
        """RFC 9162 PROOF(m, D[0:n]) from the tree of `old_size` leaves to this one."""
        if old_size == self.size:
            return []
        return self._subproof(old_size, 0, self.size, True)

    def _subproof(self, m: int, start: int, end: int, complete: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if complete else [self.hash_range(start, end)]
        k = 1 << ((n - 1).bit_length() - 1)
        if m <= k:
            return [*self._subproof(m, start, start + k, complete), self.hash_range(start + k, end)]
        return [*self._subproof(m - k, start + k, end, False), self.hash_range(start, start + k)]


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> None:
    """RFC 9162 section 2.1.3.2; raise ClientRejects unless the proof leads to `root`."""
    if not 0 <= index < size or len(leaf) != 32 or any(len(p) != 32 for p in proof):
        raise ClientRejects("inclusion proof inputs out of range")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ClientRejects("inclusion proof too long")
        if fn % 2 == 1 or fn == sn:
            r = hash_children(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = hash_children(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or r != root:
        raise ClientRejects("inclusion proof does not lead to the root")


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: list[bytes]
) -> None:
    """RFC 9162 section 2.1.4.2; raise ClientRejects unless the proof joins the two roots."""
    if size1 < 1 or size2 < size1:
        raise ClientRejects("consistency proof sizes out of order")
    if size1 == size2:
        if proof or root1 != root2:
            raise ClientRejects("equal sizes need an empty proof and equal roots")
        return
    if not proof or any(len(p) != 32 for p in proof):
        raise ClientRejects("consistency proof malformed")
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn % 2 == 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ClientRejects("consistency proof too long")
        if fn % 2 == 1 or fn == sn:
            fr, sr = hash_children(c, fr), hash_children(c, sr)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = hash_children(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or fr != root1 or sr != root2:
        raise ClientRejects("consistency proof does not join the roots")
