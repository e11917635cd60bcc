"""A deterministic, realistic demo dataset: a city's organs under one working committee.

The default mirrors a published city report (34 party committees, 52 general branches,
542 branches, about 10,000 members, about 20% women). `large()` builds 320,000 members
in 15,001 organizations for the benchmarks, with bulk inserts.
"""

import datetime
import itertools
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from appraisals.demo import demo_campaign
from appraisals.models import Entry
from community.demo import demo_community
from development.demo import demo_steps
from development.models import Step
from dues.demo import demo_dues
from dues.models import Due, Payment
from meetings.demo import demo_meetings
from meetings.models import Attendance, Meeting
from organizations.models import (
    TERM_YEARS,
    Kind,
    Organization,
    OrganizationClosure,
    Position,
    Post,
    Role,
    UserRole,
)
from partybuild.bulk import bulk_load, copy_rows, reset_sequences
from partybuild.dates import add_years
from partybuild.replicate import Plan, replicate
from reminders import services as reminders
from reminders.models import Reminder
from transfers.demo import demo_transfers

from .choices import ETHNIC_GROUPS, Education, Event, Gender, Occupation, Status
from .idnumber import check_character
from .models import Member, MembershipRecord
from .pinyin import with_pinyin
from .tallies import tally_rebuild

ANCHOR = datetime.date(2026, 10, 31)  # fixed, so the dataset is the same on every run
CREATED_AT = timezone.make_aware(datetime.datetime(2026, 10, 31, 9, 0))
DEMO_PASSWORD = "partybuild-demo"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志宏海波"
    "宁晨雪梅琳欣怡思源浩然子轩雨婷佳豪晓东文博嘉慧颖晶亮峰"
)
AREAS = [
    "110105",
    "110108",
    "310104",
    "310115",
    "440305",
    "440106",
    "320106",
    "330106",
    "420106",
    "510107",
    "610113",
    "370102",
    "210202",
    "350203",
    "430104",
    "500103",
]
UNITS = ["发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局",
         "司法局", "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局",
         "交通运输局", "水务局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会",
         "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局",
         "信访局", "机关事务管理局", "城市管理局", "林业局", "体育局", "地方金融监督管理局",
         "档案局", "政务服务数据管理局", "粮食和物资储备局", "国有资产监督管理委员会"]  # fmt: skip
WEIGHTS = {
    "education": (
        [Education.POSTGRADUATE, Education.UNDERGRADUATE, Education.JUNIOR_COLLEGE,
         Education.SENIOR_SECONDARY, Education.JUNIOR_SECONDARY],
        [16, 52, 14, 11, 7],
    ),
    "occupation": (
        [Occupation.ORGAN_STAFF, Occupation.PROFESSIONAL, Occupation.WORKER, Occupation.OTHER],
        [64, 24, 7, 5],
    ),
    "status": (
        [Status.FULL, Status.PROBATIONARY, Status.TARGET, Status.ACTIVIST, Status.APPLICANT],
        [925, 30, 15, 15, 15],
    ),
}  # fmt: skip


@dataclass
class Size:
    committees: int = 34
    general_branches: int = 52
    branches: int = 542
    members: int = 10_000
    seed: int = 2026


LARGE = Size(committees=400, general_branches=600, branches=14_000, members=320_000)


