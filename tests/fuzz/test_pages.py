"""No server error on any input: every portal URL pattern, GET with fuzzed query parameters and
path arguments of the wrong type or out of range, as a visitor and as a secretariat administrator;
POST with fuzzed fields to every pattern as the administrator. Runs on PostgreSQL."""

import datetime as dt
import re
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from documents import services as document_services
from letters.enums import LetterKind
from letters.services.issuing import LetterSpec, letters_request
from participants.services.focal_points import registration_request_create
from tests.documents.factories import pdf_upload, register, version
from tests.factories import FocalPointFactory, StaffFactory, country
from tests.meetings.factories import SideEventFactory
from tests.participants.factories import NominationLetterFactory, RegistrationFactory, open_meeting
from tests.test_access_layer import PORTAL_APPS, _portal_views

from .strategies import (
    COUNTS,
    FUZZ,
    INT_PATH_VALUES,
    QUERY_KEYS,
    fuzzed_text,
    number_text,
    path_value,
    query,
    value,
)

ROUTES = sorted({route for route, _view in _portal_views()})


def _form_field_names():
    """Every field name of every portal form: what a POST to any pattern may carry."""
    import importlib
    import inspect

    from django import forms

    names = set()
    for app in PORTAL_APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                names.update(cls.base_fields)
    return sorted(names)


ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
POST_KEYS = [
    "action", "reason", "next", "note", "target_date", "kind", "token", "visa", "decision", "role",
    "existing_letter", "room", "slot", "status", "comment", "text", "title", "q", "meeting",
]  # fmt: skip
POST_KEYS += [name for name in _form_field_names() if name not in POST_KEYS]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    """Real rows for the ids the pages load: a registration, a side event, a document with its
    English version and file, a call with a submitted file, a letter, a nomination letter and a
    focal point's registration request (cheap ones: the letter is issued, not rendered)."""
    meeting = open_meeting()
    side_event = SideEventFactory(meeting=meeting)
    registration = RegistrationFactory(meeting=meeting)
    admin = StaffFactory(roles=["Secretariat administrator"])
    document = register(meeting, title_en="Fuzzed note")
    english = version(document, "en")
    stored = document_services.language_version_upload(version=english, uploaded=pdf_upload())
    call = document_services.call_for_submissions_save(
        meeting=meeting, title="Fuzzed call", letter_date=dt.date(2019, 12, 13), addressees="Parties",
        deadline=dt.date(2021, 6, 30),
    )  # fmt: skip
    submission = document_services.submission_record(
        call=call, received_on=dt.date(2021, 6, 1), country=country("ZMB"), files=[pdf_upload()]
    )
    (letter,) = letters_request(
        meeting=meeting, kind=LetterKind.CONFIRMATION,
        specs=[LetterSpec(trigger_key=f"fuzz:{registration.pk}", recipient_name="A delegate",
                          recipient_email=registration.email, recipient_user=registration.user,
                          registration=registration)],
    )  # fmt: skip
    focal_point = FocalPointFactory(country=country("ZMB")).user
    request = registration_request_create(
        meeting=open_meeting(), country=country("ZMB"), person=registration.user, by=focal_point
    )
    nomination_letter = NominationLetterFactory(meeting=meeting, country=country("ZMB"))
    submission_file = submission.files.get()
    ids = [registration, side_event, document, english, stored, call, submission_file, letter, request,
           nomination_letter]  # fmt: skip
    # The id each loader reads (by the selector or function, as tests/test_access_matrix.py names
    # them): a page's `<int:pk>` is drawn from its own object's id first.
    by_loader = {
        "participants.selectors.registration_by_pk": registration,
        "participants.selectors.nomination_letter_by_pk": nomination_letter,
        "participants.selectors.registration_request_by_pk": request,
        "letters.views._letter": letter,
        "meetings.selectors.side_event_detail": side_event,
        "documents.views._document": document,
        "documents.views._readable_document": document,
        "documents.views._version": english,
        "documents.views._version_file": stored,
        "documents.views._call": call,
        "documents.views._submission_file": submission_file,
    }
    return {
        "int": sorted({str(row.pk) for row in ids} | {"1"}),
        "int_by_loader": {key: str(row.pk) for key, row in by_loader.items()},
        "slug": [meeting.code],
        "str": ["en", "fr", "ZMB", "ABCDEFGH", letter.verification_code],
        "users": {"visitor": None, "admin": admin, "delegate": registration.user},
    }


ROUTE_VIEWS = dict(_portal_views())


def _known(route, converter, world):
    """The known values for an argument: for an `<int:…>`, the id of the object the page's loader
    reads (when the world has one) before every other known id."""
    known = world.get(converter, world["str"])
    load = getattr(ROUTE_VIEWS.get(route), "access_load", None)
    if converter == "int" and load is not None:
        fetch = getattr(load, "fetch", load)
        own = world["int_by_loader"].get(f"{fetch.__module__}.{fetch.__qualname__}")
        if own is not None:
            known = [own, *(k for k in known if k != own)]
    return known


def _url(route, data, world):
    def replace(match):
        converter = match.group("converter") or "str"
        return data.draw(path_value(converter, _known(route, converter, world)), label=match.group("name"))

    return "/" + ARGUMENT.sub(replace, route)


