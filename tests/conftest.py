"""The named cast every test can use.

The tree:          W (working committee)
                   ├── P1 (party committee)
                   │   ├── G1 (general branch)
                   │   │   ├── B1 (branch)   ← Alice, secretary
                   │   │   └── B2 (branch)   ← Bob, secretary
                   │   └── B3 (branch)
                   └── P2 (party committee)
                       └── B4 (branch)
Users: Wendy (staff of W), Paul (staff of P1), Alice (secretary of B1), Bob (secretary of B2),
Victor (viewer of W), Nora (no role), root (superuser).
"""

import datetime
import os
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from development.models import Approval, StepKind
from development.services import step_approve, step_record
from members.choices import Status
from organizations.models import Kind, Policy, Role, UserRole
from partybuild.celery import app as celery_app

from .factories import make_member, make_org
from .procedure import happy_path, passing_vote

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """With a replica configured, its alias reads the replica server's copy of the test
    database, which streams from the primary; Django made it a mirror of the primary's
    connection for the setup (settings: TEST MIRROR), so that nothing is created or flushed
    on a read-only standby."""
    from django.conf import settings
    from django.db import connections

    if "replica" in settings.DATABASES:
        server = settings.DATABASES["replica"]
        connection = connections["replica"]
        connection.close()
        connection.settings_dict = {
            **connections["default"].settings_dict,
            **{key: server[key] for key in ("HOST", "PORT", "USER", "PASSWORD", "OPTIONS")},
            "TEST": {**connections["default"].settings_dict["TEST"], "MIRROR": "default"},
        }
    yield


@pytest.fixture(autouse=True)
def _replica_only_in_replica_tests(request, monkeypatch):
    """The other tests keep their data in an open transaction, which a replica never sees:
    they read from the primary, as they would with the replica down."""
    if request.node.get_closest_marker("replica") is None:
        from partybuild import replica

        monkeypatch.setattr(replica, "available", lambda **kwargs: False)


@pytest.fixture(autouse=True)
def _eager_celery_unless_worker(request):
    """Tasks run in-process, except in tests that start a real worker."""
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _default_language():
    """Requests switch the thread's language; every test starts in Chinese."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db):
    w = make_org("W", Kind.WORKING_COMMITTEE, name="市直机关工委")
    p1 = make_org("P1", Kind.PARTY_COMMITTEE, w, name="第一党委")
    g1 = make_org("G1", Kind.GENERAL_BRANCH, p1, name="第一党总支")
    b1 = make_org("B1", Kind.BRANCH, g1, name="第一党支部")
    b2 = make_org("B2", Kind.BRANCH, g1, name="第二党支部")
    b3 = make_org("B3", Kind.BRANCH, p1, name="第三党支部")
    p2 = make_org("P2", Kind.PARTY_COMMITTEE, w, name="第二党委")
    b4 = make_org("B4", Kind.BRANCH, p2, name="第四党支部")
    Policy.current()
    return SimpleNamespace(w=w, p1=p1, g1=g1, b1=b1, b2=b2, b3=b3, p2=p2, b4=b4)


def _user(username: str, org=None, role: str | None = None, **extra):
    user = get_user_model().objects.create_user(username, password=PASSWORD, **extra)
    if org is not None:
        UserRole.objects.create(user=user, organization=org, role=role)
    return user


@pytest.fixture
def cast(tree):
    return SimpleNamespace(
        wendy=_user("wendy", tree.w, Role.STAFF),
        paul=_user("paul", tree.p1, Role.STAFF),
        alice=_user("alice", tree.b1, Role.SECRETARY),
        bob=_user("bob", tree.b2, Role.SECRETARY),
        victor=_user("victor", tree.w, Role.VIEWER),
        nora=_user("nora"),
        root=_user("root", is_superuser=True, is_staff=True),
    )


@pytest.fixture
def people(tree):
    """One full member in each branch, named after it."""
    return SimpleNamespace(
        **{
            code: make_member(getattr(tree, code), name=f"{code.upper()}党员")
            for code in ("b1", "b2", "b3", "b4")
        }
    )


def login(client, user):
    client.force_login(user)
    return client


# -- the development procedure ------------------------------------------------

D = datetime.date


@pytest.fixture
def person(tree):
    return make_member(
        tree.b1, status=Status.APPLICANT, joined_on=None, birth=D(1994, 5, 1), since=D(2024, 1, 1)
    )


@pytest.fixture
def introducers(tree):
    return [make_member(tree.b1, converted_on=D(2011, 7, 1)) for _ in range(2)]


@pytest.fixture
def walk(tree, introducers, cast):
    def run(person, upto=None):
        for kind, on, details in happy_path(tree, introducers):
            if kind == upto:
                return
            details = dict(details)
            if details.get("vote") == "pass":
                details["vote"] = passing_vote()
            step = step_record(member=person, kind=kind, on=on, **details)
            if step.approval == Approval.PENDING:
                step_approve(step=step, by=cast.paul)

    return run


@pytest.fixture
def applicants(tree):
    """One applicant (with a recorded application) in B1 and one in B2."""
    result = {}
    for code in ("b1", "b2"):
        person = make_member(getattr(tree, code), status=Status.APPLICANT, joined_on=None,
                             since=D(2024, 1, 1), name=f"{code}申请人")  # fmt: skip
        step_record(member=person, kind=StepKind.APPLICATION, on=D(2024, 3, 1))
        result[code] = person
    return result
