"""Appraisal figures of a campaign, or of a year, for any subtree, from the approved sheets.

An organization has at most one sheet a year, each from the campaign that covers it, so the
figures of a subtree for a year are those of the campaigns covering it, and a campaign opened
by one committee never changes another subtree's figures. A year whose sheets are not all
decided before the deadline is in progress: shown as progress, never as final shares.

One grouped query per call, through the closure table, whatever the subtree's size. Shares
of the grades are of the graded members and add up to 100 (partybuild.numbers).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from organizations import access
from organizations.models import Organization, OrganizationClosure
from partybuild.numbers import percent, shares_adding_to_100

from .models import (
    TALLIES,
    Campaign,
    Disposition,
    DispositionKind,
    Grade,
    Outcome,
    Sheet,
    SheetStatus,
)

SHEET_ANCESTOR = "organization__ancestor_links__ancestor_id"


@dataclass(frozen=True)
class AppraisalFigures:
    organizations: int = 0
    sheets: int = 0  # every sheet of the subtree, whatever its state
    approved_sheets: int = 0
    should: int = 0
    took_part: int = 0
    exempted: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    dispositions: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def participation(self) -> Decimal | None:
        """Members who took part / members who should take part, two decimals."""
        return percent(self.took_part, self.should, places=2)

    @property
    def grade_rows(self) -> list[tuple[str, str, int, Decimal | None]]:
        counts = [self.grades.get(g, 0) for g in Grade.values]
        shares = shares_adding_to_100(counts)
        return [
            (g.value, g.label, n, share) for g, n, share in zip(Grade, counts, shares, strict=True)
        ]

    @property
    def disposition_rows(self) -> list[tuple[str, str, int]]:
        """(kind, outcome, count) in the order of the choices."""
        kinds = {k: i for i, k in enumerate(DispositionKind.values)}
        outcomes = {o: i for i, o in enumerate(Outcome.values)}
        ordered = sorted(
            self.dispositions.items(), key=lambda kv: (kinds[kv[0][0]], outcomes[kv[0][1]])
        )
        return [
            (DispositionKind(kind).label, Outcome(outcome).label, n)
            for (kind, outcome), n in ordered
        ]

    def __add__(self, other: "AppraisalFigures") -> "AppraisalFigures":
        """The figures of two disjoint sets of sheets together."""
        counts = ("organizations", "sheets", "approved_sheets", "should", "took_part",
                  "exempted")  # fmt: skip
        return AppraisalFigures(
            **{name: getattr(self, name) + getattr(other, name) for name in counts},
            grades=_add(self.grades, other.grades),
            dispositions=_add(self.dispositions, other.dispositions),
        )

    def grade_share(self, grade: str) -> Decimal | None:
        return next(share for g, _label, _n, share in self.grade_rows if g == grade)

    @property
    def excellent(self) -> int:
        return self.grades.get(Grade.EXCELLENT, 0)

    @property
    def unqualified(self) -> int:
        return self.grades.get(Grade.UNQUALIFIED, 0)


@dataclass(frozen=True)
class YearProgress:
    """Where a subtree's appraisal of a year stands on a day."""

    year: int
    sheets: int
    approved: int
    deadline: datetime.date  # the latest deadline of the campaigns with sheets there
    finished: bool  # every sheet approved, or the deadline has passed

    @property
    def in_progress(self) -> bool:
        return not self.finished


def appraisal_years(organization: Organization, day: datetime.date) -> list[YearProgress]:
    """Every year with sheets in the subtree from campaigns begun by the day, newest first."""
    sheets = Sheet.objects.filter(campaign__starts_on__lte=day)
    if not access.is_whole_tree(organization):  # else every sheet: no closure join
        sheets = sheets.filter(organization__ancestor_links__ancestor=organization)
    rows = (
        sheets.values("year")
        .annotate(
            sheets=Count("id"),
            approved=Count("id", filter=Q(status=SheetStatus.APPROVED)),
            deadline=Max("campaign__deadline"),
        )
        .order_by("-year")
    )
    return [
        YearProgress(
            year=r["year"],
            sheets=r["sheets"],
            approved=r["approved"],
            deadline=r["deadline"],
            finished=r["approved"] == r["sheets"] or r["deadline"] < day,
        )
        for r in rows
    ]


