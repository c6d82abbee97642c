"""In person or online: chosen at registration where the meeting (or a segment) is online or
hybrid, changeable until accreditation; online participants get no visa letter, funding or badge,
and once accredited (and only then) their connection details by e-mail."""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.enums import MeetingMode
from outbox.models import OutgoingMail
from participants import selectors
from participants.enums import FundingStatus, ParticipationMode, RegistrationStatus, VisaStatus
from participants.errors import FundingError, RegistrationError, VisaError
from participants.models import FundingRequest, Registration, VisaRequest
from participants.services.badges import registration_issue_badge, registration_issue_badges
from participants.services.funding import funding_approve, funding_request_create
from participants.services.participation import online_details_send, registration_change_mode
from participants.services.registration import registration_accredit, registration_create, registration_update
from participants.services.visas import visa_request_create
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, UserFactory, country

from .factories import RegistrationFactory, open_meeting

pytestmark = pytest.mark.django_db
S = RegistrationStatus
ONLINE, IN_PERSON = ParticipationMode.ONLINE, ParticipationMode.IN_PERSON
JOIN = "https://meet.example.org/j/8812345?pwd=personal"


@pytest.fixture
def hybrid():
    return open_meeting(
        code="hybrid-1", mode=MeetingMode.HYBRID, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 3),
        online_join_url=JOIN, online_join_details="Meeting ID 881 2345, passcode 4711",
    )  # fmt: skip


def _register(meeting, mode=None, **data):
    user = UserFactory()
    fields = {"capacity": "party", "country": country("ZMB"), **data}
    if mode:
        fields["participation_mode"] = mode
    return registration_create(meeting=meeting, user=user, by=user, **fields)


# --- What each meeting offers -----------------------------------------------------------------


def test_modes_offered_follow_the_meeting_and_its_segments():
    in_person = MeetingFactory(mode=MeetingMode.IN_PERSON)
    online = MeetingFactory(mode=MeetingMode.ONLINE)
    hybrid = MeetingFactory(mode=MeetingMode.HYBRID)
    # COP-4: an in-person parent with an online segment (November 2021) and a resumed one in Bali.
    cop4 = MeetingFactory(mode=MeetingMode.IN_PERSON)
    MeetingFactory(parent=cop4, mode=MeetingMode.ONLINE)
    MeetingFactory(parent=cop4, mode=MeetingMode.IN_PERSON)
    assert selectors.participation_modes(in_person) == (IN_PERSON,)
    assert selectors.participation_modes(online) == (ONLINE,)
    assert selectors.participation_modes(hybrid) == (IN_PERSON, ONLINE)
    assert selectors.participation_modes(cop4) == (IN_PERSON, ONLINE)


def test_online_meeting_registers_online_without_a_choice():
    meeting = open_meeting(mode=MeetingMode.ONLINE)
    assert _register(meeting).participation_mode == ONLINE


def test_in_person_meeting_refuses_online_and_stores_nothing():
    meeting = open_meeting(mode=MeetingMode.IN_PERSON)
    with pytest.raises(RegistrationError) as refused:
        _register(meeting, mode=ONLINE)
    assert "held in person only" in refused.value.message_dict["participation_mode"][0]
    assert not Registration.objects.filter(meeting=meeting).exists()


def test_register_page_asks_the_mode_only_where_online_is_offered(client, hybrid):
    client.force_login(UserFactory())
    page = client.get(reverse("participants:register", args=[hybrid.code])).content.decode()
    assert 'name="participation_mode" value="online"' in page and 'value="in_person"' in page
    in_person = open_meeting(mode=MeetingMode.IN_PERSON)
    assert (
        'name="participation_mode"'
        not in client.get(reverse("participants:register", args=[in_person.code])).content.decode()
    )


def test_hybrid_registration_must_choose_and_online_is_stored(client, hybrid):
    user = UserFactory()
    client.force_login(user)
    form = {"capacity": "party", "country": country("ZMB").pk, "first_name": "Ana", "last_name": "Mulenga",
            "email": user.email, "correspondence_language": "en"}  # fmt: skip
    response = client.post(reverse("participants:register", args=[hybrid.code]), form)
    assert response.status_code == 200 and "participation_mode" in response.context["form"].errors
    assert not Registration.objects.filter(meeting=hybrid).exists()
    response = client.post(
        reverse("participants:register", args=[hybrid.code]), {**form, "participation_mode": "online"}
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Registration.objects.get(meeting=hybrid, user=user).participation_mode == ONLINE


# --- What online participants do not get --------------------------------------------------------


def test_online_registration_asking_for_funding_or_a_visa_letter_is_refused(hybrid):
    with pytest.raises(RegistrationError) as refused:
        _register(hybrid, mode=ONLINE, funding_requested=True, visa_letter_requested=True)
    errors = refused.value.message_dict
    assert "travel and daily subsistence allowance (DSA) are funded only" in errors["funding_requested"][0]
    assert "visa support letter is issued only" in errors["visa_letter_requested"][0]
    assert not Registration.objects.filter(meeting=hybrid).exists() and not FundingRequest.objects.exists()


def test_online_participant_gets_no_visa_letter(hybrid):
    registration = _register(hybrid, mode=ONLINE)
    with pytest.raises(VisaError) as refused:
        visa_request_create(
            registration=registration, by=registration.user, passport_number="ZN123456",
            passport_country=country("ZMB"), passport_issued=dt.date(2024, 1, 1),
            passport_expires=dt.date(2034, 1, 1), embassy="Embassy of Switzerland, Lusaka",
        )  # fmt: skip
    assert (
        "takes part online: no visa support letter (for participants attending in person only)"
        in refused.value.messages[0]
    )
    assert not VisaRequest.objects.exists()


def test_online_participant_gets_no_funding(hybrid):
    registration = _register(hybrid, mode=ONLINE)
    with pytest.raises(FundingError) as refused:
        funding_request_create(registration=registration, by=None)
    assert (
        "takes part online: no funded travel or DSA (for participants attending in person only)"
        in refused.value.messages[0]
    )
    assert not FundingRequest.objects.exists()


def test_online_participant_gets_no_badge_and_the_batch_counts_them(hybrid):
    online = _register(hybrid, mode=ONLINE)
    in_person = _register(hybrid, mode=IN_PERSON)
    Registration.objects.filter(pk__in=[online.pk, in_person.pk]).update(status=S.ACCREDITED)
    with pytest.raises(RegistrationError) as refused:
        registration_issue_badge(registration=online, by=None)
    assert (
        "takes part online: no badge (for participants attending in person only)" in refused.value.messages[0]
    )
    result = registration_issue_badges(meeting=hybrid, by=None)
    assert (result.issued, result.skipped, result.online) == (1, 0, 1)
    assert Registration.objects.get(pk=online.pk).status == S.ACCREDITED
    assert Registration.objects.get(pk=in_person.pk).status == S.BADGE_ISSUED


# --- Changing the mode until accreditation ---------------------------------------------------------


def test_delegate_changes_the_mode_on_the_edit_page_until_accreditation(client, hybrid):
    registration = _register(hybrid, mode=IN_PERSON)
    client.force_login(registration.user)
    data = {"capacity": "party", "country": country("ZMB").pk, "first_name": registration.first_name,
            "last_name": registration.last_name, "email": registration.email, "participation_mode": "online",
            "correspondence_language": "en"}  # fmt: skip
    response = client.post(reverse("participants:edit", args=[registration.pk]), data)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.participation_mode == ONLINE
    Registration.objects.filter(pk=registration.pk).update(status=S.ACCREDITED)
    registration.refresh_from_db()
    # Staff too: once accredited the mode is fixed.
    with pytest.raises(RegistrationError) as refused:
        registration_update(registration=registration, by=StaffFactory(), as_delegate=False,
                            participation_mode=IN_PERSON)  # fmt: skip
    assert "can no longer change" in refused.value.message_dict["participation_mode"][0]
    assert Registration.objects.get(pk=registration.pk).participation_mode == ONLINE


def test_switching_online_declines_a_pending_funding_request_and_refuses_a_pending_visa_request(hybrid):
    registration = _register(hybrid, mode=IN_PERSON, funding_requested=True)
    visa_request_create(
        registration=registration, by=registration.user, passport_number="ZN123456",
        passport_country=country("ZMB"), passport_issued=dt.date(2024, 1, 1), passport_expires=dt.date(2034, 1, 1),
        embassy="Embassy of Switzerland, Lusaka",
    )  # fmt: skip
    registration_change_mode(registration=registration, mode=ONLINE, by=registration.user)
    funding = FundingRequest.objects.get(registration=registration)
    visa = VisaRequest.objects.get(registration=registration)
    assert (funding.status, funding.decision_note) == (FundingStatus.DECLINED, "Takes part online.")
    assert (visa.status, visa.refusal_reason) == (VisaStatus.REFUSED, "Takes part online.")
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.participation_mode, stored.funding_requested, stored.visa_letter_requested) == (
        ONLINE,
        False,
        False,
    )


def test_switching_online_is_refused_once_funding_is_approved(hybrid):
    registration = _register(hybrid, mode=IN_PERSON, funding_requested=True)
    funding = FundingRequest.objects.get(registration=registration)
    assert funding.status == FundingStatus.REQUESTED  # Zambia: an LDC, eligible
    funding_approve(funding=funding, by=None)
    with pytest.raises(RegistrationError) as refused:
        registration_change_mode(registration=registration, mode=ONLINE, by=registration.user)
    assert "Funded travel has been approved" in refused.value.message_dict["participation_mode"][0]
    assert Registration.objects.get(pk=registration.pk).participation_mode == IN_PERSON
    # And an approval cannot reach an online participant by another way.
    other = _register(hybrid, mode=ONLINE)
    FundingRequest.objects.create(registration=other, status=FundingStatus.REQUESTED)
    with pytest.raises(FundingError):
        funding_approve(funding=FundingRequest.objects.get(registration=other), by=None)


def test_focal_point_switches_the_mode_of_their_states_delegate_only(client, hybrid):
    registration = _register(hybrid, mode=IN_PERSON)
    germany = _register(hybrid, mode=IN_PERSON, country=country("DEU"))
    focal_point = FocalPointFactory(country=country("ZMB")).user
    client.force_login(focal_point)
    page = client.get(reverse("participants:fp_state", args=[hybrid.code, "ZMB"])).content.decode()
    assert reverse("participants:fp_mode", args=[registration.pk]) in page
    response = client.post(
        reverse("participants:fp_mode", args=[registration.pk]), {"participation_mode": "online"}
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).participation_mode == ONLINE
    response = client.post(
        reverse("participants:fp_mode", args=[germany.pk]), {"participation_mode": "online"}
    )
    assert response.status_code == 404
    assert Registration.objects.get(pk=germany.pk).participation_mode == IN_PERSON


# --- Connection details -------------------------------------------------------------------------------


def test_accredited_online_participant_is_mailed_the_connection_details_in_their_language(hybrid):
    registration = _register(hybrid, mode=ONLINE)
    in_person = _register(hybrid, mode=IN_PERSON)
    Registration.objects.filter(pk=registration.pk).update(correspondence_language="es")
    registration.refresh_from_db()
    Registration.objects.filter(pk__in=[registration.pk, in_person.pk]).update(status=S.NOMINATED)
    assert not OutgoingMail.objects.filter(trigger_key__startswith="online-details:").exists()
    registration_accredit(registration=Registration.objects.get(pk=registration.pk), by=None)
    registration_accredit(registration=Registration.objects.get(pk=in_person.pk), by=None)
    mail = OutgoingMail.objects.get(trigger_key__startswith="online-details:")
    assert mail.to == registration.email and mail.language == "es"
    assert JOIN in mail.body_text and "Meeting ID 881 2345, passcode 4711" in mail.body_text
    assert "1–3 de diciembre de 2026" in mail.body_text  # the meeting's dates as Spanish writes them


def test_connection_details_are_sent_once_and_again_when_they_change(hybrid):
    registration = _register(hybrid, mode=ONLINE)
    Registration.objects.filter(pk=registration.pk).update(status=S.ACCREDITED)
    assert online_details_send(meeting=hybrid, by=None) == 1
    assert online_details_send(meeting=hybrid, by=None) == 1
    assert OutgoingMail.objects.filter(to=registration.email).count() == 1
    hybrid.online_join_url = "https://meet.example.org/j/99"
    hybrid.save()
    online_details_send(meeting=hybrid, by=None)
    assert OutgoingMail.objects.filter(to=registration.email).count() == 2


def test_no_connection_mail_without_a_link(hybrid):
    hybrid.online_join_url = hybrid.online_join_details = ""
    hybrid.save()
    registration = _register(hybrid, mode=ONLINE)
    Registration.objects.filter(pk=registration.pk).update(status=S.ACCREDITED)
    assert online_details_send(meeting=hybrid, by=None) == 0
    assert not OutgoingMail.objects.exists()


