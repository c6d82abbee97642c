from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minamata_portal.access import load_or_404, public, rule_required
from minamata_portal.files import stored_file_response
from minamata_portal.forms import form_add_service_errors
from minamata_portal.params import choice_param, id_param, year_param
from minamata_portal.pdf import render_pdf
from minamata_portal.publiccache import cached_for_visitors
from minamata_portal.ratelimit import over_limit
from reference.enums import RegionalGroup

from . import calendars, selectors
from .enums import SIDE_EVENT_TRANSITIONS, MeetingKind, SideEventStatus
from .forms import SideEventDeclineForm, SideEventRequestForm, SideEventScheduleForm
from .services import side_events

_load_meeting = load_or_404(selectors.meeting_detail)
_load_side_event = load_or_404(selectors.side_event_detail)
_load_meeting_page = load_or_404(selectors.meeting_page)
_load_information_file = load_or_404(selectors.participant_information_file)
_load_material = load_or_404(selectors.meeting_material)
_load_series = load_or_404(selectors.event_series_detail)


@public
@cached_for_visitors(params=("kind", "year", "region", "group"))
def meeting_list(request):
    kind = choice_param(request.GET, "kind", MeetingKind.values)
    year = year_param(request.GET, "year")
    region = choice_param(request.GET, "region", RegionalGroup.values)
    group = id_param(request.GET, "group")
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "meetings": list(selectors.meeting_list(kind=kind, year=year, region=region, expert_group=group)),
            "groups": selectors.expert_groups(),
            "group": group,
            "kinds": MeetingKind.choices,
            "kind": kind,
            "years": selectors.meeting_years(),
            "year": year,
            "regions": [c for c in RegionalGroup.choices if c[0] != RegionalGroup.NONE],
            "region": region,
        },
    )


@public
@cached_for_visitors
def series_list(request):
    """The series of online events ("Minamata Online", webinars, online events before a COP)."""
    return render(request, "meetings/series_list.html", {"series_list": selectors.event_series_list()})


@public
@cached_for_visitors
def series_detail(request, code):
    """A series with its events in date order: registration while open, then each event's
    recording, summary and published materials on its own page."""
    series = _load_series(request, code=code)
    return render(
        request,
        "meetings/series_detail.html",
        {"series": series, "events": selectors.event_series_events(series)},
    )


@public
@cached_for_visitors
def meeting_detail(request, code):
    meeting = _load_meeting_page(request, code=code)
    versions = selectors.agenda_versions_visible(meeting=meeting, user=request.user)
    version = selectors.agenda_version_current(versions=versions)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "segments": selectors.meeting_segments(meeting),
            "agenda": version,
            "agenda_items": selectors.agenda_items(version) if version else [],
            "days": selectors.programme_days(meeting),
            "side_events": selectors.side_events_public(meeting),
            "contributions": selectors.meeting_contributions(meeting),
            "partners": selectors.meeting_partners(meeting),
            "back_to_back": selectors.meetings_back_to_back(meeting),
            "requests_open": meeting.accepts_side_event_requests,
            "scope": selectors.meeting_scope(meeting),
            "materials": selectors.meeting_materials_public(meeting),
        },
    )


@public
@cached_for_visitors
def participant_information(request, code):
    """The meeting's information for participants in the visitor's language, a section not
    written in it shown in English with a note, a section with neither text nor files left out."""
    meeting = _load_meeting(request, code=code)
    language = selectors.information_language(translation.get_language())
    return render(
        request,
        "meetings/participant_information.html",
        {
            "meeting": meeting,
            "language": language,
            "sections": selectors.participant_information(meeting=meeting, language=language),
        },
    )


@public
def participant_information_file(request, code, pk):
    """A file of the information for participants: public like the page, typed by the kind its
    bytes were checked as (a PDF shown in the browser, a Word document downloaded)."""
    record = _load_information_file(request, code=code, pk=pk)
    information = record.information
    name = f"{code}-{information.section}-{information.language}-{record.pk}"
    return stored_file_response(record.file, kind=record.kind, name=name, inline=True)


@rule_required("meetings.view_material", load=_load_material, hide=True, anonymous=True)
def material_file(request, material, code, pk):
    """A meeting's material (presentation, statement, photo): for everyone once published, for the
    secretariat before; anyone else gets 404, as if it did not exist. Typed by the kind its bytes
    were checked as (a PDF shown in the browser, anything else downloaded)."""
    return stored_file_response(
        material.file, kind=material.file_kind, name=f"{code}-{material.kind}-{material.pk}", inline=True
    )


@public
@cached_for_visitors(params=("annotated",))
def agenda(request, code, number=None):
    meeting = _load_meeting(request, code=code)
    versions = selectors.agenda_versions_visible(meeting=meeting, user=request.user)
    version = selectors.agenda_version_current(versions=versions, number=number)
    if number is not None and version is None:
        raise Http404(_("No such agenda version."))
    return render(
        request,
        "meetings/agenda.html",
        {
            "meeting": meeting,
            "versions": versions,
            "version": version,
            "items": selectors.agenda_items(version) if version else [],
            "annotated": request.GET.get("annotated") == "1",
        },
    )


@public
@cached_for_visitors
def programme(request, code):
    meeting = _load_meeting(request, code=code)
    return render(
        request, "meetings/programme.html", {"meeting": meeting, "days": selectors.programme_days(meeting)}
    )


