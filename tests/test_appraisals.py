"""Democratic appraisal: campaigns, sheets, submission rules, decisions, dispositions, figures."""

import datetime
import functools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from appraisals import services
from appraisals.figures import AppraisalFigures, figures_for
from appraisals.models import (
    DispositionKind,
    Entry,
    Exemption,
    Grade,
    Outcome,
    Sheet,
    SheetStatus,
)
from development.models import StepKind
from members.choices import Status
from members.models import DisciplinaryAction, Discipline, OrganizationTally
from members.services import member_move
from partybuild.numbers import shares_adding_to_100

from .factories import make_member

D = datetime.date
START = D(2026, 1, 5)


def open_campaign(org, **fields):
    values = {"year": 2025, "title": "2025年度民主评议党员", "starts_on": START,
              "ends_on": D(2026, 2, 28), "deadline": D(2026, 3, 15)}  # fmt: skip
    values.update(fields)
    return services.campaign_open(organization=org, **values)


def blank(**values) -> dict:
    row = {name: "" if name in ("exemption", "exemption_note", "grade", "remark") else 0
           for name in services.ENTRY_FIELDS}  # fmt: skip
    row.update(self_assessment=True, mutual_evaluation=True)  # a row as filled in
    row.update(values)
    return row


def fill(sheet: Sheet, grades: list[str], **extra) -> Sheet:
    """Grade the sheet's entries in name order, then save once."""
    entries = list(sheet.entries.order_by("member__name", "member_id"))
    rows = {}
    for entry, grade in zip(entries, grades, strict=False):
        remark = "需改进" if grade in (Grade.BASIC, Grade.UNQUALIFIED) else ""
        rows[entry.pk] = blank(grade=grade, remark=remark, self_assessment=True,
                               mutual_evaluation=True, **extra)  # fmt: skip
    sheet.refresh_from_db()
    return services.sheet_save(sheet=sheet, rows=rows, version=sheet.version, seen={})


def branch_with(tree, n: int, **kwargs) -> list:
    return [make_member(tree.b1, **kwargs) for _ in range(n)]


@pytest.fixture
def b1_sheet(tree):
    branch_with(tree, 9)
    campaign = open_campaign(tree.w)
    return Sheet.objects.get(campaign=campaign, organization=tree.b1)


# -- opening ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_campaign_lists_the_party_members_where_they_were_on_the_first_day(tree):
    stayed = make_member(tree.b1)
    probationary = make_member(tree.b1, status=Status.PROBATIONARY)
    later = make_member(tree.b2, since=D(2026, 1, 6))  # joined the day after
    moved = make_member(tree.b1)
    member_move(member=moved, organization=tree.b2, on=D(2026, 1, 6))  # moved the day after
    make_member(tree.b1, status=Status.APPLICANT, joined_on=None)  # not a party member
    campaign = open_campaign(tree.w)
    b1 = Sheet.objects.get(campaign=campaign, organization=tree.b1)
    listed = set(b1.entries.values_list("member_id", flat=True))
    assert listed == {stayed.pk, probationary.pk, moved.pk}
    assert b1.entries.get(member=probationary).probationary
    assert not Entry.objects.filter(member=later).exists()
    assert b1.status == SheetStatus.NOT_STARTED


@pytest.mark.django_db
def test_one_campaign_a_year_per_organization_and_dates_in_order(tree):
    make_member(tree.b1)
    open_campaign(tree.p1)
    with pytest.raises(ValidationError, match="第一党支部"):
        open_campaign(tree.w)
    open_campaign(tree.w, year=2026)  # another year is fine
    with pytest.raises(ValidationError) as info:
        open_campaign(tree.p2, year=2027, ends_on=D(2026, 1, 4))
    assert "ends_on" in info.value.error_dict


# -- saving, conflicts, submission -------------------------------------------------------


