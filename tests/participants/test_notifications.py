"""People told what happens to them: the focal point's pre-registration of someone new (with the
link that sets their password), every status change a delegate cares about by e-mail in their
language, and "My registrations" with the dates; no second "Register", no change to a past
meeting's registration."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from outbox.models import OutgoingMail
from participants.enums import FundingStatus, RegistrationStatus
from participants.errors import RegistrationError
from participants.models import Registration
from participants.services.focal_points import focal_point_pre_register
from participants.services.funding import (
    funding_approve,
    funding_decline,
    funding_request_create,
    meeting_settings_update,
)
from participants.services.registration import (
    registration_accredit,
    registration_decline,
    registration_nominate,
    registration_update,
    registration_withdraw,
)
from participants.services.visas import visa_request_approve, visa_request_create, visa_request_refuse
from tests.factories import PASSWORD, FocalPointFactory, MeetingFactory, StaffFactory, UserFactory, country

from .factories import NominationLetterFactory, RegistrationFactory, upcoming_meeting

pytestmark = pytest.mark.django_db
S = RegistrationStatus


_future_meeting = upcoming_meeting


def _status_mails():
    return list(OutgoingMail.objects.filter(trigger_key__startswith="status:").order_by("pk"))


@pytest.fixture
def zambia():
    user = FocalPointFactory(country=country("ZMB")).user
    user.first_name, user.last_name = "Mwila", "Banda"
    user.save()
    return user


# --- The pre-registered person --------------------------------------------------------------------


def test_a_new_person_pre_registered_is_told_in_their_language_with_a_link_to_set_their_password(
    client, zambia, django_capture_on_commit_callbacks
):
    meeting = _future_meeting(title_es="Quinta reunión de la Conferencia de las Partes", title_en="COP-5")
    with django_capture_on_commit_callbacks(execute=True):
        registration = focal_point_pre_register(
            meeting=meeting, country=country("ZMB"), by=zambia, email="Chanda.Phiri@example.zm",
            first_name="Chanda", last_name="Phiri", correspondence_language="es",
        )  # fmt: skip
    person = registration.user
    assert not person.has_usable_password()
    assert person.preferred_language == "es"
    [sent] = OutgoingMail.objects.filter(trigger_key=f"pre-registered:{registration.pk}")
    assert (sent.to, sent.language, sent.reply_to) == ("chanda.phiri@example.zm", "es", zambia.email)
    assert sent.subject == (
        "Ha sido usted preinscrito en Quinta reunión de la Conferencia de las Partes en la delegación de Zambia"
    )
    assert "Mwila Banda (" + zambia.email + "), punto focal de Zambia" in sent.body_text
    assert "Quinta reunión de la Conferencia de las Partes" in sent.body_text
    [delivered] = [m for m in mail.outbox if m.to == ["chanda.phiri@example.zm"]]
    assert delivered.subject == sent.subject

    # The link sets the password (allauth's key page), once; the address counts as verified. It
    # went out in the mail; the outbox's record keeps the mail without it.
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", delivered.body).group(0)
    assert link not in sent.body_text
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200 and 'name="password1"' in form_page.content.decode()
    new_password = "Mercury free 2026 delegate!"
    done = client.post(
        form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new_password)
    assert EmailAddress.objects.get(user=person).verified
    # Signed in, they land on "My registrations", where they complete their details.
    signed_in = client.post(reverse("account_login"), {"login": person.email, "password": new_password})
    assert signed_in["Location"] == reverse("participants:mine")
    page = client.get(reverse("participants:mine")).content.decode()
    assert reverse("participants:edit", args=[registration.pk]) in page
    # The link worked once.
    again = client.get("/" + path, follow=True)
    assert 'name="password1"' not in again.content.decode()


def test_a_person_with_an_account_gets_the_request_not_the_pre_registration_mail(zambia):
    meeting = _future_meeting()
    person = UserFactory(email="has.account@example.zm")
    focal_point_pre_register(meeting=meeting, country=country("ZMB"), by=zambia, email=person.email)
    assert list(OutgoingMail.objects.values_list("trigger_key", flat=True)) == [
        f"registration-request:{person.registration_requests.get().pk}"
    ]
    person.refresh_from_db()
    assert person.has_usable_password()


def test_no_mail_for_a_pre_registration_to_a_meeting_already_over(zambia):
    meeting = MeetingFactory()  # 2018
    registration = focal_point_pre_register(
        meeting=meeting, country=country("ZMB"), by=zambia, email="late@example.zm", check_window=False
    )
    assert not registration.user.has_usable_password()
    assert not OutgoingMail.objects.exists()


# --- Status changes -----------------------------------------------------------------------------------


def _delegate(meeting, language="fr", **kwargs):
    user = UserFactory(first_name="Chanda", last_name="Phiri", email="chanda@example.zm")
    return RegistrationFactory(
        meeting=meeting,
        user=user,
        email="chanda.office@example.zm",
        correspondence_language=language,
        **kwargs,
    )


def test_nominated_accredited_each_tell_the_delegate_once_in_their_language(zambia):
    meeting = _future_meeting(title_fr="Cinquième réunion", title_en="Fifth meeting")
    registration = _delegate(meeting)
    letter = NominationLetterFactory(meeting=meeting, country=country("ZMB"))
    registration_nominate(registration=registration, by=zambia, letter=letter)
    registration_accredit(registration=registration, by=StaffFactory())
    mails = _status_mails()
    # The registration's address, not the account's; the registration's language, not the page's.
    assert [(m.to, m.language, m.subject) for m in mails] == [
        ("chanda.office@example.zm", "fr", "Vous avez été désigné pour Cinquième réunion"),
        ("chanda.office@example.zm", "fr", "Vous êtes accrédité à Cinquième réunion"),
    ]
    assert "Le point focal de Zambie vous a désigné" in mails[0].body_text
    assert reverse("participants:mine") in mails[0].body_text


def test_english_subjects_of_every_event(zambia):
    meeting = _future_meeting(title_en="COP-9")
    staff = StaffFactory()
    declined = _delegate(meeting, language="en")
    registration_decline(registration=declined, by=staff, reason="Not nominated by the State")
    by_focal_point = RegistrationFactory(meeting=meeting, correspondence_language="en")
    registration_decline(registration=by_focal_point, by=zambia, as_focal_point=True)
    [first, second] = _status_mails()
    assert (first.to, first.subject) == (
        "chanda.office@example.zm",
        "Your registration for COP-9 has been declined",
    )
    assert "Reason: Not nominated by the State" in first.body_text
    assert (second.to, second.subject) == (
        by_focal_point.email,
        "Your registration for COP-9 has been declined",
    )
    assert "The focal point of Zambia has declined your nomination" in second.body_text


def test_visa_letter_ready_and_refused_reach_the_delegate(zambia):
    meeting = _future_meeting(title_en="COP-9")
    staff = StaffFactory()
    registration = _delegate(meeting, language="en", status=S.NOMINATED)
    visa = visa_request_create(
        registration=registration, by=registration.user, passport_number="ZN1", passport_country=country("ZMB"),
        passport_issued=dt.date(2020, 1, 1), passport_expires=meeting.end_date + dt.timedelta(days=400),
        embassy="Embassy",
    )  # fmt: skip
    assert _status_mails() == []  # asking is the delegate's own move
    visa_request_approve(visa=visa, by=staff)
    other = RegistrationFactory(meeting=meeting, correspondence_language="es", status=S.NOMINATED)
    refused = visa_request_create(
        registration=other, by=other.user, passport_number="ZN2", passport_country=country("ZMB"),
        passport_issued=dt.date(2020, 1, 1), passport_expires=meeting.end_date + dt.timedelta(days=400),
        embassy="Embassy",
    )  # fmt: skip
    visa_request_refuse(visa=refused, by=staff, reason="Passport copy unreadable")
    [approved_mail, refused_mail] = _status_mails()
    assert (approved_mail.to, approved_mail.subject) == (
        "chanda.office@example.zm",
        "Your visa support letter for COP-9 is ready",
    )
    assert refused_mail.to == other.email and refused_mail.language == "es"
    assert "Passport copy unreadable" in refused_mail.body_text


def test_funding_decided_reaches_the_delegate(zambia):
    meeting = _future_meeting(title_en="COP-9")
    meeting_settings_update(meeting=meeting, by=None, funded_places=1)
    staff = StaffFactory()
    first = _delegate(meeting, language="en")
    second = RegistrationFactory(meeting=meeting, country=country("SEN"), correspondence_language="en")
    third = RegistrationFactory(meeting=meeting, country=country("PER"), correspondence_language="en")
    approved = funding_approve(funding=funding_request_create(registration=first, by=None), by=staff)
    waiting = funding_approve(funding=funding_request_create(registration=second, by=None), by=staff)
    declined = funding_decline(
        funding=funding_request_create(registration=third, by=None), by=staff, reason="Late"
    )
    assert (approved.status, waiting.status, declined.status) == (
        FundingStatus.APPROVED, FundingStatus.WAITING, FundingStatus.DECLINED,
    )  # fmt: skip
    assert [(m.to, m.subject) for m in _status_mails()] == [
        ("chanda.office@example.zm", "Your funded participation in COP-9 is approved"),
        (second.email, "Your funding request for COP-9 is on the waiting list"),
        (third.email, "Your funding request for COP-9 has been declined"),
    ]
    # Asked again while still waiting: no second mail.
    funding_approve(funding=waiting, by=staff)
    assert len(_status_mails()) == 3


def test_the_delegate_s_own_withdrawal_and_a_past_meeting_send_nothing(zambia):
    registration = _delegate(_future_meeting())
    registration_withdraw(registration=registration, by=registration.user)
    past = RegistrationFactory(meeting=MeetingFactory(), status=S.NOMINATED)  # 2018
    registration_accredit(registration=past, by=StaffFactory())
    past_declined = RegistrationFactory(meeting=past.meeting, status=S.NOMINATED)
    registration_decline(registration=past_declined, by=StaffFactory())
    statuses = Registration.objects.in_bulk([registration.pk, past.pk, past_declined.pk])
    assert [statuses[r.pk].status for r in (registration, past, past_declined)] == [
        S.WITHDRAWN, S.ACCREDITED, S.DECLINED,
    ]  # fmt: skip
    assert _status_mails() == []


def test_a_status_mail_leaves_once_the_move_commits(zambia, django_capture_on_commit_callbacks):
    registration = _delegate(_future_meeting(title_en="COP-9"), language="en")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration_decline(registration=registration, by=StaffFactory())
    assert not [m for m in mail.outbox if m.to == ["chanda.office@example.zm"]]
    for callback in callbacks:
        callback()
    [sent] = [m for m in mail.outbox if m.to == ["chanda.office@example.zm"]]
    assert sent.subject == "Your registration for COP-9 has been declined"


# --- My registrations -------------------------------------------------------------------------------


STEP = re.compile(r'<li><time datetime="([^"]+)">([^<]+)</time> ([^<]+)</li>')


def _dated(record, days_ago):
    """The record's latest history row (the move just made) dated `days_ago` days back."""
    latest = record.history.order_by("-history_id").first()
    when = timezone.now() - dt.timedelta(days=days_ago)
    type(latest).objects.filter(history_id=latest.history_id).update(history_date=when)
    return f"{timezone.localtime(when):%-d %b %Y}"