@public
def programme_pdf(request, code):
    meeting = _load_meeting(request, code=code)
    pdf = render_pdf(
        "meetings/programme_pdf.html", {"meeting": meeting, "days": selectors.programme_days(meeting)}
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="programme-{meeting.code}.pdf"'
    return response


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public
@cached_for_visitors
def calendar_all(request):
    meetings = selectors.meetings_for_calendar()
    return _ics(calendars.meetings_calendar(meetings, name="Minamata Convention meetings"), "meetings.ics")


@public
@cached_for_visitors
def calendar_kind(request, kind):
    if kind not in MeetingKind.values:
        raise Http404(_("No such kind of meeting."))
    with translation.override("en"):
        name = f"Minamata Convention: {MeetingKind(kind).label}"
    return _ics(
        calendars.meetings_calendar(selectors.meetings_for_calendar(kind=kind), name=name), f"{kind}.ics"
    )


@public
@cached_for_visitors
def programme_ics(request, code):
    meeting = _load_meeting(request, code=code)
    sessions = selectors.programme_sessions(meeting)
    return _ics(calendars.programme_calendar(meeting, sessions), f"programme-{meeting.code}.ics")


# ---------------------------------------------------------------------------------------------
# Side events


@public
@cached_for_visitors
def side_event_list(request, code):
    meeting = _load_meeting(request, code=code)
    return render(
        request,
        "meetings/side_event_list.html",
        {
            "meeting": meeting,
            "side_events": selectors.side_events_public(meeting),
            "requests_open": meeting.accepts_side_event_requests,
        },
    )


SIDE_EVENT_REQUESTS_PER_HOUR = 5


def _side_event_request_allowed(request) -> bool:
    """The form mails an acknowledgement to whatever address is typed in: without a limit per
    client it could send the portal's mail to strangers in bulk."""
    return not over_limit(
        request, scope="side-event-requests", limit=SIDE_EVENT_REQUESTS_PER_HOUR, seconds=3600
    )


@public
@require_http_methods(["GET", "POST"])
def side_event_request(request, code):
    meeting = _load_meeting(request, code=code)
    if not meeting.accepts_side_event_requests:
        messages.info(request, _("Side-event requests for this meeting are closed."))
        return redirect("meetings:side_events", code=meeting.code)
    form = SideEventRequestForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        if not _side_event_request_allowed(request):
            form.add_error(
                None, _("Too many requests from your address in the last hour; please try again later.")
            )
            return render(
                request, "meetings/side_event_request.html", {"meeting": meeting, "form": form}, status=429
            )
        try:
            side_events.side_event_submit(
                meeting=meeting,
                language=translation.get_language()[:2],
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return redirect("meetings:side_event_requested", code=meeting.code)
    return render(request, "meetings/side_event_request.html", {"meeting": meeting, "form": form})


@public
def side_event_requested(request, code):
    meeting = _load_meeting(request, code=code)
    return render(request, "meetings/side_event_requested.html", {"meeting": meeting})


@rule_required("meetings.review_side_events", load=_load_meeting)
def side_event_review_list(request, meeting, code):
    status = choice_param(request.GET, "status", SideEventStatus.values)
    return render(
        request,
        "meetings/side_event_review_list.html",
        {
            "meeting": meeting,
            "side_events": selectors.side_events_for_review(meeting=meeting, status=status),
            "statuses": SideEventStatus.choices,
            "status": status,
        },
    )


@rule_required("meetings.review_side_events", load=_load_side_event)
@require_http_methods(["GET", "POST"])
def side_event_review(request, side_event, pk):
    """Approve, decline or schedule a request: the form's `action` names a move of
    `SIDE_EVENT_TRANSITIONS`; the page offers the moves open from its status (`can_<action>`)."""
    action = request.POST.get("action") if request.method == "POST" else None
    decline_form = SideEventDeclineForm(request.POST if action == "decline" else None)
    schedule_form = SideEventScheduleForm(
        request.POST if action == "schedule" else None, side_event=side_event
    )
    if action in SIDE_EVENT_TRANSITIONS:
        form = {"decline": decline_form, "schedule": schedule_form}.get(action)
        if form is None or form.is_valid():
            try:
                if action == "approve":
                    side_events.side_event_approve(side_event=side_event, by=request.user)
                elif action == "decline":
                    side_events.side_event_decline(
                        side_event=side_event, reason=form.cleaned_data["reason"], by=request.user
                    )
                else:
                    side_events.side_event_schedule(
                        side_event=side_event,
                        slot=form.cleaned_data["slot"],
                        room=form.cleaned_data["room"],
                        by=request.user,
                    )
            except ValidationError as error:
                if form is None:
                    messages.error(request, " ".join(error.messages))
                else:
                    form_add_service_errors(form, error)
            else:
                side_event.refresh_from_db()
                messages.success(
                    request,
                    _("“%(title)s” is now %(status)s; the organiser has been told by e-mail.")
                    % {"title": side_event.title, "status": side_event.get_status_display().lower()},
                )
                return redirect("meetings:side_event_review", pk=side_event.pk)
    return render(
        request,
        "meetings/side_event_review.html",
        {
            "side_event": side_event,
            "meeting": side_event.meeting,
            "preferred_slots": selectors.side_event_preferred_slots(side_event),
            "decline_form": decline_form,
            "schedule_form": schedule_form,
        },
    )
