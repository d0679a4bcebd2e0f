"""One backup archive: a tar whose first member is a manifest of every file's SHA-256 digest.

The tar may be sealed with age to the operator's keys; it is then encrypted and decrypted file to
file, a chunk at a time, so an archive of any size never sits in memory.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import IO, Any

import pyrage

from portcullis.errors import PortcullisError
from portcullis.release.encryption import AGE_MAGIC
from portcullis.release.recipients import AgeIdentity, AgeRecipient

MANIFEST_NAME = "MANIFEST.json"
ARCHIVE_FORMAT = "portcullis-backup/1"
_MANIFEST_LIMIT = 64 * 1024 * 1024
_CHUNK = 1 << 20


class ArchiveInvalid(PortcullisError):
    """A backup archive is unreadable, altered, incomplete or holds something it does not list."""


class ArchiveLocked(PortcullisError):
    """An encrypted backup archive cannot be opened: no identity was given, or not its key."""


def write_archive(staging: Path, fields: Mapping[str, Any], dest: Path) -> dict[str, Any]:
    """Tar every file under `staging` behind a manifest of `fields` and digests; return it.

    The archive is written beside `dest` and renamed into place, so a failed backup leaves none.
    """
    files = [path for path in sorted(staging.rglob("*")) if path.is_file()]
    listed: list[dict[str, Any]] = [
        {
            "path": path.relative_to(staging).as_posix(),
            "sha256": file_sha256(path),
            "bytes": path.stat().st_size,
        }
        for path in files
    ]
    manifest = {**fields, "format": ARCHIVE_FORMAT, "files": listed}
    data = (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    partial = dest.with_name(dest.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as tar:
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size = len(data)
        info.mode = 0o600
        tar.addfile(info, io.BytesIO(data))
        for path, entry in zip(files, listed, strict=True):
            info = tarfile.TarInfo(str(entry["path"]))
            info.size = int(entry["bytes"])
            info.mode = 0o600
            with path.open("rb") as source:
                tar.addfile(info, source)
    partial.replace(dest)
    return manifest


def seal_archive(plain: Path, dest: Path, recipients: Sequence[AgeRecipient]) -> None:
    """Encrypt the archive `plain` with age to every one of `recipients`, written at `dest`.

    The sealed file is written beside `dest` (mode 0600) and renamed into place, as a plain one is.
    """
    if not recipients:
        raise ArchiveLocked("an encrypted backup needs at least one age recipient")
    keys = [pyrage.x25519.Recipient.from_str(recipient.public_key) for recipient in recipients]
    partial = dest.with_name(dest.name + ".partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        pyrage.encrypt_file(str(plain), str(partial), keys)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(dest)


def is_sealed(src: Path) -> bool:
    """Tell whether `src` begins with the age header (an encrypted archive)."""
    try:
        with src.open("rb") as handle:
            return handle.read(len(AGE_MAGIC)) == AGE_MAGIC
    except OSError as exc:
        raise ArchiveInvalid(f"cannot read the backup archive {src}: {exc}") from exc


def unseal_archive(src: Path, identity: AgeIdentity, plain: Path) -> Path:
    """Decrypt the age-encrypted archive `src` into the new file `plain` and return its path.

    A wrong key is refused before anything is decrypted; a truncated or altered file is refused
    by age's authentication, and whatever was decrypted of it is for the caller to remove.
    """
    key = pyrage.x25519.Identity.from_str(identity.secret_key)
    os.close(os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        pyrage.decrypt_file(str(src), str(plain), [key])
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise ArchiveLocked(
                f"{src} is not encrypted to the age identity given (wrong key)"
            ) from exc
        raise ArchiveInvalid(f"{src} is not a readable encrypted backup: {exc}") from exc
    except OSError as exc:
        raise ArchiveInvalid(
            f"{src} is damaged or truncated: age cannot authenticate it ({exc})"
        ) from exc
    return plain


def read_archive(src: Path, into: Path) -> dict[str, Any]:
    """Unpack `src` into `into`, refusing it unless every file is listed and matches its digest."""
    try:
        with tarfile.open(src, mode="r:") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST_NAME or not first.isreg():
                raise ArchiveInvalid(f"{src} is not a backup archive: {MANIFEST_NAME} is not first")
            manifest = _read_manifest(tar, first, src)
            expected = _listed(manifest, src)
            seen: set[str] = set()
            for member in tar:
                if member is first:
                    continue  # iterating a tar starts again from its first member
                _extract(tar, member, expected, seen, into, src)
    except (tarfile.TarError, EOFError) as exc:
        raise ArchiveInvalid(f"{src} is not a readable backup archive: {exc}") from exc
    except OSError as exc:
        raise ArchiveInvalid(f"cannot read the backup archive {src}: {exc}") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise ArchiveInvalid(f"{src} is incomplete: {missing[0]} is listed but not in the archive")
    return manifest


def _read_manifest(tar: tarfile.TarFile, member: tarfile.TarInfo, src: Path) -> dict[str, Any]:
    if member.size > _MANIFEST_LIMIT:
        raise ArchiveInvalid(f"{src}: the manifest is {member.size} bytes, beyond any backup's")
    handle = tar.extractfile(member)
    assert handle is not None  # a regular member always has content
    try:
        manifest = json.loads(handle.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveInvalid(f"{src}: the manifest is not JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise ArchiveInvalid(f"{src}: the manifest is not a {ARCHIVE_FORMAT} manifest")
    return manifest


def _listed(manifest: Mapping[str, Any], src: Path) -> dict[str, tuple[str, int]]:
    files = manifest.get("files")
    if not isinstance(files, list):
        raise ArchiveInvalid(f"{src}: the manifest lists no files")
    expected: dict[str, tuple[str, int]] = {}
    for number, entry in enumerate(files, start=1):
        if not isinstance(entry, dict):
            raise ArchiveInvalid(f"{src}: manifest file entry {number} is not an object")
        path, digest, size = entry.get("path"), entry.get("sha256"), entry.get("bytes")
        if not isinstance(path, str) or not _safe(path) or path == MANIFEST_NAME:
            raise ArchiveInvalid(f"{src}: manifest file entry {number} has an unsafe path")
        if not isinstance(digest, str) or len(digest) != 64 or type(size) is not int or size < 0:
            raise ArchiveInvalid(f"{src}: manifest entry {path} lacks its sha256 or size")
        if path in expected:
            raise ArchiveInvalid(f"{src}: the manifest lists {path} twice")
        expected[path] = (digest, size)
    return expected


def _extract(
    tar: tarfile.TarFile,
    member: tarfile.TarInfo,
    expected: Mapping[str, tuple[str, int]],
    seen: set[str],
    into: Path,
    src: Path,
) -> None:
    name = member.name
    if not member.isreg():
        raise ArchiveInvalid(f"{src}: {name} is not a regular file; a backup holds only files")
    if name not in expected or name in seen:
        raise ArchiveInvalid(f"{src}: {name} is not listed in the manifest (added or repeated)")
    digest, size = expected[name]
    if member.size != size:
        raise ArchiveInvalid(
            f"{src} is altered: {name} is {member.size} bytes, the manifest says {size}"
        )
    seen.add(name)
    target = into / name
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tar.extractfile(member)
    assert handle is not None  # a regular member always has content
    found = _copy(handle, target)
    if found != digest:
        raise ArchiveInvalid(
            f"{src} is altered: {name} has SHA-256 {found}, the manifest says {digest}"
        )


def _copy(source: IO[bytes], target: Path) -> str:
    digest = hashlib.sha256()
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes in hex, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and ".." not in path.parts
        and path.as_posix() == name
        and "\\" not in name
    )
