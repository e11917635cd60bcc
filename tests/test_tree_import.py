"""The tree import at a real city's size: 629 organizations in any line order, all or none."""

import io
import random

import pytest
from openpyxl import Workbook, load_workbook

from organizations.importer import COLUMNS, organizations_import, write_organizations
from organizations.models import Kind, Organization, OrganizationClosure

from .test_commands import ORG_HEADER

KIND_LABELS = {Kind.WORKING_COMMITTEE: "机关工委", Kind.PARTY_COMMITTEE: "党委",
               Kind.GENERAL_BRANCH: "党总支", Kind.BRANCH: "党支部"}  # fmt: skip


def city_rows() -> list[list]:
    """1 working committee, 34 party committees, 52 general branches and 542 branches.

    Codes are plain numbers, as a city's old spreadsheets have them: "55" is a code, never a
    database id.
    """
    rows = [["1", "市直机关工委", KIND_LABELS[Kind.WORKING_COMMITTEE], None]]
    committees = [str(2 + i) for i in range(34)]
    generals = [str(100 + i) for i in range(52)]
    rows += [[c, f"第{c}党委", KIND_LABELS[Kind.PARTY_COMMITTEE], "1"] for c in committees]
    rows += [
        [g, f"第{g}党总支", KIND_LABELS[Kind.GENERAL_BRANCH], committees[i % 34]]
        for i, g in enumerate(generals)
    ]
    parents = generals + committees
    rows += [
        [str(1000 + i), f"第{i}党支部", KIND_LABELS[Kind.BRANCH], parents[i % len(parents)]]
        for i in range(542)
    ]
    return rows


def workbook(rows: list[list]) -> io.BytesIO:
    wb = Workbook()
    wb.active.append(ORG_HEADER)
    for row in rows:
        wb.active.append(row)
    stream = io.BytesIO()
    wb.save(stream)
    stream.seek(0)
    return stream


def shuffled(rows: list[list], seed: int = 11) -> list[list]:
    rows = list(rows)
    random.Random(seed).shuffle(rows)
    return rows


@pytest.mark.django_db
def test_a_city_of_629_organizations_imports_whole_in_shuffled_order():
    rows = shuffled(city_rows())
    assert rows[0][0] != "1"  # the top is not on the first line
    result = organizations_import(file=workbook(rows))
    assert result.ok, [str(e) for e in result.errors[:5]]
    assert result.created == 629 == Organization.objects.count()
    top = Organization.objects.get(code="1")
    assert Organization.objects.subtree_of(top.pk).count() == 629
    counts = {k: Organization.objects.filter(kind=k).count() for k in KIND_LABELS}
    assert counts == {Kind.WORKING_COMMITTEE: 1, Kind.PARTY_COMMITTEE: 34,
                      Kind.GENERAL_BRANCH: 52, Kind.BRANCH: 542}  # fmt: skip
    branch = Organization.objects.get(code="1000")  # under general branch 100, under 2
    assert branch.parent.code == "100" and branch.depth == 3
    assert set(
        OrganizationClosure.objects.filter(descendant=branch).values_list("ancestor__code", "depth")
    ) == {("1000", 0), ("100", 1), ("2", 2), ("1", 3)}
    # every organization has one link per level above it, itself included
    assert OrganizationClosure.objects.count() == sum(
        o.depth + 1 for o in Organization.objects.all()
    )


@pytest.mark.django_db
def test_one_bad_line_on_line_300_imports_nothing_and_names_line_300_only():
    rows = shuffled(city_rows())
    branch_codes = [r[0] for r in rows if r[2] == KIND_LABELS[Kind.BRANCH]]
    bad = next(i for i in range(297, len(rows)) if rows[i][2] == KIND_LABELS[Kind.BRANCH])
    rows.insert(298, rows.pop(bad))  # a branch on line 300 (the header is line 1)
    other_branch = next(c for c in branch_codes if c != rows[298][0])
    rows[298][3] = other_branch  # ... placed under another branch
    result = organizations_import(file=workbook(rows))
    assert [e.line for e in result.errors] == [300]
    assert "党支部不能设在党支部之下" in str(result.errors[0])
    assert not Organization.objects.exists() and result.created == 0


@pytest.mark.django_db
def test_children_of_a_bad_line_report_only_their_own_faults():
    rows = [
        ["1", "工委", "机关工委", None],
        ["2", "党委", "党委", "1"],
        ["3", "", "党总支", "2"],  # line 4: no name
        ["4", "支部", "党支部", "3"],  # line 5: fine, but its parent is wrong
        ["5", "支部", "党支部", "99"],  # line 6: unknown parent
    ]
    result = organizations_import(file=workbook(rows))
    assert [e.line for e in result.errors] == [4, 6]
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_codes_already_taken_are_refused_on_their_line(tree):
    rows = [["P1", "重复的党委", "党委", "W"], ["B99", "新支部", "党支部", "P1"]]
    result = organizations_import(file=workbook(rows))
    assert [e.line for e in result.errors] == [2]
    assert not Organization.objects.filter(code="B99").exists()


@pytest.mark.django_db
def test_an_import_can_hang_a_new_subtree_under_an_existing_organization(tree):
    rows = [["B99", "新支部", "党支部", "G99"], ["G99", "新总支", "党总支", "P2"]]
    result = organizations_import(file=workbook(rows))
    assert result.ok and result.created == 2
    ancestors = OrganizationClosure.objects.filter(descendant__code="B99")
    assert set(ancestors.values_list("ancestor__code", "depth")) == {
        ("B99", 0), ("G99", 1), ("P2", 2), ("W", 3),
    }  # fmt: skip
    assert Organization.objects.get(code="B99").history.count() == 1


@pytest.mark.django_db
def test_the_written_tree_imports_back_as_it_was(tree):
    stream = io.BytesIO()
    assert write_organizations(stream, Organization.objects.all()) == 8
    stream.seek(0)
    sheet = load_workbook(stream).active
    lines = list(sheet.iter_rows(values_only=True))
    assert list(lines[0]) == [str(c.label) for c in COLUMNS]
    # the same tree under new codes: every code gets a prefix, the parent codes too
    renamed = [[f"N{r[0]}", r[1], r[2], f"N{r[3]}" if r[3] else None, *r[4:]] for r in lines[1:]]
    result = organizations_import(file=workbook(shuffled(renamed)))
    assert result.ok and result.created == 8
    assert Organization.objects.get(code="NB2").parent.code == "NG1"


@pytest.mark.django_db
def test_a_form_takes_a_code_whatever_the_number_of_organizations(client, cast, tree, monkeypatch):
    """The select (few organizations) and the code box (many) accept the same value."""
    from django.urls import reverse

    from organizations import forms as org_forms

    client.force_login(cast.wendy)
    data = {"name": "新支部", "code": "B77", "kind": "branch", "parent": tree.g1.code}
    url = reverse("organizations:organization_create")
    assert client.post(url, data).status_code == 302
    monkeypatch.setattr(org_forms, "SELECT_LIMIT", 2)
    assert client.post(url, {**data, "code": "B78"}).status_code == 302
    assert Organization.objects.get(code="B78").parent == tree.g1


@pytest.mark.django_db
def test_the_picker_finds_by_name_or_code_in_scope_with_the_path(client, cast, tree):
    from django.urls import reverse

    url = reverse("organizations:organization_lookup")
    client.force_login(cast.paul)
    found = client.get(url, {"q": "支部"}).json()["results"]
    assert {r["value"] for r in found} == {"B1", "B2", "B3"}  # not B4: another committee's
    b1 = next(r for r in found if r["value"] == "B1")
    assert b1["path"] == "第一党委 › 第一党总支 › 第一党支部"
    assert [r["value"] for r in client.get(url, {"q": "g1"}).json()["results"]] == ["G1"]
    committees = client.get(url, {"write": 1, "committees": 1}).json()["results"]
    assert [r["value"] for r in committees] == ["P1", "G1"]
    client.force_login(cast.victor)  # a viewer may read the city but change nothing
    assert client.get(url, {"q": "支部"}).json()["results"]
    assert client.get(url, {"q": "支部", "write": 1}).json()["results"] == []
    client.force_login(cast.alice)
    assert [r["value"] for r in client.get(url).json()["results"]] == ["B1"]
