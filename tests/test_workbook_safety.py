"""Text that no workbook can hold is refused at input and cleaned in every export; names
that look like formulas stay text; sheet titles are made acceptable."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from appraisals.models import Sheet
from appraisals.services import campaign_open
from members.models import Member
from members.roster import COLUMNS, RosterRowForm
from organizations.models import Organization

from .factories import make_member
from .test_personal_data import edit_data
from .test_roster import roster_row
from .test_statistics_views import compute

VT = "\x0b"  # a vertical tab, pasted from a word processor


def book(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


@pytest.mark.django_db
def test_a_control_character_is_refused_in_the_form_and_the_import(client, cast, people):
    client.force_login(cast.alice)
    url = reverse("members:member_edit", args=[people.b1.pk])
    response = client.post(url, edit_data(people.b1, name=f"张{VT}三"))
    assert response.status_code == 200 and "控制字符" in response.content.decode()
    # the roster import checks each line with the same model rules
    row = dict(zip([c.key for c in COLUMNS], roster_row(1), strict=True))
    form = RosterRowForm(data={**{k: v for k, v in row.items() if v}, "name": f"李{VT}四"})
    assert not form.is_valid() and "控制字符" in str(form.errors["name"])


@pytest.mark.django_db
def test_a_name_that_slipped_in_is_cleaned_in_exports(client, cast, tree):
    member = make_member(tree.b1, name="王五")
    Member.objects.filter(pk=member.pk).update(name=f"王{VT}五")  # e.g. from an old import
    client.force_login(cast.alice)
    sheet = book(client.post(reverse("members:member_export"))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["王五"]


@pytest.mark.django_db
def test_a_slash_in_a_branch_name_gives_a_valid_sheet_title(client, cast, tree):
    Organization.objects.filter(pk=tree.b1.pk).update(name="财政局/税务局联合党支部")
    make_member(tree.b1)
    import datetime

    campaign = campaign_open(
        organization=tree.w, year=2025, title="评议", starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 2, 1), deadline=datetime.date(2026, 3, 1),
    )  # fmt: skip
    sheet = Sheet.objects.get(campaign=campaign, organization=tree.b1)
    client.force_login(cast.alice)
    response = client.get(reverse("appraisals:sheet_template", args=[sheet.pk]))
    assert response.status_code == 200
    assert book(response).sheetnames == ["财政局_税务局联合党支部"]


@pytest.mark.django_db
def test_a_name_beginning_with_equals_is_written_as_text(client, cast, tree):
    Organization.objects.filter(pk=tree.b1.pk).update(name='=HYPERLINK("http://x","点我")')
    Organization.objects.filter(pk=tree.b2.pk).update(name="+86 支部")
    make_member(tree.b1)
    compute()
    client.force_login(cast.wendy)
    workbook = book(client.post(reverse("reports:yearly", args=[tree.g1.pk])))
    children = workbook.worksheets[-1]
    cells = {c.value: c for row in children.iter_rows() for c in row if c.value}
    formula_name = cells['=HYPERLINK("http://x","点我")']
    assert formula_name.data_type == "s"
    assert cells["+86 支部"].data_type == "s"
    sums = [c for c in cells.values() if str(c.value).startswith("=SUM(")]
    assert sums and all(c.data_type == "f" for c in sums)  # the real formulas stay formulas
