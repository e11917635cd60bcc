"""Organizational life: who should attend as of the day, quorum, party groups, compliance by
period at its boundaries, and the scope of the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.compliance import HELD, MISSED, RUNNING, branch_compliance
from meetings.models import Attendance, Kind, Meeting
from organizations.models import Position, Post

from .factories import make_member

D = datetime.date
A = Attendance.State


MARCH_31 = D(2026, 3, 31)


def meeting(org, kind=Kind.MEMBER_MEETING, on=MARCH_31, **fields) -> Meeting:
    values = {"topic": "学习", "lecturer": "书记" if kind == Kind.PARTY_LESSON else ""}
    values.update(fields)
    return services.meeting_create(meeting=Meeting(organization=org, kind=kind, on=on, **values))


def mark(m: Meeting, present: int, *, excluded: int = 0) -> Meeting:
    """The first `excluded` rows not counted (long illness), the next `present` present, the
    rest absent."""
    marks = {}
    for i, row in enumerate(m.attendance.order_by("id")):
        if i < excluded:
            marks[row.pk] = services.Mark(A.LEAVE, "长期病休", excluded=True)
        elif i < excluded + present:
            marks[row.pk] = services.Mark(A.PRESENT)
        else:
            marks[row.pk] = services.Mark(A.ABSENT)
    return services.attendance_save(meeting=m, marks=marks)


@pytest.mark.django_db
def test_who_should_attend_is_read_from_the_registry_as_of_the_meeting_day(tree):
    make_member(tree.b1, name="早已在册")
    make_member(tree.b1, name="四月一日转入", since=D(2026, 4, 1))
    m = meeting(tree.b1, on=D(2026, 3, 31))
    assert [a.member.name for a in m.attendance.all()] == ["早已在册"]
    assert meeting(tree.b1, on=D(2026, 4, 1)).should_attend == 2


@pytest.mark.django_db
def test_quorum_is_more_than_half_of_those_who_should_attend(tree):
    for _ in range(16):
        make_member(tree.b1)
    m = meeting(tree.b1, decides=True)
    with pytest.raises(ValidationError, match="8"):
        mark(m, 8)  # 8 of 16: no quorum, nothing saved
    m.refresh_from_db()
    assert not m.held and m.present == 16  # still as listed
    m = mark(m, 9)
    assert m.held and services.quorum(m).valid and (m.present, m.counted) == (9, 16)
    # Two on long leave are not counted: 8 present of 14 is a quorum.
    other = mark(meeting(tree.b1, decides=True, on=D(2026, 4, 2)), 8, excluded=2)
    assert (other.counted, other.present, services.quorum(other).valid) == (14, 8, True)
    assert str(other.attendance_rate) == "57.1"  # 8 / 14


@pytest.mark.django_db
def test_probationary_members_have_no_vote_in_the_quorum(tree):
    from members.choices import Status

    for _ in range(3):
        make_member(tree.b1)
    for _ in range(3):
        make_member(tree.b1, status=Status.PROBATIONARY)
    m = meeting(tree.b1, decides=True)
    rows = list(m.attendance.order_by("probationary", "id"))  # the 3 full members first
    marks = {r.pk: services.Mark(A.PRESENT if r.probationary or i == 0 else A.ABSENT)
             for i, r in enumerate(rows)}  # fmt: skip
    with pytest.raises(ValidationError):  # 1 of 3 full members, though 4 of 6 came
        services.attendance_save(meeting=m, marks=marks)


@pytest.mark.django_db
def test_a_committee_meeting_needs_a_committee_and_counts_its_members(tree):
    people = [make_member(tree.b1) for _ in range(5)]
    with pytest.raises(ValidationError, match="委员会"):
        meeting(tree.b1, Kind.COMMITTEE_MEETING)
    for person, post in zip(people, [Post.SECRETARY, Post.ORGANIZATION, Post.PROPAGANDA],
                            strict=False):  # fmt: skip
        Position.objects.create(organization=tree.b1, member=person, post=post,
                                started_on=D(2024, 1, 1))  # fmt: skip
    m = meeting(tree.b1, Kind.COMMITTEE_MEETING)
    assert m.should_attend == 3 and m.decides
    with pytest.raises(ValidationError):
        mark(m, 1)
    assert mark(m, 2).held


@pytest.mark.django_db
def test_a_member_is_in_at_most_one_group_of_the_branch(tree):
    a, b = make_member(tree.b1, name="甲"), make_member(tree.b1, name="乙")
    first = services.group_create(organization=tree.b1, name="第一党小组", started_on=D(2026, 1, 1),
                                  leader=a)  # fmt: skip
    second = services.group_create(organization=tree.b1, name="第二党小组",
                                   started_on=D(2026, 1, 1))  # fmt: skip
    services.group_join(group=first, member=b, on=D(2026, 1, 1))
    services.group_join(group=second, member=b, on=D(2026, 3, 1))  # moves
    assert set(services.group_members(first, D(2026, 2, 1))) == {a, b}
    assert set(services.group_members(first, D(2026, 3, 1))) == {a}
    assert set(services.group_members(second, D(2026, 3, 1))) == {b}
    m = meeting(tree.b1, Kind.GROUP_MEETING, on=D(2026, 2, 15), group=first)
    assert m.should_attend == 2
    with pytest.raises(ValidationError):
        services.group_create(organization=tree.p1, name="组", started_on=D(2026, 1, 1))


def states(compliance, kind) -> dict[int, str]:
    return {c.period.last_month: c.state for c in compliance.cells if c.kind == kind}


@pytest.mark.django_db
def test_a_monthly_kind_held_on_the_last_day_counts_for_that_month_only(tree):
    make_member(tree.b1)
    mark(meeting(tree.b1, Kind.THEME_DAY, on=D(2026, 1, 31)), 1)
    cells = branch_compliance([tree.b1], 2026, D(2026, 3, 15))[tree.b1.pk]
    assert states(cells, Kind.THEME_DAY) == {1: HELD, 2: MISSED, 3: RUNNING}


@pytest.mark.django_db
def test_a_quarterly_kind_missed_in_q2_is_red_for_q2_only(tree):
    make_member(tree.b1)
    mark(meeting(tree.b1, Kind.MEMBER_MEETING, on=D(2026, 3, 10)), 1)
    mark(meeting(tree.b1, Kind.MEMBER_MEETING, on=D(2026, 7, 1)), 1)
    cells = branch_compliance([tree.b1], 2026, D(2026, 10, 15))[tree.b1.pk]
    assert states(cells, Kind.MEMBER_MEETING) == {3: HELD, 6: MISSED, 9: HELD, 12: RUNNING}
    # A branch without a committee is not asked for committee meetings; a planned meeting
    # (not held) counts for nothing.
    assert states(cells, Kind.COMMITTEE_MEETING) == {}
    meeting(tree.b1, Kind.THEME_DAY, on=D(2026, 9, 1))  # planned only
    assert states(branch_compliance([tree.b1], 2026, D(2026, 10, 15))[tree.b1.pk],
                  Kind.THEME_DAY)[9] == MISSED  # fmt: skip
    # Required of Jan-Sep (theme days 9, member meetings 3, lesson 3, life meeting 0 yet).
    assert (cells.held, cells.required) == (2, 15)


@pytest.mark.django_db
def test_the_statistics_tallies_equal_the_cells_tallies(tree):
    """branch_tallies (every branch of the city, no cells) counts what branch_compliance's
    cells count: committee months, groups set up and closed mid-year, a meeting held in a
    period still running, one held after the day, a committee meeting without a committee."""
    from meetings.compliance import branch_tallies
    from meetings.models import PartyGroup

    people = [make_member(tree.b1) for _ in range(3)]
    make_member(tree.b2)
    for person, post in zip(people, ("secretary", "organization", "propaganda"), strict=True):
        Position.objects.create(organization=tree.b1, member=person, post=post,
                                started_on=D(2026, 2, 15))  # fmt: skip
    services.group_create(organization=tree.b1, name="一组", started_on=D(2026, 3, 1))
    PartyGroup.objects.create(organization=tree.b1, name="二组", started_on=D(2025, 1, 1),
                              ended_on=D(2026, 5, 10))  # fmt: skip
    group = PartyGroup.objects.get(name="一组")
    for kind, on, extra in [
        (Kind.COMMITTEE_MEETING, D(2026, 3, 5), {}), (Kind.COMMITTEE_MEETING, D(2026, 9, 5), {}),
        (Kind.GROUP_MEETING, D(2026, 4, 2), {"group": group}),
        (Kind.THEME_DAY, D(2026, 6, 30), {}), (Kind.THEME_DAY, D(2026, 6, 2), {}),
        (Kind.MEMBER_MEETING, D(2026, 5, 3), {}), (Kind.MEMBER_MEETING, D(2026, 4, 3), {}),
        (Kind.PARTY_LESSON, D(2026, 11, 20), {}), (Kind.OTHER, D(2026, 2, 2), {}),
    ]:  # fmt: skip
        mark(meeting(tree.b1, kind, on=on, **extra), 3)
    mark(meeting(tree.b2, Kind.THEME_DAY, on=D(2026, 1, 9)), 1)
    Position.objects.filter(organization=tree.b1).update(ended_on=D(2026, 8, 1))
    for day in (D(2026, 3, 31), D(2026, 5, 4), D(2026, 6, 30), D(2026, 10, 15), D(2026, 12, 31)):
        cells = branch_compliance([tree.b1, tree.b2], 2026, day)
        tallies = branch_tallies([tree.b1.pk, tree.b2.pk], 2026, day)
        for branch in (tree.b1, tree.b2):
            assert tallies[branch.pk].required_by_month == cells[branch.pk].required_by_month
            assert tallies[branch.pk].held_by_month == cells[branch.pk].held_by_month


@pytest.mark.django_db
def test_a_secretary_sees_and_records_only_her_branchs_meetings(client, cast, tree):
    make_member(tree.b1)
    make_member(tree.b2)
    mine, theirs = meeting(tree.b1), meeting(tree.b2)
    client.force_login(cast.alice)
    assert client.get(reverse("meetings:meeting_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("meetings:meeting_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("meetings:meeting_new", args=[tree.b2.pk])).status_code == 404
    page = client.get(reverse("meetings:meeting_list", args=[tree.b1.pk])).content.decode()
    assert reverse("meetings:meeting_detail", args=[mine.pk]) in page
    data = {"kind": Kind.THEME_DAY, "on": "2026-05-08", "topic": "主题党日"}
    response = client.post(reverse("meetings:meeting_new", args=[tree.b1.pk]), data)
    created = Meeting.objects.get(topic="主题党日")
    assert response["Location"] == reverse("meetings:meeting_detail", args=[created.pk])
    row = created.attendance.get()
    response = client.post(reverse("meetings:meeting_detail", args=[created.pk]),
                           {f"a{row.pk}-state": "leave", f"a{row.pk}-reason": ""})  # fmt: skip
    assert "请假原因" in response.content.decode() or "原因" in response.content.decode()
    created.refresh_from_db()
    assert not created.held
    client.post(reverse("meetings:meeting_detail", args=[created.pk]),
                {f"a{row.pk}-state": "present"})  # fmt: skip
    created.refresh_from_db()
    assert created.held and created.present == 1


@pytest.mark.django_db
def test_staff_see_their_subtrees_matrix_with_rates_that_add_up(client, cast, tree):
    for org in (tree.b1, tree.b2, tree.b4):
        make_member(org)
    mark(meeting(tree.b1, Kind.THEME_DAY, on=D(2026, 1, 10)), 1)
    client.force_login(cast.paul)
    response = client.get(reverse("meetings:matrix_of", args=[tree.p1.pk]), {"year": 2025})
    rows = {r.organization.code: r for r in response.context["rows"]}
    assert set(rows) == {"G1", "B3"}
    total = response.context["total"].compliance
    assert total.required == rows["G1"].compliance.required + rows["B3"].compliance.required
    assert total.held == rows["G1"].compliance.held + rows["B3"].compliance.held
    assert client.get(reverse("meetings:matrix_of", args=[tree.w.pk])).status_code == 404
    client.force_login(cast.alice)
    assert client.get(reverse("meetings:matrix_of", args=[tree.p1.pk])).status_code == 404
    page = client.get(reverse("meetings:matrix_of", args=[tree.b1.pk]))
    assert page.status_code == 200 and [r.organization for r in page.context["rows"]] == [
        tree.b1]  # fmt: skip


@pytest.mark.django_db
def test_a_development_vote_takes_its_counts_from_its_meeting_and_needs_its_quorum(
    client, cast, tree, person, walk
):
    from development.models import Step
    from development.models import StepKind as K

    walk(person, upto=K.ADMISSION_MEETING)  # the introducers: 2 full members of B1
    for _ in range(4):
        make_member(tree.b1)
    url = reverse("development:step_new", args=[person.pk, K.ADMISSION_MEETING])
    client.force_login(cast.alice)

    weak = meeting(tree.b1, on=D(2025, 7, 1), topic="讨论接收预备党员")
    mark(weak, 2)  # not marked as deciding, so held: 2 of 6 full members
    vote = {
        "on": "2025-07-01",
        "vote-meeting": weak.pk,
        "vote-yes": 2,
        "vote-no": 0,
        "vote-abstain": 0,
        "vote-written_yes": 0,
        "vote-written_no": 0,
        "vote-excluded": 0,
    }
    page = client.post(url, vote).content.decode()
    assert "该会议不足法定人数（正式党员应到 6 人，实到 2 人）" in page
    assert not Step.objects.filter(member=person, kind=K.ADMISSION_MEETING).exists()

    held = mark(meeting(tree.b1, on=D(2025, 7, 1), decides=True, topic="接收预备党员"), 5)
    assert (held.voters_should, held.voters_present) == (6, 5)
    response = client.post(url, vote | {"vote-meeting": held.pk, "vote-yes": 5})
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["form"].vote_form.errors,
    )
    step = Step.objects.get(member=person, kind=K.ADMISSION_MEETING)
    assert (step.vote.should_attend, step.vote.present, step.vote.meeting) == (6, 5, held)
    # The vote is on the meeting's day.
    other = client.post(reverse("development:step_new", args=[person.pk, K.COMMITTEE_TALK]),
                        {"on": "2025-07-15"})  # fmt: skip
    assert other.status_code == 302


@pytest.mark.django_db
def test_the_demo_year_of_meetings_shows_branches_that_kept_and_missed_their_meetings(tree):
    import datetime as dt

    from django.utils import timezone

    from meetings.compliance import branch_compliance
    from meetings.demo import demo_meetings
    from organizations.models import Organization

    for org in (tree.b1, tree.b2, tree.b3, tree.b4):
        for _ in range(3):
            make_member(org)
    made = demo_meetings(D(2026, 10, 31), timezone.now())
    assert made == Meeting.objects.count() > 0
    some = Meeting.objects.filter(kind=Kind.THEME_DAY).first()
    assert (some.should_attend, some.held) == (3, True)
    assert some.present + some.on_leave + (some.should_attend - some.present - some.on_leave) == 3
    branches = list(Organization.objects.filter(code__in=["B1", "B2", "B3", "B4"]))
    cells = branch_compliance(branches, 2026, dt.date(2026, 11, 15))
    states = {c.state for compliance in cells.values() for c in compliance.cells}
    assert {HELD, MISSED} <= states  # both colours in the matrix


@pytest.mark.django_db
def test_members_absent_without_leave_for_six_months_are_listed_for_their_branch(
    client, cast, tree
):
    stays, away, excused = (make_member(tree.b1, name=n) for n in ("常到", "常缺", "请过假"))
    for month in range(5, 11):  # May to October: six whole months before November
        m = meeting(tree.b1, Kind.THEME_DAY, on=D(2026, month, 10))
        rows = {a.member_id: a.pk for a in m.attendance.all()}
        marks = {rows[stays.pk]: services.Mark(A.PRESENT),
                 rows[away.pk]: services.Mark(A.ABSENT),
                 rows[excused.pk]: services.Mark(A.LEAVE, "出差") if month == 7
                 else services.Mark(A.ABSENT)}  # fmt: skip
        services.attendance_save(meeting=m, marks=marks)
    assert services.absent_without_leave(tree.b1, D(2026, 11, 15)) == [away]
    assert services.absent_without_leave(tree.b1, D(2026, 12, 15)) == []  # November: none held
    people = services.attendance_by_member(tree.b1, D(2026, 1, 1), D(2026, 11, 15))
    assert [(p.member.name, p.present, str(p.rate)) for p in people] == [
        ("常缺", 0, "0.0"), ("请过假", 0, "0.0"), ("常到", 6, "100.0")]  # fmt: skip
    client.force_login(cast.alice)
    url = reverse("meetings:attendance", args=[tree.b1.pk])
    assert client.get(url).status_code in (200,)
    client.force_login(cast.bob)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_organizational_life_figures_on_the_dashboard_ratio_report_and_workbook(client, cast, tree):
    """Hand-counted as of 15 April 2026: each branch owes 3 theme days (Jan-Mar), a member
    meeting and a party lesson (Q1) = 5 ended periods.
    B1 held 4 (theme days Jan and Feb, the member meeting, the lesson): 80.0%;
    B2 held 1 (theme day in January): 20.0%; B3 and B4 held none.
    G1 = 5 / 10 = 50.0%; P1 = 5 / 15 = 33.3%; P2 = 0 / 5; the city = 5 / 20 = 25.0%.
    Attendance: B1 present 3 + 2 + 3 + 2 of 4 × 3 = 10 / 12; B2 2 / 2; the city 12 / 14 =
    85.7%."""
    import io

    from openpyxl import load_workbook

    from reports.models import Figures

    from .test_statistics_views import compute

    for _ in range(3):
        make_member(tree.b1)
    for _ in range(2):
        make_member(tree.b2)
    make_member(tree.b4)
    mark(meeting(tree.b1, Kind.THEME_DAY, on=D(2026, 1, 10)), 3)
    mark(meeting(tree.b1, Kind.THEME_DAY, on=D(2026, 2, 10)), 2)
    mark(meeting(tree.b1, Kind.MEMBER_MEETING, on=D(2026, 3, 20)), 3)
    lesson = meeting(tree.b1, Kind.PARTY_LESSON, on=D(2026, 3, 12))
    rows = list(lesson.attendance.order_by("id"))
    services.attendance_save(meeting=lesson, marks={
        rows[0].pk: services.Mark(A.LEAVE, "出差"), rows[1].pk: services.Mark(A.PRESENT),
        rows[2].pk: services.Mark(A.PRESENT)})  # fmt: skip
    mark(meeting(tree.b2, Kind.THEME_DAY, on=D(2026, 1, 15)), 2)
    snapshot = compute(D(2026, 4, 15))

    def figures(org):
        return Figures.objects.get(snapshot=snapshot, organization=org, subtree=True)

    expected = {"B1": (5, 4, 12, 10), "B2": (5, 1, 2, 2), "B3": (5, 0, 0, 0), "G1": (10, 5, 14, 12),
                "P1": (15, 5, 14, 12), "P2": (5, 0, 0, 0), "W": (20, 5, 14, 12)}  # fmt: skip
    for code, values in expected.items():
        row = figures(getattr(tree, code.lower()))
        assert (row.mtg_required, row.mtg_held, row.mtg_should, row.mtg_present) == values, code
    city = figures(tree.w)
    assert (city.mtg_theme_day, city.mtg_member_meeting, city.mtg_party_lesson) == (3, 1, 1)

    client.force_login(cast.wendy)
    page = client.get(reverse("reports:dashboard_of", args=[tree.w.pk]), {"as_of": "2026-04-15"})
    card = page.content.decode().split('data-testid="organizational-life"')[1]
    assert 'data-testid="compliance">25.0%' in card and 'data-testid="attendance">85.7%' in card
    ratios = client.get(reverse("reports:ratios_of", args=[tree.w.pk]), {"as_of": "2026-04-15"})
    keys = [r.key for r in ratios.context["ratios"]]
    lines = {line["organization"].code: line["ratios"] for line in ratios.context["lines"]}
    assert str(lines["P1"][keys.index("compliance")]) == "33.3"
    assert lines["P2"][keys.index("compliance")] == 0
    assert str(lines["P1"][keys.index("attendance")]) == "85.7"
    assert ratios.context["total"]["ratios"][keys.index("compliance")] == 25

    response = client.post(reverse("reports:yearly", args=[tree.w.pk]), {"as_of": "2026-04-15"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["组织生活"]
    values = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert values["第一党委"][:3] == (5, 15, 5) and values["第二党委"][:3] == (0, 5, 0)
    assert values["直属党员"][:3] == (0, 0, 0)
    assert values["合计"][3] == 0.25 and values["合计"][6] == pytest.approx(0.857)
    assert values["主题党日"][0] == 3

    # The compliance matrix reads the committees' rows from that snapshot, as of its date.
    from django.utils import timezone

    if timezone.localdate().year == 2026:
        matrix = client.get(reverse("meetings:matrix_of", args=[tree.w.pk]), {"year": 2026})
        rows = {r.organization.code: r.compliance for r in matrix.context["rows"]}
        assert (rows["P1"].held, rows["P1"].required) == (5, 15)
        assert matrix.context["total"].compliance.required == 20
        assert matrix.context["as_of"] == D(2026, 4, 15)
        assert "2026-04-15" in matrix.content.decode()


def meetings_file(lines: list[list]):
    import io

    from openpyxl import Workbook

    from meetings.importer import COLUMNS

    book = Workbook()
    book.active.append([str(c.label) for c in COLUMNS])
    for line in lines:
        book.active.append(line)
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


@pytest.mark.django_db
def test_historical_meetings_import_all_or_nothing_with_errors_by_line(client, cast, tree):
    a, b = make_member(tree.b1, name="甲"), make_member(tree.b1, name="乙")
    stranger = make_member(tree.b4, name="丙")
    good = ["B1", "主题党日", "2026-02-10", "重温入党誓词", "活动室", "", "", "", "",
            b.id_number, "", ""]  # fmt: skip
    lines = [
        good,
        ["B4", "主题党日", "2026-02-10", "越权", "", "", "", "", "", "", "", ""],
        [
            "B1",
            "支部党员大会",
            "2026-03-20",
            "学习",
            "",
            "",
            "",
            "",
            "",
            stranger.id_number,
            "",
            "",
        ],
        ["B1", "党课", "2026-03-22", "没有授课人", "", "", "", "", "", "", "", ""],
    ]
    client.force_login(cast.alice)
    url = reverse("meetings:meeting_import")
    page = client.post(url, {"file": meetings_file(lines)}).content.decode()
    assert "第 3 行" in page and "第 4 行" in page and "第 5 行" in page and "第 2 行" not in page
    assert "不在当天的应到名单" in page or "应到名单" in page
    assert Meeting.objects.count() == 0  # all or nothing
    lesson = ["B1", "党课", "2026-03-22", "党性修养", "", "", "", "书记", "", "", a.id_number,
              "生病"]  # fmt: skip
    response = client.post(url, {"file": meetings_file([good, lesson])})
    assert response.status_code == 302
    day, lesson_row = Meeting.objects.order_by("on")
    assert (day.held, day.should_attend, day.present) == (True, 2, 1)
    assert lesson_row.attendance.get(member=a).reason == "生病" and lesson_row.present == 1
    template = client.get(reverse("meetings:meeting_template"))
    assert template.status_code == 200


@pytest.mark.django_db
def test_a_meeting_file_is_bounded_and_served_in_scope_only(client, cast, tree, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.models import MeetingFile

    make_member(tree.b1)
    m = meeting(tree.b1, Kind.THEME_DAY)
    url = reverse("meetings:meeting_file_add", args=[m.pk])
    client.force_login(cast.alice)
    settings.UPLOAD_MAX_BYTES = 1000
    client.post(url, {"file": SimpleUploadedFile("签到表.jpg", b"x" * 5000, "image/jpeg")})
    assert not MeetingFile.objects.exists()  # refused, not stored truncated
    settings.UPLOAD_MAX_BYTES = 10_000
    client.post(url, {"file": SimpleUploadedFile("签到表.jpg", b"\xff\xd8 photo", "image/jpeg")})
    item = MeetingFile.objects.get()
    response = client.get(reverse("meetings:meeting_file", args=[item.pk]))
    assert b"".join(response.streaming_content) == b"\xff\xd8 photo"
    assert "filename*=utf-8''%E7%AD%BE" in response["Content-Disposition"]
    client.force_login(cast.bob)
    assert client.get(reverse("meetings:meeting_file", args=[item.pk])).status_code == 404
