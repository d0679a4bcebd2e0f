"""The web UI's own stylesheet and script, served from the package (no CDN, nothing third-party)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import Response

from portcullis.web.access import PREFIX

router = APIRouter()
# Only these files are served, so a path in the URL can never reach anything else in the package.
MEDIA_TYPES: dict[str, str] = {
    "portcullis.css": "text/css; charset=utf-8",
    "progress.js": "text/javascript; charset=utf-8",
    "review.js": "text/javascript; charset=utf-8",
    "verify.js": "text/javascript; charset=utf-8",
}


def static_text(name: str) -> str:
    """Return the text of one packaged static file."""
    return resources.files("portcullis.web").joinpath("static", name).read_text(encoding="utf-8")


@router.get(f"{PREFIX}/static/{{name}}")
def static_file(name: str) -> Response:
    """Serve one of the packaged static files, or 404 for any other name."""
    media_type = MEDIA_TYPES.get(name)
    if media_type is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(
        static_text(name),
        media_type=media_type,
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )
