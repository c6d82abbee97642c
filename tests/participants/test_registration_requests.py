"""Issue 14, consent: a focal point who pre-registers someone who already has an account asks
them first. Until they accept nothing is registered in their name (their own registration stays
free); refusing or the focal point's withdrawal leaves nothing behind; only they may answer."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.services import focal_point_save
from outbox.models import OutgoingMail
from participants.enums import Capacity, RegistrationRequestStatus, RegistrationStatus
from participants.errors import RegistrationError
from participants.models import Registration, RegistrationRequest
from participants.services import registration as registration_services
from participants.services.focal_points import focal_point_pre_register, registration_request_accept
from tests.factories import FocalPointFactory, UserFactory, country

from .factories import open_meeting

pytestmark = pytest.mark.django_db
Q = RegistrationRequestStatus


@pytest.fixture
def zambia():
    return FocalPointFactory(country=country("ZMB")).user


@pytest.fixture
def person():
    return UserFactory(email="chanda.phiri@example.zm", first_name="Chanda", last_name="Phiri")


def _pre_register(client, meeting, email="Chanda.Phiri@example.zm", **extra):
    data = {"first_name": "Chanda", "last_name": "Phiri", "email": email, "function": "Adviser",
            "delegation_role": "adviser", "arrival": "2026-11-02", **extra}  # fmt: skip
    return client.post(reverse("participants:fp_pre_register", args=[meeting.code, "ZMB"]), data)


def test_existing_account_gets_a_request_not_a_registration(client, zambia, person):
    meeting = open_meeting()
    client.force_login(zambia)
    response = _pre_register(client, meeting)
    assert response.status_code == 302
    assert not Registration.objects.filter(meeting=meeting).exists()
    request = RegistrationRequest.objects.get(meeting=meeting)
    assert (request.user, request.status, request.country.iso3, request.created_by) == (
        person, Q.PENDING, "ZMB", zambia,
    )  # fmt: skip
    mail = OutgoingMail.objects.get(trigger_key=f"registration-request:{request.pk}")
    assert mail.to == person.email and "Zambia" in mail.subject
    assert reverse("participants:mine") in mail.body_text
    state_page = client.get(reverse("participants:fp_state", args=[meeting.code, "ZMB"])).content.decode()
    assert person.email in state_page
    assert reverse("participants:fp_request_withdraw", args=[request.pk]) in state_page


def test_nothing_blocks_their_own_registration_before_they_accept(client, zambia, person):
    """Before issue 14 the focal point's pre-registration took the person's one registration."""
    meeting = open_meeting()
    focal_point_pre_register(meeting=meeting, country=country("ZMB"), by=zambia, email=person.email,
                             first_name="Chanda", last_name="Phiri")  # fmt: skip
    client.force_login(person)
    page = client.get(reverse("participants:register", args=[meeting.code]))
    assert page.status_code == 200  # not "you are already registered"
    registration = registration_services.registration_create(
        meeting=meeting, user=person, by=person, capacity=Capacity.PARTY, country=country("ZMB")
    )
    assert registration.created_by == person
    # Accepting afterwards is refused on the e-mail field: they are registered already.
    request = RegistrationRequest.objects.get(meeting=meeting)
    with pytest.raises(RegistrationError) as refused:
        registration_request_accept(request=request, by=person)
    assert "already registered" in " ".join(refused.value.message_dict["email"])
    request.refresh_from_db()
    assert request.status == Q.PENDING


def test_accept_registers_them_as_the_focal_point_entered(client, zambia, person):
    meeting = open_meeting()
    client.force_login(zambia)
    _pre_register(client, meeting)
    request = RegistrationRequest.objects.get(meeting=meeting)
    client.force_login(person)
    mine = client.get(reverse("participants:mine")).content.decode()
    assert reverse("participants:request_accept", args=[request.pk]) in mine
    assert reverse("participants:request_refuse", args=[request.pk]) in mine
    assert client.get(reverse("participants:request_accept", args=[request.pk])).status_code == 405
    assert client.post(reverse("participants:request_accept", args=[request.pk])).status_code == 302
    registration = Registration.objects.get(meeting=meeting, user=person)
    assert (registration.status, registration.capacity, registration.country.iso3, registration.function,
            registration.delegation_role, registration.arrival, registration.created_by) == (
        RegistrationStatus.PRE_REGISTERED, Capacity.PARTY, "ZMB", "Adviser", "adviser", dt.date(2026, 11, 2), zambia,
    )  # fmt: skip
    request.refresh_from_db()
    assert (request.status, request.registration) == (Q.ACCEPTED, registration)
    assert request.answered is not None
    # The focal point now nominates them as any delegate of the State; the request is answered.
    client.force_login(zambia)
    page = client.get(reverse("participants:fp_state", args=[meeting.code, "ZMB"]))
    assert [r.pk for r in page.context["registrations"]] == [registration.pk]
    assert page.context["requests"] == []
    client.force_login(person)
    assert client.post(reverse("participants:request_accept", args=[request.pk])).status_code == 302
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_refuse_leaves_nothing_and_frees_everything(client, zambia, person):
    meeting = open_meeting()
    client.force_login(zambia)
    _pre_register(client, meeting)
    request = RegistrationRequest.objects.get(meeting=meeting)
    client.force_login(person)
    assert client.post(reverse("participants:request_refuse", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.status == Q.REFUSED and request.registration is None
    assert not Registration.objects.filter(meeting=meeting).exists()
    assert (
        reverse("participants:request_accept", args=[request.pk])
        not in client.get(reverse("participants:mine")).content.decode()
    )
    assert client.post(reverse("participants:request_accept", args=[request.pk])).status_code == 302
    assert not Registration.objects.filter(meeting=meeting).exists()
    registration_services.registration_create(
        meeting=meeting, user=person, by=person, capacity=Capacity.PARTY, country=country("ZMB")
    )
    # The focal point may ask again another time (here: refused, they are registered now).
    with pytest.raises(RegistrationError, match="already registered"):
        focal_point_pre_register(meeting=meeting, country=country("ZMB"), by=zambia, email=person.email)


def test_focal_point_withdrawal_frees_the_slot(client, zambia, person):
    meeting = open_meeting()
    client.force_login(zambia)
    _pre_register(client, meeting)
    request = RegistrationRequest.objects.get(meeting=meeting)
    # Asking twice is refused on the e-mail field, without a server error.
    response = _pre_register(client, meeting)
    assert response.status_code == 200 and "already been asked" in " ".join(
        response.context["form"].errors["email"]
    )
    assert client.post(reverse("participants:fp_request_withdraw", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.status == Q.WITHDRAWN
    client.force_login(person)
    assert (
        reverse("participants:request_accept", args=[request.pk])
        not in client.get(reverse("participants:mine")).content.decode()
    )
    assert client.post(reverse("participants:request_accept", args=[request.pk])).status_code == 302
    assert not Registration.objects.filter(meeting=meeting).exists()
    registration = registration_services.registration_create(
        meeting=meeting, user=person, by=person, capacity=Capacity.PARTY, country=country("ZMB")
    )
    assert registration.user == person


def test_nobody_else_can_answer_or_withdraw(client, zambia, person):
    meeting = open_meeting()
    request = focal_point_pre_register(meeting=meeting, country=country("ZMB"), by=zambia, email=person.email,
                                       first_name="Chanda", last_name="Phiri")  # fmt: skip
    peru = FocalPointFactory(country=country("PER")).user
    for intruder in (zambia, peru, UserFactory()):
        client.force_login(intruder)
        for name in ("request_accept", "request_refuse"):
            assert client.post(reverse(f"participants:{name}", args=[request.pk])).status_code == 404, name
        with pytest.raises(RegistrationError, match="Only the person asked"):
            registration_request_accept(request=request, by=intruder)
    for intruder in (person, peru):
        client.force_login(intruder)
        assert client.post(reverse("participants:fp_request_withdraw", args=[request.pk])).status_code == 404
    request.refresh_from_db()
    assert request.status == Q.PENDING
    assert not Registration.objects.filter(meeting=meeting).exists()


def test_a_person_without_account_is_pre_registered_as_before(zambia):
    meeting = open_meeting()
    registration = focal_point_pre_register(
        meeting=meeting, country=country("ZMB"), by=zambia, email="New.Person@example.zm", first_name="New",
        last_name="Person",
    )  # fmt: skip
    assert isinstance(registration, Registration)
    assert registration.user.email == "new.person@example.zm" and not RegistrationRequest.objects.exists()


def test_duplicate_pre_registration_is_refused_on_the_email_field(client, zambia):
    """Issue 14: the duplicate's IntegrityError escaped on SQLite (its message does not name the
    constraint); it is now refused from the stored rows, on the form's e-mail field."""
    meeting = open_meeting()
    client.force_login(zambia)
    assert _pre_register(client, meeting, email="new@example.zm").status_code == 302
    # The same address again (another letter case): the form names the field.
    response = client.post(
        reverse("participants:fp_pre_register", args=[meeting.code, "ZMB"]),
        {"first_name": "N", "last_name": "P", "email": "NEW@example.zm"},
    )
    assert response.status_code == 200
    assert "already registered" in " ".join(response.context["form"].errors["email"])


