"""Roster import and export: all or nothing, every bad line named, exports read back."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._writer import WorksheetWriter

from members.choices import Gender
from members.models import Member, MembershipRecord
from members.roster import COLUMNS, roster_import, write_roster
from organizations.models import Organization

from .factories import id_number, make_member

HEADER = ["姓名", "公民身份号码", "性别", "出生日期", "民族", "学历", "职业", "联系电话",
          "状态", "组织代码", "在本组织起始日期", "入党日期", "转正日期", "离退休人员"]  # fmt: skip


def roster_row(i: int, org_code: str = "B1") -> list:
    gender = Gender.FEMALE if i % 5 == 0 else Gender.MALE
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=i * 5)
    return [
        f"测试{i}", id_number(birth, gender, area=f"{110000 + i // 400:06d}"),
        "女" if gender == Gender.FEMALE else "男", birth, "汉族", "大学本科", "党政机关工作人员",
        "", "正式党员", org_code, datetime.date(2020, 1, 1), datetime.date(1990, 7, 1),
        datetime.date(1991, 7, 1), "否",
    ]  # fmt: skip


def workbook_bytes(rows: list[list]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    stream = io.BytesIO()
    wb.save(stream)
    stream.seek(0)
    return stream


@pytest.mark.django_db
def test_one_bad_line_in_a_thousand_imports_nothing_and_names_it(tree):
    rows = [roster_row(i, "B1" if i % 2 else "B2") for i in range(1000)]
    rows[636][1] = rows[636][1][:-1] + ("0" if rows[636][1][-1] != "0" else "1")  # line 638
    result = roster_import(file=workbook_bytes(rows), organizations=Organization.objects.all())
    assert not result.ok
    assert [e.line for e in result.errors] == [638]
    assert "校验码" in result.errors[0].message or "check character" in result.errors[0].message
    assert Member.objects.count() == 0 and MembershipRecord.objects.count() == 0

    rows[636] = roster_row(636, "B1")
    result = roster_import(file=workbook_bytes(rows), organizations=Organization.objects.all())
    assert result.ok and result.created == 1000
    assert Member.objects.count() == 1000
    assert MembershipRecord.objects.filter(started_on=datetime.date(2020, 1, 1)).count() == 1000
    assert Member.history.count() == 1000  # the import is in the change history too


@pytest.mark.django_db
def test_every_bad_line_is_listed_with_its_reason(tree):
    rows = [roster_row(i) for i in range(6)]
    rows[0][8] = "党员"  # not a status
    rows[1][9] = "B4"  # outside the importer's scope below
    rows[3] = list(rows[2])  # the same person twice: the second line is refused
    rows[4][3] = "1950-13-01"  # not a date
    result = roster_import(
        file=workbook_bytes(rows), organizations=Organization.objects.subtree_of(tree.p1.pk)
    )
    lines = sorted({e.line for e in result.errors})
    assert lines == [2, 3, 5, 6]
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_existing_id_number_is_refused(tree):
    existing = make_member(tree.b1)
    row = roster_row(1)
    row[1] = existing.id_number
    row[3] = existing.birth_date
    row[2] = "男"
    row[11], row[12] = datetime.date(2010, 7, 1), datetime.date(2011, 7, 1)
    result = roster_import(file=workbook_bytes([row]), organizations=Organization.objects.all())
    assert [e.line for e in result.errors] == [2]


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_is_one_clear_error(tree):
    result = roster_import(
        file=io.BytesIO(b"not a workbook"), organizations=Organization.objects.all()
    )
    assert [e.line for e in result.errors] == [0]  # about the file, not a line of it
    assert str(result.errors[0]) == "该文件不是 Excel 工作簿（.xlsx）。"


@pytest.mark.django_db
def test_export_reads_back_masked_and_reimports_with_full_numbers(tree):
    people = [make_member(tree.b1, name=f"导出{i}") for i in range(3)]
    stream = io.BytesIO()
    assert write_roster(stream, Member.objects.all()) == 3
    stream.seek(0)
    sheet = load_workbook(stream).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (*HEADER[:10], "组织名称", *HEADER[10:])  # the template's, and the name
    assert {r[0] for r in rows[1:]} == {p.name for p in people}
    assert all("*" in r[1] for r in rows[1:])  # masked by default

    full = io.BytesIO()
    write_roster(full, Member.objects.all(), full_ids=True)
    Member.objects.all().delete()
    full.seek(0)
    result = roster_import(file=full, organizations=Organization.objects.all())
    assert result.ok and result.created == 3


def test_every_roster_row_but_the_header_takes_the_fast_path(tree, monkeypatch):
    """A new column of another type (a float, a datetime) would silently make the export
    several times slower; the benchmark would notice late, this notices at once."""
    make_member(tree.b1, converted_on=None)
    make_member(tree.b2, phone=" 13800000000 ")
    slow_rows = []
    original = WorksheetWriter.write_row

    def counting(self, xf, row, row_idx):
        slow_rows.append(row_idx)
        return original(self, xf, row, row_idx)

    monkeypatch.setattr(WorksheetWriter, "write_row", counting)
    assert write_roster(io.BytesIO(), Member.objects.all()) == 2
    assert slow_rows == [1]


@pytest.mark.django_db
def test_template_download_has_every_column(client, cast):
    client.force_login(cast.alice)
    response = client.get(reverse("members:roster_template"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]] == HEADER
    assert len(HEADER) == len(COLUMNS)


@pytest.mark.django_db
def test_import_page_lists_errors_and_imports_nothing(client, cast, tree):
    client.force_login(cast.alice)
    rows = [roster_row(1), roster_row(2, "B2")]
    upload = workbook_bytes(rows)
    upload.name = "roster.xlsx"
    response = client.post(reverse("members:roster_import"), {"file": upload})
    page = response.content.decode()
    assert "第 3 行" in page and "没有您有权维护的代码为“B2”的组织" in page
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_export_page_returns_the_filtered_list_of_the_users_scope(client, cast, people):
    client.force_login(cast.paul)
    response = client.post(reverse("members:member_export"), {"q": people.b2.name})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [people.b2.name]
    response = client.post(reverse("members:member_export"), {"q": people.b4.name})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 1  # B4 is outside Paul's committee


@pytest.mark.django_db
def test_large_export_becomes_a_job_with_a_download(
    client, cast, people, settings, django_capture_on_commit_callbacks
):
    settings.ROSTER_EXPORT_INLINE_LIMIT = 1
    client.force_login(cast.wendy)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:member_export"))
    assert response.status_code == 302
    from partybuild.models import Job

    job = Job.objects.get()
    assert job.status == "done", job.error
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 5  # header + one member in each of four branches


@pytest.mark.django_db
def test_exports_start_with_post_are_named_and_listed(client, cast, people):
    """A GET link must never start an export (crawlers made jobs); each export is listed
    under 我的导出 with what, scope and rows, under a name that says what it is."""
    from partybuild.models import Job

    client.force_login(cast.paul)
    assert client.get(reverse("members:member_export")).status_code == 405
    assert not Job.objects.exists()
    response = client.post(reverse("members:member_export"), {"status": "full"})
    disposition = response["Content-Disposition"]
    assert "%E8%8A%B1%E5%90%8D%E5%86%8C" in disposition  # 花名册
    assert "%E7%AC%AC%E4%B8%80%E5%85%9A%E5%A7%94" in disposition  # 第一党委
    job = Job.objects.get()
    assert (job.params["title"], job.params["scope"], job.result["rows"]) == (
        "花名册",
        "第一党委",
        3,
    )
    page = client.get(reverse("jobs:job_list")).content.decode()
    assert "花名册" in page and "第一党委" in page and f'data-testid="download-{job.pk}"' in page
    client.force_login(cast.alice)
    assert "第一党委" not in client.get(reverse("jobs:job_list")).content.decode()


@pytest.mark.django_db
def test_the_export_names_each_organization_and_has_a_filter(tree, people):
    stream = io.BytesIO()
    write_roster(stream, Member.objects.all())
    stream.seek(0)
    sheet = load_workbook(stream).active
    header = [c.value for c in sheet[1]]
    code = header.index("组织代码")
    assert header[code + 1] == "组织名称"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert (rows[0][code], rows[0][code + 1]) == ("B1", "第一党支部")
    assert sheet.auto_filter.ref == f"A1:O{len(rows) + 1}"
