"""Dues in the statistics, hand-computed for the small tree as of 15 April 2026 (months
January to April have begun):

    B1  m1 employed 4,000 → 40.00 a month, paid Jan–Mar on 10 March        owed 160, paid 120
        m2 retired 6,000 → 60.00 a month, paid Jan–Apr on 10 April         owed 240, paid 240
    B2  m3 student 0.20, paid January on 5 January; Feb–Apr on 1 May (after the date)
                                                                           owed 0.80, paid 0.20
    B4  m4 employed 12,000 → 240.00 a month since September 2025, nothing paid: seven
        months unpaid before April → under the six-month rule            owed 960, paid 0

    B1 400.00 / 360.00 = 90.0 %; B2 0.80 / 0.20 = 25.0 %; B3 nothing owed (—);
    G1 = P1 = 400.80 / 360.20 = 89.9 %; P2 960.00 / 0 = 0.0 %, 1 in arrears;
    the city 1,360.80 / 360.20 = 26.5 %; each month 340.20 owed; paid Jan 100.20, Apr 60.00.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from dues.rules import Category
from dues.services import basis_set, payment_record
from reports.models import Figures

from .factories import make_member
from .test_statistics_views import compute

D = datetime.date
AS_OF = D(2026, 4, 15)
JANUARY = D(2026, 1, 1)


def basis(org, category, base=None, starts=JANUARY):
    member = make_member(org)
    basis_set(member=member, starts=starts, category=category,
              base=Decimal(base) if base else None)  # fmt: skip
    return member


@pytest.fixture
def dues(tree):
    m1 = basis(tree.b1, Category.EMPLOYED, "4000.00")
    m2 = basis(tree.b1, Category.RETIRED, "6000.00")
    m3 = basis(tree.b2, Category.STUDENT)
    basis(tree.b4, Category.EMPLOYED, "12000.00", starts=D(2025, 9, 1))
    payment_record(member=m1, first_month=D(2026, 1, 1), months=3, paid_on=D(2026, 3, 10))
    payment_record(member=m2, first_month=D(2026, 1, 1), months=4, paid_on=D(2026, 4, 10))
    payment_record(member=m3, first_month=D(2026, 1, 1), paid_on=D(2026, 1, 5))
    payment_record(member=m3, first_month=D(2026, 2, 1), months=3, paid_on=D(2026, 5, 1))
    return compute(AS_OF)


EXPECTED = {  # owed, paid (fen), members six months or more in arrears
    "b1": (40000, 36000, 0), "b2": (80, 20, 0), "b3": (0, 0, 0), "g1": (40080, 36020, 0),
    "p1": (40080, 36020, 0), "b4": (96000, 0, 1), "p2": (96000, 0, 1), "w": (136080, 36020, 1),
}  # fmt: skip


@pytest.mark.django_db
def test_dues_in_the_snapshot_add_up_the_tree_to_the_fen(tree, dues):
    for code, expected in EXPECTED.items():
        row = Figures.objects.get(snapshot=dues, organization=getattr(tree, code), subtree=True)
        assert (row.dues_owed, row.dues_paid, row.dues_arrears6) == expected, code
    city = Figures.objects.get(snapshot=dues, organization=tree.w, subtree=True)
    assert [getattr(city, f"dues_owed_m{m:02d}") for m in range(1, 6)] == [34020] * 4 + [0]
    assert (city.dues_paid_m01, city.dues_paid_m04) == (10020, 6000)
    assert sum(getattr(city, f"dues_owed_m{m:02d}") for m in range(1, 13)) == city.dues_owed


@pytest.mark.django_db
def test_dues_on_the_dashboard_the_ratio_report_and_the_collection_report(client, cast, tree,
                                                                          dues):  # fmt: skip
    client.force_login(cast.wendy)
    page = client.get(reverse("reports:dashboard_of", args=[tree.w.pk]), {"as_of": "2026-04-15"})
    card = page.content.decode().split('data-testid="dues"')[1]
    assert 'data-testid="dues-rate">26.5%' in card
    assert 'data-testid="dues-owed">1360.80' in card and 'data-testid="dues-paid">360.20' in card
    assert 'data-testid="dues-arrears6">1' in card
    ratios = client.get(reverse("reports:ratios_of", args=[tree.w.pk]), {"as_of": "2026-04-15"})
    keys = [r.key for r in ratios.context["ratios"]]
    lines = {line["organization"].code: line["ratios"] for line in ratios.context["lines"]}
    assert str(lines["P1"][keys.index("dues")]) == "89.9"
    assert lines["P2"][keys.index("dues")] == 0
    assert str(ratios.context["total"]["ratios"][keys.index("dues")]) == "26.5"

    report = client.get(reverse("dues:collection", args=[tree.p1.pk]), {"month": "2026-04"})
    context = report.context["report"]
    by_code = {line.organization.code: line for line in context.lines}
    assert (by_code["G1"].year.owed, by_code["G1"].year.paid) == (Decimal("400.80"),
                                                                  Decimal("360.20"))  # fmt: skip
    assert str(by_code["G1"].year.rate) == "89.9" and by_code["B3"].year.rate is None
    assert context.total.year.owed == sum(line.year.owed for line in context.lines)


@pytest.mark.django_db
def test_the_workbooks_dues_sheet_adds_up(client, cast, tree, dues):
    from openpyxl import load_workbook

    client.force_login(cast.wendy)
    response = client.post(reverse("reports:yearly", args=[tree.w.pk]), {"as_of": "2026-04-15"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["党费"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0]]
    values = {r[0]: r[1:] for r in rows}
    assert values["2026-01"][:3] == (pytest.approx(340.20), pytest.approx(100.20),
                                     pytest.approx(240.00))  # fmt: skip
    assert values["第一党委"][:2] == (pytest.approx(400.80), pytest.approx(360.20))
    assert values["第一党委"][3] == pytest.approx(0.899)
    assert values["第二党委"][:2] == (960, 0) and values["第二党委"][4] == 1
    assert values["直属党员"][:2] == (0, 0)
    children = [values[name] for name in ("第一党委", "第二党委", "直属党员")]
    assert sum(c[0] for c in children) == pytest.approx(1360.80)
    total = values["合计"]
    assert total[0].startswith("=SUM(") and total[3] == pytest.approx(0.265)


@pytest.mark.django_db
def test_the_publication_list_printable_and_in_excel(client, cast, tree, dues):
    from openpyxl import load_workbook

    client.force_login(cast.alice)
    url = reverse("dues:publication", args=[tree.b1.pk])
    page = client.get(url, {"year": 2026})
    rows = page.context["rows"]
    assert [(r.monthly, r.paid_months) for r in rows] == [(Decimal("40.00"), 3),
                                                          (Decimal("60.00"), 4)]  # fmt: skip
    assert sum(r.months for r in rows) == 24  # January to December are open by now
    assert page.context["total"] == Decimal("360.00")
    response = client.get(url, {"year": 2026, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    lines = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [line[4] for line in lines[:2]] == [120, 240]
    assert lines[2][4] == "=SUM(E3:E4)"
    client.force_login(cast.bob)
    assert client.get(url).status_code == 404
