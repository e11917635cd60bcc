"""Personal data: a mask no shown column undoes, no full number in forms, every reveal,
change and export audited; viewers never see a number whole."""

import io
import itertools

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from members.idnumber import check_character
from members.models import Member, mask_id_number
from partybuild.models import Action, AuditEvent

from .factories import id_number, make_member


def candidates(masked: str, birth: str, known_area: str) -> list[str]:
    """Every valid number that fits the mask and the birth date shown beside it, even for
    someone who knows the whole area code (the mask keeps only its first 3 digits)."""
    assert masked[:3] == known_area[:3]
    found = []
    for a, b in itertools.product("0123456789", repeat=2):  # the two hidden sequence digits
        body = f"{known_area}{birth}{a}{b}{masked[-2]}"
        if body[:17].isdigit() and check_character(body) == masked[-1]:
            found.append(body + masked[-1])
    return found


@pytest.mark.django_db
def test_no_exported_column_gives_the_masked_number_back(client, cast, tree):
    for i in range(5):
        make_member(tree.b1, name=f"导出{i}")
    client.force_login(cast.alice)
    response = client.post(reverse("members:member_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert rows
    for row in rows:
        line = dict(zip(header, row, strict=True))
        member = Member.objects.get(name=line["姓名"])
        masked, shown = line["公民身份号码"], " ".join(str(v) for v in row if v is not None)
        assert member.id_number not in shown
        assert masked == member.id_number[:3] + "*" * 13 + member.id_number[-2:]
        birth = member.birth_date.strftime("%Y%m%d")
        # Even the birth date beside it and the whole area code leave several numbers.
        assert member.id_number in candidates(masked, birth, member.id_number[:6])
        assert len(candidates(masked, birth, member.id_number[:6])) >= 5


def test_the_mask_keeps_three_and_two_characters():
    assert mask_id_number("11010519491231002X") == "110*************2X"
    assert mask_id_number("123") == "***"


@pytest.mark.django_db
def test_the_edit_form_never_prints_the_number(client, cast, people):
    client.force_login(cast.alice)
    page = client.get(reverse("members:member_edit", args=[people.b1.pk])).content.decode()
    assert people.b1.id_number not in page
    assert people.b1.id_number[6:14] + people.b1.id_number[14:] not in page
    assert 'name="new_id_number"' in page and 'name="id_number"' not in page


def edit_data(member, **changes) -> dict:
    return {
        "name": member.name, "gender": member.gender, "birth_date": member.birth_date.isoformat(),
        "ethnicity": "01", "education": member.education, "occupation": member.occupation,
        "joined_on": "2010-07-01", "converted_on": "2011-07-01", **changes,
    }  # fmt: skip


@pytest.mark.django_db
def test_changing_the_number_is_deliberate_and_logged(client, cast, people):
    member = people.b1
    client.force_login(cast.alice)
    url = reverse("members:member_edit", args=[member.pk])
    assert client.post(url, edit_data(member, name="改名")).status_code == 302
    member.refresh_from_db()
    assert member.name == "改名" and not AuditEvent.objects.filter(action=Action.ID_CHANGED)
    new = id_number(member.birth_date, member.gender, area="440524")
    assert client.post(url, edit_data(member, new_id_number=new)).status_code == 302
    member.refresh_from_db()
    assert member.id_number == new
    event = AuditEvent.objects.get(action=Action.ID_CHANGED)
    assert event.user == cast.alice and event.object_id == str(member.pk)
    assert new not in event.summary and mask_id_number(new) in event.summary
    taken = people.b2.id_number
    response = client.post(url, edit_data(member, new_id_number=taken))
    assert response.status_code == 200 and "已登记" in response.content.decode()


@pytest.mark.django_db
def test_viewers_cannot_reveal_and_reveals_are_audited(client, cast, people):
    client.force_login(cast.victor)
    reveal = reverse("members:member_id_reveal", args=[people.b1.pk])
    response = client.post(reveal)
    assert response.status_code == 403 and people.b1.id_number not in response.content.decode()
    client.force_login(cast.alice)
    assert people.b1.id_number in client.post(reveal).content.decode()
    event = AuditEvent.objects.get(action=Action.ID_REVEALED)
    assert (event.user, event.object_id) == (cast.alice, str(people.b1.pk))


@pytest.mark.django_db
def test_every_export_is_audited_with_its_scope_and_rows(client, cast, tree, people, tmp_path):
    client.force_login(cast.paul)
    client.post(reverse("members:member_export"), {"status": "full"})
    event = AuditEvent.objects.get(action=Action.EXPORT, user=cast.paul)
    assert (
        event.detail["rows"]
        == Member.objects.filter(
            organization__ancestor_links__ancestor=tree.p1, status="full"
        ).count()
    )
    assert event.detail["filters"] == {"status": "full"} and not event.detail["full_id_numbers"]
    call_command("export_members", str(tmp_path / "r.xlsx"), organization="P1",
                 full_id_numbers=True)  # fmt: skip
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("id")
    assert event.detail["full_id_numbers"] and event.organization_id == tree.p1.pk
