"""The yearly assessment of organizations: an item filled from organizational-life
compliance, scores, grades at the thresholds, ranking with ties, the bottom places, copying
forward, the Excel file read back, who may score what."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from assessment import services
from assessment.models import Item, Scheme, Score, Source
from meetings.models import Kind as MeetingKind
from meetings.models import Meeting
from meetings.services import Mark, attendance_save, meeting_create
from organizations.models import Kind

from .conftest import D
from .factories import make_member, make_org
from .test_statistics import admitted, compute


@pytest.fixture
def scheme(tree):
    """The city's scheme of 2026 over its three party committees: two items by hand (50 and
    40 points) and one of 10 points from organizational-life compliance."""
    make_org("P3", Kind.PARTY_COMMITTEE, tree.w, name="第三党委")
    item = services.scheme_save(scheme=Scheme(owner=tree.w, year=2026, title="2026年度目标考核"))
    Item.objects.create(scheme=item, section="组织建设", title="班子建设", max_points=50)
    Item.objects.create(scheme=item, section="组织生活", title="三会一课", max_points=40)
    Item.objects.create(scheme=item, section="组织生活", title="组织生活完成率",
                        max_points=10, source=Source.COMPLIANCE)  # fmt: skip
    return item


def score(scheme, code, tree, a, b, *, review=True):
    org = getattr(tree, code) if hasattr(tree, code) else scheme.owner.children.get(code=code)
    manual = list(scheme.items.filter(source="").order_by("position", "id"))
    services.scores_save(scheme=scheme, organization=org, review=review,
                         points={manual[0].pk: Decimal(a), manual[1].pk: Decimal(b)})  # fmt: skip


@pytest.mark.django_db
def test_an_item_filled_from_compliance(tree, scheme):
    """As of 1 February each branch owes January's theme party day: P1's three branches owe
    3 and B1 held one (1/3 of 10 points = 3.3); P2's one branch held none."""
    member = make_member(tree.b1)
    meeting = meeting_create(meeting=Meeting(organization=tree.b1, kind=MeetingKind.THEME_DAY,
                                             on=D(2026, 1, 20), topic="主题党日"))  # fmt: skip
    attendance_save(meeting=meeting, marks={row.pk: Mark("present") for row in
                                            meeting.attendance.all()})  # fmt: skip
    assert Meeting.objects.get(pk=meeting.pk).held and member.pk
    compute(D(2026, 2, 1))
    assert services.fill_from_figures(scheme=scheme, as_of=D(2026, 2, 1)) == 3
    by_code = {r.organization.code: r for r in services.results(scheme)}
    assert (by_code["P1"].final, by_code["P2"].final, by_code["P3"].final) == (
        Decimal("3.3"), Decimal("0.0"), Decimal("0.0"))  # fmt: skip


@pytest.mark.django_db
def test_grades_at_the_thresholds_ranking_with_ties_and_the_bottom(tree, scheme):
    score(scheme, "p1", tree, "50", "40")  # 90: good (the threshold itself)
    score(scheme, "p2", tree, "49.9", "40")  # 89.9: fairly good
    score(scheme, "P3", tree, "49.9", "40")  # 89.9: tied with P2
    rows = services.results(scheme)
    assert [(r.organization.code, r.final, r.grade, r.rank, r.bottom) for r in rows] == [
        ("P1", Decimal("90.0"), "good", 1, False),
        ("P2", Decimal("89.9"), "fairly_good", 2, True),  # the bottom place is shared
        ("P3", Decimal("89.9"), "fairly_good", 2, True),
    ]
    score(scheme, "P3", tree, "20", "39.9")  # 59.9: poor; 60 would be average
    rows = {r.organization.code: r for r in services.results(scheme)}
    assert (rows["P3"].grade, rows["P3"].rank, rows["P3"].bottom) == ("poor", 3, True)
    assert not rows["P2"].bottom
    assert services.grade_of(scheme, Decimal("60")) == "average"
    assert services.grade_of(scheme, Decimal("80")) == "fairly_good"


