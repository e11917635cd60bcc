"""The dues pages end to end: the monthly grid, the bank list, the bases grid, payments
with their receipts, and the six-month rule's decision, each for the roles that may."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dues.models import Basis, Due, Lapse, Payment
from dues.owing import add_months, month_of
from dues.rules import Category
from dues.services import basis_set
from members.choices import Status

from .factories import make_member

TODAY = timezone.localdate()
THIS = month_of(TODAY)


def ago(months: int):
    return add_months(THIS, -months)


def payer(org, base="4000.00", *, since_months=0, **extra):
    member = make_member(org, **extra)
    basis_set(member=member, starts=ago(since_months), category=Category.EMPLOYED,
              base=Decimal(base))  # fmt: skip
    return member


def due_of(member, month=THIS) -> Due:
    return Due.objects.get(member=member, month=month)


@pytest.mark.django_db
def test_the_secretary_ticks_this_months_payments_in_the_grid(client, cast, tree):
    a, b, c = (payer(tree.b1, base, name=n) for n, base in (("甲", "4000.00"), ("乙", "6000.00"),
                                                           ("丙", "2000.00")))  # fmt: skip
    client.force_login(cast.alice)
    url = reverse("dues:collect", args=[tree.b1.pk])
    page = client.get(url)
    assert page.context["totals"].owed == Decimal("40.00") + Decimal("90.00") + Decimal("10.00")
    # One amount below what is due: nothing is recorded, the error names the member.
    ticks = {f"d{due_of(a).pk}-paid": "on", f"d{due_of(b).pk}-paid": "on",
             "paid_on": TODAY.isoformat()}  # fmt: skip
    refused = client.post(
        f"{url}?month={THIS:%Y-%m}", {**ticks, f"d{due_of(b).pk}-amount": "80.00", "method": "cash"}
    )
    assert refused.status_code == 200 and "乙" in " ".join(refused.context["errors"])
    assert not Payment.objects.exists()
    saved = client.post(
        f"{url}?month={THIS:%Y-%m}",
        {**ticks, f"d{due_of(b).pk}-amount": "100.00", "method": "online"},
    )
    assert saved.status_code == 302
    page = client.get(url)
    totals = page.context["totals"]
    assert (totals.members, totals.paid_members, totals.paid) == (3, 2, Decimal("130.00"))
    assert str(totals.rate) == "92.9"  # 130 of 140
    assert due_of(b).paid == Decimal("100.00")  # 10.00 voluntary
    assert Payment.objects.get(member=b).method == "online"
    client.force_login(cast.bob)
    assert client.get(url).status_code == 404
    assert client.post(url, {f"d{due_of(c).pk}-paid": "on"}).status_code == 404
    assert not Due.objects.filter(member=c, paid_on__isnull=False).exists()


def sheet_file(columns, lines):
    """An .xlsx upload: the columns' headers, then the lines."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([str(c.label) for c in columns])
    for line in lines:
        book.active.append(line)
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    stream.name = "upload.xlsx"
    return stream


def bank_file(lines):
    from dues.collection import BANK_COLUMNS

    return sheet_file(BANK_COLUMNS, lines)


@pytest.mark.django_db
def test_a_bank_list_with_one_bad_row_imports_nothing_and_names_that_row(client, cast, tree):
    a, b = payer(tree.b1, name="甲"), payer(tree.b1, "6000.00", name="乙")
    c = payer(tree.b1, "2000.00", name="丙")
    client.force_login(cast.alice)
    url = reverse("dues:bank_import", args=[tree.b1.pk])
    day = TODAY.isoformat()
    bad = bank_file([[a.id_number, "", 40, day], ["", "乙", "90.01", day], ["", "丙", 10, day]])
    page = client.post(url, {"month": f"{THIS:%Y-%m}", "file": bad})
    errors = page.context["result"].errors
    assert [e.line for e in errors] == [3] and "90.01" in errors[0].message
    assert not Payment.objects.exists()
    good = bank_file([[a.id_number, "", 40, day], ["", "乙", 90, day], ["", "丙", "10.00", day]])
    response = client.post(url, {"month": f"{THIS:%Y-%m}", "file": good})
    assert response.status_code == 302
    assert Payment.objects.filter(method="bank").count() == 3
    assert {due_of(m).paid for m in (a, b, c)} == {Decimal("40.00"), Decimal("90.00"),
                                                   Decimal("10.00")}  # fmt: skip
    again = client.post(url, {"month": f"{THIS:%Y-%m}", "file": bank_file([[a.id_number, "", 40,
                                                                           day]])})  # fmt: skip
    assert again.context["result"].errors[0].line == 2  # already paid: refused by line
    client.force_login(cast.bob)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_bases_grid_saves_the_years_bases_all_or_nothing(client, cast, tree):
    a, b = make_member(tree.b1, name="甲"), make_member(tree.b1, name="乙")
    client.force_login(cast.alice)
    url = reverse("dues:bases", args=[tree.b1.pk])
    year = TODAY.year
    refused = client.post(f"{url}?year={year}", {
        f"m{a.pk}-category": "employed", f"m{a.pk}-base": "5000.01",
        f"m{b.pk}-category": "employed", f"m{b.pk}-base": ""})  # fmt: skip
    assert "乙" in " ".join(refused.context["errors"]) and not Basis.objects.exists()
    saved = client.post(f"{url}?year={year}", {
        f"m{a.pk}-category": "employed", f"m{a.pk}-base": "5000.01",
        f"m{b.pk}-category": "student"})  # fmt: skip
    assert saved.status_code == 302
    amounts = dict(Basis.objects.values_list("member__name", "amount"))
    assert amounts == {"甲": Decimal("75.00"), "乙": Decimal("0.20")}
    assert Due.objects.filter(member=a).count() == TODAY.month  # January to this month


