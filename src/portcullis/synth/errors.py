"""Errors the synthetic data generator reports."""

from __future__ import annotations

from portcullis.errors import PortcullisError


class SynthSizeInvalid(PortcullisError):
    """A population or request size, or a share, is outside what the generator can produce."""


class OutputFormatUnsupported(PortcullisError):
    """An output format other than csv, parquet or jsonl was asked for."""


class PopulationTooSmall(PortcullisError):
    """The population has too few suitable people to draw the requested items."""
