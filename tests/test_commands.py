"""Operator commands: thin, all-or-nothing, clear messages, non-zero exit on bad input."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from members.models import Member
from organizations.models import Organization, OrganizationClosure

from .test_roster import roster_row, workbook_bytes

ORG_HEADER = [
    "代码",
    "名称",
    "类别",
    "上级组织代码",
    "所在单位",
    "成立日期",
    "本届选举日期",
    "任期（年）",
]


def org_file(tmp_path, rows, name="tree.xlsx"):
    wb = Workbook()
    wb.active.append(ORG_HEADER)
    for row in rows:
        wb.active.append(row)
    path = tmp_path / name
    wb.save(path)
    return str(path)


TREE_ROWS = [
    ["B01", "第一支部", "党支部", "P01", "财政局", datetime.date(2001, 1, 1),
     datetime.date(2024, 5, 1), None],
    ["W", "市直机关工委", "机关工委", None, "市直机关", None, None, None],
    ["P01", "财政局机关党委", "党委", "W", "财政局", None, datetime.date(2023, 4, 1), None],
    ["G01", "财政局第一党总支", "党总支", "P01", "财政局", None, None, None],
    ["B02", "第二支部", "党支部", "G01", "财政局", None, None, None],
]  # fmt: skip


@pytest.mark.django_db
def test_import_organizations_builds_the_tree_in_any_line_order(tmp_path, capsys):
    call_command("import_organizations", org_file(tmp_path, TREE_ROWS))
    assert "Imported 5 organizations" in capsys.readouterr().out
    w = Organization.objects.get(code="W")
    assert set(Organization.objects.subtree_of(w.pk).values_list("code", flat=True)) == {
        "W", "P01", "G01", "B01", "B02",
    }  # fmt: skip
    assert OrganizationClosure.objects.get(ancestor=w, descendant__code="B02").depth == 3
    assert Organization.objects.get(code="P01").term_ends_on == datetime.date(2028, 4, 1)


@pytest.mark.django_db
def test_import_organizations_reports_every_bad_line_and_imports_nothing(tmp_path, capsys):
    rows = [list(r) for r in TREE_ROWS]
    rows[3][3] = "B01"  # a general branch under a branch (line 5)
    rows[4][3] = "X99"  # unknown parent (line 6)
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_organizations", org_file(tmp_path, rows))
    err = capsys.readouterr().err
    assert "第 5 行" in err and "第 6 行" in err
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_import_organizations_refuses_a_missing_file():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_organizations", "/nonexistent/tree.xlsx")


@pytest.mark.django_db
def test_import_and_export_members_round_trip(tree, tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook_bytes([roster_row(i) for i in range(5)]).getvalue())
    call_command("import_members", str(path))
    assert Member.objects.count() == 5
    out = tmp_path / "out.xlsx"
    call_command("export_members", str(out), "--organization", "P1")
    sheet = load_workbook(out).active
    assert sheet.max_row == 6
    with pytest.raises(CommandError, match="No organization"):
        call_command("export_members", str(out), "--organization", "NOPE")


@pytest.mark.django_db
def test_import_members_with_a_bad_line_exits_non_zero(tree, tmp_path):
    rows = [roster_row(i) for i in range(3)]
    rows[1][9] = "NOPE"
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook_bytes(rows).getvalue())
    with pytest.raises(CommandError):
        call_command("import_members", str(path))
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_seed_demo_builds_a_consistent_small_dataset(capsys):
    call_command("seed_demo", "--members", "400", "--branches", "30")
    out = capsys.readouterr().out
    assert "secretary" in out and "partybuild-demo" in out
    orgs = Organization.objects.count()
    assert orgs == 1 + 34 + 52 + 30
    assert OrganizationClosure.objects.filter(depth=0).count() == orgs
    assert Member.objects.count() >= 400
    with pytest.raises(CommandError, match="empty"):
        call_command("seed_demo")
    call_command("seed_demo", "--if-empty")  # does nothing, exits 0
