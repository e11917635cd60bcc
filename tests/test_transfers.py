"""Transfer letters (domain.md section 6): within the system the member stays with the sender
until the receiver confirms, then moves on the date of receipt; out of and into the system
the registry follows the return slip and the incoming letter; validity, approval, scope."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from dues import services as dues
from dues.models import Due, Opening
from members.choices import Event, Status
from members.models import Member, MembershipRecord
from members.services import member_move
from organizations.models import Policy
from reminders.models import Reminder
from reports.models import Figures
from reports.yearly import year_change
from transfers import services
from transfers.models import Kind, Letter, State

from .factories import id_number, make_member
from .test_statistics import compute

D = datetime.date


def members_of(snapshot, org) -> int:
    return Figures.objects.get(snapshot=snapshot, organization=org, subtree=True).members


MARCH_1 = D(2026, 3, 1)


def issue(member, receiver=None, on=MARCH_1, **extra) -> Letter:
    return services.letter_issue(member=member, receiver=receiver, issued_on=on, handler="王",
                                 **extra)  # fmt: skip


@pytest.fixture
def mover(tree):
    return make_member(tree.b1, name="调动党员")


# -- within the system -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_member_moves_on_the_date_of_receipt_and_counts_follow(tree, cast, mover):
    letter = issue(mover, tree.b4)
    assert letter.state == State.AWAITING_APPROVAL  # leaves the first party committee
    assert letter.approver == tree.p1
    services.letter_approve(letter=letter, by=cast.paul)
    mover.refresh_from_db()
    assert mover.transfer_pending and mover.organization == tree.b1
    services.letter_receive(letter=letter, on=D(2026, 4, 10), by=cast.wendy)

    mover.refresh_from_db()
    assert mover.organization == tree.b4 and not mover.transfer_pending
    records = list(MembershipRecord.objects.filter(member=mover).order_by("started_on"))
    assert [(r.organization_id, r.end_event, r.start_event) for r in records] == [
        (tree.b1.pk, Event.TRANSFERRED_OUT, Event.REGISTERED),
        (tree.b4.pk, "", Event.TRANSFERRED_IN),
    ]
    assert records[0].ended_on == records[1].started_on == D(2026, 4, 10)
    before, after = compute(D(2026, 4, 9)), compute(D(2026, 4, 10))
    assert (members_of(before, tree.b1), members_of(before, tree.b4)) == (1, 0)
    assert (members_of(after, tree.b1), members_of(after, tree.b4)) == (0, 1)
    assert members_of(before, tree.w) == members_of(after, tree.w) == 1


@pytest.mark.django_db
def test_the_yearly_figures_count_a_transfer_out_of_and_in_to_subtrees_not_within(
    client, tree, cast, mover
):
    letter = issue(mover, tree.b4)
    services.letter_approve(letter=letter)
    services.letter_receive(letter=letter, on=D(2026, 4, 10))
    as_of = D(2026, 6, 30)
    p1, p2, city = (year_change(org, as_of) for org in (tree.p1, tree.p2, tree.w))
    assert p1.departures == {Event.TRANSFERRED_OUT: 1} and p1.arrivals == {}
    assert p2.arrivals == {Event.TRANSFERRED_IN: 1} and p2.departures == {}
    assert city.arrivals == {} and city.departures == {}  # a move inside the city

    compute(as_of)
    client.force_login(cast.wendy)
    lines = {}
    for org in (tree.w, tree.p1, tree.p2):
        response = client.post(reverse("reports:yearly", args=[org.pk]),
                               {"as_of": as_of.isoformat()})  # fmt: skip
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        lines[org.code] = {r[0]: r[1] for r in book["党员总数"].iter_rows(values_only=True) if r[0]}
    assert (lines["W"]["转入"], lines["W"]["已转出"]) == (0, 0)
    assert (lines["P1"]["转入"], lines["P1"]["已转出"]) == (0, 1)
    assert (lines["P2"]["转入"], lines["P2"]["已转出"]) == (1, 0)
    # nor is it a move between organizations in the city's lines
    assert (
        lines["W"]["从其他党组织调入（组织调整）"],
        lines["W"]["调往其他党组织（组织调整）"],
    ) == (0, 0)


@pytest.mark.django_db
def test_inside_the_committees_subtree_no_approval_and_the_rules_can_drop_it(tree, mover):
    inside = issue(mover, tree.b3)
    assert inside.state == State.ISSUED and inside.approver is None
    services.letter_withdraw(letter=inside, reason="写错了")
    policy = Policy.current()
    policy.transfer_approval = False
    policy.save()
    assert issue(mover, tree.b4).state == State.ISSUED


@pytest.mark.django_db
def test_validity_a_letter_of_1_march_is_overdue_from_2_june(tree, mover):
    letter = issue(mover, tree.b3, on=D(2026, 3, 1))
    assert letter.valid_until == D(2026, 6, 1) and letter.validity_days == 93
    assert not letter.overdue_on(D(2026, 6, 1)) and letter.overdue_on(D(2026, 6, 2))
    assert not Letter.objects.overdue_on(D(2026, 6, 1)).exists()
    assert list(Letter.objects.overdue_on(D(2026, 6, 2))) == [letter]
    overdue = Reminder.objects.get(source="transfers", kind="overdue")
    assert (overdue.organization_id, overdue.remind_from) == (tree.b1.pk, D(2026, 6, 2))
    with pytest.raises(ValidationError):
        services.letter_receive(letter=letter, on=D(2026, 6, 2))
    services.letter_receive(letter=letter, on=D(2026, 6, 1))
    assert not Reminder.objects.filter(source="transfers").exists()


@pytest.mark.django_db
def test_the_reminders_go_to_the_approver_then_the_receiver(tree, mover):
    letter = issue(mover, tree.b4)
    assert list(Reminder.objects.filter(source="transfers").values_list(
        "kind", "organization_id")) == [("approve", tree.p1.pk)]  # fmt: skip
    services.letter_approve(letter=letter)
    kinds = set(Reminder.objects.filter(source="transfers").values_list("kind", "organization_id"))
    assert kinds == {("receive", tree.b4.pk), ("overdue", tree.b1.pk)}


@pytest.mark.django_db
def test_refusal_returns_the_letter_and_pending_blocks_other_moves(tree, cast, mover):
    letter = issue(mover, tree.b3)
    with pytest.raises(ValidationError):
        member_move(member=Member.objects.get(pk=mover.pk), organization=tree.b2,
                    on=D(2026, 3, 5))  # fmt: skip
    with pytest.raises(ValidationError):
        issue(Member.objects.get(pk=mover.pk), tree.b2)  # one letter on its way at a time
    with pytest.raises(ValidationError):
        services.letter_refuse(letter=letter, reason="  ")
    services.letter_refuse(letter=letter, reason="不是本单位人员", by=cast.paul)
    letter.refresh_from_db()
    mover.refresh_from_db()
    assert letter.state == State.REFUSED and letter.answer == "不是本单位人员"
    assert not mover.transfer_pending and mover.organization == tree.b1
    with pytest.raises(ValidationError):
        services.letter_receive(letter=letter, on=D(2026, 3, 5))


@pytest.mark.django_db
def test_only_party_members_and_a_real_receiver(tree, mover):
    applicant = make_member(tree.b1, status=Status.APPLICANT, joined_on=None)
    with pytest.raises(ValidationError):
        issue(applicant, tree.b2)
    with pytest.raises(ValidationError):
        issue(mover, tree.b1)  # its own branch
    with pytest.raises(ValidationError):
        issue(mover, None, receiver_name=" ")
    with pytest.raises(ValidationError):
        issue(mover, tree.b2, on=datetime.date.today() + datetime.timedelta(days=1))


# -- out of and into the system --------------------------------------------------------------


@pytest.mark.django_db
def test_out_of_the_system_the_member_leaves_on_the_date_of_the_return_slip(tree, cast, mover):
    dues.basis_set(member=mover, starts=D(2026, 1, 1), category="employed",
                   base=Decimal("4000.00"))  # fmt: skip
    dues.payment_record(member=mover, first_month=D(2026, 1, 1), months=3, paid_on=D(2026, 1, 8))
    letter = issue(mover, receiver_name="广东省深圳市南山区委组织部", on=D(2026, 5, 6))
    assert letter.kind == Kind.OUT and letter.paid_up_to == D(2026, 3, 1)
    assert letter.state == State.AWAITING_APPROVAL  # out of the system: the committee approves
    services.letter_approve(letter=letter, by=cast.paul)
    services.letter_receive(letter=letter, on=D(2026, 6, 20), by=cast.alice)
    mover.refresh_from_db()
    assert (mover.status, mover.left_on) == (Status.TRANSFERRED_OUT, D(2026, 6, 20))
    assert "南山区委组织部" in mover.leave_reason and letter.number in mover.leave_reason
    record = MembershipRecord.objects.get(member=mover)
    assert (record.ended_on, record.end_event) == (D(2026, 6, 20), Event.TRANSFERRED_OUT)


@pytest.mark.django_db
def test_into_the_system_registers_the_member_with_dues_paid_up_to(client, tree, cast):
    client.force_login(cast.alice)
    response = client.post(reverse("transfers:incoming_new"), {
        "incoming_number": "粤组转〔2026〕118号", "sender_name": "中共深圳市南山区委组织部",
        "issued_on": "2026-04-01", "since": "2026-04-15", "paid_up_to": "2026-03",
        "reason": "work", "organization": "B1", "status": "full", "name": "从外地来",
        "id_number": id_number(D(1985, 6, 15), "M"), "ethnicity": "01",
        "education": "undergraduate", "occupation": "organ_staff", "joined_on": "2010-07-01",
        "converted_on": "2011-07-01",
    })  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    member = Member.objects.get(name="从外地来")
    assert member.organization == tree.b1 and member.status == Status.FULL
    record = MembershipRecord.objects.get(member=member)
    assert (record.started_on, record.start_event) == (D(2026, 4, 15), Event.TRANSFERRED_IN)
    letter = Letter.objects.get(member=member)
    assert (letter.kind, letter.state, letter.number) == (Kind.IN, State.RECEIVED,
                                                          "粤组转〔2026〕118号")  # fmt: skip
    assert Opening.objects.get(member=member).paid_up_to == D(2026, 3, 1)
    assert year_change(tree.w, D(2026, 6, 30)).arrivals == {Event.TRANSFERRED_IN: 1}


@pytest.mark.django_db
def test_an_incoming_letter_form_names_bad_fields(client, tree, cast):
    client.force_login(cast.alice)
    response = client.post(reverse("transfers:incoming_new"), {
        "incoming_number": "", "issued_on": "2026-05-01", "since": "2026-04-15",
        "organization": "B1", "status": "applicant", "name": "x", "id_number": "123",
    })  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"incoming_number", "sender_name", "status", "id_number"} <= set(errors)
    assert not Member.objects.filter(name="x").exists()


# -- who sees what ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_receiving_secretary_sees_the_letter_not_the_earlier_history(client, tree, cast,
                                                                         people):  # fmt: skip
    member = people.b1
    member.phone = "13900000000"
    member.save()
    letter = issue(member, tree.b2)  # Alice's branch to Bob's, inside the general branch
    assert letter.state == State.ISSUED
    client.force_login(cast.bob)
    page = client.get(reverse("transfers:letter", args=[letter.pk]))
    assert page.status_code == 200 and letter.number in page.content.decode()
    assert member.id_number not in page.content.decode()  # masked
    assert client.get(reverse("members:member_detail", args=[member.pk])).status_code == 404
    assert (
        letter.number
        in client.get(
            reverse("transfers:letters", args=[tree.b2.pk]), {"direction": "in"}
        ).content.decode()
    )

    client.get(reverse("transfers:letter_receive", args=[letter.pk]))
    response = client.post(reverse("transfers:letter_receive", args=[letter.pk]),
                           {"on": "2026-03-10"})  # fmt: skip
    assert response.status_code == 302
    detail = client.get(reverse("members:member_detail", args=[member.pk]))
    records = detail.context["records"]
    assert [r.organization_id for r in records] == [tree.b2.pk]
    assert detail.context["arrival"].started_on == D(2026, 3, 10)
    assert all(c.when >= detail.context["arrival"].recorded_at for c in detail.context["changes"])
    assert 'data-testid="history-from"' in detail.content.decode()
    bob_list = client.get(reverse("members:member_list")).content.decode()
    assert member.name in bob_list

    client.force_login(cast.alice)
    assert client.get(reverse("members:member_detail", args=[member.pk])).status_code == 404
    assert member.name not in client.get(reverse("members:member_list")).content.decode()
    assert client.get(reverse("transfers:letter", args=[letter.pk])).status_code == 200  # sent it
    client.force_login(cast.paul)  # above both: sees the whole history
    assert len(client.get(reverse("members:member_detail",
                                  args=[member.pk])).context["records"]) == 2  # fmt: skip


@pytest.mark.django_db
def test_a_third_branch_sees_nothing_and_cannot_act(client, tree, cast, people):
    letter = issue(people.b3, tree.b2)
    client.force_login(cast.alice)
    assert client.get(reverse("transfers:letter", args=[letter.pk])).status_code == 404
    assert client.post(reverse("transfers:letter_receive", args=[letter.pk]),
                       {"on": "2026-03-10"}).status_code == 404  # fmt: skip
    assert (
        letter.number
        not in client.get(
            reverse("transfers:letters", args=[tree.b1.pk]), {"show": "all"}
        ).content.decode()
    )
    client.force_login(cast.bob)  # the receiver may not withdraw, the sender's business
    assert client.get(reverse("transfers:letter_withdraw", args=[letter.pk])).status_code == 403
    letter.refresh_from_db()
    assert letter.state == State.ISSUED


@pytest.mark.django_db
def test_printing_shows_the_three_parts_and_is_logged(client, tree, cast, people):
    from partybuild.models import Action, AuditEvent

    letter = issue(people.b1, tree.b2)
    client.force_login(cast.alice)
    page = client.post(reverse("transfers:letter_print", args=[letter.pk])).content.decode()
    for part in ("part-stub", "part-letter", "part-slip"):
        assert f'data-testid="{part}"' in page
    assert page.count(letter.number) >= 3 and people.b1.id_number in page
    assert "介绍信" in page and "回执" in page
    assert AuditEvent.objects.filter(action=Action.ID_REVEALED, object_id=str(letter.pk)).exists()
    client.force_login(cast.bob)  # the receiver reads the letter, the sender prints it
    assert client.post(reverse("transfers:letter_print", args=[letter.pk])).status_code == 403


@pytest.mark.django_db
def test_within_the_system_the_letter_states_paid_up_to_and_the_ledger_follows(tree, mover):
    dues.basis_set(member=mover, starts=D(2026, 1, 1), category="employed",
                   base=Decimal("4000.00"))  # fmt: skip
    dues.payment_record(member=mover, first_month=D(2026, 1, 1), months=2, paid_on=D(2026, 1, 8))
    letter = issue(mover, tree.b2, on=D(2026, 4, 1))
    assert letter.paid_up_to == D(2026, 2, 1)
    services.letter_receive(letter=letter, on=D(2026, 4, 10))
    by_month = dict(Due.objects.filter(member=mover, month__lte=D(2026, 4, 1))
                    .values_list("month", "organization_id"))  # fmt: skip
    assert by_month == {D(2026, 1, 1): tree.b1.pk, D(2026, 2, 1): tree.b1.pk,
                        D(2026, 3, 1): tree.b2.pk, D(2026, 4, 1): tree.b2.pk}  # fmt: skip
    assert not Opening.objects.filter(member=mover).exists()  # the ledger carries on
