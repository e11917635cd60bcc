"""Reading the snapshots: which one to show, the ratios, and the tables of the dashboard.

Ratios are computed from the stored integer counts when shown (partybuild.numbers.percent,
rounded half up), so the dashboard, the ratio report and the workbook print the same.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import ExpressionWrapper, F, FloatField, QuerySet
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext_lazy as _

from appraisals.figures import (
    AppraisalFigures,
    YearProgress,
    appraisal_years,
    choose_year,
    covering_campaigns,
    year_figures,
)
from appraisals.models import Campaign
from organizations import access
from organizations.models import Organization
from partybuild.numbers import percent

from .dimensions import BY_NAME, Column, group
from .models import Figures, Snapshot

YOUNG = ["age_0", "age_1"]  # 35 and under
COLLEGE = ["edu_postgraduate", "edu_undergraduate", "edu_junior_college"]
ORGANIZATIONS = ["org_party_committee", "org_general_branch", "org_branch", "org_joint_branch"]


@dataclass(frozen=True)
class Ratio:
    """A share of two counts: of a Figures row, or (appraisal=True) of AppraisalFigures."""

    key: str
    label: str
    part: tuple[str, ...]
    whole: tuple[str, ...]
    places: int = 1
    appraisal: bool = False

    def of(self, row) -> Decimal | None:
        if row is None:
            return None
        return percent(total(row, self.part), total(row, self.whole), self.places)

    def expression(self) -> ExpressionWrapper:
        """The same ratio in SQL, for sorting on the server (display uses `of`)."""
        return ExpressionWrapper(
            Cast(_sum(self.part), FloatField()) * 100.0 / NullIf(_sum(self.whole), 0),
            output_field=FloatField(),
        )


def _sum(names: tuple[str, ...]):
    expression = F(names[0])
    for name in names[1:]:
        expression = expression + F(name)
    return expression


def total(row: Figures, names) -> int:
    return sum(getattr(row, name) for name in names)


RATIOS: list[Ratio] = [
    Ratio("women", _("women"), ("women",), ("members",)),
    Ratio("young", _("35 and under"), tuple(YOUNG), ("members",)),
    Ratio("college", _("college or above"), tuple(COLLEGE), ("members",)),
    Ratio("minority", _("ethnic minorities"), ("minority",), ("members",)),
    Ratio("retired", _("retired"), ("retired",), ("members",)),
    Ratio("floating", _("floating"), ("floating",), ("members",)),
    Ratio("participation", _("appraisal participation"), ("took_part",), ("should",), 2,
          appraisal=True),
    Ratio("excellent", _("excellent"), ("excellent",), ("took_part",), 2, appraisal=True),
    Ratio("unqualified", _("unqualified"), ("unqualified",), ("took_part",), 2,
          appraisal=True),
    Ratio("compliance", _("organizational-life compliance"), ("mtg_held",), ("mtg_required",)),
    Ratio("attendance", _("attendance at meetings"), ("mtg_present",), ("mtg_should",)),
    Ratio("dues", _("dues collection rate"), ("dues_paid",), ("dues_owed",)),
    Ratio("community", _("reported to a community"), ("comm_reported",), ("comm_in_service",)),
    Ratio("training", _("study hours reached"), ("train_hours_met",), ("members",)),
    Ratio("dev_women", _("new members: women"), ("dev_women",), ("dev_total",)),
    Ratio("dev_young", _("new members: 35 and under"), ("dev_young",), ("dev_total",)),
    Ratio("dev_college", _("new members: college or above"), ("dev_college",),
          ("dev_total",)),
]  # fmt: skip
RATIO_BY_KEY = {r.key: r for r in RATIOS}
# Counts the ratio report can also sort by.
SORTABLE_COUNTS = ["members", "dev_total"]


def current_snapshot(as_of: datetime.date | None = None) -> Snapshot | None:
    """The current snapshot of the date, or the newest current one."""
    snapshots = Snapshot.objects.filter(is_current=True).select_related("run")
    if as_of is not None:
        return snapshots.filter(as_of=as_of).first()
    return snapshots.order_by("-as_of").first()


def available_dates() -> list[datetime.date]:
    return list(
        Snapshot.objects.filter(is_current=True).order_by("-as_of").values_list("as_of", flat=True)
    )


def scoped_figures(user, snapshot: Snapshot, *, subtree: bool = True) -> QuerySet[Figures]:
    """Figures rows of the snapshot that the user may read."""
    rows = Figures.objects.filter(snapshot=snapshot, subtree=subtree)
    return access.scoped(rows, user)


@dataclass(frozen=True)
class TableRow:
    label: str
    count: int
    share: Decimal | None


def breakdown(row: Figures, columns: list[Column], whole: int | None = None) -> list[TableRow]:
    """Counts of the columns with their share of `whole` (the members by default)."""
    whole = row.members if whole is None else whole
    return [TableRow(str(c.label), getattr(row, c.name), percent(getattr(row, c.name), whole))
            for c in columns]  # fmt: skip


def composition(row: Figures) -> dict[str, list[TableRow]]:
    """The composition tables of the dashboard and the workbook, in their order."""
    return {
        "status": breakdown(row, group("status")),
        "gender": breakdown(row, group("gender")),
        "ethnicity": breakdown(row, group("ethnicity")),
        "age": breakdown(row, group("age")),
        "education": breakdown(row, group("education")),
        "join_period": breakdown(row, group("join_period")),
        "occupation": breakdown(row, group("occupation")),
        "situation": breakdown(row, group("situation")),
    }


def grade_rows(figures: AppraisalFigures) -> list[TableRow]:
    """Grades of the graded members; the shares add up to 100 (largest remainder)."""
    return [TableRow(str(label), n, share) for _g, label, n, share in figures.grade_rows]


@dataclass(frozen=True)
class AppraisalPanel:
    """The appraisal shown for a subtree: a year (the latest finished one unless another is
    asked for) with its figures when finished, and the years still in progress."""

    organization: Organization
    years: list[YearProgress]
    shown: YearProgress | None
    figures: AppraisalFigures | None  # only for a finished year: never shares in progress

    @property
    def under_way(self) -> list[YearProgress]:
        return [y for y in self.years if y.in_progress and y != self.shown]

    @property
    def campaigns(self) -> list[Campaign]:
        if self.shown is None:
            return []
        found = covering_campaigns(self.organization, self.shown.year)
        return list(found.select_related("organization").order_by("organization__depth", "pk"))


def appraisal_panel(organization: Organization, day: datetime.date, asked) -> AppraisalPanel:
    years = appraisal_years(organization, day)
    shown = choose_year(years, _year(asked))
    figures = None
    if shown is not None and shown.finished:
        figures = year_figures(shown.year, organization)
    return AppraisalPanel(organization, years, shown, figures)


def _year(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def development_rows(row: Figures) -> list[TableRow]:
    columns = [BY_NAME[n] for n in ("dev_women", "dev_minority", "dev_young", "dev_college")]
    return [TableRow(str(_("new members")), row.dev_total, None), *breakdown(row, columns,
            row.dev_total)]  # fmt: skip


def meeting_rows(row: Figures) -> list[TableRow]:
    """Meetings held in the year up to the date, by kind, and their total."""
    columns = group("meetings")
    kinds = [TableRow(str(c.label), getattr(row, c.name), None) for c in columns]
    return [TableRow(str(_("meetings held")), sum(r.count for r in kinds), None), *kinds]


def community_rows(row: Figures) -> list[TableRow]:
    """Members in service, those reported to their community (share of those in service),
    and the communities' evaluations of the year (shares of those evaluated)."""
    grades = group("community_evaluation")
    evaluated = total(row, [c.name for c in grades])
    return [
        TableRow(str(_("party members in service")), row.comm_in_service, None),
        TableRow(str(_("reported to a community")), row.comm_reported,
                 RATIO_BY_KEY["community"].of(row)),
        TableRow(str(_("evaluated by the community")), evaluated, None),
        *breakdown(row, grades, evaluated),
    ]  # fmt: skip