@pytest.mark.django_db
def test_a_later_save_from_an_older_copy_is_refused_with_what_changed(b1_sheet):
    opened = {e.pk: services.entry_values(e) for e in b1_sheet.entries.all()}
    version = b1_sheet.version
    first = b1_sheet.entries.order_by("member__name", "member_id").first()
    services.sheet_save(sheet=b1_sheet, rows={first.pk: blank(grade=Grade.EXCELLENT)},
                        version=version, seen=opened)  # fmt: skip
    with pytest.raises(services.SheetChanged) as info:
        services.sheet_save(sheet=b1_sheet, rows={first.pk: blank(grade=Grade.QUALIFIED)},
                            version=version, seen=opened)  # fmt: skip
    changes = {c.field: c for c in info.value.changes}  # the evaluations were ticked too
    change = changes["grade"]
    assert (change.entry.pk, change.was, change.now) == (first.pk, "", Grade.EXCELLENT)
    first.refresh_from_db()
    assert first.grade == Grade.EXCELLENT  # the earlier save stands


@pytest.mark.django_db
def test_every_member_graded_or_exempted_before_submission(b1_sheet):
    fill(b1_sheet, [Grade.QUALIFIED] * 8)
    with pytest.raises(ValidationError, match=r"Grade or exempt every member|逐一评定"):
        services.sheet_submit(sheet=b1_sheet)
    last = b1_sheet.entries.order_by("member__name", "member_id").last()
    b1_sheet.refresh_from_db()
    services.sheet_save(sheet=b1_sheet, version=b1_sheet.version, seen={},
                        rows={last.pk: blank(exemption=Exemption.ABROAD)})  # fmt: skip
    assert services.sheet_submit(sheet=b1_sheet).status == SheetStatus.SUBMITTED


@pytest.mark.django_db
def test_an_exempted_member_gets_no_grade_and_other_reasons_are_explained(b1_sheet):
    entry = b1_sheet.entries.first()
    for row in (blank(exemption=Exemption.ABROAD, grade=Grade.QUALIFIED),
                blank(exemption=Exemption.OTHER)):  # fmt: skip
        with pytest.raises(ValidationError):
            services.sheet_save(sheet=b1_sheet, rows={entry.pk: row}, version=0, seen={})
    row = blank(exemption=Exemption.OTHER, exemption_note="借调")
    services.sheet_save(sheet=b1_sheet, rows={entry.pk: row}, version=0, seen={})


@pytest.mark.django_db
@pytest.mark.parametrize(("grade", "remark", "ok"), [
    (Grade.BASIC, "", False), (Grade.BASIC, "学习不够", True),
    (Grade.UNQUALIFIED, "", False), (Grade.UNQUALIFIED, "长期不参加组织生活", True),
    (Grade.QUALIFIED, "", True),
])  # fmt: skip
def test_a_remark_is_required_for_basically_qualified_and_unqualified(b1_sheet, grade, remark, ok):
    fill(b1_sheet, [Grade.QUALIFIED] * 9)
    entry = b1_sheet.entries.first()
    b1_sheet.refresh_from_db()
    services.sheet_save(sheet=b1_sheet, version=b1_sheet.version, seen={},
                        rows={entry.pk: blank(grade=grade, remark=remark)})  # fmt: skip
    if ok:
        services.sheet_submit(sheet=b1_sheet)
    else:
        with pytest.raises(ValidationError, match=r"remark|评语"):
            services.sheet_submit(sheet=b1_sheet)


@pytest.mark.django_db
@pytest.mark.parametrize(("excellent", "cap_applies", "ok"),
                         [(3, True, True), (4, True, False), (4, False, True)])  # fmt: skip
def test_excellent_at_most_one_third_of_the_graded(tree, excellent, cap_applies, ok):
    branch_with(tree, 9)
    campaign = open_campaign(tree.w, cap_applies=cap_applies)
    sheet = Sheet.objects.get(campaign=campaign, organization=tree.b1)
    fill(sheet, [Grade.EXCELLENT] * excellent + [Grade.QUALIFIED] * (9 - excellent))
    if ok:
        services.sheet_submit(sheet=sheet)
    else:
        with pytest.raises(ValidationError, match="3"):
            services.sheet_submit(sheet=sheet)


