"""Structured logs: one JSON object a line, each with the id of the request it belongs to.

A line never carries taxpayer data. The request line names the route template, never the path or its
query; an exception is logged by its type and where it was raised, never its message (a message may
quote the input that caused it: a name, a TIN, an address, a date of birth).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import traceback
import uuid
from contextvars import ContextVar
from typing import Any

REQUEST_ID: ContextVar[str | None] = ContextVar("portcullis_request_id", default=None)
REQUEST_ID_HEADER = "x-request-id"
# A caller's own request id is kept only when it is short and plain; else a new one is made.
_CALLER_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
FIELDS_ATTRIBUTE = "fields"


def request_id_from(header: bytes | None) -> str:
    """Return the caller's request id if it is plain, else a new random one."""
    if header is not None:
        text = header.decode("latin-1")
        if _CALLER_ID.fullmatch(text):
            return text
    return uuid.uuid4().hex


class JsonLines(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, event, request id, fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "at": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            "request_id": REQUEST_ID.get(),
        }
        fields = getattr(record, FIELDS_ATTRIBUTE, None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            frames = traceback.extract_tb(error.__traceback__)
            line["error"] = type(error).__name__
            line["at_code"] = [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in frames[-5:]]
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_json_logs(level: int = logging.INFO) -> None:
    """Send every log record of the process to standard error as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