def test_duplicate_caught_after_the_insert_fails_whatever_the_database_says(zambia, monkeypatch):
    """A rival insert between the check and the save: the IntegrityError is turned into the same
    refusal from the stored rows (not from the constraint's name in the database's message)."""
    meeting = open_meeting()
    first = focal_point_pre_register(meeting=meeting, country=country("ZMB"), by=zambia, email="a@example.zm")
    real_check = registration_services.registration_duplicate_check
    calls = []

    def late_check(**kwargs):
        calls.append(kwargs)
        if len(calls) > 1:  # the check after the failed insert
            real_check(**kwargs)

    monkeypatch.setattr(registration_services, "registration_duplicate_check", late_check)
    with pytest.raises(RegistrationError) as refused:
        registration_services.registration_create(
            meeting=meeting, user=first.user, by=zambia, capacity=Capacity.PARTY, country=country("ZMB")
        )
    assert "already registered" in " ".join(refused.value.message_dict["email"])
    assert len(calls) == 2


def test_request_of_a_focal_point_withdrawn_since_lapses(zambia, person):
    meeting = open_meeting()
    request = focal_point_pre_register(meeting=meeting, country=country("ZMB"), by=zambia, email=person.email)
    focal_point = zambia.focal_points.get()
    focal_point.active = False
    focal_point_save(focal_point=focal_point)
    with pytest.raises(RegistrationError, match="lapsed"):
        registration_request_accept(request=request, by=person)
    assert not Registration.objects.filter(meeting=meeting).exists()


