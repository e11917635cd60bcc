import datetime

import pytest
from django.core.exceptions import ValidationError

from members.choices import Event, Status
from members.models import Member, MembershipRecord
from members.services import member_change_status, member_leave, member_move

from .factories import make_member

D = datetime.date


def where_on(day):
    """Who was where, in which status, on a day: one query on the records."""
    return {
        (r.member_id, r.organization.code, r.status)
        for r in MembershipRecord.objects.as_of(day).select_related("organization")
    }


@pytest.mark.django_db
def test_history_of_status_and_organization_answers_any_past_day(tree):
    m = make_member(tree.b1, status=Status.ACTIVIST, since=D(2020, 1, 1), joined_on=None)
    member_change_status(member=m, status=Status.TARGET, on=D(2021, 3, 1))
    member_change_status(member=m, status=Status.PROBATIONARY, on=D(2022, 7, 1))
    member_move(member=m, organization=tree.b4, on=D(2023, 2, 1))
    member_change_status(member=m, status=Status.FULL, on=D(2023, 7, 1))
    member_leave(member=m, status=Status.TRANSFERRED_OUT, on=D(2025, 5, 1), reason="调往外省")

    assert where_on(D(2019, 12, 31)) == set()
    assert where_on(D(2020, 12, 31)) == {(m.pk, "B1", Status.ACTIVIST)}
    assert where_on(D(2022, 12, 31)) == {(m.pk, "B1", Status.PROBATIONARY)}
    assert where_on(D(2023, 2, 1)) == {(m.pk, "B4", Status.PROBATIONARY)}
    assert where_on(D(2024, 12, 31)) == {(m.pk, "B4", Status.FULL)}
    assert where_on(D(2025, 5, 1)) == set()

    m.refresh_from_db()
    assert (m.status, m.joined_on, m.converted_on) == (
        Status.TRANSFERRED_OUT,
        D(2022, 7, 1),
        D(2023, 7, 1),
    )
    events = list(m.records.values_list("start_event", flat=True))
    assert events == [
        Event.REGISTERED,
        Event.PROMOTED,
        Event.ADMITTED,
        Event.MOVED,
        Event.CONVERTED,
    ]
    assert Member.objects.filter(pk=m.pk).exists()  # leaving never deletes


@pytest.mark.django_db
def test_status_moves_forward_unless_marked_as_correction(tree):
    m = make_member(tree.b1)
    with pytest.raises(ValidationError):
        member_change_status(member=m, status=Status.PROBATIONARY, on=D(2024, 1, 1))
    member_change_status(member=m, status=Status.PROBATIONARY, on=D(2024, 1, 1), correction=True)
    assert m.records.last().start_event == Event.CORRECTED


@pytest.mark.django_db
def test_a_change_cannot_predate_the_open_record(tree):
    m = make_member(tree.b1, since=D(2020, 1, 1))
    with pytest.raises(ValidationError):
        member_move(member=m, organization=tree.b2, on=D(2019, 12, 31))
    member_move(member=m, organization=tree.b2, on=D(2020, 1, 1))  # the same day is allowed


@pytest.mark.django_db
def test_future_dates_and_dissolved_targets_are_refused(tree):
    m = make_member(tree.b1)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        member_leave(member=m, status=Status.DECEASED, on=tomorrow, reason="")
    tree.b2.status = "dissolved"
    tree.b2.save()
    with pytest.raises(ValidationError):
        member_move(member=m, organization=tree.b2, on=D(2024, 1, 1))


@pytest.mark.django_db
def test_a_person_who_left_cannot_leave_again_or_move(tree):
    m = make_member(tree.b1)
    member_leave(member=m, status=Status.DECEASED, on=D(2024, 1, 1), reason="病故")
    with pytest.raises(ValidationError):
        member_leave(member=m, status=Status.REMOVED, on=D(2024, 2, 1), reason="")
    with pytest.raises(ValidationError):
        member_move(member=m, organization=tree.b2, on=D(2024, 2, 1))