@pytest.mark.django_db
def test_a_payment_form_refuses_seven_back_months_and_the_receipt_prints(client, cast, tree):
    member = payer(tree.b1, since_months=8)
    client.force_login(cast.alice)
    url = reverse("dues:payment_new", args=[member.pk])
    data = {"first_month": f"{ago(7):%Y-%m}", "months": 7, "paid_on": TODAY.isoformat(),
            "method": "cash"}  # fmt: skip
    page = client.post(url, data)
    assert "须记录支部同意的原因" in str(page.context["form"].errors["back_reason"])
    response = client.post(url, {**data, "back_reason": "住院期间，支委会同意补交"})
    payment = Payment.objects.get()
    assert response["Location"] == reverse("dues:receipt", args=[payment.pk])
    receipt = client.get(response["Location"]).content.decode()
    assert payment.number in receipt and "¥280.00" in receipt
    client.force_login(cast.bob)
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.django_db
def test_the_six_month_decision_goes_to_the_superior(client, cast, tree):
    member = payer(tree.b1, since_months=6, name="久未交")
    payer(tree.b1, since_months=5, name="五个月")
    client.force_login(cast.alice)
    arrears = client.get(reverse("dues:arrears", args=[tree.b1.pk]), {"six": "1"})
    assert [r.member.name for r in arrears.context["page"]] == ["久未交"]
    client.post(reverse("dues:lapse_new", args=[member.pk]),
                {"decided_on": TODAY.isoformat(), "note": "支部大会决议"})  # fmt: skip
    lapse = Lapse.objects.get()
    decide = reverse("dues:lapse_decide", args=[lapse.pk])
    assert client.post(decide, {"approve": "1"}).status_code == 403  # not the secretary's
    client.force_login(cast.paul)
    page = client.get(reverse("dues:arrears", args=[tree.p1.pk]))
    assert list(page.context["pending"]) == [lapse]
    client.post(decide, {"approve": "1"})
    member.refresh_from_db()
    assert member.status == Status.REMOVED
    assert Lapse.objects.get().outcome == Lapse.Outcome.DONE


@pytest.mark.django_db
def test_the_arrears_list_follows_payments_and_is_refreshed_when_a_month_closes(client, cast, tree):
    from dues.models import StandingRefresh
    from dues.services import payment_record

    member = payer(tree.b1, since_months=3, name="欠三月")
    payer(tree.b4, since_months=2, name="别的支部")
    client.force_login(cast.alice)
    url = reverse("dues:arrears", args=[tree.b1.pk])
    page = client.get(url)
    assert [r.member_id for r in page.context["page"]] == [member.pk]
    assert (page.context["count"], page.context["total"]) == (1, Decimal("120.00"))
    payment_record(member=member, first_month=ago(3), months=3, paid_on=TODAY)
    assert list(client.get(url).context["page"]) == []
    # The stored standings are of a month: when it has moved on they are counted again.
    Due.objects.filter(member=member, month=ago(1)).update(paid=None, paid_on=None, payment=None)
    assert list(client.get(url).context["page"]) == []  # not yet: the same month
    StandingRefresh.objects.update(month=ago(1))
    assert [r.count for r in client.get(url).context["page"]] == [1]
    city = client.get(reverse("dues:arrears", args=[tree.w.pk]))
    assert city.status_code == 404  # a secretary sees her branch only


def bases_file(lines):
    from dues.bases_import import COLUMNS

    return sheet_file(COLUMNS, lines)


@pytest.mark.django_db
def test_the_bases_import_is_all_or_nothing_with_errors_by_line(client, cast, tree):
    a, b = make_member(tree.b1, name="甲"), make_member(tree.b1, name="乙")
    stranger = make_member(tree.b4, name="丙")
    client.force_login(cast.alice)
    url = reverse("dues:bases_import", args=[tree.b1.pk])
    year = TODAY.year
    bad_lines = [
        [a.id_number, "甲", "在职", 6200, None, ""],
        [b.id_number, "乙", "在职", None, None, ""],  # no base
        [stranger.id_number, "", "学生", None, None, ""],  # not of the branch
        [a.id_number, "", "离退休人员", "4800.005", None, ""],  # a third decimal place
    ]
    bad = bases_file(bad_lines)
    page = client.post(url, {"year": year, "file": bad})
    assert [e.line for e in page.context["result"].errors] == [5]  # the cells are read first
    page = client.post(url, {"year": year, "file": bases_file(bad_lines[:3])})
    assert sorted({e.line for e in page.context["result"].errors}) == [3, 4]
    assert not Basis.objects.exists()
    good = bases_file([[a.id_number, "甲", "在职", 6200, None, ""],
                       [b.id_number, "", "离退休人员", "4800.00", 30, ""]])  # fmt: skip
    assert client.post(url, {"year": year, "file": good}).status_code == 302
    amounts = dict(Basis.objects.values_list("member__name", "amount"))
    assert amounts == {"甲": Decimal("93.00"), "乙": Decimal("30.00")}  # 24.00 asked; 30 more
    client.force_login(cast.bob)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_branch_list_longer_than_a_request_imports_is_refused_before_it_is_read(
    client, cast, tree, settings
):
    settings.IMPORT_INLINE_LIMIT = 3
    member = payer(tree.b1, name="甲")
    client.force_login(cast.alice)
    lines = [[member.id_number, "", 40, TODAY.isoformat()]] * 4
    page = client.post(reverse("dues:bank_import", args=[tree.b1.pk]),
                       {"month": f"{THIS:%Y-%m}", "file": bank_file(lines)})  # fmt: skip
    assert "3" in page.context["result"].errors[0].message
    assert not Payment.objects.exists()