def _sign_in(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def _out_of_range(route, url):
    """Whether an `<int:…>` argument of this URL is one of the hostile numbers no object has
    (out of the range of every id column; `000…1` is id 1)."""
    pattern = "^/" + ARGUMENT.sub(lambda m: "([^/]*)", route) + "$"
    converters = [m.group("converter") for m in ARGUMENT.finditer(route)]
    found = re.match(pattern, url)
    return bool(found) and any(
        c == "int" and v in INT_PATH_VALUES[2:-1] for c, v in zip(converters, found.groups(), strict=True)
    )


@pytest.mark.parametrize("route", ROUTES)
def test_get_never_answers_a_server_error(route, world, client):
    @FUZZ
    @given(data=st.data(), who=st.sampled_from(["visitor", "admin"]), params=query)
    def check(data, who, params):
        COUNTS["examples"] += 1
        _sign_in(client, world["users"][who])
        url = _url(route, data, world)
        response = client.get(url, params)
        assert response.status_code < 500, (url, params)
        if who == "admin" and _out_of_range(route, url):
            assert response.status_code in (400, 404, 405), (url, response.status_code)

    check()


@pytest.mark.parametrize("route", ROUTES)
def test_post_never_answers_a_server_error(route, world, client):
    @FUZZ
    @given(
        data=st.data(),
        who=st.sampled_from(["admin", "delegate"]),
        fields=st.dictionaries(
            st.sampled_from(POST_KEYS), st.one_of(value, st.lists(value, max_size=3)), max_size=12
        ),
    )
    def check(data, who, fields):
        COUNTS["examples"] += 1
        _sign_in(client, world["users"][who])
        url = _url(route, data, world)
        response = client.post(url, fields)
        assert response.status_code < 500, (url, fields)

    check()


@pytest.mark.parametrize("route", ROUTES)
def test_every_pattern_answers_its_own_objects_without_a_server_error(route, world, client):
    """The real rows, not only drawn ones: each `<int:…>` is the id of the object the page loads,
    and the fuzzed query and form fields go with it, for each of the three users."""
    url = "/" + ARGUMENT.sub(
        lambda m: quote(_known(route, m.group("converter") or "str", world)[0], safe=""), route
    )
    for who in ("visitor", "admin", "delegate"):
        _sign_in(client, world["users"][who])
        response = client.get(url, dict.fromkeys(QUERY_KEYS, "1"))
        assert response.status_code < 500, (who, url)
        response = client.post(url, dict.fromkeys(POST_KEYS, "1"))
        assert response.status_code < 500, (who, "POST", url)


def test_a_nul_byte_in_the_search_is_refused_with_a_message(client, db):
    response = client.get("/documents/", {"q": "mercury\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode() or "null" in response.content.decode().lower()


def test_search_answers_any_text(client, db):
    @FUZZ
    @given(q=fuzzed_text)
    def check(q):
        COUNTS["examples"] += 1
        response = client.get("/documents/", {"q": q})
        assert response.status_code in (200, 400)
        if "\x00" in q:
            assert response.status_code == 400

    check()


# Every numeric query parameter a page reads, with the page that reads it.
NUMERIC_PARAMETERS = [
    ("/meetings/", "year"),
    ("/meetings/", "group"),
    ("/documents/meetings/{code}/", "item"),
]


@pytest.mark.parametrize(("page", "name"), NUMERIC_PARAMETERS)
def test_a_number_out_of_range_or_not_a_number_answers_400_with_a_message(page, name, world, client):
    url = page.format(code=world["slug"][0])

    @FUZZ
    @given(
        raw=st.sampled_from(["99999", "0", "²", "9" * 40, str(2**63), "-1", "1e3", "x", "\x00"]) | number_text
    )
    def check(raw):
        COUNTS["examples"] += 1
        response = client.get(url, {name: raw})
        number = raw.strip()
        low, high = (1, 9999) if name == "year" else (1, 2**63 - 1)
        valid = number == "" or (number.isascii() and number.isdigit() and low <= int(number) <= high)
        if valid:
            assert response.status_code == 200, (raw, response.status_code)
        else:
            assert response.status_code == 400, (raw, response.status_code)
            assert name in response.content.decode()

    check()


# The same hostile value in every argument and every parameter at once, for every pattern: what a
# few random examples might miss.
HOSTILE_SWEEPS = [
    {"int": "2147483648", "slug": "0", "str": "\x00", "query": "\x00"},
    {"int": "9223372036854775808", "slug": "9" * 40, "str": "9" * 40, "query": "9" * 40},
    {"int": str(2**64), "slug": "-1", "str": "a\x00b", "query": "²"},
    {"int": "0", "slug": "x", "str": "\ufffd", "query": "99999"},
]


@pytest.mark.parametrize("route", ROUTES)
def test_every_pattern_answers_hostile_values_without_a_server_error(route, world, client):
    for sweep in HOSTILE_SWEEPS:
        url = "/" + ARGUMENT.sub(lambda m, s=sweep: quote(s[m.group("converter") or "str"], safe=""), route)
        params = dict.fromkeys(QUERY_KEYS, sweep["query"])
        for who in ("visitor", "admin"):
            _sign_in(client, world["users"][who])
            response = client.get(url, params)
            assert response.status_code < 500, (who, url, params)
            if who == "admin" and "<int:" in route:
                assert response.status_code in (400, 404, 405), (url, response.status_code)
        response = client.post(url, dict.fromkeys(POST_KEYS, sweep["query"]))
        assert response.status_code < 500, ("admin", "POST", url)
