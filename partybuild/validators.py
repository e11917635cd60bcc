"""Validators shared by the models and forms of every app."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


@deconstructible
class NoControlCharacters:
    """Refuse the invisible control characters that copy-paste brings along (a vertical tab
    in a name): no spreadsheet can hold them. Tabs and line breaks are fine."""

    message = _("Remove the invisible control characters (often pasted from another program).")
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharacters)


no_control_characters = NoControlCharacters()


@deconstructible
class WithinUploadLimit:
    """Refuse a file larger than UPLOAD_MAX_BYTES: the upload handler kept only that much of
    it (partybuild.uploads), so storing it would store a truncated file."""

    code = "too_large"

    def __call__(self, value) -> None:
        from django.conf import settings

        size = getattr(value, "size", 0) or 0
        if size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is %(size)s MB; at most %(limit)s MB are accepted."),
                code=self.code,
                params={
                    "size": round(size / 1024 / 1024, 1),
                    "limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
                },
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, WithinUploadLimit)


within_upload_limit = WithinUploadLimit()


def refuse(message: str, field: str | None = None) -> None:
    """A service's refusal, on the form's field of that name when there is one (partybuild.forms
    add_service_errors shows it)."""
    raise ValidationError({field: message} if field else message)


def refuse_future(day, field: str = "on") -> None:
    """Services record what happened: never on a day still to come (in the site's zone)."""
    from django.utils import timezone
    from django.utils.translation import gettext

    if day > timezone.localdate():
        refuse(gettext("The date cannot be in the future."), field)
