"""Every URL against every role: own and subtree objects answer, others 404, read-only 403."""

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse

from appraisals.models import Campaign, Entry, Sheet
from appraisals.services import campaign_open
from members.models import Member
from organizations.models import Organization
from reports.tasks import request_recompute

from .factories import make_member

ALL = {"wendy", "victor", "root"}
SUBTREE_P1 = {"b1", "b2", "g1", "p1", "b3"}
VISIBLE = {
    "wendy": None,  # None: everything
    "victor": None,
    "root": None,
    "paul": SUBTREE_P1,
    "alice": {"b1"},
    "bob": {"b2"},
    "nora": set(),
}
WRITERS = {"wendy", "root", "paul", "alice", "bob"}
TREE_MANAGERS = {"wendy", "root", "paul"}
SCOPE_ROOT = {"wendy": "w", "victor": "w", "paul": "p1", "alice": "b1", "bob": "b2"}


def sees(user: str, org_code: str) -> bool:
    visible = VISIBLE[user]
    return visible is None or org_code in visible


def expect_read(user, org):
    return 200 if sees(user, org) else 404


def expect_write(user, org):
    if not sees(user, org):
        return 404
    return 200 if user in WRITERS else 403


def expect_tree_change(user, org):
    if not sees(user, org):
        return 404
    return 200 if user in TREE_MANAGERS else 403


ACCOUNT_OF = {"b1": "alice", "b2": "bob", "w": "wendy"}


def expect_account(user, org):
    """Accounts are committee staff's business: others 403; staff see their subtree's."""
    if user not in TREE_MANAGERS:
        return 403
    return 200 if sees(user, org) else 404


def expect_dissolve(user, org):
    status = expect_tree_change(user, org)
    if status == 200 and SCOPE_ROOT.get(user) == org:
        return 403  # nobody dissolves the top of their own scope
    return status


