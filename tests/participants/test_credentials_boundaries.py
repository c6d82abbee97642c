"""The checks of credentials at their boundaries (issue 19): a Party on the meeting's opening day
(its entry into force included), covering only its own delegates at that meeting, issued in due
form (rule 18), with the authorisation recorded when a person authorised issued them. Each test
was seen failing against a mutant of participants.services.credentials before it was kept."""

import datetime as dt

import pytest

from participants.enums import CredentialsForm, CredentialsIssuer, CredentialsVerdict
from participants.errors import CredentialsError
from participants.models import Credentials
from participants.services.credentials import (
    _verdict_after_change,
    credentials_check,
    credentials_in_due_form_check,
)
from tests.factories import MeetingFactory, country

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db
ISSUER, V = CredentialsIssuer, CredentialsVerdict


def _meeting(start=dt.date(2026, 6, 15)):
    return MeetingFactory(start_date=start, end_date=start + dt.timedelta(days=4))


def _refusal(**kwargs):
    with pytest.raises(CredentialsError) as caught:
        credentials_check(**kwargs)
    return caught.value.message_dict


def test_credentials_of_a_party_from_its_entry_into_force_on_the_opening_day():
    credentials_check(
        meeting=_meeting(dt.date(2018, 9, 16)), country=country("IND"), issuer=ISSUER.FOREIGN_MINISTER
    )
    assert _refusal(meeting=_meeting(dt.date(2018, 9, 15)), country=country("IND")) == {
        "country": ["India is not a Party: no credentials are examined."]
    }


def test_credentials_cover_only_that_partys_delegates_at_that_meeting():
    meeting, zambia = _meeting(), country("ZMB")
    own = RegistrationFactory(meeting=meeting, country=zambia)
    credentials_check(meeting=meeting, country=zambia, delegates=[own])
    message = {"delegates": ["Credentials can only cover delegates of that Party at this meeting."]}
    other_state = RegistrationFactory(meeting=meeting, country=country("PER"))
    assert _refusal(meeting=meeting, country=zambia, delegates=[own, other_state]) == message
    other_meeting = RegistrationFactory(meeting=_meeting(), country=zambia)
    assert _refusal(meeting=meeting, country=zambia, delegates=[other_meeting]) == message


def test_only_a_regional_organisation_presents_credentials_from_its_competent_authority():
    credentials_check(meeting=_meeting(), country=country("EUU"), issuer=ISSUER.REIO_AUTHORITY)
    assert _refusal(meeting=_meeting(), country=country("ZMB"), issuer=ISSUER.REIO_AUTHORITY) == {
        "issuer": [
            "Zambia is a State, not a regional economic integration organisation: its credentials come from the "
            "Head of State or Government or the Minister for Foreign Affairs."
        ]
    }


def test_credentials_from_a_person_authorised_record_who_authorised_them_and_the_authorisation():
    meeting, zambia = _meeting(), country("ZMB")
    who = (
        "Say who authorised the issuer: the Head of State or Government or the Minister for Foreign Affairs."
    )
    what = "Record the authorisation (who signed it, the instrument and its date)."
    for authorisation in ("", "   ", None):
        assert _refusal(
            meeting=meeting, country=zambia, issuer=ISSUER.AUTHORISED, authorised_by=ISSUER.AUTHORISED,
            authorisation=authorisation,
        ) == {"authorised_by": [who], "authorisation": [what]}  # fmt: skip
    assert _refusal(
        meeting=meeting,
        country=zambia,
        issuer=ISSUER.AUTHORISED,
        authorised_by=ISSUER.HEAD_OF_STATE,
        authorisation="",
    ) == {"authorisation": [what]}
    assert _refusal(
        meeting=meeting,
        country=zambia,
        issuer=ISSUER.AUTHORISED,
        authorised_by="",
        authorisation="Note of 2 June 2026",
    ) == {"authorised_by": [who]}
    for authorised_by in (ISSUER.HEAD_OF_STATE, ISSUER.FOREIGN_MINISTER):
        credentials_check(
            meeting=meeting, country=zambia, issuer=ISSUER.AUTHORISED, authorised_by=authorised_by,
            authorisation="Note of 2 June 2026",
        )  # fmt: skip


def test_credentials_from_a_person_authorised_without_an_authorisation_given_are_refused():
    # A caller that leaves out who authorised the issuer and the authorisation: both are missing.
    assert _refusal(meeting=_meeting(), country=country("ZMB"), issuer=ISSUER.AUTHORISED) == {
        "authorised_by": [
            "Say who authorised the issuer: the Head of State or Government or the Minister for Foreign Affairs."
        ],
        "authorisation": ["Record the authorisation (who signed it, the instrument and its date)."],
    }


def _credentials(form=CredentialsForm.ORIGINAL, issuer=ISSUER.FOREIGN_MINISTER, verdict=V.IN_ORDER):
    return Credentials(country=country("ZMB"), form=form, issuer=issuer, verdict=verdict)


def test_credentials_in_due_form_are_originals_from_an_authority_rule_18_names():
    for issuer in (ISSUER.HEAD_OF_STATE, ISSUER.FOREIGN_MINISTER, ISSUER.AUTHORISED, ISSUER.REIO_AUTHORITY):
        credentials_in_due_form_check(_credentials(issuer=issuer))
    with pytest.raises(CredentialsError) as caught:
        credentials_in_due_form_check(_credentials(form=CredentialsForm.COPY))
    assert caught.value.message_dict == {
        "verdict": ["Zambia sent a copy only: record it as a copy, not as credentials in order."]
    }
    with pytest.raises(CredentialsError) as caught:
        credentials_in_due_form_check(_credentials(issuer=ISSUER.OTHER))
    assert caught.value.message_dict == {
        "verdict": [
            "The credentials of Zambia were not issued by the Head of State or Government, the Minister for "
            "Foreign Affairs or a person authorised by one of them: they are not in due form."
        ]
    }


def test_a_verdict_in_order_falls_to_what_the_corrected_record_now_is():
    assert _verdict_after_change(_credentials()) == V.IN_ORDER
    assert _verdict_after_change(_credentials(form=CredentialsForm.COPY)) == V.COPY
    assert _verdict_after_change(_credentials(issuer=ISSUER.OTHER)) == V.NOT_IN_DUE_FORM
    assert _verdict_after_change(_credentials(form=CredentialsForm.COPY, verdict=V.PENDING)) == V.PENDING
    assert _verdict_after_change(_credentials(issuer=ISSUER.OTHER, verdict=V.NOT_IN_ORDER)) == V.NOT_IN_ORDER
