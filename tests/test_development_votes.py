"""Failed member-meeting votes (steps 15 and 23): kept in the record, held again, and the
time limits counted from the meeting that passed.

What the procedure does after a failure (domain.md is silent; this follows common practice):
- no quorum: nothing was decided; the branch holds the meeting again (an admission meeting
  still within its month after the pre-review, else the pre-review is done again);
- a quorate vote that fails rejects the candidate: for admission the person is a
  development target again, and the branch review, pre-review and application form (12-14)
  are done anew, dated after the failed vote, before another vote; for conversion the
  probation is extended (once) and the vote held again when it ends, or the probationary
  status is cancelled.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from development import progress
from development.history import History
from development.models import Step, StepKind, Vote
from development.services import step_approve, step_record
from members.choices import Status
from organizations.models import Policy
from reminders.models import Reminder

from .procedure import passing_vote

D = datetime.date
K = StepKind


def no_quorum() -> Vote:
    return Vote(should_attend=16, present=8, yes=8, no=0)


def rejected() -> Vote:
    return Vote(should_attend=16, present=12, yes=6, no=6)


def refused(message_part: str, **kwargs):
    with pytest.raises(ValidationError) as info:
        step_record(**kwargs)
    assert message_part in " ".join(info.value.messages), info.value.messages


def approve_admission(person, tree, cast, on):
    step = step_record(member=person, kind=K.ADMISSION_APPROVAL, on=on,
                       approving_organization=tree.p1)  # fmt: skip
    step_approve(step=step, by=cast.paul)


@pytest.mark.django_db
def test_admission_meeting_without_quorum_is_held_again_and_admits(tree, cast, person, walk):
    walk(person, upto=K.ADMISSION_MEETING)
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 1), vote=no_quorum())
    history = History.of(person)
    assert not history.has(K.ADMISSION_MEETING) and len(history.failed) == 1
    policy, today = Policy.current(), timezone.localdate()
    assert K.ADMISSION_MEETING in progress.possible_steps(history, set(), policy, today)
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 8), vote=passing_vote())
    step_record(member=person, kind=K.COMMITTEE_TALK, on=D(2025, 7, 15))
    approve_admission(person, tree, cast, D(2025, 8, 1))
    person.refresh_from_db()
    assert person.status == Status.PROBATIONARY
    assert person.joined_on == D(2025, 7, 8)  # the meeting that passed
    meetings = Step.objects.filter(member=person, kind=K.ADMISSION_MEETING).order_by("on")
    assert [m.on for m in meetings] == [D(2025, 7, 1), D(2025, 7, 8)]  # both kept


@pytest.mark.django_db
def test_the_approval_limit_counts_from_the_meeting_that_passed(tree, cast, person, walk):
    walk(person, upto=K.ADMISSION_MEETING)
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 1), vote=no_quorum())
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 8), vote=passing_vote())
    step_record(member=person, kind=K.COMMITTEE_TALK, on=D(2025, 7, 15))
    base = {"member": person, "kind": K.ADMISSION_APPROVAL, "approving_organization": tree.p1}
    refused("2025-10-08", on=D(2025, 10, 9), **base)
    pending = step_record(on=D(2025, 10, 8), **base)
    due = Reminder.objects.get(member=person, subject_id=pending.pk, source="development")
    assert due.due_on == D(2025, 10, 8)  # three months after 8 July, not 1 July


@pytest.mark.django_db
def test_a_lapsed_pre_review_is_done_again_before_the_meeting(tree, cast, person, walk):
    walk(person, upto=K.ADMISSION_MEETING)  # pre-review on 2025-06-10: meeting by 07-10
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 1), vote=no_quorum())
    refused("2025-07-10", member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 20),
            vote=passing_vote())  # fmt: skip
    pre_review = {"member": person, "kind": K.PRE_REVIEW, "approving_organization": tree.p1}
    refused("已记录", on=D(2025, 7, 10), **pre_review)  # still running that day
    step_approve(step=step_record(on=D(2025, 7, 14), **pre_review), by=cast.paul)
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 20), vote=passing_vote())
    assert History.of(person).last(K.ADMISSION_MEETING).on == D(2025, 7, 20)


@pytest.mark.django_db
def test_a_rejected_candidate_goes_through_review_and_pre_review_again(tree, cast, person, walk):
    walk(person, upto=K.ADMISSION_MEETING)
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 1), vote=rejected())
    person.refresh_from_db()
    assert person.status == Status.TARGET
    refused("重新完成", member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 5),
            vote=passing_vote())  # fmt: skip
    history = History.of(person)
    offered = progress.possible_steps(history, set(), Policy.current(), timezone.localdate())
    assert K.BRANCH_REVIEW in offered and K.ADMISSION_MEETING not in offered
    refused("2025-07-01", member=person, kind=K.BRANCH_REVIEW, on=D(2025, 6, 20))
    step_record(member=person, kind=K.BRANCH_REVIEW, on=D(2025, 9, 1))
    pre = step_record(member=person, kind=K.PRE_REVIEW, on=D(2025, 9, 10),
                      approving_organization=tree.p1)  # fmt: skip
    step_approve(step=pre, by=cast.paul)
    step_record(member=person, kind=K.APPLICATION_FORM, on=D(2025, 9, 12))
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 10, 1), vote=passing_vote())
    step_record(member=person, kind=K.COMMITTEE_TALK, on=D(2025, 10, 10))
    approve_admission(person, tree, cast, D(2025, 11, 1))
    person.refresh_from_db()
    assert person.status == Status.PROBATIONARY and person.joined_on == D(2025, 10, 1)
    kinds = list(Step.objects.filter(member=person).values_list("kind", flat=True))
    assert kinds.count(K.BRANCH_REVIEW) == 2 and kinds.count(K.ADMISSION_MEETING) == 2


@pytest.mark.django_db
def test_conversion_meeting_without_quorum_is_held_again(tree, cast, person, walk):
    walk(person, upto=K.CONVERSION_MEETING)
    step_record(member=person, kind=K.CONVERSION_MEETING, on=D(2026, 7, 2), vote=no_quorum())
    refused("重新召开", member=person, kind=K.CONVERSION_APPROVAL, on=D(2026, 7, 20),
            approving_organization=tree.p1)  # fmt: skip
    step_record(member=person, kind=K.CONVERSION_MEETING, on=D(2026, 7, 9), vote=passing_vote())
    approval = step_record(member=person, kind=K.CONVERSION_APPROVAL, on=D(2026, 8, 1),
                           approving_organization=tree.p1)  # fmt: skip
    step_approve(step=approval, by=cast.paul)
    person.refresh_from_db()
    assert person.status == Status.FULL and person.converted_on == D(2026, 7, 1)


@pytest.mark.django_db
def test_a_rejected_conversion_needs_an_extension_before_a_new_vote(tree, cast, person, walk):
    walk(person, upto=K.CONVERSION_MEETING)
    step_record(member=person, kind=K.CONVERSION_MEETING, on=D(2026, 7, 2), vote=rejected())
    refused("延长预备期", member=person, kind=K.CONVERSION_MEETING, on=D(2026, 7, 9),
            vote=passing_vote())  # fmt: skip
    offered = progress.possible_steps(
        History.of(person), set(), Policy.current(), timezone.localdate()
    )
    assert K.CONVERSION_MEETING not in offered
    assert {K.PROBATION_EXTENDED, K.PROBATION_CANCELLED} <= set(offered)
    step_record(member=person, kind=K.PROBATION_EXTENDED, on=D(2026, 7, 10), extension_months=6)
    refused("2027-01-01", member=person, kind=K.CONVERSION_MEETING, on=D(2026, 12, 1),
            vote=passing_vote())  # fmt: skip
    assert K.CONVERSION_MEETING in progress.possible_steps(
        History.of(person), set(), Policy.current(), timezone.localdate()
    )


@pytest.mark.django_db
def test_the_person_page_shows_the_failed_and_the_passing_meeting(client, cast, person, walk):
    walk(person, upto=K.ADMISSION_MEETING)
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 1), vote=no_quorum())
    client.force_login(cast.alice)
    page = client.get(reverse("development:person", args=[person.pk])).content.decode()
    assert "2025-07-01" in page and "未达到法定人数" in page
    assert reverse("development:step_new", args=[person.pk, K.ADMISSION_MEETING]) in page
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 8), vote=passing_vote())
    page = client.get(reverse("development:person", args=[person.pk])).content.decode()
    assert "2025-07-01" in page and "2025-07-08" in page
    assert reverse("development:step_new", args=[person.pk, K.COMMITTEE_TALK]) in page
