"""A branch's collection of a month: who owes, what, who paid; the grid's save and the bank
list's import, each all or nothing."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.idnumber import normalize_id_number
from members.models import Member
from organizations.models import Organization
from partybuild import sheets
from partybuild.sheets import DATE, MONEY, Column, ImportResult, RowError

from . import ledger, reminders
from .models import Due, Method
from .owing import OWING, month_of
from .services import payment_record

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Totals:
    members: int
    paid_members: int
    owed: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.owed - self.paid_of_owed

    @property
    def paid_of_owed(self) -> Decimal:
        """What was paid toward the amounts owed (voluntary extra not counted twice)."""
        return min(self.paid, self.owed)

    @property
    def rate(self) -> Decimal | None:
        """Collection rate in per cent, one decimal place."""
        if not self.owed:
            return None
        return (self.paid_of_owed * 100 / self.owed).quantize(Decimal("0.1"))


def month_dues(branch: Organization, month: datetime.date) -> QuerySet[Due]:
    return Due.objects.filter(organization=branch, month=month_of(month))


def ensure_open(branch: Organization, month: datetime.date) -> None:
    """The current month opens before the nightly task did it: the branch's members."""
    today = timezone.localdate()
    if month_of(month) != month_of(today) or month_dues(branch, month).exists():
        return
    ids = Member.objects.filter(organization=branch, status__in=OWING).values_list("pk", flat=True)
    ledger.sync_many(list(ids))
    reminders.refresh(branch)


def totals(dues: QuerySet[Due]) -> Totals:
    row = dues.aggregate(
        members=Count("id"), paid_members=Count("id", filter=Q(paid_on__isnull=False)),
        owed=Sum("amount"), paid=Sum("amount", filter=Q(paid_on__isnull=False)),
    )  # fmt: skip
    return Totals(row["members"], row["paid_members"], row["owed"] or ZERO, row["paid"] or ZERO)


@transaction.atomic
def grid_save(*, branch: Organization, month: datetime.date, ticks: dict[int, Decimal | None],
              paid_on: datetime.date, method: str, by=None) -> tuple[int, list[str]]:  # fmt: skip
    """Record a payment of the month for each ticked row ({due id: amount or None for the
    amount due}). Returns (payments recorded, errors by member); any error records none."""
    dues = month_dues(branch, month).select_related("member").filter(pk__in=list(ticks))
    errors, count = [], 0
    for due in dues.order_by("member__name"):
        if due.paid_on is not None:
            continue
        try:
            with transaction.atomic():
                payment_record(
                    member=due.member, first_month=due.month, amount=ticks[due.pk],
                    paid_on=paid_on, method=method, by=by, refresh=False,
                )  # fmt: skip
        except ValidationError as exc:
            errors.append(f"{due.member.name}: {' '.join(exc.messages)}")
        else:
            count += 1
    if errors:
        transaction.set_rollback(True)
        return 0, errors
    reminders.refresh(branch)
    return count, []


# -- the bank's list of a month --------------------------------------------------------------

BANK_COLUMNS = [
    Column("id_number", gettext_lazy("ID number"), width=22),
    Column("name", gettext_lazy("name"), width=12),
    Column("amount", gettext_lazy("amount (yuan)"), MONEY, required=True, width=12),
    Column("paid_on", gettext_lazy("date"), DATE, required=True, width=12),
]
BANK_EXAMPLE = {"id_number": "", "name": "张三", "amount": Decimal("45.00"),
                "paid_on": datetime.date(2026, 3, 5)}  # fmt: skip


def write_bank_template(stream: BinaryIO) -> None:
    sheets.write_template(stream, BANK_COLUMNS, title=_("bank list"), example=BANK_EXAMPLE)


def bank_import(*, file: BinaryIO, branch: Organization, month: datetime.date,
                by=None) -> ImportResult:  # fmt: skip
    """The month's payments from the bank's list: each line a member of the branch (by ID
    number, or by name when the name is unique in the branch) and the amount they owe for
    the month, to the fen. All lines or none."""
    try:
        sheet = sheets.read_sheet(file, BANK_COLUMNS)
    except sheets.SheetError as exc:
        return ImportResult.refused(exc)
    result = ImportResult(errors=list(sheet.errors))
    if result.errors:
        result.errors = sheets.by_line(result.errors)
        return result
    ensure_open(branch, month)
    dues = {d.member_id: d for d in month_dues(branch, month).select_related("member")}
    by_number = {d.member.id_number: d for d in dues.values()}
    by_name: dict[str, list[Due]] = {}
    for due in dues.values():
        by_name.setdefault(due.member.name, []).append(due)
    seen: set[int] = set()

    def import_line(line: int, record: dict) -> None:
        due = _match(line, record, by_number, by_name, result)
        if due is None:
            return
        label = str(BANK_COLUMNS[2].label)
        if due.pk in seen:
            result.errors.append(RowError(line, "", _("%(name)s is on the list twice.")
                                          % {"name": due.member.name}))  # fmt: skip
            return
        seen.add(due.pk)
        if record["amount"] != due.amount:
            message = _("%(amount)s does not match the %(due)s %(name)s owes for the month.") % {
                "amount": record["amount"], "due": due.amount, "name": due.member.name}  # fmt: skip
            result.errors.append(RowError(line, label, message))
            return
        try:
            payment_record(member=due.member, first_month=due.month, paid_on=record["paid_on"],
                           amount=record["amount"], method=Method.BANK, by=by,
                           refresh=False)  # fmt: skip
        except ValidationError as exc:
            result.errors.extend(RowError(line, "", m) for m in exc.messages)
            return
        result.created += 1

    result = sheets.import_each(sheet.rows, import_line, result)
    if result.ok:
        reminders.refresh(branch)
    return result


def _match(line, record, by_number, by_name, result) -> Due | None:
    number = normalize_id_number(record.get("id_number") or "")
    if number:
        due = by_number.get(number)
        if due is None:
            result.errors.append(RowError(line, str(BANK_COLUMNS[0].label), _(
                "Nobody of this ID number owes dues to the branch for the month.")))  # fmt: skip
        return due
    found = by_name.get((record.get("name") or "").strip(), [])
    if len(found) == 1:
        return found[0]
    message = (_("Two members of the branch have this name: give the ID number.") if found
               else _("Nobody of this name owes dues to the branch for the month."))  # fmt: skip
    result.errors.append(RowError(line, str(BANK_COLUMNS[1].label), message))
    return None
