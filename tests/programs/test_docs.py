"""Every program setting is documented in docs/programs.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from portcullis.programs import Program

PAGE = Path(__file__).resolve().parents[2] / "docs" / "programs.md"


def setting_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(name)
        for part in getattr(info.annotation, "__args__", (info.annotation,)):
            inner = getattr(part, "__args__", (part,))
            for kind in inner:
                if isinstance(kind, type) and issubclass(kind, BaseModel):
                    names |= setting_names(kind)
    return names


@pytest.mark.parametrize("name", sorted(setting_names(Program)))
def test_each_setting_is_documented(name: str) -> None:
    assert re.search(rf"[`\[]{re.escape(name)}[`\]]", PAGE.read_text())
