"""`portcullis recall` and `portcullis release`: recall releases; record receipt and disposal."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from portcullis.aftercare.recall import recall_releases
from portcullis.aftercare.retention import ConfirmationRecord, confirm_disposal, confirm_receipt
from portcullis.aftercare.selectors import (
    ZIP_ONLY_ADDRESS,
    Selector,
    all_of,
    by_program,
    named_rule,
    one_release,
    released_between,
    whole_request,
)
from portcullis.cli.common import HomeOption, console, fail, one_line_errors
from portcullis.contract.dates import DATE_FORMAT
from portcullis.gateway import Gateway
from portcullis.workspace import open_workspace

release_app = typer.Typer(
    help="After release: the recipient's confirmations.", no_args_is_help=True
)

DAY_FORMATS = [DATE_FORMAT]
MOMENT_FORMATS = [f"{DATE_FORMAT}T%H:%M:%S%z", f"{DATE_FORMAT}T%H:%M%z"]
RequestArg = Annotated[str, typer.Argument(help="The request id.")]
RowArg = Annotated[int, typer.Argument(help="The item's row in the request file (from 1).")]
ByOption = Annotated[str, typer.Option("--by", help="Who at the recipient agency confirmed.")]
AtOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--at",
        formats=MOMENT_FORMATS,
        help="When, with its zone (default: now).",
        show_default=False,
    ),
]


def recall(
    reason: Annotated[str, typer.Option("--reason", help="Why the releases are recalled.")],
    by: Annotated[str, typer.Option("--by", help="The operator ordering the recall.")],
    request: Annotated[
        str | None, typer.Option("--request", help="Recall every release of this request.")
    ] = None,
    item: Annotated[
        str | None,
        typer.Option("--item", help="One release: REQUEST:ROW or REQUEST:ITEM_ID."),
    ] = None,
    rule: Annotated[
        str | None, typer.Option("--rule", help=f"Recall by a named rule ({ZIP_ONLY_ADDRESS}).")
    ] = None,
    program: Annotated[
        str | None, typer.Option("--program", help="Only releases under this program.")
    ] = None,
    released_from: Annotated[
        dt.datetime | None,
        typer.Option("--released-from", formats=DAY_FORMATS, help="Only releases from this day."),
    ] = None,
    released_to: Annotated[
        dt.datetime | None,
        typer.Option("--released-to", formats=DAY_FORMATS, help="Only releases to this day."),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Recall releases, record each recall in the ledger, and send the agency a recall notice."""
    with one_line_errors():
        selector = _selector(request, item, rule, program, released_from, released_to)
        with Gateway.open(open_workspace(home)) as gateway:
            report = recall_releases(gateway, selector, reason=reason, recalled_by=by)
    if not report.recalled and not report.already_recalled:
        fail(f"no release matches {report.selector}")
    console.print(
        f"Recalled {len(report.recalled):,} releases ({report.selector}); "
        f"{report.already_recalled:,} had been recalled before.",
        highlight=False,
    )
    for path in report.notices:
        console.print(f"Recall notice: {path}", highlight=False)


def _selector(
    request: str | None,
    item: str | None,
    rule: str | None,
    program: str | None,
    released_from: dt.datetime | None,
    released_to: dt.datetime | None,
) -> Selector:
    if request is None and item is None and rule is None:
        fail("name what to recall: --request, --item or --rule")
    parts: list[Selector] = []
    if request is not None:
        parts.append(whole_request(request))
    if item is not None:
        request_id, _, which = item.rpartition(":")
        if not request_id or not which:
            fail("--item takes REQUEST:ROW or REQUEST:ITEM_ID")
        parts.append(
            one_release(request_id, row=int(which))
            if which.isdigit()
            else one_release(request_id, item_id=which)
        )
    if rule is not None:
        parts.append(named_rule(rule))
    if program is not None:
        parts.append(by_program(program))
    if released_from is not None or released_to is not None:
        first = (released_from or dt.datetime(1970, 1, 1)).date()
        last = (released_to or dt.datetime(9999, 12, 30)).date()
        parts.append(released_between(first, last))
    return all_of(*parts)


@release_app.command("confirm-receipt")
def confirm_receipt_command(
    request_id: RequestArg, row: RowArg, by: ByOption, at: AtOption = None, home: HomeOption = None
) -> None:
    """Record that the recipient agency confirmed it received one release's package."""
    with one_line_errors(), Gateway.open(open_workspace(home)) as gateway:
        record = confirm_receipt(gateway, request_id, row, confirmed_by=by, at=at)
    _print(record)


@release_app.command("confirm-disposal")
def confirm_disposal_command(
    request_id: RequestArg, row: RowArg, by: ByOption, at: AtOption = None, home: HomeOption = None
) -> None:
    """Record that the recipient agency confirmed it destroyed or returned one release's data."""
    with one_line_errors(), Gateway.open(open_workspace(home)) as gateway:
        record = confirm_disposal(gateway, request_id, row, confirmed_by=by, at=at)
    _print(record)


def _print(record: ConfirmationRecord) -> None:
    console.print(
        f"{record.kind.replace('_', ' ').capitalize()}: request {record.request_id} row "
        f"{record.row}, by {record.confirmed_by} at {record.confirmed_at.isoformat()} "
        f"(ledger entry {record.ledger_index})",
        highlight=False,
    )
