"""The dues ledger (domain.md section 4): the months owed as rows, payments with the
back-payment limit, the owed-from month of a transfer-in, arrears and the six-month rule."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dues import ledger
from dues.arrears import arrears_of, arrears_of_member
from dues.models import Due, Excuse, Lapse, Opening
from dues.owing import add_months, month_of, owed_months
from dues.rules import Category
from dues.services import (
    basis_set,
    excuse_record,
    lapse_approve,
    lapse_record,
    payment_cancel,
    payment_record,
)
from members.choices import Event, Status
from members.models import Member, MembershipRecord

from .factories import make_member

TODAY = timezone.localdate()
THIS = month_of(TODAY)


def ago(months: int) -> datetime.date:
    return add_months(THIS, -months)


def paying(organization, *, from_months_ago: int = 8, base: str = "4000.00") -> Member:
    """A full member paying 40.00 a month, whose ledger begins some months ago."""
    member = make_member(organization, since=datetime.date(2015, 1, 1))
    basis_set(member=member, starts=ago(from_months_ago), category=Category.EMPLOYED,
              base=Decimal(base), reason="入职")  # fmt: skip
    return member


@pytest.mark.django_db
def test_the_ledger_opens_each_owed_month_from_the_first_basis_to_this_month(tree):
    member = paying(tree.b1)
    dues = list(Due.objects.filter(member=member).order_by("month"))
    assert [d.month for d in dues] == [ago(n) for n in range(8, -1, -1)]
    assert {d.amount for d in dues} == {Decimal("40.00")}
    assert {d.organization_id for d in dues} == {tree.b1.pk}
    ledger.sync(member)  # idempotent
    assert Due.objects.filter(member=member).count() == 9


@pytest.mark.django_db
def test_a_payment_covers_its_months_and_more_is_voluntary_less_refused(tree):
    member = paying(tree.b1, from_months_ago=2)
    with pytest.raises(ValidationError) as refused:
        payment_record(member=member, first_month=ago(2), months=3, paid_on=TODAY,
                       amount=Decimal("119.99"))  # fmt: skip
    assert "amount" in refused.value.message_dict
    paid = payment_record(member=member, first_month=ago(2), months=3, paid_on=TODAY,
                          amount=Decimal("125.00"))  # fmt: skip
    dues = list(Due.objects.filter(member=member).order_by("month"))
    assert [d.paid for d in dues] == [Decimal("45.00"), Decimal("40.00"), Decimal("40.00")]
    assert {d.payment_id for d in dues} == {paid.pk} and paid.number.endswith(f"{paid.pk:07d}")
    with pytest.raises(ValidationError, match=f"{THIS:%Y-%m}"):
        payment_record(member=member, first_month=THIS, paid_on=TODAY)
    payment_cancel(payment=paid, reason="录入错误")
    assert not Due.objects.filter(member=member, paid_on__isnull=False).exists()


@pytest.mark.django_db
def test_a_quarter_paid_ahead_opens_the_coming_months(tree):
    member = paying(tree.b1, from_months_ago=0)
    payment_record(member=member, first_month=THIS, months=3, paid_on=TODAY)
    months = list(Due.objects.filter(member=member).order_by("month").values_list("month", "paid"))
    assert months == [(add_months(THIS, i), Decimal("40.00")) for i in range(3)]


@pytest.mark.django_db
def test_back_payment_of_seven_months_is_refused_without_a_reason(tree):
    member = paying(tree.b1, from_months_ago=8)
    with pytest.raises(ValidationError) as refused:
        payment_record(member=member, first_month=ago(7), months=7, paid_on=TODAY)
    assert "back_reason" in refused.value.message_dict
    six = payment_record(member=member, first_month=ago(8), months=1, paid_on=TODAY,
                         back_reason="")  # one month back: allowed  # fmt: skip
    assert six.amount == Decimal("40.00")
    payment_record(member=member, first_month=ago(7), months=7, paid_on=TODAY,
                   back_reason="长期住院，支委会同意补交")  # fmt: skip
    assert arrears_of_member(member, TODAY) is None


@pytest.mark.django_db
def test_a_payment_by_proxy_needs_consent_and_a_month_not_owed_is_refused(tree):
    member = paying(tree.b1, from_months_ago=1)
    with pytest.raises(ValidationError) as refused:
        payment_record(member=member, first_month=THIS, paid_on=TODAY, proxy="李四")
    assert "consent" in refused.value.message_dict
    payment_record(member=member, first_month=THIS, paid_on=TODAY, proxy="李四", consent=True)
    with pytest.raises(ValidationError) as refused:
        payment_record(member=member, first_month=ago(3), paid_on=TODAY)
    assert "first_month" in refused.value.message_dict  # before the ledger began


@pytest.mark.django_db
@pytest.mark.parametrize(("unpaid", "listed"), [(5, False), (6, True), (7, True)])
def test_the_six_month_rule(tree, unpaid, listed):
    member = paying(tree.b1, from_months_ago=8)
    paid = 8 - unpaid
    if paid:
        payment_record(member=member, first_month=ago(8), months=paid, paid_on=TODAY,
                       back_reason="补交")  # fmt: skip
    row = arrears_of_member(member, TODAY)
    assert (row.count, row.running, row.listed) == (unpaid, unpaid, listed)
    assert row.oldest == ago(unpaid) and row.amount == Decimal("40.00") * unpaid


@pytest.mark.django_db
def test_a_paid_month_between_breaks_the_run_and_a_good_reason_unlists(tree):
    member = paying(tree.b1, from_months_ago=8)
    payment_record(member=member, first_month=ago(4), paid_on=TODAY)
    row = arrears_of_member(member, TODAY)
    assert (row.count, row.running, row.listed) == (7, 3, False)  # 8..5 and 3..1 unpaid
    other = paying(tree.b1, from_months_ago=8)
    assert arrears_of_member(other, TODAY).listed
    excuse_record(member=other, reason=Excuse.Reason.ILLNESS, from_month=ago(8), note="住院")
    row = arrears_of_member(other, TODAY)
    assert row.running == 8 and not row.listed and row.excuse is not None
    expired = paying(tree.b1, from_months_ago=8)
    excuse_record(member=expired, reason=Excuse.Reason.HARDSHIP, from_month=ago(8),
                  until_month=ago(3))  # fmt: skip
    assert arrears_of_member(expired, TODAY).listed  # the reason ended before the last month


@pytest.mark.django_db
def test_the_handling_goes_through_the_registry_with_the_superiors_approval(tree):
    member = paying(tree.b1, from_months_ago=6)
    lapse = lapse_record(member=member, decided_on=TODAY, note="支部大会决议")
    assert lapse.outcome == Lapse.Outcome.PENDING and lapse.unpaid_months == 6
    lapse_approve(lapse=lapse, by=None)
    member.refresh_from_db()
    assert member.status == Status.REMOVED and member.left_on == TODAY
    record = MembershipRecord.objects.filter(member=member).order_by("started_on").last()
    assert record.ended_on == TODAY and record.end_event == Event.REMOVED
    # Nothing more is owed after the month of leaving (the ledger followed the registry).
    assert Due.objects.filter(member=member).order_by("month").last().month == THIS
    short = paying(tree.b1, from_months_ago=5)
    with pytest.raises(ValidationError):
        lapse_record(member=short, decided_on=TODAY)


@pytest.mark.django_db
def test_a_member_transferred_in_owes_from_the_month_after_paid_up_to(tree):
    member = make_member(tree.b1, since=datetime.date(2026, 3, 10))
    MembershipRecord.objects.filter(member=member).update(start_event=Event.TRANSFERRED_IN)
    first, last = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    assert owed_months(member, first, last)[0] == datetime.date(2026, 3, 1)  # no letter
    Opening.objects.create(member=member, paid_up_to=datetime.date(2026, 5, 1))
    owed = owed_months(member, first, last)
    assert (owed[0], owed[-1]) == (datetime.date(2026, 6, 1), datetime.date(2026, 12, 1))
    Opening.objects.filter(member=member).update(paid_up_to=datetime.date(2026, 1, 1))
    assert owed_months(member, first, last)[0] == datetime.date(2026, 2, 1)  # arrears follow


@pytest.mark.django_db
def test_arrears_of_a_subtree(tree):
    late = paying(tree.b1, from_months_ago=3)
    paying(tree.b2, from_months_ago=2)
    on_time = paying(tree.b1, from_months_ago=1)
    payment_record(member=on_time, first_month=ago(1), months=2, paid_on=TODAY)
    rows = arrears_of(Member.objects.filter(organization=tree.b1), TODAY)
    assert [(r.member_id, r.count, r.amount) for r in rows] == [(late.pk, 3, Decimal("120.00"))]
    assert len(arrears_of(Member.objects.all(), TODAY)) == 2


@pytest.mark.django_db
def test_unpaid_months_follow_a_member_who_moves_paid_ones_stay(tree):
    from members.services import member_move

    member = paying(tree.b1, from_months_ago=2)
    payment_record(member=member, first_month=ago(2), paid_on=TODAY)
    member_move(member=member, organization=tree.b2, on=TODAY)
    owners = list(Due.objects.filter(member=member).order_by("month")
                  .values_list("organization_id", flat=True))  # fmt: skip
    assert owners == [tree.b1.pk, tree.b2.pk, tree.b2.pk]  # what is unpaid moves with them


@pytest.mark.django_db
def test_dues_reminders_a_month_not_collected_then_three_and_six_months(tree):
    from dues import reminders as dues_reminders
    from reminders import services as store
    from reminders.models import Reminder

    three, six = paying(tree.b1, from_months_ago=3), paying(tree.b1, from_months_ago=6)
    excused = paying(tree.b1, from_months_ago=6)
    excuse_record(member=excused, reason=Excuse.Reason.ILLNESS, from_month=ago(6))
    rows = {(r.kind, r.member_id): r for r in Reminder.objects.filter(source="dues")}
    assert set(rows) == {("uncollected", None), ("arrears3", three.pk), ("arrears6", six.pk)}
    month = rows[("uncollected", None)]
    assert (month.subject_id, month.remind_from, month.expires_on.month) == (3, THIS.replace(
        day=20), THIS.month)  # fmt: skip
    assert rows[("arrears6", six.pk)].remind_from == THIS  # the sixth month has ended
    assert "决定" in dues_reminders.describe(rows[("arrears6", six.pk)])
    for member in (three, six, excused):
        payment_record(member=member, first_month=ago(6) if member != three else ago(3),
                       months=7 if member != three else 4, paid_on=TODAY,
                       back_reason="补交")  # fmt: skip
    assert not Reminder.objects.filter(source="dues").exists()
    assert store.rebuild("dues", TODAY) == 0


@pytest.mark.django_db
def test_the_letters_paid_up_to_month_opens_a_transferred_members_ledger(tree):
    from dues.services import opening_set

    arrived = make_member(tree.b1, since=ago(3))
    MembershipRecord.objects.filter(member=arrived).update(start_event=Event.TRANSFERRED_IN)
    basis_set(member=arrived, starts=ago(3), category=Category.STUDENT)
    assert Due.objects.filter(member=arrived).count() == 4  # no letter yet: from arrival
    opening_set(member=arrived, paid_up_to=ago(5), source="转字第012号")
    months = list(
        Due.objects.filter(member=arrived).order_by("month").values_list("month", flat=True)
    )
    assert months == [ago(n) for n in range(4, -1, -1)]  # the arrears brought along
    opening_set(member=arrived, paid_up_to=ago(1), source="转字第012号（更正）")
    months = list(
        Due.objects.filter(member=arrived).order_by("month").values_list("month", flat=True)
    )
    assert months == [THIS]  # paid up to last month: owes from this one
    registered = paying(tree.b1, from_months_ago=1)
    with pytest.raises(ValidationError):
        opening_set(member=registered, paid_up_to=ago(1))


@pytest.mark.django_db
def test_the_month_totals_stay_equal_to_the_ledger(tree):
    """Every change of ledger rows recounts its organizations' months: bases, payments,
    a cancelled payment, a move, a departure; the statistics of today read them."""
    from dues import statistics
    from dues.models import MonthTotal
    from dues.totals import recount_all
    from members.services import member_leave, member_move

    a, b = paying(tree.b1, from_months_ago=4), paying(tree.b2, from_months_ago=2, base="6000.00")
    c = paying(tree.b1, from_months_ago=3)
    payment_record(member=a, first_month=ago(4), months=3, paid_on=TODAY)
    wrong = payment_record(member=b, first_month=ago(2), months=2, paid_on=TODAY)
    payment_cancel(payment=wrong, reason="录错")
    payment_record(member=b, first_month=ago(2), paid_on=TODAY, amount=Decimal("100.00"))
    member_move(member=c, organization=tree.b4, on=TODAY)
    member_leave(member=a, status=Status.DECEASED, on=TODAY, reason="病故")

    def kept():
        return set(MonthTotal.objects.values_list("organization_id", "month", "owed", "paid"))

    before = kept()
    recount_all()
    assert kept() == before  # what the changes kept equals a count from scratch
    ids = [tree.b1.pk, tree.b2.pk, tree.b4.pk]
    figures = {row["organization_id"]: row for row in statistics.queries(TODAY, ids)[0]}
    # 100.00 paid for a month owing 90.00: the figures count what was owed and paid; the
    # 10.00 given voluntarily shows on the receipt, the statement and the publication list.
    assert figures[tree.b2.pk]["dues_paid"] == 9000
    owed = sum(d.amount for d in Due.objects.filter(month__year=TODAY.year, month__lte=TODAY))
    assert sum(f.get("dues_owed", 0) for f in figures.values()) == int(owed * 100)


@pytest.mark.django_db
def test_todays_arrears_in_the_statistics_are_the_stored_standings_counted(tree):
    """The statistics of today count the members under the six-month rule from the stored
    standings, once refreshed for the month: equal to the count from the ledger after a
    move, a departure and a good reason, and following a change of the rule's months."""
    from dues import statistics
    from dues.arrears import arrears_where, refresh_all
    from members.services import member_leave, member_move
    from organizations.models import Policy

    moved, left, stays = (paying(tree.b1, from_months_ago=7) for _ in range(3))
    paying(tree.b2, from_months_ago=7)
    paying(tree.b2, from_months_ago=3)  # three months: not yet under the rule
    excused = paying(tree.b1, from_months_ago=7)
    excuse_record(member=excused, reason=Excuse.Reason.ILLNESS, from_month=ago(7))
    ids = {tree.b1.pk, tree.b2.pk, tree.b4.pk}
    assert len(statistics.queries(TODAY, ids)) == 1  # not refreshed this month: the ledger
    refresh_all(TODAY)
    member_move(member=moved, organization=tree.b4, on=TODAY)
    member_leave(member=left, status=Status.DECEASED, on=TODAY, reason="病故")

    def stored():
        assert statistics.counts(TODAY, ids) == {}
        rows = statistics.queries(TODAY, ids)[1]
        return {row["organization_id"]: row["dues_arrears6"] for row in rows}

    def from_ledger():
        listed = [r for r in arrears_where(TODAY, organization_id__in=ids) if r.listed]
        return {org: sum(r.organization_id == org for r in listed)
                for org in {r.organization_id for r in listed}}  # fmt: skip

    assert stored() == from_ledger() == {tree.b1.pk: 1, tree.b2.pk: 1, tree.b4.pk: 1}
    assert stays.organization_id == tree.b1.pk
    Policy.objects.filter(pk=Policy.current().pk).update(dues_arrears_months=8)
    assert stored() == from_ledger() == {}  # seven months unpaid: under eight
