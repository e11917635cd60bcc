"""Code lists of the member registry, with the statistics categories of domain.md section 7."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("postgraduate")
    UNDERGRADUATE = "undergraduate", _("undergraduate")
    JUNIOR_COLLEGE = "junior_college", _("junior college")
    SENIOR_SECONDARY = "senior_secondary", _("senior secondary")
    JUNIOR_SECONDARY = "junior_secondary", _("junior secondary and below")


COLLEGE_OR_ABOVE = frozenset(
    {Education.POSTGRADUATE, Education.UNDERGRADUATE, Education.JUNIOR_COLLEGE}
)


class Occupation(models.TextChoices):
    WORKER = "worker", _("workers")
    FARMER = "farmer", _("farmers")
    PROFESSIONAL = "professional", _("professional and managerial staff")
    ORGAN_STAFF = "organ_staff", _("organ staff")
    STUDENT = "student", _("students")
    RETIRED = "retired", _("retired")
    OTHER = "other", _("other")


class Status(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    ACTIVIST = "activist", _("activist")
    TARGET = "target", _("development target")
    PROBATIONARY = "probationary", _("probationary member")
    FULL = "full", _("full member")
    TRANSFERRED_OUT = "transferred_out", _("transferred out")
    DECEASED = "deceased", _("deceased")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REMOVED = "removed", _("removed from the roll")
    PROBATION_CANCELLED = "probation_cancelled", _("probationary status cancelled")


PARTY_MEMBER_STATUSES = frozenset({Status.PROBATIONARY, Status.FULL})
PIPELINE_STATUSES = frozenset({Status.APPLICANT, Status.ACTIVIST, Status.TARGET})
CURRENT_STATUSES = PIPELINE_STATUSES | PARTY_MEMBER_STATUSES
LEFT_STATUSES = frozenset(
    {
        Status.TRANSFERRED_OUT,
        Status.DECEASED,
        Status.WITHDRAWN,
        Status.REMOVED,
        Status.PROBATION_CANCELLED,
    }
)


class Event(models.TextChoices):
    """Why a membership record started or ended."""

    REGISTERED = "registered", _("entered in the registry")
    TRANSFERRED_IN = "transferred_in", _("transferred in")
    PROMOTED = "promoted", _("advanced in the development procedure")
    ADMITTED = "admitted", _("admitted as probationary member")
    CONVERTED = "converted", _("converted to full member")
    MOVED = "moved", _("moved between organizations")
    TRANSFERRED_OUT = "transferred_out", _("transferred out")
    DECEASED = "deceased", _("deceased")
    WITHDRAWN = "withdrawn", _("withdrew")
    REMOVED = "removed", _("removed from the roll")
    PROBATION_CANCELLED = "probation_cancelled", _("probationary status cancelled")
    CORRECTED = "corrected", _("status corrected")


LEAVING_EVENTS = {
    Status.TRANSFERRED_OUT: Event.TRANSFERRED_OUT,
    Status.DECEASED: Event.DECEASED,
    Status.WITHDRAWN: Event.WITHDRAWN,
    Status.REMOVED: Event.REMOVED,
    Status.PROBATION_CANCELLED: Event.PROBATION_CANCELLED,
}

# Age bands of the yearly statistics: (label, lowest age, highest age), inclusive.
AGE_BANDS: list[tuple[str, int, int]] = [
    ("≤30", 0, 30),
    ("31–35", 31, 35),
    ("36–40", 36, 40),
    ("41–45", 41, 45),
    ("46–50", 46, 50),
    ("51–55", 51, 55),
    ("56–60", 56, 60),
    ("≥61", 61, 200),
]

# The 56 ethnic groups with their GB/T 3304 codes; "01" is Han.
ETHNIC_GROUPS: list[tuple[str, str]] = [
    ("01", _("Han")), ("02", _("Mongol")), ("03", _("Hui")), ("04", _("Tibetan")),
    ("05", _("Uyghur")), ("06", _("Miao")), ("07", _("Yi")), ("08", _("Zhuang")),
    ("09", _("Bouyei")), ("10", _("Korean")), ("11", _("Manchu")), ("12", _("Dong")),
    ("13", _("Yao")), ("14", _("Bai")), ("15", _("Tujia")), ("16", _("Hani")),
    ("17", _("Kazakh")), ("18", _("Dai")), ("19", _("Li")), ("20", _("Lisu")),
    ("21", _("Va")), ("22", _("She")), ("23", _("Gaoshan")), ("24", _("Lahu")),
    ("25", _("Shui")), ("26", _("Dongxiang")), ("27", _("Naxi")), ("28", _("Jingpo")),
    ("29", _("Kyrgyz")), ("30", _("Tu")), ("31", _("Daur")), ("32", _("Mulao")),
    ("33", _("Qiang")), ("34", _("Blang")), ("35", _("Salar")), ("36", _("Maonan")),
    ("37", _("Gelao")), ("38", _("Xibe")), ("39", _("Achang")), ("40", _("Pumi")),
    ("41", _("Tajik")), ("42", _("Nu")), ("43", _("Uzbek")), ("44", _("Russian")),
    ("45", _("Ewenki")), ("46", _("De'ang")), ("47", _("Bonan")), ("48", _("Yugur")),
    ("49", _("Jing")), ("50", _("Tatar")), ("51", _("Derung")), ("52", _("Oroqen")),
    ("53", _("Hezhen")), ("54", _("Monba")), ("55", _("Lhoba")), ("56", _("Jino")),
]  # fmt: skip
HAN = "01"
