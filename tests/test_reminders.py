"""Reminders: each time limit, shown from its lead day, overdue the day after it falls due."""

import datetime

import pytest
from django.urls import reverse

from development.models import DueKind, StepKind
from development.services import step_approve, step_record, step_return
from members.choices import Status
from members.services import member_leave
from organizations.models import Policy
from reminders import services as reminders
from reminders.models import Reminder

from .factories import make_member
from .procedure import passing_vote

D = datetime.date
K = StepKind


def shown(person, today: D) -> set[str]:
    due = reminders.due(Reminder.objects.filter(member=person), today)
    return set(due.values_list("kind", flat=True))


def counts(org, today: D) -> tuple[int, int]:
    return reminders.counts_by_organization([org], today).get(org.pk, (0, 0))


@pytest.mark.django_db
def test_talk_with_an_applicant_within_a_month(tree, person, walk):
    walk(person, upto=K.APPLICANT_TALK)  # application on 2024-03-01, due 2024-04-01
    assert shown(person, D(2024, 3, 1)) == set()
    assert shown(person, D(2024, 3, 2)) == {DueKind.APPLICANT_TALK}  # 30 days ahead
    assert counts(tree.b1, D(2024, 4, 1)) == (1, 0)
    assert counts(tree.b1, D(2024, 4, 2)) == (1, 1)  # overdue from the next day
    step_record(member=person, kind=K.APPLICANT_TALK, on=D(2024, 3, 15))
    assert shown(person, D(2024, 5, 1)) == set()


@pytest.mark.django_db
def test_half_yearly_review_of_an_activist(tree, person, walk):
    walk(person, upto=K.ACTIVIST_REVIEW)  # selected on 2024-04-01
    due = Reminder.objects.get(member=person, kind=DueKind.ACTIVIST_REVIEW)
    assert due.due_on == D(2024, 10, 1)
    step_record(member=person, kind=K.ACTIVIST_REVIEW, on=D(2024, 9, 20))
    assert Reminder.objects.get(member=person, kind=DueKind.ACTIVIST_REVIEW).due_on == D(
        2025, 3, 20
    )


@pytest.mark.django_db
def test_approval_waiting_longer_than_three_months(tree, person, walk, cast):
    walk(person, upto=K.ADMISSION_APPROVAL)  # member meeting on 2025-07-01
    step = step_record(
        member=person, kind=K.ADMISSION_APPROVAL, on=D(2025, 8, 1), approving_organization=tree.p1
    )
    due = Reminder.objects.get(member=person, kind=DueKind.APPROVAL)
    assert (due.due_on, due.subject_id) == (D(2025, 10, 1), step.pk)
    assert counts(tree.p1, D(2025, 10, 1)) == (1, 0)
    assert counts(tree.p1, D(2025, 10, 2)) == (1, 1)
    step_return(step=step, by=cast.paul, reason="材料不全")
    assert not Reminder.objects.filter(member=person, kind=DueKind.APPROVAL).exists()
    step = step_record(
        member=person, kind=K.ADMISSION_APPROVAL, on=D(2025, 8, 5), approving_organization=tree.p1
    )
    step_approve(step=step, by=cast.paul)
    assert not Reminder.objects.filter(member=person, kind=DueKind.APPROVAL).exists()


@pytest.mark.django_db
def test_oath_within_a_month_of_approval(person, walk):
    walk(person, upto=K.OATH)  # approved on 2025-08-01
    assert Reminder.objects.get(member=person, kind=DueKind.OATH).due_on == D(2025, 9, 1)
    step_record(member=person, kind=K.OATH, on=D(2025, 8, 10))
    assert not Reminder.objects.filter(member=person, kind=DueKind.OATH).exists()


@pytest.mark.django_db
def test_probation_ending_within_thirty_days(person, walk):
    walk(person, upto=K.CONVERSION_APPLICATION)  # probation from 2025-07-01 to 2026-07-01
    assert shown(person, D(2026, 5, 31)) == set()
    assert shown(person, D(2026, 6, 1)) == {DueKind.PROBATION_ENDS}
    step_record(member=person, kind=K.PROBATION_EXTENDED, on=D(2026, 6, 10), extension_months=6,
                vote=passing_vote())  # fmt: skip
    assert Reminder.objects.get(member=person, kind=DueKind.PROBATION_ENDS).due_on == D(2027, 1, 1)


@pytest.mark.django_db
def test_a_full_member_has_nothing_due(person, walk):
    walk(person)
    assert not Reminder.objects.filter(member=person).exists()


@pytest.mark.django_db
def test_people_who_left_are_not_counted(tree, person, walk):
    walk(person, upto=K.APPLICANT_TALK)
    member_leave(member=person, status=Status.TRANSFERRED_OUT, on=D(2024, 3, 20), reason="调离")
    assert counts(tree.b1, D(2024, 4, 2)) == (0, 0)


