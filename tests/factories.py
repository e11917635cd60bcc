"""Test data: organizations linked into the tree through the service, members with valid IDs."""

import datetime
import itertools

from members.choices import Education, Gender, Occupation, Status
from members.idnumber import check_character
from members.models import Member
from members.services import member_create
from organizations.models import Kind, Organization, Position, Post
from organizations.services import organization_create

_sequence = itertools.count(1)


def id_number(birth: datetime.date, gender: str = Gender.MALE, area: str = "110105") -> str:
    """A valid resident ID number for this birth date and gender, unique per call."""
    n = next(_sequence) % 500
    seq = n * 2 + (1 if gender == Gender.MALE else 0)
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + check_character(body)


def make_org(code: str, kind: str = Kind.BRANCH, parent: Organization | None = None, **extra):
    org = Organization(
        code=code, name=extra.pop("name", f"组织{code}"), kind=kind, parent=parent, **extra
    )
    return organization_create(organization=org)


def make_member(
    organization: Organization,
    *,
    status: str = Status.FULL,
    gender: str = Gender.MALE,
    birth: datetime.date = datetime.date(1985, 6, 15),
    since: datetime.date = datetime.date(2015, 1, 1),
    **extra,
) -> Member:
    party = status in (Status.FULL, Status.PROBATIONARY)
    defaults = {
        "name": f"成员{next(_sequence)}",
        "education": Education.UNDERGRADUATE,
        "occupation": Occupation.ORGAN_STAFF,
        "joined_on": datetime.date(2010, 7, 1) if party else None,
        "converted_on": datetime.date(2011, 7, 1) if status == Status.FULL else None,
    }
    defaults.update(extra)
    member = Member(
        gender=gender,
        birth_date=birth,
        id_number=defaults.pop("id_number", None) or id_number(birth, gender),
        status=status,
        organization=organization,
        **defaults,
    )
    return member_create(member=member, since=since)


def make_position(org: Organization, member: Member, post: str = Post.SECRETARY, **extra):
    return Position.objects.create(
        organization=org,
        member=member,
        post=post,
        started_on=extra.pop("started_on", datetime.date(2024, 1, 1)),
        **extra,
    )
