"""Bad input: clear errors in the user's language, nothing saved."""

import pytest
from django.urls import reverse

from members.models import Member
from organizations.models import Organization

VALID = {
    "status": "full",
    "since": "2020-01-01",
    "name": "李华",
    "id_number": "11010519491231002X",
    "gender": "F",
    "birth_date": "1949-12-31",
    "ethnicity": "01",
    "education": "undergraduate",
    "occupation": "retired",
    "joined_on": "1975-07-01",
    "converted_on": "1976-07-01",
}


@pytest.fixture
def alice_client(client, cast):
    client.force_login(cast.alice)
    return client


def post_member(client, tree, **changes):
    data = {**VALID, "organization": tree.b1.code, **changes}
    return client.post(reverse("members:member_create"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")


@pytest.mark.django_db
def test_valid_member_is_created_with_its_first_record(alice_client, tree):
    response = post_member(alice_client, tree)
    assert response.status_code == 302
    member = Member.objects.get(id_number="11010519491231002X")
    assert member.records.get().organization == tree.b1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id_number": "110105194912310021"}, "校验码"),
        ({"id_number": "1101051949"}, "18 位"),
        ({"birth_date": "1949-12-30"}, "出生日期与身份证号码不符"),
        ({"gender": "M"}, "性别与身份证号码不符"),
        ({"joined_on": "1960-01-01"}, "年满 18"),
        ({"joined_on": "2999-01-01"}, "不能晚于今天"),
        ({"converted_on": "1975-01-01"}, "转正应在入党之后"),
        ({"since": "2020-02-30"}, "有效的日期"),
    ],
)
def test_bad_input_shows_a_chinese_error_and_saves_nothing(alice_client, tree, changes, message):
    response = post_member(alice_client, tree, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_secretary_cannot_create_a_member_in_a_sibling_branch(alice_client, tree):
    response = post_member(alice_client, tree, organization=tree.b2.pk)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_parent_rule_error_is_a_chinese_form_error(client, cast, tree):
    client.force_login(cast.wendy)
    data = {"name": "新支部", "code": "B77", "kind": "general_branch", "parent": tree.g1.code}
    response = client.post(
        reverse("organizations:organization_create"), data, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    assert "党总支不能设在党总支之下" in response.content.decode()
    assert not Organization.objects.filter(code="B77").exists()


@pytest.mark.django_db
def test_english_is_available(client, cast, tree):
    client.force_login(cast.alice)
    client.post(reverse("set_language"), {"language": "en"})
    response = post_member(client, tree, id_number="110105194912310021")
    assert "check character" in response.content.decode()


@pytest.mark.django_db
def test_a_person_transferred_in_from_outside_is_recorded_as_such(alice_client, tree):
    post_member(alice_client, tree, arrival="transferred_in")
    record = Member.objects.get().records.get()
    assert record.start_event == "transferred_in"


@pytest.mark.django_db
def test_many_organizations_are_chosen_by_code_through_the_picker(client, cast, tree):
    """The form page never lists the organizations: the picker asks for matches."""
    client.force_login(cast.paul)
    page = client.get(reverse("members:member_create")).content.decode()
    select = page[page.index('<select name="organization"') :]
    select = select[: select.index("</select>")]
    assert "data-picker=" in select and select.count("<option") <= 1
    assert post_member(client, tree, organization="B4").status_code == 200  # outside P1
    assert not Member.objects.exists()
    assert post_member(client, tree, organization="B3").status_code == 302
    assert Member.objects.get().organization == tree.b3
