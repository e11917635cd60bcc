"""Appraisal figures belong to the campaigns covering a subtree (issue 13 §1).

The dashboard shows the latest finished year by default and names it, a year in progress
only as progress; the ratio report and the yearly workbook follow the same rule; a campaign
opened by one committee never changes another subtree's figures.

The fixture, counted by hand: the city's 2025 campaign (deadline passed) approved B1 with
优秀, 合格, 合格 and B2 with 合格, 基本合格; B4's sheet was never approved. So the city's
2025 figures are 5 should take part, 5 took part (100.00%), grades 1 / 3 / 1 / 0 of 5
(20.00%, 60.00%, 20.00%, 0.00%); P1's are the same; P2 has no approved sheet.
"""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from appraisals import services
from appraisals.figures import appraisal_years, choose_year, figures_by_year, year_figures
from appraisals.models import Grade, Sheet
from reports.models import Snapshot
from reports.yearly import write_workbook

from .factories import make_member
from .test_appraisals import fill, open_campaign
from .test_statistics_views import compute, text

D = datetime.date
E, Q, B = Grade.EXCELLENT, Grade.QUALIFIED, Grade.BASIC


def approve(campaign, org, grades, by):
    sheet = fill(Sheet.objects.get(campaign=campaign, organization=org), grades)
    services.sheet_submit(sheet=sheet)
    return services.sheet_approve(sheet=sheet, by=by)


def under_way(org, year: int):
    """A campaign of the year begun a month ago whose deadline is two months ahead."""
    today = timezone.localdate()
    return open_campaign(
        org, year=year, title=f"{year}年度民主评议党员（{org.name}）",
        starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(days=30),
        deadline=today + datetime.timedelta(days=60),
    )  # fmt: skip


@pytest.fixture
def finished_2025(tree, cast):
    for org, n in ((tree.b1, 3), (tree.b2, 2), (tree.b4, 2)):
        for _ in range(n):
            make_member(org)
    campaign = open_campaign(tree.w)  # 2025, deadline 2026-03-15: passed
    approve(campaign, tree.b1, [E, Q, Q], cast.wendy)
    approve(campaign, tree.b2, [Q, B], cast.wendy)
    return campaign


def dashboard(client, user, org, **params) -> str:
    client.force_login(user)
    return text(client.get(reverse("reports:dashboard_of", args=[org.pk]), params))


@pytest.mark.django_db
def test_a_year_past_its_deadline_is_finished_and_shown_with_its_shares(
    client, tree, cast, finished_2025
):
    compute()
    years = appraisal_years(tree.w, timezone.localdate())
    assert [(y.year, y.sheets, y.approved, y.finished) for y in years] == [(2025, 3, 2, True)]
    city = figures_by_year(2025, [tree.w.pk])[tree.w.pk]
    assert (city.should, city.took_part, city.participation) == (5, 5, 100)
    # The top of the tree adds every sheet of the year up without the closure table.
    assert year_figures(2025, tree.w) == city
    assert year_figures(2025, tree.p1) == figures_by_year(2025, [tree.p1.pk])[tree.p1.pk]
    page = dashboard(client, cast.wendy, tree.w)
    assert "2025 年度民主评议党员" in page and "2025年度民主评议党员" in page  # named
    assert "3 个评议表中已审核 2 个" in page and "参评率 100.00% (5 / 5)" in page
    assert "优秀 1 20.00" in page and "合格 3 60.00" in page and "基本合格 1 20.00" in page


@pytest.mark.django_db
def test_the_citys_new_campaign_in_progress_leaves_the_finished_year_on_the_dashboard(
    client, tree, cast, finished_2025
):
    compute()
    this_year = timezone.localdate().year
    campaign = under_way(tree.w, this_year + 1)
    approve(campaign, tree.b1, [Q, Q, Q], cast.wendy)  # 1 of 3 sheets: 100% of 3 / 3
    page = dashboard(client, cast.wendy, tree.w)
    assert "2025 年度民主评议党员" in page and "参评率 100.00% (5 / 5)" in page
    assert "优秀 1 20.00" in page  # 2025's shares, not the new year's 0.00
    assert f"{this_year + 1} 年度民主评议正在进行：3 个评议表中已审核 1 个" in page
    assert "(3 / 3)" not in page

    # Picked, the year in progress shows its progress only, never shares.
    page = dashboard(client, cast.wendy, tree.w, appraisal=this_year + 1)
    assert f"{this_year + 1} 年度民主评议党员" in page and "3 个评议表中已审核 1 个" in page
    assert "参评率" not in page and "全部评议表审核完毕或截止日期过后显示比例" in page