# (url name, object kind, object code, method, expectation)
OBJECT_CASES = [
    ("organizations:organization_detail", "org", code, "get", expect_read)
    for code in ("b1", "b2", "g1", "p2")
] + [
    ("organizations:tree_children", "org", code, "get", expect_read) for code in ("g1", "p2")
] + [
    ("organizations:organization_edit", "org", code, "get", expect_tree_change)
    for code in ("b1", "g1", "p2")
] + [
    ("organizations:organization_dissolve", "org", code, "get", expect_dissolve)
    for code in ("b1", "p1", "p2")
] + [
    ("organizations:position_add", "org", code, "get", expect_write) for code in ("b1", "b2", "p2")
] + [
    (name, "member", code, "get", expect_read)
    for name in ("members:member_detail",)
    for code in ("b1", "b2", "b4")
] + [
    # viewers see masked numbers only (403 in their scope)
    ("members:member_id_reveal", "member", code, "post", expect_write) for code in ("b1", "b4")
] + [
    (name, "member", code, "get", expect_write)
    for name in (
        "members:member_edit", "members:member_status",
        "members:member_move", "members:member_leave",
    )
    for code in ("b1", "b2", "b4")
] + [
    (name, "sheet", code, "get", expect_read)
    for name in ("appraisals:sheet_edit", "appraisals:sheet_template")
    for code in ("b1", "b2", "b4")
] + [
    ("appraisals:disposition_new", "entry", code, "get", expect_write)
    for code in ("b1", "b2", "b4")
] + [
    ("appraisals:campaign_detail", "campaign", "w", "get",
     lambda user, code: 404 if user == "nora" else 200),
    ("appraisals:campaign_approve", "campaign", "w", "post",
     lambda user, code: 404 if user == "nora" else (302 if user in TREE_MANAGERS else 403)),
] + [
    (name, "org", code, "get", expect_read)
    for name in ("reports:dashboard_of", "reports:ratios_of")
    for code in ("b1", "b2", "g1", "p2")
] + [
    ("reports:yearly", "org", code, "post", expect_read)
    for code in ("b1", "b2", "g1", "p2")
] + [
    ("reports:flagged", "flag", code, "get", expect_read) for code in ("b1", "g1", "p2")
] + [
    (name, kind, code, "post", expect_read)  # exports of lists: every row in scope
    for name, kind in (("reports:flagged_export", "flag"), ("reports:ratios_export", "org"))
    for code in ("b1", "g1", "p2")
] + [
    ("appraisals:campaign_export", "campaign", "w", "post",
     lambda user, code: 404 if user == "nora" else 200),
    # everyone's own reminders (none for a user without a role)
    ("reminders:export", "none", "w", "post", lambda user, code: 200),
] + [
    ("accounts:account_detail", "account", code, "get", expect_account) for code in ACCOUNT_OF
] + [
    ("development:step_attachment", "attachment", code, "get", expect_read)
    for code in ("b1", "b2", "b4")
] + [
    (name, "org", code, "get", expect_read)
    for name in ("meetings:meeting_list", "meetings:matrix_of")
    for code in ("b1", "b2", "g1", "p2")
] + [
    (name, "org", code, "get", expect_read)
    for name in ("meetings:group_list", "meetings:attendance")
    for code in ("b1", "b2", "b4")
] + [
    ("meetings:meeting_new", "org", code, "get", expect_write) for code in ("b1", "b2", "b4")
] + [
    (name, kind, code, "get", expect_read)
    for name, kind in (("meetings:meeting_detail", "meeting"),
                       ("meetings:meeting_signin", "meeting"),
                       ("meetings:meeting_file", "meetingfile"))
    for code in ("b1", "b2", "b4")
] + [
    (name, kind, code, "post",
     lambda user, code: 302 if expect_write(user, code) == 200 else expect_write(user, code))
    for name, kind in (("meetings:group_change", "group"), ("meetings:meeting_file_add", "meeting"))
    for code in ("b1", "b2", "b4")
] + [
    (name, "org", code, "get", expect_read)
    for name in ("dues:collect", "dues:bases", "dues:publication")
    for code in ("b1", "b2", "b4")
] + [
    (name, "org", code, "get", expect_read)
    for name in ("dues:collection", "dues:arrears")
    for code in ("b1", "b2", "g1", "p2")
] + [
    (name, "org", code, "get", expect_write)
    for name in ("dues:bank_import", "dues:bases_import")
    for code in ("b1", "b2", "b4")
] + [
    (name, "member", code, "get", expect_read)
    for name in ("dues:member", "dues:statement")
    for code in ("b1", "b2", "b4")
] + [
    (name, "member", code, "get", expect_write)
    for name in ("dues:payment_new", "dues:basis_new", "dues:excuse_new", "dues:lapse_new",
                 "dues:opening")
    for code in ("b1", "b2", "b4")
] + [
    ("dues:receipt", "payment", code, "get", expect_read) for code in ("b1", "b2", "b4")
] + [
    ("dues:payment_cancel", "payment", code, "get", expect_write) for code in ("b1", "b2", "b4")
] + [
    # the superior decides; a secretary may not (403), out of scope 404
    ("dues:lapse_decide", "lapse", code, "post",
     lambda user, code: 404 if not sees(user, code) else (302 if user in TREE_MANAGERS else 403))
    for code in ("b1", "b2", "b4")
] + [
    (name, "org", code, "get", expect_read)
    for name in ("transfers:letters", "transfers:floating_list")
    for code in ("b1", "b2", "g1", "p2")
] + [
    ("transfers:member", "member", code, "get", expect_read) for code in ("b1", "b2", "b4")
] + [
    (name, "member", code, "get", expect_write)
    for name in ("transfers:letter_new", "transfers:floating_new")
    for code in ("b1", "b2", "b4")
] + [
    ("transfers:letter", kind, code, "get", expect_read)
    for kind in ("letter", "pending") for code in ("b1", "b2", "b4")
] + [
    (name, "letter", code, method, expect_write)
    for name, method in (("transfers:letter_print", "post"), ("transfers:letter_receive", "get"),
                         ("transfers:letter_withdraw", "get"))
    for code in ("b1", "b2", "b4")
] + [
    # a letter out of the system is not refused by anyone; nobody decides an issued letter
    (name, kind, code, "get", lambda user, code: 404 if not sees(user, code) else 403)
    for name, kind in (("transfers:letter_refuse", "letter"), ("transfers:letter_decide", "letter"))
    for code in ("b1", "b2", "b4")
] + [
    # the superior committee decides letters leaving its subtree: staff in scope
    ("transfers:letter_decide", "pending", code, "get",
     lambda user, code: 404 if not sees(user, code) else (200 if user in TREE_MANAGERS else 403))
    for code in ("b1", "b2", "b4")
] + [
    ("transfers:floating", "floating", code, "get", expect_read) for code in ("b1", "b2", "b4")
] + [
    ("transfers:floating_return", "floating", code, "get", expect_write)
    for code in ("b1", "b2", "b4")
] + [
    ("community:overview", "org", code, "get", expect_read) for code in ("b1", "b2", "g1", "p2")
] + [
    ("community:member", "member", code, "get", expect_read) for code in ("b1", "b2", "b4")
] + [
    (name, "member", code, "get", expect_write)
    for name in ("community:report_new", "community:evaluation_new")
    for code in ("b1", "b2", "b4")
] + [
    (name, "report", code, "get", expect_write)
    for name in ("community:activity_new", "community:report_end")
    for code in ("b1", "b2", "b4")
] + [
    ("elections:list", "org", code, "get", expect_read) for code in ("b1", "b2", "g1", "p2")
] + [
    ("elections:election_new", "org", code, "get", expect_write) for code in ("b1", "b2", "b4")
] + [
    ("elections:election", "election", code, "get", expect_read) for code in ("b1", "b2", "b4")
] + [
    # the superior approves: committee staff in scope; the branch itself may not (403)
    ("elections:election_decide", "election", code, "get",
     lambda user, code: 404 if not sees(user, code) else (200 if user in TREE_MANAGERS else 403))
    for code in ("b1", "b2", "b4")
] + [
    (name, "org", code, "get", expect_read)
    for name in ("training:classes", "training:hours")
    for code in ("b1", "b2", "g1", "p2")
] + [
    ("training:class_new", "org", code, "get", expect_write) for code in ("b1", "b2", "b4")
] + [
    ("training:training", "training", code, "get", expect_read) for code in ("b1", "b2", "b4")
] + [
    ("training:complete", "training", code, "get", expect_write) for code in ("b1", "b2", "b4")
] + [
    ("training:steps", "training", code, "post",
     lambda user, code: 302 if expect_write(user, code) == 200 else expect_write(user, code))
    for code in ("b1", "b2", "b4")
] + [
    ("secretary_reports:overview", "org", code, "get", expect_read)
    for code in ("b1", "b2", "g1", "p2")
] + [
    ("secretary_reports:report_edit", "org", code, "get", expect_write)
    for code in ("b1", "b2", "b4")
] + [
    (name, "secretary_report", code, "get", expect_read)
    for name in ("secretary_reports:report", "secretary_reports:attachment")
    for code in ("b1", "b2", "b4")
] + [
    # the superior rates a branch's report: committee staff above it; others who see it 403
    (name, "secretary_report", code, "get",
     lambda user, code: 404 if not sees(user, code) else (200 if user in TREE_MANAGERS else 403))
    for name in ("secretary_reports:evaluate", "secretary_reports:issue_new")
    for code in ("b1", "b2", "b4")
] + [
    ("secretary_reports:issue_done", "secretary_issue", code, "get", expect_write)
    for code in ("b1", "b2", "b4")
] + [
    ("assessment:schemes", "org", code, "get", expect_read) for code in ("b1", "b2", "g1", "p2")
] + [
    # committees keep schemes for their subordinates; a branch has none
    ("assessment:scheme_new", "org", code, "get",
     lambda user, code: 404 if not sees(user, code)
     else (403 if code.startswith("b") or user not in TREE_MANAGERS else 200))
    for code in ("b1", "p1", "p2")
] + [
    (name, "scheme", "w", method, expect)
    for name, method, expect in (
        ("assessment:scheme", "get", expect_read),
        ("assessment:export", "post", expect_read),
        ("assessment:scheme_fill", "post", lambda user, code: 404 if not sees(user, code)
         else (302 if user in TREE_MANAGERS else 403)),
    )
] + [
    ("assessment:sheet", "assessment_sheet", code, "get", expect_read) for code in ("p1", "p2")
] + [
    ("reports:recompute", "org", code, "post",
     lambda user, code: 302 if expect_tree_change(user, code) == 200
     else expect_tree_change(user, code))
    for code in ("b1", "p2")
]  # fmt: skip


