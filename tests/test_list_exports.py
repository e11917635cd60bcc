"""The ratio report, the flagged organizations, the reminders and a campaign's progress as
workbooks (issue 13 §4): started by POST only, every row of the list in its order (not just
the page), scoped to the user, audited and listed under 我的导出; read back and checked."""

import datetime
import io

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from appraisals.models import Sheet
from development.models import DueKind
from members.choices import Gender
from partybuild.models import Action, AuditEvent, Job
from reminders.models import Reminder
from reports.tasks import request_recompute

from .factories import make_member
from .test_appraisals import fill, open_campaign

D = datetime.date


def rows_of(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    assert response["Content-Disposition"].startswith("attachment")
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


@pytest.fixture
def figures(tree):
    make_member(tree.b1, gender=Gender.FEMALE)
    make_member(tree.b1)
    make_member(tree.b2, gender=Gender.FEMALE)
    make_member(tree.b4)
    with TestCase.captureOnCommitCallbacks(execute=True):
        request_recompute()


@pytest.mark.django_db
def test_the_ratio_report_exports_every_line_in_its_order_with_the_total(
    client, cast, tree, figures
):
    client.force_login(cast.wendy)
    url = reverse("reports:ratios_export", args=[tree.w.pk])
    assert client.get(url).status_code == 405  # a crawler's GET makes no job
    rows = rows_of(client.post(url, {"level": "branches", "sort": "-women"}))
    header = rows[0]
    assert header[:3] == ("代码", "所在组织", "党员") and header[3] == "女性 (%)"
    # B2: 1 of 1 women, B1: 1 of 2, B4: 0 of 1, B3 (no members, no share) last.
    assert [r[0] for r in rows[1:]] == ["B2", "B1", "B4", "B3", "W"]
    assert [r[3] for r in rows[1:]] == [100, 50, 0, None, 50]
    assert rows[-1][1] == "市直机关工委（合计）" and rows[-1][2] == 4
    job = Job.objects.get(kind="ratios_export", user=cast.wendy)
    assert job.params["title"] == "比例对比表" and job.result["rows"] == 5
    assert AuditEvent.objects.filter(action=Action.EXPORT, summary="比例对比表").exists()
    assert "比例对比表" in client.get(reverse("jobs:job_list")).content.decode()


@pytest.mark.django_db
def test_party_committee_staff_export_ratios_of_their_subtree_only(client, cast, tree, figures):
    client.force_login(cast.paul)
    rows = rows_of(client.post(reverse("reports:ratios_export", args=[tree.p1.pk]),
                               {"level": "branches"}))  # fmt: skip
    assert [r[0] for r in rows[1:]] == ["B1", "B2", "B3", "P1"]
    assert client.post(reverse("reports:ratios_export", args=[tree.w.pk])).status_code == 404


@pytest.mark.django_db
def test_the_flagged_organizations_export(client, cast, tree, figures):
    client.force_login(cast.paul)
    url = reverse("reports:flagged_export", args=[tree.p1.pk, "flag_secretary_vacant"])
    rows = rows_of(client.post(url))
    assert rows[0] == ("所在组织", "代码", "上级组织", "党员", "书记空缺")
    assert [r[1] for r in rows[1:]] == ["B1", "B2", "B3", "G1", "P1"]
    assert rows[1] == ("第一党支部", "B1", "第一党总支", 2, 1)


@pytest.mark.django_db
def test_the_reminders_export_holds_the_secretarys_own_branch(client, cast, tree):
    today = timezone.localdate()
    for org, name, due in ((tree.b1, "甲", -3), (tree.b1, "乙", 5), (tree.b2, "丙", 1)):
        member = make_member(org, name=name)
        Reminder.objects.create(
            source="development", member=member, kind=DueKind.OATH, organization=org,
            due_on=today + datetime.timedelta(days=due), remind_from=today - D.resolution * 30,
        )  # fmt: skip
    client.force_login(cast.alice)
    url = reverse("reminders:export")
    rows = rows_of(client.post(url, {"source": "development"}))
    assert rows[0] == ("姓名", "所在组织", "状态", "时限", "到期日", "逾期")
    assert [(r[0], r[1], r[5]) for r in rows[1:]] == [("甲", "第一党支部", "是"),
                                                      ("乙", "第一党支部", "否")]  # fmt: skip
    assert rows[1][4].date() == today - datetime.timedelta(days=3)
    client.force_login(cast.wendy)
    assert len(rows_of(client.post(url, {"source": "development"}))) == 4
    assert client.post(url, {"organization": tree.b2.pk}).status_code == 200
    client.force_login(cast.alice)
    assert client.post(url, {"organization": tree.b2.pk}).status_code == 404


@pytest.mark.django_db
def test_a_campaigns_progress_export_by_status_and_scope(client, cast, tree, people):
    campaign = open_campaign(tree.w)  # deadline passed: open sheets are overdue
    sheet = fill(Sheet.objects.get(campaign=campaign, organization=tree.b1), ["qualified"])
    from appraisals import services

    services.sheet_submit(sheet=sheet)
    url = reverse("appraisals:campaign_export", args=[campaign.pk])
    client.force_login(cast.paul)
    rows = rows_of(client.post(url))
    assert rows[0] == ("代码", "所在组织", "上级组织", "党员", "状态", "逾期", "保存时间")
    assert [(r[0], r[4], r[5]) for r in rows[1:]] == [
        ("B1", "已报送", "否"), ("B2", "未开始", "是"), ("B3", "未开始", "是")]  # fmt: skip
    submitted = rows_of(client.post(url, {"status": "submitted"}))
    assert [r[0] for r in submitted[1:]] == ["B1"]
    client.force_login(cast.wendy)
    assert [r[0] for r in rows_of(client.post(url))[1:]] == ["B1", "B2", "B3", "B4"]
