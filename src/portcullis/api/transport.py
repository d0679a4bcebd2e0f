"""Content negotiation on the way in: a body must arrive in the media type its route reads."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from portcullis.api.problems import ApiProblem


def require_media(media_type: str) -> Callable[[Request], None]:
    """Return a dependency answering 415 unless the request's Content-Type is `media_type`."""

    def check(request: Request) -> None:
        given = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if given != media_type:
            raise ApiProblem(
                415,
                "unsupported_media_type",
                f"send the body as {media_type}, not {given or 'nothing'}",
            )

    return check
