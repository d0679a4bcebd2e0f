"""Exceptions that name the condition; each carries a one-line reason for the operator."""

from __future__ import annotations


class PortcullisError(Exception):
    """Base for every error the gateway reports to an operator as a one-line reason."""


class WorkspaceMissing(PortcullisError):
    """The workspace folder has not been initialised."""


class WorkspaceExists(PortcullisError):
    """A workspace already exists where a new one was asked for."""


class FileUnreadable(PortcullisError):
    """An input file cannot be read at all (missing, wrong format, no header, bad encoding)."""


class ColumnsMissing(PortcullisError):
    """An input file lacks columns the contract requires."""


class NotYetAvailable(PortcullisError):
    """A command whose part of the product has not been built yet."""
