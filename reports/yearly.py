"""The yearly statistical report of a subtree as an Excel workbook (openpyxl).

The composition, development, appraisal and organization tables print the snapshot's
counts, so the workbook shows what the dashboard shows for the same date. The change over
the year is read from the dated membership records: the members at the end of the year
before, who arrived and who left since, by event. Totals are SUM formulas over the rows
above them; the shares are values rounded as the dashboard rounds them, formatted as %.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from appraisals.figures import appraisal_years, covering_campaigns, year_figures
from appraisals.models import Disposition, DispositionKind, Outcome, SheetStatus
from members.choices import PARTY_MEMBER_STATUSES, Event
from members.models import MembershipRecord
from organizations.models import Organization
from partybuild.cells import Formula, put
from partybuild.dates import add_years
from partybuild.numbers import percent

from . import figures as f
from .dimensions import group
from .models import Figures, Snapshot

TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PERCENT_1 = "0.0%"
PERCENT_2 = "0.00%"
YUAN = "#,##0.00"
ARRIVALS = [Event.ADMITTED, Event.TRANSFERRED_IN, Event.MOVED, Event.REGISTERED]
DEPARTURES = [Event.TRANSFERRED_OUT, Event.MOVED, Event.DECEASED, Event.WITHDRAWN,
              Event.REMOVED, Event.PROBATION_CANCELLED]  # fmt: skip
BRANCH_SIZES = [(1, 10), (11, 30), (31, 50), (51, None)]


@dataclass(frozen=True)
class Change:
    """Party members of a subtree over a period: at the start, arrivals and departures."""

    start: int
    arrivals: dict[str, int]
    departures: dict[str, int]

    @property
    def end(self) -> int:
        return self.start + sum(self.arrivals.values()) - sum(self.departures.values())


def year_change(organization: Organization, as_of: datetime.date) -> Change:
    """From 31 December of the year before to `as_of`, from the records of the subtree.

    A record starting in the period is an arrival unless the same person's record in the
    subtree ended that day (a conversion or a move inside the subtree); an ending is a
    departure unless a record of theirs in the subtree starts that day.
    """
    before = datetime.date(as_of.year - 1, 12, 31)
    records = MembershipRecord.objects.filter(
        organization__ancestor_links__ancestor=organization,
        status__in=PARTY_MEMBER_STATUSES,
    ).order_by()  # no join to the members for the records' default order
    start = records.as_of(before).count()
    starts = list(
        records.filter(started_on__gt=before, started_on__lte=as_of).values_list(
            "member_id", "started_on", "start_event"
        )
    )
    ends = list(
        records.filter(ended_on__gt=before, ended_on__lte=as_of).values_list(
            "member_id", "ended_on", "end_event"
        )
    )
    ended_on = {(m, day) for m, day, _event in ends}
    started_on = {(m, day) for m, day, _event in starts}
    arrivals = Counter(e for m, day, e in starts if (m, day) not in ended_on)
    departures = Counter(e for m, day, e in ends if (m, day) not in started_on)
    return Change(start, dict(arrivals), dict(departures))


class Writer:
    """Rows written top to bottom on one sheet, with the house formatting."""

    def __init__(self, sheet: Worksheet, widths: list[int]):
        self.sheet = sheet
        self.row = 1
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        self.columns = len(widths)

    def title(self, text: str) -> None:
        put(self.sheet, self.row, 1, text).font = TITLE
        self.sheet.merge_cells(
            start_row=self.row, start_column=1, end_row=self.row, end_column=self.columns
        )
        self.row += 2

    def header(self, *labels: str, freeze: bool = False) -> None:
        for i, label in enumerate(labels, start=1):
            cell = put(self.sheet, self.row, i, label)
            cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if freeze and self.sheet.freeze_panes is None:
            self.sheet.freeze_panes = self.sheet.cell(self.row + 1, 2)
        self.row += 1

    def line(self, *values, formats: dict[int, str] | None = None, bold: bool = False) -> int:
        for i, value in enumerate(values, start=1):
            cell = put(self.sheet, self.row, i, _cell_value(value))
            cell.border = BOX
            if bold:
                cell.font = BOLD
            if formats and i in formats:
                cell.number_format = formats[i]
        self.row += 1
        return self.row - 1

    def section(self, text: str) -> None:
        self.row += 1
        cell = put(self.sheet, self.row, 1, text)
        cell.font = BOLD
        self.sheet.merge_cells(
            start_row=self.row, start_column=1, end_row=self.row, end_column=self.columns
        )
        self.row += 1

    def counted(self, rows: list[f.TableRow], *, places: int = 1, total: str = "") -> None:
        """Label, count, share rows; a SUM formula line when `total` names it."""
        first = self.row
        fmt = {3: PERCENT_1 if places == 1 else PERCENT_2}
        for r in rows:
            self.line(r.label, r.count, _fraction(r.share), formats=fmt)
        if total:
            self.line(total, Formula(f"=SUM(B{first}:B{self.row - 1})"), None, bold=True)


def _fraction(share: Decimal | None) -> Decimal | None:
    """A percentage as the fraction a % number format shows: 19.5 -> 0.195."""
    return None if share is None else share / 100


def _cell_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):  # a lazy translation
        return str(value)
    return value


def write_workbook(
    stream: BinaryIO, *, organization: Organization, snapshot: Snapshot, user
) -> None:
    row = Figures.objects.get(snapshot=snapshot, organization=organization, subtree=True)
    book = Workbook()
    _cover(book.active, organization, snapshot, user)
    _totals(book.create_sheet(_("Totals")), organization, snapshot, row)
    _composition(book.create_sheet(_("Composition")), row)
    _development(book.create_sheet(_("Development")), snapshot, row)
    _appraisal(book.create_sheet(_("Appraisal")), organization, snapshot, row)
    _organizations(book.create_sheet(_("Organizations")), organization, snapshot, row)
    _organizational_life(book.create_sheet(_("Organizational life")), organization, snapshot, row)
    _dues(book.create_sheet(_("Party dues")), organization, snapshot, row)
    _community(book.create_sheet(_("Floating and community")), organization, snapshot, row)
    _children(book.create_sheet(_("Subordinate organizations")), organization, snapshot, row)
    book.save(stream)


def _cover(sheet: Worksheet, organization, snapshot: Snapshot, user) -> None:
    sheet.title = _("Cover")
    w = Writer(sheet, [24, 48])
    w.title(_("Yearly statistical report of party members and organizations"))
    name = user.get_full_name() or user.get_username() if user else ""
    for label, value in [
        (_("organization"), organization.name),
        (_("code"), organization.code),
        (_("as of"), snapshot.as_of),
        (_("figures computed at"), timezone.localtime(snapshot.computed_at).replace(tzinfo=None)),
        (_("generated at"), timezone.localtime().replace(tzinfo=None, microsecond=0)),
        (_("generated by"), name),
    ]:
        cell_row = w.line(label, value)
        if isinstance(value, datetime.datetime):
            sheet.cell(cell_row, 2).number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, datetime.date):
            sheet.cell(cell_row, 2).number_format = "yyyy-mm-dd"


def _totals(sheet: Worksheet, organization, snapshot: Snapshot, row: Figures) -> None:
    change = year_change(organization, snapshot.as_of)
    w = Writer(sheet, [36, 14])
    w.title(_("Party members and their change in %(year)s") % {"year": snapshot.as_of.year})
    w.header(_("item"), _("count"), freeze=True)
    start = w.line(
        _("party members on 31 December %(year)s") % {"year": snapshot.as_of.year - 1},
        change.start,
    )
    w.section(_("arrived"))
    first = w.row
    for event in ARRIVALS:
        w.line(_arrival_label(event), change.arrivals.get(event, 0))
    arrived = w.line(_("arrived in all"), Formula(f"=SUM(B{first}:B{w.row - 1})"), bold=True)
    w.section(_("left"))
    first = w.row
    for event in DEPARTURES:
        w.line(_departure_label(event), change.departures.get(event, 0))
    left = w.line(_("left in all"), Formula(f"=SUM(B{first}:B{w.row - 1})"), bold=True)
    w.row += 1
    as_of = snapshot.as_of.isoformat()
    w.line(_("party members on %(day)s") % {"day": as_of}, Formula(f"=B{start}+B{arrived}-B{left}"),
           bold=True)  # fmt: skip
    w.line(_("of them full members"), row.full)
    w.line(_("of them probationary members"), row.probationary)


def _arrival_label(event: str) -> str:
    labels = {
        Event.ADMITTED: pgettext("members arriving", "admitted"),
        Event.TRANSFERRED_IN: _("transferred in"),
        Event.MOVED: _("moved in from other organizations"),
        Event.REGISTERED: _("entered in the registry"),
    }
    return labels[event]


def _departure_label(event: str) -> str:
    if event == Event.MOVED:
        return _("moved to other organizations")
    return str(Event(event).label)


def _composition(sheet: Worksheet, row: Figures) -> None:
    tables = f.composition(row)
    w = Writer(sheet, [30, 12, 12])
    w.title(_("Basic composition of party members"))
    w.header(_("item"), _("count"), _("share"), freeze=True)
    w.line(_("party members"), row.members, bold=True)
    for key, title in [
        ("status", _("Status")), ("gender", _("Gender")), ("ethnicity", _("Ethnicity")),
        ("age", _("Age")), ("education", _("Education")), ("occupation", _("Occupation")),
        ("join_period", _("Join period")), ("situation", _("Retired and floating")),
    ]:  # fmt: skip
        w.section(title)
        total = "" if key == "situation" else _("total")
        w.counted(tables[key], total=total)
    college = f.total(row, f.COLLEGE)
    w.section(_("College or above"))
    w.counted([f.TableRow(_("college or above"), college, f.RATIO_BY_KEY["college"].of(row))])


def _development(sheet: Worksheet, snapshot: Snapshot, row: Figures) -> None:
    w = Writer(sheet, [30, 12, 12])
    w.title(_("Development of party members in %(year)s") % {"year": snapshot.development_year})
    w.header(_("item"), _("count"), _("share"), freeze=True)
    w.counted(f.development_rows(row))
    w.section(_("Training"))
    w.counted(f.training_rows(row))


def _appraisal(sheet: Worksheet, organization, snapshot: Snapshot, row: Figures) -> None:
    """The appraisal of the report's year, from the campaigns covering the subtree; one
    still in progress prints its progress, never shares. A year's campaign runs into the
    next year, and sheets have no past states: where it stands is judged today."""
    w = Writer(sheet, [30, 22, 12, 12])
    year = snapshot.as_of.year
    years = appraisal_years(organization, timezone.localdate())
    progress = next((y for y in years if y.year == year), None)
    w.title(_("Democratic appraisal of %(year)s") % {"year": year})
    if progress is None:
        w.line(_("No appraisal campaign of %(year)s.") % {"year": year})
        return
    titles = covering_campaigns(organization, year).order_by("organization__depth", "pk")
    w.line(_("campaigns"), "、".join(c.title for c in titles))
    w.header(_("item"), _("count"), _("share"), freeze=True)
    w.line(_("organizations taking part"), progress.sheets)
    w.line(_("sheets approved"), progress.approved)
    if not progress.finished:
        w.line(_("In progress: the shares are written when every sheet is approved or the "
                 "deadline has passed."))  # fmt: skip
        return
    figures = year_figures(year, organization)
    w.line(_("should take part"), figures.should)
    w.line(_("took part"), figures.took_part, _fraction(figures.participation),
           formats={3: PERCENT_2})  # fmt: skip
    w.line(_("exempted"), figures.exempted)
    w.section(_("Grades"))
    w.counted(f.grade_rows(figures), places=2, total=_("graded"))
    w.section(_("Dispositions of unqualified members"))
    w.header(_("disposition"), _("outcome"), _("count"))
    for kind, outcome, n in _dispositions(organization, year):
        w.line(kind, outcome, n)


def _dispositions(organization, year: int) -> list[tuple[str, str, int]]:
    rows = (
        Disposition.objects.filter(
            entry__sheet__year=year,
            entry__sheet__status=SheetStatus.APPROVED,
            entry__sheet__organization__ancestor_links__ancestor=organization,
        )
        .values("kind", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(r["kind"], r["outcome"]): r["n"] for r in rows}
    return [
        (str(kind.label), str(outcome.label), counts[kind, outcome])
        for kind in DispositionKind
        for outcome in Outcome
        if (kind, outcome) in counts
    ]


def _organizations(sheet: Worksheet, organization, snapshot: Snapshot, row: Figures) -> None:
    w = Writer(sheet, [36, 12, 12])
    w.title(_("Party organizations"))
    w.header(_("item"), _("count"), _("share"), freeze=True)
    w.counted(f.organization_rows(row)[1:], total=_("organizations"))
    w.section(_("Branches by party members"))
    w.counted(_branch_sizes(organization, snapshot), total=_("branches"))
    w.section(_("Health"))
    for c in group("health"):
        w.line(c.label, getattr(row, c.name))
    w.line(_("terms ending within a year"), _terms_due(organization, snapshot.as_of))
    w.section(_("Elections"))
    for c in group("elections"):
        w.line(c.label, getattr(row, c.name))
    w.section(_("Secretaries' yearly reports"))
    w.counted(f.secretary_rows(row))


def _branch_sizes(organization, snapshot: Snapshot) -> list[f.TableRow]:
    own = Figures.objects.filter(
        Q(org_branch=1) | Q(org_joint_branch=1),  # branches existing on the date
        snapshot=snapshot, subtree=False, organization__ancestor_links__ancestor=organization,
    )  # fmt: skip
    sizes = list(own.values_list("members", flat=True))
    rows = []
    for low, high in BRANCH_SIZES:
        n = sum(1 for s in sizes if s >= low and (high is None or s <= high))
        label = f"{low}–{high}" if high else f"≥{low}"
        rows.append(f.TableRow(label, n, None))
    rows.insert(0, f.TableRow(_("no members"), sum(1 for s in sizes if s == 0), None))
    return [f.TableRow(r.label, r.count, f.percent(r.count, len(sizes))) for r in rows]


def _terms_due(organization, as_of: datetime.date) -> int:
    return Organization.objects.filter(
        ancestor_links__ancestor=organization,
        term_ends_on__gte=as_of,
        term_ends_on__lte=add_years(as_of, 1),
    ).count()


def _organizational_life(sheet: Worksheet, organization, snapshot: Snapshot,
                         row: Figures) -> None:  # fmt: skip
    """The year's meetings by kind, then one line per child organization (and what the
    organization holds itself) with SUM totals that equal the organization's figures."""
    w = Writer(sheet, [30, 12, 12, 12, 12, 12, 12, 12])
    w.title(_("Organizational life in %(year)s") % {"year": snapshot.development_year})
    w.header(_("item"), _("count"), freeze=True)
    for r in f.meeting_rows(row):
        w.line(r.label, r.count)
    w.section(_("By subordinate organization"))
    w.header(_("organization"), _("meetings held"), _("meetings required"),
             _("meetings required and held"), _("compliance"), _("should attend (all meetings)"),
             _("present (all meetings)"), _("attendance rate"))  # fmt: skip
    children = list(
        Figures.objects.filter(snapshot=snapshot, subtree=True, organization__parent=organization)
        .select_related("organization").order_by("organization__code")
    )  # fmt: skip
    own = Figures.objects.get(snapshot=snapshot, organization=organization, subtree=False)
    first = w.row
    for name, figures in [*[(c.organization.name, c) for c in children],
                          (_("held directly"), own)]:  # fmt: skip
        w.line(name, *_life_values(figures), formats={5: PERCENT_1, 8: PERCENT_1})
    last = w.row - 1
    sums = {i: Formula(f"=SUM({get_column_letter(i)}{first}:{get_column_letter(i)}{last})")
            for i in (2, 3, 4, 6, 7)}  # fmt: skip
    ratios = f.RATIO_BY_KEY
    w.line(_("total"), sums[2], sums[3], sums[4], _fraction(ratios["compliance"].of(row)),
           sums[6], sums[7], _fraction(ratios["attendance"].of(row)),
           formats={5: PERCENT_1, 8: PERCENT_1}, bold=True)  # fmt: skip


