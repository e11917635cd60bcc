"""Development figures reproduce a published city report: 263 developed, 80 women, 174 under
35, 197 college or above → 30.4%, 66.2%, 74.9%."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from development.figures import development_figures
from members.choices import Education, Event, Gender, Status
from members.models import Member, MembershipRecord, age_on
from partybuild.numbers import percent

from .factories import id_number

D = datetime.date


def test_percent_is_exact_and_rounds_half_up():
    assert percent(80, 263) == Decimal("30.4")
    assert percent(174, 263) == Decimal("66.2")
    assert percent(197, 263) == Decimal("74.9")
    assert percent(1, 8) == Decimal("12.5") and percent(1, 16) == Decimal("6.3")
    assert percent(5, 0) is None


def admit(org, i: int, *, woman: bool, young: bool, college: bool, on: datetime.date):
    gender = Gender.FEMALE if woman else Gender.MALE
    birth = D(on.year - (30 if young else 40), 1, 1)
    member = Member.objects.create(
        name=f"新党员{i}", gender=gender, birth_date=birth, id_number=id_number(birth, gender),
        education=Education.UNDERGRADUATE if college else Education.SENIOR_SECONDARY,
        occupation="organ_staff", status=Status.PROBATIONARY, joined_on=on, organization=org,
    )  # fmt: skip
    MembershipRecord.objects.create(
        member=member, organization=org, status=Status.TARGET, started_on=D(on.year - 1, 1, 1),
        start_event=Event.PROMOTED, ended_on=on, end_event=Event.ADMITTED,
    )  # fmt: skip
    MembershipRecord.objects.create(member=member, organization=org, status=Status.PROBATIONARY,
                                    started_on=on, start_event=Event.ADMITTED)  # fmt: skip


@pytest.fixture
def city_report(tree):
    """263 admitted in 2025 across two committees; one more in 2024 that must not count."""
    for i in range(263):
        org = tree.b1 if i % 3 else tree.b4
        admit(org, i, woman=i < 80, young=i < 174, college=i >= 263 - 197, on=D(2025, 3, 1))
    admit(tree.b1, 999, woman=True, young=True, college=True, on=D(2024, 12, 31))


@pytest.mark.django_db
def test_city_report_figures(tree, city_report):
    figures = development_figures(tree.w, 2025)
    assert (figures.developed, figures.women, figures.young, figures.college) == (263, 80, 174, 197)
    assert (figures.women_share, figures.young_share, figures.college_share) == (
        Decimal("30.4"), Decimal("66.2"), Decimal("74.9"),
    )  # fmt: skip
    p1, p2 = development_figures(tree.p1, 2025), development_figures(tree.p2, 2025)
    assert p1.developed + p2.developed == 263  # the parent is the sum of its children


@pytest.mark.django_db
def test_board_shows_the_years_figures(client, cast, tree, city_report, monkeypatch):
    from development import views

    monkeypatch.setattr(views, "_figures_year", lambda: 2025)
    client.force_login(cast.wendy)
    page = client.get(reverse("development:board", args=[tree.w.pk])).content.decode()
    assert "263" in page and "30.4%" in page and "66.2%" in page and "74.9%" in page


@pytest.mark.django_db
def test_plan_progress_on_the_board(client, cast, tree, city_report, monkeypatch):
    from development import views
    from development.models import DevelopmentPlan

    monkeypatch.setattr(views, "_figures_year", lambda: 2025)
    client.force_login(cast.wendy)
    url = reverse("development:plan_edit", args=[tree.w.pk])
    bad = client.post(url, {"target": 300, "target_women": 301})
    assert "不能超过" in bad.content.decode()
    assert client.post(url, {"target": 300, "target_women": 100}).status_code == 302
    assert DevelopmentPlan.objects.get(organization=tree.w, year=2025).target == 300
    page = client.get(reverse("development:board", args=[tree.w.pk])).content.decode()
    plan = page[page.index('data-testid="plan"') :]
    assert "263" in plan and "300" in plan and "87.7" in plan and "80.0" in plan


@pytest.mark.django_db
def test_only_committee_staff_of_the_subtree_set_plans(client, cast, tree):
    client.force_login(cast.alice)
    assert client.get(reverse("development:plan_edit", args=[tree.b1.pk])).status_code == 403
    client.force_login(cast.paul)
    assert client.get(reverse("development:plan_edit", args=[tree.p2.pk])).status_code == 404
    assert client.get(reverse("development:plan_edit", args=[tree.b1.pk])).status_code == 200


@pytest.mark.django_db
def test_35_and_under_is_the_age_on_the_day_of_admission(tree):
    """The database's count of the young agrees with members.models.age_on at the edges:
    35 on the day (counted), the day before the 36th birthday (counted), on it (not), and a
    29 February birthday in a common year."""
    on = D(2025, 6, 15)
    births = [D(1990, 6, 15), D(1989, 6, 16), D(1989, 6, 15), D(1989, 7, 1), D(1988, 2, 29)]
    for i, birth in enumerate(births):
        admit(tree.b1, i, woman=False, young=False, college=False, on=on)
        Member.objects.filter(name=f"新党员{i}").update(birth_date=birth)
    ages = [age_on(birth, on) for birth in births]
    assert ages == [35, 35, 36, 35, 37]
    assert development_figures(tree.w, 2025).young == sum(age <= 35 for age in ages) == 3
    march = D(2024, 2, 28)  # born 29 February 1988: still 35 the day before the birthday
    admit(tree.b2, 10, woman=False, young=False, college=False, on=march)
    Member.objects.filter(name="新党员10").update(birth_date=D(1988, 2, 29))
    assert age_on(D(1988, 2, 29), march) == 35
    assert development_figures(tree.w, 2024).young == 1