class _Builder:
    def __init__(self, size: Size):
        self.size = size
        self.rng = random.Random(size.seed)
        self.used_ids: set[str] = set()
        self.orgs: list[Organization] = []
        self.parent_of: dict[int, int | None] = {}

    # -- organizations ---------------------------------------------------------------
    def org(self, code: str, name: str, kind: str, parent: Organization | None, unit: str):
        elected = ANCHOR - datetime.timedelta(
            days=self.rng.randint(30, 365 * TERM_YEARS[kind] + 200)
        )
        org = Organization(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            unit=unit,
            founded_on=add_years(elected, -self.rng.randint(3, 30)),
            term_elected_on=elected,
            term_years=TERM_YEARS[kind],
            term_ends_on=add_years(elected, TERM_YEARS[kind]),
            depth=parent.depth + 1 if parent else 0,
        )
        self.orgs.append(org)
        return org

    def build_tree(self) -> list[Organization]:
        s = self.size
        root = self.org("W", "市直机关工作委员会", Kind.WORKING_COMMITTEE, None, "市直机关")
        self._save([root])
        committees = [self._committee(i, root) for i in range(s.committees)]
        self._save(committees)
        generals = [self._general_branch(i, committees) for i in range(s.general_branches)]
        self._save(generals)
        # About 40% of branches sit under general branches, the rest directly under committees.
        parents = generals * 4 + committees * max(
            1, (s.branches - 4 * len(generals)) // max(1, s.committees) + 1
        )
        branches = []
        for i in range(s.branches):
            parent = parents[i % len(parents)] if i < len(parents) else committees[i % s.committees]
            kind = Kind.JOINT_BRANCH if i % 37 == 5 else Kind.BRANCH
            label = "联合党支部" if kind == Kind.JOINT_BRANCH else "党支部"
            branches.append(
                self.org(f"B{i:05d}", f"{parent.unit}第{i + 1}{label}", kind, parent, parent.unit)
            )
        self._save(branches)
        self._link_closure()
        return branches

    def _committee(self, i: int, root: Organization) -> Organization:
        unit = UNITS[i % len(UNITS)]
        suffix = "" if i < len(UNITS) else str(i)
        return self.org(
            f"P{i:04d}", f"市{unit}机关委员会{suffix}", Kind.PARTY_COMMITTEE, root, unit
        )

    def _general_branch(self, i: int, committees: list[Organization]) -> Organization:
        parent = committees[i % len(committees)]
        name = f"{parent.unit}第{i // len(committees) + 1}党总支"
        return self.org(f"G{i:04d}", name, Kind.GENERAL_BRANCH, parent, parent.unit)

    def _save(self, orgs: list[Organization]) -> None:
        Organization.objects.bulk_create(orgs, batch_size=2000)
        if any(o.pk is None for o in orgs):
            pks = dict(
                Organization.objects.filter(code__in=[o.code for o in orgs]).values_list(
                    "code", "pk"
                )
            )
            for o in orgs:
                o.pk = pks[o.code]
        for o in orgs:
            o.parent_id = o.parent.pk if o.parent else None
            self.parent_of[o.pk] = o.parent_id

    def _link_closure(self) -> None:
        links = []
        for org in self.orgs:
            node, depth = org.pk, 0
            while node is not None:
                links.append({"ancestor_id": node, "descendant_id": org.pk, "depth": depth})
                node, depth = self.parent_of[node], depth + 1
        copy_rows(OrganizationClosure, links)
        reset_sequences(OrganizationClosure)

    # -- members ---------------------------------------------------------------------
    def id_number(self, birth: datetime.date, gender: str) -> str:
        while True:
            seq = self.rng.randint(0, 499) * 2 + (1 if gender == Gender.MALE else 0)
            body = f"{self.rng.choice(AREAS)}{birth:%Y%m%d}{seq:03d}"
            number = body + check_character(body)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def member(self, member_id: int, org: Organization) -> dict:
        """One person as a row of column values (no model instance: 320,000 of them)."""
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < 0.196 else Gender.MALE
        age = min(85, max(20, int(rng.gauss(44, 11))))
        birth = ANCHOR - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        retired = age >= 60 and rng.random() < 0.8
        status = rng.choices(*WEIGHTS["status"])[0]
        joined = converted = None
        if status in (Status.FULL, Status.PROBATIONARY):
            if status == Status.PROBATIONARY:
                joined = ANCHOR - datetime.timedelta(days=rng.randint(20, 330))
            else:
                joined = min(
                    add_years(birth, rng.randint(20, 32)), ANCHOR - datetime.timedelta(days=400)
                )
            joined = max(joined, add_years(birth, 18))
            converted = add_years(joined, 1) if status == Status.FULL else None
        floating = rng.random() < 0.02  # away: transfers.demo records where
        since = joined or ANCHOR - datetime.timedelta(days=rng.randint(30, 700))
        return {
            "id": member_id,
            "name": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
            "gender": gender,
            "ethnicity": "01" if rng.random() < 0.94 else rng.choice(ETHNIC_GROUPS[1:])[0],
            "birth_date": birth,
            "id_number": self.id_number(birth, gender),
            "education": rng.choices(*WEIGHTS["education"])[0],
            "occupation": Occupation.RETIRED if retired else rng.choices(*WEIGHTS["occupation"])[0],
            "phone": f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
            "joined_on": joined,
            "converted_on": converted,
            "status": str(status),
            "left_on": None,
            "leave_reason": "",
            "is_retired": retired,
            "transfer_pending": False,
            "_away": rng.choice(["深圳", "上海", "北京", "杭州"]) if floating else "",
            "organization_id": org.pk,
            "created_at": CREATED_AT,
            "_since": min(max(since, ANCHOR - datetime.timedelta(days=365 * 12)), ANCHOR),
        }

    def members_for(self, branches: list[Organization]) -> list[dict]:
        per_branch = self.size.members / len(branches)
        first_id = (Member.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        ids = itertools.count(first_id)
        result = []
        for i, branch in enumerate(branches):
            if i % 53 == 7:
                count = 2  # too small: flagged
            elif i % 61 == 3:
                count = int(per_branch * 3.2)  # too large: flagged
            else:
                count = max(3, int(self.rng.gauss(per_branch, per_branch / 3)))
            result.extend(self.member(next(ids), branch) for _ in range(count))
        return result


def _save_members(rows: list[dict], *, with_history: bool) -> None:
    records = [
        {
            "member_id": r["id"],
            "organization_id": r["organization_id"],
            "status": r["status"],
            "started_on": r["_since"],
            # Probationary members were admitted on the date they joined: this year's
            # admissions make the development figures of the dashboards.
            "start_event": str(
                Event.ADMITTED if r["status"] == Status.PROBATIONARY else Event.REGISTERED
            ),
            "end_event": "",
            "recorded_at": CREATED_AT,
        }
        for r in rows
    ]
    member_rows = [with_pinyin({k: v for k, v in r.items() if not k.startswith("_")})
                   for r in rows]  # fmt: skip
    if with_history:
        # Small sets get a "created" entry in each member's change history.
        bulk_create_with_history([Member(**r) for r in member_rows], Member, batch_size=2000)
        copy_rows(MembershipRecord, records)
    else:
        with bulk_load(Member, MembershipRecord):
            copy_rows(Member, member_rows)
            copy_rows(MembershipRecord, records)
    reset_sequences(Member, MembershipRecord)


def _positions(builder: _Builder, members: list[dict]) -> None:
    """Secretaries (some vacant) and committees from each organization's full members."""
    full_by_org: dict[int, list[int]] = {}
    below: dict[int, list[int]] = {}
    for m in members:
        if m["status"] != Status.FULL:
            continue
        full_by_org.setdefault(m["organization_id"], []).append(m["id"])
        node = builder.parent_of[m["organization_id"]]
        while node is not None:
            below.setdefault(node, []).append(m["id"])
            node = builder.parent_of[node]
    rows = []
    branch_posts = [Post.SECRETARY, Post.ORGANIZATION, Post.PROPAGANDA]
    committee_posts = [
        Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.ORGANIZATION, Post.PROPAGANDA, Post.DISCIPLINE,
    ]  # fmt: skip
    for org in builder.orgs:
        if org.is_branch:
            pool = full_by_org.get(org.pk, [])
            if not pool or builder.rng.random() < 0.08:
                continue  # secretary vacant
            posts = branch_posts if len(pool) >= 7 else branch_posts[:1]
        else:
            pool = below.get(org.pk, [])
            posts = committee_posts
            if len(pool) < len(posts):
                continue
        for post, member_id in zip(posts, builder.rng.sample(pool, len(posts)), strict=True):
            rows.append(
                {"organization_id": org.pk, "member_id": member_id, "post": str(post),
                 "started_on": org.term_elected_on, "ended_on": None}
            )  # fmt: skip
    copy_rows(Position, rows)
    reset_sequences(Position)


def _users(branches: list[Organization]) -> list[tuple[str, str, str]]:
    """One login per role; the two secretaries keep sibling branches of one parent."""
    User = get_user_model()
    admin = User.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD)
    by_parent: dict[int, list[Organization]] = {}
    for branch in branches:
        if branch.kind == Kind.BRANCH:
            by_parent.setdefault(branch.parent.pk, []).append(branch)
    sibling_groups = [group for group in by_parent.values() if len(group) >= 2]
    first, second = (sibling_groups or [branches])[0][:2]  # tiny datasets: any two
    committee = first.parent
    while committee.kind != Kind.PARTY_COMMITTEE:
        committee = committee.parent
    root = Organization.objects.get(parent__isnull=True)
    demo_users = [
        ("committee", Role.STAFF, root),
        ("viewer", Role.VIEWER, root),
        ("pcstaff", Role.STAFF, committee),
        ("secretary", Role.SECRETARY, first),
        ("secretary2", Role.SECRETARY, second),
    ]
    printed = [(admin.username, "superuser", "—")]
    for username, role, org in demo_users:
        user = User.objects.create_user(username)
        user.password = admin.password  # one slow hash of the one demo password, not six
        user.save(update_fields=["password"])
        UserRole.objects.create(user=user, organization=org, role=role)
        printed.append((username, str(Role(role).label), org.name))
    return printed


