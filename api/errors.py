"""What a use case or the storage refuses, said for people, without HTTP.

Storage (api/store.py) and the use cases (api/service.py) raise these; api/problems.py turns
each into a problem+json answer (the status per class, ``kind`` as the problem type), and the
CLI into a message and an exit code. ``extra`` carries the details a caller shows (the sheet
errors and error violations of a refused plan, the legal next states of a window).
"""
from __future__ import annotations


class DomainError(Exception):
    def __init__(self, detail: str, *, kind: str, **extra):
        super().__init__(detail)
        self.detail, self.kind, self.extra = detail, kind, extra


class NotFound(DomainError):
    """No such thing: nothing published yet, no such version, window or live sheet."""


class Conflict(DomainError):
    """Not now, given the current state: an illegal state transition, a missing live sheet."""


class InvalidWorkbook(DomainError):
    """The workbook cannot be used: unreadable, or its plan has sheet errors or error violations."""


class InvalidReport(DomainError):
    """A state report that cannot be true of its window (failed_nodes beyond its nodes)."""


class Unavailable(DomainError):
    """Something the use case needs (the live Google Sheet) cannot be reached now."""
