"""Training classes: a completed development targets' class fills the pipeline's training
step; members' study hours against the requirement at the boundary; the year's figures."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from development.models import Step, StepKind
from members.choices import Status
from organizations.models import Policy
from reports.models import Figures
from training import services
from training.models import Kind, TrainingClass

from .conftest import D
from .factories import make_member
from .test_statistics import compute

APRIL_3 = D(2026, 4, 3)


def a_class(org, kind=Kind.STUDY, hours=16, ends=APRIL_3, days=4) -> TrainingClass:
    return services.class_create(training=TrainingClass(
        organizer=org, kind=kind, title="培训班", starts_on=ends - datetime.timedelta(days=3),
        ends_on=ends, days=days, hours=hours))  # fmt: skip


def attend(training, members, *, complete=True):
    services.participants_set(training=training, members=members, completed=set())
    if complete:
        services.class_complete(training=training, on=training.ends_on)


@pytest.mark.django_db
def test_a_completed_class_fills_the_training_step(tree, person, walk):
    walk(person, upto=StepKind.TRAINING)
    person.refresh_from_db()
    assert person.status == Status.TARGET
    training = a_class(tree.p1, kind=Kind.TARGETS, hours=24, ends=D(2026, 1, 20))
    services.participants_set(training=training, members=[person], completed=set())
    with pytest.raises(ValidationError):
        services.fill_steps(training=training)  # not completed yet
    services.class_complete(training=training, on=D(2026, 1, 20))
    filled = services.fill_steps(training=training)
    assert filled.recorded == [person.name] and not filled.refused
    step = Step.objects.get(member=person, kind=StepKind.TRAINING)
    assert (step.on, step.training_days, step.training_hours) == (D(2026, 1, 20), 4, 24)
    assert services.fill_steps(training=training).recorded == []  # once


@pytest.mark.django_db
def test_a_class_too_short_is_refused_by_the_steps_rule(tree, person, walk):
    walk(person, upto=StepKind.TRAINING)
    training = a_class(tree.p1, kind=Kind.TARGETS, hours=20, ends=D(2026, 1, 20), days=2)
    attend(training, [person])
    filled = services.fill_steps(training=training)
    assert filled.recorded == [] and filled.refused[0][0] == person.name


@pytest.mark.django_db
def test_study_hours_against_the_requirement_at_the_boundary(client, cast, tree):
    short, enough = make_member(tree.b1, name="差一学时"), make_member(tree.b1, name="够学时")
    first = a_class(tree.p1, hours=16, ends=D(2026, 3, 1))
    attend(first, [short, enough])
    second = a_class(tree.p1, hours=15, ends=D(2026, 5, 1))
    attend(second, [short])
    third = a_class(tree.p1, hours=16, ends=D(2026, 6, 1))
    attend(third, [enough])
    assert services.hours_in(2026, [short.pk, enough.pk]) == {short.pk: 31, enough.pk: 32}
    assert Policy.current().training_hours_required == 32
    snapshot = compute(D(2026, 6, 30))
    b1 = Figures.objects.get(snapshot=snapshot, organization=tree.b1, subtree=True)
    assert (b1.members, b1.train_hours_met) == (2, 1)
    city = Figures.objects.get(snapshot=snapshot, organization=tree.w, subtree=True)
    assert city.train_hours_met == 1
    client.force_login(cast.alice)
    page = client.get(reverse("training:hours", args=[tree.b1.pk]), {"year": "2026"})
    assert dict((m.name, h) for m, h in page.context["rows"]) == {"差一学时": 31, "够学时": 32}


@pytest.mark.django_db
def test_the_years_trained_on_the_dashboard_and_in_the_workbook(client, cast, tree):
    activists = [make_member(tree.b1, status=Status.ACTIVIST, joined_on=None) for _ in range(2)]
    secretary = make_member(tree.b4)
    attend(a_class(tree.w, kind=Kind.ACTIVISTS, ends=D(2026, 3, 1)), activists)
    attend(a_class(tree.w, kind=Kind.SECRETARIES, ends=D(2026, 4, 1)), [secretary])
    attend(a_class(tree.w, kind=Kind.SECRETARIES, ends=D(2026, 8, 1)), [secretary])  # after
    compute(D(2026, 6, 30))
    client.force_login(cast.wendy)
    page = client.get(reverse("reports:dashboard_of", args=[tree.w.pk]), {"as_of": "2026-06-30"})
    rows = {r.label: r.count for r in page.context["training"]}
    assert rows["培训入党积极分子和发展对象"] == 2 and rows["培训党组织书记和干部"] == 1
    response = client.post(reverse("reports:yearly", args=[tree.w.pk]), {"as_of": "2026-06-30"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    lines = {r[0]: r[1] for r in book["发展党员"].iter_rows(values_only=True) if r[0]}
    assert lines["培训入党积极分子和发展对象"] == 2 and lines["培训党组织书记和干部"] == 1


@pytest.mark.django_db
def test_participants_come_from_the_organizers_subtree(client, cast, tree):
    training = a_class(tree.p2)
    outsider = make_member(tree.b1)
    with pytest.raises(ValidationError):
        services.participants_set(training=training, members=[outsider], completed=set())
    with pytest.raises(ValidationError):
        services.participants_set(training=training, members=[], completed={outsider.pk})
    client.force_login(cast.alice)
    assert client.get(reverse("training:training", args=[training.pk])).status_code == 404
