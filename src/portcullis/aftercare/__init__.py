"""After release: recalls, receipt and disposal confirmations, overdue disposals, reports."""

from portcullis.aftercare.annual import AnnualReportFiles, annual_report_for, write_annual_report
from portcullis.aftercare.notices import (
    NoticeInvalid,
    NoticeItem,
    build_recall_notice,
    open_recall_notice,
    seal_recall_notice,
)
from portcullis.aftercare.overdue import OverdueDisposal, overdue_disposals, write_overdue_csv
from portcullis.aftercare.recall import (
    RecalledRelease,
    RecallReport,
    RecallUnexplained,
    recall_releases,
)
from portcullis.aftercare.retention import (
    ConfirmationInvalid,
    ConfirmationRecord,
    ReleaseNotFound,
    confirm_disposal,
    confirm_receipt,
)
from portcullis.aftercare.selectors import (
    ZIP_ONLY_ADDRESS,
    RuleUnknown,
    Selector,
    SelectorInvalid,
    all_of,
    by_program,
    named_rule,
    one_release,
    released_between,
    whole_request,
)
from portcullis.aftercare.taxpayer import (
    DEFAULT_EMBARGO_DAYS,
    EmbargoInvalid,
    TaxpayerAccounting,
    TaxpayerRelease,
    TinInvalid,
    taxpayer_accounting,
)

__all__ = [
    "DEFAULT_EMBARGO_DAYS",
    "ZIP_ONLY_ADDRESS",
    "AnnualReportFiles",
    "ConfirmationInvalid",
    "ConfirmationRecord",
    "EmbargoInvalid",
    "NoticeInvalid",
    "NoticeItem",
    "OverdueDisposal",
    "RecallReport",
    "RecallUnexplained",
    "RecalledRelease",
    "ReleaseNotFound",
    "RuleUnknown",
    "Selector",
    "SelectorInvalid",
    "TaxpayerAccounting",
    "TaxpayerRelease",
    "TinInvalid",
    "all_of",
    "annual_report_for",
    "build_recall_notice",
    "by_program",
    "confirm_disposal",
    "confirm_receipt",
    "named_rule",
    "one_release",
    "open_recall_notice",
    "overdue_disposals",
    "recall_releases",
    "released_between",
    "seal_recall_notice",
    "taxpayer_accounting",
    "whole_request",
    "write_annual_report",
    "write_overdue_csv",
]