def _ask(zambia, meeting, person):
    return focal_point_pre_register(
        meeting=meeting, country=country("ZMB"), by=zambia, email=person.email,
        first_name=person.first_name, last_name=person.last_name, function="Adviser",
    )  # fmt: skip


@pytest.mark.parametrize("count", [1, 5])
def test_my_registrations_lists_requests_in_a_fixed_number_of_queries(
    client, zambia, django_assert_num_queries, count
):
    person = UserFactory()
    for _ in range(count):
        assert isinstance(_ask(zambia, open_meeting(), person), RegistrationRequest)
    client.force_login(person)
    # savepoint, session, user, registrations, letters, requests (with meeting, State and asker),
    # open meetings, release
    with django_assert_num_queries(8):
        page = client.get(reverse("participants:mine"))
    assert len(page.context["requests"]) == count
    assert all(r.meeting.title in page.content.decode() for r in page.context["requests"])


@pytest.mark.parametrize("count", [1, 5])
def test_the_state_page_lists_requests_in_a_fixed_number_of_queries(
    client, zambia, django_assert_num_queries, count
):
    meeting = open_meeting()
    people = [UserFactory() for _ in range(count)]
    for person in people:
        _ask(zambia, meeting, person)
    client.force_login(zambia)
    with django_assert_num_queries(10):  # 9, and the meeting's segments (in person or online offered)
        page = client.get(reverse("participants:fp_state", args=[meeting.code, "ZMB"])).content.decode()
    assert all(person.email in page or person.get_full_name() in page for person in people)


def test_the_request_mail_names_the_state_in_the_persons_language(zambia):
    person = UserFactory(preferred_language="fr")
    _ask(zambia, open_meeting(), person)
    mail = OutgoingMail.objects.get(to=person.email)
    assert "Zambie" in mail.subject and "Zambie" in mail.body_text
    assert "Zambia " not in mail.body_text


def test_request_of_a_focal_point_whose_account_was_switched_off_lapses(zambia, person):
    meeting = open_meeting()
    request = _ask(zambia, meeting, person)
    zambia.is_active = False
    zambia.save(update_fields=["is_active"])
    with pytest.raises(RegistrationError, match="lapsed"):
        registration_request_accept(request=request, by=person)
    assert not Registration.objects.filter(meeting=meeting).exists()


def test_only_a_focal_point_of_the_state_withdraws_a_request_even_through_the_service(zambia, person):
    from participants.services.focal_points import registration_request_withdraw

    request = _ask(zambia, open_meeting(), person)
    peru = FocalPointFactory(country=country("PER")).user
    for stranger in (peru, person, None):
        with pytest.raises(RegistrationError):
            registration_request_withdraw(request=request, by=stranger)
    request.refresh_from_db()
    assert request.status == Q.PENDING and request.details
    registration_request_withdraw(request=request, by=zambia)
    request.refresh_from_db()
    # What the focal point typed about the person does not outlive the request.
    assert (request.status, request.details) == (Q.WITHDRAWN, {})
