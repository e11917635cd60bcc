"""The widgets made in Python give the markup of Django's own templates: the same elements,
attributes and text, escaped the same."""

from html.parser import HTMLParser

import pytest
from django import forms

from partybuild.widgets import fast


class Parts(HTMLParser):
    """Elements with their attributes as sets, and the text, whitespace aside."""

    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts.append((tag, frozenset(attrs)))

    def handle_endtag(self, tag):
        self.parts.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.parts.append(("text", data.strip()))


def parts(html: str) -> list:
    parser = Parts()
    parser.feed(str(html))
    return parser.parts


class Row(forms.Form):
    grade = forms.ChoiceField(choices=[("", "请选择"), ("a", 'A "优" <b>'), ("b", "B")],
                              required=False)  # fmt: skip
    note = forms.CharField(max_length=20, required=False)
    votes = forms.IntegerField(min_value=0)
    done = forms.BooleanField(required=False)


@pytest.mark.parametrize("disabled", [False, True])
@pytest.mark.parametrize(
    "data",
    [
        {"grade": "a", "note": 'say "hi" <script>', "votes": "3", "done": "on"},
        {"grade": "", "note": "", "votes": "", "done": ""},
    ],
)
def test_the_same_markup_as_djangos_templates(data, disabled):
    stock, quick = Row(data, prefix="e7"), Row(data, prefix="e7")
    for name, field in quick.fields.items():
        field.widget = fast(field.widget)
        field.widget.attrs.update({"class": "form-control", "aria-label": "王伟 " + name})
        stock.fields[name].widget.attrs.update(field.widget.attrs)
        field.disabled = stock.fields[name].disabled = disabled
    for name in stock.fields:
        assert type(quick.fields[name].widget) is not type(stock.fields[name].widget)
        assert parts(quick[name]) == parts(stock[name]), name
