"""The demo's appraisal: last year's campaign over the whole city, at every stage.

Grades are written with one UPDATE per kind of row (the large demo holds 320,000 entries):
seven in ten sheets approved; of the rest, a third each submitted, in draft, not started.
"""

import datetime

from django.db import connection

from organizations.models import Organization

from . import services
from .models import Campaign, Entry, Sheet, SheetStatus, tally_sheets


def demo_campaign(root: Organization, anchor: datetime.date) -> Campaign:
    year = anchor.year - 1
    campaign = services.campaign_open(
        organization=root, year=year, title=f"{year}年度民主评议党员",
        starts_on=datetime.date(anchor.year, 1, 5), ends_on=datetime.date(anchor.year, 2, 28),
        deadline=datetime.date(anchor.year, 3, 15),
    )  # fmt: skip
    entries, sheets = Entry._meta.db_table, Sheet._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {entries} SET self_assessment = %s, mutual_evaluation = %s,
                exemption = CASE WHEN id %% 61 = 0 THEN 'long_illness' ELSE '' END,
                grade = CASE WHEN id %% 61 = 0 THEN ''
                             WHEN id %% 5 = 0 THEN 'excellent'
                             WHEN id %% 37 = 0 THEN 'basic'
                             WHEN id %% 401 = 0 THEN 'unqualified'
                             ELSE 'qualified' END,
                remark = CASE WHEN id %% 37 = 0 OR id %% 401 = 0 THEN '有待改进' ELSE '' END
            WHERE sheet_id IN (SELECT id FROM {sheets} WHERE campaign_id = %s)""",
            [True, True, campaign.pk],
        )
        cursor.execute(
            f"""UPDATE {sheets} SET version = 1, status = CASE
                    WHEN id %% 10 < 7 THEN %s WHEN id %% 10 = 7 THEN %s
                    WHEN id %% 10 = 8 THEN %s ELSE %s END
                WHERE campaign_id = %s""",
            [SheetStatus.APPROVED, SheetStatus.SUBMITTED, SheetStatus.DRAFT,
             SheetStatus.NOT_STARTED, campaign.pk],
        )  # fmt: skip
    tally_sheets(campaign.sheets.all())
    return campaign
