import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import roles
from meetings.enums import MeetingStatus, SessionKind, SideEventStatus
from meetings.models import Session, SideEvent
from meetings.services import side_events
from outbox.models import OutgoingMail
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, UserFactory

from .factories import SideEventFactory, SideEventSlotFactory, geneva

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(code="cop-2", title_en="Second meeting of the Conference of the Parties")


@pytest.fixture
def slots(meeting):
    return [
        SideEventSlotFactory(meeting=meeting, starts=geneva(19, 13, 15), ends=geneva(19, 14, 45)),
        SideEventSlotFactory(meeting=meeting, starts=geneva(20, 18, 15), ends=geneva(20, 19, 45)),
    ]


def _request_data(slots, **overrides):
    data = {
        "organisation": "Zero Mercury Working Group",
        "co_organisers": "Health Care Without Harm\nIPEN",
        "title": "Mercury-free dentistry",
        "description": "Phasing down dental amalgam.",
        "preferred_slots": [slots[0].pk, slots[1].pk],
        "expected_attendance": "80",
        "technical_needs": "Projector",
        "contact_name": "Ana Ruiz",
        "contact_email": "ana@zeromercury.example",
    }
    data.update(overrides)
    return data


def test_visitor_requests_a_side_event_and_is_acknowledged_by_mail(
    client, meeting, slots, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:side_event_request", args=[meeting.code]), _request_data(slots)
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:side_event_requested", args=[meeting.code])
    event = SideEvent.objects.get()
    assert (event.status, event.organisation, event.expected_attendance) == (
        SideEventStatus.SUBMITTED,
        "Zero Mercury Working Group",
        80,
    )
    assert list(event.preferred_slots.order_by("starts")) == slots
    outgoing = OutgoingMail.objects.get(trigger_key=f"side-event-{event.pk}-submitted")
    assert outgoing.to == "ana@zeromercury.example"
    [message] = smtp_server.wait_for(1)
    assert message["to"] == ["ana@zeromercury.example"]
    assert message["message"]["Subject"] == "Side-event request received: Mercury-free dentistry"


def test_request_with_bad_input_names_the_fields_and_stores_nothing(client, meeting, slots):
    data = _request_data(
        slots, expected_attendance="0", contact_email="not-an-address", preferred_slots=[], title=""
    )
    response = client.post(reverse("meetings:side_event_request", args=[meeting.code]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"expected_attendance", "contact_email", "preferred_slots", "title"}
    assert not SideEvent.objects.exists() and not OutgoingMail.objects.exists()


def test_slot_of_another_meeting_is_refused(client, meeting, slots):
    other = SideEventSlotFactory(meeting=MeetingFactory())
    data = _request_data(slots, preferred_slots=[other.pk])
    response = client.post(reverse("meetings:side_event_request", args=[meeting.code]), data)
    assert "preferred_slots" in response.context["form"].errors
    assert not SideEvent.objects.exists()


def test_requests_are_closed_once_the_meeting_is_in_session(client, meeting, slots):
    meeting.status = MeetingStatus.IN_SESSION
    meeting.save()
    response = client.post(reverse("meetings:side_event_request", args=[meeting.code]), _request_data(slots))
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:side_events", args=[meeting.code])
    assert not SideEvent.objects.exists()


def test_staff_approve_then_schedule_and_the_organiser_hears_each_step(
    client, meeting, slots, django_capture_on_commit_callbacks
):
    staff = StaffFactory(roles=[roles.SECRETARIAT_ADMIN])
    event = SideEventFactory(meeting=meeting, contact_email="ana@zeromercury.example")
    client.force_login(staff)
    url = reverse("meetings:side_event_review", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "approve"}).status_code == 302
    event.refresh_from_db()
    assert event.status == SideEventStatus.APPROVED
    assert event.history.first().history_user == staff
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "schedule", "slot": slots[1].pk, "room": "Room XII"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == SideEventStatus.SCHEDULED
    assert (event.session.kind, event.session.room, event.session.starts) == (
        SessionKind.SIDE_EVENT,
        "Room XII",
        geneva(20, 18, 15),
    )
    mails = list(OutgoingMail.objects.order_by("pk").values_list("to", "subject"))
    assert mails == [
        ("ana@zeromercury.example", f"Side event approved: {event.title}"),
        ("ana@zeromercury.example", f"Side event scheduled: {event.title}"),
    ]
    scheduled = OutgoingMail.objects.get(trigger_key=f"side-event-{event.pk}-scheduled")
    assert "Tuesday 20 November 2018, 18:15–19:45 (Europe/Zurich)" in scheduled.body_text
    assert "Room XII" in scheduled.body_text
    assert [m.to for m in mail.outbox] == [["ana@zeromercury.example"], ["ana@zeromercury.example"]]
    # The public list and the programme now show it.
    public = client.get(reverse("meetings:side_events", args=[meeting.code]))
    assert [e.title for e in public.context["side_events"]] == [event.title]
    assert "18:15–19:45" in public.content.decode()


def test_decline_needs_a_reason_and_sends_it(client, meeting):
    event = SideEventFactory(meeting=meeting)
    client.force_login(StaffFactory(roles=[roles.SECRETARIAT_ADMIN]))
    url = reverse("meetings:side_event_review", args=[event.pk])
    response = client.post(url, {"action": "decline", "reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["decline_form"].errors
    event.refresh_from_db()
    assert event.status == SideEventStatus.SUBMITTED
    client.post(url, {"action": "decline", "reason": "All slots are taken by events on the same topic."})
    event.refresh_from_db()
    assert (event.status, event.decline_reason) == (
        SideEventStatus.DECLINED,
        "All slots are taken by events on the same topic.",
    )
    outgoing = OutgoingMail.objects.get()
    assert outgoing.to == event.contact_email
    assert "All slots are taken by events on the same topic." in outgoing.body_text
    # A declined event cannot be approved afterwards.
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "cannot become" in response.content.decode()
    event.refresh_from_db()
    assert event.status == SideEventStatus.DECLINED


def test_scheduling_into_a_taken_room_is_explained_and_changes_nothing(client, meeting, slots):
    first = SideEventFactory(meeting=meeting, status=SideEventStatus.APPROVED, title="First event")
    second = SideEventFactory(meeting=meeting, status=SideEventStatus.APPROVED, title="Second event")
    side_events.side_event_schedule(side_event=first, slot=slots[0], room="Room XII")
    client.force_login(StaffFactory(roles=[roles.SECRETARIAT_ADMIN]))
    response = client.post(
        reverse("meetings:side_event_review", args=[second.pk]),
        {"action": "schedule", "slot": slots[0].pk, "room": "Room XII"},
    )
    assert response.status_code == 200
    assert response.context["schedule_form"].errors["room"] == [
        "Room XII is already booked from 19 Nov 13:15 to 14:45 for “First event”."
    ]
    second.refresh_from_db()
    assert (second.status, second.session) == (SideEventStatus.APPROVED, None)
    assert Session.objects.count() == 1
    assert not OutgoingMail.objects.filter(trigger_key=f"side-event-{second.pk}-scheduled").exists()


def test_database_refuses_two_side_events_in_one_room_at_once(meeting):
    Session.objects.create(meeting=meeting, kind=SessionKind.SIDE_EVENT, title_en="A", room="Room XII",
                           starts=geneva(19, 13, 15), ends=geneva(19, 14, 45))  # fmt: skip
    with pytest.raises(IntegrityError, match="session_room_not_double_booked"), transaction.atomic():
        Session.objects.create(meeting=meeting, kind=SessionKind.SIDE_EVENT, title_en="B", room="Room XII",
                               starts=geneva(19, 14), ends=geneva(19, 15))  # fmt: skip


def test_database_refuses_scheduled_without_session_and_declined_without_reason(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        SideEventFactory(meeting=meeting, status=SideEventStatus.SCHEDULED)
    with pytest.raises(IntegrityError), transaction.atomic():
        SideEventFactory(meeting=meeting, status=SideEventStatus.DECLINED, decline_reason="")


def test_review_pages_are_for_the_roles_holding_side_event_permissions(client, meeting):
    event = SideEventFactory(meeting=meeting, title="Unreviewed request", contact_email="ana@example.org")
    review = reverse("meetings:side_event_review", args=[event.pk])
    listing = reverse("meetings:side_event_review_list", args=[meeting.code])
    # Anonymous visitors, and a former administrator (deactivated: signed out), are sent to sign in.
    for user in (None, StaffFactory(is_active=False, roles=[roles.SECRETARIAT_ADMIN])):
        client.logout()
        if user is not None:
            client.force_login(user)
        for response in (client.get(review), client.get(listing), client.post(review, {"action": "approve"})):
            assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    # A delegate, a State's focal point, and staff whose role gives no side-event permission:
    # registration and documents officers, or no role at all.
    outsiders = [
        UserFactory(),
        FocalPointFactory().user,
        StaffFactory(roles=[roles.REGISTRATION_OFFICER]),
        StaffFactory(roles=[roles.DOCUMENTS_OFFICER]),
        StaffFactory(),
    ]
    for user in outsiders:
        client.force_login(user)
        for response in (client.get(review), client.get(listing)):
            assert response.status_code == 403
            assert "ana@example.org" not in response.content.decode()
        assert client.post(review, {"action": "approve"}).status_code == 403
        assert client.post(review, {"action": "decline", "reason": "No"}).status_code == 403
        assert listing not in client.get(meeting.get_absolute_url()).content.decode()
    event.refresh_from_db()
    assert (event.status, event.decline_reason) == (SideEventStatus.SUBMITTED, "")
    assert not OutgoingMail.objects.exists()
    client.force_login(StaffFactory(roles=[roles.SECRETARIAT_ADMIN]))
    response = client.get(listing)
    assert response.status_code == 200
    assert [e.title for e in response.context["side_events"]] == ["Unreviewed request"]
    assert client.get(review).status_code == 200
    assert listing in client.get(meeting.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [2, 10])
def test_public_side_event_list_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, meeting, slots, count
):
    for n in range(count):
        event = SideEventFactory(meeting=meeting, status=SideEventStatus.APPROVED)
        if n % 2:
            side_events.side_event_schedule(side_event=event, slot=slots[n % 2], room=f"Room {n}")
    SideEventFactory(meeting=meeting)  # submitted: not public
    # meeting, side events with their sessions (a public page: outside a transaction)
    with django_assert_num_queries(2):
        response = client.get(reverse("meetings:side_events", args=[meeting.code]))
    assert len(response.context["side_events"]) == count


@pytest.mark.parametrize("count", [2, 10])
def test_review_list_uses_a_fixed_number_of_queries(client, django_assert_num_queries, meeting, slots, count):
    for _n in range(count):
        event = SideEventFactory(meeting=meeting)
        event.preferred_slots.set(slots)
    client.force_login(StaffFactory(roles=[roles.SECRETARIAT_ADMIN]))
    # session, user, the staff two-factor check, the user's and their roles' permissions (the
    # rule), savepoint, meeting, side events, their preferred slots (with the meeting, for venue
    # times), release
    with django_assert_num_queries(10):
        response = client.get(reverse("meetings:side_event_review_list", args=[meeting.code]))
    assert len(response.context["side_events"]) == count


def test_request_form_is_rate_limited_per_client(client, meeting, slots):
    url = reverse("meetings:side_event_request", args=[meeting.code])
    for n in range(5):
        assert client.post(url, _request_data(slots, title=f"Event {n}")).status_code == 302
    response = client.post(url, _request_data(slots, title="One too many"))
    assert response.status_code == 429
    assert response.content.decode().count("Too many requests") == 1  # as_p shows form errors itself
    assert SideEvent.objects.count() == 5
    assert OutgoingMail.objects.count() == 5
    # The limit is per client: another address is still served.
    other = client.post(url, _request_data(slots, title="From elsewhere"), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302
    assert SideEvent.objects.filter(title="From elsewhere").exists()
    assert not SideEvent.objects.filter(title="One too many").exists()


def test_behind_a_trusted_proxy_the_limit_counts_each_client_not_the_proxy(client, meeting, slots, settings):
    """In production the portal sits behind a proxy: every request has its REMOTE_ADDR. With
    TRUSTED_PROXY_COUNT=1 the forwarded client address is counted instead."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = reverse("meetings:side_event_request", args=[meeting.code])
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(5):
        data = _request_data(slots, title=f"Event {n}")
        assert client.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 302
    assert (
        client.post(url, _request_data(slots), HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code
        == 429
    )
    other = client.post(
        url, _request_data(slots, title="Another client"), HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy
    )
    assert other.status_code == 302 and SideEvent.objects.filter(title="Another client").exists()


def test_admin_offers_only_the_events_own_slots(client, meeting, slots):
    SideEventSlotFactory(meeting=MeetingFactory())
    event = SideEventFactory(meeting=meeting)
    client.force_login(StaffFactory(is_superuser=True))
    response = client.get(reverse("admin:meetings_sideevent_change", args=[event.pk]))
    assert list(response.context["adminform"].form.fields["preferred_slots"].queryset) == slots


def test_admin_refuses_a_new_side_event_preferring_another_meetings_slot(client, meeting, slots):
    """A new side event's form lists every slot (it has no meeting yet): the check the request
    form uses refuses one of another meeting instead of storing it."""
    other = SideEventSlotFactory(meeting=MeetingFactory())
    client.force_login(StaffFactory(is_superuser=True))
    data = {
        "meeting": meeting.pk,
        "organisation": "IPEN",
        "title": "Mercury in skin-lightening creams",
        "description": "Products on sale despite Annex A.",
        "preferred_slots": [slots[0].pk, other.pk],
        "expected_attendance": "40",
        "contact_name": "Ana Ruiz",
        "contact_email": "ana@example.org",
        "language": "en",
    }
    response = client.post(reverse("admin:meetings_sideevent_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["preferred_slots"] == ["Choose slots of this meeting."]
    assert not SideEvent.objects.exists()
    data["preferred_slots"] = [slots[0].pk]
    response = client.post(reverse("admin:meetings_sideevent_add"), data)
    assert response.status_code == 302
    event = SideEvent.objects.get()
    assert (event.status, list(event.preferred_slots.all())) == (SideEventStatus.SUBMITTED, [slots[0]])
    assert not OutgoingMail.objects.exists()  # staff's own entry: the organiser is not mailed
