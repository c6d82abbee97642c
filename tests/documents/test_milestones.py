"""Document milestones: the rules (seeded defaults, fallback, checks), each document's forecast,
submission and issuance against what the processing recorded, and the staff dashboard."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import roles
from documents import selectors, services
from documents.enums import Language, Milestone, MilestoneState, ProcessingStatus, Series
from documents.models import Document, LanguageVersion, MilestoneRule, ProcessingStep
from meetings.enums import MeetingKind
from tests.admin_forms import admin_post_data
from tests.factories import MeetingFactory, StaffFactory, UserFactory

from .factories import pdf_upload, register, version

pytestmark = pytest.mark.django_db
M = MilestoneState
S = ProcessingStatus
DAY = dt.timedelta(days=1)

# A COP opening on Monday 1 March 2027: working documents are forecast by 23 November 2026 (14
# weeks), submitted by 21 December 2026 (10 weeks) and issued by 18 January 2027 (6 weeks);
# information documents issued by 1 February 2027 (4 weeks).
OPENING = dt.date(2027, 3, 1)
FORECAST = dt.date(2026, 11, 23)
SUBMISSION = dt.date(2026, 12, 21)
ISSUANCE = dt.date(2027, 1, 18)
INF_ISSUANCE = dt.date(2027, 2, 1)


def at_noon(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def registered_on(document, day):
    Document.objects.filter(pk=document.pk).update(created=at_noon(day))
    document.refresh_from_db()
    return document


def submit_on(document, language, day, by=None):
    """Submit a language version through the service, as recorded on `day`."""
    v = services.language_version_submit(version=version(document, language), by=by)
    ProcessingStep.objects.filter(version=v, to_status=S.SUBMITTED).update(at=at_noon(day))
    return v


def publish_on(document, language, day, by=None):
    v = version(document, language)
    if v.status == S.AWAITING_ORIGINAL:
        services.language_version_submit(version=v, by=by)
    services.language_version_start_processing(version=v, by=by)
    services.language_version_upload(version=v, uploaded=pdf_upload(), by=by)
    services.language_version_mark_ready(version=v, by=by)
    v = services.language_version_publish(version=v, by=by)
    LanguageVersion.objects.filter(pk=v.pk).update(published_at=at_noon(day))
    return v


@pytest.fixture
def cop():
    return MeetingFactory(
        kind=MeetingKind.COP, code="cop-7", number=7, start_date=OPENING, end_date=OPENING + 4 * DAY
    )


@pytest.fixture
def officer():
    return StaffFactory(roles=[roles.DOCUMENTS_OFFICER], first_name="Amina", last_name="Diallo")


@pytest.fixture
def colleague():
    return StaffFactory(roles=[roles.DOCUMENTS_OFFICER], first_name="Bruno", last_name="Costa")


def _states(row):
    return [(c.milestone, c.state, c.met_on, c.days) for c in row.checks]


# --- Rules ------------------------------------------------------------------------------------------


def test_migration_seeds_the_defaults_for_a_cop_and_the_fallback():
    rules = {
        (r.series, r.meeting_kind): (r.forecast_weeks, r.submission_weeks, r.issuance_weeks)
        for r in MilestoneRule.objects.all()
    }
    assert rules == {
        (Series.WORKING, MeetingKind.COP): (14, 10, 6),
        (Series.INFORMATION, MeetingKind.COP): (None, None, 4),
        (Series.WORKING, ""): (None, None, 6),
    }


def test_rule_lookup_prefers_series_and_kind_then_series_then_kind_then_the_fallback():
    both = MilestoneRule(series=Series.WORKING, meeting_kind=MeetingKind.COP)
    series_only = MilestoneRule(series=Series.WORKING, meeting_kind="")
    kind_only = MilestoneRule(series="", meeting_kind=MeetingKind.COP)
    neither = MilestoneRule(series="", meeting_kind="")
    rules = {(r.series, r.meeting_kind): r for r in (both, series_only, kind_only, neither)}

    def rule(series, kind, table=rules):
        return selectors.milestone_rule_for(table, series=series, meeting_kind=kind)

    assert rule(Series.WORKING, MeetingKind.COP) is both
    assert rule(Series.WORKING, MeetingKind.BUREAU) is series_only
    assert rule(Series.INFORMATION, MeetingKind.COP) is kind_only
    assert rule(Series.INFORMATION, MeetingKind.BUREAU) is neither
    assert rule(Series.INFORMATION, MeetingKind.BUREAU, {("working", ""): series_only}) is None


def test_due_date_counts_whole_weeks_before_the_opening():
    assert selectors.milestone_due_date(opening=OPENING, weeks=14) == FORECAST
    assert selectors.milestone_due_date(opening=OPENING, weeks=10) == SUBMISSION
    assert selectors.milestone_due_date(opening=OPENING, weeks=6) == ISSUANCE
    assert selectors.milestone_due_date(opening=OPENING, weeks=0) == OPENING
    assert selectors.milestone_due_date(opening=OPENING, weeks=None) is None
    assert selectors.milestone_due_date(opening=None, weeks=6) is None


def _check(**weeks):
    values = {"forecast_weeks": None, "submission_weeks": None, "issuance_weeks": None, **weeks}
    services.milestone_rule_check(series=Series.WORKING, meeting_kind=MeetingKind.COP, **values)


def test_rule_check_takes_0_to_52_weeks_both_ends_included():
    _check(forecast_weeks=52, submission_weeks=0, issuance_weeks=0)
    with pytest.raises(ValidationError) as refused:
        _check(forecast_weeks=53)
    assert refused.value.message_dict == {"forecast_weeks": ["Give a number of weeks from 0 to 52."]}
    with pytest.raises(ValidationError) as refused:
        _check(issuance_weeks=-1)
    assert refused.value.message_dict == {"issuance_weeks": ["Give a number of weeks from 0 to 52."]}


def test_rule_check_keeps_the_milestones_in_order_the_same_week_allowed():
    _check(forecast_weeks=10, submission_weeks=10, issuance_weeks=10)
    with pytest.raises(ValidationError) as refused:
        _check(forecast_weeks=9, submission_weeks=10)
    assert refused.value.message_dict == {
        "forecast_weeks": ["The forecast cannot come after the submission to conference services."]
    }
    with pytest.raises(ValidationError) as refused:
        _check(submission_weeks=5, issuance_weeks=6)
    assert refused.value.message_dict == {
        "submission_weeks": ["The submission to conference services cannot come after issuance."]
    }
    with pytest.raises(ValidationError) as refused:
        _check(forecast_weeks=5, issuance_weeks=6)
    assert refused.value.message_dict == {"forecast_weeks": ["The forecast cannot come after issuance."]}


def test_rule_check_refuses_an_unknown_series_or_kind():
    with pytest.raises(ValidationError) as refused:
        services.milestone_rule_check(
            series="X", meeting_kind="", forecast_weeks=None, submission_weeks=None, issuance_weeks=None
        )
    assert refused.value.message_dict == {"series": ["Choose a series, or none for every other series."]}
    with pytest.raises(ValidationError) as refused:
        services.milestone_rule_check(
            series="", meeting_kind="party", forecast_weeks=None, submission_weeks=None, issuance_weeks=None
        )
    assert refused.value.message_dict == {
        "meeting_kind": ["Choose a kind of meeting, or none for every other kind."]
    }


def test_one_rule_per_series_and_kind_in_the_service_and_the_database(officer):
    with pytest.raises(ValidationError) as refused:
        services.milestone_rule_save(
            series=Series.WORKING, meeting_kind=MeetingKind.COP, issuance_weeks=8, by=officer
        )
    assert refused.value.message_dict == {
        "meeting_kind": ["There is already a rule for this series and kind of meeting."]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneRule.objects.create(series=Series.WORKING, meeting_kind=MeetingKind.COP)
    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneRule.objects.create(forecast_weeks=4, issuance_weeks=6)
    assert MilestoneRule.objects.count() == 3


def test_rule_save_keeps_history_with_who(officer):
    rule = services.milestone_rule_save(
        series=Series.CONFERENCE_ROOM_PAPER, meeting_kind=MeetingKind.COP, issuance_weeks=0, by=officer
    )
    rule = services.milestone_rule_save(rule=rule, issuance_weeks=1, by=officer)
    assert [
        (h.history_type, h.issuance_weeks, h.history_user) for h in rule.history.order_by("history_id")
    ] == [
        ("+", 0, officer),
        ("~", 1, officer),
    ]


# --- One milestone ------------------------------------------------------------------------------------


def _state(due, *, met=False, met_on=None, today):
    check = selectors.milestone_state(
        milestone=Milestone.SUBMISSION, due=due, met=met, met_on=met_on, today=today
    )
    return check.state, check.days


def test_not_met_is_due_up_to_its_day_included_and_late_from_the_day_after():
    assert _state(SUBMISSION, today=SUBMISSION - DAY) == (M.DUE, 1)
    assert _state(SUBMISSION, today=SUBMISSION) == (M.DUE, 0)
    assert _state(SUBMISSION, today=SUBMISSION + DAY) == (M.LATE, 1)
    assert _state(SUBMISSION, today=SUBMISSION + 30 * DAY) == (M.LATE, 30)


def test_met_on_its_day_is_in_time_and_met_the_day_after_is_late():
    today = SUBMISSION + 100 * DAY
    assert _state(SUBMISSION, met=True, met_on=SUBMISSION - DAY, today=today) == (M.MET, 0)
    assert _state(SUBMISSION, met=True, met_on=SUBMISSION, today=today) == (M.MET, 0)
    assert _state(SUBMISSION, met=True, met_on=SUBMISSION + DAY, today=today) == (M.MET_LATE, 1)
    assert _state(SUBMISSION, met=True, met_on=None, today=today) == (M.MET, 0)


def test_no_date_is_no_milestone_whatever_happened():
    assert _state(None, today=SUBMISSION) == (M.NOT_SET, 0)
    assert _state(None, met=True, met_on=SUBMISSION, today=SUBMISSION) == (M.NOT_SET, 0)


def test_labels_say_the_date_or_the_days():
    def label(**kwargs):
        return selectors.milestone_state(milestone=Milestone.ISSUANCE, **kwargs).label

    assert label(due=ISSUANCE, met=False, met_on=None, today=ISSUANCE) == "due today (2027-01-18)"
    assert label(due=ISSUANCE, met=False, met_on=None, today=ISSUANCE - DAY) == "due 2027-01-18 (in 1 day)"
    assert (
        label(due=ISSUANCE, met=False, met_on=None, today=ISSUANCE - 3 * DAY) == "due 2027-01-18 (in 3 days)"
    )
    assert label(due=ISSUANCE, met=False, met_on=None, today=ISSUANCE + DAY) == "late by 1 day"
    assert label(due=ISSUANCE, met=False, met_on=None, today=ISSUANCE + 4 * DAY) == "late by 4 days"
    assert label(due=ISSUANCE, met=True, met_on=ISSUANCE, today=ISSUANCE) == "met on 2027-01-18"
    assert label(due=ISSUANCE, met=True, met_on=ISSUANCE + 2 * DAY, today=ISSUANCE) == (
        "met on 2027-01-20, 2 days late"
    )
    assert label(due=ISSUANCE, met=True, met_on=None, today=ISSUANCE) == "met (date not recorded)"
    assert label(due=None, met=False, met_on=None, today=ISSUANCE) == "no milestone"


# --- Each document against its milestones, from the recorded processing ------------------------------


def test_board_reads_registration_submission_and_publication_from_the_history(cop, officer):
    on_time = registered_on(register(cop, title_en="On time", languages=["en", "fr"]), FORECAST)
    submit_on(on_time, "en", SUBMISSION)
    publish_on(on_time, "en", ISSUANCE)
    submit_on(on_time, "fr", SUBMISSION + DAY)
    late = registered_on(register(cop, title_en="Late", languages=["en"]), FORECAST + 2 * DAY)
    info = registered_on(register(cop, Series.INFORMATION, title_en="Info", languages=["en"]), FORECAST)
    today = ISSUANCE + DAY
    board = selectors.milestone_board(meeting=cop, today=today)
    rows = {(r.document.title_en, r.version.language): _states(r) for r in board.rows}
    assert rows == {
        ("On time", "en"): [
            (Milestone.FORECAST, M.MET, FORECAST, 0),
            (Milestone.SUBMISSION, M.MET, SUBMISSION, 0),
            (Milestone.ISSUANCE, M.MET, ISSUANCE, 0),
        ],
        ("On time", "fr"): [
            (Milestone.FORECAST, M.MET, FORECAST, 0),
            (Milestone.SUBMISSION, M.MET_LATE, SUBMISSION + DAY, 1),
            (Milestone.ISSUANCE, M.LATE, None, 1),
        ],
        ("Late", "en"): [
            (Milestone.FORECAST, M.MET_LATE, FORECAST + 2 * DAY, 2),
            (Milestone.SUBMISSION, M.LATE, None, 29),
            (Milestone.ISSUANCE, M.LATE, None, 1),
        ],
        # Information documents of a COP have only their issuance, four weeks ahead.
        ("Info", "en"): [
            (Milestone.FORECAST, M.NOT_SET, None, 0),
            (Milestone.SUBMISSION, M.NOT_SET, None, 0),
            (Milestone.ISSUANCE, M.DUE, None, (INF_ISSUANCE - today).days),
        ],
    }
    # Not required languages are not on the board; languages in the UN's order.
    assert [(r.document.pk, r.version.language) for r in board.rows] == [
        (on_time.pk, "en"), (on_time.pk, "fr"), (late.pk, "en"), (info.pk, "en"),
    ]  # fmt: skip
    assert [c.due for c in board.rows[0].checks] == [FORECAST, SUBMISSION, ISSUANCE]
    assert board.late == {Milestone.FORECAST: 1, Milestone.SUBMISSION: 2, Milestone.ISSUANCE: 2}


def test_a_version_past_submission_without_a_recorded_step_counts_as_submitted(cop):
    document = registered_on(register(cop, languages=["en"]), FORECAST)
    submit_on(document, "en", SUBMISSION)
    services.language_version_start_processing(version=version(document), by=None)
    ProcessingStep.objects.filter(version__document=document).delete()
    (row,) = selectors.milestone_board(meeting=cop, today=SUBMISSION + 5 * DAY).rows
    assert (row.submission.state, row.submission.met_on) == (M.MET, None)


def test_a_resubmission_after_reinstating_counts_from_its_own_step(cop):
    document = registered_on(register(cop, languages=["en"]), FORECAST)
    submit_on(document, "en", SUBMISSION - 10 * DAY)
    services.language_version_mark_not_required(version=version(document), by=None)
    services.language_version_reinstate(version=version(document), by=None)
    (row,) = selectors.milestone_board(meeting=cop, today=SUBMISSION + 3 * DAY).rows
    assert (row.submission.state, row.submission.days) == (M.LATE, 3)
    v = services.language_version_submit(version=version(document), by=None)
    resubmission = ProcessingStep.objects.filter(version=v, to_status=S.SUBMITTED).latest("pk")
    ProcessingStep.objects.filter(pk=resubmission.pk).update(at=at_noon(SUBMISSION + 2 * DAY))
    (row,) = selectors.milestone_board(meeting=cop, today=SUBMISSION + 3 * DAY).rows
    assert (row.submission.state, row.submission.met_on, row.submission.days) == (
        M.MET_LATE, SUBMISSION + 2 * DAY, 2,
    )  # fmt: skip


def test_documents_recorded_as_issued_elsewhere_are_met_on_days_not_recorded(cop):
    document = services.document_record_existing(
        symbol="UNEP/MC/COP.7/INF/40", title_en="Recorded", meeting=cop, languages=["en", "fr"]
    )
    publish_on(document, "en", OPENING + 100 * DAY)
    rows = selectors.milestone_board(meeting=cop, today=OPENING).rows
    assert [(r.version.language, _states(r)) for r in rows] == [
        ("en", [
            (Milestone.FORECAST, M.NOT_SET, None, 0),
            (Milestone.SUBMISSION, M.NOT_SET, None, 0),
            (Milestone.ISSUANCE, M.MET, None, 0),
        ]),
        ("fr", [
            (Milestone.FORECAST, M.NOT_SET, None, 0),
            (Milestone.SUBMISSION, M.NOT_SET, None, 0),
            (Milestone.ISSUANCE, M.LATE, None, 28),
        ]),
    ]  # fmt: skip


def test_other_kinds_of_meeting_fall_back_and_staff_rules_apply_at_once(officer):
    consultation = MeetingFactory(
        kind=MeetingKind.REGIONAL_CONSULTATION, start_date=OPENING, end_date=OPENING
    )
    document = registered_on(register(consultation, languages=["en"]), FORECAST)
    (row,) = selectors.milestone_board(meeting=consultation, today=FORECAST).rows
    assert [c.due for c in row.checks] == [None, None, ISSUANCE]
    rule = services.milestone_rule_save(
        series=Series.WORKING,
        meeting_kind=MeetingKind.REGIONAL_CONSULTATION,
        forecast_weeks=8,
        submission_weeks=8,
        issuance_weeks=2,
        by=officer,
    )
    (row,) = selectors.milestone_board(meeting=consultation, today=FORECAST).rows
    assert [c.due for c in row.checks] == [OPENING - 8 * 7 * DAY, OPENING - 8 * 7 * DAY, OPENING - 14 * DAY]
    services.milestone_rule_delete(rule=rule, by=officer)
    MilestoneRule.objects.filter(meeting_kind="").delete()
    (row,) = selectors.milestone_board(meeting=consultation, today=FORECAST).rows
    assert [c.state for c in row.checks] == [M.NOT_SET] * 3
    assert document.pk == row.document.pk


def test_segments_documents_count_from_their_own_opening(cop):
    resumed = MeetingFactory(
        kind=MeetingKind.COP, parent=cop, start_date=OPENING + 70 * DAY, end_date=OPENING + 72 * DAY,
        symbol_prefix="UNEP/MC/COP.7",
    )  # fmt: skip
    registered_on(register(resumed, languages=["en"]), FORECAST)
    (row,) = selectors.milestone_board(meeting=cop, today=FORECAST).rows
    assert row.issuance.due == ISSUANCE + 70 * DAY


# --- Filters and groups -----------------------------------------------------------------------------


@pytest.fixture
def portfolio(cop, officer, colleague):
    """Amina's document is late in French; Bruno's is on time; one document has no officer."""
    mine = registered_on(register(cop, title_en="Mine", languages=["en", "fr"], officer=officer), FORECAST)
    submit_on(mine, "en", SUBMISSION)
    theirs = registered_on(register(cop, title_en="Theirs", languages=["en"], officer=colleague), FORECAST)
    submit_on(theirs, "en", SUBMISSION - DAY)
    nobody = registered_on(register(cop, Series.INFORMATION, title_en="Nobody's", languages=["es"]), FORECAST)
    return mine, theirs, nobody


def _keys(board):
    return [(r.document.title_en, r.version.language) for r in board.rows]


def test_filters_by_late_milestone_language_officer_and_series(cop, officer, colleague, portfolio):
    today = SUBMISSION + DAY

    def board(**filters):
        return selectors.milestone_board(meeting=cop, today=today, **filters)

    assert _keys(board()) == [("Mine", "en"), ("Mine", "fr"), ("Theirs", "en"), ("Nobody's", "es")]
    assert _keys(board(late=Milestone.SUBMISSION)) == [("Mine", "fr")]
    assert _keys(board(late=Milestone.ISSUANCE)) == []
    assert _keys(board(late=Milestone.FORECAST)) == []
    assert _keys(board(language=Language.ENGLISH)) == [("Mine", "en"), ("Theirs", "en")]
    assert _keys(board(officer=colleague.pk)) == [("Theirs", "en")]
    assert _keys(board(series=Series.INFORMATION)) == [("Nobody's", "es")]
    # Every officer of the meeting's documents is offered, whatever the filter.
    assert board(officer=colleague.pk).officers == [
        (officer.pk, "Amina Diallo"),
        (colleague.pk, "Bruno Costa"),
    ]


def test_groups_by_officer_and_by_language_and_late_counts_by_both(cop, officer, colleague, portfolio):
    today = ISSUANCE + DAY
    by_officer = selectors.milestone_board(meeting=cop, today=today, group="officer")
    assert [
        (g.heading, [(r.document.title_en, r.version.language) for r in g.rows]) for g in by_officer.groups
    ] == [
        ("Amina Diallo", [("Mine", "en"), ("Mine", "fr")]),
        ("Bruno Costa", [("Theirs", "en")]),
        ("No officer assigned", [("Nobody's", "es")]),
    ]
    by_language = selectors.milestone_board(meeting=cop, today=today, group="language")
    assert [(g.heading, len(g.rows)) for g in by_language.groups] == [
        ("English", 2),
        ("French", 1),
        ("Spanish", 1),
    ]
    assert by_officer.late_by_officer == [
        ("Amina Diallo", {"forecast": 0, "submission": 1, "issuance": 2}),
        ("Bruno Costa", {"forecast": 0, "submission": 0, "issuance": 1}),
    ]
    assert by_officer.late_by_language == [
        ("English", {"forecast": 0, "submission": 0, "issuance": 2}),
        ("French", {"forecast": 0, "submission": 1, "issuance": 1}),
    ]
    assert selectors.milestone_board(meeting=cop, today=today).groups[0].heading == ""


# --- The page ----------------------------------------------------------------------------------------


def test_only_documents_staff_open_the_milestones_page(client, cop):
    url = reverse("documents:milestones", args=[cop.code])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(roles=[roles.DELEGATE]))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(roles=[roles.FOCAL_POINT]))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(roles=[roles.BUREAU_MEMBER]))
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[roles.REGISTRATION_OFFICER]))
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[roles.SECRETARIAT_ADMIN]))
    assert client.get(url).status_code == 200
    client.force_login(StaffFactory(roles=[roles.DOCUMENTS_OFFICER]))
    assert client.get(url).status_code == 200
    # The processing dashboard links to it.
    assert url in client.get(reverse("documents:processing", args=[cop.code])).content.decode()


def test_page_shows_each_language_against_each_milestone(client, officer, colleague):
    today = timezone.localdate()
    # Opening in eight weeks: forecast due six weeks ago, submission two weeks ago, issuance in two.
    upcoming = MeetingFactory(kind=MeetingKind.COP, start_date=today + 56 * DAY, end_date=today + 60 * DAY)
    forecast, submission, issuance = today - 42 * DAY, today - 14 * DAY, today + 14 * DAY
    mine = registered_on(
        register(upcoming, title_en="Mine", languages=["en", "fr"], officer=officer), forecast
    )
    submit_on(mine, "en", submission)
    registered_on(register(upcoming, Series.INFORMATION, title_en="Info", languages=["es"]), forecast + DAY)
    client.force_login(officer)
    url = reverse("documents:milestones", args=[upcoming.code])
    response = client.get(url, {"group": "officer"})
    board = response.context["board"]
    assert [g.heading for g in board.groups] == ["Amina Diallo", "No officer assigned"]
    html = response.content.decode()
    assert f'<h3 id="officer-{officer.pk}">Amina Diallo</h3>' in html
    assert '<h3 id="officer-0">No officer assigned</h3>' in html
    assert (
        html.count(
            f'data-milestone="forecast" data-state="met"><small>{forecast}</small><br>met on {forecast}</td>'
        )
        == 2
    )
    assert (
        f'data-milestone="submission" data-state="met"><small>{submission}</small><br>met on {submission}</td>'
        in html
    )
    assert (
        f'data-milestone="submission" data-state="late"><small>{submission}</small><br>late by 14 days</td>'
        in html
    )
    assert (
        html.count(
            f'data-milestone="issuance" data-state="due"><small>{issuance}</small><br>due {issuance} (in 14 days)</td>'
        )
        == 2
    )
    assert html.count('data-state="not_set">no milestone</td>') == 2
    # What is late, by officer and by language.
    assert '<tr><th scope="row">Amina Diallo</th><td>0</td><td>1</td><td>0</td></tr>' in html
    assert '<tr><th scope="row">French</th><td>0</td><td>1</td><td>0</td></tr>' in html
    late_only = client.get(url, {"late": "submission", "officer": officer.pk}).context["board"]
    assert _keys(late_only) == [("Mine", "fr")]
    assert client.get(url, {"officer": colleague.pk}).context["board"].rows == []
    assert "Nothing is late." in client.get(url, {"officer": colleague.pk}).content.decode()


def test_export_gives_each_language_against_each_milestone_with_the_filters(client, cop, officer, portfolio):
    url = reverse("documents:milestones_xlsx", args=[cop.code])
    client.force_login(StaffFactory(roles=[roles.REGISTRATION_OFFICER]))
    assert client.get(url).status_code == 403
    client.force_login(officer)
    response = client.get(url, {"language": "en"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="cop-7-documents-milestones.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Symbol", "Title", "Language", "Responsible officer", "Forecast date", "Forecast",
        "Submission to conference services date", "Submission to conference services", "Issuance date",
        "Issuance",
    )  # fmt: skip
    mine, theirs, _nobody = portfolio
    assert rows[1][:4] == (mine.symbol, "Mine", "English", "Amina Diallo")
    assert [value.date() if isinstance(value, dt.datetime) else value for value in rows[1][4:]] == [
        FORECAST, f"met on {FORECAST}", SUBMISSION, f"met on {SUBMISSION}", ISSUANCE,
        selectors.milestone_state(
            milestone=Milestone.ISSUANCE, due=ISSUANCE, met=False, met_on=None, today=timezone.localdate()
        ).label,
    ]  # fmt: skip
    assert rows[2][:4] == (theirs.symbol, "Theirs", "English", "Bruno Costa")
    assert len(rows) == 3


def test_page_refuses_unknown_filter_values_with_400(client, cop, officer):
    client.force_login(officer)
    url = reverse("documents:milestones", args=[cop.code])
    for parameter, bad in (("late", "overdue"), ("group", "series"), ("language", "de"), ("officer", "x"),
                           ("series", "Add")):  # fmt: skip
        response = client.get(url, {parameter: bad})
        assert response.status_code == 400, parameter
        assert parameter in response.content.decode()
    assert client.get(url, {"late": "", "group": "", "officer": ""}).status_code == 200


def test_page_query_count_does_not_grow(client, cop, officer, colleague, django_assert_num_queries):
    client.force_login(officer)
    url = reverse("documents:milestones", args=[cop.code])
    for n in (2, 9):
        while cop.documents.count() < n:
            document = register(cop, languages=["en", "fr", "es"], officer=[officer, colleague][n % 2])
            submit_on(document, "en", SUBMISSION)
        # Session, user, two-factor check, two permission reads, savepoints, meeting; then rules,
        # documents with meeting and officer, versions with their latest submission.
        with django_assert_num_queries(11):
            assert len(client.get(url, {"group": "officer"}).context["board"].rows) == 3 * n


# --- The responsible officer and the admin ------------------------------------------------------------


def test_only_an_active_secretariat_member_answers_for_a_document(cop, officer):
    delegate = UserFactory(roles=[roles.DELEGATE])
    with pytest.raises(ValidationError) as refused:
        register(cop, officer=delegate)
    assert refused.value.message_dict == {
        "officer": [f"{delegate} is not an active member of the secretariat."]
    }
    document = register(cop, officer=officer)
    officer.is_active = False
    officer.save()
    with pytest.raises(ValidationError) as refused:
        services.document_update(document=document, officer=officer)
    assert refused.value.message_dict == {
        "officer": [f"{officer} is not an active member of the secretariat."]
    }
    services.document_update(document=document, officer=None)
    document.refresh_from_db()
    assert document.officer is None


@pytest.fixture
def admin_client(client):
    client.staff = StaffFactory(roles=[roles.DOCUMENTS_OFFICER])
    client.force_login(client.staff)
    return client


def test_admin_changes_a_rule_through_the_service_with_history(admin_client, cop):
    rule = MilestoneRule.objects.get(series=Series.WORKING, meeting_kind=MeetingKind.COP)
    url = reverse("admin:documents_milestonerule_change", args=[rule.pk])
    data = admin_post_data(admin_client.get(url))
    assert admin_client.post(url, {**data, "issuance_weeks": "7"}).status_code == 302
    rule.refresh_from_db()
    assert (rule.forecast_weeks, rule.submission_weeks, rule.issuance_weeks) == (14, 10, 7)
    assert rule.history.latest().history_user == admin_client.staff
    registered_on(register(cop, languages=["en"]), FORECAST)
    (row,) = selectors.milestone_board(meeting=cop, today=FORECAST).rows
    assert row.issuance.due == OPENING - 7 * 7 * DAY


def test_admin_explains_refusals_on_their_field_once(admin_client):
    add = reverse("admin:documents_milestonerule_add")
    response = admin_client.post(
        add, {"series": "working", "meeting_kind": "cop", "forecast_weeks": "", "submission_weeks": "",
              "issuance_weeks": "4"},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("There is already a rule for this series and kind of meeting.") == 1
    response = admin_client.post(
        add, {"series": "CRP", "meeting_kind": "", "forecast_weeks": "2", "submission_weeks": "3",
              "issuance_weeks": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert (
        response.content.decode().count(
            "The forecast cannot come after the submission to conference services."
        )
        == 1
    )
    assert MilestoneRule.objects.count() == 3
    response = admin_client.post(
        add, {"series": "CRP", "meeting_kind": "", "forecast_weeks": "", "submission_weeks": "",
              "issuance_weeks": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    created = MilestoneRule.objects.get(series="CRP")
    assert (created.meeting_kind, created.issuance_weeks) == ("", 0)
    delete = reverse("admin:documents_milestonerule_delete", args=[created.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not MilestoneRule.objects.filter(series="CRP").exists()
    assert [h.history_type for h in MilestoneRule.history.filter(id=created.pk).order_by("history_id")] == [
        "+",
        "-",
    ]


def test_admin_sets_the_responsible_officer_of_a_document(admin_client, cop, officer):
    document = register(cop)
    url = reverse("admin:documents_document_change", args=[document.pk])
    data = admin_post_data(admin_client.get(url))
    assert admin_client.post(url, {**data, "officer": str(officer.pk)}).status_code == 302
    document.refresh_from_db()
    assert document.officer == officer
    assert document.history.latest().officer_id == officer.pk
    delegate = UserFactory(roles=[roles.DELEGATE])
    refused = admin_client.post(url, {**data, "officer": str(delegate.pk)})
    assert refused.status_code == 200
    assert "Select a valid choice." in refused.content.decode()
    gone = StaffFactory(
        roles=[roles.DOCUMENTS_OFFICER], first_name="Carla", last_name="Gone", is_active=False
    )
    refused = admin_client.post(url, {**data, "officer": str(gone.pk)})
    assert refused.status_code == 200
    assert "Carla Gone is not an active member of the secretariat." in refused.content.decode()
    document.refresh_from_db()
    assert document.officer == officer


def test_registration_officer_cannot_change_rules(client):
    client.force_login(StaffFactory(roles=[roles.REGISTRATION_OFFICER]))
    assert client.get(reverse("admin:documents_milestonerule_changelist")).status_code == 403
