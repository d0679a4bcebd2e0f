"""Tests for the report template environment."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from portcullis.reports.templates import render_page, report_environment


def test_values_are_escaped_by_default() -> None:
    template = report_environment().from_string("{{ value }}")
    assert template.render(value="<b>&") == "&lt;b&gt;&amp;"


def test_package_templates_load_with_a_language() -> None:
    assert '<html lang="en">' in render_page("_base.html")


def test_missing_values_fail_loudly() -> None:
    with pytest.raises(UndefinedError):
        render_page("annual.html")
