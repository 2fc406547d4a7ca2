"""Errors a clerk sees.

Every failure of an input carries a message in Simplified Chinese that names
the problem (and, where the caller knows it, the cell).  Layers above ``calc``
put the cell address in front of the message; ``calc`` never prints a
traceback to a clerk.
"""

from __future__ import annotations


class InputError(ValueError):
    """A value from the ledger that cannot be used, with a Chinese reason.

    ``message`` is the reason alone ("身份证号码第18位应为X"); ``where`` is an
    optional location (a cell such as "Sheet1!C5" or a field name) that
    :meth:`with_location` fills in on the way up.
    """

    def __init__(self, message: str, *, value: object = None, where: str | None = None):
        self.message = message
        self.value = value
        self.where = where
        super().__init__(self.describe())

    def describe(self) -> str:
        if self.where:
            return f"{self.where}：{self.message}"
        return self.message

    def with_location(self, where: str) -> InputError:
        """Return a copy that names ``where`` (e.g. a cell address)."""
        return InputError(self.message, value=self.value, where=where)


class PolicyError(InputError):
    """An unknown policy code, benefit, event or parameter name."""