def global_expectations(user: str) -> dict[str, int]:
    writes = 200 if user in WRITERS else 403
    return {
        "organizations:tree": 200,
        "organizations:organization_search": 200,
        "organizations:organization_lookup": 200,  # matches within the scope only
        "members:member_list": 200,
        "members:member_export": 405,  # exports start with POST
        "reminders:export": 405,
        "jobs:job_list": 200,
        "members:roster_template": 200,
        "members:member_create": writes,
        "members:roster_import": writes,
        "organizations:organization_create": 200 if user in TREE_MANAGERS else 403,
        "organizations:policy_edit": 200 if user in {"wendy", "root"} else 403,
        "appraisals:campaign_list": 200,
        "meetings:matrix": 404 if user == "nora" else 302,  # to the top of the scope
        "meetings:meeting_import": writes,
        "meetings:meeting_template": 200,
        "dues:bank_template": 200,
        "dues:bases_template": 200,
        "transfers:incoming_new": writes,
        "appraisals:campaign_new": 200 if user in TREE_MANAGERS else 403,
        "reports:dashboard": 404 if user == "nora" else 200,
        "reports:ratios": 404 if user == "nora" else 200,
        "accounts:account_list": 200 if user in TREE_MANAGERS else 403,
        "accounts:account_create": 200 if user in TREE_MANAGERS else 403,
        "accounts:password_change": 200,
        "accounts:audit_log": 200 if user in {"wendy", "root"} else 403,
    }


