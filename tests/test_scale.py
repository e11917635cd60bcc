"""seed_demo --scale: the database copies the dataset; every copy has the same figures."""

import pytest
from django.core.management import CommandError, call_command

from appraisals.models import Entry
from development.models import Step
from dues.models import Due
from meetings.models import Attendance, PartyGroup
from members.demo import Size, demo_build
from members.idnumber import parse_id_number
from members.models import Member
from organizations.models import Organization, OrganizationClosure, Position
from reminders.models import Reminder
from reports.dimensions import COLUMN_NAMES
from reports.figures import current_snapshot
from reports.models import Figures
from transfers.models import Floating, Letter

SMALL = Size(committees=3, general_branches=4, branches=20, members=400)
COPIES = 3


@pytest.mark.django_db
def test_scaled_dataset(django_capture_on_commit_callbacks):
    """One build (ten seconds on SQLite), three looks at it."""
    with django_capture_on_commit_callbacks(execute=True):  # the statistics run
        demo_build(SMALL, scale=COPIES)
    every_copy_of_a_committee_has_the_figures_of_the_original()
    copies_hang_together()
    reminders_point_to_their_copy_of_the_subject()


def every_copy_of_a_committee_has_the_figures_of_the_original():
    root = Organization.objects.get(parent__isnull=True)
    assert Organization.objects.count() == 1 + COPIES * (3 + 4 + 20)
    snapshot = current_snapshot()
    figures = {
        f.organization_id: f for f in Figures.objects.filter(snapshot=snapshot, subtree=True)
    }
    originals = Organization.objects.filter(parent=root).exclude(code__contains=".")
    assert originals.count() == 3
    for original in originals:
        copies = Organization.objects.filter(code__startswith=f"{original.code}.")
        assert sorted(c.code for c in copies) == [f"{original.code}.{k}" for k in (1, 2)]
        for copy in copies:
            assert copy.name.startswith(original.name) and copy.parent_id == root.pk
            assert _values(figures[copy.pk]) == _values(figures[original.pk])
    top = _values(figures[root.pk])
    assert top["members"] == COPIES * sum(figures[o.pk].members for o in originals) > 0
    assert top["members"] == Member.objects.party_members().count()


def _values(figures: Figures) -> dict[str, int]:
    return {name: getattr(figures, name) for name in COLUMN_NAMES}


def copies_hang_together():
    # Each copy has as many of each kind of row as the original below the root.
    for model, organization in [(Step, "member__organization"), (Due, "member__organization"),
                                (Attendance, "meeting__organization"), (Position, "organization"),
                                (Entry, "sheet__organization")]:  # fmt: skip
        in_copies = model.objects.filter(**{f"{organization}__code__contains": "."})
        originals = model.objects.exclude(**{f"{organization}__code__contains": "."}).exclude(
            **{f"{organization}__parent": None}
        )
        assert in_copies.count() == (COPIES - 1) * originals.count() > 0, model
    # Every organization's ancestors, itself included, are depth + 1 closure rows.
    for org in Organization.objects.all():
        assert OrganizationClosure.objects.filter(descendant=org).count() == org.depth + 1
    # Each copy's people are other people: valid, distinct ID numbers.
    numbers = list(Member.objects.values_list("id_number", flat=True))
    originals = Member.objects.exclude(organization__code__contains=".").count()
    assert len(numbers) == len(set(numbers)) == COPIES * originals
    for number in numbers:
        parse_id_number(number)  # raises on a wrong check character
    # Posts are held by people of the organization's own copy.
    posts = Position.objects.select_related("member", "organization")
    assert posts.count() > 0
    for post in posts:
        below = OrganizationClosure.objects.filter(
            ancestor=post.organization, descendant=post.member.organization
        )
        assert below.exists(), post


def reminders_point_to_their_copy_of_the_subject():
    subjects = {"development": Step, "meetings": PartyGroup, "transfers": Letter}
    checked = 0
    for reminder in Reminder.objects.filter(subject_id__isnull=False, source__in=subjects):
        model = Floating if reminder.kind == "no_contact" else subjects[reminder.source]
        subject = model.objects.get(pk=reminder.subject_id)
        if reminder.member_id:
            assert subject.member_id == reminder.member_id
        else:
            assert subject.organization_id == reminder.organization_id
        checked += 1
    assert checked > 0
    copied = Reminder.objects.filter(organization__code__contains=".").count()
    below_the_root = Reminder.objects.exclude(organization__code__contains=".").exclude(
        organization__parent=None
    )  # the root's own are not copied
    assert copied == (COPIES - 1) * below_the_root.count() > 0


@pytest.mark.django_db
def test_scale_is_bounded():
    with pytest.raises(CommandError, match="between 1 and 50"):
        call_command("seed_demo", "--scale", "51")
