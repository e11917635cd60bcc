"""Development figures of a subtree for a year: how many were admitted, and who they are."""

from dataclasses import dataclass
from decimal import Decimal

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
    so later moves or leaving do not change a past year's figures.
    """
    rows = (
        MembershipRecord.objects.filter(
            start_event=Event.ADMITTED,
            started_on__year=year,
            organization__ancestor_links__ancestor=organization,
        )
        .values_list(
            "member_id",
            "started_on",
            "member__gender",
            "member__ethnicity",
            "member__birth_date",
            "member__education",
        )
        .order_by()
    )
    return count_admissions(rows)


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