def test_the_join_link_is_shown_only_to_the_accredited_online_participant(client, hybrid):
    registration = _register(hybrid, mode=ONLINE)
    in_person = _register(hybrid, mode=IN_PERSON)
    mine = reverse("participants:mine")
    client.force_login(registration.user)
    assert JOIN not in client.get(mine).content.decode()  # pre-registered: not yet
    Registration.objects.filter(pk__in=[registration.pk, in_person.pk]).update(status=S.ACCREDITED)
    assert JOIN in client.get(mine).content.decode()
    client.force_login(in_person.user)
    assert JOIN not in client.get(mine).content.decode()
    client.logout()
    assert JOIN not in client.get(hybrid.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "mode,posted,expected",
    [
        (MeetingMode.IN_PERSON, "", IN_PERSON),
        (MeetingMode.ONLINE, "", ONLINE),
        (MeetingMode.HYBRID, "online", ONLINE),
    ],
)
def test_staff_register_on_site_in_the_admin_with_the_meetings_mode(client, mode, posted, expected):
    """Left blank, the mode is the meeting's only one; a later correction that leaves it blank keeps it."""
    meeting = MeetingFactory(mode=mode)
    person = UserFactory(email="walk.in@example.org")
    client.force_login(StaffFactory(roles=["Registration officer"]))
    form = {"capacity": "party", "country": country("PER").pk, "first_name": "Walk", "last_name": "In",
            "email": "walk.in@example.org", "delegation_role": "", "gender": "", "title": "",
            "correspondence_language": "en"}  # fmt: skip
    response = client.post(
        reverse("admin:participants_registration_add"),
        {**form, "meeting": meeting.pk, "user": person.pk, "participation_mode": posted},
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    registration = Registration.objects.get(meeting=meeting, user=person)
    assert registration.participation_mode == expected
    response = client.post(
        reverse("admin:participants_registration_change", args=[registration.pk]),
        {**form, "participation_mode": "", "phone": "+41 22 917 8111"},
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    registration.refresh_from_db()
    assert (registration.participation_mode, registration.phone) == (expected, "+41 22 917 8111")


def test_import_takes_the_online_meetings_mode_and_refuses_online_funding_naming_the_row():
    import tablib

    from participants.resources import RegistrationResource

    MeetingFactory(code="online-import", mode=MeetingMode.ONLINE)
    MeetingFactory(code="hybrid-import", mode=MeetingMode.HYBRID)
    headers = ["meeting", "capacity", "country", "first_name", "last_name", "email", "participation_mode",
               "funding_requested", "correspondence_language"]  # fmt: skip
    good = tablib.Dataset(
        ["online-import", "party", "ZMB", "Mwila", "Banda", "mwila@example.zm", "", "0", "en"],
        ["hybrid-import", "party", "ZMB", "Chanda", "Phiri", "chanda@example.zm", "online", "0", "en"],
        headers=headers,
    )
    result = RegistrationResource(by=StaffFactory()).import_data(good, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert dict(Registration.objects.values_list("email", "participation_mode")) == {
        "mwila@example.zm": ONLINE, "chanda@example.zm": ONLINE
    }  # fmt: skip
    bad = tablib.Dataset(
        ["hybrid-import", "party", "ZMB", "Ana", "Quispe", "ana@example.zm", "online", "1", "en"],
        headers=headers,
    )
    result = RegistrationResource(by=StaffFactory()).import_data(bad, dry_run=False)
    assert result.has_validation_errors()
    errors = result.invalid_rows[0].error_dict
    assert "travel and daily subsistence allowance (DSA) are funded only" in errors["funding_requested"][0]
    assert not Registration.objects.filter(email="ana@example.zm").exists()


def test_focal_point_pre_registers_a_delegate_online_and_online_funding_is_refused_on_the_field(
    client, hybrid
):
    focal_point = FocalPointFactory(country=country("ZMB")).user
    client.force_login(focal_point)
    url = reverse("participants:fp_pre_register", args=[hybrid.code, "ZMB"])
    form = {"first_name": "Chanda", "last_name": "Phiri", "email": "chanda.phiri@example.zm", "function": "Adviser",
            "delegation_role": "adviser", "participation_mode": "online", "correspondence_language": "en"}  # fmt: skip
    response = client.post(url, {**form, "funding_requested": "on"})
    assert response.status_code == 200
    assert (
        "funded only for participants attending in person"
        in response.context["form"].errors["funding_requested"][0]
    )
    assert not Registration.objects.filter(meeting=hybrid).exists()
    assert client.post(url, form).status_code == 302
    assert Registration.objects.get(meeting=hybrid).participation_mode == ONLINE


def test_my_registrations_shows_every_join_link_in_the_same_queries_at_one_and_four_meetings(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory()
    client.force_login(user)

    def add(n):
        meeting = open_meeting(
            code=f"hybrid-mine-{n}", mode=MeetingMode.HYBRID, online_join_url=f"{JOIN}&m={n}"
        )
        MeetingFactory(parent=meeting, mode=MeetingMode.ONLINE, online_join_url=f"{JOIN}&segment={n}")
        RegistrationFactory(meeting=meeting, user=user, status=S.ACCREDITED, participation_mode=ONLINE)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("participants:mine")).content.decode()
        return len(captured), page.count(JOIN)

    add(0)
    one, links = queries()
    assert links == 2  # the meeting's link and its online segment's
    for n in range(1, 4):
        add(n)
    assert queries() == (one, 8)
