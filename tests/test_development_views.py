"""Development pages: scoping by role, steps through the form, the approval queue."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from development.models import Approval, Step, StepKind
from development.services import step_record
from members.choices import Status
from members.models import Member

from .factories import id_number, make_member

D = datetime.date
K = StepKind


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "own", "other"),
    [("alice", 200, 404), ("bob", 404, 200), ("paul", 200, 200), ("victor", 200, 200)],
)
def test_person_and_board_pages_are_scoped(client, cast, tree, applicants, user, own, other):
    client.force_login(getattr(cast, user))
    assert client.get(reverse("development:person", args=[applicants["b1"].pk])).status_code == own
    assert (
        client.get(reverse("development:person", args=[applicants["b2"].pk])).status_code == other
    )
    assert client.get(reverse("development:board", args=[tree.b1.pk])).status_code == own


@pytest.mark.django_db
def test_viewer_and_sibling_cannot_recordhappy_path(client, cast, applicants):
    url = reverse("development:step_new", args=[applicants["b1"].pk, K.APPLICANT_TALK])
    client.force_login(cast.victor)
    assert client.get(url).status_code == 403
    client.force_login(cast.bob)
    assert client.post(url, {"on": "2024-03-10"}).status_code == 404
    assert not Step.objects.filter(kind=K.APPLICANT_TALK).exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, tree, applicants):
    for url in [
        reverse("development:person", args=[applicants["b1"].pk]),
        reverse("development:board", args=[tree.b1.pk]),
        reverse("development:approvals"),
        reverse("reminders:list"),
        reverse("development:applicant_new"),
        reverse("development:calendar_days"),
    ]:
        assert client.get(url)["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_secretary_registers_an_applicant_and_under_eighteen_is_refused(client, cast, tree):
    client.force_login(cast.alice)
    data = {
        "organization": tree.b1.code, "name": "小张", "ethnicity": "01",
        "education": "undergraduate", "occupation": "organ_staff",
        "id_number": id_number(D(2008, 6, 1)), "application_on": "2026-05-31",
    }  # fmt: skip
    response = client.post(reverse("development:applicant_new"), data)
    assert "须年满 18 周岁" in response.content.decode()
    assert not Member.objects.filter(name="小张").exists()  # nothing half-saved
    data["application_on"] = "2026-06-01"
    response = client.post(reverse("development:applicant_new"), data)
    person = Member.objects.get(name="小张")
    assert response["Location"] == reverse("development:person", args=[person.pk])
    assert person.status == Status.APPLICANT
    assert person.development_steps.get().kind == K.APPLICATION


@pytest.mark.django_db
def test_steps_through_the_form_with_a_refusal(client, cast, applicants):
    client.force_login(cast.alice)
    person = applicants["b1"]
    url = reverse("development:step_new", args=[person.pk, K.ACTIVIST_SELECTED])
    response = client.post(url, {"on": "2024-02-01", "channel": "members"})
    assert "早于" in response.content.decode()  # before the application
    response = client.post(url, {"on": "2024-04-01", "channel": "members"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == Status.ACTIVIST
    page = client.get(reverse("development:person", args=[person.pk])).content.decode()
    assert "确定入党积极分子" in page and "党员推荐" in page


@pytest.mark.django_db
def test_meeting_form_records_the_vote_and_shows_its_result(client, cast, tree, applicants):
    from .procedure import happy_path

    person = applicants["b1"]
    introducers = [make_member(tree.b1) for _ in range(2)]
    for kind, on, details in happy_path(tree, introducers)[1:13]:
        step = step_record(member=person, kind=kind, on=on, **details)
        if step.approval == Approval.PENDING:
            from development.services import step_approve

            step_approve(step=step, by=cast.paul)
    client.force_login(cast.alice)
    url = reverse("development:step_new", args=[person.pk, K.ADMISSION_MEETING])
    counts = {"should_attend": 16, "excluded": 0, "present": 8, "yes": 8, "no": 0, "abstain": 0,
              "written_yes": 0, "written_no": 0}  # fmt: skip
    vote = {f"vote-{name}": value for name, value in counts.items()}
    assert client.post(url, {"on": "2025-07-01", **vote}).status_code == 302
    page = client.get(reverse("development:person", args=[person.pk])).content.decode()
    assert "未达到法定人数" in page
    talk = reverse("development:step_new", args=[person.pk, K.COMMITTEE_TALK])
    assert "未通过" in client.post(talk, {"on": "2025-07-15"}).content.decode()


@pytest.mark.django_db
def test_approval_queue_holds_only_the_committees_ownhappy_path(client, cast, tree, applicants):
    pending = Step.objects.create(
        member=applicants["b1"], kind=K.PRE_REVIEW, on=D(2025, 6, 10),
        approving_organization=tree.p1, approval=Approval.PENDING,
    )  # fmt: skip
    elsewhere_person = make_member(tree.b4, status=Status.TARGET)
    elsewhere = Step.objects.create(
        member=elsewhere_person, kind=K.PRE_REVIEW, on=D(2025, 6, 10),
        approving_organization=tree.p2, approval=Approval.PENDING,
    )  # fmt: skip
    client.force_login(cast.paul)
    page = client.get(reverse("development:approvals")).content.decode()
    assert applicants["b1"].name in page and elsewhere_person.name not in page
    decide = reverse("development:approval_decide", args=[elsewhere.pk])
    assert client.post(decide, {"approve": "1"}).status_code == 404
    client.post(reverse("development:approval_decide", args=[pending.pk]), {"reason": "材料不全"})
    pending.refresh_from_db()
    assert pending.approval == Approval.RETURNED and pending.return_reason == "材料不全"
    client.force_login(cast.alice)
    assert client.get(reverse("development:approvals")).status_code == 403


@pytest.mark.django_db
def test_reminders_list_an_overdue_talk(client, cast, applicants):
    client.force_login(cast.paul)
    page = client.get(reverse("reminders:list")).content.decode()
    assert applicants["b1"].name in page and "逾期" in page


@pytest.mark.django_db
def test_board_counts_people_by_stage(client, cast, tree, applicants):
    make_member(tree.b1, status=Status.PROBATIONARY)
    client.force_login(cast.paul)
    page = client.get(reverse("development:board", args=[tree.p1.pk])).content.decode()
    assert 'data-testid="count-applicant">2 人<' in page  # a badge says what it counts
    assert 'data-testid="count-probationary">1 人<' in page


@pytest.mark.django_db
def test_the_board_lists_a_stage_page_by_page_and_jumps_to_another_organization(
    client, cast, tree, monkeypatch
):
    from development import progress

    for i in range(12):
        make_member(tree.b1 if i % 2 else tree.b2, status=Status.ACTIVIST, name=f"积极分子{i:02d}")
    client.force_login(cast.paul)
    url = reverse("development:board", args=[tree.p1.pk])
    page = client.get(url).content.decode()
    assert len(re.findall(r"积极分子\d\d", page)) == 8  # the columns stay short
    assert "共 12 人，显示 8 人" in page
    monkeypatch.setattr(progress, "Paginator", lambda qs, n: __import__(
        "django.core.paginator").core.paginator.Paginator(qs, 5))  # fmt: skip
    stage = client.get(url, {"stage": "activist", "page": 3})
    assert [c.member.name for c in stage.context["cards"]] == ["积极分子10", "积极分子11"]
    assert stage.context["page"].paginator.count == 12
    # The organization picker moves to another board of the scope, keeping the stage.
    jump = client.get(url, {"organization": "B1", "stage": "activist"})
    assert jump["Location"] == reverse("development:board", args=[tree.b1.pk]) + "?stage=activist"
    assert client.get(url, {"organization": "B4"}).status_code == 200  # out of scope: stays
    b1 = client.get(jump["Location"])
    assert b1.context["page"].paginator.count == 6


@pytest.mark.django_db
def test_calendar_page_is_for_the_working_committee(client, cast):
    client.force_login(cast.paul)
    assert client.get(reverse("development:calendar_days")).status_code == 403
    client.force_login(cast.wendy)
    data = {"day": "2030-01-01", "is_workday": "", "note": "元旦"}
    assert client.post(reverse("development:calendar_days"), data).status_code == 302


@pytest.mark.django_db
def test_introducer_form_offers_the_branchs_full_members(client, cast, tree, applicants):
    colleague = make_member(tree.b1, name="同支部党员")
    make_member(tree.b2, name="别的支部党员")
    client.force_login(cast.alice)
    url = reverse("development:step_new", args=[applicants["b1"].pk, K.INTRODUCERS])
    page = client.get(url).content.decode()
    assert colleague.name in page and "别的支部党员" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("ticked", "outcome"), [(8, "未达到法定人数"), (9, "通过")])
def test_meeting_by_names_sixteen_should_attend(client, cast, tree, applicants, ticked, outcome):
    from development.services import step_approve

    from .procedure import happy_path

    person = applicants["b1"]
    introducers = [make_member(tree.b1) for _ in range(2)]
    for kind, on, details in happy_path(tree, introducers)[1:13]:
        step = step_record(member=person, kind=kind, on=on, **details)
        if step.approval == Approval.PENDING:
            step_approve(step=step, by=cast.paul)
    voters = introducers + [make_member(tree.b1) for _ in range(14)]  # 16 full members
    make_member(tree.b1, status=Status.PROBATIONARY)  # no vote: not offered, not counted
    client.force_login(cast.alice)
    url = reverse("development:step_new", args=[person.pk, K.ADMISSION_MEETING])
    form_page = client.get(url).content.decode()
    assert form_page.count('name="vote-attendees"') == 16
    data = {"on": "2025-07-01", "vote-yes": ticked, "vote-no": 0, "vote-abstain": 0,
            "vote-written_yes": 0, "vote-written_no": 0, "vote-excluded": 0,
            "vote-attendees": [v.pk for v in voters[:ticked]]}  # fmt: skip
    assert client.post(url, data).status_code == 302
    step = Step.objects.get(kind=K.ADMISSION_MEETING)
    assert (step.vote.should_attend, step.vote.present) == (16, ticked)
    page = client.get(reverse("development:person", args=[person.pk])).content.decode()
    assert outcome in page


@pytest.mark.django_db
def test_committee_board_counts_stages_per_child(client, cast, tree, applicants):
    from development.progress import stage_counts

    make_member(tree.b3, status=Status.ACTIVIST, joined_on=None)
    make_member(tree.b3, status=Status.PROBATIONARY)
    total, rows = stage_counts(tree.p1)
    # Columns: applicant, activist, development target, probationary.
    assert [(child.code, counts) for child, counts in rows] == [
        ("G1", [2, 0, 0, 0]),
        ("B3", [0, 1, 0, 1]),
    ]
    assert [total[s] for s in ("applicant", "activist", "target", "probationary")] == [2, 1, 0, 1]
    client.force_login(cast.paul)
    page = client.get(reverse("development:board", args=[tree.p1.pk])).content.decode()
    assert 'data-testid="by-child"' in page and "第三党支部" in page


@pytest.mark.django_db
def test_the_person_page_shows_all_25_steps_in_5_stages_and_where_the_person_stands(
    client, cast, tree, person, walk
):
    from development.models import StepKind as K

    walk(person, upto=K.ADMISSION_MEETING)  # a development target, reviewed and pre-reviewed
    client.force_login(cast.alice)
    response = client.get(reverse("development:person", args=[person.pk]))
    stages = response.context["timeline"]
    assert [len(s.steps) for s in stages] == [2, 4, 4, 7, 7]  # 1-2, 3-6, 7-11, 12-18, 19-25
    assert [s.current for s in stages] == [False, False, False, True, False]
    states = {step.kind: step.state for stage in stages for step in stage.steps}
    assert states[K.APPLICATION] == states[K.PRE_REVIEW] == "done"
    assert states[K.ADMISSION_MEETING] == "next" and states[K.OATH] == "ahead"
    assert states["probation_year"] == "ahead"
    page = response.content.decode()
    assert "4 · 预备党员的接收" in page and "当前阶段" in page
    assert "21 预备期一年" in page
    assert f'href="{reverse("development:step_new", args=[person.pk, K.ADMISSION_MEETING])}"' in (
        page
    )  # offered among the next steps
    # A reader who may not write sees the same timeline without links to record steps.
    client.force_login(cast.victor)
    page = client.get(reverse("development:person", args=[person.pk])).content.decode()
    assert "当前阶段" in page and "/steps/" not in page


@pytest.mark.django_db
def test_the_probation_year_runs_from_the_admission_meeting(client, cast, tree, person, walk):
    from development.models import StepKind as K

    walk(person, upto=K.CONVERSION_APPLICATION)
    client.force_login(cast.alice)
    stages = client.get(reverse("development:person", args=[person.pk])).context["timeline"]
    year = next(s for s in stages[4].steps if s.kind == "probation_year")
    assert (year.on, year.until) == (datetime.date(2025, 7, 1), datetime.date(2026, 7, 1))
    assert stages[4].current and not stages[3].current  # 18, not recorded, holds nothing back


@pytest.mark.django_db
def test_the_rules_page_groups_its_settings_and_the_calendar_says_what_it_covers(client, cast):
    from organizations.forms import POLICY_GROUPS, PolicyForm

    names = [n for _t, _s, group in POLICY_GROUPS for n in group]
    assert len(names) == len(set(names)) == len(PolicyForm().fields)  # each in one group
    client.force_login(cast.wendy)
    page = client.get(reverse("organizations:policy_edit")).content.decode()
    headings = ["组织设置", "发展党员时限", "预备期", "提醒", "民主评议党员"]
    positions = [page.index(f"<legend>{h}</legend>") for h in headings]
    assert positions == sorted(positions)
    assert "从申请入党到接收预备党员各步骤的时限" in page
    calendar = client.get(reverse("development:calendar_days")).content.decode()
    assert "覆盖 2004 至 2026 年" in calendar
    if datetime.date.today().year >= 2026:
        assert "2027 年的节假日和调休上班日尚未录入" in calendar
    client.post(reverse("development:calendar_days"),
                {"day": "2027-01-01", "is_workday": "", "note": "元旦"})  # fmt: skip
    calendar = client.get(reverse("development:calendar_days")).content.decode()
    assert "2027 年的节假日和调休上班日尚未录入" not in calendar
    assert "本页已录入： 2027." in calendar


@pytest.mark.django_db
def test_a_large_subtree_board_shows_the_years_admissions_from_todays_statistics(
    client, cast, tree, monkeypatch, django_capture_on_commit_callbacks
):
    """Above the live-count limit the board reads the year's admissions from the statistics
    of today or yesterday, says so, and they equal the live count; with no recent figures it
    counts live."""
    from development import views
    from reports.tasks import request_recompute

    from .test_development_figures import admit

    today = timezone.localdate()
    for i in range(5):
        admit(tree.b1 if i % 2 else tree.b4, i, woman=i < 2, young=i < 3, college=i < 4,
              on=today.replace(month=1, day=2))  # fmt: skip
    monkeypatch.setattr(views, "LIVE_COUNT_LIMIT", -1)  # admit() keeps no tallies
    client.force_login(cast.wendy)
    url = reverse("development:board", args=[tree.w.pk])
    live = client.get(url)
    assert live.context["counted_on"] is None  # no statistics yet: counted live
    with django_capture_on_commit_callbacks(execute=True):
        request_recompute()
    counted = client.get(url)
    assert counted.context["counted_on"] == today
    assert 'data-testid="from-statistics"' in counted.content.decode()
    assert counted.context["figures"] == live.context["figures"]
    assert (live.context["figures"].developed, live.context["figures"].women) == (5, 2)