def demo_build(
    size: Size | None = None, *, with_history: bool | None = None, scale: int = 1
) -> dict:
    """Build the dataset (`scale` times: the database copies it); returns counts, the demo
    logins and each phase's seconds."""
    size = size or Size()
    builder = _Builder(size)
    if with_history is None:
        with_history = size.members <= 50_000
    phases = Phases()
    with phases("registry, committed"), transaction.atomic():
        with phases("organizations"):
            branches = builder.build_tree()
        with phases("members"):
            members = builder.members_for(branches)
            _save_members(members, with_history=with_history)
        with phases("posts and tallies"):
            _positions(builder, members)
            tally_rebuild()
        with phases("logins"):
            logins = _users(branches)
    with phases("analyse"):
        _analyse([Organization, OrganizationClosure, Member, MembershipRecord, Position])
    # Separately, once the registry is committed and analysed: checking the keys of the
    # development rows against rows of the same huge transaction made its commit crawl on
    # PostgreSQL (minutes of deferred foreign-key checks).
    with phases("work of the year, committed"), transaction.atomic():
        with phases("development"), bulk_load(Step):
            copy_rows(Step, demo_steps(members, ANCHOR, CREATED_AT))
            reset_sequences(Step)
        with phases("appraisal"), bulk_load(Entry):
            demo_campaign(Organization.objects.get(parent__isnull=True), ANCHOR)
        with phases("meetings"):
            demo_meetings(ANCHOR, CREATED_AT)
        with phases("dues"):
            demo_dues(timezone.localdate(), CREATED_AT)
        with phases("community"):
            demo_community(members, timezone.localdate(), CREATED_AT)
        with phases("transfers"):
            demo_transfers(members, timezone.localdate(), CREATED_AT)
        with phases("reminders"), bulk_load(Reminder):
            reminders.rebuild()
    with phases("analyse"):
        _analyse([Step, Meeting, Attendance, Due, Payment])
    if scale > 1:
        with phases("copies"):
            _copy(scale - 1)
    # The dashboards' figures as of today (in-process without a broker, else by the workers).
    from reports.models import RunTrigger
    from reports.tasks import request_recompute

    with phases("statistics"), transaction.atomic():
        request_recompute(trigger=RunTrigger.COMMAND)
    return {"organizations": Organization.objects.count(), "members": Member.objects.count(),
            "logins": logins, "phases": phases.seconds}  # fmt: skip