def _history_of_a_delegate(zambia):
    """A delegate pre-registered, nominated, accredited, with a visa letter and funding approved,
    each step on its own day; returns the registration and the steps "My registrations" lists."""
    meeting = _future_meeting()
    meeting_settings_update(meeting=meeting, by=None, funded_places=1)
    staff = StaffFactory()
    registration = _delegate(meeting, language="en")
    pre_registered = _dated(registration, 9)
    registration_nominate(
        registration=registration,
        by=zambia,
        letter=NominationLetterFactory(meeting=meeting, country=country("ZMB")),
    )
    nominated = _dated(registration, 7)
    registration_update(registration=registration, by=registration.user, function="Minister")  # not a step
    _dated(registration, 6)
    registration_accredit(registration=registration, by=staff)
    accredited = _dated(registration, 5)
    visa = visa_request_create(
        registration=registration, by=registration.user, passport_number="ZN1", passport_country=country("ZMB"),
        passport_issued=dt.date(2020, 1, 1), passport_expires=meeting.end_date + dt.timedelta(days=400),
        embassy="Embassy",
    )  # fmt: skip
    visa_asked = _dated(visa, 4)
    visa_request_approve(visa=visa, by=staff)
    visa_approved = _dated(visa, 3)
    funding = funding_request_create(registration=registration, by=None)
    funding_asked = _dated(funding, 2)
    funding_approve(funding=funding, by=staff)
    funding_approved = _dated(funding, 1)
    return registration, [
        ("Pre-registered", pre_registered),
        ("Nominated", nominated),
        ("Accredited", accredited),
        ("Visa support letter: Requested", visa_asked),
        ("Visa support letter: Approved", visa_approved),
        ("Funding: Requested", funding_asked),
        ("Funding: Approved", funding_approved),
    ]