@pytest.mark.django_db
def test_submitted_is_locked_returned_can_be_fixed_approved_needs_reopening(b1_sheet, cast):
    fill(b1_sheet, [Grade.QUALIFIED] * 9)
    services.sheet_submit(sheet=b1_sheet, by=cast.alice)
    b1_sheet.refresh_from_db()
    entry = b1_sheet.entries.first()
    with pytest.raises(ValidationError, match=r"locked|锁定"):
        services.sheet_save(sheet=b1_sheet, rows={}, version=b1_sheet.version, seen={})
    with pytest.raises(ValidationError):
        services.sheet_return(sheet=b1_sheet, by=cast.paul, reason=" ")
    services.sheet_return(sheet=b1_sheet, by=cast.paul, reason="评语不全")
    b1_sheet.refresh_from_db()
    assert (b1_sheet.status, b1_sheet.return_reason) == (SheetStatus.RETURNED, "评语不全")
    fill(b1_sheet, [Grade.EXCELLENT] + [Grade.QUALIFIED] * 8)
    services.sheet_submit(sheet=b1_sheet, by=cast.alice)
    services.sheet_approve(sheet=b1_sheet, by=cast.paul)
    b1_sheet.refresh_from_db()
    with pytest.raises(ValidationError):
        services.sheet_save(sheet=b1_sheet, rows={}, version=b1_sheet.version, seen={})
    services.sheet_return(sheet=b1_sheet, by=cast.paul, reason="重新核对")  # reopen
    statuses = list(b1_sheet.history.order_by("history_id").values_list("status", flat=True))
    assert statuses[-4:] == ["returned", "submitted", "approved", "returned"]
    assert entry.history.count() >= 2  # created, then every change


# -- dispositions -------------------------------------------------------------------------


@pytest.fixture
def unqualified(tree, cast, person, walk):
    """An approved B1 sheet with one full and one probationary member graded unqualified
    (the probationary one admitted through the development procedure, probation to July)."""
    full = branch_with(tree, 7)
    walk(person, upto=StepKind.CONVERSION_APPLICATION)
    probationary = person
    campaign = open_campaign(tree.w)
    sheet = Sheet.objects.get(campaign=campaign, organization=tree.b1)
    rows = {e.pk: blank(grade=Grade.QUALIFIED) for e in sheet.entries.all()}
    for member in (full[0], probationary):
        rows[sheet.entries.get(member=member).pk] = blank(grade=Grade.UNQUALIFIED, remark="差")
    services.sheet_save(sheet=sheet, rows=rows, version=0, seen={})
    services.sheet_submit(sheet=sheet)
    services.sheet_approve(sheet=sheet, by=cast.paul)
    return sheet.entries.get(member=full[0]), sheet.entries.get(member=probationary)


@pytest.mark.django_db
def test_persuasion_and_removal_are_not_for_probationary_members(unqualified):
    full, probationary = unqualified
    for kind in (DispositionKind.PERSUADE, DispositionKind.REMOVE):
        with pytest.raises(ValidationError, match=r"probation|预备"):
            services.disposition_record(entry=probationary, kind=kind, decided_on=D(2026, 3, 1))
    with pytest.raises(ValidationError):
        services.disposition_record(entry=full, kind=DispositionKind.EXTEND_PROBATION,
                                    decided_on=D(2026, 3, 1), extension_months=6)  # fmt: skip


@pytest.mark.django_db
def test_removal_is_approved_by_the_superior_and_leaves_the_counts(tree, cast, unqualified):
    full, _probationary = unqualified
    before = OrganizationTally.objects.get(organization=tree.b1).full
    removal = services.disposition_record(entry=full, kind=DispositionKind.REMOVE,
                                          decided_on=D(2026, 3, 1))  # fmt: skip
    assert removal.outcome == Outcome.PENDING
    services.disposition_approve(disposition=removal, by=cast.paul)
    full.member.refresh_from_db()
    assert full.member.status == Status.REMOVED
    assert OrganizationTally.objects.get(organization=tree.b1).full == before - 1
    assert full.member.history.first().status == Status.REMOVED


