"""Member pages: change history with who and what, ID disclosure log, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import IdNumberDisclosure

from .factories import make_member


@pytest.mark.django_db
def test_member_page_shows_who_changed_which_field(client, cast, people):
    client.force_login(cast.alice)
    member = people.b1
    data = {
        "name": "新名字", "id_number": member.id_number, "gender": member.gender,
        "birth_date": member.birth_date.isoformat(), "ethnicity": "01", "education": "postgraduate",
        "occupation": member.occupation, "joined_on": "2010-07-01", "converted_on": "2011-07-01",
    }  # fmt: skip
    response = client.post(reverse("members:member_edit", args=[member.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    history = page[page.index('data-testid="history"') :]
    assert "alice" in history and "姓名" in history
    assert "B1党员" in history and "新名字" in history
    assert "大学本科" in history and "研究生" in history


@pytest.mark.django_db
def test_full_id_number_is_shown_only_on_request_and_logged(client, cast, people):
    client.force_login(cast.alice)
    url = reverse("members:member_detail", args=[people.b1.pk])
    assert people.b1.id_number not in client.get(url).content.decode()
    response = client.post(reverse("members:member_id_reveal", args=[people.b1.pk]))
    assert people.b1.id_number in response.content.decode()
    assert IdNumberDisclosure.objects.get().user == cast.alice


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_member_list_query_count_does_not_grow_with_the_page(client, cast, tree):
    client.force_login(cast.wendy)
    make_member(tree.b1)
    few = count_queries(client, reverse("members:member_list"))
    for i in range(30):
        make_member(tree.b1 if i % 2 else tree.b4)
    assert count_queries(client, reverse("members:member_list")) == few


@pytest.mark.django_db
def test_organization_page_query_count_does_not_grow_with_children(client, cast, tree):
    from organizations.models import Kind

    from .factories import make_org

    client.force_login(cast.wendy)
    url = reverse("organizations:organization_detail", args=[tree.p2.pk])
    few = count_queries(client, url)
    for i in range(12):
        branch = make_org(f"B9{i:02d}", Kind.BRANCH, tree.p2)
        make_member(branch)
    assert count_queries(client, url) == few
    tree_url = reverse("organizations:tree_children", args=[tree.p2.pk])
    assert count_queries(client, tree_url) <= few


@pytest.mark.django_db
def test_history_shows_organization_names_and_yes_no(client, cast, tree):
    from members.services import member_move

    member = make_member(tree.b1)
    member_move(member=member, organization=tree.b2, on=datetime.date(2024, 1, 1))
    member.is_floating, member.floating_whereabouts = True, "深圳"
    member.save()
    client.force_login(cast.paul)
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    history = page[page.index('data-testid="history"') :]
    assert "第一党支部" in history and "第二党支部" in history
    assert "是" in history and "True" not in history
    assert f">{tree.b1.pk}<" not in history