def _life_values(figures: Figures) -> list:
    ratios = f.RATIO_BY_KEY
    held = sum(getattr(figures, c.name) for c in group("meetings"))
    return [held, figures.mtg_required, figures.mtg_held,
            _fraction(ratios["compliance"].of(figures)), figures.mtg_should,
            figures.mtg_present, _fraction(ratios["attendance"].of(figures))]  # fmt: skip


def _dues(sheet: Worksheet, organization, snapshot: Snapshot, row: Figures) -> None:
    """The year's dues by month, then one line per child organization (and the
    organization's own members) with SUM totals that equal the organization's figures."""
    w = Writer(sheet, [30, 14, 14, 14, 12, 14])
    w.title(_("Party dues in %(year)s (yuan)") % {"year": snapshot.development_year})
    w.header(_("month"), _("owed"), _("paid"), _("outstanding"), _("collection rate"),
             freeze=True)  # fmt: skip
    money = {2: YUAN, 3: YUAN, 4: YUAN, 5: PERCENT_1}
    for m in range(1, 13):
        owed, paid = getattr(row, f"dues_owed_m{m:02d}"), getattr(row, f"dues_paid_m{m:02d}")
        if owed or paid:
            rate = _fraction(percent(paid, owed, 1))
            month = f"{snapshot.development_year}-{m:02d}"
            w.line(month, f.yuan(owed), f.yuan(paid), f.yuan(owed - paid), rate, formats=money)
    w.section(_("By subordinate organization"))
    w.header(_("organization"), _("owed"), _("paid"), _("outstanding"), _("collection rate"),
             _("members six months or more in arrears"))  # fmt: skip
    first = w.row
    for name, figures in _children_and_own(organization, snapshot):
        dues = f.dues_figures(figures)
        w.line(name, dues.owed, dues.paid, dues.outstanding, _fraction(dues.rate),
               dues.arrears6, formats=money)  # fmt: skip
    last = w.row - 1
    sums = {i: Formula(f"=SUM({get_column_letter(i)}{first}:{get_column_letter(i)}{last})")
            for i in (2, 3, 4, 6)}  # fmt: skip
    total = f.dues_figures(row)
    w.line(_("total"), sums[2], sums[3], sums[4], _fraction(total.rate), sums[6],
           formats=money, bold=True)  # fmt: skip