def test_my_registrations_shows_each_step_with_its_date(client, zambia):
    registration, expected = _history_of_a_delegate(zambia)
    client.force_login(registration.user)
    html = client.get(reverse("participants:mine")).content.decode()
    steps = [(label, date.strip()) for _iso, date, label in STEP.findall(html)]
    assert steps == expected
    assert len({date for _label, date in steps[:3]}) == 3


@pytest.mark.parametrize("state", ["ZMB", "SEN"])
def test_a_focal_point_does_not_see_a_delegate_s_steps(client, zambia, state):
    _history_of_a_delegate(zambia)
    focal_point = zambia if state == "ZMB" else FocalPointFactory(country=country(state)).user
    client.force_login(focal_point)
    for page in ("participants:mine", "participants:fp_home"):
        response = client.get(reverse(page))
        assert response.status_code == 200
        html = response.content.decode()
        assert STEP.findall(html) == []
        assert "Visa support letter: Approved" not in html and "Funding: Approved" not in html


def test_register_is_not_offered_for_a_meeting_already_registered_for(client):
    registered, other = _future_meeting(), _future_meeting()
    registration = RegistrationFactory(meeting=registered)
    client.force_login(registration.user)
    response = client.get(reverse("participants:mine"))
    assert [m.pk for m in response.context["open_meetings"]] == [other.pk]
    html = response.content.decode()
    assert reverse("participants:register", args=[other.code]) in html
    assert reverse("participants:register", args=[registered.code]) not in html


