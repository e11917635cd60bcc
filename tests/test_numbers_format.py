"""amount_formatter writes amounts as the template filter floatformat:"2g" does, in Chinese
(no separator) and in English (thousands)."""

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from partybuild.numbers import amount_formatter

AMOUNTS = ["0", "12", "1234567.5", "-1234.567", "999.995", "100000000.01", "0.005", "-0.004"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_amounts_as_floatformat_writes_them(language):
    with translation.override(language):
        format_amount = amount_formatter()
        for text in AMOUNTS:
            value = Decimal(text)
            assert format_amount(value) == str(floatformat(value, "2g")), text
    with translation.override("en"):
        assert amount_formatter()(Decimal("1234567.5")) == "1,234,567.50"