@pytest.mark.django_db
def test_the_rules_row_created_with_its_defaults_rebuilds_nothing(
    django_capture_on_commit_callbacks,
):
    Policy.objects.all().delete()
    with django_capture_on_commit_callbacks() as callbacks:
        Policy.current()  # a new database: the row is made with the defaults
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        Policy.objects.all().delete()
        Policy.objects.create(pk=1, reminder_lead_days=10)  # not the defaults
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_changed_rules_rebuild_everyones_reminders(
    person, walk, django_capture_on_commit_callbacks
):
    walk(person, upto=K.APPLICANT_TALK)
    policy = Policy.current()
    policy.reminder_lead_days, policy.applicant_talk_months = 10, 2
    with django_capture_on_commit_callbacks(execute=True):
        policy.save()
    due = Reminder.objects.get(member=person)
    assert (due.due_on, due.remind_from) == (D(2024, 5, 1), D(2024, 4, 21))


@pytest.mark.django_db
def test_a_committee_counts_its_whole_subtree(tree, walk):
    for branch in (tree.b1, tree.b1, tree.b2, tree.b3, tree.b4):
        applicant = make_member(branch, status=Status.APPLICANT, joined_on=None,
                                since=D(2024, 1, 1))  # fmt: skip
        step_record(member=applicant, kind=K.APPLICATION, on=D(2024, 3, 1))
    today = D(2024, 4, 2)
    assert counts(tree.b1, today) == (2, 2)
    assert counts(tree.g1, today) == (3, 3)
    assert counts(tree.p1, today) == (4, 4)
    assert counts(tree.w, today) == (5, 5)
    assert reminders.rebuild("development") == 5  # the same rows, worked out again


@pytest.mark.django_db
def test_tree_and_branch_pages_show_the_counts_in_scope(client, cast, tree, applicants):
    client.force_login(cast.paul)
    page = client.get(reverse("organizations:tree_children", args=[tree.p1.pk])).content.decode()
    assert 'data-testid="due-count"' in page
    client.force_login(cast.alice)
    page = client.get(reverse("organizations:organization_detail", args=[tree.b1.pk]))
    assert applicants["b1"].name in page.content.decode()
    assert applicants["b2"].name not in page.content.decode()
    url = reverse("reminders:list")
    assert client.get(url, {"organization": tree.b1.pk}).status_code == 200
    assert client.get(url, {"organization": tree.b2.pk}).status_code == 404
    assert client.get(url, {"organization": "x"}).status_code == 404
    listed = client.get(url).content.decode()
    assert applicants["b1"].name in listed and applicants["b2"].name not in listed


@pytest.mark.django_db
def test_the_counts_of_a_subtree_follow_a_branch_moved_elsewhere(tree, person, walk, monkeypatch):
    """The whole tree's sums are kept in the cache under the tree's version: moving a
    branch changes them at once, even where the reminders themselves are not written."""
    from organizations.services import organization_update

    walk(person, upto=K.APPLICANT_TALK)  # in B1 under G1 and P1, due 2024-04-01
    day = D(2024, 4, 2)
    state = reminders._state(day)
    monkeypatch.setattr(reminders, "_state", lambda today: state)  # the reminders as they are
    assert [counts(org, day) for org in (tree.p1, tree.p2, tree.w)] == [(1, 1), (0, 0), (1, 1)]
    tree.b1.parent = tree.p2
    organization_update(organization=tree.b1, fields=["parent"])
    assert [counts(org, day) for org in (tree.p1, tree.p2, tree.w)] == [(0, 0), (1, 1), (1, 1)]


@pytest.mark.django_db
def test_the_lists_count_kept_in_the_cache_follows_every_change(client, cast, tree, applicants):
    """The reminder list's length is kept in the cache (a whole city's count took 50 ms):
    after a reminder done, a new one, and for another user's scope, it is the true count."""
    from django.utils import timezone

    def listed(user) -> int:
        client.force_login(user)
        page = client.get(reverse("reminders:list")).context["page"]
        true = reminders.in_scope(user, timezone.localdate()).count()
        assert page.paginator.count == true
        return true

    before = listed(cast.wendy)
    step_record(member=applicants["b1"], kind=K.APPLICANT_TALK, on=D(2024, 3, 15))
    done = listed(cast.wendy)
    assert done < before
    newcomer = make_member(tree.b4, status=Status.APPLICANT, joined_on=None, since=D(2024, 1, 1))
    step_record(member=newcomer, kind=K.APPLICATION, on=D(2024, 3, 1))
    assert listed(cast.wendy) > done
    assert 0 < listed(cast.paul) < listed(cast.wendy)
