"""Appraisal pages: the grid, simultaneous saves, decisions, the Excel round trip, scoping."""

import contextlib
import datetime
import html
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from appraisals.figures import figures_for
from appraisals.models import Campaign, Entry, Grade, Sheet, SheetStatus
from appraisals.services import campaign_open
from partybuild.models import Job

from .factories import make_member

D = datetime.date


@pytest.fixture
def sheet(tree):
    for _ in range(3):
        make_member(tree.b1)
    make_member(tree.b2)
    campaign = campaign_open(
        organization=tree.w, year=2025, title="2025年度民主评议", starts_on=D(2026, 1, 5),
        ends_on=D(2026, 2, 1), deadline=D(2026, 3, 1),
    )  # fmt: skip
    return Sheet.objects.get(campaign=campaign, organization=tree.b1)


def grid_data(page: str, grades: dict[int, str] | None = None) -> dict:
    """The form as the browser would post it: every input of the page, grades changed."""
    data = {}
    for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', page):
        data[name] = html.unescape(value)
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        data[name] = chosen.group(1) if chosen else ""
    for name in re.findall(r'<input type="checkbox" name="([^"]+)"[^>]*checked', page):
        data[name] = "on"
    for pk, grade in (grades or {}).items():
        data[f"e{pk}-grade"] = grade
        data[f"e{pk}-self_assessment"] = data[f"e{pk}-mutual_evaluation"] = "on"
        if grade in (Grade.BASIC, Grade.UNQUALIFIED):
            data[f"e{pk}-remark"] = "有差距"
    for key in [k for k in data if k.endswith("-votes_excellent")]:
        prefix = key.rsplit("-", 1)[0]
        for field in ("votes_qualified", "votes_basic", "votes_unqualified"):
            data.setdefault(f"{prefix}-{field}", "0")
    return data


def entries(sheet) -> list[Entry]:
    return list(sheet.entries.order_by("member__name", "member_id"))


