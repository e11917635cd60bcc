import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations.forms import PositionForm
from organizations.models import Position, Post
from organizations.services import position_assign

from .factories import make_member


@pytest.mark.django_db
def test_one_current_holder_per_single_post_but_many_committee_members(tree):
    a, b, c = (make_member(tree.b1) for _ in range(3))
    position_assign(
        position=Position(
            organization=tree.b1,
            member=a,
            post=Post.SECRETARY,
            started_on=datetime.date(2024, 1, 1),
        )
    )
    with pytest.raises(ValidationError):
        position_assign(
            position=Position(
                organization=tree.b1,
                member=b,
                post=Post.SECRETARY,
                started_on=datetime.date(2024, 6, 1),
            )
        )
    for m in (b, c):
        position_assign(
            position=Position(
                organization=tree.b1,
                member=m,
                post=Post.COMMITTEE_MEMBER,
                started_on=datetime.date(2024, 1, 1),
            )
        )
    assert (
        Position.objects.current(datetime.date(2024, 7, 1)).filter(organization=tree.b1).count()
        == 3
    )


@pytest.mark.django_db
def test_secretary_assigns_and_ends_a_post_in_own_branch(client, cast, tree):
    member = make_member(tree.b1)
    client.force_login(cast.alice)
    url = reverse("organizations:position_add", args=[tree.b1.pk])
    data = {"post": "secretary", "member": member.pk, "started_on": "2024-03-01"}
    assert client.post(url, data).status_code == 302
    position = Position.objects.get()
    end = reverse("organizations:position_end", args=[position.pk])
    client.post(end, {"ended_on": "2024-02-01"})  # before it started: refused
    position.refresh_from_db()
    assert position.ended_on is None
    client.post(end, {"ended_on": "2025-03-01"})
    position.refresh_from_db()
    assert position.ended_on == datetime.date(2025, 3, 1)


@pytest.mark.django_db
def test_large_subtrees_pick_the_member_by_id_number(tree, monkeypatch):
    monkeypatch.setattr(PositionForm, "SELECT_LIMIT", 1)
    inside, outside = make_member(tree.b1), make_member(tree.b4)
    from members.models import Member

    candidates = Member.objects.party_members().filter(
        organization__ancestor_links__ancestor=tree.p1
    )
    make_member(tree.b2)
    form = PositionForm(
        {"post": "secretary", "member": inside.id_number.lower(), "started_on": "2024-01-01"},
        members=candidates,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["member"] == inside
    form = PositionForm(
        {"post": "secretary", "member": outside.id_number, "started_on": "2024-01-01"},
        members=candidates,
    )
    assert not form.is_valid()
