"""Historical development records: imported through the rules, all lines or none."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from development.importer import COLUMNS, development_import
from development.models import Step
from members.choices import Status
from members.models import Member

from .procedure import happy_path

D = datetime.date


def workbook(rows: list[dict], header: list[str] | None = None) -> io.BytesIO:
    keys = [c.key for c in COLUMNS]
    wb = Workbook()
    wb.active.append(header or keys)
    for row in rows:
        wb.active.append([row.get(k) for k in keys])
    stream = io.BytesIO()
    wb.save(stream)
    stream.seek(0)
    return stream


def history_rows(person, tree, introducers) -> list[dict]:
    rows = []
    for kind, on, details in happy_path(tree, introducers):
        row = {"id_number": person.id_number, "kind": str(kind), "on": on}
        for key, value in details.items():
            if key == "people":
                row["people"] = ";".join(p.id_number for p in value)
            elif key == "approving_organization":
                row["approver"] = value.code
            elif key == "vote":
                row.update(should_attend=10, present=10, yes=10, no=0)
            else:
                row[key] = value
        rows.append(row)
    return rows


@pytest.mark.django_db
def test_a_whole_history_imports_in_any_line_order(tree, cast, person, introducers):
    rows = history_rows(person, tree, introducers)
    rows.reverse()
    result = development_import(file=workbook(rows), members=Member.objects.all(), by=cast.paul)
    assert result.ok, result.errors
    assert result.created == len(rows) == 20
    person.refresh_from_db()
    assert person.status == Status.FULL and person.joined_on == D(2025, 7, 1)


@pytest.mark.django_db
def test_one_refused_line_imports_nothing_and_names_it(tree, cast, person, introducers):
    rows = history_rows(person, tree, introducers)
    rows[9]["training_days"] = 2  # the training line is line 11 of the file
    result = development_import(file=workbook(rows), members=Member.objects.all(), by=cast.paul)
    assert [e.line for e in result.errors][:1] == [11]
    assert "集中培训" in str(result.errors[0])
    assert not Step.objects.exists()
    person.refresh_from_db()
    assert person.status == Status.APPLICANT


@pytest.mark.django_db
def test_people_outside_the_importers_scope_are_refused(tree, cast, person, introducers):
    rows = history_rows(person, tree, introducers)[:2]
    scope = Member.objects.filter(organization=tree.b2)  # Bob's branch, not the person's
    result = development_import(file=workbook(rows), members=scope, by=cast.bob)
    assert [e.line for e in result.errors] == [2, 3]


@pytest.mark.django_db
def test_import_page_with_the_downloaded_template(client, cast, tree, person, introducers):
    client.force_login(cast.alice)
    template = client.get(reverse("development:development_template"))
    header = [
        c.value for c in load_workbook(io.BytesIO(b"".join(template.streaming_content))).active[1]
    ]
    assert header[:3] == ["公民身份号码", "步骤", "日期"]
    rows = history_rows(person, tree, introducers)[:3]
    upload = workbook(rows, header=header)
    upload.name = "history.xlsx"
    response = client.post(reverse("development:development_import"), {"file": upload})
    assert response.status_code == 302
    assert Step.objects.filter(member=person).count() == 3


@pytest.mark.django_db
def test_viewers_cannot_import(client, cast):
    client.force_login(cast.victor)
    assert client.get(reverse("development:development_import")).status_code == 403


@pytest.mark.django_db
def test_the_import_page_names_its_file_for_what_it_is(client, cast):
    client.force_login(cast.alice)
    page = client.get(reverse("development:development_import")).content.decode()
    assert "发展党员记录文件" in page and "花名册文件" not in page