@pytest.mark.django_db
def test_secretary_saves_a_draft_and_submits_through_the_grid(client, cast, sheet):
    client.force_login(cast.alice)
    url = reverse("appraisals:sheet_edit", args=[sheet.pk])
    page = client.get(url).content.decode()
    rows = entries(sheet)
    data = grid_data(page, {rows[0].pk: Grade.EXCELLENT, rows[1].pk: Grade.QUALIFIED})
    assert client.post(url, {**data, "save": "1"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT and sheet.version == 1
    page = client.get(url).content.decode()
    response = client.post(url, {**grid_data(page), "submit": "1"}, follow=True)
    assert "逐一评定" in response.content.decode()  # one member still open: not submitted
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    page = client.get(url).content.decode()
    client.post(url, {**grid_data(page, {rows[2].pk: Grade.QUALIFIED}), "submit": "1"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED


@pytest.mark.django_db
def test_two_people_saving_the_same_sheet_do_not_overwrite_each_other(client, cast, sheet):
    url = reverse("appraisals:sheet_edit", args=[sheet.pk])
    rows = entries(sheet)
    client.force_login(cast.alice)
    alice_page = client.get(url).content.decode()
    client.force_login(cast.paul)
    paul_page = client.get(url).content.decode()
    client.post(url, {**grid_data(paul_page, {rows[0].pk: Grade.EXCELLENT}), "save": "1"})
    client.force_login(cast.alice)
    response = client.post(url, {**grid_data(alice_page, {rows[0].pk: Grade.BASIC}), "save": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="conflict"' in page
    assert "优秀" in page.split('data-testid="conflict"')[1].split("</table>")[0]
    rows[0].refresh_from_db()
    assert rows[0].grade == Grade.EXCELLENT  # Paul's save stands
    assert '<option value="basic" selected>' in page  # Alice's value is kept in the grid
    again = client.post(url, {**grid_data(page), "save": "1"})  # she saves again, knowingly
    assert again.status_code == 302
    rows[0].refresh_from_db()
    assert rows[0].grade == Grade.BASIC


@pytest.mark.django_db
def test_only_the_superior_decides_and_a_return_needs_a_reason(client, cast, sheet):
    sheet.status = SheetStatus.SUBMITTED
    sheet.save()
    decide = reverse("appraisals:sheet_decide", args=[sheet.pk])
    client.force_login(cast.alice)
    assert client.post(decide, {"approve": "1"}).status_code == 403
    client.force_login(cast.bob)
    assert client.post(decide, {"approve": "1"}).status_code == 404
    client.force_login(cast.victor)
    assert client.post(decide, {"approve": "1"}).status_code == 403
    client.force_login(cast.paul)
    client.post(decide, {"return": "1", "reason": ""})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    client.post(decide, {"return": "1", "reason": "请补充评语"})
    sheet.refresh_from_db()
    assert (sheet.status, sheet.return_reason) == (SheetStatus.RETURNED, "请补充评语")


@pytest.mark.django_db
def test_sibling_and_viewer_cannot_change_the_sheet(client, cast, sheet):
    url = reverse("appraisals:sheet_edit", args=[sheet.pk])
    client.force_login(cast.alice)
    data = {**grid_data(client.get(url).content.decode()), "save": "1"}
    client.force_login(cast.bob)
    assert client.post(url, data).status_code == 404
    client.force_login(cast.victor)
    assert client.post(url, data).status_code == 403
    sheet.refresh_from_db()
    assert sheet.version == 0


@pytest.mark.django_db
def test_excel_sheet_round_trip_all_or_nothing(client, cast, sheet):
    client.force_login(cast.alice)
    response = client.get(reverse("appraisals:sheet_template", args=[sheet.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = workbook.active
    header = [c.value for c in ws[1]]
    grade_col = header.index("评定等次") + 1
    remark_col = header.index("评语") + 1
    assert ws.max_row == 4  # three members
    ws.cell(2, grade_col, "优秀")
    ws.cell(3, grade_col, "基本合格")  # no remark: refused at submission, fine in a draft
    ws.cell(4, grade_col, "很好")  # not a grade
    url = reverse("appraisals:sheet_import", args=[sheet.pk])

    def upload():
        stream = io.BytesIO()
        workbook.save(stream)
        stream.seek(0)
        stream.name = "sheet.xlsx"
        return client.post(url, {"file": stream})

    response = upload()
    assert response.status_code == 400 and "第 4 行" in response.content.decode()
    assert not Entry.objects.filter(sheet=sheet).exclude(grade="").exists()  # nothing saved
    ws.cell(4, grade_col, "合格")
    ws.cell(3, remark_col, "学习不够")
    assert upload().status_code == 302
    grades = [e.grade for e in entries(sheet)]
    assert grades == [Grade.EXCELLENT, Grade.BASIC, Grade.QUALIFIED]


@pytest.mark.django_db
def test_campaign_page_figures_follow_approval_and_staff_see_their_subtree(client, cast, sheet):
    rows = entries(sheet)
    for entry in rows:
        entry.grade = Grade.QUALIFIED
        entry.save()
    sheet.status = SheetStatus.SUBMITTED
    sheet.save()
    url = reverse("appraisals:campaign_detail", args=[sheet.campaign_id])
    client.force_login(cast.paul)
    page = client.get(url).content.decode()
    assert 'data-testid="fig-took-part">0<' in page
    client.post(reverse("appraisals:sheet_decide", args=[sheet.pk]), {"approve": "1"})
    from partybuild.models import Action, AuditEvent

    decision = AuditEvent.objects.get(action=Action.APPROVAL)  # approvals are audited
    assert (decision.user, decision.detail["decision"]) == (cast.paul, "approved")
    page = client.get(url).content.decode()
    assert 'data-testid="fig-took-part">3<' in page
    assert 'data-testid="fig-participation">100.00%<' in page
    assert "第一党委" in page  # Paul's figures are of his own subtree
    member_page = client.get(reverse("members:member_detail", args=[rows[0].member_id]))
    assert 'data-testid="grades"' in member_page.content.decode()


@pytest.mark.django_db
def test_staff_open_a_campaign_over_their_subtree_only(client, cast, tree):
    make_member(tree.b1)
    make_member(tree.b4)
    data = {"organization": tree.p2.code, "year": 2025, "title": "评议", "starts_on": "2026-01-05",
            "ends_on": "2026-02-01", "deadline": "2026-03-01", "cap_applies": "on",
            "cap_numerator": 1, "cap_denominator": 3}  # fmt: skip
    client.force_login(cast.paul)
    response = client.post(reverse("appraisals:campaign_new"), data)
    assert response.status_code == 200 and not Sheet.objects.exists()
    data["organization"] = tree.p1.code
    assert client.post(reverse("appraisals:campaign_new"), data).status_code == 302
    assert list(Sheet.objects.values_list("organization__code", flat=True)) == [tree.b1.code]


@pytest.mark.django_db
def test_every_change_of_a_cell_is_in_the_sheet_history(client, cast, sheet):
    client.force_login(cast.alice)
    url = reverse("appraisals:sheet_edit", args=[sheet.pk])
    first = entries(sheet)[0]
    client.post(url, {**grid_data(client.get(url).content.decode(), {first.pk: Grade.EXCELLENT}),
                      "save": "1"})  # fmt: skip
    client.post(url, {**grid_data(client.get(url).content.decode(), {first.pk: Grade.QUALIFIED}),
                      "save": "1"})  # fmt: skip
    history = client.get(url).content.decode().split('data-testid="history"')[1]
    assert "— → 优秀" in history and "优秀 → 合格" in history and "alice" in history


@pytest.mark.django_db
def test_disposition_recorded_by_the_branch_and_approved_by_the_superior(client, cast, sheet):
    rows = entries(sheet)
    for entry in rows:
        entry.grade = Grade.QUALIFIED
        entry.save()
    rows[0].grade, rows[0].remark = Grade.UNQUALIFIED, "长期不参加组织生活"
    rows[0].save()
    sheet.status = SheetStatus.APPROVED
    sheet.save()
    client.force_login(cast.alice)
    new = reverse("appraisals:disposition_new", args=[rows[0].pk])
    assert "延长预备期" not in client.get(new).content.decode()  # a full member
    response = client.post(new, {"kind": "remove", "decided_on": "2026-03-01"})
    assert response.status_code == 302
    disposition = rows[0].dispositions.get()
    decide = reverse("appraisals:disposition_decide", args=[disposition.pk])
    assert client.post(decide, {"approve": "1"}).status_code == 403
    client.force_login(cast.paul)
    client.post(decide, {"approve": "1"})
    rows[0].member.refresh_from_db()
    assert rows[0].member.status == "removed"
    page = client.get(reverse("appraisals:sheet_edit", args=[sheet.pk])).content.decode()
    assert "已执行" in page


def approve_with_grades(campaign, org, grades: list[str]) -> Sheet:
    sheet = Sheet.objects.get(campaign=campaign, organization=org)
    for entry, grade in zip(entries(sheet), grades, strict=True):
        entry.grade = grade
        entry.save()
    sheet.status = SheetStatus.APPROVED
    sheet.save()
    return sheet


def child_row(page: str, code: str) -> str:
    return re.search(rf'<tr data-testid="child-{code}">(.*?)</tr>', page, re.S).group(1)


def cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\s", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


@pytest.mark.django_db
def test_city_campaign_lists_each_party_committee_with_its_subtree_figures(client, cast, tree):
    """A party committee holds no sheet itself; its line sums the sheets below it."""
    for org, n in ((tree.b1, 3), (tree.b2, 2), (tree.b3, 1), (tree.b4, 4)):
        for _ in range(n):
            make_member(org)
    campaign = campaign_open(
        organization=tree.w, year=2025, title="全市评议", starts_on=D(2026, 1, 5),
        ends_on=D(2026, 2, 1), deadline=D(2026, 3, 1),
    )  # fmt: skip
    E, Q, B = Grade.EXCELLENT, Grade.QUALIFIED, Grade.BASIC
    approve_with_grades(campaign, tree.b1, [E, Q, Q])
    approve_with_grades(campaign, tree.b2, [Q, B])
    approve_with_grades(campaign, tree.b4, [Q, Q, Q, Q])  # B3's sheet is still open
    url = reverse("appraisals:campaign_detail", args=[campaign.pk])
    client.force_login(cast.wendy)
    page = client.get(url).content.decode()
    p1, p2 = cells(child_row(page, "P1")), cells(child_row(page, "P2"))
    # name, sheets approved, should, took part, participation, then each grade (n and share)
    assert p1[:5] == ["第一党委", "2/3", "5", "5", "100.00%"]
    assert p1[5:] == ["1(20.00%)", "3(60.00%)", "1(20.00%)", "0(0.00%)"]
    assert p2[:5] == ["第二党委", "1/1", "4", "4", "100.00%"]
    assert f'href="?organization={tree.p1.pk}"' in child_row(page, "P1")
    # drilling down: the general branch drills further, the branch opens its sheet
    page = client.get(url, {"organization": tree.p1.pk}).content.decode()
    assert cells(child_row(page, "G1"))[:4] == ["第一党总支", "2/2", "5", "5"]
    b3_sheet = Sheet.objects.get(campaign=campaign, organization=tree.b3)
    assert reverse("appraisals:sheet_edit", args=[b3_sheet.pk]) in child_row(page, "B3")
    assert cells(child_row(page, "B3"))[1:4] == ["0/1", "0", "0"]
    assert f'<a href="?organization={tree.w.pk}" data-testid="up">' in page
    # The page's totals (its children's and its own sheets, summed) equal the subtree's
    # figures counted through the closure table, at every level.
    for org in (tree.w, tree.p1, tree.g1, tree.b1):
        shown = client.get(url, {"organization": org.pk}).context["figures"]
        assert shown == figures_for(campaign, org), org.code
    # Paul of P1 sees his own committee's children only, and no way up
    client.force_login(cast.paul)
    page = client.get(url).content.decode()
    assert 'data-testid="child-G1"' in page and 'data-testid="child-P2"' not in page
    assert 'data-testid="up"' not in page


@pytest.mark.django_db
def test_staff_approve_several_sheets_at_once_with_the_same_checks(client, cast, tree):
    for org in (tree.b1, tree.b2, tree.b4):
        make_member(org)
    campaign = campaign_open(
        organization=tree.w, year=2025, title="评议", starts_on=D(2026, 1, 5),
        ends_on=D(2026, 2, 1), deadline=D(2026, 3, 1),
    )  # fmt: skip
    submitted = []
    for org in (tree.b1, tree.b2, tree.b4):
        sheet = Sheet.objects.get(campaign=campaign, organization=org)
        sheet.status = SheetStatus.SUBMITTED
        sheet.save()
        submitted.append(sheet)
    b1, b2, b4 = submitted
    b2.status = SheetStatus.DRAFT  # a draft cannot be approved: refused with the reason
    b2.save()
    client.force_login(cast.paul)  # P1's staff: B4 is another committee's
    url = reverse("appraisals:campaign_detail", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="pick-B1"' in page and 'data-testid="overdue"' in page  # past 03-01
    response = client.post(reverse("appraisals:campaign_approve", args=[campaign.pk]),
                           {"sheet": [b1.pk, b2.pk, b4.pk]}, follow=True)  # fmt: skip
    statuses = dict(Sheet.objects.filter(campaign=campaign).values_list("organization__code",
                                                                          "status"))  # fmt: skip
    assert statuses == {"B1": "approved", "B2": "draft", "B4": "submitted"}
    text = response.content.decode()
    assert "第二党支部" in text and "第四党支部" not in text  # B4 is not even named to Paul
    for who in ("alice", "victor"):
        client.force_login(getattr(cast, who))
        post = client.post(reverse("appraisals:campaign_approve", args=[campaign.pk]),
                           {"sheet": [b4.pk]})  # fmt: skip
        assert post.status_code == 403
    assert Sheet.objects.get(pk=b4.pk).status == "submitted"


@pytest.mark.django_db
def test_a_city_wide_campaign_opens_as_a_job_whose_page_shows_progress_then_the_campaign(
    client, cast, tree, people, settings, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_INLINE_LIMIT = 3  # the city's subtree has 8 organizations
    data = {"organization": tree.w.code, "year": 2025, "title": "全市评议",
            "starts_on": "2026-01-05", "ends_on": "2026-02-01", "deadline": "2026-03-01",
            "cap_applies": "on", "cap_numerator": 1, "cap_denominator": 3}  # fmt: skip
    client.force_login(cast.wendy)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("appraisals:campaign_new"), data)
    job = Job.objects.get(kind="campaign_open")
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    campaign = Campaign.objects.get(title="全市评议")
    assert campaign.sheets.count() == 4 and campaign.opened_by == cast.wendy
    status = client.get(reverse("jobs:job_status", args=[job.pk])).json()
    next_url = reverse("appraisals:campaign_detail", args=[campaign.pk])
    assert (status["status"], status["progress"], status["next"]) == ("done", 100, next_url)
    page = client.get(response["Location"]).content.decode()
    assert "启动民主评议 · 市直机关工委" in page and f'href="{next_url}"' in page
    assert "启动民主评议" in client.get(reverse("jobs:job_list")).content.decode()

    # Refused by the service in the worker (the year is taken): the page says why.
    with (
        contextlib.suppress(ValidationError),  # raised again for Celery's own record
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("appraisals:campaign_new"), data | {"title": "重复"})
    failed = Job.objects.filter(kind="campaign_open").latest("pk")
    status = client.get(reverse("jobs:job_status", args=[failed.pk])).json()
    assert status["status"] == "failed" and "已在 2025 年度的评议中" in status["error"]
    assert Campaign.objects.count() == 1
