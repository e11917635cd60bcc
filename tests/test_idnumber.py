import datetime

import pytest
from django.core.exceptions import ValidationError

from members.choices import Gender
from members.idnumber import check_character, check_matches_record, parse_id_number


@pytest.mark.parametrize(
    ("number", "birth", "gender"),
    [
        ("11010519491231002X", datetime.date(1949, 12, 31), Gender.FEMALE),
        ("440524188001010014", datetime.date(1880, 1, 1), Gender.MALE),
    ],
)
def test_domain_examples_are_valid(number, birth, gender):
    facts = parse_id_number(number)
    assert (facts.number, facts.birth_date, facts.gender) == (number, birth, gender)


def test_lowercase_x_is_accepted_and_stored_upper():
    assert parse_id_number(" 11010519491231002x ").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "checksum"),  # last character off by one
        ("11010519491231002", "length"),
        ("1101051949123100AX", "format"),
        ("110105194902300023", "checksum"),
    ],
)
def test_invalid_numbers_are_refused(number, code):
    with pytest.raises(ValidationError) as info:
        parse_id_number(number)
    assert info.value.code == code


def test_impossible_birth_date_is_refused():
    body = "11010519490230002"  # 30 February
    with pytest.raises(ValidationError) as info:
        parse_id_number(body + check_character(body))
    assert info.value.code == "date"


def test_record_must_match_birth_date_and_gender():
    facts = parse_id_number("11010519491231002X")
    errors = check_matches_record(facts, birth_date=datetime.date(1949, 12, 30), gender=Gender.MALE)
    assert set(errors) == {"birth_date", "gender"}
    assert not check_matches_record(facts, birth_date=facts.birth_date, gender=Gender.FEMALE)


def test_check_character_follows_the_weights_of_the_standard():
    """S = Σ digit·w mod 11 mapped to 1 0 X 9 8 7 6 5 4 3 2, computed by hand."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    for body in ["11010519491231002", "44052418800101001", "31011519900101123"]:
        total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
        assert check_character(body) == "10X98765432"[total % 11]


@pytest.mark.django_db
def test_demo_and_factory_numbers_are_valid():
    from members.demo import Size, _Builder

    builder = _Builder(Size())
    for _ in range(200):
        birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=_ * 37)
        parse_id_number(builder.id_number(birth, Gender.FEMALE))
    from .factories import id_number

    assert parse_id_number(id_number(datetime.date(1990, 5, 5), Gender.MALE)).gender == Gender.MALE
