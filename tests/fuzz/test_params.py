"""`minamata_portal.params`: any text in, a value in range or a 400 with a message out."""

import contextlib

import pytest
from django.http import Http404, QueryDict
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from minamata_portal import params

from .strategies import COUNTS, FUZZ, number_text, surrogate_text

any_text = st.text(st.characters(codec=None), max_size=30) | number_text | surrogate_text


def _query(**values):
    query = QueryDict(mutable=True)
    for key, value in values.items():
        query[key] = value
    return query


@FUZZ
@given(raw=any_text)
def test_a_number_is_in_range_or_refused_with_a_message(raw):
    COUNTS["examples"] += 1
    try:
        number = params.int_param(_query(n=raw), "n", min_value=1, max_value=params.INT_MAX)
    except params.InvalidParameter as error:
        assert error.name == "n" and "“n”" in error.message
    else:
        assert number is None or 1 <= number <= params.INT_MAX
        assert number is None or str(number) == raw.strip().lstrip("0") or raw.strip().isascii()


@FUZZ
@given(raw=any_text)
def test_a_year_is_one_datetime_knows_or_refused(raw):
    COUNTS["examples"] += 1
    import datetime as dt

    try:
        year = params.year_param(_query(year=raw))
    except params.InvalidParameter:
        return
    if year is not None:
        dt.date(year, 1, 1)


@FUZZ
@given(raw=any_text)
def test_text_with_nul_or_a_surrogate_is_refused(raw):
    COUNTS["examples"] += 1
    try:
        text = params.text_param(_query(q=raw), "q")
    except params.InvalidParameter as error:
        assert "\x00" in raw or any(0xD800 <= ord(c) <= 0xDFFF for c in raw)
        assert error.message
    else:
        text.encode("utf-8")
        assert "\x00" not in text


@FUZZ
@given(raw=any_text)
def test_a_path_code_that_names_nothing_is_404(raw):
    COUNTS["examples"] += 1
    with contextlib.suppress(Http404):
        assert params.path_text_or_404(raw) == raw


@pytest.mark.parametrize("raw", ["\ud800", "mercury\udfff", "a\x00"])
def test_the_search_refuses_a_surrogate_or_nul_with_400_and_a_message(raw, db):
    """A surrogate cannot come through HTTP (Django decodes with `errors="replace"`), so the view
    is given one directly: refused before the database sees it, answered 400 with the message."""
    from documents.views import search

    request = RequestFactory().get("/documents/")
    request.GET = _query(q=raw)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with pytest.raises(params.InvalidParameter) as caught:
        search(request)
    response = params.bad_request(request, caught.value)
    assert response.status_code == 400
    assert str(caught.value.message) in response.content.decode()
