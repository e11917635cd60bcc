"""The branch's yearly publication list (党费收缴公示表): each member, the monthly amount,
the months paid and the total, as the rules make the branch publish every year."""

from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from organizations.models import Organization
from partybuild.cells import safe_title

from .models import Due

YUAN = "#,##0.00"


@dataclass(frozen=True)
class PublicationRow:
    name: str
    monthly: Decimal  # the amount of the member's last month of the year
    months: int  # owed in the year at this branch
    paid_months: int
    paid: Decimal


def publication_rows(branch: Organization, year: int) -> list[PublicationRow]:
    dues = Due.objects.filter(organization=branch, month__year=year)
    last = {}
    for member_id, amount in dues.order_by("member_id", "month").values_list("member_id",
                                                                             "amount"):  # fmt: skip
        last[member_id] = amount
    rows = (
        dues.values("member_id", "member__name", "member__name_pinyin")
        .annotate(months=Count("id"), paid_months=Count("id", filter=Q(paid_on__isnull=False)),
                  paid=Sum("paid"))
        .order_by("member__name_pinyin", "member_id")
    )  # fmt: skip
    return [
        PublicationRow(r["member__name"], last[r["member_id"]], r["months"], r["paid_months"],
                       r["paid"] or Decimal("0.00"))
        for r in rows
    ]  # fmt: skip


def write_publication(stream: BinaryIO, branch: Organization, year: int,
                      rows: list[PublicationRow]) -> None:  # fmt: skip
    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = safe_title(_("dues publication"))
    sheet.append([_("%(branch)s: party dues collected in %(year)s")
                  % {"branch": branch.name, "year": year}])  # fmt: skip
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("name"), _("monthly amount"), _("months owed"), _("months paid"),
                  _("total paid")])  # fmt: skip
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.name, row.monthly, row.months, row.paid_months, row.paid])
    last = sheet.max_row
    sheet.append([_("total"), None, f"=SUM(C3:C{last})", f"=SUM(D3:D{last})",
                  f"=SUM(E3:E{last})"])  # fmt: skip
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=3, min_col=2, max_col=5):
        row[0].number_format = row[3].number_format = YUAN
    sheet.append([])
    sheet.append([_("Printed on %(date)s") % {"date": timezone.localdate().isoformat()}])
    for letter, width in zip("ABCDE", (16, 14, 12, 12, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    book.save(stream)
