"""A fixture with the counts of a published city report (domain.md section 7).

9,875 party members of whom 1,930 women, in 628 organizations (34 party committees, 52
general branches, 542 branches) under the working committee; 263 admitted in 2025, of whom
80 women, 174 aged 35 or under and 197 with college education or above.
"""

import datetime

from members.choices import Education, Event, Gender, Occupation, Status
from members.demo import Size, _analyse, _Builder
from members.models import Member, MembershipRecord
from members.pinyin import with_pinyin
from members.tallies import tally_rebuild
from organizations.models import Organization, OrganizationClosure
from partybuild.bulk import copy_rows, reset_sequences

YEAR = 2025
AS_OF = datetime.date(YEAR, 12, 31)
MEMBERS, WOMEN = 9_875, 1_930
DEVELOPED, DEVELOPED_WOMEN, DEVELOPED_YOUNG, DEVELOPED_COLLEGE = 263, 80, 174, 197
ADMITTED_ON = datetime.date(YEAR, 6, 28)


def _person(i: int) -> dict:
    """Person i: the first 263 were admitted in the year; women are the first 80 of those
    and 1,850 of the others."""
    developed = i < DEVELOPED
    woman = i < DEVELOPED_WOMEN or DEVELOPED <= i < DEVELOPED + WOMEN - DEVELOPED_WOMEN
    young = developed and i < DEVELOPED_YOUNG  # 30 when admitted; the others 45
    college = not developed or i < DEVELOPED_COLLEGE
    return {
        "gender": Gender.FEMALE if woman else Gender.MALE,
        "birth_date": datetime.date(1995, 1, 1) if young else datetime.date(1980, 1, 1),
        "education": Education.UNDERGRADUATE if college else Education.SENIOR_SECONDARY,
        "status": Status.PROBATIONARY if developed else Status.FULL,
        "joined_on": ADMITTED_ON if developed else datetime.date(2005, 7, 1),
    }


def build_city_report() -> dict:
    """The tree of the demo (same kinds and counts) and the 9,875 members, loaded in bulk."""
    branches = _Builder(Size(members=0)).build_tree()
    members, records = [], []
    for i in range(MEMBERS):
        person = _person(i)
        org = branches[i % len(branches)]
        members.append({
            "id": i + 1, "name": f"党员{i}", "ethnicity": "01", "id_number": f"{i:018d}",
            "occupation": Occupation.ORGAN_STAFF, "phone": "", "converted_on": None,
            "left_on": None, "leave_reason": "", "is_retired": False,
            "transfer_pending": False, "organization_id": org.pk,
            "created_at": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC), **person,
        })  # fmt: skip
        admitted = person["status"] == Status.PROBATIONARY
        records.append({
            "member_id": i + 1, "organization_id": org.pk, "status": person["status"],
            "started_on": ADMITTED_ON if admitted else datetime.date(2015, 1, 1),
            "start_event": Event.ADMITTED if admitted else Event.REGISTERED,
            "end_event": "", "recorded_at": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        })  # fmt: skip
    copy_rows(Member, [with_pinyin(m) for m in members])
    copy_rows(MembershipRecord, records)
    reset_sequences(Member, MembershipRecord)
    tally_rebuild()
    # Planner statistics of the rows just loaded, as the demo loader keeps them: statistics
    # of the empty tables of an earlier test made PostgreSQL loop for minutes (seen once).
    _analyse([Organization, OrganizationClosure, Member, MembershipRecord])
    return {"branches": branches}
