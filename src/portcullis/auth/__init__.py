"""Who may do what: roles, users and service accounts, and short-lived signed tokens."""

from portcullis.auth.roles import ROLES, Principal, Role
from portcullis.auth.tokens import TokenInvalid, issue_token, read_token
from portcullis.auth.users import (
    AuthenticationFailed,
    UserExists,
    authenticate,
    create_account,
    list_accounts,
)

__all__ = [
    "ROLES",
    "AuthenticationFailed",
    "Principal",
    "Role",
    "TokenInvalid",
    "UserExists",
    "authenticate",
    "create_account",
    "issue_token",
    "list_accounts",
    "read_token",
]
