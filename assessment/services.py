"""Schemes, scores and results of the yearly assessment."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from appraisals.figures import figures_by_year
from development.models import DevelopmentPlan
from organizations.models import Organization
from partybuild.choices import Rating
from partybuild.statistics import snapshot_counts
from partybuild.validators import refuse

from .models import Item, Scheme, Score, Source

TENTH = Decimal("0.1")
# The snapshot's columns an item's source reads: (part, whole).
SOURCE_COLUMNS = {
    Source.COMPLIANCE: ("mtg_held", "mtg_required"),
    Source.DUES: ("dues_paid", "dues_owed"),
    Source.COMMUNITY: ("comm_reported", "comm_in_service"),
    Source.TRAINING: ("train_hours_met", "members"),
}


def check_thresholds(scheme: Scheme) -> None:
    if not scheme.good_from > scheme.fairly_good_from > scheme.average_from:
        refuse(_("The grades' thresholds must fall: good above fairly good above average."),
               "fairly_good_from")  # fmt: skip


@transaction.atomic
def scheme_save(*, scheme: Scheme, by=None) -> Scheme:
    check_thresholds(scheme)
    if scheme.pk is None:
        if Scheme.objects.filter(owner=scheme.owner, year=scheme.year).exists():
            refuse(_("There is a scheme for this year already."), "year")
        scheme.created_by = by
    scheme.save()
    return scheme


@transaction.atomic
def scheme_copy(*, scheme: Scheme, year: int, by=None) -> Scheme:
    """The scheme for another year: its items and thresholds, no scores."""
    copy = Scheme(owner=scheme.owner, year=year, title=scheme.title.replace(
        str(scheme.year), str(year)), good_from=scheme.good_from,
        fairly_good_from=scheme.fairly_good_from, average_from=scheme.average_from,
        bottom_count=scheme.bottom_count)  # fmt: skip
    scheme_save(scheme=copy, by=by)
    Item.objects.bulk_create([
        Item(scheme=copy, section=i.section, title=i.title, max_points=i.max_points,
             source=i.source, position=i.position) for i in scheme.items.all()
    ])  # fmt: skip
    return copy


def assessed(scheme: Scheme):
    """The organizations the scheme scores: the owner's active subordinates."""
    return Organization.objects.active().filter(parent=scheme.owner).order_by("code")


def _check_points(item: Item, points: Decimal | None) -> None:
    if points is not None and not Decimal("0") <= points <= item.max_points:
        refuse(_("%(item)s: between 0 and %(max)s points.") % {"item": item.title,
                                                             "max": item.max_points})  # fmt: skip


@transaction.atomic
def scores_save(*, scheme: Scheme, organization: Organization, points: dict[int, Decimal | None],
                review: bool) -> None:  # fmt: skip
    """The organization's self-assessment (review=False) or the staff's review of it; items
    filled from the figures are not typed."""
    if not assessed(scheme).filter(pk=organization.pk).exists():
        refuse(_("This organization is not assessed by this scheme."))
    items = {i.pk: i for i in scheme.items.all()}
    field = "review_points" if review else "self_points"
    for item_id, value in points.items():
        item = items.get(item_id)
        if item is None or item.source:
            continue
        _check_points(item, value)
        Score.objects.update_or_create(item=item, organization=organization,
                                       defaults={field: value})  # fmt: skip


def fill_from_figures(*, scheme: Scheme, as_of: datetime.date) -> int:
    """Points of the items with a source: the maximum times the organization's ratio (part
    over whole, at most 1) rounded to a tenth. Ratios come from the statistics snapshot of
    the date's year, the appraisal of the scheme's year (approved sheets) and the
    organization's development plan. Returns the scores set, 0 without a snapshot."""
    items = [i for i in scheme.items.all() if i.source]
    organizations = list(assessed(scheme).values_list("pk", flat=True))
    ratios = _ratios({i.source for i in items}, scheme.year, organizations, as_of)
    if ratios is None:
        return 0
    written = 0
    for item in items:
        for org_id in organizations:
            part, whole = ratios[item.source].get(org_id, (0, 0))
            points = ratio_points(item.max_points, min(part, whole), whole)
            Score.objects.update_or_create(item=item, organization_id=org_id, defaults={
                "self_points": points, "review_points": points})  # fmt: skip
            written += 1
    return written


def _ratios(sources: set[str], year: int, organizations: list[int], as_of: datetime.date):
    """{source: {organization id: (part, whole)}}, or None without a snapshot to read."""
    names = sorted({n for s in sources if s in SOURCE_COLUMNS for n in SOURCE_COLUMNS[s]}
                   | ({"dev_total"} if Source.PLAN in sources else set()))  # fmt: skip
    counts = {}
    if names:
        found = snapshot_counts(organizations, as_of, names)
        if found is None:
            return None
        counts = found[1]
    ratios = {
        source: {o: (counts.get(o, {}).get(part, 0), counts.get(o, {}).get(whole, 0))
                 for o in organizations}
        for source, (part, whole) in SOURCE_COLUMNS.items() if source in sources
    }  # fmt: skip
    if Source.APPRAISAL in sources:
        figures = figures_by_year(year, organizations)
        ratios[Source.APPRAISAL] = {o: (f.took_part, f.should) for o, f in figures.items()}
    if Source.PLAN in sources:
        targets = dict(DevelopmentPlan.objects.filter(organization__in=organizations, year=year)
                       .values_list("organization_id", "target"))  # fmt: skip
        ratios[Source.PLAN] = {o: (counts.get(o, {}).get("dev_total", 0), targets.get(o, 0))
                               for o in organizations}  # fmt: skip
    return ratios


def ratio_points(max_points: Decimal, part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0")
    return (max_points * part / whole).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class Result:
    organization: Organization
    self_total: Decimal
    final: Decimal
    grade: str
    rank: int = 0
    bottom: bool = False

    @property
    def grade_label(self) -> str:
        return str(Rating(self.grade).label)


def grade_of(scheme: Scheme, points: Decimal) -> str:
    for threshold, grade in ((scheme.good_from, Rating.GOOD),
                             (scheme.fairly_good_from, Rating.FAIRLY_GOOD),
                             (scheme.average_from, Rating.AVERAGE)):  # fmt: skip
        if points >= threshold:
            return grade
    return Rating.POOR


def results(scheme: Scheme) -> list[Result]:
    """Every assessed organization: totals, grade, rank among its siblings (equal totals
    share a rank: 1, 2, 2, 4), and the bottom places the scheme names (ties included)."""
    organizations = list(assessed(scheme))
    totals = {o.pk: [Decimal("0"), Decimal("0")] for o in organizations}
    for score in Score.objects.filter(item__scheme=scheme, organization__in=organizations):
        totals[score.organization_id][0] += score.self_points or 0
        totals[score.organization_id][1] += score.final or 0
    rows = [Result(o, *totals[o.pk], grade=grade_of(scheme, totals[o.pk][1]))
            for o in organizations]  # fmt: skip
    rows.sort(key=lambda r: (-r.final, r.organization.code))
    for i, row in enumerate(rows):
        row.rank = rows[i - 1].rank if i and rows[i - 1].final == row.final else i + 1
    if rows and scheme.bottom_count:
        cut = rows[max(0, len(rows) - scheme.bottom_count)].rank
        for row in rows:
            row.bottom = row.rank >= cut
    return rows