def choose_year(years: list[YearProgress], asked: int | None) -> YearProgress | None:
    """The year asked for if the subtree has it, else the latest finished one."""
    by_year = {y.year: y for y in years}
    if asked in by_year:
        return by_year[asked]
    return next((y for y in years if y.finished), None)


def covering_campaigns(organization: Organization, year: int):
    """The campaigns of the year over the organization or over part of its subtree."""
    above = OrganizationClosure.objects.filter(descendant=organization).values("ancestor_id")
    below = OrganizationClosure.objects.filter(ancestor=organization).values("descendant_id")
    # Two semi-joins: joining both closure paths and DISTINCT made 97 ms of the dashboard.
    return Campaign.objects.filter(
        Q(organization_id__in=above) | Q(organization_id__in=below), year=year
    )


def _sheet_sums():
    """The subtree's figures from the approved sheets' kept counts (Sheet.n_*), and how many
    sheets it has and has approved (the campaign's progress: one query for both)."""
    approved = Q(status=SheetStatus.APPROVED)
    sums = {name: Sum(f"n_{name}", filter=approved) for name in TALLIES}
    return sums | {
        "organizations": Count("id", filter=approved & Q(n_should__gt=0)),
        "sheets": Count("id"),
        "approved_sheets": Count("id", filter=approved),
    }


def figures_by_organization(
    campaign: Campaign, organizations: list[Organization]
) -> dict[int, AppraisalFigures]:
    """Figures of each organization's subtree in the campaign (approved sheets only)."""
    return _figures([o.pk for o in organizations], campaign=campaign)


def own_figures(campaign: Campaign, organization: Organization) -> AppraisalFigures:
    """Figures of the organization's own sheet in the campaign (not its subtree's)."""
    own = _figures([organization.pk], key="organization_id", campaign=campaign)
    return own[organization.pk]


def _add(a: dict, b: dict) -> dict:
    return {key: a.get(key, 0) + b.get(key, 0) for key in a.keys() | b.keys()}


def figures_by_year(year: int, organization_ids) -> dict[int, AppraisalFigures]:
    """Figures of each organization's subtree in the year, whichever campaigns cover it.
    `organization_ids` may be a list or a subquery of ids."""
    return _figures(organization_ids, year=year)


def year_figures(year: int, organization: Organization) -> AppraisalFigures:
    """Figures of the organization's subtree in the year; for the top of the tree, of every
    sheet of the year, without joining 14,000 sheets to the closure table (half the city's
    dashboard)."""
    if access.is_whole_tree(organization):
        return _figures([year], key="year", year=year)[year]
    return figures_by_year(year, [organization.pk])[organization.pk]


def _figures(ids, key: str = SHEET_ANCESTOR, **sheets) -> dict[int, AppraisalFigures]:
    """Sheets are counted once, at their approval; the subtree adds the sheets of its
    organizations up (never the entries: 300,000 of them in a city). By the organizations
    `key` leads to: the ancestors (subtrees) or the sheets' own organization."""
    subtrees = {**sheets, f"{key}__in": ids}
    approved = {**subtrees, "status": SheetStatus.APPROVED}
    rows = Sheet.objects.filter(**subtrees).values(key).annotate(**_sheet_sums())
    dispositions: dict[int, dict] = {}
    for row in (
        Disposition.objects.filter(**{f"entry__sheet__{k}": v for k, v in approved.items()})
        .values(f"entry__sheet__{key}", "kind", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    ):
        pair = (row["kind"], row["outcome"])
        dispositions.setdefault(row[f"entry__sheet__{key}"], {})[pair] = row["n"]
    result: dict[int, AppraisalFigures] = defaultdict(AppraisalFigures)
    if isinstance(ids, list):
        result.update({pk: AppraisalFigures() for pk in ids})
    for row in rows.order_by():
        pk = row[key]
        result[pk] = AppraisalFigures(
            sheets=row["sheets"], approved_sheets=row["approved_sheets"],
            organizations=row["organizations"], should=row["should"] or 0,
            took_part=row["took_part"] or 0, exempted=row["exempted"] or 0,
            grades={g: row[g] or 0 for g in Grade.values},
            dispositions=dispositions.get(pk, {}),
        )  # fmt: skip
    return result


def figures_for(campaign: Campaign, organization: Organization) -> AppraisalFigures:
    return figures_by_organization(campaign, [organization])[organization.pk]
