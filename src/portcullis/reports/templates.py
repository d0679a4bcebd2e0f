"""The Jinja environment for the HTML reports: package templates, autoescaped, strict."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def report_environment() -> Environment:
    """Return the shared environment that loads portcullis/reports/templates/*.html."""
    return Environment(
        loader=PackageLoader("portcullis.reports", "templates"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(name: str, **context: object) -> str:
    """Render the named report template with `context`."""
    return report_environment().get_template(name).render(**context)
