"""Exceptions raised by credit: one per absl status code, all credit.Error."""


class Error(Exception):
    """Base of every error libcredit raises; the message is the C++ message."""

    code = 2  # UNKNOWN


class CancelledError(Error):
    code = 1


class InvalidArgumentError(Error, ValueError):
    """Bad input: a malformed mapping, an invalid identifier, a bad argument."""

    code = 3


class DeadlineExceededError(Error):
    code = 4


class NotFoundError(Error, LookupError):
    """No such record, entity, source, file or database."""

    code = 5


class AlreadyExistsError(Error):
    code = 6


class PermissionDeniedError(Error):
    code = 7


class ResourceExhaustedError(Error):
    code = 8


class FailedPreconditionError(Error):
    """E.g. a database written by a newer schema, or a closed engine."""

    code = 9


class AbortedError(Error):
    code = 10


class OutOfRangeError(Error):
    code = 11


class UnimplementedError(Error):
    code = 12


class InternalError(Error):
    code = 13


class UnavailableError(Error):
    """E.g. the database is locked by another process."""

    code = 14


class DataLossError(Error):
    """Corrupt stored data: restore from a backup."""

    code = 15


_BY_CODE = {cls.code: cls for cls in Error.__subclasses__()}


def error_for(code, message):
    """Returns the exception instance for an absl status code and message."""
    return _BY_CODE.get(code, Error)(message)