# --- A past meeting's registration ----------------------------------------------------------------


def test_a_past_registration_cannot_be_edited_or_withdrawn(client):
    registration = RegistrationFactory(meeting=MeetingFactory())  # 19–23 November 2018
    client.force_login(registration.user)
    html = client.get(reverse("participants:mine")).content.decode()
    assert reverse("participants:edit", args=[registration.pk]) not in html
    assert reverse("participants:withdraw", args=[registration.pk]) not in html
    assert "This meeting is over" in html

    response = client.post(reverse("participants:withdraw", args=[registration.pk]), follow=True)
    assert "ended on 23 November 2018: its registration can no longer be changed or withdrawn" in (
        response.content.decode()
    )
    response = client.post(
        reverse("participants:edit", args=[registration.pk]), {"first_name": "Changed"}, follow=True
    )
    assert "can no longer be changed or withdrawn" in response.content.decode()
    registration.refresh_from_db()
    assert (registration.status, registration.first_name) == (S.PRE_REGISTERED, registration.user.first_name)
    with pytest.raises(RegistrationError, match="can no longer be changed or withdrawn"):
        registration_update(registration=registration, by=registration.user, function="Minister")
    # The secretariat still corrects its records.
    registration_withdraw(registration=registration, by=StaffFactory(), as_delegate=False)
    assert Registration.objects.get(pk=registration.pk).status == S.WITHDRAWN


def test_a_current_registration_still_can_be_withdrawn(client):
    registration = RegistrationFactory(meeting=_future_meeting())
    client.force_login(registration.user)
    assert (
        reverse("participants:withdraw", args=[registration.pk])
        in client.get(reverse("participants:mine")).content.decode()
    )
    client.post(reverse("participants:withdraw", args=[registration.pk]))
    assert Registration.objects.get(pk=registration.pk).status == S.WITHDRAWN


def test_password_of_pre_registered_account_is_unusable_until_set(zambia):
    registration = focal_point_pre_register(
        meeting=_future_meeting(), country=country("ZMB"), by=zambia, email="nopass@example.zm"
    )
    user = User.objects.get(pk=registration.user_id)
    assert not user.has_usable_password() and not user.check_password(PASSWORD)