def _url(name, kind, code, tree, people):
    if kind == "none":
        return reverse(name)
    org = getattr(tree, code)
    if kind == "org":
        return reverse(name, args=[org.pk])
    if kind == "sheet":
        return reverse(name, args=[Sheet.objects.get(organization=org).pk])
    if kind == "entry":
        return reverse(name, args=[Entry.objects.get(sheet__organization=org).pk])
    if kind == "flag":
        return reverse(name, args=[org.pk, "flag_secretary_vacant"])
    if kind == "campaign":
        return reverse(name, args=[Campaign.objects.get(organization=org).pk])
    if kind == "attachment":
        return reverse(name, args=[_step_with_attachment(getattr(people, code)).pk])
    if kind in ("meeting", "meetingfile", "group"):
        from meetings.models import Meeting, MeetingFile, PartyGroup

        model = {"meeting": Meeting, "meetingfile": MeetingFile, "group": PartyGroup}[kind]
        path = "meeting__organization" if kind == "meetingfile" else "organization"
        return reverse(name, args=[model.objects.get(**{path: org}).pk])
    if kind in ("payment", "lapse"):
        from dues.models import Lapse, Payment

        model = {"payment": Payment, "lapse": Lapse}[kind]
        return reverse(name, args=[model.objects.get(organization=org).pk])
    if kind in ("scheme", "assessment_sheet"):
        from assessment.models import Scheme

        scheme = Scheme.objects.get(owner=tree.w)
        return reverse(name, args=[scheme.pk] if kind == "scheme" else [scheme.pk, org.pk])
    if kind in ("secretary_report", "secretary_issue"):
        from secretary_reports.models import Issue, Report

        if kind == "secretary_issue":
            return reverse(name, args=[Issue.objects.get(report__organization=org).pk])
        return reverse(name, args=[Report.objects.get(organization=org).pk])
    if kind == "training":
        from training.models import TrainingClass

        return reverse(name, args=[TrainingClass.objects.get(organizer=org).pk])
    if kind == "election":
        from elections.models import Election

        return reverse(name, args=[Election.objects.get(organization=org).pk])
    if kind == "report":
        from community.models import Report

        return reverse(name, args=[Report.objects.get(member__organization=org).pk])
    if kind in ("letter", "pending", "floating"):
        from transfers.models import Floating, Letter

        if kind == "floating":
            return reverse(name, args=[Floating.objects.get(member__organization=org).pk])
        state = "issued" if kind == "letter" else "awaiting_approval"
        return reverse(name, args=[Letter.objects.get(sender=org, state=state).pk])
    if kind == "account":
        from django.contrib.auth import get_user_model

        return reverse(name, args=[get_user_model().objects.get(username=ACCOUNT_OF[code]).pk])
    return reverse(name, args=[getattr(people, code).pk])


def _step_with_attachment(member):
    """A recorded step of the member's with a file (made directly: the rules are not tested
    here)."""
    from django.core.files.base import ContentFile

    from development.models import Step

    step = Step.objects.filter(member=member).first()
    if step is None:
        step = Step(member=member, kind="application", on=datetime.date(2024, 3, 1),
                    attachment_name="会议记录.pdf")  # fmt: skip
        step.attachment.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"), save=True)
    return step


