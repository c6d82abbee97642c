"""Seats at the events of a series of online events (issue 13): an account and a seat, no nomination
and no accreditation. Registering is confirmed at once while seats remain and refused with the
reason once they are taken (also when two people take the last seat together); the join link is
e-mailed to the registrant, now or once recorded; the platform's attendance report is imported as for
any online meeting."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from meetings.enums import MeetingKind, MeetingMode
from meetings.models import EventSeries
from meetings.services.series import event_series_save
from outbox.models import OutgoingMail
from participants.enums import AttendanceSource, ParticipationMode, RegistrationStatus
from participants.errors import RegistrationError
from participants.models import Attendance, Registration
from participants.services import seats as seat_services
from participants.services.attendance import attendance_import
from participants.services.participation import online_details_send
from participants.services.registration import registration_withdraw
from tests.factories import UserFactory, country

from .factories import RegistrationFactory, upcoming_meeting

pytestmark = pytest.mark.django_db
JOIN = "https://unep.zoom.us/j/123456789"


@pytest.fixture
def series():
    return event_series_save(
        series=EventSeries(code="pre-cop6", kind="pre_cop", title_en="Online events before COP-6")
    )


def event(series, **fields):
    fields.setdefault("online_join_url", JOIN)
    return upcoming_meeting(
        code=fields.pop("code", "pre-cop6-ewaste"),
        kind=MeetingKind.WEBINAR,
        mode=MeetingMode.ONLINE,
        title_en="Mercury in e-waste",
        series=series,
        **fields,
    )


def register(client, meeting, **data):
    payload = {
        "capacity": "party",
        "country": country("ZMB").pk,
        "first_name": "Mwila",
        "last_name": "Banda",
        "function": "Environmental officer",
        "email": "ignored@example.org",
        "correspondence_language": "en",
        **data,
    }
    return client.post(reverse("participants:register", args=[meeting.code]), payload)


def signed_in(email):
    client = Client()
    user = UserFactory(email=email)
    client.force_login(user)
    return client, user


def test_a_seat_is_confirmed_at_once_and_the_join_link_e_mailed(series):
    meeting = event(series, seats=30)
    client, user = signed_in("mwila@env.gov.zm")

    response = register(client, meeting)

    assert response.status_code == 302 and response["Location"] == reverse("participants:mine")
    registration = Registration.objects.get()
    assert (registration.user, registration.status, registration.participation_mode) == (
        user,
        RegistrationStatus.ACCREDITED,
        ParticipationMode.ONLINE,
    )
    assert registration.history.get().history_user == user
    mail = OutgoingMail.objects.get()
    assert mail.to == "mwila@env.gov.zm"
    assert mail.subject == "Your connection details for Mercury in e-waste"
    assert "Your seat at Mercury in e-waste is confirmed." in mail.body_text
    assert f"Join link: {JOIN}" in mail.body_text
    assert "badge" not in mail.body_text
    page = client.get(reverse("participants:mine")).content.decode()
    assert "Your seat is confirmed. The join link has been e-mailed to you." in page
    assert JOIN in page  # "Join online" on My registrations, theirs alone


def test_the_seat_form_asks_no_travel_funding_or_visa_question_and_says_seats_left(series):
    meeting = event(series, seats=2)
    client, _user = signed_in("someone@example.org")
    html = client.get(reverse("participants:register", args=[meeting.code])).content.decode()
    for asked in ('name="capacity"', 'name="first_name"', 'name="correspondence_language"'):
        assert asked in html
    for not_asked in ('name="arrival"', 'name="funding_requested"', 'name="visa_letter_requested"'):
        assert not_asked not in html
    assert '<p id="seats-left">2 seats left.</p>' in html


def test_without_a_join_link_yet_the_seat_is_confirmed_and_the_link_follows_when_recorded(series):
    meeting = event(series, online_join_url="")
    client, _user = signed_in("late@example.org")

    register(client, meeting)

    assert Registration.objects.get().status == RegistrationStatus.ACCREDITED
    assert not OutgoingMail.objects.exists()
    assert (
        "The join link will be e-mailed to you as soon as it is available."
        in client.get(reverse("participants:mine")).content.decode()
    )

    meeting.online_join_url = JOIN
    meeting.save()
    assert online_details_send(meeting=meeting, by=None) == 1
    assert f"Join link: {JOIN}" in OutgoingMail.objects.get(to="late@example.org").body_text


def test_once_the_seats_are_taken_registration_is_refused_with_the_reason_and_nothing_stored(series):
    meeting = event(series, seats=1)
    first, _ = signed_in("first@example.org")
    register(first, meeting)
    second, _ = signed_in("second@example.org")

    response = register(second, meeting)

    assert response.status_code == 200
    message = "All 1 seats of “Mercury in e-waste” are taken: no more registrations can be accepted."
    assert response.context["form"].non_field_errors() == [message]
    assert Registration.objects.count() == 1
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["first@example.org"]
    # Opening the form once the seats are taken says so on the event's page.
    response = second.get(reverse("participants:register", args=[meeting.code]), follow=True)
    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert message in response.content.decode()


def test_a_seat_given_back_is_free_again(series):
    meeting = event(series, seats=1)
    first, user = signed_in("first@example.org")
    register(first, meeting)
    registration_withdraw(registration=Registration.objects.get(user=user), by=None, as_delegate=False)

    second, _ = signed_in("second@example.org")
    assert register(second, meeting).status_code == 302
    assert Registration.objects.filter(status=RegistrationStatus.ACCREDITED).count() == 1


def test_an_event_without_a_limit_takes_everyone(series):
    meeting = event(series, seats=None)
    for n in range(3):
        client, _ = signed_in(f"p{n}@example.org")
        assert register(client, meeting).status_code == 302
    assert Registration.objects.filter(status=RegistrationStatus.ACCREDITED).count() == 3


def test_the_checks_of_any_registration_still_apply(series):
    meeting = event(series, seats=5)
    _client, user = signed_in("twice@example.org")
    seat_services.registration_take_seat(
        meeting=meeting, user=user, by=user, capacity="party", country=country("ZMB")
    )
    with pytest.raises(RegistrationError) as caught:
        seat_services.registration_take_seat(
            meeting=meeting, user=user, by=user, capacity="party", country=country("ZMB")
        )
    assert caught.value.message_dict == {
        "email": ["twice@example.org is already registered for this meeting (one registration per person)."]
    }


def test_a_meeting_of_no_series_keeps_nomination_and_accreditation(series):
    meeting = upcoming_meeting(code="cop-x", mode=MeetingMode.IN_PERSON)
    client, user = signed_in("delegate@example.org")
    with pytest.raises(RegistrationError):
        seat_services.registration_take_seat(
            meeting=meeting, user=user, by=user, capacity="party", country=country("ZMB")
        )
    response = register(client, meeting, title="", department="", phone="", address="", gender="")
    assert response.status_code == 302
    assert Registration.objects.get().status == RegistrationStatus.PRE_REGISTERED
    assert not OutgoingMail.objects.exists()


def test_the_attendance_report_of_an_event_records_its_seat_holders(series):
    meeting = event(series, seats=10)
    client, _user = signed_in("mwila@env.gov.zm")
    register(client, meeting)
    day = meeting.start_date
    report = (
        "Name,User Email,Join Time,Leave Time\n"
        f"Mwila Banda,mwila@env.gov.zm,{day} 13:58:00,{day} 15:02:00\n"
        f"Someone Else,nobody@example.org,{day} 14:00:00,{day} 15:00:00\n"
    )

    result = attendance_import(
        meeting=meeting,
        uploaded=SimpleUploadedFile("a.csv", report.encode(), content_type="text/csv"),
        by=None,
    )

    assert (result.rows, result.created) == (2, 1)
    assert "nobody@example.org" in str(result.unknown)
    attended = Attendance.objects.get()
    assert (attended.registration.email, attended.day, attended.mode, attended.source) == (
        "mwila@env.gov.zm",
        day,
        ParticipationMode.ONLINE,
        AttendanceSource.PLATFORM_REPORT,
    )


# No django_db marker: the `transactional_db` fixture alone lets the shared conftest reload the
# reference data after the tables are emptied at the end of the test.
def test_two_people_cannot_take_the_last_seat_together(transactional_db, monkeypatch):
    series = event_series_save(series=EventSeries(code="mo", title_en="Minamata Online"))
    meeting = event(series, seats=1, online_join_url="")
    people = [UserFactory(email=f"racer{n}@example.org") for n in range(2)]
    barrier = threading.Barrier(2)
    refused, created = [], []
    create = seat_services.registration_create

    def slow_create(*args, **kwargs):
        # Widen the window between counting the seats and saving, where an unguarded count races.
        import time

        time.sleep(0.5)
        return create(*args, **kwargs)

    monkeypatch.setattr(seat_services, "registration_create", slow_create)

    def take(user):
        try:
            barrier.wait(timeout=10)
            created.append(
                seat_services.registration_take_seat(
                    meeting=meeting, user=user, by=user, capacity="party", country=country("ZMB")
                )
            )
        except RegistrationError as exc:
            refused.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert Registration.objects.filter(meeting=meeting).count() == 1
    assert len(created) == 1 and len(refused) == 1
    assert refused[0].messages == [
        "All 1 seats of “Mercury in e-waste” are taken: no more registrations can be accepted."
    ]


def test_the_registrant_gives_up_the_seat_from_my_registrations_and_it_is_free_again(series):
    meeting = event(series, seats=1)
    client, user = signed_in("first@example.org")
    register(client, meeting)
    registration = Registration.objects.get()
    mine = client.get(reverse("participants:mine")).content.decode()
    assert "Give up my seat" in mine and "Accredited: contact the secretariat for changes." not in mine
    OutgoingMail.objects.all().delete()

    response = client.post(reverse("participants:withdraw", args=[registration.pk]), follow=True)

    assert "You gave up your seat: someone else may take it." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.WITHDRAWN
    assert registration.history.first().history_user == user
    assert not OutgoingMail.objects.exists()  # their own move: no mail
    second, _ = signed_in("second@example.org")
    assert register(second, meeting).status_code == 302


def test_someone_else_cannot_give_up_a_registrants_seat(series):
    meeting = event(series, seats=1)
    client, _user = signed_in("first@example.org")
    register(client, meeting)
    registration = Registration.objects.get()
    other, _ = signed_in("other@example.org")
    assert other.post(reverse("participants:withdraw", args=[registration.pk])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACCREDITED


def test_an_accredited_delegate_of_a_meeting_still_asks_the_secretariat_to_withdraw(series):
    meeting = upcoming_meeting(code="cop-y")
    registration = RegistrationFactory(meeting=meeting, status=RegistrationStatus.ACCREDITED)
    with pytest.raises(RegistrationError) as caught:
        registration_withdraw(registration=registration, by=registration.user)
    assert caught.value.messages == ["This registration is accredited: ask the secretariat to withdraw it."]
