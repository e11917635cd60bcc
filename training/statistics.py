"""Training in the statistics (partybuild.statistics), for the year of the date up to it:
party members whose completed class hours reach the rules' requirement (a condition the
engine counts in its scan of the members in force), and the people who completed the
activists' and development targets' classes and the secretaries' training, counted where
they are now (the reports' "activists trained", "cadres trained")."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Policy
from partybuild.statistics import StatColumn

from .models import PIPELINE_KINDS, Kind, Participant, TrainingClass

ENOUGH = (
    f"m.id IN (SELECT p.member_id FROM {Participant._meta.db_table} p "
    f"JOIN {TrainingClass._meta.db_table} c ON c.id = p.training_id "
    "WHERE p.completed AND c.ends_on >= %s AND c.ends_on <= %s "
    "GROUP BY p.member_id HAVING SUM(c.hours) >= %s)"
)


def _enough_params(day: datetime.date) -> list:
    return [datetime.date(day.year, 1, 1).isoformat(), day.isoformat(),
            Policy.current().training_hours_required]  # fmt: skip


COLUMNS = [
    StatColumn("train_hours_met", _("party members with the year's study hours"), "training",
               sql=ENOUGH, params=_enough_params),
    StatColumn("train_activists", _("activists and development targets trained"), "training"),
    StatColumn("train_cadres", _("secretaries and cadres trained"), "training"),
]  # fmt: skip


def counts(as_of: datetime.date, organization_ids: list[int]) -> dict[int, dict[str, int]]:
    completed = Participant.objects.filter(
        completed=True, member__organization_id__any_of=set(organization_ids),
        training__ends_on__gte=datetime.date(as_of.year, 1, 1), training__ends_on__lte=as_of,
    )  # fmt: skip
    rows = (
        completed.values("member__organization_id")
        .annotate(train_activists=Count("member", distinct=True,
                                        filter=Q(training__kind__in=PIPELINE_KINDS)),
                  train_cadres=Count("member", distinct=True,
                                     filter=Q(training__kind=Kind.SECRETARIES)))
        .order_by()
    )  # fmt: skip
    result = {}
    for row in rows:
        own = {k: row[k] for k in ("train_activists", "train_cadres") if row[k]}
        if own:
            result[row.pop("member__organization_id")] = own
    return result
