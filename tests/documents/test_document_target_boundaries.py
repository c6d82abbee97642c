"""A document's target date and the deadlines of calls for submissions, at their boundaries
(issue 19).

A working document's target is six weeks before the meeting opens. A language version is late
from the day after its target (on the target day itself it is not late yet), and at risk, unless
ready, from 14 days before it. A call's deadline may fall on the day of its letter, not before;
a submission may arrive on the day of the call's letter, not before. Each test was seen failing
against a mutant of documents.selectors, documents.services.registration or
documents.services.submissions before it was kept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from documents.enums import ProcessingStatus, Series, Timeliness
from documents.models import CallForSubmissions, LanguageVersion
from documents.selectors import timeliness
from documents.services.registration import default_target_date
from documents.services.submissions import call_for_submissions_check, submission_check
from meetings.models import Meeting

S = ProcessingStatus
TARGET = dt.date(2026, 5, 4)
DAY = dt.timedelta(days=1)


def test_working_documents_target_is_six_weeks_before_the_opening():
    meeting = Meeting(start_date=dt.date(2026, 6, 15))
    assert default_target_date(meeting=meeting, series=Series.WORKING) == dt.date(2026, 5, 4)


def test_no_default_target_for_information_documents_or_without_a_meeting():
    assert (
        default_target_date(meeting=Meeting(start_date=dt.date(2026, 6, 15)), series=Series.INFORMATION)
        is None
    )
    assert default_target_date(meeting=None, series=Series.WORKING) is None


def test_target_weeks_follow_the_setting(settings):
    settings.DOCUMENTS_TARGET_WEEKS_BEFORE = {Series.INFORMATION: 4}
    meeting = Meeting(start_date=dt.date(2026, 6, 15))
    assert default_target_date(meeting=meeting, series=Series.INFORMATION) == dt.date(2026, 5, 18)
    assert default_target_date(meeting=meeting, series=Series.WORKING) is None


def _version(status=S.IN_PROCESSING, target=TARGET):
    return LanguageVersion(status=status, target_date=target)


def test_a_version_is_not_late_on_its_target_day_and_late_the_day_after():
    assert timeliness(_version(), today=TARGET) == Timeliness.AT_RISK
    assert timeliness(_version(), today=TARGET + DAY) == Timeliness.LATE


def test_a_ready_version_is_on_track_until_its_target_day_and_late_after():
    assert timeliness(_version(S.READY), today=TARGET) == Timeliness.ON_TRACK
    assert timeliness(_version(S.READY), today=TARGET + DAY) == Timeliness.LATE


def test_a_version_is_at_risk_from_14_days_before_its_target():
    assert timeliness(_version(), today=TARGET - 14 * DAY) == Timeliness.AT_RISK
    assert timeliness(_version(), today=TARGET - 15 * DAY) == Timeliness.ON_TRACK


@pytest.mark.parametrize("status", [S.PUBLISHED, S.NOT_REQUIRED])
def test_a_settled_version_is_done_even_after_its_target(status):
    assert timeliness(_version(status), today=TARGET + 100 * DAY) == Timeliness.DONE


def test_a_version_without_a_target_is_on_track():
    assert timeliness(_version(target=None), today=TARGET) == Timeliness.ON_TRACK


LETTER = dt.date(2026, 2, 10)


def test_a_calls_deadline_may_be_the_day_of_its_letter_not_the_day_before():
    call_for_submissions_check(letter_date=LETTER, deadline=LETTER)
    with pytest.raises(ValidationError) as caught:
        call_for_submissions_check(letter_date=LETTER, deadline=LETTER - DAY)
    assert caught.value.message_dict == {"deadline": ["The deadline cannot be before the letter."]}


def _submission(received_on, *, country="state", organization=""):
    call = CallForSubmissions(letter_date=LETTER, deadline=LETTER + 30 * DAY)
    # The check reads only whether a State is named: any non-None value stands for one.
    submission_check(call=call, received_on=received_on, country=country, organization=organization)


def test_a_submission_may_arrive_on_the_day_of_the_letter_not_the_day_before():
    _submission(LETTER)
    with pytest.raises(ValidationError) as caught:
        _submission(LETTER - DAY)
    assert caught.value.message_dict == {
        "received_on": ["A submission cannot arrive before the call was sent."]
    }


def test_a_submission_names_a_state_or_an_organization():
    _submission(LETTER, country=None, organization="Zero Mercury Working Group")
    for organization in ("", "   ", None):
        with pytest.raises(ValidationError) as caught:
            _submission(LETTER, country=None, organization=organization)
        assert caught.value.message_dict == {
            "country": ["Say who made the submission: a State or an organization."]
        }
