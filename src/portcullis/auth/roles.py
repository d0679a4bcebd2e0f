"""The roles of the gateway and the principal a request acts as."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["requester", "reviewer", "program_admin", "operator", "auditor", "witness"]
ROLES: tuple[Role, ...] = (
    "requester",  # a requesting agency's service account: submits, polls, fetches its packages
    "reviewer",  # an IRS disclosure officer: settles held items
    "program_admin",  # changes programs (a second admin must confirm)
    "operator",  # runs the gateway: loads the master, processes, recalls
    "auditor",  # reads the accounting, the ledger and reports
    "witness",  # an oversight body's cosigning endpoint
)


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated account: its name, kind, roles, and for service accounts its agency."""

    name: str
    kind: Literal["user", "service"]
    roles: frozenset[Role]
    agency: str | None = None

    def has(self, role: Role) -> bool:
        """Tell whether the account holds `role`."""
        return role in self.roles
