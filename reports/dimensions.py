"""The counted columns of the statistics (domain.md section 7), in one place.

Every column is an integer count stored for each organization twice in a snapshot: its own
("direct") and its whole subtree's. Member columns carry the SQL condition that counts them,
over the membership records in force on the date (alias `r`) joined to the people (`m`);
the condition's parameters depend on the date (age bands). Ratios are never stored: they
are computed from these counts when shown (reports/figures.py).

Appraisal figures are not here: they belong to the campaigns covering a subtree, not to the
date of a snapshot, and are read live from the approved sheets (appraisals/figures.py).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from members.choices import AGE_BANDS, HAN, Education, Gender, Occupation, Status
from partybuild.dates import add_years
from partybuild.statistics import contributed_columns


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    group: str
    sql: str = ""  # member columns only: a condition over r (record) and m (member)
    params: Callable[[datetime.date], list] = field(default=lambda day: [])
    big: bool = False  # a 64-bit column (amounts in fen)


def _age_band(index: int, low: int, high: int) -> Column:
    """Age `low`..`high` on the day: born after day-(high+1) years and on or before day-low."""
    label = AGE_BANDS[index][0]
    return Column(
        f"age_{index}",
        label,
        "age",
        "m.birth_date > %s AND m.birth_date <= %s",
        lambda day: [
            add_years(day, -(high + 1)).isoformat(),
            add_years(day, -low).isoformat(),
        ],
    )


# Join periods (domain.md section 7), as inclusive date bounds of joined_on.
JOIN_PERIODS = [
    ("joined_1", _("before October 1949"), None, datetime.date(1949, 9, 30)),
    ("joined_2", _("October 1949 to December 1978"), datetime.date(1949, 10, 1),
     datetime.date(1978, 12, 31)),
    ("joined_3", _("January 1979 to November 2012"), datetime.date(1979, 1, 1),
     datetime.date(2012, 11, 30)),
    ("joined_4", _("since December 2012"), datetime.date(2012, 12, 1), None),
]  # fmt: skip


def _join_period(name: str, label, first: datetime.date | None, last: datetime.date | None):
    conditions, bounds = [], []
    if first:
        conditions.append("m.joined_on >= %s")
        bounds.append(first.isoformat())
    if last:
        conditions.append("m.joined_on <= %s")
        bounds.append(last.isoformat())
    return Column(name, label, "join_period", " AND ".join(conditions), lambda day: bounds)


def _equals(name: str, label, group: str, column: str, value: str) -> Column:
    return Column(name, label, group, f"{column} = '{value}'")


MEMBER_COLUMNS: list[Column] = [
    Column("members", _("party members"), "total", "1 = 1"),
    _equals("full", _("full members"), "status", "r.status", Status.FULL),
    _equals("probationary", _("probationary members"), "status", "r.status", Status.PROBATIONARY),
    _equals("men", _("men"), "gender", "m.gender", Gender.MALE),
    _equals("women", _("women"), "gender", "m.gender", Gender.FEMALE),
    _equals("han", _("Han"), "ethnicity", "m.ethnicity", HAN),
    Column("minority", _("ethnic minorities"), "ethnicity", f"m.ethnicity <> '{HAN}'"),
    *[_age_band(i, low, high) for i, (_label, low, high) in enumerate(AGE_BANDS)],
    *[_equals(f"edu_{e.value}", e.label, "education", "m.education", e) for e in Education],
    *[_join_period(*period) for period in JOIN_PERIODS],
    *[_equals(f"occ_{o.value}", o.label, "occupation", "m.occupation", o) for o in Occupation],
    Column("retired", _("retired"), "situation", "m.is_retired"),
]  # floating members: transfers.statistics, from the records in force on the date

# Organizations existing on the day, by kind (the working committee itself is not counted:
# it is the body that reports), and those with each health flag of the foundation.
ORGANIZATION_COLUMNS: list[Column] = [
    Column("org_party_committee", _("party committees"), "org_kind"),
    Column("org_general_branch", _("general branches"), "org_kind"),
    Column("org_branch", _("branches"), "org_kind"),
    Column("org_joint_branch", _("joint branches"), "org_kind"),
    Column("flag_too_small", _("too small"), "health"),
    Column("flag_too_large", _("too large"), "health"),
    Column("flag_secretary_vacant", _("secretary vacant"), "health"),
    Column("flag_term_expired", _("term expired"), "health"),
]

# Admitted as probationary members in the year of the date, up to the date.
DEVELOPMENT_COLUMNS: list[Column] = [
    Column("dev_total", _("new members"), "development"),
    Column("dev_women", _("women"), "development"),
    Column("dev_minority", _("ethnic minorities"), "development"),
    Column("dev_young", _("35 and under"), "development"),
    Column("dev_college", _("college or above"), "development"),
]

# Columns other apps contribute (partybuild.statistics): organizational life, … Those given
# as a condition on the members join the member columns, counted in the engine's one scan.
MEMBER_COLUMNS += [
    Column(c.name, c.label, c.group, c.sql, c.params) for c in contributed_columns() if c.sql
]
CONTRIBUTED_COLUMNS: list[Column] = [
    Column(c.name, c.label, c.group, big=c.big) for c in contributed_columns() if not c.sql
]

COLUMNS: list[Column] = (
    MEMBER_COLUMNS + ORGANIZATION_COLUMNS + DEVELOPMENT_COLUMNS + CONTRIBUTED_COLUMNS
)
COLUMN_NAMES: list[str] = [c.name for c in COLUMNS]
BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}


def group(name: str) -> list[Column]:
    return [c for c in COLUMNS if c.group == name]
