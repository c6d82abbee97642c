import datetime as dt

import pytest
from django.urls import reverse

from letters.enums import LetterKind
from letters.models import Letter
from meetings.enums import MeetingStatus
from participants.enums import Capacity, RegistrationStatus
from participants.errors import RegistrationError
from participants.letters import letter_request
from participants.models import Registration
from participants.services.badges import badge_token, registration_check_in, registration_issue_badge
from participants.services.registration import (
    registration_accredit,
    registration_create,
    registration_decline,
    registration_nominate,
    registration_reset,
    registration_update,
    registration_withdraw,
)
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

from .factories import (
    NominationLetterFactory,
    OrganisationFactory,
    RegistrationFactory,
    open_meeting,
    upcoming_meeting,
)

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def test_delegate_registers_as_party_delegate():
    meeting = open_meeting()
    user = UserFactory(first_name="Mwila", last_name="Banda")
    registration = registration_create(
        meeting=meeting,
        user=user,
        by=user,
        capacity=Capacity.PARTY,
        country=country("ZMB"),
        function="Director",
    )
    assert registration.status == S.PRE_REGISTERED
    assert (registration.first_name, registration.last_name, registration.email) == (
        "Mwila",
        "Banda",
        user.email,
    )
    assert registration.history.get().history_user == user


def test_one_registration_per_person_per_meeting_across_categories():
    meeting = open_meeting()
    user = UserFactory()
    registration_create(meeting=meeting, user=user, by=user, capacity=Capacity.PARTY, country=country("ZMB"))
    with pytest.raises(RegistrationError, match="already registered"):
        registration_create(
            meeting=meeting, user=user, by=user, capacity=Capacity.NGO, organisation=OrganisationFactory()
        )
    assert Registration.objects.filter(meeting=meeting, user=user).count() == 1


@pytest.mark.parametrize(
    "meeting_kwargs",
    [
        {"status": MeetingStatus.PLANNED},
        {"registration_closes": dt.datetime(2020, 1, 1, tzinfo=dt.UTC), "registration_opens": None},
    ],
)
def test_registration_refused_when_not_open(meeting_kwargs):
    meeting = open_meeting(**meeting_kwargs)
    user = UserFactory()
    with pytest.raises(RegistrationError, match="not open"):
        registration_create(
            meeting=meeting, user=user, by=user, capacity=Capacity.PARTY, country=country("ZMB")
        )
    assert not Registration.objects.exists()


@pytest.mark.parametrize("others", [0, 6])
def test_creating_a_registration_through_the_service_costs_a_fixed_number_of_queries(
    django_assert_num_queries, others
):
    """What `make bench BENCH_ARGS=participants` times per registration, whatever the meeting
    already holds: a State's delegate costs the scope (the meeting's States, its groups of
    States), the State's standing as a Party on the meeting's dates, the one-per-person check,
    the modes of the meeting's segments, and the row and its history in a savepoint; an observer
    the same but for the scope and the standing."""
    meeting = open_meeting()
    for _ in range(others):
        RegistrationFactory(meeting=meeting)
    zambia, organisation = country("ZMB"), OrganisationFactory()
    delegate, observer = UserFactory(), UserFactory()
    with django_assert_num_queries(9):
        registration = registration_create(
            meeting=meeting, user=delegate, by=delegate, capacity=Capacity.PARTY, country=zambia
        )
    with django_assert_num_queries(6):
        registration_create(
            meeting=meeting, user=observer, by=observer, capacity=Capacity.NGO, organisation=organisation
        )
    assert (registration.status, registration.country, registration.history.count()) == (
        S.PRE_REGISTERED,
        zambia,
        1,
    )
    assert Registration.objects.filter(meeting=meeting).count() == others + 2


def test_party_capacity_checked_against_meeting_dates():
    # The Russian Federation signed but never ratified: a non-party State at any meeting.
    meeting = open_meeting()
    user = UserFactory()
    with pytest.raises(RegistrationError) as caught:
        registration_create(
            meeting=meeting, user=user, by=user, capacity=Capacity.PARTY, country=country("RUS")
        )
    assert "capacity" in caught.value.error_dict
    registration = registration_create(
        meeting=meeting, user=user, by=user, capacity=Capacity.NON_PARTY_STATE, country=country("RUS")
    )
    assert registration.capacity == Capacity.NON_PARTY_STATE


