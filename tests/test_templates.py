"""Import templates people can fill in, and what the import makes of what they type."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from members.models import Member
from members.roster import roster_import, write_template
from organizations.models import Organization

from .factories import make_member
from .test_roster import HEADER, roster_row, workbook_bytes


def template() -> io.BytesIO:
    stream = io.BytesIO()
    write_template(stream)
    stream.seek(0)
    return stream


def test_the_template_has_an_example_drop_downs_dates_and_the_allowed_values():
    book = load_workbook(template())
    sheet, allowed = book.worksheets
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["A2"].value.startswith("（示例）") and sheet["C2"].value == "女"
    lists = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    choice_letters = {"C", "E", "F", "G", "I", "N"}  # gender ... retired (yes/no)
    assert {ref.split(":")[0][:-1] for ref in lists} == choice_letters
    assert all(f.startswith(f"'{allowed.title}'!") for f in lists.values())
    assert allowed.title == "可选值"
    ethnic = [c.value for c in allowed[allowed["A1"].offset(0, 2).column_letter]][1:]
    assert ("汉族" in ethnic and len(ethnic) == 56 + 1 - 1) or len(ethnic) >= 56
    assert sheet.column_dimensions["D"].number_format == "yyyy-mm-dd"


@pytest.mark.django_db
def test_the_template_filled_in_imports_without_its_example_line(tree):
    book = load_workbook(template())
    sheet = book.active
    for i, value in enumerate(roster_row(1), start=1):
        sheet.cell(3, i, value)
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    result = roster_import(file=stream, organizations=Organization.objects.all())
    assert result.ok and result.created == 1, [str(e) for e in result.errors]


@pytest.mark.django_db
def test_date_serials_spaces_and_one_message_per_bad_cell(tree):
    row = roster_row(1)
    number = row[1]
    row[1] = f"{number[:6]} {number[6:14]}\u3000{number[14:]}"  # pasted in groups
    row[3] = (row[3] - datetime.date(1899, 12, 30)).days  # the date as an Excel serial
    bad = roster_row(2)
    bad[5], bad[6] = "大学", "公务员"  # neither is an allowed value
    result = roster_import(
        file=workbook_bytes([row, bad]), organizations=Organization.objects.all()
    )
    messages = [str(e) for e in result.errors]
    assert len(messages) == 2 and all(m.startswith("第 3 行") for m in messages)
    assert "学历" in messages[0] and "研究生" in messages[0] and "大学本科" in messages[0]
    assert "职业" in messages[1] and "离退休人员" in messages[1]


@pytest.mark.django_db
def test_a_registered_number_says_who_holds_it_only_in_scope(tree):
    mine, theirs = make_member(tree.b1, name="已登记甲"), make_member(tree.b4, name="已登记乙")
    rows = [roster_row(1), roster_row(2)]
    rows[0][1], rows[1][1] = mine.id_number, theirs.id_number
    for row, member in zip(rows, (mine, theirs), strict=True):
        row[3], row[11], row[12] = member.birth_date, member.joined_on, member.converted_on
    scope = Organization.objects.filter(code__in=["B1", "B2"])
    result = roster_import(file=workbook_bytes(rows), organizations=scope)
    messages = [str(e) for e in result.errors if "公民身份号码" in str(e)]
    assert any("已登记甲" in m and "第一党支部" in m for m in messages)
    assert any("其他组织" in m for m in messages)
    assert not any("已登记乙" in m for m in messages)
    assert Member.objects.count() == 2


@pytest.mark.django_db
def test_a_formula_without_a_computed_value_is_reported_not_read_as_empty(tree):
    """A file written by a program: the birth date is a formula Excel never computed."""
    good, formula_only = roster_row(1), roster_row(2)
    good[3] = "=DATE(1985,6,15)"  # openpyxl saves formulas without their values
    formula_only[:] = [None] * len(formula_only)
    formula_only[0] = '=CONCAT("张","三")'  # a line of formulas is not an empty line
    result = roster_import(
        file=workbook_bytes([good, formula_only]), organizations=Organization.objects.all()
    )
    messages = [str(e) for e in result.errors]
    assert any(m.startswith("第 2 行") and "出生日期" in m and "公式" in m for m in messages)
    assert any(m.startswith("第 3 行") and "姓名" in m and "公式" in m for m in messages)
    assert not result.ok and Member.objects.count() == 0


@pytest.mark.django_db
def test_the_member_forms_say_who_holds_a_registered_number_only_in_scope(client, cast, tree):
    from django.urls import reverse

    mine, theirs = make_member(tree.b1, name="已登记甲"), make_member(tree.b4, name="已登记乙")
    client.force_login(cast.alice)
    data = {"status": "full", "organization": tree.b1.code, "since": "2020-01-01",
            "name": "新人", "gender": "", "ethnicity": "01", "education": "undergraduate",
            "occupation": "organ_staff", "joined_on": "2010-07-01",
            "converted_on": "2011-07-01"}  # fmt: skip
    for holder, expected in (
        (mine, "登记人为 已登记甲（第一党支部）"),
        (theirs, "已在其他组织登记"),
    ):
        number = f"{holder.id_number[:6]} {holder.id_number[6:]}"  # pasted with a space
        page = client.post(reverse("members:member_create"), data | {"id_number": number})
        assert expected in page.content.decode()
        assert "已登记乙" not in page.content.decode()
    other = make_member(tree.b1, name="另一人")
    page = client.post(reverse("members:member_edit", args=[other.pk]),
                       {"new_id_number": theirs.id_number, "name": other.name})  # fmt: skip
    assert "已在其他组织登记" in page.content.decode()
    page = client.post(reverse("members:member_edit", args=[other.pk]),
                       {"new_id_number": mine.id_number, "name": other.name})  # fmt: skip
    assert "登记人为 已登记甲（第一党支部）" in page.content.decode()
    assert Member.objects.count() == 3
