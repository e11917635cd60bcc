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
    member.is_retired = True
    member.save()
    client.force_login(cast.paul)
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    history = page[page.index('data-testid="history"') :]
    assert "第一党支部" in history and "第二党支部" in history
    assert "是" in history and "True" not in history
    assert f">{tree.b1.pk}<" not in history


def names(response) -> list[str]:
    return [m.name for m in response.context["page"].object_list]


@pytest.mark.django_db
def test_member_list_sorts_names_by_pinyin_and_finds_initials_and_last_four(client, cast, tree):
    from members.choices import Status

    for name in ("张三", "安然", "昂扬", "白雪", "曾国藩"):
        make_member(tree.b1, name=name)
    applicant = make_member(tree.b1, name="赵四", status=Status.APPLICANT)
    client.force_login(cast.wendy)
    url = reverse("members:member_list")
    # 安 an, 昂 ang, 白 bai, 曾 zeng, 张 zhang, 赵 zhao: a-z by pinyin, not by code point
    assert names(client.get(url, {"sort": "name"})) == ["安然", "昂扬", "白雪", "曾国藩", "张三",
                                                        "赵四"]  # fmt: skip
    assert names(client.get(url, {"sort": "-name"}))[0] == "赵四"
    assert sorted(names(client.get(url, {"q": "zs"}))) == sorted(["张三", "赵四"])
    assert names(client.get(url, {"q": "ZGF"})) == ["曾国藩"]
    assert names(client.get(url, {"q": applicant.id_number[-4:]})) == ["赵四"]
    # 人员 while non-members are listed, 党员 once the list holds party members only
    assert "人员" in client.get(url).content.decode().split("</h1>")[0]
    page = client.get(url, {"status": "party"})
    assert "赵四" not in names(page) and len(names(page)) == 5
    assert '<h1 class="h3 mb-0" data-testid="list-heading">党员' in page.content.decode()


@pytest.mark.django_db
def test_member_list_numbered_pages_and_a_jump(client, cast, tree, monkeypatch):
    from django.core.paginator import Paginator

    from members import views

    for i in range(12):
        make_member(tree.b1, name=f"成员{i:02d}")
    monkeypatch.setattr(views, "Paginator", lambda qs, n: Paginator(qs, 2))
    client.force_login(cast.wendy)
    page = client.get(reverse("members:member_list"), {"page": 4, "gender": "M"})
    html = page.content.decode()
    nav = html[html.index('data-testid="pagination"') :]
    for number in (1, 2, 3, 5, 6):
        assert f"gender=M&amp;page={number}" in nav
    assert 'aria-current="page"><span class="page-link">4<' in nav
    assert 'name="gender" value="M"' in nav and 'max="6"' in nav  # the jump keeps the filter


@pytest.mark.django_db
def test_breadcrumbs_lead_down_from_the_top_of_the_users_scope(client, cast, tree, people):
    import re

    def crumbs(url) -> list[str]:
        page = client.get(url).content.decode()
        trail = page[page.index('data-testid="breadcrumbs"') : page.index("</ol></nav>")]
        return [re.sub(r"<[^>]+>", "", "<li" + item).strip() for item in trail.split("<li")[1:]]

    client.force_login(cast.paul)
    member = reverse("members:member_detail", args=[people.b1.pk])
    assert crumbs(member) == ["首页", "党员", "第一党委", "第一党总支", "第一党支部", "B1党员"]
    client.force_login(cast.wendy)
    assert crumbs(member)[2] == "市直机关工委"
    assert crumbs(reverse("members:member_list")) == ["首页", "党员"]
    assert crumbs(reverse("organizations:organization_create"))[-1] == "新建组织"


@pytest.mark.django_db
def test_the_migration_fills_the_pinyin_of_people_already_registered(tree):
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps

    from members.models import Member

    people = [make_member(tree.b1, name=n) for n in ("曾国藩", "张三", "张三")]
    Member.objects.update(name_pinyin="", name_initials="")
    migration = import_module("members.migrations.0008_name_in_pinyin")
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    migration.fill_pinyin(apps, editor)
    keys = dict(Member.objects.filter(pk__in=[p.pk for p in people])
                .values_list("name", "name_initials"))  # fmt: skip
    assert keys == {"曾国藩": "zgf", "张三": "zs"}


@pytest.mark.django_db
def test_the_lists_length_from_the_kept_counts_equals_a_count_of_the_rows(client, cast, tree):
    """Unfiltered, the list's length comes from the organizations' kept counts (a whole
    city's 320,000 rows are not counted): it equals the rows listed, for every role, for a
    subtree, after a move and a departure; a filter counts the rows themselves."""
    from members.choices import Status
    from members.services import member_leave, member_move

    make_member(tree.b1)
    make_member(tree.b1, status=Status.PROBATIONARY, gender="F")
    make_member(tree.b2, status=Status.APPLICANT, joined_on=None)
    leaving = make_member(tree.b4, status=Status.ACTIVIST, joined_on=None)
    moving = make_member(tree.b3)
    member_move(member=moving, organization=tree.b4, on=datetime.date(2025, 3, 1))
    member_leave(member=leaving, status=Status.DECEASED, on=datetime.date(2025, 4, 1),
                 reason="病故")  # fmt: skip
    url = reverse("members:member_list")
    cases = [
        (cast.wendy, "", 4, True), (cast.paul, "", 3, True), (cast.alice, "", 2, True),
        (cast.wendy, f"?organization={tree.p2.pk}", 1, True),
        (cast.wendy, "?gender=F", 1, False), (cast.wendy, "?status=applicant", 1, False),
    ]  # fmt: skip
    for user, query, expected, kept in cases:
        client.force_login(user)
        page = client.get(url + query).context["page"]
        assert page.paginator.count == expected == len(page.object_list), (user, query)
        assert hasattr(page.paginator, "known_count") is kept, (user, query)