@pytest.mark.django_db
def test_probation_extended_through_the_development_rules(cast, unqualified):
    _full, probationary = unqualified
    too_long = services.disposition_record(
        entry=probationary, kind=DispositionKind.EXTEND_PROBATION, decided_on=D(2026, 3, 1),
        extension_months=13,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="12"):
        services.disposition_approve(disposition=too_long, by=cast.paul)
    services.disposition_return(disposition=too_long, by=cast.paul, reason="期限不对")
    ok = services.disposition_record(entry=probationary, kind=DispositionKind.EXTEND_PROBATION,
                                     decided_on=D(2026, 3, 1), extension_months=6)  # fmt: skip
    services.disposition_approve(disposition=ok, by=cast.paul)
    assert probationary.member.development_steps.filter(kind="probation_extended").exists()


@pytest.mark.django_db
def test_no_disposition_for_a_matter_already_under_discipline(unqualified):
    full, _probationary = unqualified
    with pytest.raises(ValidationError, match=r"discipline|纪律|党纪"):
        services.disposition_record(entry=full, kind=DispositionKind.DISCIPLINED,
                                    decided_on=D(2026, 3, 1))  # fmt: skip
    DisciplinaryAction.objects.create(member=full.member, kind=Discipline.WARNING,
                                      decided_on=D(2026, 2, 1))  # fmt: skip
    with pytest.raises(ValidationError, match=r"discipline|纪律|党纪"):
        services.disposition_record(entry=full, kind=DispositionKind.RECTIFY,
                                    decided_on=D(2026, 3, 1))  # fmt: skip
    done = services.disposition_record(entry=full, kind=DispositionKind.DISCIPLINED,
                                       decided_on=D(2026, 3, 1))  # fmt: skip
    assert done.outcome == Outcome.DONE


@pytest.mark.django_db
def test_rectification_is_judged_at_the_end_of_its_period(unqualified):
    full, _probationary = unqualified
    rectify = services.disposition_record(entry=full, kind=DispositionKind.RECTIFY,
                                          decided_on=D(2026, 3, 1))  # fmt: skip
    assert rectify.rectify_by == D(2026, 9, 1)  # six months by default
    with pytest.raises(ValidationError, match="2026-09-01"):
        services.disposition_conclude(disposition=rectify, rectified=False, on=D(2026, 8, 31))
    services.disposition_conclude(disposition=rectify, rectified=False, on=D(2026, 9, 1))
    # Not rectified: the member meeting may go further.
    removal = services.disposition_record(entry=full, kind=DispositionKind.REMOVE,
                                          decided_on=D(2026, 9, 10))  # fmt: skip
    assert removal.outcome == Outcome.PENDING


# -- figures ------------------------------------------------------------------------------


def test_grade_shares_of_a_published_city_report_add_up_to_100():
    counts = [63_140, 244_361, 9_637, 4_412]
    assert sum(counts) == 321_550
    shares = shares_adding_to_100(counts)
    assert shares == [Decimal("19.64"), Decimal("75.99"), Decimal("3.00"), Decimal("1.37")]
    assert sum(shares) == 100
    figures = AppraisalFigures(grades=dict(zip(Grade.values, counts, strict=True)))
    assert figures.grade_share(Grade.EXCELLENT) == Decimal("19.64")


def test_shares_always_add_up_even_where_rounding_each_would_not():
    shares = shares_adding_to_100([1, 1, 1])  # 33.333… each: rounding gives 99.99
    assert sum(shares) == 100 and sorted(shares) == [Decimal("33.33")] * 2 + [Decimal("33.34")]


def test_participation_of_a_published_city_report():
    assert AppraisalFigures(should=5_500, took_part=5_400).participation == Decimal("98.18")


