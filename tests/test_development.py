"""The development procedure's rules, each with the boundary case on both sides."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from development.models import Approval, CalendarDay, StepKind, Vote
from development.services import stage_of, step_approve, step_record, step_return
from development.votes import vote_result
from development.workdays import working_days
from members.choices import Status
from members.models import DisciplinaryAction, Discipline, Member

from .factories import make_member
from .procedure import passing_vote

D = datetime.date
K = StepKind


def refused(message_part: str, **kwargs):
    with pytest.raises(ValidationError) as info:
        step_record(**kwargs)
    assert message_part in " ".join(info.value.messages), info.value.messages


@pytest.mark.django_db
def test_full_procedure_turns_an_applicant_into_a_full_member(person, walk):
    walk(person)
    person.refresh_from_db()
    assert person.status == Status.FULL
    assert person.joined_on == D(2025, 7, 1)  # the admission meeting
    assert person.converted_on == D(2026, 7, 1)  # one year of probation later
    assert stage_of(person) == Status.FULL
    statuses = list(person.records.values_list("status", "started_on"))
    assert statuses == [
        (Status.APPLICANT, D(2024, 1, 1)),
        (Status.ACTIVIST, D(2024, 4, 1)),
        (Status.TARGET, D(2025, 4, 1)),
        (Status.PROBATIONARY, D(2025, 7, 1)),
        (Status.FULL, D(2026, 7, 1)),
    ]


@pytest.mark.django_db
def test_applicant_must_be_eighteen_on_the_day_of_application(tree):
    young = make_member(tree.b1, status=Status.APPLICANT, joined_on=None, birth=D(2006, 3, 2),
                        since=D(2024, 1, 1))  # fmt: skip
    refused("18", member=young, kind=K.APPLICATION, on=D(2024, 3, 1))
    step_record(member=young, kind=K.APPLICATION, on=D(2024, 3, 2))


@pytest.mark.django_db
def test_steps_come_in_order(person):
    refused("须先完成", member=person, kind=K.ACTIVIST_SELECTED, on=D(2024, 4, 1))
    step_record(member=person, kind=K.APPLICATION, on=D(2024, 3, 1))
    refused("早于", member=person, kind=K.APPLICANT_TALK, on=D(2024, 2, 28))
    refused("已记录", member=person, kind=K.APPLICATION, on=D(2024, 3, 2))


@pytest.mark.django_db
def test_activist_for_at_least_a_year_before_becoming_a_target(tree, person, walk):
    walk(person, upto=K.TARGET_SELECTED)
    details = {"publicity_from": D(2025, 3, 24), "publicity_to": D(2025, 3, 28),
               "approving_organization": tree.p1}  # fmt: skip
    refused("2025-04-01", member=person, kind=K.TARGET_SELECTED, on=D(2025, 3, 31), **details)
    step_record(member=person, kind=K.TARGET_SELECTED, on=D(2025, 4, 1), **details)


@pytest.mark.django_db
def test_publicity_counts_working_days_of_the_official_calendar(tree, person, walk):
    walk(person, upto=K.TARGET_SELECTED)
    base = {"member": person, "kind": K.TARGET_SELECTED, "approving_organization": tree.p1}
    # Monday to Thursday: 4 working days.
    refused(
        "4", on=D(2025, 4, 1), publicity_from=D(2025, 3, 24), publicity_to=D(2025, 3, 27), **base
    )
    # Ten calendar days over the National Day holiday hold only 2 working days.
    refused(
        "2", on=D(2025, 10, 9), publicity_from=D(2025, 9, 29), publicity_to=D(2025, 10, 8), **base
    )
    step_record(
        on=D(2025, 4, 1), publicity_from=D(2025, 3, 24), publicity_to=D(2025, 3, 28), **base
    )


@pytest.mark.django_db
def test_adjusted_working_days_count_and_unknown_years_are_refused():
    # Sunday 28 September 2025 was an adjusted working day: Fri, Sun, Mon, Tue = 4.
    assert working_days(D(2025, 9, 26), D(2025, 9, 30)) == 4
    with pytest.raises(ValidationError) as info:
        working_days(D(2030, 1, 7), D(2030, 1, 11))
    assert info.value.code == "calendar_unknown"
    CalendarDay.objects.create(day=D(2030, 1, 1), is_workday=False, note="元旦")
    CalendarDay.objects.create(day=D(2030, 1, 12), is_workday=True, note="调休")
    assert working_days(D(2030, 1, 7), D(2030, 1, 12)) == 6


@pytest.mark.django_db
def test_introducers_are_two_full_members_in_good_standing(tree, person, walk, introducers):
    walk(person, upto=K.INTRODUCERS)
    on = D(2025, 4, 10)
    refused("两名", member=person, kind=K.INTRODUCERS, on=on, people=introducers[:1])
    probationary = make_member(tree.b1, status=Status.PROBATIONARY)
    refused("不是正式党员", member=person, kind=K.INTRODUCERS, on=on,
            people=[introducers[0], probationary])  # fmt: skip
    action = DisciplinaryAction.objects.create(
        member=introducers[1], kind=Discipline.PROBATION, decided_on=D(2025, 1, 1)
    )
    refused("党纪处分", member=person, kind=K.INTRODUCERS, on=on, people=introducers)
    action.lifted_on = on  # lifted that day: may introduce
    action.save()
    warning = DisciplinaryAction.objects.create(
        member=introducers[0], kind=Discipline.WARNING, decided_on=D(2024, 6, 1),
        effective_until=D(2025, 4, 9),
    )  # fmt: skip
    assert not warning.in_effect_on(on)
    step_record(member=person, kind=K.INTRODUCERS, on=on, people=introducers)


@pytest.mark.django_db
def test_training_of_three_days_or_twenty_four_hours(person, walk):
    walk(person, upto=K.TRAINING)
    on = D(2025, 5, 10)
    refused("3", member=person, kind=K.TRAINING, on=on, training_days=2, training_hours=23)
    step_record(member=person, kind=K.TRAINING, on=on, training_days=0, training_hours=24)


@pytest.mark.django_db
def test_member_meeting_within_a_month_of_pre_review(person, walk):
    walk(person, upto=K.ADMISSION_MEETING)
    refused("2025-07-10", member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 11),
            vote=passing_vote())  # fmt: skip
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 10), vote=passing_vote())


@pytest.mark.parametrize(("present", "quorum"), [(8, False), (9, True)])
def test_worked_example_sixteen_should_attend(present, quorum):
    vote = Vote(should_attend=16, present=present, yes=present, no=0)
    assert vote_result(vote).quorum is quorum


@pytest.mark.parametrize(
    ("yes", "written_yes", "passed"), [(8, 0, False), (9, 0, True), (7, 1, False), (8, 1, True)]
)
def test_passing_needs_more_than_half_of_those_who_should_attend(yes, written_yes, passed):
    vote = Vote(should_attend=16, present=12, yes=yes, no=12 - yes, written_yes=written_yes)
    result = vote_result(vote)
    assert result.passed is passed
    assert ("Not passed" in result.reason or "未通过" in result.reason) is not passed


@pytest.mark.django_db
def test_no_admission_after_a_failed_vote(tree, person, walk):
    walk(person, upto=K.ADMISSION_MEETING)
    failed = Vote(should_attend=16, present=8, yes=8, no=0)
    step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 1), vote=failed)
    refused("8", member=person, kind=K.COMMITTEE_TALK, on=D(2025, 7, 15))
    refused("重新召开", member=person, kind=K.COMMITTEE_TALK, on=D(2025, 7, 15))
    person.refresh_from_db()
    assert person.status == Status.TARGET


@pytest.mark.django_db
def test_impossible_vote_counts_are_refused(person, walk):
    walk(person, upto=K.ADMISSION_MEETING)
    bad = Vote(should_attend=10, present=11, yes=11, no=0)
    with pytest.raises(ValidationError):
        step_record(member=person, kind=K.ADMISSION_MEETING, on=D(2025, 7, 1), vote=bad)


@pytest.mark.django_db
def test_only_a_party_committee_approves_within_three_months(tree, person, walk):
    walk(person, upto=K.ADMISSION_APPROVAL)
    base = {"member": person, "kind": K.ADMISSION_APPROVAL}
    refused("党总支", on=D(2025, 8, 1), approving_organization=tree.g1, **base)
    refused("上级党组织", on=D(2025, 8, 1), approving_organization=tree.p2, **base)
    refused("2025-10-01", on=D(2025, 10, 2), approving_organization=tree.p1, **base)
    step_record(on=D(2025, 10, 1), approving_organization=tree.p1, **base)


@pytest.mark.django_db
def test_special_cases_allow_six_months(tree, person, walk):
    walk(person, upto=K.ADMISSION_APPROVAL)
    base = {"member": person, "kind": K.ADMISSION_APPROVAL, "approving_organization": tree.p1,
            "special_case": True}  # fmt: skip
    refused("2026-01-01", on=D(2026, 1, 2), **base)
    step_record(on=D(2026, 1, 1), **base)


@pytest.mark.django_db
def test_approval_waits_for_the_superior_and_can_be_returned(tree, person, walk, cast):
    walk(person, upto=K.ADMISSION_APPROVAL)
    step = step_record(member=person, kind=K.ADMISSION_APPROVAL, on=D(2025, 8, 1),
                       approving_organization=tree.p1)  # fmt: skip
    assert step.approval == Approval.PENDING
    person.refresh_from_db()
    assert person.status == Status.TARGET  # not yet in force
    refused("等待上级审批", member=person, kind=K.ADMISSION_APPROVAL, on=D(2025, 8, 2),
            approving_organization=tree.p1)  # fmt: skip
    with pytest.raises(ValidationError):
        step_return(step=step, by=cast.paul, reason=" ")
    step_return(step=step, by=cast.paul, reason="材料不全")
    again = step_record(member=person, kind=K.ADMISSION_APPROVAL, on=D(2025, 8, 5),
                        approving_organization=tree.p1)  # fmt: skip
    step_approve(step=again, by=cast.paul)
    person.refresh_from_db()
    assert person.status == Status.PROBATIONARY and person.joined_on == D(2025, 7, 1)


@pytest.mark.django_db
def test_probation_extended_once_by_six_to_twelve_months(person, walk):
    walk(person, upto=K.CONVERSION_APPLICATION)
    base = {"member": person, "kind": K.PROBATION_EXTENDED, "on": D(2026, 6, 20)}
    refused("5", extension_months=5, **base)
    refused("13", extension_months=13, **base)
    step_record(extension_months=6, **base)
    refused("只能延长一次", extension_months=12, **base)


@pytest.mark.django_db
def test_conversion_meeting_after_probation_and_extension(tree, person, walk):
    walk(person, upto=K.CONVERSION_APPLICATION)
    step_record(member=person, kind=K.PROBATION_EXTENDED, on=D(2026, 6, 20), extension_months=12)
    step_record(member=person, kind=K.CONVERSION_APPLICATION, on=D(2026, 6, 25))
    refused("2027-07-01", member=person, kind=K.CONVERSION_MEETING, on=D(2026, 7, 2),
            vote=passing_vote())  # fmt: skip


@pytest.mark.django_db
def test_cancelled_probation_leaves_the_registry_counts(person, walk):
    walk(person, upto=K.CONVERSION_APPLICATION)
    step_record(member=person, kind=K.PROBATION_CANCELLED, on=D(2026, 6, 1), note="不合格")
    person.refresh_from_db()
    assert person.status == Status.PROBATION_CANCELLED
    assert not Member.objects.party_members().filter(pk=person.pk).exists()
    assert stage_of(person) == Status.PROBATION_CANCELLED