def _community(sheet: Worksheet, organization, snapshot: Snapshot, row: Figures) -> None:
    """Floating members on the date; members in service reporting to their residential
    community, and the communities' evaluations of the year, then one line per child
    organization (and the own members) with SUM totals."""
    w = Writer(sheet, [30, 12, 12, 12, 10, 10, 10, 10])
    w.title(_("Floating members and reporting to communities"))
    w.header(_("item"), _("count"), _("share"), freeze=True)
    w.counted([f.TableRow(_("floating"), row.floating, f.RATIO_BY_KEY["floating"].of(row))])
    w.counted(f.community_rows(row))
    w.section(_("By subordinate organization"))
    grades = group("community_evaluation")
    w.header(_("organization"), _("party members in service"), _("reported to a community"),
             _("share"), *[str(c.label) for c in grades])  # fmt: skip
    first = w.row
    for name, figures in _children_and_own(organization, snapshot):
        w.line(name, figures.comm_in_service, figures.comm_reported,
               _fraction(f.RATIO_BY_KEY["community"].of(figures)),
               *[getattr(figures, c.name) for c in grades], formats={4: PERCENT_1})  # fmt: skip
    sums = {i: Formula(f"=SUM({get_column_letter(i)}{first}:{get_column_letter(i)}{w.row - 1})")
            for i in (2, 3, 5, 6, 7, 8)}  # fmt: skip
    w.line(_("total"), sums[2], sums[3], _fraction(f.RATIO_BY_KEY["community"].of(row)),
           *[sums[i] for i in (5, 6, 7, 8)], formats={4: PERCENT_1}, bold=True)  # fmt: skip


