"""Appraisal benchmark on the large dataset (build it first with bench/foundation.py).

    DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild_bench \\
        .venv/bin/python bench/appraisal.py
Opens a city-wide campaign over 320,000 members (time), grades and approves every sheet with
SQL, then times the pages: the campaign page (figures of the whole city and its 400
children), a branch's grid, a save of that grid, and the figures alone. Removes earlier
campaigns first, so that it can run again.
"""

import datetime
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import setup_test_environment
from foundation import measure  # sets up Django

from appraisals import services
from appraisals.figures import figures_by_organization
from appraisals.models import Entry, Sheet
from organizations.models import Organization


def remove_campaigns() -> None:
    with connection.cursor() as cursor:
        for model in ("appraisals_disposition", "appraisals_historicalentry",
                      "appraisals_entry", "appraisals_historicalsheet", "appraisals_sheet",
                      "appraisals_historicalcampaign", "appraisals_campaign"):  # fmt: skip
            cursor.execute(f"DELETE FROM {model}")


def main() -> None:
    setup_test_environment()
    remove_campaigns()
    root = Organization.objects.get(parent__isnull=True)
    started = time.perf_counter()
    campaign = services.campaign_open(
        organization=root, year=2025, title="bench", starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 2, 1), deadline=datetime.date(2026, 3, 1),
    )  # fmt: skip
    print(f"campaign opened: {Sheet.objects.filter(campaign=campaign).count()} sheets, "
          f"{Entry.objects.filter(sheet__campaign=campaign).count()} entries "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE appraisals_entry SET grade = CASE WHEN id % 5 = 0 THEN "
            "'excellent' WHEN id % 97 = 0 THEN 'basic' ELSE 'qualified' END"
        )
        cursor.execute("UPDATE appraisals_sheet SET status = 'approved' WHERE id % 10 <> 0")
        cursor.execute("ANALYZE appraisals_entry")
        cursor.execute("ANALYZE appraisals_sheet")
    children = list(root.children.all())
    started = time.perf_counter()
    figures_by_organization(campaign, [root, *children])
    print(f"figures of the city and its {len(children)} children: "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")  # fmt: skip
    client = Client()
    client.force_login(get_user_model().objects.get(username="committee"))
    measure(client, "campaign page: whole city", f"/appraisals/{campaign.pk}/")
    sheet = Sheet.objects.filter(campaign=campaign).order_by("-id").first()
    measure(client, "a branch's grid", f"/appraisals/sheets/{sheet.pk}/")


if __name__ == "__main__":
    main()
