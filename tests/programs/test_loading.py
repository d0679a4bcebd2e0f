from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from portcullis.programs import ProgramInvalid, default_program, load_program_file

PACKAGED = resources.files("portcullis.programs").joinpath("ice-address-verification.toml")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "program.toml"
    path.write_text(text)
    return path


def test_the_packaged_program_loads(tmp_path: Path) -> None:
    program = load_program_file(write(tmp_path, PACKAGED.read_text()))
    assert program.id == "ice-address-verification"
    assert program.release_fields == ("street", "unit", "city", "state", "zip", "address_tax_year")
    assert program.required_columns == ("final_order_date",)
    assert program.signers == ()


def test_the_default_program_has_the_demo_signer_and_witnesses(key_b64: str) -> None:
    program = default_program(key_b64, [("oversight-a", key_b64), ("oversight-b", key_b64)])
    assert [s.key_id for s in program.signers] == ["demo-signer"]
    assert [w.name for w in program.witnesses] == ["oversight-a", "oversight-b"]
    assert program.witness_quorum == 1
    assert program.status == "active"


def test_the_default_program_needs_a_witness(key_b64: str) -> None:
    with pytest.raises(ProgramInvalid, match="witness_quorum"):
        default_program(key_b64, [])


def test_a_bad_signer_key_is_named(key_b64: str) -> None:
    with pytest.raises(ProgramInvalid, match=r"signers\.0\.public_key"):
        default_program("not-a-key", [("w", key_b64)])


@pytest.mark.parametrize(
    ("edit", "names"),
    [
        pytest.param(("max_batch_items = 5000", "max_batch_items = 0"), "limits.max_batch_items",
                     id="zero-batch"),
        pytest.param(('"18 U.S.C. 1546(a)",', '"26 U.S.C. 7206(1)",'), "allowed_statutes",
                     id="tax-statute"),
        pytest.param(("retention_days = 2555", ""), "retention_days", id="missing-key"),
        pytest.param(("retention_days = 2555", "retention = 1"), "retention", id="unknown-key"),
        pytest.param(("address_must_agree = false", "address_must_agree = 'maybe'"),
                     "address_must_agree", id="not-a-bool"),
    ],
)  # fmt: skip
def test_errors_name_the_key(tmp_path: Path, edit: tuple[str, str], names: str) -> None:
    text = PACKAGED.read_text()
    assert edit[0] in text
    with pytest.raises(ProgramInvalid, match=names) as raised:
        load_program_file(write(tmp_path, text.replace(edit[0], edit[1])))
    assert "\n" not in str(raised.value)


def test_bad_toml_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ProgramInvalid, match="not valid TOML"):
        load_program_file(write(tmp_path, "id = \n"))


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ProgramInvalid, match="cannot read"):
        load_program_file(tmp_path / "absent.toml")
