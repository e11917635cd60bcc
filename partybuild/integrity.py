"""Integrity errors as the user's errors: a double submit must not answer HTTP 500."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


@contextmanager
def refuse_duplicates(message, field: str | None = None):
    """Run the writes inside in a savepoint; a unique constraint that fails (two requests
    creating the same thing at the same moment) becomes a ValidationError with `message`."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ValidationError({field: message} if field else message) from exc
