"""The demo's reporting to residential communities: about two in three party members in
service have reported (fewer in some branches, so the shares differ), one in three of them
took part in an activity this year, last year's evaluations are recorded for those who had
reported by then, and this year's in half the branches. Loaded with COPY, like the rest of
the large dataset."""

import datetime
import random
from decimal import Decimal

from members.choices import PARTY_MEMBER_STATUSES
from partybuild.bulk import bulk_load, copy_rows, reset_sequences
from partybuild.choices import Rating

from .models import NOT_IN_SERVICE, Activity, Evaluation, Report

COMMUNITIES = ["东城社区", "西城社区", "南苑社区", "北苑社区", "新华社区", "和平社区"]
WHAT = ["社区环境整治志愿服务", "疫苗接种点值守", "垃圾分类宣传", "关爱独居老人走访"]
GRADES = [Rating.GOOD] * 6 + [Rating.FAIRLY_GOOD] * 3 + [Rating.AVERAGE, Rating.POOR]


def demo_community(members: list[dict], today: datetime.date, recorded_at: datetime.datetime,
                   seed: int = 2026) -> int:  # fmt: skip
    rng = random.Random(seed)
    reports, activities, evaluations = [], [], []
    for member in members:
        if (member["status"] not in PARTY_MEMBER_STATUSES or member["is_retired"]
                or member["occupation"] in NOT_IN_SERVICE):  # fmt: skip
            continue
        share = 0.4 if member["organization_id"] % 7 == 3 else 0.7
        if rng.random() >= share:
            continue
        report_id = len(reports) + 1
        reported = today - datetime.timedelta(days=rng.randint(30, 900))
        reports.append({
            "id": report_id, "member_id": member["id"], "community": rng.choice(COMMUNITIES),
            "reported_on": reported, "card_number": f"BD{member['id']:08d}", "ended_on": None,
            "recorded_by_id": None, "recorded_at": recorded_at,
        })  # fmt: skip
        if rng.random() < 1 / 3:
            on = max(reported, today.replace(month=1, day=1)) + datetime.timedelta(
                days=rng.randint(0, 20)
            )
            activities.append({
                "report_id": report_id, "on": min(on, today), "what": rng.choice(WHAT),
                "hours": Decimal(rng.choice(["2.0", "3.5", "4.0"])), "recorded_by_id": None,
                "recorded_at": recorded_at,
            })  # fmt: skip
        years = [today.year - 1] if reported.year < today.year else []
        if member["organization_id"] % 2 == 0:  # half the branches have this year's already
            years.append(today.year)
        evaluations += [
            {"member_id": member["id"], "year": year, "grade": rng.choice(GRADES), "remark": "",
             "recorded_by_id": None, "recorded_at": recorded_at}
            for year in years
        ]  # fmt: skip
    with bulk_load(Report, Activity, Evaluation):
        copy_rows(Report, reports)
        copy_rows(Activity, activities)
        copy_rows(Evaluation, evaluations)
    reset_sequences(Report, Activity, Evaluation)
    return len(reports)