@pytest.fixture
def campaign(tree, people):
    """A city-wide appraisal: a sheet with one entry for each branch; then the statistics."""
    campaign = campaign_open(
        organization=tree.w, year=2025, title="民主评议", starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 2, 1), deadline=datetime.date(2026, 3, 1),
    )  # fmt: skip
    with TestCase.captureOnCommitCallbacks(execute=True):
        request_recompute()
    _meetings(tree)
    _dues(people)
    _transfers(tree, people)
    _elections(tree)
    return campaign


def _elections(tree):
    """Each branch: an election held at its theme day's meeting, waiting for approval, a study
    class it organizes, its secretary's report with a file and an issue; the city's
    assessment scheme (made directly: the rules are not tested here)."""
    from django.core.files.base import ContentFile

    from assessment.models import Scheme
    from elections.models import Election
    from meetings.models import Meeting
    from secretary_reports.models import Issue, Report
    from training.models import TrainingClass

    for code in ("b1", "b2", "b3", "b4"):
        org = getattr(tree, code)
        Election.objects.create(organization=org, meeting=Meeting.objects.get(organization=org),
                                committee_seats=0, state="submitted")  # fmt: skip
        day = datetime.date(2026, 3, 2)
        TrainingClass.objects.create(organizer=org, kind="study", title="党员集中学习",
                                     starts_on=day, ends_on=day, days=1, hours=8)  # fmt: skip
        report = Report(organization=org, year=2026, text="述职", submitted_on=day,
                        attachment_name="述职.pdf")  # fmt: skip
        report.attachment.save("report.pdf", ContentFile(b"%PDF-1.4 report"), save=True)
        Issue.objects.create(report=report, description="整改", deadline=day)
    scheme = Scheme.objects.create(owner=tree.w, year=2026, title="目标考核")
    scheme.items.create(section="组织建设", title="班子建设", max_points=50)


def _transfers(tree, people):
    """Each branch: its member's letter out of the system, approved and on its way, away
    (floating) and reported to a community; a second member's letter waiting for the
    superior's approval."""
    from community import services as community
    from transfers import services as transfers

    on = datetime.date(2026, 3, 2)
    for code in ("b1", "b2", "b3", "b4"):
        letter = transfers.letter_issue(member=getattr(people, code), issued_on=on,
                                        receiver_name="外省某党委", handler="王")  # fmt: skip
        transfers.letter_approve(letter=letter)
        transfers.letter_issue(member=make_member(getattr(tree, code)), issued_on=on,
                               receiver_name="外省某党委", handler="王")  # fmt: skip
        transfers.floating_start(member=getattr(people, code), since=on, whereabouts="深圳")
        community.report_start(member=getattr(people, code), community="东城社区", reported_on=on)


def _dues(people):
    """Each branch's member: a basis from seven months ago, the oldest month paid, six
    unpaid since, and the branch's decision waiting for the superior."""
    from decimal import Decimal

    from django.utils import timezone

    from dues import services as dues
    from dues.owing import add_months, month_of

    today = timezone.localdate()
    for code in ("b1", "b2", "b3", "b4"):
        member = getattr(people, code)
        dues.basis_set(member=member, starts=add_months(month_of(today), -7),
                       category="employed", base=Decimal("4000.00"))  # fmt: skip
        dues.payment_record(member=member, first_month=add_months(month_of(today), -7),
                            paid_on=today)  # fmt: skip
        dues.lapse_record(member=member, decided_on=today)


def _meetings(tree):
    """A theme party day with a file and a party group in each branch."""
    from django.core.files.base import ContentFile

    from meetings import services as meetings
    from meetings.models import Meeting, MeetingFile

    for code in ("b1", "b2", "b3", "b4"):
        org = getattr(tree, code)
        meeting = meetings.meeting_create(
            meeting=Meeting(
                organization=org, kind="theme_day", on=datetime.date(2026, 3, 1), topic="主题党日"
            )
        )
        item = MeetingFile(meeting=meeting, name="签到表.jpg")
        item.file.save("signin.jpg", ContentFile(b"\xff\xd8 photo"), save=True)
        meetings.group_create(
            organization=org, name="第一党小组", started_on=datetime.date(2026, 1, 1)
        )