@pytest.mark.django_db
def test_a_year_is_finished_when_every_sheet_is_approved_before_the_deadline(tree, cast):
    make_member(tree.b4)
    campaign = under_way(tree.p2, 2026)
    assert choose_year(appraisal_years(tree.p2, timezone.localdate()), None) is None
    approve(campaign, tree.b4, [Q], cast.wendy)
    [year] = appraisal_years(tree.p2, timezone.localdate())
    assert (year.year, year.sheets, year.approved, year.finished) == (2026, 1, 1, True)


@pytest.mark.django_db
def test_one_committees_campaign_never_changes_another_subtrees_figures(
    client, tree, cast, finished_2025
):
    compute()
    p1_campaign = under_way(tree.p1, 2027)
    approve(p1_campaign, tree.b2, [Q, Q], cast.wendy)
    # P2 (and B4 in it) see only the city's 2025 campaign, with nothing under way.
    for org in (tree.p2, tree.b4):
        years = appraisal_years(org, timezone.localdate())
        assert [y.year for y in years] == [2025], org
    page = dashboard(client, cast.wendy, tree.p2)
    assert "2025 年度民主评议党员" in page and "2027" not in page
    assert "1 个评议表中已审核 0 个" in page  # B4's sheet, never approved
    # The city and P1 keep 2025 by default and show 2027 as progress of P1's subtree.
    page = dashboard(client, cast.wendy, tree.w)
    assert "2025 年度民主评议党员" in page and "参评率 100.00% (5 / 5)" in page
    assert "2027 年度民主评议正在进行：2 个评议表中已审核 1 个" in page
    paul = dashboard(client, cast.paul, tree.p1)
    assert "2025 年度民主评议党员" in paul and "2027 年度民主评议正在进行" in paul


@pytest.mark.django_db
def test_the_ratio_report_takes_the_finished_year_and_leaves_one_in_progress_empty(
    client, tree, cast, finished_2025
):
    compute()
    under_way(tree.w, timezone.localdate().year + 1)
    client.force_login(cast.wendy)
    url = reverse("reports:ratios_of", args=[tree.w.pk])
    page = client.get(url, {"sort": "-participation"})
    lines = {line["organization"].code: line for line in page.context["lines"]}
    participation = [r.key for r in page.context["ratios"]].index("participation")
    excellent = participation + 1
    assert lines["P1"]["ratios"][participation] == 100
    assert lines["P1"]["ratios"][excellent] == 20
    assert lines["P2"]["ratios"][participation] is None  # no approved sheet
    assert [line["organization"].code for line in page.context["lines"]] == ["P1", "P2"]
    assert page.context["total"]["ratios"][participation] == 100
    assert "民主评议各列：2025 年度民主评议" in text(page)

    page = client.get(url, {"appraisal": timezone.localdate().year + 1})
    assert all(line["ratios"][participation] is None for line in page.context["lines"])
    assert "正在进行" in text(page)


@pytest.mark.django_db
def test_the_yearly_workbook_takes_the_campaign_of_the_reports_year(tree, cast, finished_2025):
    p1_campaign = under_way(tree.p1, 2027)
    approve(p1_campaign, tree.b2, [Q, Q], cast.wendy)
    compute(D(2025, 12, 31))

    def appraisal(org, as_of):
        snapshot = Snapshot.objects.get(as_of=as_of, is_current=True)
        stream = io.BytesIO()
        write_workbook(stream, organization=org, snapshot=snapshot, user=cast.wendy)
        sheet = load_workbook(stream)["民主评议"]
        return {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}

    city = appraisal(tree.w, D(2025, 12, 31))
    assert "2025 年度民主评议党员" in city
    assert city["参加评议的组织"][0] == 3 and city["已审核评议表"][0] == 2
    assert city["应参评人数"][0] == 5 and city["实际参加"][:2] == (5, 1)
    assert city["优秀"][:2] == (1, 0.2)
    p2 = appraisal(tree.p2, D(2025, 12, 31))  # P1's 2027 campaign changes nothing here
    assert p2["参加评议的组织"][0] == 1 and p2["应参评人数"][0] == 0

    this_year = timezone.localdate()
    under_way(tree.w, this_year.year)
    compute(this_year)
    city = appraisal(tree.w, this_year)
    assert f"{this_year.year} 年度民主评议党员" in city and "应参评人数" not in city
    assert any(str(k).startswith("评议进行中") for k in city)
