"""Disclosure programs (agreements): versioned configuration, signer registry and status."""

from portcullis.programs.history import ProgramChange
from portcullis.programs.loading import (
    DEMO_SIGNER_KEY_ID,
    ProgramInvalid,
    default_program,
    load_program_file,
    validate_program,
)
from portcullis.programs.parts import (
    Limits,
    Periods,
    Review,
    Safeguards,
    Signer,
    Specificity,
    StandingApproval,
    Suspension,
    Term,
    Witness,
)
from portcullis.programs.program import Program, Status
from portcullis.programs.registry import (
    ChangeUnexplained,
    ProgramChangedConcurrently,
    ProgramNotFound,
    change_program,
    get_program,
    get_program_version,
    install_program,
    list_programs,
    program_history,
)
from portcullis.programs.signers import rotate_signer
from portcullis.programs.status import resume_program, set_safeguards, suspend_program
from portcullis.programs.statutes import (
    Citation,
    CitationUnparseable,
    normalise_citation,
    parse_citation,
)

__all__ = [
    "DEMO_SIGNER_KEY_ID",
    "ChangeUnexplained",
    "Citation",
    "CitationUnparseable",
    "Limits",
    "Periods",
    "Program",
    "ProgramChange",
    "ProgramChangedConcurrently",
    "ProgramInvalid",
    "ProgramNotFound",
    "Review",
    "Safeguards",
    "Signer",
    "Specificity",
    "StandingApproval",
    "Status",
    "Suspension",
    "Term",
    "Witness",
    "change_program",
    "default_program",
    "get_program",
    "get_program_version",
    "install_program",
    "list_programs",
    "load_program_file",
    "normalise_citation",
    "parse_citation",
    "program_history",
    "resume_program",
    "rotate_signer",
    "set_safeguards",
    "suspend_program",
    "validate_program",
]
