"""Series of online events (issue 13): "Minamata Online", webinar series and the online events before
a COP, each a series whose events are meetings; a public page lists the series and each series'
sessions in date order, and each session's page shows, afterwards, its recording, its summary (in
the visitor's language where written) and its published presentations."""

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts import roles
from meetings import demo
from meetings.enums import MeetingKind, MeetingMode, MeetingStatus
from meetings.models import EventSeries, MeetingMaterial
from meetings.services.materials import meeting_material_publish, meeting_material_save
from meetings.services.planning import meeting_save
from meetings.services.series import event_series_delete, event_series_save
from tests.documents.factories import pdf_upload
from tests.factories import MeetingFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def series():
    return event_series_save(
        series=EventSeries(
            code="minamata-online",
            kind="online_sessions",
            title_en="Minamata Online",
            title_fr="Minamata en ligne",
            description_en="Online sessions of the secretariat and its partners.",
        )
    )


def event(series, code, day, title, **fields):
    fields.setdefault("status", MeetingStatus.HELD)
    return MeetingFactory(
        code=code,
        kind=MeetingKind.WEBINAR,
        mode=MeetingMode.ONLINE,
        title_en=title,
        start_date=day,
        end_date=day,
        series=series,
        city="",
        country=None,
        symbol_prefix="",
        **fields,
    )


def get(url, language="en", client=None):
    response = (client or Client()).get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_series_page_lists_its_sessions_in_date_order_with_recordings_and_materials(series):
    later = event(series, "mo-2020-11-12", dt.date(2020, 11, 12), "Article 11 mercury wastes")
    first = event(
        series,
        "mo-2020-10-15",
        dt.date(2020, 10, 15),
        "Mercury material flow: waste",
        recording_url="https://example.org/recordings/mo-1",
    )
    material = meeting_material_save(
        material=MeetingMaterial(meeting=first, title="Slides"), uploaded=pdf_upload("s.pdf")
    )
    meeting_material_publish(material=material, by=None)
    meeting_material_save(
        material=MeetingMaterial(meeting=later, title="Draft"), uploaded=pdf_upload("d.pdf")
    )
    event(None, "another-webinar", dt.date(2020, 10, 20), "A webinar of no series")

    html = get(series.get_absolute_url())

    assert "Minamata Online" in html and "Online sessions of the secretariat and its partners." in html
    assert html.index("Mercury material flow: waste") < html.index("Article 11 mercury wastes")
    assert "A webinar of no series" not in html
    card = html[html.index('id="event-mo-2020-10-15"') : html.index('id="event-mo-2020-11-12"')]
    assert 'href="https://example.org/recordings/mo-1"' in card
    assert "1 presentation or material" in card
    later_card = html[html.index('id="event-mo-2020-11-12"') :]
    later_card = later_card[: later_card.index("</li>")]
    assert "Recording" not in later_card and "material" not in later_card  # the draft is not counted


def test_the_series_page_is_in_the_visitors_language(series):
    assert "<h1>Minamata en ligne</h1>" in get(series.get_absolute_url(), language="fr")
    # No Spanish title: the English one.
    assert "<h1>Minamata Online</h1>" in get(series.get_absolute_url(), language="es")


def test_the_list_of_series_gives_each_its_dates_and_number_of_events(series):
    event(series, "mo-a", dt.date(2020, 10, 15), "A")
    event(series, "mo-b", dt.date(2020, 11, 17), "B")
    event_series_save(series=EventSeries(code="empty-series", kind="webinars", title_en="Webinars to come"))

    html = get(reverse("meetings:series_list"))

    assert "2 events" in html and "15 October 2020" in html and "17 November 2020" in html
    assert "Webinars to come" in html and "0 events" in html
    assert html.index("Minamata Online") < html.index("Webinars to come")  # the latest first
    assert reverse("meetings:series_list") in get(reverse("meetings:list"))


def test_an_unknown_series_is_not_found():
    assert Client().get(reverse("meetings:series", args=["nothing"])).status_code == 404


