"""One backup archive: a tar whose first member is a manifest of every file's SHA-256 digest."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import IO, Any

from portcullis.errors import PortcullisError

MANIFEST_NAME = "MANIFEST.json"
ARCHIVE_FORMAT = "portcullis-backup/1"
_MANIFEST_LIMIT = 64 * 1024 * 1024
_CHUNK = 1 << 20


class ArchiveInvalid(PortcullisError):
    """A backup archive is unreadable, altered, incomplete or holds something it does not list."""


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