@pytest.mark.django_db
def test_self_assessment_then_review_and_bounds(tree, scheme):
    score(scheme, "p1", tree, "45", "38", review=False)
    row = next(r for r in services.results(scheme) if r.organization.code == "P1")
    assert (row.self_total, row.final) == (Decimal("83"), Decimal("83"))
    score(scheme, "p1", tree, "40", "38")
    row = next(r for r in services.results(scheme) if r.organization.code == "P1")
    assert (row.self_total, row.final) == (Decimal("83"), Decimal("78"))
    with pytest.raises(ValidationError):
        score(scheme, "p1", tree, "51", "0")  # over the item's maximum
    with pytest.raises(ValidationError):  # B1 is not a subordinate of the city
        services.scores_save(scheme=scheme, organization=tree.b1, points={}, review=True)
    with pytest.raises(ValidationError):
        services.scheme_save(scheme=Scheme(owner=tree.w, year=2027, title="x",
                                           good_from=80, fairly_good_from=80))  # fmt: skip


@pytest.mark.django_db
def test_copied_forward_and_the_excel_read_back(client, cast, tree, scheme):
    score(scheme, "p1", tree, "50", "40")
    score(scheme, "p2", tree, "30", "20")
    copy = services.scheme_copy(scheme=scheme, year=2027)
    assert copy.title == "2027年度目标考核" and copy.items.count() == 3
    assert not services.results(copy)[0].final  # no scores copied
    client.force_login(cast.wendy)
    response = client.post(reverse("assessment:export", args=[scheme.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ranking = [r for r in book["排名"].iter_rows(min_row=4, values_only=True)]
    assert [(r[0], r[1], r[3], r[4]) for r in ranking] == [
        (1, "第一党委", 90.0, "好"),
        (2, "第二党委", 50.0, "差"),
        (3, "第三党委", 0.0, "差"),
    ]
    assert ranking[2][5] == "是"  # the bottom place
    sheet = book["1 第一党委"]
    assert sheet["B2"].value == "班子建设" and sheet["E2"].value == 50.0
    assert sheet["E5"].value == "=SUM(E2:E4)"


@pytest.mark.django_db
def test_who_scores_what(client, cast, tree, scheme):
    manual = scheme.items.filter(source="").first()
    client.force_login(cast.paul)  # P1's staff: its own self-assessment, not the review
    url = reverse("assessment:sheet", args=[scheme.pk, tree.p1.pk])
    client.post(url, {f"i{manual.pk}": "45"})
    assert scheme.items.first().scores.get(organization=tree.p1).self_points == 45
    assert client.post(reverse("assessment:sheet", args=[scheme.pk, tree.p2.pk]),
                       {f"i{manual.pk}": "45"}).status_code == 404  # fmt: skip
    assert client.get(reverse("assessment:scheme", args=[scheme.pk])).status_code == 404
    client.force_login(cast.wendy)
    client.post(url, {f"i{manual.pk}": "41"})
    assert scheme.items.first().scores.get(organization=tree.p1).review_points == 41
    client.force_login(cast.victor)
    assert client.post(url, {f"i{manual.pk}": "1"}).status_code == 403


@pytest.mark.django_db
def test_items_filled_from_the_development_plan_and_the_appraisal(tree, scheme):
    """P1 planned 4 new members and admitted 1 (10 × 1/4 = 2.5); P2 planned none (0)."""
    from development.models import DevelopmentPlan

    plan = Item.objects.create(scheme=scheme, section="发展党员", title="完成发展计划",
                               max_points=10, source=Source.PLAN)  # fmt: skip
    appraisal = Item.objects.create(scheme=scheme, section="民主评议", title="参评率",
                                    max_points=5, source=Source.APPRAISAL)  # fmt: skip
    DevelopmentPlan.objects.create(organization=tree.p1, year=2026, target=4)
    admitted(tree.b1, D(2026, 3, 1))
    compute(D(2026, 6, 30))
    services.fill_from_figures(scheme=scheme, as_of=D(2026, 6, 30))
    points = {(s.item_id, s.organization.code): s.final for s in Score.objects.filter(
        item__in=[plan, appraisal]).select_related("organization")}  # fmt: skip
    assert points[plan.pk, "P1"] == Decimal("2.5") and points[plan.pk, "P2"] == Decimal("0")
    assert points[appraisal.pk, "P1"] == Decimal("0")  # no approved appraisal sheets of 2026
