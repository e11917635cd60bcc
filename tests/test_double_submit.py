"""A create submitted twice (or by two people at once) is a form error, never HTTP 500."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisals.models import Campaign
from members.models import Member
from members.services import member_create
from organizations.models import Kind, Organization, Position, Post
from organizations.services import organization_create

from .factories import make_member


@pytest.mark.django_db
def test_a_second_member_with_the_same_number_is_a_field_error(tree, people):
    twin = Member(name="重复", id_number=people.b1.id_number, gender=people.b1.gender,
                  birth_date=people.b1.birth_date, education="undergraduate",
                  occupation="organ_staff", status="applicant", organization=tree.b1)  # fmt: skip
    with pytest.raises(ValidationError) as info:
        member_create(member=twin, since=datetime.date(2024, 1, 1))
    assert "id_number" in info.value.message_dict
    assert Member.objects.filter(id_number=people.b1.id_number).count() == 1


@pytest.mark.django_db
def test_a_second_organization_with_the_same_code_is_a_field_error(tree):
    with pytest.raises(ValidationError) as info:
        organization_create(organization=Organization(code="B1", name="重复", kind=Kind.BRANCH,
                                                      parent=tree.g1))  # fmt: skip
    assert "code" in info.value.message_dict


@pytest.mark.django_db
def test_the_same_post_is_not_given_twice_to_one_member(client, cast, tree):
    member = make_member(tree.b1)
    client.force_login(cast.alice)
    url = reverse("organizations:position_add", args=[tree.b1.pk])
    data = {"post": Post.COMMITTEE_MEMBER, "member": member.pk, "started_on": "2026-01-05"}
    assert client.post(url, data).status_code == 302
    for _ in range(2):
        response = client.post(url, data)
        assert response.status_code == 200 and "已担任此职务" in response.content.decode()
    assert Position.objects.filter(member=member).count() == 1


@pytest.mark.django_db
def test_a_campaign_submitted_twice_opens_once(client, cast, tree, people):
    data = {"organization": tree.p1.code, "year": 2025, "title": "评议", "starts_on": "2026-01-05",
            "ends_on": "2026-02-01", "deadline": "2026-03-01", "cap_applies": "on",
            "cap_numerator": 1, "cap_denominator": 3}  # fmt: skip
    client.force_login(cast.paul)
    assert client.post(reverse("appraisals:campaign_new"), data).status_code == 302
    response = client.post(reverse("appraisals:campaign_new"), data)
    assert response.status_code == 200 and "已在" in response.content.decode()
    assert Campaign.objects.count() == 1
