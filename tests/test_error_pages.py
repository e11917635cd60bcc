"""404, 403 and 500 pages in the user's language that fit a phone, with DEBUG off and on
(`make run` turns it on: Django's technical pages would be English and not fit a phone)."""

import pytest
from django.test import Client
from django.urls import reverse

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    settings.ROOT_URLCONF = "tests.errors_urls"
    return request.param


@pytest.mark.django_db
def test_not_found_in_the_users_language(client, cast, debug):
    client.force_login(cast.alice)
    for url in ("/no-such-page/", reverse("members:member_detail", args=[999_999])):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 404 and VIEWPORT in page
        assert "未找到" in page
        assert "URLconf" not in page and "Django" not in page
    client.cookies["django_language"] = "en"
    page = client.get("/no-such-page/").content.decode()
    assert "Not found" in page and "未找到" not in page


@pytest.mark.django_db
def test_not_allowed_in_the_users_language(client, cast, tree, debug):
    client.force_login(cast.victor)  # a viewer
    response = client.get(reverse("members:member_create"))
    page = response.content.decode()
    assert response.status_code == 403 and VIEWPORT in page and "无权操作" in page


@pytest.mark.django_db
def test_server_error_in_the_users_language(cast, debug):
    client = Client(raise_request_exception=False)
    client.force_login(cast.alice)
    response = client.get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500 and VIEWPORT in page
    assert "服务器错误" in page and "Traceback" not in page and "RuntimeError" not in page
    client.cookies["django_language"] = "en"
    assert "Server error" in client.get("/broken/").content.decode()
