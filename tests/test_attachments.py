"""Uploaded files are served through a view that checks scope, under their own name."""

import datetime
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from development.models import Step
from members.choices import Status

from .factories import make_member


def applicant(tree):
    born, since = datetime.date(1994, 5, 1), datetime.date(2024, 1, 1)
    return make_member(tree.b1, status=Status.APPLICANT, joined_on=None, birth=born, since=since)


@pytest.mark.django_db
def test_an_attachment_is_downloaded_in_scope_under_its_name(client, cast, tree, settings):
    person = applicant(tree)
    client.force_login(cast.alice)
    url = reverse("development:step_new", args=[person.pk, "application"])
    upload = SimpleUploadedFile("入党申请书.pdf", b"%PDF-1.4 application", "application/pdf")
    assert client.post(url, {"on": "2024-03-01", "attachment": upload}).status_code == 302
    step = Step.objects.get(member=person)
    assert step.attachment_name == "入党申请书.pdf"
    page = client.get(reverse("development:person", args=[person.pk])).content.decode()
    download = reverse("development:step_attachment", args=[step.pk])
    assert download in page and "/media/" not in page
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "filename*=utf-8''%E5%85%A5" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    client.force_login(cast.bob)  # the sibling branch's secretary
    assert client.get(download).status_code == 404


@pytest.mark.django_db
def test_a_file_over_the_upload_limit_is_refused_not_truncated(client, cast, tree, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    person = applicant(tree)
    client.force_login(cast.alice)
    url = reverse("development:step_new", args=[person.pk, "application"])
    upload = SimpleUploadedFile("big.pdf", b"x" * 5000, "application/pdf")
    response = client.post(url, {"on": "2024-03-01", "attachment": upload})
    assert response.status_code == 200 and "最多接受" in response.content.decode()
    assert not Step.objects.filter(member=person).exists()


@pytest.mark.django_db
def test_behind_nginx_the_proxy_sends_the_file_after_the_scope_check(client, cast, tree, settings):
    """FILE_ACCEL_PREFIX: the app checks scope, then hands the sending to the proxy's
    internal location (X-Accel-Redirect); it never gives the file a public address."""
    settings.FILE_ACCEL_PREFIX = "/protected-media/"
    person = applicant(tree)
    client.force_login(cast.alice)
    url = reverse("development:step_new", args=[person.pk, "application"])
    upload = SimpleUploadedFile("入党申请书.pdf", b"%PDF-1.4 application", "application/pdf")
    client.post(url, {"on": "2024-03-01", "attachment": upload})
    step = Step.objects.get(member=person)
    download = reverse("development:step_attachment", args=[step.pk])
    response = client.get(download)
    assert response["X-Accel-Redirect"] == quote(f"/protected-media/{step.attachment.name}")
    assert response.content == b"" and "filename*=utf-8''%E5%85%A5" in response[
        "Content-Disposition"]  # fmt: skip
    client.force_login(cast.bob)
    response = client.get(download)
    assert response.status_code == 404 and "X-Accel-Redirect" not in response
