"""Secretaries' yearly reports: written and submitted by the organization, rated by the
superior (not by the organization itself), issues to fix and their follow-up, the grades'
distribution per subtree on the dashboard and in the workbook."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from organizations.models import Post
from secretary_reports import services
from secretary_reports.models import Report

from .conftest import D
from .factories import make_member, make_position
from .test_statistics import compute


def submitted(org, year=2026, text="一年来，支部……"):
    report = services.report_for(org, year)
    report.text = text
    return services.report_save(report=report, submit=True)


@pytest.mark.django_db
def test_the_secretary_writes_submits_and_the_superior_rates(client, cast, tree):
    secretary = make_member(tree.b1, name="书记甲")
    make_position(tree.b1, secretary, Post.SECRETARY)
    client.force_login(cast.alice)
    url = reverse("secretary_reports:report_edit", args=[tree.b1.pk]) + "?year=2026"
    response = client.post(url, {"text": "", "submit": "1"})
    assert response.status_code == 200 and "text" in response.context["form"].errors
    upload = SimpleUploadedFile("述职报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    response = client.post(url, {"text": "", "attachment": upload, "submit": "1"})
    report = Report.objects.get(organization=tree.b1, year=2026)
    assert response.status_code == 302 and report.submitted_on is not None
    assert report.secretary == secretary and report.attachment_name == "述职报告.pdf"
    download = client.get(reverse("secretary_reports:attachment", args=[report.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 report"
    assert client.get(reverse("secretary_reports:evaluate", args=[report.pk])).status_code == 403
    client.force_login(cast.bob)
    assert client.get(reverse("secretary_reports:report", args=[report.pk])).status_code == 404
    client.force_login(cast.paul)
    response = client.post(reverse("secretary_reports:evaluate", args=[report.pk]),
                           {"score": "92", "grade": "good", "comment": "工作扎实"})  # fmt: skip
    assert response.status_code == 302
    client.post(reverse("secretary_reports:issue_new", args=[report.pk]),
                {"description": "党员教育形式单一", "deadline": "2026-12-31"})  # fmt: skip
    report.refresh_from_db()
    assert (report.score, report.grade) == (92, "good")
    issue = report.issues.get()
    client.force_login(cast.alice)
    client.post(reverse("secretary_reports:issue_done", args=[issue.pk]),
                {"on": "2026-09-01", "follow_up": "开展现场教学"})  # fmt: skip
    issue.refresh_from_db()
    assert issue.done_on == D(2026, 9, 1) and issue.follow_up == "开展现场教学"
    with pytest.raises(ValidationError):  # rated: no more changes
        services.report_save(report=report, submit=True)


@pytest.mark.django_db
def test_a_committee_does_not_rate_its_own_secretary(client, cast, tree):
    report = submitted(tree.p1)
    client.force_login(cast.paul)
    assert client.get(reverse("secretary_reports:evaluate", args=[report.pk])).status_code == 403
    client.force_login(cast.wendy)
    assert client.get(reverse("secretary_reports:evaluate", args=[report.pk])).status_code == 200


@pytest.mark.django_db
def test_the_grades_distribution_on_the_dashboard_and_in_the_workbook(client, cast, tree):
    for org, grade in ((tree.b1, "good"), (tree.b2, "good"), (tree.b3, "average"),
                       (tree.b4, "poor")):  # fmt: skip
        services.report_evaluate(report=submitted(org), score=80, grade=grade, on=D(2026, 6, 1))
    compute(D(2026, 6, 30))
    client.force_login(cast.wendy)
    page = client.get(reverse("reports:dashboard_of", args=[tree.p1.pk]), {"as_of": "2026-06-30"})
    rows = {r.label: (r.count, str(r.share)) for r in page.context["secretary_reports"]}
    assert rows["好"] == (2, "66.7") and rows["一般"] == (1, "33.3")
    response = client.post(reverse("reports:yearly", args=[tree.w.pk]), {"as_of": "2026-06-30"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    lines = {r[0]: r[1:3] for r in book["党组织"].iter_rows(values_only=True) if r[0]}
    assert lines["好"] == (2, pytest.approx(0.5)) and lines["差"] == (1, pytest.approx(0.25))