def training_rows(row: Figures) -> list[TableRow]:
    """The year's training: people trained for the development procedure, cadres trained,
    party members who reached the study hours (share of the members)."""
    return [
        TableRow(str(_("activists and development targets trained")), row.train_activists, None),
        TableRow(str(_("secretaries and cadres trained")), row.train_cadres, None),
        TableRow(str(_("party members with the year's study hours")), row.train_hours_met,
                 RATIO_BY_KEY["training"].of(row)),
    ]  # fmt: skip


def secretary_rows(row: Figures) -> list[TableRow]:
    """Secretaries' reports of the year by grade, shares of those rated."""
    grades = group("secretary_reports")
    rated = total(row, [c.name for c in grades])
    return [TableRow(str(_("reports rated")), rated, None), *breakdown(row, grades, rated)]


def organization_rows(row: Figures) -> list[TableRow]:
    kinds = breakdown(row, group("org_kind"), total(row, ORGANIZATIONS))
    return [TableRow(str(_("organizations")), total(row, ORGANIZATIONS), None), *kinds]


def headline(row: Figures) -> list[tuple[str, str, str]]:
    """(label, figure, note) cards at the top of the dashboard."""
    return [
        (str(_("party members")), f"{row.members}",
         str(_("%(full)s full, %(probationary)s probationary")
             % {"full": row.full, "probationary": row.probationary})),
        (str(_("women")), _pct(RATIO_BY_KEY["women"].of(row)), f"{row.women}"),
        (str(_("35 and under")), _pct(RATIO_BY_KEY["young"].of(row)), f"{total(row, YOUNG)}"),
        (str(_("college or above")), _pct(RATIO_BY_KEY["college"].of(row)),
         f"{total(row, COLLEGE)}"),
        (str(_("organizations")), f"{total(row, ORGANIZATIONS)}",
         str(_("%(committees)s committees, %(general)s general branches, %(branches)s branches")
             % {"committees": row.org_party_committee, "general": row.org_general_branch,
                "branches": row.org_branch + row.org_joint_branch})),
    ]  # fmt: skip


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def subtree_counts(organization_ids: list[int], day: datetime.date, names: list[str]):
    """Counts of the organizations' subtrees from the newest current snapshot of the day's
    year up to the day (partybuild.statistics.snapshot_counts), or None."""
    snapshot = (
        Snapshot.objects.filter(is_current=True, as_of__year=day.year, as_of__lte=day)
        .order_by("-as_of")
        .first()
    )
    if snapshot is None:
        return None
    rows = Figures.objects.filter(
        snapshot=snapshot, subtree=True, organization_id__in=organization_ids
    ).values("organization_id", *names)
    return snapshot.as_of, {row.pop("organization_id"): row for row in rows}


@dataclass(frozen=True)
class DuesFigures:
    """The year's party dues of a Figures row, in yuan (the snapshot keeps fen)."""

    owed: Decimal
    paid: Decimal
    rate: Decimal | None
    arrears6: int

    @property
    def outstanding(self) -> Decimal:
        return self.owed - self.paid


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def dues_figures(row: Figures) -> DuesFigures:
    return DuesFigures(yuan(row.dues_owed), yuan(row.dues_paid),
                       RATIO_BY_KEY["dues"].of(row), row.dues_arrears6)  # fmt: skip
