"""The ranking of a scheme and each organization's score sheet as one workbook."""

from typing import BinaryIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from partybuild.cells import Formula, put, safe_title

from .models import Scheme, Score
from .services import results


def write_results(stream: BinaryIO, scheme: Scheme) -> None:
    book = Workbook()
    ranking = book.active
    ranking.title = _("Ranking")
    put(ranking, 1, 1, f"{scheme.title}")
    header = [_("rank"), _("organization"), _("self-assessment"), _("final score"), _("grade"),
              _("bottom place")]  # fmt: skip
    for col, label in enumerate(header, start=1):
        put(ranking, 3, col, label)
    rows = results(scheme)
    for line, row in enumerate(rows, start=4):
        for col, value in enumerate([row.rank, row.organization.name, float(row.self_total),
                                     float(row.final), row.grade_label,
                                     _("yes") if row.bottom else ""], start=1):  # fmt: skip
            put(ranking, line, col, value)
    items = list(scheme.items.all())
    scores = {(s.item_id, s.organization_id): s
              for s in Score.objects.filter(item__scheme=scheme)}  # fmt: skip
    for row in rows:
        sheet = book.create_sheet(safe_title(f"{row.rank} {row.organization.name}"))
        for col, label in enumerate([_("section"), _("item"), _("maximum points"),
                                     _("self-assessment"), _("final score")], start=1):  # fmt: skip
            put(sheet, 1, col, label)
        for line, item in enumerate(items, start=2):
            score = scores.get((item.pk, row.organization.pk))
            values = [item.section, item.title, float(item.max_points),
                      _number(score.self_points if score else None),
                      _number(score.final if score else None)]  # fmt: skip
            for col, value in enumerate(values, start=1):
                put(sheet, line, col, value)
        last = len(items) + 1
        put(sheet, last + 1, 2, _("total"))
        for col in "CDE":
            put(sheet, last + 1, "CDE".index(col) + 3, Formula(f"=SUM({col}2:{col}{last})"))
    book.save(stream)


def _number(value):
    return None if value is None else float(value)