@pytest.mark.django_db
@pytest.mark.parametrize("user", sorted(VISIBLE))
def test_every_view_answers_by_role(client, cast, tree, people, campaign, user):
    client.force_login(getattr(cast, user))
    mismatches = []
    for name, kind, code, method, expect in OBJECT_CASES:
        url = _url(name, kind, code, tree, people)
        status = getattr(client, method)(url).status_code
        if status != expect(user, code):
            mismatches.append(
                f"{method.upper()} {name}({code}): {status}, expected {expect(user, code)}"
            )
    for name, expected in global_expectations(user).items():
        status = client.get(reverse(name)).status_code
        if status != expected:
            mismatches.append(f"GET {name}: {status}, expected {expected}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_everywhere(client, cast, tree, people, campaign):
    urls = [_url(n, k, c, tree, people) for n, k, c, _m, _e in OBJECT_CASES]
    urls += [reverse(name) for name in global_expectations("nora")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
def test_secretary_list_and_export_hold_only_own_branch(client, cast, people):
    client.force_login(cast.alice)
    page = client.get(reverse("members:member_list")).content.decode()
    assert people.b1.name in page
    assert people.b2.name not in page and people.b4.name not in page
    tree_page = client.get(reverse("organizations:tree")).content.decode()
    assert "第二党支部" not in tree_page


@pytest.mark.django_db
def test_secretary_cannot_write_sibling_member_by_post(client, cast, people):
    client.force_login(cast.alice)
    url = reverse("members:member_leave", args=[people.b2.pk])
    response = client.post(url, {"status": "deceased", "on": "2024-01-01", "reason": "x"})
    assert response.status_code == 404
    assert Member.objects.get(pk=people.b2.pk).left_on is None


@pytest.mark.django_db
def test_viewer_cannot_change_anything_by_post(client, cast, tree, people):
    client.force_login(cast.victor)
    posts = [
        (reverse("members:member_edit", args=[people.b1.pk]), {"name": "改名"}),
        (reverse("organizations:organization_edit", args=[tree.b1.pk]), {"name": "改名"}),
        (reverse("members:member_create"), {"name": "新人"}),
        (reverse("organizations:organization_create"), {"name": "新组织"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert Member.objects.get(pk=people.b1.pk).name == people.b1.name
    assert Organization.objects.get(pk=tree.b1.pk).name == tree.b1.name


@pytest.mark.django_db
def test_job_of_another_user_is_not_found(client, cast):
    from partybuild.models import Job

    job = Job.objects.create(kind="roster_export", user=cast.wendy)
    client.force_login(cast.paul)
    for name in ("jobs:job_detail", "jobs:job_status", "jobs:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_admin_is_for_superusers_only(client, cast):
    cast.wendy.is_staff = True
    cast.wendy.save(update_fields=["is_staff"])
    client.force_login(cast.wendy)
    assert client.get("/admin/").status_code == 302
    client.force_login(cast.root)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_staff_cannot_create_or_lift_an_organization_out_of_their_scope(client, cast, tree):
    client.force_login(cast.paul)
    new_root = {"name": "自建工委", "code": "X1", "kind": "working_committee", "parent": ""}
    response = client.post(reverse("organizations:organization_create"), new_root)
    assert response.status_code == 200
    assert not Organization.objects.filter(code="X1").exists()

    lift = {"name": tree.g1.name, "code": "G1", "kind": "working_committee", "parent": ""}
    client.post(reverse("organizations:organization_edit", args=[tree.g1.pk]), lift)
    tree.g1.refresh_from_db()
    assert tree.g1.parent_id == tree.p1.pk and tree.g1.kind == "general_branch"

    elsewhere = {"name": "越权支部", "code": "X2", "kind": "branch", "parent": tree.p2.code}
    response = client.post(reverse("organizations:organization_create"), elsewhere)
    assert not Organization.objects.filter(code="X2").exists()


@pytest.mark.django_db
def test_superuser_may_create_a_new_top_organization(client, cast):
    client.force_login(cast.root)
    data = {"name": "第二工委", "code": "W2", "kind": "working_committee", "parent": ""}
    assert client.post(reverse("organizations:organization_create"), data).status_code == 302
    assert Organization.objects.get(code="W2").parent is None


@pytest.mark.django_db
def test_health_is_the_same_for_everyone_and_holds_no_data(client, cast, people):
    """/healthz is for a load balancer: no login, the same answer for every role, no names."""

    def answer() -> tuple:
        response = client.get(reverse("healthz"))
        body = response.json()
        assert people.b1.name not in response.content.decode()
        return response.status_code, body["status"], {k: c["ok"] for k, c in body["checks"].items()}

    anonymous = answer()
    for user in sorted(VISIBLE):
        client.force_login(getattr(cast, user))
        assert answer() == anonymous, user
