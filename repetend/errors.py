"""The small error hierarchy; the CLI turns these into exit codes at the edge."""

from __future__ import annotations


class RepetendError(Exception):
    """A known failure with a one-line message for the user (exit 1)."""

    exit_code = 1


class ConfigError(RepetendError):
    """A configuration file, key or value is wrong (exit 2)."""

    exit_code = 2


class UsageError(RepetendError):
    """A command was called with arguments it cannot use (exit 2)."""

    exit_code = 2


class StoreError(RepetendError):
    """The event store cannot be opened, read or written."""


class NotFoundError(RepetendError):
    """A candidate, pattern or other named thing does not exist."""