def test_full_lifecycle_records_who_did_each_change():
    staff, focal = StaffFactory(), UserFactory()
    registration = RegistrationFactory()
    letter = NominationLetterFactory(meeting=registration.meeting, country=registration.country)
    registration_nominate(registration=registration, by=focal, letter=letter, role="head")
    registration_accredit(registration=registration, by=staff)
    registration_issue_badge(registration=registration, by=staff)
    token = badge_token(registration)
    registration_check_in(meeting=registration.meeting, token=token, by=staff, day=dt.date(2018, 11, 19))
    registration.refresh_from_db()
    assert registration.status == S.CHECKED_IN
    assert registration.delegation_role == "head"
    history = list(registration.history.order_by("history_date").values_list("status", "history_user_id"))
    assert [h[0] for h in history] == [
        S.PRE_REGISTERED, S.NOMINATED, S.ACCREDITED, S.BADGE_ISSUED, S.CHECKED_IN,
    ]  # fmt: skip
    assert history[1][1] == focal.pk and history[2][1] == staff.pk


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (S.PRE_REGISTERED, "accredit"),
        (S.PRE_REGISTERED, "issue_badge"),
        (S.NOMINATED, "issue_badge"),
        (S.DECLINED, "accredit"),
        (S.WITHDRAWN, "accredit"),
        (S.CHECKED_IN, "decline"),
        (S.PRE_REGISTERED, "reset"),
    ],
)
def test_illegal_transitions_are_refused(start, action):
    registration = RegistrationFactory(status=start)
    staff = StaffFactory()
    with pytest.raises(RegistrationError):
        {"issue_badge": registration_issue_badge, "accredit": registration_accredit, "decline": registration_decline,
         "reset": registration_reset}[action](registration=registration, by=staff)  # fmt: skip
    registration.refresh_from_db()
    assert registration.status == start


def test_illegal_transition_message_names_both_statuses():
    registration = RegistrationFactory(status=S.WITHDRAWN)
    with pytest.raises(RegistrationError) as caught:
        registration_decline(registration=registration, by=StaffFactory())
    assert caught.value.messages == ["This is “Withdrawn” and cannot become “Declined”."]


def test_staff_can_reset_to_pre_registered():
    registration = RegistrationFactory(status=S.DECLINED)
    registration_reset(registration=registration, by=StaffFactory(), reason="Wrong delegate")
    registration.refresh_from_db()
    assert (registration.status, registration.status_note) == (S.PRE_REGISTERED, "Wrong delegate")


def test_nominate_requires_letter_of_same_state():
    registration = RegistrationFactory()
    other = NominationLetterFactory(meeting=registration.meeting, country=country("PER"))
    with pytest.raises(RegistrationError):
        registration_nominate(registration=registration, by=None, letter=other)
    with pytest.raises(RegistrationError):
        registration_nominate(registration=registration, by=None, letter=None)
    registration.refresh_from_db()
    assert registration.status == S.PRE_REGISTERED


def test_delegate_locked_once_accredited():
    registration = RegistrationFactory(meeting=upcoming_meeting(), status=S.ACCREDITED)
    with pytest.raises(RegistrationError, match="accredited"):
        registration_update(registration=registration, by=registration.user, function="Minister")
    with pytest.raises(RegistrationError, match="accredited"):
        registration_withdraw(registration=registration, by=registration.user)
    registration.refresh_from_db()
    assert (registration.function, registration.status) == ("Director of Environment", S.ACCREDITED)


# --- Pages --------------------------------------------------------------------------------------


def test_register_page_creates_registration(client):
    meeting = open_meeting()
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("participants:register", args=[meeting.code]),
        {"capacity": "party", "country": country("PER").pk, "first_name": "Ana", "last_name": "Quispe",
         "email": user.email, "function": "Adviser", "publish_contact": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    registration = Registration.objects.get(meeting=meeting, user=user)
    assert (registration.country.iso3, registration.status, registration.publish_contact) == (
        "PER",
        S.PRE_REGISTERED,
        True,
    )


def test_register_page_names_the_field_on_bad_input(client):
    meeting = open_meeting()
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("participants:register", args=[meeting.code]),
        {"capacity": "party", "first_name": "Ana", "last_name": "Q", "email": user.email},
    )
    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_register_page_refused_when_registration_closed(client):
    meeting = MeetingFactory(status=MeetingStatus.HELD)
    client.force_login(UserFactory())
    response = client.get(reverse("participants:register", args=[meeting.code]))
    assert response.status_code == 403


