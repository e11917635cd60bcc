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
