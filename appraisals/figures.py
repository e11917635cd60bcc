"""Appraisal figures of a campaign for any subtree, from the approved sheets.

One grouped query per call, through the closure table, whatever the subtree's size. Shares
of the grades are of the graded members and add up to 100 (partybuild.numbers).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from organizations.models import Organization
from partybuild.numbers import percent, shares_adding_to_100

from .models import Campaign, Disposition, DispositionKind, Entry, Grade, Outcome, SheetStatus

ANCESTOR = "sheet__organization__ancestor_links__ancestor_id"


@dataclass(frozen=True)
class AppraisalFigures:
    organizations: int = 0
    should: int = 0
    took_part: int = 0
    exempted: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    dispositions: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def participation(self) -> Decimal | None:
        """Members who took part / members who should take part, two decimals."""
        return percent(self.took_part, self.should, places=2)

    @property
    def grade_rows(self) -> list[tuple[str, str, int, Decimal | None]]:
        counts = [self.grades.get(g, 0) for g in Grade.values]
        shares = shares_adding_to_100(counts)
        return [
            (g.value, g.label, n, share) for g, n, share in zip(Grade, counts, shares, strict=True)
        ]

    @property
    def disposition_rows(self) -> list[tuple[str, str, int]]:
        """(kind, outcome, count) in the order of the choices."""
        kinds = {k: i for i, k in enumerate(DispositionKind.values)}
        outcomes = {o: i for i, o in enumerate(Outcome.values)}
        ordered = sorted(
            self.dispositions.items(), key=lambda kv: (kinds[kv[0][0]], outcomes[kv[0][1]])
        )
        return [
            (DispositionKind(kind).label, Outcome(outcome).label, n)
            for (kind, outcome), n in ordered
        ]

    def grade_share(self, grade: str) -> Decimal | None:
        return next(share for g, _label, _n, share in self.grade_rows if g == grade)


def _entry_counts():
    graded = Q(grade__gt="") & Q(exemption="")
    counts = {
        "should": Count("id"),
        "took_part": Count("id", filter=graded),
        "exempted": Count("id", filter=~Q(exemption="")),
        "organizations": Count("sheet", distinct=True),
    }
    counts |= {f"grade_{g}": Count("id", filter=graded & Q(grade=g)) for g in Grade.values}
    return counts


def figures_by_organization(
    campaign: Campaign, organizations: list[Organization]
) -> dict[int, AppraisalFigures]:
    """Figures of each organization's subtree in the campaign (approved sheets only)."""
    ids = [o.pk for o in organizations]
    approved = {"sheet__campaign": campaign, "sheet__status": SheetStatus.APPROVED,
                f"{ANCESTOR}__in": ids}  # fmt: skip
    rows = Entry.objects.filter(**approved).values(ANCESTOR).annotate(**_entry_counts()).order_by()
    dispositions: dict[int, dict] = {}
    for row in (
        Disposition.objects.filter(**{f"entry__{k}": v for k, v in approved.items()})
        .values(f"entry__{ANCESTOR}", "kind", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = (row["kind"], row["outcome"])
        dispositions.setdefault(row[f"entry__{ANCESTOR}"], {})[key] = row["n"]
    result = {pk: AppraisalFigures() for pk in ids}
    for row in rows:
        pk = row[ANCESTOR]
        result[pk] = AppraisalFigures(
            organizations=row["organizations"], should=row["should"],
            took_part=row["took_part"], exempted=row["exempted"],
            grades={g: row[f"grade_{g}"] for g in Grade.values},
            dispositions=dispositions.get(pk, {}),
        )  # fmt: skip
    return result


def figures_for(campaign: Campaign, organization: Organization) -> AppraisalFigures:
    return figures_by_organization(campaign, [organization])[organization.pk]
