"""The statistics engine: hand-counted figures as of a date, subtrees adding up, snapshots."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import TestCase

from appraisals import services as appraisal_services
from appraisals.figures import figures_by_organization, figures_by_year
from appraisals.models import Grade, Sheet
from members.choices import Education, Event, Gender, Occupation, Status
from members.models import Member
from members.services import member_create, member_leave, member_move
from organizations.health import subtree_counts
from organizations.models import Organization
from reports import engine
from reports.dimensions import COLUMN_NAMES
from reports.models import EthnicGroupCount, Figures, JobStatus, Snapshot, StatsRun
from reports.tasks import request_recompute
from transfers.services import floating_return, floating_start

from .factories import id_number, make_member
from .test_appraisals import fill, open_campaign

D = datetime.date
AS_OF = D(2025, 12, 31)


def compute(as_of: datetime.date) -> Snapshot:
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = request_recompute(as_of)
    run.refresh_from_db()
    assert run.status == JobStatus.DONE, run.error
    return Snapshot.objects.get(run=run)


def figures(snapshot: Snapshot, org, *, subtree: bool = True) -> Figures:
    return Figures.objects.get(snapshot=snapshot, organization=org, subtree=subtree)


def admitted(org, on: datetime.date, **fields) -> Member:
    """A probationary member admitted on the day (the record the development figures read)."""
    values = {"name": "新党员", "gender": Gender.MALE, "birth_date": D(1990, 1, 1),
              "education": Education.UNDERGRADUATE, "occupation": Occupation.ORGAN_STAFF,
              "joined_on": on, "status": Status.PROBATIONARY}  # fmt: skip
    values.update(fields)
    values.setdefault("id_number", id_number(values["birth_date"], values["gender"]))
    return member_create(member=Member(organization=org, **values), since=on,
                         event=Event.ADMITTED)  # fmt: skip


@pytest.fixture
def registry(tree):
    """Eight party members on 31 December 2025, and changes after that day."""
    t = tree
    make_member(t.b1)  # 40 on the day
    make_member(t.b1, gender=Gender.FEMALE, birth=D(1996, 1, 1))  # 29
    admitted(
        t.b1,
        D(2025, 5, 1),
        gender=Gender.FEMALE,
        birth_date=D(1990, 12, 31),
        ethnicity="03",
        education=Education.JUNIOR_SECONDARY,
    )  # 35 on the day; fmt: skip
    away = make_member(t.b2, birth=D(1960, 1, 1), is_retired=True,
                       occupation=Occupation.RETIRED)  # fmt: skip
    floating_start(member=away, since=D(2025, 9, 1), whereabouts="深圳")
    make_member(t.g1)  # held by the general branch itself
    back = make_member(t.b4, gender=Gender.FEMALE)  # away, but back before the day
    trip = floating_start(member=back, since=D(2025, 3, 1), whereabouts="上海")
    floating_return(floating=trip, on=D(2025, 10, 1))
    leaver = make_member(t.b3)
    mover = make_member(t.b1)
    gone = make_member(t.b2)
    member_leave(member=gone, status=Status.DECEASED, on=D(2025, 6, 1), reason="病故")
    # After the day: these must not change the figures as of the day.
    member_leave(member=leaver, status=Status.TRANSFERRED_OUT, on=D(2026, 2, 1), reason="调出")
    member_move(member=mover, organization=t.b4, on=D(2026, 3, 1))
    make_member(t.b3, since=D(2026, 3, 1))
    return t


@pytest.mark.django_db
def test_figures_as_of_a_date_count_people_where_they_were_that_day(registry):
    t = registry
    snapshot = compute(AS_OF)
    city = figures(snapshot, t.w)
    assert (city.members, city.full, city.probationary) == (8, 7, 1)
    assert (city.women, city.men, city.minority, city.han) == (3, 5, 1, 7)
    assert [getattr(city, f"age_{i}") for i in range(8)] == [1, 1, 5, 0, 0, 0, 0, 1]
    assert (city.retired, city.floating, city.occ_retired) == (1, 1, 1)
    assert (city.edu_undergraduate, city.edu_junior_secondary) == (7, 1)
    assert city.joined_3 + city.joined_4 == 8
    assert figures(snapshot, t.b1).members == 4  # the mover still counts here
    assert figures(snapshot, t.b3).members == 1  # the leaver too; the newcomer not yet
    assert figures(snapshot, t.b4).members == 1
    assert figures(snapshot, t.g1, subtree=False).members == 1
    assert figures(snapshot, t.g1).members == 4 + 1 + 1
    assert figures(snapshot, t.p1).members == 7
    # Organizations existing that day (the working committee is the reporting body).
    assert (city.org_party_committee, city.org_general_branch, city.org_branch) == (2, 1, 4)
    # Admissions in 2025: one woman of a minority, 34 when admitted, junior secondary.
    assert (city.dev_total, city.dev_women, city.dev_minority, city.dev_young,
            city.dev_college) == (1, 1, 1, 1, 0)  # fmt: skip
    groups = EthnicGroupCount.objects.filter(snapshot=snapshot, organization=t.w, subtree=True)
    assert list(groups.values_list("ethnicity", "count")) == [("03", 1)]

    today = figures(compute(D.today()), t.w)
    assert today.members == 8  # one left, one arrived
    assert figures(Snapshot.objects.get(as_of=D.today(), is_current=True), t.b4).members == 2


@pytest.mark.django_db
def test_every_figure_of_a_parent_is_its_own_plus_its_childrens_on_the_demo_dataset():
    with TestCase.captureOnCommitCallbacks(execute=True):  # the demo computes its figures
        call_command("seed_demo", "--members", "900", "--branches", "40", stdout=io.StringIO())
    snapshot = Snapshot.objects.get(as_of=D.today(), is_current=True)
    orgs = list(Organization.objects.all())
    rows = {(f.organization_id, f.subtree): f for f in Figures.objects.filter(snapshot=snapshot)}
    assert len(rows) == 2 * len(orgs)
    for org in orgs:
        children = [o for o in orgs if o.parent_id == org.pk]
        for name in COLUMN_NAMES:
            own = getattr(rows[org.pk, False], name)
            below = sum(getattr(rows[c.pk, True], name) for c in children)
            assert getattr(rows[org.pk, True], name) == own + below, (org.code, name)
    # The snapshot agrees with the registry's running counts (no dated changes pending).
    kept = subtree_counts([o.pk for o in orgs])
    assert all(rows[o.pk, True].members == kept[o.pk].members for o in orgs)
    top = rows[Organization.objects.get(parent__isnull=True).pk, True]
    minorities = EthnicGroupCount.objects.filter(
        snapshot=snapshot, subtree=True, organization_id=top.organization_id
    )
    assert sum(g.count for g in minorities) == top.minority > 0
    assert top.members == Member.objects.party_members().count()


@pytest.mark.django_db
def test_appraisal_figures_of_a_year_are_those_of_the_campaign_covering_each_subtree(tree, cast):
    for org, n in ((tree.b1, 3), (tree.b2, 2), (tree.b4, 2)):
        for _ in range(n):
            make_member(org)
    campaign = open_campaign(tree.w)
    for org, grades in ((tree.b1, [Grade.EXCELLENT, Grade.QUALIFIED, Grade.QUALIFIED]),
                        (tree.b2, [Grade.QUALIFIED, Grade.BASIC])):  # fmt: skip
        sheet = fill(Sheet.objects.get(campaign=campaign, organization=org), grades)
        appraisal_services.sheet_submit(sheet=sheet)
        appraisal_services.sheet_approve(sheet=sheet, by=cast.wendy)
    orgs = [tree.w, tree.p1, tree.g1, tree.b1, tree.p2]
    by_year = figures_by_year(2025, [o.pk for o in orgs])
    assert by_year == figures_by_organization(campaign, orgs)
    assert (by_year[tree.w.pk].should, by_year[tree.p1.pk].should, by_year[tree.p2.pk].should) == (
        5, 5, 0)  # fmt: skip
    assert not any(name.startswith("appr") for name in COLUMN_NAMES)  # never in a snapshot


@pytest.mark.django_db
def test_a_new_snapshot_replaces_the_old_one_and_a_failed_run_leaves_it(tree, monkeypatch):
    make_member(tree.b1)
    first = compute(AS_OF)
    make_member(tree.b1)
    second = compute(AS_OF)
    assert not Snapshot.objects.filter(pk=first.pk).exists()
    assert Snapshot.objects.get(as_of=AS_OF, is_current=True) == second
    assert figures(second, tree.w).members == 2

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "_roll_up", broken)
    make_member(tree.b1)
    with pytest.raises(RuntimeError), TestCase.captureOnCommitCallbacks(execute=True):
        request_recompute(AS_OF)
    run = StatsRun.objects.order_by("-pk").first()
    assert run.status == JobStatus.FAILED and "disk full" in run.error
    assert Snapshot.objects.get(as_of=AS_OF, is_current=True) == second
    assert figures(second, tree.w).members == 2  # still served
    assert Snapshot.objects.count() == 1  # the half-built one is gone


@pytest.mark.django_db
def test_a_request_while_a_run_is_under_way_joins_it(tree):
    run, created = engine.start_run(AS_OF)
    again, created_again = engine.start_run(AS_OF)
    assert created and not created_again and again == run


@pytest.mark.django_db(transaction=True)
def test_rebuild_stats_command_prints_what_it_did(tree):
    make_member(tree.b1)
    out = io.StringIO()
    call_command("rebuild_stats", "--as-of", "2025-12-31", stdout=out)
    text = out.getvalue()
    assert "as of 2025-12-31" in text and "8 organizations, 1 party members" in text
    assert Snapshot.objects.filter(as_of=AS_OF, is_current=True).exists()


@pytest.mark.django_db
def test_the_planner_statistics_are_not_waited_for_while_autovacuum_holds_the_table():
    """After a run the engine analyses the figures' key columns, unless autovacuum holds the
    table (as after each run's deletion of the previous snapshot): then it moves on at once
    and leaves the analysis to autovacuum, instead of waiting up to seconds."""
    import threading
    import time

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's ANALYZE and its locks")
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        other.set_autocommit(False)
        cursor.execute("LOCK TABLE reports_figures IN SHARE UPDATE EXCLUSIVE MODE")  # as VACUUM
    release = threading.Timer(10, other.rollback)  # were it waited for: ten seconds, not ever
    release.start()
    started = time.perf_counter()
    try:
        analysed = engine._refresh_planner_statistics()
    finally:
        seconds = time.perf_counter() - started
        release.cancel()
        other.rollback()
        other.close()
    assert analysed == ["reports_ethnicgroupcount"] and seconds < 5
    assert not Figures.objects.exists()  # the connection is still usable


@pytest.mark.django_db
@pytest.mark.parametrize("share", [0, 1000])
def test_the_roll_up_reads_the_same_rows_looked_up_by_id_or_scanned(registry, monkeypatch,
                                                                      share):  # fmt: skip
    """The roll-up finds a level's rows by a scan of the snapshot's, or, where they are few
    of all (LOOKUP_SHARE), on PostgreSQL by one index lookup each: the figures are the same
    either way, each subtree its own plus its children's."""
    monkeypatch.setattr(engine, "LOOKUP_SHARE", share)  # 0: looked up (PostgreSQL); 1000: scanned
    snapshot = compute(AS_OF)
    rows = {(f.organization_id, f.subtree): f for f in Figures.objects.filter(snapshot=snapshot)}
    ethnic = {}
    for row in EthnicGroupCount.objects.filter(snapshot=snapshot):
        ethnic[row.organization_id, row.subtree, row.ethnicity] = row.count
    organizations = list(Organization.objects.all())
    assert len(rows) == 2 * len(organizations)
    for org in organizations:
        children = [o for o in organizations if o.parent_id == org.pk]
        for name in ("members", "women", "dues_owed", "mtg_required", "org_branch"):
            expected = getattr(rows[org.pk, False], name) + sum(
                getattr(rows[c.pk, True], name) for c in children
            )
            assert getattr(rows[org.pk, True], name) == expected, (org.code, name)
    assert rows[registry.w.pk, True].members == 8
    assert ethnic[registry.w.pk, True, "03"] == ethnic[registry.b1.pk, True, "03"] == 1


@pytest.mark.django_db
def test_the_analysis_leaves_no_lock_timeout_behind():
    """The analysis's short lock timeout ends with it, even inside a transaction."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's ANALYZE and its locks")
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        before = cursor.fetchone()[0]
        assert engine._refresh_planner_statistics() == ["reports_figures",
                                                        "reports_ethnicgroupcount"]  # fmt: skip
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == before
