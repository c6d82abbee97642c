"""The passport rule of a visa support request, at its boundaries (issue 19: each test here was
seen failing against a mutant of participants.services.visas before it was kept).

The rule: the passport must be valid on the day six calendar months after the meeting's last
day (that day included: a passport expiring on it is accepted, one expiring the day before is
not); a month without that day ends on its last day."""

import datetime as dt

import pytest

from meetings.models import Meeting
from participants.enums import ParticipationMode, RegistrationStatus
from participants.errors import VisaError
from participants.models import Registration
from participants.services.visas import _six_months_after, visa_request_check


def _registration(end_date, *, status=RegistrationStatus.PRE_REGISTERED, mode=ParticipationMode.IN_PERSON):
    # Unsaved rows: the check reads only the registration's status, mode and meeting's last day.
    meeting = Meeting(start_date=end_date - dt.timedelta(days=4), end_date=end_date)
    return Registration(
        meeting=meeting, status=status, participation_mode=mode, first_name="Chanda", last_name="Mwale"
    )


def _check(registration, expires, *, number="ZN4455667", issued=dt.date(2020, 1, 1)):
    return visa_request_check(
        registration=registration, passport_number=number, passport_issued=issued, passport_expires=expires
    )


@pytest.mark.parametrize(
    ("meeting_ends", "valid_until"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 7, 1)),
        (dt.date(2026, 5, 31), dt.date(2026, 11, 30)),  # November has no 31st: its last day
        (dt.date(2026, 6, 30), dt.date(2026, 12, 30)),  # lands in December, same year
        (dt.date(2026, 7, 1), dt.date(2027, 1, 1)),  # the first month of the next year
        (dt.date(2026, 7, 31), dt.date(2027, 1, 31)),
        (dt.date(2026, 8, 31), dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), dt.date(2028, 2, 29)),  # a leap year's February
        (dt.date(2026, 12, 15), dt.date(2027, 6, 15)),
    ],
)
def test_six_months_after_a_meeting_day(meeting_ends, valid_until):
    assert _six_months_after(meeting_ends) == valid_until


def test_passport_expiring_in_december_covers_a_meeting_ending_in_june():
    assert _check(_registration(dt.date(2026, 6, 12)), dt.date(2026, 12, 12)) == "ZN4455667"


def test_passport_expiring_the_day_before_six_months_after_a_june_meeting_is_refused():
    with pytest.raises(VisaError) as caught:
        _check(_registration(dt.date(2026, 6, 12)), dt.date(2026, 12, 11))
    assert caught.value.message_dict == {
        "passport_expires": [
            "The passport must be valid until at least 12 December 2026, six months after the meeting ends."
        ]
    }


def test_passport_of_a_meeting_ending_on_31_may_must_last_until_30_november():
    registration = _registration(dt.date(2026, 5, 31))
    assert _check(registration, dt.date(2026, 11, 30)) == "ZN4455667"
    with pytest.raises(VisaError) as caught:
        _check(registration, dt.date(2026, 11, 29))
    assert "30 November 2026" in caught.value.message_dict["passport_expires"][0]


def test_passport_of_a_meeting_ending_in_july_must_last_into_january():
    registration = _registration(dt.date(2026, 7, 31))
    assert _check(registration, dt.date(2027, 1, 31)) == "ZN4455667"
    with pytest.raises(VisaError) as caught:
        _check(registration, dt.date(2027, 1, 30))
    assert "31 January 2027" in caught.value.message_dict["passport_expires"][0]


def test_passport_number_is_stored_without_spaces_in_upper_case():
    assert (
        _check(_registration(dt.date(2026, 6, 12)), dt.date(2030, 1, 1), number=" zn 445 5667 ")
        == "ZN4455667"
    )


@pytest.mark.parametrize("number", ["", "   ", None])
def test_passport_number_is_required(number):
    with pytest.raises(VisaError) as caught:
        _check(_registration(dt.date(2026, 6, 12)), dt.date(2030, 1, 1), number=number)
    assert caught.value.message_dict == {"passport_number": ["Enter the passport number."]}


def test_passport_expiring_on_its_day_of_issue_is_refused():
    with pytest.raises(VisaError) as caught:
        _check(_registration(dt.date(2026, 6, 12)), dt.date(2030, 1, 1), issued=dt.date(2030, 1, 1))
    assert caught.value.message_dict == {
        "passport_expires": ["The expiry date must be after the date of issue."]
    }


def test_passport_expiring_the_day_after_issue_passes_the_issue_check():
    # Issued the day before expiry: only the six-months rule decides (here: it is met).
    assert (
        _check(_registration(dt.date(2026, 6, 12)), dt.date(2030, 1, 2), issued=dt.date(2030, 1, 1))
        == "ZN4455667"
    )


def test_passport_without_a_date_of_issue_is_judged_on_its_expiry_only():
    assert _check(_registration(dt.date(2026, 6, 12)), dt.date(2026, 12, 12), issued=None) == "ZN4455667"


def test_visa_support_refused_for_an_inactive_registration():
    registration = _registration(dt.date(2026, 6, 12), status=RegistrationStatus.WITHDRAWN)
    with pytest.raises(VisaError) as caught:
        _check(registration, dt.date(2030, 1, 1))
    assert caught.value.messages == ["This registration is no longer active."]


def test_visa_support_refused_to_an_online_participant():
    registration = _registration(dt.date(2026, 6, 12), mode=ParticipationMode.ONLINE)
    with pytest.raises(VisaError) as caught:
        _check(registration, dt.date(2030, 1, 1))
    assert caught.value.messages == [
        "Chanda Mwale takes part online: no visa support letter (for participants attending in person only)."
    ]
