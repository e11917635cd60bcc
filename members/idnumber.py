"""Resident ID numbers (GB 11643): check character, birth date and gender.

The check character and birth date come from python-stdnum. Its area-code lookup is not
used: area codes are renamed and retired over the decades, and older valid numbers (such as
440524188001010014) carry codes that no longer exist.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from .choices import Gender


@dataclass(frozen=True)
class IdNumberFacts:
    number: str
    birth_date: datetime.date
    gender: str


def check_character(body: str) -> str:
    """The 18th character for the first 17 (GB 11643 MOD 11-2), via python-stdnum."""
    return ric.calc_check_digit(body + "0")  # stdnum ignores the last character it is given


def normalize_id_number(value: str) -> str:
    """Spaces of any kind (pasted numbers are often grouped 6-8-4) and a lower-case x go."""
    return "".join((value or "").split()).upper()


def parse_id_number(value: str) -> IdNumberFacts:
    """Validate a number and read its birth date and gender; ValidationError if invalid."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("A resident ID number has 18 characters."), code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("A resident ID number is 17 digits followed by a digit or X."), code="format"
        )
    if check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("The check character of this ID number is wrong; please check the number."),
            code="checksum",
        )
    try:
        birth_date = ric.get_birth_date(number)
    except StdnumError as exc:
        raise ValidationError(
            _("The birth date in this ID number is not a real date."), code="date"
        ) from exc
    if birth_date > datetime.date.today():
        raise ValidationError(_("The birth date in this ID number is in the future."), code="date")
    gender = Gender.MALE if int(number[16]) % 2 == 1 else Gender.FEMALE
    return IdNumberFacts(number=number, birth_date=birth_date, gender=gender)


def check_matches_record(
    facts: IdNumberFacts, *, birth_date: datetime.date | None, gender: str | None
) -> dict[str, str]:
    """Errors by field name where the record disagrees with the number."""
    errors = {}
    if birth_date and birth_date != facts.birth_date:
        errors["birth_date"] = _("The birth date does not match the ID number (%(date)s).") % {
            "date": facts.birth_date.isoformat()
        }
    if gender and gender != facts.gender:
        errors["gender"] = _("The gender does not match the ID number (%(gender)s).") % {
            "gender": Gender(facts.gender).label
        }
    return errors
