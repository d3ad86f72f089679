"""Errors a user can cause. The CLI prints them as one line and exits with their status."""


class RingletError(Exception):
    """A failure with a one-line message and an exit status."""

    status = 1


class UsageError(RingletError):
    """A bad command line: missing file, bad number, unknown option."""

    status = 2


class SetupError(RingletError):
    """Something the machine lacks that ringlet could not install by itself."""

    status = 2