# GB 11643: the weights of the first 17 digits, and the check character of each remainder.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def _copied_id_number(column: str, k: str) -> str:
    """Copy k's ID number, in SQL: the area's county digits take the place of its city's
    and 50 + k the county's (110105… becomes 110551… in copy 1), keeping birth date and
    sequence; with its check character. Every original area has a different (province,
    county) pair and a county below 50, so no copy meets the original or another copy."""
    body = (f"(substr({column}, 1, 2) || substr({column}, 5, 2) || CAST(50 + {k} AS TEXT)"
            f" || substr({column}, 7, 11))")  # fmt: skip
    total = " + ".join(
        f"CAST(substr({body}, {i}, 1) AS INTEGER) * {weight}"
        for i, weight in enumerate(ID_WEIGHTS, start=1)
    )
    return f"{body} || substr('{ID_CHECK}', ({total}) % 11 + 1, 1)"


def _copy(copies: int) -> None:
    """The dataset `copies` more times below the same working committee (partybuild.replicate):
    each copy of a committee is a sibling of the original, with its own codes ("P0001.1"),
    names marked with the copy's number, and other people's ID numbers."""
    from reports.models import EthnicGroupCount, Figures

    plan = Plan(
        root=Organization.objects.get(parent__isnull=True),
        leave=[UserRole, Figures, EthnicGroupCount],
        rewrites={
            (Organization, "code"): lambda column, k: f"{column} || '.' || CAST({k} AS TEXT)",
            (Organization, "name"): lambda column, k: f"{column} || '·' || CAST({k} AS TEXT)",
            (Member, "id_number"): _copied_id_number,
        },
        references={(Reminder, "subject_id"): reminders.subject_references()},
    )
    copied = plan.models()
    with transaction.atomic(), bulk_load(*copied):
        replicate(plan, copies)
    reset_sequences(*copied)
    _analyse(copied)


class Phases:
    """Seconds spent in each named phase (a name used twice adds up)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - started
            self.seconds[name] = self.seconds.get(name, 0.0) + spent


def _analyse(models) -> None:
    """Fresh planner statistics and visibility maps (index-only scans) after a load."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{command} {model._meta.db_table}")
