"""The Jinja environment of the web pages and the one call that renders a page as a response."""

from __future__ import annotations

from functools import cache

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

# Pages show taxpayer data: never cached, never framed, scripts and styles only from this origin.
SECURITY_HEADERS: dict[str, str] = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


@cache
def page_environment() -> Environment:
    """Return the shared environment that loads portcullis/web/templates/*.html."""
    return Environment(
        loader=PackageLoader("portcullis.web", "templates"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, *, status_code: int = 200, **context: object) -> HTMLResponse:
    """Render the named page template with `context` into an HTML response with safe headers."""
    html = page_environment().get_template(name).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
