"""Development figures of a subtree for a year: how many were admitted, and who they are."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Value
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from development.models import DevelopmentPlan
from members.choices import COLLEGE_OR_ABOVE, HAN, Event, Gender
from members.models import MembershipRecord, age_on
from organizations.models import Organization
from partybuild.numbers import percent

YOUNG_AGE = 35  # "35 and under" at admission


@dataclass(frozen=True)
class DevelopmentFigures:
    developed: int
    women: int
    minorities: int
    young: int
    college: int

    def share(self, count: int) -> Decimal | None:
        return percent(count, self.developed)

    @property
    def women_share(self) -> Decimal | None:
        return self.share(self.women)

    @property
    def minorities_share(self) -> Decimal | None:
        return self.share(self.minorities)

    @property
    def young_share(self) -> Decimal | None:
        return self.share(self.young)

    @property
    def college_share(self) -> Decimal | None:
        return self.share(self.college)


@dataclass(frozen=True)
class PlanProgress:
    """How far a year's plan is met; None where the plan sets no target."""

    plan: "DevelopmentPlan"
    figures: DevelopmentFigures

    @property
    def rows(self) -> list[tuple[str, int, int | None, Decimal | None]]:
        plan, f = self.plan, self.figures
        return [
            (str(label), done, target, percent(done, target) if target else None)
            for label, done, target in [
                (_("new members"), f.developed, plan.target),
                (_("women"), f.women, plan.target_women),
                (_("35 and under"), f.young, plan.target_young),
                (_("college or above"), f.college, plan.target_college),
            ]
        ]


def development_figures(organization: Organization, year: int) -> DevelopmentFigures:
    """People admitted as probationary members in `year` by the organization or below it.

    Counted from the dated membership records (the admission starts a probationary record),
    so later moves or leaving do not change a past year's figures; counted in the database,
    each person once (the city's 10,000 admissions of a year are not fetched one by one).
    """
    admitted = MembershipRecord.objects.filter(
        start_event=Event.ADMITTED,
        started_on__year=year,
        organization__ancestor_links__ancestor=organization,
    )

    def people(condition=None) -> Count:
        return Count("member_id", distinct=True, filter=condition)

    totals = admitted.aggregate(
        developed=people(),
        women=people(Q(member__gender=Gender.FEMALE)),
        minorities=people(~Q(member__ethnicity=HAN)),
        young=people(LessThan(_age_key("started_on", "member__birth_date"),
                              (YOUNG_AGE + 1) * 10_000)),
        college=people(Q(member__education__in=COLLEGE_OR_ABOVE)),
    )  # fmt: skip
    return DevelopmentFigures(**totals)


def _age_key(day: str, birth_date: str):
    """years × 10,000 + (month × 100 + day) of `day` less the same of the birth date: below
    (n + 1) × 10,000 exactly when the age on the day is n or less (members.models.age_on)."""
    parts = [(ExtractYear, 10_000), (ExtractMonth, 100), (ExtractDay, 1)]
    return sum(((extract(day) - extract(birth_date)) * weight for extract, weight in parts),
               start=Value(0))  # fmt: skip


def count_admissions(rows) -> DevelopmentFigures:
    """Figures of admissions given as (member id, admitted on, gender, ethnicity, birth date,
    education) rows; a person admitted twice in the rows counts once."""
    people = {row[0]: row for row in rows}.values()
    return DevelopmentFigures(
        developed=len(people),
        women=sum(1 for p in people if p[2] == Gender.FEMALE),
        minorities=sum(1 for p in people if p[3] != HAN),
        young=sum(1 for p in people if age_on(p[4], p[1]) <= YOUNG_AGE),
        college=sum(1 for p in people if p[5] in COLLEGE_OR_ABOVE),
    )
