"""The one error a user is meant to read: what record, which field, what is wrong."""

from __future__ import annotations


class ValidationError(ValueError):
    """Bad input, refused before anything is written.

    `field` is the attribute name (so a form can put the cursor there); `field_label` and `record`
    are the Vietnamese words the officer sees.
    """

    def __init__(self, record: str, field: str, field_label: str, message: str) -> None:
        self.record = record
        self.field = field
        self.field_label = field_label
        self.message = message
        super().__init__(f"{record} — ô «{field_label}»: {message}")


class UserError(RuntimeError):
    """An operation that cannot go ahead for a reason the officer can act on (Vietnamese message)."""
