"""Floating members and reporting to residential communities: the rules of the records, the
figures hand-computed for a small tree on the dashboard, the ratio report and the workbook
read back, the reminder of a floating member without contact, the evaluation beside the
member on the appraisal grid."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from community import services as community
from members.choices import Occupation, Status
from members.services import member_leave
from reminders.models import Reminder
from reports.models import Figures
from transfers import services as transfers

from .factories import make_member
from .test_appraisals import open_campaign
from .test_statistics import compute

D = datetime.date
AS_OF = D(2026, 6, 30)


@pytest.fixture
def town(tree):
    """As of 30 June 2026 (hand-counted):
    B1: a, b, c in service and r retired. a reported; b reported, then moved house (ended
        1 May); c away since 10 January; a was away from January to March (back).
        Evaluations of 2026: a good, b average.
    B2: d in service, reported, away from 30 June (the day itself counts); e a student who
        reported (not in service).
    B4: f in service, not reported, away only from 1 July.
    """
    t = tree
    a, b, c = (make_member(t.b1, name=n) for n in "abc")
    r = make_member(t.b1, name="r", is_retired=True, occupation=Occupation.RETIRED)
    d = make_member(t.b2, name="d")
    e = make_member(t.b2, name="e", occupation=Occupation.STUDENT)
    f = make_member(t.b4, name="f")
    community.report_start(member=a, community="东城社区", reported_on=D(2026, 2, 1))
    moved = community.report_start(member=b, community="西城社区", reported_on=D(2026, 3, 1))
    community.report_end(report=moved, on=D(2026, 5, 1))
    community.report_start(member=r, community="东城社区", reported_on=D(2026, 1, 5))
    community.report_start(member=d, community="南苑社区", reported_on=D(2026, 1, 15))
    community.report_start(member=e, community="南苑社区", reported_on=D(2026, 1, 15))
    community.evaluation_set(member=a, year=2026, grade="good", remark="积极参加志愿服务")
    community.evaluation_set(member=b, year=2026, grade="average")
    transfers.floating_start(member=c, since=D(2026, 1, 10), whereabouts="深圳")
    trip = transfers.floating_start(member=a, since=D(2026, 1, 1), whereabouts="上海")
    transfers.floating_return(floating=trip, on=D(2026, 3, 1))
    transfers.floating_start(member=d, since=AS_OF, whereabouts="杭州")
    transfers.floating_start(member=f, since=D(2026, 7, 1), whereabouts="北京")
    return compute(AS_OF)


EXPECTED = {  # members, floating, in service, reported, good, average
    "b1": (4, 1, 3, 1, 1, 1), "b2": (2, 1, 1, 1, 0, 0), "g1": (6, 2, 4, 2, 1, 1),
    "p1": (6, 2, 4, 2, 1, 1), "b4": (1, 0, 1, 0, 0, 0), "w": (7, 2, 5, 2, 1, 1),
}  # fmt: skip


@pytest.mark.django_db
def test_floating_and_community_figures_add_up_the_tree(tree, town):
    for code, expected in EXPECTED.items():
        row = Figures.objects.get(snapshot=town, organization=getattr(tree, code), subtree=True)
        got = (row.members, row.floating, row.comm_in_service, row.comm_reported,
               row.comm_eval_good, row.comm_eval_average)  # fmt: skip
        assert got == expected, code


@pytest.mark.django_db
def test_the_dashboard_and_the_ratio_report_show_the_shares(client, cast, tree, town):
    client.force_login(cast.wendy)
    page = client.get(reverse("reports:dashboard_of", args=[tree.w.pk]), {"as_of": "2026-06-30"})
    rows = {r.label: (r.count, r.share) for r in page.context["community"]}
    assert rows["在职党员"] == (5, None)
    assert rows["已到社区报到"][0] == 2 and str(rows["已到社区报到"][1]) == "40.0"
    assert rows["已获社区评价"] == (2, None)
    assert str(rows["好"][1]) == "50.0" and str(rows["一般"][1]) == "50.0"
    situation = {r.label: (r.count, str(r.share)) for r in page.context["tables"]["situation"]}
    assert situation["流动党员"] == (2, "28.6")
    assert 'data-testid="community-card"' in page.content.decode()
    ratios = client.get(reverse("reports:ratios_of", args=[tree.w.pk]), {"as_of": "2026-06-30"})
    keys = [r.key for r in ratios.context["ratios"]]
    lines = {line["organization"].code: line["ratios"] for line in ratios.context["lines"]}
    assert str(lines["P1"][keys.index("community")]) == "50.0"
    assert lines["P2"][keys.index("community")] == 0
    assert str(ratios.context["total"]["ratios"][keys.index("community")]) == "40.0"


@pytest.mark.django_db
def test_the_workbook_reads_back_floating_and_community(client, cast, tree, town):
    client.force_login(cast.wendy)
    response = client.post(reverse("reports:yearly", args=[tree.w.pk]), {"as_of": "2026-06-30"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["流动党员与社区报到"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0]]
    values = {r[0]: r[1:] for r in rows}
    assert values["流动党员"][:2] == (2, pytest.approx(0.286))
    assert values["在职党员"][0] == 5
    assert values["已到社区报到"][:2] == (2, pytest.approx(0.4))
    assert values["第一党委"][:3] == (4, 2, pytest.approx(0.5))
    assert values["第二党委"][:3] == (1, 0, 0)
    children = [values[name] for name in ("第一党委", "第二党委", "直属党员")]
    assert sum(c[0] for c in children) == 5 and sum(c[1] for c in children) == 2
    total = values["合计"]
    assert total[0].startswith("=SUM(") and total[2] == pytest.approx(0.4)
    composition = {r[0]: r[1] for r in book["基本构成"].iter_rows(values_only=True) if r[0]}
    assert composition["流动党员"] == 2


@pytest.mark.django_db
def test_a_floating_member_without_contact_for_six_months_is_reminded(tree):
    member = make_member(tree.b1)
    away = transfers.floating_start(member=member, since=D(2026, 1, 10), whereabouts="深圳")
    row = Reminder.objects.get(source="transfers", kind="no_contact")
    assert (row.organization_id, row.due_on, row.remind_from) == (tree.b1.pk, D(2026, 7, 10),
                                                                  D(2026, 7, 10))  # fmt: skip
    transfers.floating_contact(floating=away, on=D(2026, 3, 31), note="电话联系")
    row = Reminder.objects.get(source="transfers", kind="no_contact")
    assert row.due_on == D(2026, 9, 30)  # six months from the last contact (31 Sep: 30 Sep)
    transfers.floating_return(floating=away, on=D(2026, 5, 1))
    assert not Reminder.objects.filter(source="transfers").exists()


@pytest.mark.django_db
def test_floating_and_community_records_refuse_what_cannot_be(tree):
    member = make_member(tree.b1)
    away = transfers.floating_start(member=member, since=D(2026, 1, 10), whereabouts="深圳")
    with pytest.raises(ValidationError):
        transfers.floating_start(member=member, since=D(2026, 2, 1), whereabouts="上海")
    with pytest.raises(ValidationError):
        transfers.floating_contact(floating=away, on=D(2026, 1, 9))
    with pytest.raises(ValidationError):
        transfers.floating_return(floating=away, on=D(2025, 12, 31))
    transfers.floating_return(floating=away, on=D(2026, 2, 1))
    with pytest.raises(ValidationError):  # away again before the last return
        transfers.floating_start(member=member, since=D(2026, 1, 20), whereabouts="上海")
    report = community.report_start(member=member, community="东城社区",
                                    reported_on=D(2026, 2, 1))  # fmt: skip
    with pytest.raises(ValidationError):
        community.report_start(member=member, community="西城社区", reported_on=D(2026, 3, 1))
    with pytest.raises(ValidationError):
        community.activity_add(report=report, on=D(2026, 1, 31), what="x", hours=2)
    community.evaluation_set(member=member, year=2026, grade="good")
    community.evaluation_set(member=member, year=2026, grade="poor")  # replaces
    assert member.community_evaluations.get(year=2026).grade == "poor"
    with pytest.raises(ValidationError):
        community.evaluation_set(member=member, year=datetime.date.today().year + 1, grade="good")
    gone = make_member(tree.b1)
    member_leave(member=gone, status=Status.DECEASED, on=D(2026, 1, 1), reason="病故")
    with pytest.raises(ValidationError):
        transfers.floating_start(member=gone, since=D(2026, 2, 1), whereabouts="x")
    with pytest.raises(ValidationError):
        community.report_start(member=gone, community="x", reported_on=D(2026, 2, 1))


@pytest.mark.django_db
def test_the_appraisal_grid_shows_the_communitys_evaluation(client, cast, tree, people):
    community.evaluation_set(member=people.b1, year=2025, grade="fairly_good", remark="热心")
    campaign = open_campaign(tree.w)
    sheet = campaign.sheets.get(organization=tree.b1)
    client.force_login(cast.alice)
    page = client.get(reverse("appraisals:sheet_edit", args=[sheet.pk])).content.decode()
    cell = page.split('data-testid="community-evaluation"')[1][:120]
    assert "较好" in cell and 'title="热心"' in page


@pytest.mark.django_db
def test_the_lists_of_a_subtree(client, cast, tree, town):
    client.force_login(cast.paul)
    page = client.get(reverse("transfers:floating_list", args=[tree.p1.pk])).content.decode()
    assert ">c<" in page and ">d<" in page and ">f<" not in page  # f: not in the subtree
    assert ">a<" not in page  # back already
    assert ">a<" in client.get(reverse("transfers:floating_list", args=[tree.p1.pk]),
                               {"all": "1"}).content.decode()  # fmt: skip
    overview = client.get(reverse("community:overview", args=[tree.g1.pk]), {"year": "2026"})
    assert (overview.context["total"], overview.context["reported"]) == (4, 2)
    missing = client.get(reverse("community:overview", args=[tree.g1.pk]), {"missing": "1"})
    assert sorted(m.name for m, *_rest in missing.context["rows"]) == ["b", "c"]
    client.force_login(cast.alice)
    assert client.get(reverse("community:overview", args=[tree.b2.pk])).status_code == 404