def test_register_requires_sign_in(client):
    meeting = open_meeting()
    response = client.get(reverse("participants:register", args=[meeting.code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_registrations_shows_status_and_withdraw(client):
    registration = RegistrationFactory(meeting=upcoming_meeting())
    client.force_login(registration.user)
    page = client.get(reverse("participants:mine")).content.decode()
    assert registration.meeting.title in page and "Pre-registered" in page
    client.post(reverse("participants:withdraw", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == S.WITHDRAWN


def test_cannot_withdraw_someone_elses_registration(client):
    registration = RegistrationFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("participants:withdraw", args=[registration.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == S.PRE_REGISTERED


def test_edit_page_refused_once_accredited(client):
    registration = RegistrationFactory(status=S.ACCREDITED)
    client.force_login(registration.user)
    response = client.post(reverse("participants:edit", args=[registration.pk]), {"function": "X"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.function == "Director of Environment"


@pytest.mark.parametrize("count", [1, 6])
def test_my_registrations_query_count_is_fixed(client, django_assert_num_queries, count):
    user = UserFactory()
    for _ in range(count):
        RegistrationFactory(user=user)
    client.force_login(user)
    # savepoint, session, user, registrations, letters, the steps' history (one union), focal points'
    # requests, focal-point countries, open meetings, release
    expected = 10
    with django_assert_num_queries(expected):
        response = client.get(reverse("participants:mine"))
    assert len(response.context["registrations"]) == count


def test_my_registrations_lists_the_letters(client):
    registration = RegistrationFactory(status=S.ACCREDITED)
    letter = letter_request(kind="confirmation", registration=registration, by=None)
    client.force_login(registration.user)
    page = client.get(reverse("participants:mine")).content.decode()
    assert letter.reference in page and "Confirmation" in page


def test_accreditation_requests_the_confirmation_letter(django_capture_on_commit_callbacks):
    registration = RegistrationFactory(status=S.NOMINATED)
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration_accredit(registration=registration, by=staff)
    assert list(Letter.objects.values_list("kind", "registration")) == [
        (LetterKind.CONFIRMATION, registration.pk)
    ]


def test_nominated_delegate_cannot_change_state_or_capacity(client):
    registration = RegistrationFactory(meeting=upcoming_meeting(), status=S.NOMINATED)
    client.force_login(registration.user)
    response = client.post(
        reverse("participants:edit", args=[registration.pk]),
        {"capacity": "party", "country": country("PER").pk, "first_name": "A", "last_name": "B",
         "email": registration.email, "function": "Adviser"},
    )  # fmt: skip
    assert "can no longer change" in " ".join(response.context["form"].errors["capacity"])
    registration.refresh_from_db()
    assert (registration.country.iso3, registration.function) == ("ZMB", "Director of Environment")
    # Other details may still be corrected before accreditation.
    client.post(
        reverse("participants:edit", args=[registration.pk]),
        {"capacity": "party", "country": country("ZMB").pk, "first_name": "A", "last_name": "B",
         "email": registration.email, "function": "Adviser"},
    )  # fmt: skip
    registration.refresh_from_db()
    assert registration.function == "Adviser"


def test_my_registrations_offers_meetings_open_for_registration(client):
    meeting = open_meeting(title_en="Fifth meeting of the Conference of the Parties")
    MeetingFactory(status=MeetingStatus.HELD, title_en="Held long ago")
    client.force_login(UserFactory())
    page = client.get(reverse("participants:mine")).content.decode()
    assert "Fifth meeting of the Conference of the Parties" in page and "Held long ago" not in page
    assert reverse("participants:register", args=[meeting.code]) in page
    assert reverse("participants:observer_apply", args=[meeting.code]) in page