def _children_and_own(organization, snapshot: Snapshot) -> list[tuple[str, Figures]]:
    """Each child's subtree figures, then the organization's own members' figures: their
    sums are the organization's figures."""
    children = list(
        Figures.objects.filter(snapshot=snapshot, subtree=True, organization__parent=organization)
        .select_related("organization").order_by("organization__code")
    )  # fmt: skip
    own = Figures.objects.get(snapshot=snapshot, organization=organization, subtree=False)
    return [*[(c.organization.name, c) for c in children], (_("own members"), own)]


def _children(sheet: Worksheet, organization, snapshot: Snapshot, row: Figures) -> None:
    """One line per child organization, the parent's own members, and SUM totals."""
    children = list(
        Figures.objects.filter(snapshot=snapshot, subtree=True, organization__parent=organization)
        .select_related("organization")
        .order_by("organization__code")
    )
    own = Figures.objects.get(snapshot=snapshot, organization=organization, subtree=False)
    labels = [_("code"), _("organization"), _("party members"), _("women"), _("35 and under"),
              _("college or above"), _("ethnic minorities"), _("retired"), _("floating"),
              _("new members"), _("share of women"), _("share 35 and under"),
              _("share college or above")]  # fmt: skip
    w = Writer(sheet, [12, 30, *([11] * (len(labels) - 2))])
    w.title(_("Subordinate organizations of %(name)s") % {"name": organization.name})
    w.header(*labels, freeze=True)
    first = w.row
    lines = [(c.organization.code, c.organization.name, c) for c in children]
    lines.append(("", _("held directly"), own))
    for code, name, figures in lines:
        w.line(code, name, *_child_values(figures),
               formats={11: PERCENT_1, 12: PERCENT_1, 13: PERCENT_1})  # fmt: skip
    last = w.row - 1
    sums = [Formula(f"=SUM({get_column_letter(i)}{first}:{get_column_letter(i)}{last})")
            for i in range(3, 11)]  # fmt: skip
    total = f.RATIO_BY_KEY
    w.line(organization.code, _("total"), *sums, _fraction(total["women"].of(row)),
           _fraction(total["young"].of(row)), _fraction(total["college"].of(row)),
           formats={11: PERCENT_1, 12: PERCENT_1, 13: PERCENT_1}, bold=True)  # fmt: skip


def _child_values(figures: Figures) -> list:
    ratios = f.RATIO_BY_KEY
    return [
        figures.members, figures.women, f.total(figures, f.YOUNG), f.total(figures, f.COLLEGE),
        figures.minority, figures.retired, figures.floating, figures.dev_total,
        _fraction(ratios["women"].of(figures)), _fraction(ratios["young"].of(figures)),
        _fraction(ratios["college"].of(figures)),
    ]  # fmt: skip