@pytest.mark.django_db
def test_figures_count_approved_sheets_and_add_up_over_the_subtree(tree, cast):
    branch_with(tree, 4)
    for _ in range(3):
        make_member(tree.b2)
    make_member(tree.b4)
    campaign = open_campaign(tree.w)
    b1, b2, b4 = (Sheet.objects.get(campaign=campaign, organization=o)
                  for o in (tree.b1, tree.b2, tree.b4))  # fmt: skip
    fill(b1, [Grade.EXCELLENT, Grade.QUALIFIED, Grade.BASIC])
    last = b1.entries.order_by("member__name", "member_id").last()
    b1.refresh_from_db()
    services.sheet_save(sheet=b1, version=b1.version, seen={},
                        rows={last.pk: blank(exemption=Exemption.LONG_ILLNESS)})  # fmt: skip
    fill(b2, [Grade.QUALIFIED, Grade.QUALIFIED, Grade.UNQUALIFIED])
    for sheet in (b1, b2):
        services.sheet_submit(sheet=sheet)
    assert figures_for(campaign, tree.w).should == 0  # nothing approved yet
    services.sheet_approve(sheet=b1, by=cast.wendy)
    services.sheet_approve(sheet=b2, by=cast.wendy)
    city = figures_for(campaign, tree.w)
    assert (city.organizations, city.should, city.took_part, city.exempted) == (2, 7, 6, 1)
    assert city.participation == Decimal("85.71")  # 6 / 7
    assert city.grades == {"excellent": 1, "qualified": 3, "basic": 1, "unqualified": 1}
    assert [row[3] for row in city.grade_rows] == [
        Decimal("16.67"), Decimal("50.00"), Decimal("16.67"), Decimal("16.66"),
    ]  # fmt: skip
    g1 = figures_for(campaign, tree.g1)
    b1_only = figures_for(campaign, tree.b1)
    assert (g1.should, g1.took_part) == (7, 6)  # B1 and B2 sit under G1
    assert (b1_only.should, b1_only.took_part) == (4, 3)
    assert figures_for(campaign, tree.p2).should == 0  # B4's sheet is not approved
    assert b4.status == SheetStatus.NOT_STARTED


@pytest.mark.django_db
def test_votes_are_bounded_by_the_voters_and_never_negative(b1_sheet):
    """Branch of 9: a row's votes add up to at most the voters (9 when not given)."""
    entries = list(b1_sheet.entries.order_by("member__name", "member_id"))
    save = functools.partial(services.sheet_save, sheet=b1_sheet, seen={})
    with pytest.raises(ValidationError, match="400"):
        save(rows={entries[0].pk: blank(votes_excellent=400)}, version=b1_sheet.version)
    with pytest.raises(ValidationError, match="负数"):
        save(rows={entries[0].pk: blank(votes_qualified=-1)}, version=b1_sheet.version)
    with pytest.raises(ValidationError, match="10"):
        save(rows={}, version=b1_sheet.version, voters=10)  # more voters than members
    saved = save(rows={entries[0].pk: blank(votes_excellent=6, votes_qualified=1)},
                 version=b1_sheet.version, voters=7)  # fmt: skip
    assert saved.voters == 7
    with pytest.raises(ValidationError) as info:
        save(rows={entries[1].pk: blank(votes_excellent=5, votes_qualified=3)},
             version=saved.version, voters=7)  # fmt: skip
    assert entries[1].member.name in info.value.messages[0]  # the row is named


@pytest.mark.django_db
def test_grades_need_self_assessment_and_mutual_evaluation_unless_switched_off(b1_sheet):
    from organizations.models import Policy

    fill(b1_sheet, [Grade.QUALIFIED] * 9)
    entry = b1_sheet.entries.order_by("member__name", "member_id").first()
    b1_sheet.refresh_from_db()
    services.sheet_save(sheet=b1_sheet, version=b1_sheet.version, seen={}, rows={
        entry.pk: blank(grade=Grade.QUALIFIED, mutual_evaluation=False)})  # fmt: skip
    with pytest.raises(ValidationError, match=entry.member.name):
        services.sheet_submit(sheet=b1_sheet)
    Policy.objects.update(appraisal_requires_evaluations=False)
    b1_sheet.refresh_from_db()
    assert services.sheet_submit(sheet=b1_sheet).status == SheetStatus.SUBMITTED
