"""Party dues (domain.md section 4): the bands at each boundary, the rounding to the fen, and
the basis a member pays on."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dues.rules import Category, rate_for, rule_amount
from dues.services import basis_for, basis_set
from members.choices import Status
from organizations.forms import PolicyForm
from organizations.models import Policy

from .factories import make_member

D = datetime.date
C = Category


def amount(category, base: str | None) -> Decimal | None:
    return rule_amount(category, Decimal(base) if base else None, Policy())


@pytest.mark.parametrize(("category", "base", "rate", "monthly"), [
    (C.EMPLOYED, "3000.00", "0.50", "15.00"),
    (C.EMPLOYED, "3000.01", "1.00", "30.00"),
    (C.EMPLOYED, "5000.00", "1.00", "50.00"),
    (C.EMPLOYED, "5000.01", "1.50", "75.00"),
    (C.EMPLOYED, "10000.00", "1.50", "150.00"),
    (C.EMPLOYED, "10000.01", "2.00", "200.00"),
    (C.RETIRED, "5000.00", "0.50", "25.00"),
    (C.RETIRED, "5000.01", "1.00", "50.00"),
])  # fmt: skip
def test_each_band_includes_its_upper_bound(category, base, rate, monthly):
    assert rate_for(category, Decimal(base), Policy()) == Decimal(rate)
    assert amount(category, base) == Decimal(monthly)


def test_flat_amounts_and_the_branchs_own_for_other():
    for category in (C.STUDENT, C.UNEMPLOYED, C.RELIEF, C.FARMER):
        assert amount(category, None) == Decimal("0.20")
    assert amount(C.OTHER, None) is None
    assert amount(C.EMPLOYED, None) is None  # no base, no amount


def test_amounts_are_rounded_to_the_fen_as_the_rules_page_says():
    half_up, down = Policy(), Policy(dues_rounding="down")
    # 4,444.50 × 1% = 44.445: half up gives 44.45, down 44.44; never a float.
    assert rule_amount(C.EMPLOYED, Decimal("4444.50"), half_up) == Decimal("44.45")
    assert rule_amount(C.EMPLOYED, Decimal("4444.50"), down) == Decimal("44.44")
    # 2,999.99 × 0.5% = 14.99995
    assert rule_amount(C.EMPLOYED, Decimal("2999.99"), half_up) == Decimal("15.00")
    assert rule_amount(C.EMPLOYED, Decimal("2999.99"), down) == Decimal("14.99")
    assert str(rule_amount(C.RETIRED, Decimal("3333.33"), half_up)) == "16.67"


@pytest.mark.django_db
def test_the_rules_page_keeps_the_bands_rising_and_farmers_within_their_range():
    data = {f.name: f.value() for f in PolicyForm(instance=Policy.current())}
    data = {k: v for k, v in data.items() if v is not None}
    assert PolicyForm(data, instance=Policy.current()).is_valid()
    bad = PolicyForm({**data, "dues_employed_band2_to": "2000.00", "dues_farmer_amount": "1.50"},
                     instance=Policy.current())  # fmt: skip
    assert not bad.is_valid()
    assert set(bad.errors) == {"dues_employed_band2_to", "dues_farmer_amount"}


@pytest.mark.django_db
def test_a_basis_pays_what_the_rules_ask_more_by_choice_less_only_by_decision(tree):
    member = make_member(tree.b1)
    basis = basis_set(member=member, starts=D(2026, 1, 15), category=C.EMPLOYED,
                      base=Decimal("6200.00"))  # fmt: skip
    assert (basis.starts, basis.rule_amount, basis.amount) == (D(2026, 1, 1), Decimal("93.00"),
                                                              Decimal("93.00"))  # fmt: skip
    more = basis_set(member=member, starts=D(2026, 1, 1), category=C.EMPLOYED,
                     base=Decimal("6200.00"), amount=Decimal("100.00"))  # fmt: skip
    assert more.voluntary and more.pk == basis.pk  # the same month: set again
    with pytest.raises(ValidationError) as refused:
        basis_set(member=member, starts=D(2026, 1, 1), category=C.EMPLOYED,
                  base=Decimal("6200.00"), amount=Decimal("50.00"))  # fmt: skip
    assert "decision" in refused.value.message_dict
    basis_set(member=member, starts=D(2026, 1, 1), category=C.EMPLOYED, base=Decimal("6200.00"),
              amount=Decimal("50.00"), decision="支委会2026年1月8日决定：家庭困难")  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        basis_set(member=member, starts=D(2026, 7, 1), category=C.RETIRED,
                  base=Decimal("4800.00"))  # fmt: skip
    assert "reason" in refused.value.message_dict  # a change during the year needs one
    july = basis_set(member=member, starts=D(2026, 7, 1), category=C.RETIRED,
                     base=Decimal("4800.00"), reason="2026年7月退休")  # fmt: skip
    assert july.amount == Decimal("24.00")
    assert basis_for(member, D(2026, 6, 30)).amount == Decimal("50.00")
    assert basis_for(member, D(2026, 7, 31)) == july
    assert basis_for(member, D(2025, 12, 31)) is None


@pytest.mark.django_db
def test_a_basis_needs_its_base_and_a_party_member(tree):
    member = make_member(tree.b1)
    with pytest.raises(ValidationError) as refused:
        basis_set(member=member, starts=D(2026, 1, 1), category=C.EMPLOYED)
    assert "base" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        basis_set(member=member, starts=D(2026, 1, 1), category=C.OTHER)
    assert "amount" in refused.value.message_dict  # "other": the branch gives the amount
    applicant = make_member(tree.b1, status=Status.APPLICANT, joined_on=None)
    with pytest.raises(ValidationError, match="正式党员和预备党员"):
        basis_set(member=applicant, starts=D(2026, 1, 1), category=C.STUDENT)


@pytest.mark.django_db
def test_owed_months_from_the_admitting_meeting_to_the_month_of_leaving(tree, person, walk):
    from development.models import StepKind
    from dues.owing import owed_months
    from members.services import member_leave

    walk(person, upto=StepKind.OATH)  # member meeting 1 July 2025, approved 1 August
    owed = owed_months(person, D(2025, 1, 1), D(2025, 12, 31))
    assert owed[0] == D(2025, 7, 1) and len(owed) == 6  # July to December, not from August
    steady = make_member(tree.b2, since=D(2020, 3, 1))
    assert len(owed_months(steady, D(2025, 1, 1), D(2025, 12, 31))) == 12
    member_leave(member=steady, status=Status.DECEASED, on=D(2025, 9, 15), reason="病故")
    owed = owed_months(steady, D(2025, 1, 1), D(2025, 12, 31))
    assert (owed[0], owed[-1], len(owed)) == (D(2025, 1, 1), D(2025, 9, 1), 9)  # up to September
    applicant = make_member(tree.b1, status=Status.APPLICANT, joined_on=None)
    assert owed_months(applicant, D(2025, 1, 1), D(2025, 12, 31)) == []
