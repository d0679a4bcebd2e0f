"""A backup archive that would write outside the restore folder is refused; nothing lands there."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from portcullis.operations.archive import (
    ARCHIVE_FORMAT,
    MANIFEST_NAME,
    ArchiveInvalid,
    read_archive,
)

BODY = b"escaped\n"


def _tar(dest: Path, listed: list[str], members: list[tuple[str, bytes, bytes]]) -> Path:
    files = [
        {"path": path, "sha256": hashlib.sha256(BODY).hexdigest(), "bytes": len(BODY)}
        for path in listed
    ]
    manifest = json.dumps({"format": ARCHIVE_FORMAT, "files": files}).encode()
    with tarfile.open(dest, "w") as tar:
        for name, kind, data in [(MANIFEST_NAME, tarfile.REGTYPE, manifest), *members]:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            if kind == tarfile.SYMTYPE:
                info.linkname = data.decode()
            tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    return dest


@pytest.mark.parametrize(
    ("listed", "members", "refusal"),
    [
        pytest.param(["../evil"], [("../evil", tarfile.REGTYPE, BODY)], "unsafe path", id="dotdot"),
        pytest.param(["a/../../evil"], [], "unsafe path", id="dotdot-inside"),
        pytest.param(["/tmp/evil"], [], "unsafe path", id="absolute"),
        pytest.param(
            ["ok"],
            [("ok", tarfile.REGTYPE, BODY), ("../evil", tarfile.REGTYPE, BODY)],
            "not listed",
            id="unlisted-dotdot-member",
        ),
        pytest.param(
            ["evil"], [("evil", tarfile.SYMTYPE, b"../../evil")], "not a regular file", id="link"
        ),
    ],
)
def test_an_archive_member_that_would_escape_the_restore_folder_is_refused(
    listed: list[str], members: list[tuple[str, bytes, bytes]], refusal: str, tmp_path: Path
) -> None:
    src = _tar(tmp_path / "hostile.tar", listed, members)
    into = tmp_path / "deep" / "restore"
    into.mkdir(parents=True)
    with pytest.raises(ArchiveInvalid, match=refusal):
        read_archive(src, into)
    assert not (tmp_path / "deep" / "evil").exists() and not (tmp_path / "evil").exists()
