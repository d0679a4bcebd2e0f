from __future__ import annotations

import pytest

from portcullis.checks.statute import statute_findings
from portcullis.programs import Program

from .conftest import ItemFactory


@pytest.mark.parametrize(
    ("statute", "codes"),
    [
        pytest.param("8 U.S.C. 1253(a)(1)", [], id="allowed"),
        pytest.param("8 USC § 1326(a)", [], id="allowed-other-spelling"),
        pytest.param("26 USC 7206(1)", ["statute_tax"], id="tax"),
        pytest.param("8 U.S.C. 1182(a)(6)(A)(i)", ["statute_civil"], id="inadmissibility"),
        pytest.param("8 U.S.C. 1324(a)", ["statute_not_allowed"], id="criminal-unlisted"),
        pytest.param("  ", ["statute_missing"], id="blank"),
    ],
)
def test_statute_findings(
    statute: str, codes: list[str], make_item: ItemFactory, program: Program
) -> None:
    assert [f.code for f in statute_findings(make_item(statute=statute), program)] == codes