def test_the_session_page_shows_its_series_recording_and_summary_in_the_visitors_language(series):
    session = event(
        series,
        "mo-2020-10-22",
        dt.date(2020, 10, 22),
        "Article 8 emissions",
        recording_url="https://example.org/recordings/article-8",
        summary_en="Parties shared their inventories of emissions.",
        summary_fr="Les Parties ont présenté leurs inventaires d'émissions.",
    )

    html = get(session.get_absolute_url())
    assert f'<a href="{series.get_absolute_url()}">Minamata Online</a>' in html
    assert 'href="https://example.org/recordings/article-8"' in html
    assert "Parties shared their inventories of emissions." in html

    assert "Les Parties ont présenté leurs inventaires d&#x27;émissions." in get(
        session.get_absolute_url(), language="fr"
    )
    # No Spanish summary: the English one.
    assert "Parties shared their inventories of emissions." in get(session.get_absolute_url(), language="es")


def test_a_meeting_without_recording_or_summary_has_no_after_the_event_section(series):
    session = event(series, "mo-x", dt.date(2020, 10, 22), "Upcoming", status=MeetingStatus.PLANNED)
    assert 'id="after-the-event"' not in get(session.get_absolute_url())


def test_seats_are_for_the_events_of_a_series_only():
    meeting = MeetingFactory.build(code="cop-seats", seats=50)
    with pytest.raises(ValidationError) as caught:
        meeting_save(meeting=meeting)
    assert caught.value.message_dict["seats"] == ["Seats are for the events of a series of online events."]


def test_a_series_with_events_is_not_deleted(series):
    event(series, "mo-a", dt.date(2020, 10, 15), "A")
    with pytest.raises(ValidationError) as caught:
        event_series_delete(series=series)
    assert caught.value.messages == [
        "Minamata Online has 1 events: move them to another series or delete them first."
    ]
    assert EventSeries.objects.filter(pk=series.pk).exists()


@pytest.mark.parametrize(
    ("who", "allowed"), [(roles.SECRETARIAT_ADMIN, True), (roles.DOCUMENTS_OFFICER, False)]
)
def test_staff_create_a_series_in_the_admin_through_the_service(client, who, allowed):
    user = StaffFactory(roles=[who])
    client.force_login(user)
    response = client.post(
        reverse("admin:meetings_eventseries_add"),
        {
            "code": "pre-cop6",
            "kind": "pre_cop",
            "title_en": "  Online events before COP-6 ",
            "title_fr": "",
            "title_es": "",
            "description_en": "",
            "description_fr": "",
            "description_es": "",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == (302 if allowed else 403)
    if allowed:
        created = EventSeries.objects.get()
        assert created.title_en == "Online events before COP-6"
        assert created.history.get().history_user == user
    else:
        assert not EventSeries.objects.exists()


def test_the_demo_holds_minamata_online_with_four_sessions_recordings_and_presentations(client, tmp_path):
    counts = demo.load()
    assert demo.load() == counts  # loading twice adds nothing
    assert counts["Minamata Online sessions (with recording and presentation)"] == 4
    online = EventSeries.objects.get(code="minamata-online")
    events = list(online.events.order_by("start_date"))
    assert [(e.start_date, e.status, e.kind, e.mode) for e in events] == [
        (dt.date(2020, 10, 15), "held", "webinar", "online"),
        (dt.date(2020, 10, 22), "held", "webinar", "online"),
        (dt.date(2020, 11, 12), "held", "webinar", "online"),
        (dt.date(2020, 11, 17), "held", "webinar", "online"),
    ]
    for held in events:
        assert held.recording_url == f"https://demo.mercury.test/minamata-online/{held.code}"
        assert held.summary_en
        presentation = held.materials.get()
        assert (presentation.kind, presentation.status, presentation.file_kind) == (
            "presentation",
            "published",
            "pdf",
        )
    html = get(online.get_absolute_url())
    assert "Article 11 mercury wastes" in html and html.count("1 presentation or material") == 4
    wastes = events[2]
    html = get(wastes.get_absolute_url())
    assert "Secretariat of the Basel, Rotterdam and Stockholm conventions" in html
    response = client.get(reverse("meetings:material_file", args=[wastes.code, wastes.materials.get().pk]))
    pdf = tmp_path / "slides.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert " ".join(text.split()).startswith(
        "Minamata Online: Article 11 mercury wastes Secretariat of the Basel, Rotterdam and Stockholm "
        "conventions 12 November 2020"
    )
