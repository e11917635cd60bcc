"""Accounts and roles kept in the app by committee staff, within their subtree; one-time
passwords changed at first login; several roles per person; everything audited."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Account
from organizations.models import Role, UserRole
from partybuild.models import Action, AuditEvent

from .conftest import PASSWORD

User = get_user_model()
NEW_PASSWORD = "Lantern-river-42"


def create(client, staff, **data):
    client.force_login(staff)
    defaults = {"username": "carol", "full_name": "陈卡罗", "organization": "B1",
                "role": Role.SECRETARY}  # fmt: skip
    return client.post(reverse("accounts:account_create"), {**defaults, **data})


def one_time_password(response) -> str:
    return re.search(r'data-testid="one-time-password">([^<]+)<', response.content.decode())[1]


@pytest.mark.django_db
def test_staff_create_a_secretary_who_must_change_the_password(client, cast, tree):
    response = create(client, cast.paul)
    assert response.status_code == 200
    password = one_time_password(response)
    carol = User.objects.get(username="carol")
    assert not carol.is_staff and not carol.is_superuser
    assert list(UserRole.objects.filter(user=carol).values_list("organization__code", "role")) == [
        ("B1", Role.SECRETARY)
    ]
    assert Account.objects.get(user=carol).must_change_password
    assert {e.action for e in AuditEvent.objects.filter(user=cast.paul)} >= {
        Action.ACCOUNT_CREATED, Action.ROLE_GRANTED,
    }  # fmt: skip
    assert password not in str(list(AuditEvent.objects.values_list("detail", "summary")))
    client.logout()
    login = client.post(reverse("login"), {"username": "carol", "password": password})
    assert login.status_code == 302
    for url in (reverse("members:member_list"), reverse("home")):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("accounts:password_change")
    change = reverse("accounts:password_change")
    weak = {"old_password": password, "new_password1": "short1", "new_password2": "short1"}
    assert "至少" in client.post(change, weak).content.decode()  # 10 characters at least
    strong = {"old_password": password, "new_password1": NEW_PASSWORD,
              "new_password2": NEW_PASSWORD}  # fmt: skip
    assert client.post(change, strong).status_code == 302
    assert client.get(reverse("members:member_list")).status_code == 200
    assert not Account.objects.get(user=carol).must_change_password
    assert AuditEvent.objects.filter(user=carol, action=Action.PASSWORD_CHANGED).exists()


@pytest.mark.django_db
def test_no_role_outside_the_subtree_or_above_the_own_organization(client, cast, tree):
    for organization in ("B4", "W"):  # another committee's branch; the top
        response = create(client, cast.paul, organization=organization, role=Role.VIEWER)
        assert response.status_code == 200 and 'data-testid="one-time-password"' not in (
            response.content.decode()
        )
    assert not User.objects.filter(username="carol").exists()
    response = create(client, cast.paul, organization="G1", role=Role.SECRETARY)
    assert "党支部" in response.content.decode() and not User.objects.filter(username="carol")
    for user in (cast.alice, cast.victor, cast.nora):
        assert create(client, user).status_code == 403


@pytest.mark.django_db
def test_deactivation_ends_the_open_session_and_reactivation_allows_login(client, cast, tree):
    from django.test import Client

    carol_browser = Client()
    create(client, cast.paul)
    carol = User.objects.get(username="carol")
    Account.objects.filter(user=carol).update(must_change_password=False)
    carol_browser.force_login(carol)
    assert carol_browser.get(reverse("members:member_list")).status_code == 200
    client.force_login(cast.paul)
    client.post(reverse("accounts:account_active", args=[carol.pk]), {"active": "0"})
    assert carol_browser.get(reverse("members:member_list")).status_code == 302  # session over
    client.post(reverse("accounts:account_active", args=[carol.pk]), {"active": "1"})
    carol.refresh_from_db()
    assert carol.is_active
    actions = list(
        AuditEvent.objects.filter(object_id=str(carol.pk)).values_list("action", flat=True)
    )
    assert Action.ACCOUNT_DEACTIVATED in actions and Action.ACCOUNT_REACTIVATED in actions


@pytest.mark.django_db
def test_a_password_reset_shows_a_new_one_time_password_once(client, cast, tree):
    client.force_login(cast.paul)
    response = client.post(reverse("accounts:password_reset", args=[cast.alice.pk]))
    password = one_time_password(response)
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(password) and not cast.alice.check_password(PASSWORD)
    assert Account.objects.get(user=cast.alice).must_change_password
    assert (
        password
        not in client.get(reverse("accounts:account_detail", args=[cast.alice.pk])).content.decode()
    )


@pytest.mark.django_db
def test_an_account_also_bound_elsewhere_is_managed_only_in_scope(client, cast, tree):
    UserRole.objects.create(user=cast.alice, organization=tree.b4, role=Role.SECRETARY)
    client.force_login(cast.paul)
    assert client.get(reverse("accounts:account_detail", args=[cast.alice.pk])).status_code == 200
    for name in ("accounts:account_active", "accounts:password_reset"):
        assert client.post(reverse(name, args=[cast.alice.pk]), {"active": "0"}).status_code == 403
    outside = UserRole.objects.get(user=cast.alice, organization=tree.b4)
    inside = UserRole.objects.get(user=cast.alice, organization=tree.b1)
    revoke = "accounts:role_revoke"
    assert client.post(reverse(revoke, args=[cast.alice.pk, outside.pk])).status_code == 404
    assert client.post(reverse(revoke, args=[cast.alice.pk, inside.pk])).status_code == 302
    assert list(UserRole.objects.filter(user=cast.alice)) == [outside]
    # ... and now Alice is no account of Paul's at all
    assert client.get(reverse("accounts:account_detail", args=[cast.alice.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["wendy", "paul", "alice", "bob", "victor", "nora", "root"])
def test_account_changes_by_post_for_every_role(client, cast, tree, who):
    """The POST endpoints against every role: staff in scope act, others never."""
    client.force_login(getattr(cast, who))
    target = cast.bob
    binding = UserRole.objects.get(user=target)
    expected = {"wendy": 302, "paul": 302, "root": 302}.get(who, 403)
    active = client.post(reverse("accounts:account_active", args=[target.pk]), {"active": "1"})
    assert active.status_code == expected
    reset = client.post(reverse("accounts:password_reset", args=[target.pk]))
    assert reset.status_code == (200 if expected == 302 else 403)
    revoke = client.post(reverse("accounts:role_revoke", args=[target.pk, binding.pk]))
    assert revoke.status_code == expected
    assert UserRole.objects.filter(pk=binding.pk).exists() == (expected != 302)


@pytest.mark.django_db
def test_one_person_with_two_roles_switches_and_scoping_follows(client, cast, tree, people):
    UserRole.objects.create(user=cast.alice, organization=tree.b4, role=Role.SECRETARY)
    client.force_login(cast.alice)
    page = client.get(reverse("members:member_list")).content.decode()
    assert 'data-testid="role-switcher"' in page
    assert people.b1.name in page and people.b4.name not in page  # the first binding
    b4_role = UserRole.objects.get(user=cast.alice, organization=tree.b4)
    client.post(reverse("accounts:act_as"), {"role": b4_role.pk})
    page = client.get(reverse("members:member_list")).content.decode()
    assert people.b4.name in page and people.b1.name not in page
    member_b1 = reverse("members:member_detail", args=[people.b1.pk])
    assert client.get(member_b1).status_code == 404
    client.post(reverse("accounts:act_as"), {"role": UserRole.objects.get(user=cast.bob).pk})
    assert people.b4.name in client.get(reverse("members:member_list")).content.decode()


@pytest.mark.django_db
def test_the_audit_log_is_for_the_working_committee_and_filters(client, cast, tree):
    create(client, cast.paul, username="dora")
    for who, status in (("wendy", 200), ("root", 200), ("paul", 403), ("alice", 403),
                        ("victor", 403), ("nora", 403)):  # fmt: skip
        client.force_login(getattr(cast, who))
        assert client.get(reverse("accounts:audit_log")).status_code == status, who
    client.force_login(cast.wendy)
    page = client.get(reverse("accounts:audit_log"), {"action": Action.ACCOUNT_CREATED})
    text = page.content.decode()
    assert "dora" in text and "创建账号" in text
    page = client.get(reverse("accounts:audit_log"), {"action": Action.PASSWORD_RESET})
    assert "dora" not in page.content.decode()


@pytest.mark.django_db
def test_a_job_runs_in_the_role_it_was_started_in(
    client, cast, tree, people, settings, django_capture_on_commit_callbacks
):
    import io

    from openpyxl import load_workbook

    from partybuild.models import Job

    settings.ROSTER_EXPORT_INLINE_LIMIT = 0
    UserRole.objects.create(user=cast.alice, organization=tree.b4, role=Role.SECRETARY)
    client.force_login(cast.alice)
    b4_role = UserRole.objects.get(user=cast.alice, organization=tree.b4)
    client.post(reverse("accounts:act_as"), {"role": b4_role.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:member_export"))
    job = Job.objects.get()
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [people.b4.name]
