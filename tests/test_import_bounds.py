"""Uploads are bounded in bytes, unpacked size, lines and time before they are parsed; long
imports run as jobs; pages list the first errors and say how many more there are."""

import datetime
import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook

from members.models import Member
from members.roster import COLUMNS
from partybuild.models import Action, AuditEvent, Job

from .factories import id_number
from .test_roster import roster_row

ROOT = Path(__file__).resolve().parent.parent


def roster_rows(n: int, org_code: str = "B1") -> list[list]:
    """n valid roster lines with distinct ID numbers and past birth dates."""
    rows = []
    for i in range(n):
        row = roster_row(1, org_code)
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=i % 7000)
        row[0], row[1], row[2], row[3] = (
            f"导入{i}",
            id_number(birth, "M", area=f"{110101 + i // 7000:06d}"),
            "男",
            birth,
        )
        rows.append(row)
    return rows


def upload(rows: list[list], name="roster.xlsx") -> io.BytesIO:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(c.label) for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    stream.name = name
    return stream


def bomb(path: Path, rows: int = 1_048_576) -> None:
    """A workbook of `rows` filled lines, written straight as XML (a few MB zipped)."""
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(head.encode())
            sheet.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>')
            chunk = []
            for r in range(2, rows + 1):
                chunk.append(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>')
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
    '"worksheets/sheet1.xml"/></Relationships>'
)

MEASURE = """
import sys, time
import django
django.setup()
from members import roster
from partybuild import sheets
started = time.monotonic()
try:
    sheets.read_sheet(open(sys.argv[1], "rb"), roster.COLUMNS)
    outcome = "read"
except sheets.SheetError as exc:
    outcome = str(exc)
seconds = time.monotonic() - started
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(f"{seconds:.2f}|{peak // 1024}|{outcome}")
"""


def test_a_million_line_workbook_is_refused_within_5_s_and_200_mb(tmp_path):
    path = tmp_path / "bomb.xlsx"
    bomb(path)
    assert path.stat().st_size < 6 * 1024 * 1024
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "partybuild.test_settings"}
    run = subprocess.run([sys.executable, "-c", MEASURE, str(path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    seconds, megabytes, outcome = run.stdout.strip().split("|", 2)
    assert "50000" in outcome, run.stdout + run.stderr  # more than 50,000 lines: refused
    assert float(seconds) < 5 and int(megabytes) < 200, run.stdout


def test_unpacked_size_is_checked_before_parsing(tmp_path, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    path = tmp_path / "bomb.xlsx"
    bomb(path, rows=60_000)
    from partybuild import sheets

    started = time.monotonic()
    with pytest.raises(sheets.SheetError, match="解压后"), open(path, "rb") as file:
        sheets.read_sheet(file, COLUMNS)
    assert time.monotonic() - started < 0.5


@pytest.mark.django_db
def test_a_file_over_the_byte_limit_is_refused_unread(client, cast, tree, settings):
    settings.IMPORT_MAX_BYTES = 10_000
    client.force_login(cast.alice)
    response = client.post(reverse("members:roster_import"), {"file": upload(roster_rows(300))})
    page = response.content.decode()
    assert "最多接受" in page and "第 1 行" not in page
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_the_page_lists_200_errors_and_says_how_many_more(client, cast, tree):
    rows = roster_rows(260, org_code="B9")  # no such organization: every line is wrong
    client.force_login(cast.alice)
    response = client.post(reverse("members:roster_import"), {"file": upload(rows)})
    page = response.content.decode()
    assert page.count("没有您有权维护的代码为“B9”的组织") == 200
    assert "260 个问题" in page and "另有 60 个问题" in page


@pytest.mark.django_db
def test_a_long_roster_is_imported_by_a_job(
    client, cast, tree, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_LIMIT = 50
    client.force_login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:roster_import"), {"file": upload(roster_rows(80))})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done" and job.result["created"] == 80, (job.error, job.result)
    assert not job.upload  # the uploaded personal data is not kept
    assert Member.objects.filter(organization=tree.b1).count() == 80
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "已导入 80 条记录" in page
    actions = AuditEvent.objects.filter(action=Action.IMPORT).values_list("detail", flat=True)
    assert any(d.get("created") == 80 for d in actions)
    client.force_login(cast.bob)  # a job is its user's own
    assert client.get(reverse("jobs:job_detail", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_an_appraisal_sheet_file_longer_than_the_sheet_is_refused_unparsed(cast, tree):
    from appraisals.models import Sheet
    from appraisals.services import campaign_open
    from appraisals.sheet_io import import_sheet

    from .factories import make_member

    make_member(tree.b1)
    campaign = campaign_open(
        organization=tree.w, year=2025, title="评议", starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 2, 1), deadline=datetime.date(2026, 3, 1),
    )  # fmt: skip
    sheet = Sheet.objects.get(campaign=campaign, organization=tree.b1)
    result = import_sheet(file=upload([[i] for i in range(500)]), sheet=sheet, by=cast.alice)
    assert [e.line for e in result.errors] == [0] and "多于本评议表的党员人数" in str(
        result.errors[0]
    )
