"""Public pages kept in the cache for anonymous visitors (minamata_portal/publiccache.py): served
without a query, never stale after staff change what they show, never to a signed-in user, one copy
per language, and with the visitor's own CSRF token in their forms."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.db.models.signals import post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from documents.enums import ProcessingStatus
from meetings.enums import AgendaStatus, SideEventStatus
from meetings.services import planning
from minamata_portal import publiccache
from tests.admin_forms import admin_post_data
from tests.documents.factories import publish, register
from tests.factories import (
    AgendaItemFactory,
    AgendaVersionFactory,
    MeetingFactory,
    StaffFactory,
    UserFactory,
    country,
)
from tests.meetings.factories import SessionFactory, SideEventFactory, geneva

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _public_cache_on(settings, tmp_path):
    # The test settings keep the cache in this process's memory, where it is off by default.
    settings.PUBLIC_CACHE_SECONDS = 600
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cop():
    meeting = MeetingFactory(
        code="cop-cache", number=7, title_en="Seventh meeting", title_fr="Septième réunion"
    )
    version = AgendaVersionFactory(meeting=meeting, number=1, status=AgendaStatus.ISSUED)
    AgendaItemFactory(version=version, position=1, title_en="Opening of the meeting")
    return meeting


def _get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response, response.content.decode()


def test_second_visitor_gets_the_page_from_the_cache_without_a_query(cop, django_assert_num_queries):
    url = cop.get_absolute_url()
    first, first_page = _get(Client(), url)
    assert first.public_cache == "miss"
    with django_assert_num_queries(0):
        second, second_page = _get(Client(), url)
    assert second.public_cache == "hit"
    # The same page but for the CSRF token of the language switch, which is each visitor's own.
    assert TOKEN.sub("", second_page) == TOKEN.sub("", first_page)
    assert "Seventh meeting" in second_page and "Opening of the meeting" in second_page
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in second["Vary"].split(",")}
    assert second["Content-Language"] == "en"


def test_calendar_feed_is_served_from_the_cache_with_its_headers(cop, django_assert_num_queries):
    url = reverse("meetings:calendar")
    first = Client().get(url)
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.public_cache == "hit"
    assert second.content == first.content and b"Seventh meeting" in second.content
    assert second["Content-Type"] == "text/calendar; charset=utf-8"
    assert second["Content-Disposition"] == 'inline; filename="meetings.ics"'


def test_a_meeting_changed_through_the_service_shows_at_once(cop):
    url = cop.get_absolute_url()
    # The meeting's page, the meetings list and the feed, each cached before the change.
    urls = (url, reverse("meetings:list"), reverse("meetings:calendar"))
    for page_url in urls:
        _get(Client(), page_url)
        assert _get(Client(), page_url)[0].public_cache == "hit", page_url
    cop.title_en = "Seventh meeting (resumed)"
    planning.meeting_save(meeting=cop, by=StaffFactory())
    for page_url in urls:
        response, page = _get(Client(), page_url)
        assert response.public_cache == "miss", page_url
        assert "Seventh meeting (resumed)" in page, page_url


def test_a_meeting_changed_in_the_admin_shows_at_once(cop):
    url = cop.get_absolute_url()
    _get(Client(), url)
    assert _get(Client(), url)[0].public_cache == "hit"
    staff = Client()
    staff.force_login(StaffFactory(is_superuser=True))
    change = reverse("admin:meetings_meeting_change", args=[cop.pk])
    data = admin_post_data(staff.get(change))
    data["title_en"] = "Seventh meeting, as the admin renamed it"
    assert staff.post(change, data).status_code == 302
    assert "Seventh meeting, as the admin renamed it" in _get(Client(), url)[1]


def test_an_agenda_item_and_a_side_event_added_show_at_once(cop):
    url = cop.get_absolute_url()
    side_events_url = reverse("meetings:side_events", args=[cop.code])
    for page_url in (url, side_events_url):
        _get(Client(), page_url)
        assert _get(Client(), page_url)[0].public_cache == "hit", page_url
    AgendaItemFactory(version=cop.agenda_versions.get(), position=2, title_en="Adoption of the agenda")
    assert "Adoption of the agenda" in _get(Client(), url)[1]
    _get(Client(), side_events_url)
    assert _get(Client(), side_events_url)[0].public_cache == "hit"  # cached again since
    SideEventFactory(meeting=cop, status=SideEventStatus.APPROVED, title="Mercury-free dentistry")
    assert "Mercury-free dentistry" in _get(Client(), url)[1]
    assert "Mercury-free dentistry" in _get(Client(), side_events_url)[1]


def test_a_document_published_shows_at_once_on_every_page_that_lists_it(cop):
    documents_url = reverse("documents:meeting", args=[cop.code])
    search_url = reverse("documents:search") + "?q=dentistry"
    for url in (cop.get_absolute_url(), documents_url, search_url):
        assert "Phasing down dental amalgam" not in _get(Client(), url)[1]
    document = register(cop, title_en="Phasing down dental amalgam: dentistry report")
    # Registered, not published: still not shown (the pages were read afresh and say so).
    assert "Phasing down dental amalgam" not in _get(Client(), documents_url)[1]
    publish(document)
    assert document.versions.get(language="en").status == ProcessingStatus.PUBLISHED
    for url in (cop.get_absolute_url(), documents_url, search_url):
        assert "Phasing down dental amalgam" in _get(Client(), url)[1], url


def test_the_generation_moves_again_when_the_change_is_committed(cop, django_capture_on_commit_callbacks):
    """A page another process rendered between the change and its commit read the old rows: the
    second move leaves it under a generation no one reads."""
    before = publiccache.generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        cop.title_en = "Renamed"
        planning.meeting_save(meeting=cop)
        during = publiccache.generation()
    assert during > before
    assert publiccache.generation_move in callbacks
    assert publiccache.generation() > during


def test_a_signed_in_user_never_gets_the_anonymous_copy(cop, django_assert_num_queries):
    url = cop.get_absolute_url()
    _get(Client(), url)
    assert _get(Client(), url)[0].public_cache == "hit"
    user = UserFactory(first_name="Ana")
    signed_in = Client()
    signed_in.force_login(user)
    response, page = _get(signed_in, url)
    assert not hasattr(response, "public_cache")
    assert "Sign out" in page and "My registrations" in page and "Create an account" not in page
    # Nor is their page kept for visitors.
    response, page = _get(Client(), url)
    assert response.public_cache == "hit"
    assert "Sign out" not in page and "Create an account" in page


def test_languages_do_not_mix(cop):
    url = cop.get_absolute_url()
    _get(Client(), url, HTTP_ACCEPT_LANGUAGE="fr")
    english = _get(Client(), url, HTTP_ACCEPT_LANGUAGE="en")
    french = _get(Client(), url, HTTP_ACCEPT_LANGUAGE="fr")
    french_cookie = Client()
    french_cookie.cookies["django_language"] = "fr"
    by_cookie = _get(french_cookie, url)
    spanish = _get(Client(), url, HTTP_ACCEPT_LANGUAGE="es")
    assert english[0].public_cache == "miss" and french[0].public_cache == "hit"
    assert by_cookie[0].public_cache == "hit"
    assert '<html lang="en">' in english[1] and "Seventh meeting" in english[1]
    assert '<html lang="fr">' in french[1] and "Septième réunion" in french[1]
    assert '<html lang="fr">' in by_cookie[1] and "Septième réunion" in by_cookie[1]
    assert '<html lang="es">' in spanish[1] and "Seventh meeting" in spanish[1]  # no Spanish title
    assert english[0]["Content-Language"] == "en" and french[0]["Content-Language"] == "fr"


def test_query_strings_are_separate_pages(cop):
    other = MeetingFactory(code="ewg-cache", kind="expert", title_en="An expert group meeting")
    url = reverse("meetings:list")
    _get(Client(), url)
    filtered = _get(Client(), url + "?kind=expert")[1]
    everything = _get(Client(), url)[1]
    assert other.title_en in filtered and cop.title_en not in filtered
    assert other.title_en in everything and cop.title_en in everything
    # The parameters the view reads, in any order, are one page.
    _get(Client(), url + "?kind=expert&year=2030")
    assert _get(Client(), url + "?year=2030&kind=expert")[0].public_cache == "hit"


def _page_keys():
    return {k for k in publiccache.cache._cache if publiccache.PAGE_KEY_PREFIX in k}


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("meetings:list", "?utm_source=mail"),
        ("meetings:list", "?kind=expert&utm_source=mail"),
        ("documents:search", "?q=mercury"),
        ("documents:search", "?q="),
    ],
)
def test_a_query_string_the_view_does_not_read_is_answered_uncached_and_not_kept(cop, name, url):
    """Made-up parameters (and the free text of a search) would each store one more copy of
    the page: they are answered afresh and nothing is stored."""
    url = reverse(name) + url
    before = _page_keys()
    for _ in range(2):
        response, _page = _get(Client(), url)
        assert not hasattr(response, "public_cache"), url
    assert _page_keys() == before
    # Another unknown parameter: not served the copy of the first either.
    other = url.replace("utm_source=mail", "utm_medium=web").replace("mercury", "dentistry")
    assert not hasattr(Client().get(other), "public_cache")
    assert _page_keys() == before


def test_the_cached_page_carries_the_visitors_own_csrf_token_and_the_language_switch_works(cop):
    url = cop.get_absolute_url()
    _get(Client(), url)
    visitor = Client(enforce_csrf_checks=True)
    response, page = _get(visitor, url)
    assert response.public_cache == "hit"
    token = TOKEN.search(page).group(1)
    cookie = visitor.cookies["csrftoken"].value
    assert _unmask_cipher_token(token) == cookie
    switched = visitor.post(
        reverse("set_language"), {"language": "fr", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert "Septième réunion" in _get(visitor, url)[1]
    # Another visitor's copy carries another token, matching their own cookie.
    other = Client()
    other_page = _get(other, url)[1]
    assert _unmask_cipher_token(TOKEN.search(other_page).group(1)) == other.cookies["csrftoken"].value
    assert other.cookies["csrftoken"].value != cookie


def test_a_visitor_with_a_message_waiting_gets_it_and_the_page_is_not_kept(cop):
    url = cop.get_absolute_url()
    _get(Client(), url)
    visitor = Client()
    _set_message_cookie(visitor, "Your request was received.")
    response, page = _get(visitor, url)
    assert not hasattr(response, "public_cache")
    assert "Your request was received." in page
    response, page = _get(Client(), url)
    assert response.public_cache == "hit" and "Your request was received." not in page


def test_only_200_answers_that_set_no_cookie_are_kept(rf):
    rendered = []

    def answer(status=200, cookie=False):
        @publiccache.cached_for_visitors
        def view(request):
            rendered.append(request.path)
            response = HttpResponse("A page", status=status)
            if cookie:
                response.set_cookie("seen", "yes")
            return response

        return view

    def get(view, path):
        request = rf.get(path)
        request.user = AnonymousUser()
        return view(request)

    kept, gone, cookie = answer(), answer(status=410), answer(cookie=True)
    for _ in range(2):
        get(kept, "/kept/"), get(gone, "/gone/"), get(cookie, "/cookie/")
    assert rendered == ["/kept/", "/gone/", "/cookie/", "/gone/", "/cookie/"]


def test_off_when_public_cache_seconds_is_zero(cop, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    url = cop.get_absolute_url()
    _get(Client(), url)
    assert not hasattr(Client().get(url), "public_cache")


@pytest.mark.parametrize("count", [1, 8])
def test_meeting_page_on_a_miss_uses_a_fixed_number_of_queries(cop, django_assert_num_queries, count):
    version = cop.agenda_versions.get()
    for n in range(count):
        item = AgendaItemFactory(version=version, position=n + 2)
        AgendaItemFactory(version=version, parent=item, position=1)
        SessionFactory(meeting=cop, starts=geneva(19 + n % 5, 9), ends=geneva(19 + n % 5, 10))
        SideEventFactory(meeting=cop, status=SideEventStatus.APPROVED)
        MeetingFactory(parent=cop)
        cop.contributions.create(donor_country=country("JPN"), amount=10)
        cop.partners.create(name=f"Partner {n}")
        publish(register(cop, title_en=f"Note {n}"))
    # meeting; agenda versions; segments; items; sub-items; sessions; side events; contributions;
    # partners; back-to-back meetings; the scope's named States and groups; the documents, their
    # language versions and their agenda items; the report's files; the published materials. No
    # transaction: no savepoint, no release.
    with django_assert_num_queries(17):
        first = Client().get(cop.get_absolute_url())
    assert first.public_cache == "miss" and len(first.context["side_events"]) == count
    with django_assert_num_queries(0):
        assert Client().get(cop.get_absolute_url()).public_cache == "hit"


def test_every_public_page_everyone_reads_is_cached(cop):
    for url in (
        reverse("home"),
        reverse("meetings:list"),
        cop.get_absolute_url(),
        reverse("meetings:agenda", args=[cop.code]),
        reverse("meetings:programme", args=[cop.code]),
        reverse("meetings:side_events", args=[cop.code]),
        reverse("documents:meeting", args=[cop.code]),
        reverse("documents:search"),
        reverse("bureau:decisions"),
        reverse("meetings:calendar"),
        reverse("meetings:calendar_kind", args=["cop"]),
        reverse("meetings:programme_ics", args=[cop.code]),
    ):
        assert Client().get(url).public_cache == "miss", url
        assert Client().get(url).public_cache == "hit", url


def _set_message_cookie(client, text):
    """The cookie the messages framework leaves after a redirect, as a view would set it."""
    request = HttpRequest()
    storage = CookieStorage(request)
    storage.add(message_levels.INFO, text)
    response = HttpResponse()
    storage.update(response)
    client.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value


def _watched(model) -> bool:
    return any(
        str(entry[0][0]).startswith(f"publiccache:{model._meta.label}")
        for entry in post_save.receivers
        if entry[0][1] == id(model)
    )


@pytest.mark.parametrize(
    ("app", "watched"),
    [
        ("meetings", {"ExpertGroup", "StateGroup", "Meeting", "AgendaVersion", "AgendaItem", "Contribution",
                      "PartnerOrganisation", "Session", "SideEventSlot", "SideEvent", "ParticipantInformation",
                      "ParticipantInformationFile", "MeetingMaterial", "EventSeries"}),
        ("documents", {"Document", "LanguageVersion", "LanguageVersionFile"}),
        ("bureau", {"Decision", "MeetingReport", "ReportFile"}),
        ("reference", {"ReferenceDataset", "Country", "CountryClassification", "ConventionParty"}),
    ],
)  # fmt: skip
def test_only_the_models_the_public_pages_show_move_the_generation(app, watched):
    """Symbol counters, processing steps, reviews, Bureau meetings and history rows are written
    all day and shown on no cached page: their writes keep the cache."""
    models = apps.get_app_config(app).get_models()
    assert {m.__name__ for m in models if _watched(m)} == watched
    assert any(not _watched(m) for m in apps.get_app_config(app).get_models())


def test_a_symbol_counter_or_a_bureau_meeting_written_keeps_the_cache(cop):
    from bureau.models import BureauMeeting
    from documents.models import SymbolCounter

    bureau = MeetingFactory(code="bureau-cache", kind="bureau")
    url = cop.get_absolute_url()
    _get(Client(), url)
    before = publiccache.generation()
    SymbolCounter.objects.create(prefix="UNEP/MC/COP.7", series="working", last_number=3)
    BureauMeeting.objects.create(meeting=bureau)
    assert publiccache.generation() == before
    assert _get(Client(), url)[0].public_cache == "hit"


def test_a_side_event_requested_keeps_the_cache_and_its_approval_replaces_it(cop):
    url = reverse("meetings:side_events", args=[cop.code])
    _get(Client(), url)
    event = SideEventFactory(meeting=cop, status=SideEventStatus.SUBMITTED, title="Artisanal gold")
    response, page = _get(Client(), url)
    assert response.public_cache == "hit" and "Artisanal gold" not in page
    event.status = SideEventStatus.APPROVED
    event.save()
    response, page = _get(Client(), url)
    assert response.public_cache == "miss" and "Artisanal gold" in page
