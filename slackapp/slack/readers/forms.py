"""Errors shown beside a form's inputs (``response_action: errors``)."""

from __future__ import annotations


class FormErrors(ValueError):
    """Field errors keyed by block id."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors
