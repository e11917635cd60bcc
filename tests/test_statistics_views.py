"""Dashboard, ratio report and yearly workbook: the published city report, sorting, drill
down, recompute, the workbook read back against the dashboard."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from members.choices import Gender, Status
from members.services import member_leave, member_move
from organizations.models import Organization, Role, UserRole
from partybuild.models import Job
from reports import dashboards
from reports.models import Figures, JobStatus, Snapshot, StatsRun
from reports.tasks import CHANGED_KEY, request_recompute
from reports.yearly import year_change

from . import city_report
from .factories import make_member

D = datetime.date


def compute(as_of=None) -> Snapshot:
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = request_recompute(as_of)
    return Snapshot.objects.get(run=run, is_current=True)


def text(response) -> str:
    """The page's visible text, whitespace collapsed."""
    html = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def workbook(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def find(sheet, label: str) -> tuple:
    """The first row whose first cell is `label`, as values."""
    for row in sheet.iter_rows(values_only=True):
        if row and row[0] == label:
            return row
    raise AssertionError(f"{label!r} not in {sheet.title}")


def sum_formula(sheet, formula: str) -> int:
    """Evaluate =SUM(B5:B9) against the sheet's values (openpyxl does not compute)."""
    column, first, last = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):[A-Z]+(\d+)\)", formula).groups()
    return sum(sheet[f"{column}{r}"].value or 0 for r in range(int(first), int(last) + 1))


@pytest.fixture
def city(db):
    city_report.build_city_report()
    root = Organization.objects.get(parent__isnull=True)
    staff = get_user_model().objects.create_user("city-staff", password="x")
    UserRole.objects.create(user=staff, organization=root, role=Role.STAFF)
    return root, staff, compute(city_report.AS_OF)


@pytest.mark.django_db
def test_the_published_city_report_on_the_dashboard_and_in_the_workbook(client, city):
    root, staff, _snapshot = city
    client.force_login(staff)
    as_of = "?as_of=2025-12-31"
    page = text(client.get(reverse("reports:dashboard_of", args=[root.pk]) + as_of))
    assert "9875" in page and "19.5%" in page  # 1,930 women of 9,875
    assert "628" in page and "34 个党委、52 个党总支、542 个党支部" in page
    development = re.search(r"2025 年发展党员(.*?)没有", page).group(1)
    assert "发展党员 263" in development
    for share in ("女性 80 30.4", "35 岁及以下 174 66.2", "大专及以上学历 197 74.9"):
        assert share in development

    book = workbook(
        client.post(reverse("reports:yearly", args=[root.pk]), {"as_of": as_of.split("=")[1]})
    )
    composition = book["基本构成"]
    assert find(composition, "党员")[1] == 9875
    assert find(composition, "女性")[1:] == (1930, 0.195)
    development = book["发展党员"]
    assert find(development, "发展党员")[1] == 263
    assert find(development, "女性")[1:] == (80, 0.304)
    assert find(development, "35 岁及以下")[1:] == (174, 0.662)
    assert find(development, "大专及以上学历")[1:] == (197, 0.749)
    organizations = book["党组织"]
    total = find(organizations, "党组织")
    assert sum_formula(organizations, total[1]) == 628
    assert book["封面"]["B5"].value == datetime.datetime(2025, 12, 31)


@pytest.mark.django_db
def test_workbook_totals_are_formulas_that_add_up_to_the_snapshot(client, city):
    root, staff, _snapshot = city
    client.force_login(staff)
    book = workbook(client.post(reverse("reports:yearly", args=[root.pk])))
    children = book["下级组织"]
    total = find(children, root.code)
    assert sum_formula(children, total[2]) == 9875  # children plus members held directly
    assert sum_formula(children, total[3]) == 1930
    assert total[10] == 0.195
    assert children.freeze_panes == "B4"
    assert "A1:M1" in {str(r) for r in children.merged_cells.ranges}
    totals = book["党员总数"]
    assert find(totals, "2024 年 12 月 31 日党员数")[1] == 9875 - 263
    assert find(totals, "发展入党")[1] == 263
    composition = book["基本构成"]
    for label in ("合计",):
        rows = [r for r in composition.iter_rows() if r[0].value == label]
        assert all(sum_formula(composition, r[1].value) == 9875 for r in rows)
        assert len(rows) == 7  # status, gender, ethnicity, age, education, occupation, periods
    women = next(r for r in composition.iter_rows() if r[0].value == "女性")
    assert women[2].number_format == "0.0%"


@pytest.mark.django_db
def test_the_year_change_balances_against_the_figures(tree):
    make_member(tree.b1, since=D(2015, 1, 1))
    mover = make_member(tree.b1, since=D(2015, 1, 1))
    leaver = make_member(tree.b2, since=D(2015, 1, 1))
    make_member(tree.b4, since=D(2026, 2, 1))
    member_move(member=mover, organization=tree.b2, on=D(2026, 3, 1))  # inside P1
    member_leave(member=leaver, status=Status.DECEASED, on=D(2026, 4, 1), reason="病故")
    as_of = D(2026, 6, 30)
    snapshot = compute(as_of)
    for org, start, arrivals, departures in [
        (tree.w, 3, {"registered": 1}, {"deceased": 1}),
        (tree.p1, 3, {}, {"deceased": 1}),
        (tree.b1, 2, {}, {"moved": 1}),
        (tree.b2, 1, {"moved": 1}, {"deceased": 1}),
    ]:
        change = year_change(org, as_of)
        assert (change.start, change.arrivals, change.departures) == (start, arrivals, departures)
        assert change.end == Figures.objects.get(snapshot=snapshot, organization=org,
                                                 subtree=True).members  # fmt: skip


@pytest.fixture
def branches(tree, cast):
    """B1: 4 members, 1 woman; B2: 2, both women; B3: 1 man; B4: 5, 2 women."""
    for org, women, men in ((tree.b1, 1, 3), (tree.b2, 2, 0), (tree.b3, 0, 1), (tree.b4, 2, 3)):
        for _ in range(women):
            make_member(org, gender=Gender.FEMALE)
        for _ in range(men):
            make_member(org)
    compute()
    return tree


def ratio_rows(response) -> list[tuple[str, str, str]]:
    """(name, members, share of women) of each line of the table body, then the total."""
    rows = re.findall(r"<tr>\s*<td><a [^>]*>([^<]+)</a>.*?</td>\s*<td[^>]*>(\d+)</td>\s*"
                      r"<td[^>]*>([^<]+)</td>", response.content.decode(), flags=re.S)  # fmt: skip
    return [(n, m, s) for n, m, s in rows]


@pytest.mark.django_db
def test_ratio_report_sorts_on_the_server_pages_and_ends_with_the_parent(
    client, cast, branches, monkeypatch, django_assert_max_num_queries
):
    client.force_login(cast.wendy)
    url = reverse("reports:ratios_of", args=[branches.w.pk])
    response = client.get(url, {"level": "branches", "sort": "-women"})
    assert [r[0] for r in ratio_rows(response)] == ["第二党支部", "第四党支部", "第一党支部",
                                                     "第三党支部"]  # fmt: skip
    assert [r[2] for r in ratio_rows(response)] == ["100.0", "40.0", "25.0", "0.0"]
    total = text(response).split("(合计)")[1].split()
    assert total[:2] == ["12", "41.7"]  # 5 women of 12
    ascending = client.get(url, {"level": "branches", "sort": "women"})
    assert next(r[0] for r in ratio_rows(ascending)) == "第三党支部"
    children = client.get(url)
    assert [r[0] for r in ratio_rows(children)] == ["第一党委", "第二党委"]

    monkeypatch.setattr(dashboards, "PAGE_SIZE", 2)
    with django_assert_max_num_queries(16):  # + appraisal years, breadcrumbs, whole tree (2)
        first = client.get(url, {"level": "branches", "sort": "-women"})
    second = client.get(url, {"level": "branches", "sort": "-women", "page": 2})
    assert [r[0] for r in ratio_rows(first)] == ["第二党支部", "第四党支部"]
    assert [r[0] for r in ratio_rows(second)] == ["第一党支部", "第三党支部"]
    assert "(合计)" in text(second)


@pytest.mark.django_db
def test_drilling_down_from_the_city_to_a_branch(client, cast, branches):
    client.force_login(cast.wendy)
    city = client.get(reverse("reports:ratios_of", args=[branches.w.pk])).content.decode()
    p1 = reverse("reports:ratios_of", args=[branches.p1.pk])
    assert f'href="{p1}?' in city
    committee = client.get(p1).content.decode()
    g1 = reverse("reports:ratios_of", args=[branches.g1.pk])
    b3 = reverse("reports:dashboard_of", args=[branches.b3.pk])
    assert f'href="{g1}?' in committee and f'href="{b3}?' in committee
    assert "第一党委 (合计)" in text(client.get(p1))


@pytest.mark.django_db
def test_secretary_sees_her_branch_only(client, cast, branches):
    client.force_login(cast.alice)
    own = client.get(reverse("reports:dashboard"))
    assert own.status_code == 200 and "第一党支部" in text(own)
    assert client.get(reverse("reports:dashboard_of", args=[branches.b2.pk])).status_code == 404
    assert client.post(reverse("reports:yearly", args=[branches.b2.pk])).status_code == 404
    ratios = client.get(reverse("reports:ratios_of", args=[branches.g1.pk]))
    assert ratios.status_code == 404


@pytest.mark.django_db
def test_recompute_answers_with_a_run_to_follow(client, cast, branches):
    client.force_login(cast.wendy)
    make_member(branches.b1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("reports:recompute", args=[branches.w.pk]),
            {"as_of": "2025-12-31"},
            headers={"accept": "application/json"},
        )
    status = client.get(response.json()["status_url"]).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["as_of"] == "2025-12-31"
    assert Snapshot.objects.filter(as_of=D(2025, 12, 31), is_current=True).exists()
    page = text(client.get(reverse("reports:dashboard"), {"as_of": "2025-12-31"}))
    assert "截至 2025-12-31 的数据" in page
    recompute = reverse("reports:recompute", args=[branches.w.pk])
    future = client.post(recompute, {"as_of": "2999-01-01"})
    assert future.status_code == 302 and not StatsRun.objects.filter(as_of=D(2999, 1, 1)).exists()
    client.force_login(cast.victor)  # a viewer sees, but does not start runs
    assert client.post(recompute).status_code == 403


@pytest.mark.django_db
def test_dashboard_says_when_the_data_changed_after_the_figures(client, cast, branches):
    from django.core.cache import cache

    cache.delete(CHANGED_KEY)
    client.force_login(cast.wendy)
    assert "数据已有变动" not in text(client.get(reverse("reports:dashboard")))
    make_member(branches.b1)
    assert "数据已有变动" in text(client.get(reverse("reports:dashboard")))
    assert client.get(reverse("reports:dashboard"), {"as_of": "2025-02-30"}).status_code == 404
    none_yet = text(client.get(reverse("reports:dashboard"), {"as_of": "2020-01-01"}))
    assert "尚无截至 2020-01-01 的数据" in none_yet


@pytest.mark.django_db
def test_flagged_organizations_are_listed_from_the_dashboard(client, cast, branches):
    client.force_login(cast.wendy)
    url = reverse("reports:flagged", args=[branches.p1.pk, "flag_secretary_vacant"])
    page = text(client.get(url))
    for name in ("第一党委", "第一党总支", "第一党支部", "第三党支部"):
        assert name in page
    assert "第四党支部" not in page
    bogus = reverse("reports:flagged", args=[branches.p1.pk, "members"])
    assert client.get(bogus).status_code == 404


@pytest.mark.django_db
def test_a_large_workbook_is_written_by_a_job(client, cast, branches, settings):
    settings.YEARLY_INLINE_LIMIT = 3
    client.force_login(cast.wendy)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("reports:yearly", args=[branches.w.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert find(book["基本构成"], "党员")[1] == 12
    small = client.post(reverse("reports:yearly", args=[branches.b1.pk]))
    assert small["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_an_organization_newer_than_the_figures_gets_an_empty_state(client, cast, branches):
    from organizations.models import Kind

    from .factories import make_org

    compute()
    newer = make_org("B77", Kind.BRANCH, branches.p1, name="新支部")
    client.force_login(cast.wendy)
    for url in (reverse("reports:dashboard_of", args=[newer.pk]),
                reverse("reports:ratios_of", args=[newer.pk])):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200 and 'data-testid="empty-state"' in (
            response.content.decode()
        )
    assert (
        "重新计算" in client.get(reverse("reports:dashboard_of", args=[newer.pk])).content.decode()
    )
    response = client.post(reverse("reports:yearly", args=[newer.pk]))
    assert response.status_code == 302
    client.force_login(cast.victor)
    page = client.get(reverse("reports:dashboard_of", args=[newer.pk])).content.decode()
    assert "下次计算" in page and 'data-testid="recompute"' not in page


@pytest.mark.django_db
def test_the_way_up_stops_at_the_top_of_the_scope(client, cast, branches):
    compute()
    client.force_login(cast.paul)
    assert (
        'data-testid="up"'
        not in client.get(reverse("reports:ratios_of", args=[branches.p1.pk])).content.decode()
    )  # the city above P1 is not Paul's
    page = client.get(reverse("reports:ratios_of", args=[branches.g1.pk])).content.decode()
    assert f'href="{reverse("reports:ratios_of", args=[branches.p1.pk])}' in page
