import rules
import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from accounts.navigation import session_roles_remember
from accounts.rules import focal_point_country_ids
from accounts.services import user_correspondence_language_set
from meetings.models import Meeting
from minamata_portal.access import load_or_404, rule_required
from minamata_portal.files import stored_file_response
from minamata_portal.forms import form_add_service_errors, messages_add_service_errors
from minamata_portal.params import choice_param, path_text_or_404
from minamata_portal.pdf import render_pdf
from minamata_portal.uploads import FileKind
from reference.models import Country

from . import selectors
from .badge_forms import BadgePhotoForm
from .badges import Sheet, badges_pdf
from .charts import bar_chart
from .enums import ParticipationMode
from .forms import (
    AttendanceRecordForm,
    AttendanceReportForm,
    CheckInForm,
    DeclineForm,
    NominationForm,
    ObserverApplicationForm,
    ParticipationModeForm,
    PreRegistrationForm,
    RegistrationForm,
    SeatRegistrationForm,
    VisaRequestForm,
    registration_initial,
)
from .models import RegistrationRequest
from .resources import list_of_participants_pdf as list_of_participants_document
from .resources import list_of_participants_xlsx as list_of_participants_sheet
from .services import attendance as attendance_services
from .services import badges as badge_services
from .services import focal_points as focal_point_services
from .services import observers as observer_services
from .services import participation as participation_services
from .services import registration as registration_services
from .services import seats
from .services import visas as visa_services

_registration = load_or_404(selectors.registration_by_pk)
_state_by_iso3 = load_or_404(selectors.state_by_iso3)


def _country(request, **url):
    # A code that cannot name a State (NUL, which PostgreSQL refuses in a query) answers 404.
    path_text_or_404(url["iso3"], max_length=3)
    return _state_by_iso3(request, **url)


_nomination_letter = load_or_404(selectors.nomination_letter_by_pk)
_registration_request = load_or_404(selectors.registration_request_by_pk)


registration_staff = rule_required("participants.manage_registrations")


# --- Delegates ----------------------------------------------------------------------------------


@rule_required("participants.register")
def meeting_register(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    if selectors.is_registered(meeting=meeting, user=request.user):
        messages.info(request, _("You are already registered for this meeting."))
        return redirect("participants:mine")
    if not selectors.registration_is_open(meeting):
        return render(request, "participants/register_closed.html", {"meeting": meeting}, status=403)
    if meeting.takes_seats:
        return _take_seat(request, meeting)
    form = RegistrationForm(request.POST or None, meeting=meeting, initial=registration_initial(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                registration_services.registration_create(
                    meeting=meeting, user=request.user, by=request.user, **form.service_data()
                )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("You are registered. Your State's focal point will nominate you."))
            return redirect("participants:mine")
    return render(request, "participants/register.html", {"meeting": meeting, "form": form})


def _take_seat(request, meeting):
    """An event of a series of online events: a seat, confirmed at once while seats remain."""
    left = selectors.seats_left(meeting)
    if left == 0 and request.method != "POST":
        messages.error(
            request,
            _("All %(seats)s seats of “%(meeting)s” are taken: no more registrations can be accepted.")
            % {"seats": meeting.seats, "meeting": meeting.title},
        )
        return redirect(meeting.get_absolute_url())
    form = SeatRegistrationForm(
        request.POST or None, meeting=meeting, initial=registration_initial(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = seats.registration_take_seat(
                meeting=meeting, user=request.user, by=request.user, **form.service_data()
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if selectors.online_connections(registration=registration):
                messages.success(
                    request, _("Your seat is confirmed. The join link has been e-mailed to you.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your seat is confirmed. The join link will be e-mailed to you as soon as it is available."
                    ),
                )
            return redirect("participants:mine")
    return render(
        request, "participants/register.html", {"meeting": meeting, "form": form, "seats_left": left}
    )


@rule_required("participants.register")
def my_registrations(request):
    registrations = list(selectors.my_registrations(user=request.user))
    connections = selectors.online_connections_of(registrations)
    history = selectors.registration_status_history(registrations=registrations)
    for registration in registrations:
        # Only the accredited online participant's own: nobody else sees a join link.
        registration.connections = connections.get(registration.pk, [])
        registration.status_history = history.get(registration.pk, [])
    registered = {registration.meeting_id for registration in registrations}
    return render(
        request,
        "participants/my_registrations.html",
        {
            "registrations": registrations,
            "requests": list(selectors.pending_registration_requests(user=request.user)),
            # The rule itself, not the backends: Django's ModelBackend would first load the user's
            # model permissions, two queries this page does not need.
            "is_focal_point": rules.has_perm("participants.act_as_focal_point", request.user),
            # "Register" only where they are not registered yet (one registration per meeting).
            "open_meetings": [
                meeting
                for meeting in selectors.meetings_open_for_registration()
                if meeting.pk not in registered
            ],
            "correspondence_languages": request.user.Language.choices,
        },
    )


@rule_required("participants.edit_own_registration", load=_registration, hide=True)
def registration_edit(request, registration, pk):
    if not request.user.has_perm("participants.change_own_registration", registration):
        # Their own, but its meeting is over: say so rather than a bare refusal.
        try:
            registration_services.registration_meeting_over_check(registration=registration)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("participants:mine")
    if not registration.is_editable_by_delegate:
        messages.error(request, _("This registration can no longer be changed."))
        return redirect("participants:mine")
    form = RegistrationForm(request.POST or None, instance=registration, meeting=registration.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                # The form has set the values on the instance already; the service re-checks them.
                registration_services.registration_update(
                    registration=registration, by=request.user, **form.service_data()
                )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Your registration has been updated."))
            return redirect("participants:mine")
    return render(request, "participants/register.html", {"meeting": registration.meeting, "form": form})


@rule_required("participants.answer_registration_request", load=_registration_request, hide=True)
@require_POST
def registration_request_accept(request, registration_request, pk):
    try:
        focal_point_services.registration_request_accept(request=registration_request, by=request.user)
    except ValidationError as exc:
        messages_add_service_errors(request, exc)
    else:
        messages.success(
            request,
            _("You are registered in the delegation of %(state)s. Its focal point will nominate you.")
            % {"state": registration_request.country.name},
        )
    return redirect("participants:mine")


@rule_required("participants.answer_registration_request", load=_registration_request, hide=True)
@require_POST
def registration_request_refuse(request, registration_request, pk):
    try:
        focal_point_services.registration_request_refuse(request=registration_request, by=request.user)
    except ValidationError as exc:
        messages_add_service_errors(request, exc)
    else:
        messages.success(request, _("You have refused the request. Nothing was registered in your name."))
    return redirect("participants:mine")


@rule_required("participants.edit_own_registration", load=_registration, hide=True)
@require_POST
def registration_withdraw(request, registration, pk):
    try:
        withdrawn = registration_services.registration_withdraw(registration=registration, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if withdrawn.meeting.takes_seats:
            messages.success(request, _("You gave up your seat: someone else may take it."))
        else:
            messages.success(request, _("Your registration has been withdrawn."))
    return redirect("participants:mine")


# --- Focal points -------------------------------------------------------------------------------


@rule_required("participants.register")
@require_POST
def correspondence_language_set(request):
    """The person's own language of correspondence (a focal point's invitations, account mails),
    from "My registrations" or the focal point's page; back to the page it was set from."""
    try:
        user_correspondence_language_set(user=request.user, language=request.POST.get("language", ""))
    except ValidationError as exc:
        messages_add_service_errors(request, exc)
    else:
        messages.success(
            request,
            _("Letters and e-mails to you are now written in %(language)s.")
            % {"language": request.user.get_preferred_language_display()},
        )
    return redirect("participants:fp_home" if request.POST.get("back") == "fp_home" else "participants:mine")


@rule_required("participants.act_as_focal_point")
def focal_point_home(request):
    countries = Country.objects.filter(pk__in=focal_point_country_ids(request.user))
    # Per State, only the meetings whose scope includes it (not another region's consultation).
    return render(
        request,
        "participants/fp_home.html",
        {
            "countries": countries,
            "meetings_by_state": selectors.focal_point_meetings_by_state(countries=countries),
            "correspondence_languages": request.user.Language.choices,
        },
    )


@rule_required("participants.nominate_for_country", load=_country, hide=True)
def focal_point_state(request, country, code, iso3):
    meeting = get_object_or_404(Meeting, code=code)
    registrations = list(selectors.state_registrations(meeting=meeting, country=country))
    letters = selectors.state_nomination_letters(meeting=meeting, country=country)
    requests = list(selectors.state_registration_requests(meeting=meeting, country=country))
    modes = selectors.participation_modes(meeting)
    return render(
        request,
        "participants/fp_state.html",
        {"meeting": meeting, "country": country, "registrations": registrations, "letters": letters,
         "requests": requests, "modes": modes,
         "mode_choices": [(value, ParticipationMode(value).label) for value in modes]},
    )  # fmt: skip


@rule_required("participants.nominate_for_country", load=_country, hide=True)
def focal_point_pre_register(request, country, code, iso3):
    meeting = get_object_or_404(Meeting, code=code)
    form = PreRegistrationForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            with transaction.atomic():
                made = focal_point_services.focal_point_pre_register(
                    meeting=meeting, country=country, by=request.user, email=data.pop("email"), **data
                )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if isinstance(made, RegistrationRequest):
                messages.success(
                    request,
                    _("%(email)s already has an account: they have been asked to join the delegation and "
                      "are registered once they accept.") % {"email": made.user.email},
                )  # fmt: skip
            else:
                messages.success(request, _("The delegate has been pre-registered."))
            return redirect("participants:fp_state", code=meeting.code, iso3=country.iso3)
    return render(
        request, "participants/fp_pre_register.html", {"meeting": meeting, "country": country, "form": form}
    )


@rule_required("participants.nominate_registration", load=_registration, hide=True)
def focal_point_nominate(request, registration, pk):
    letters = selectors.state_nomination_letters(meeting=registration.meeting, country=registration.country)
    form = NominationForm(request.POST or None, request.FILES or None, letters=letters)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                letter = form.cleaned_data["existing_letter"]
                if form.cleaned_data["letter"]:
                    letter = focal_point_services.nomination_letter_upload(
                        meeting=registration.meeting, country=registration.country,
                        uploaded=form.cleaned_data["letter"], by=request.user,
                    )  # fmt: skip
                registration_services.registration_nominate(
                    registration=registration, by=request.user, letter=letter, role=form.cleaned_data["role"]
                )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been nominated.") % {"name": registration.full_name})
            return redirect(
                "participants:fp_state", code=registration.meeting.code, iso3=registration.country.iso3
            )
    return render(request, "participants/fp_nominate.html", {"registration": registration, "form": form})


@rule_required("participants.nominate_registration", load=_registration, hide=True)
def focal_point_decline(request, registration, pk):
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_services.registration_decline(
                registration=registration,
                by=request.user,
                reason=form.cleaned_data["reason"],
                as_focal_point=True,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s has been declined.") % {"name": registration.full_name})
        return redirect(
            "participants:fp_state", code=registration.meeting.code, iso3=registration.country.iso3
        )
    return render(request, "participants/fp_decline.html", {"registration": registration, "form": form})


@rule_required("participants.nominate_registration", load=_registration, hide=True)
@require_POST
def focal_point_change_mode(request, registration, pk):
    form = ParticipationModeForm(request.POST)
    if form.is_valid():
        try:
            participation_services.registration_change_mode(
                registration=registration, mode=form.cleaned_data["participation_mode"], by=request.user
            )
        except ValidationError as exc:
            messages_add_service_errors(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s now takes part: %(mode)s.")
                % {"name": registration.full_name, "mode": registration.get_participation_mode_display()},
            )
    return redirect("participants:fp_state", code=registration.meeting.code, iso3=registration.country.iso3)


@rule_required("participants.withdraw_registration_request", load=_registration_request, hide=True)
@require_POST
def focal_point_request_withdraw(request, registration_request, pk):
    try:
        focal_point_services.registration_request_withdraw(request=registration_request, by=request.user)
    except ValidationError as exc:
        messages_add_service_errors(request, exc)
    else:
        messages.success(request, _("The request has been withdrawn."))
    return redirect(
        "participants:fp_state",
        code=registration_request.meeting.code,
        iso3=registration_request.country.iso3,
    )


@rule_required("participants.view_nomination_letter", load=_nomination_letter, hide=True)
def nomination_letter_download(request, letter, pk):
    # A nomination letter is refused unless its bytes are a PDF (nomination_letter_check). It names
    # the State's delegates: never cached.
    return stored_file_response(letter.file, kind=FileKind.PDF, name=f"nomination-{letter.pk}", personal=True)


@rule_required("participants.accept_focal_point_invitation")
def focal_point_accept(request, token):
    if request.method == "POST":
        try:
            focal_point = focal_point_services.focal_point_invitation_accept(token=token, user=request.user)
        except ValidationError as exc:
            return render(
                request, "participants/fp_accept.html", {"error": " ".join(exc.messages)}, status=403
            )
        messages.success(
            request, _("You now act as focal point for %(state)s.") % {"state": focal_point.country.name}
        )
        # The navigation shows the new role's pages from now on, not from the next sign-in.
        session_roles_remember(request, request.user)
        return redirect("participants:fp_home")
    try:  # Say at once when the link cannot be used (used, someone else's, expired).
        focal_point_services.focal_point_invitation_check(token=token, user=request.user)
    except ValidationError as exc:
        return render(request, "participants/fp_accept.html", {"error": " ".join(exc.messages)}, status=403)
    return render(request, "participants/fp_accept.html", {})


# --- Staff: badges and check-in ---------------------------------------------------------------


@rule_required("participants.issue_badge", load=_registration)
@require_POST
def badge_issue(request, registration, pk):
    try:
        badge_services.registration_issue_badge(registration=registration, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("admin:participants_registration_change", registration.pk)
    return redirect("participants:badge", pk=registration.pk)


@rule_required("participants.issue_badge")
@require_POST
def badges_issue(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    try:
        result = badge_services.registration_issue_badges(meeting=meeting, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("participants:badges", code=meeting.code)
    messages.success(request, _("%(count)s badge(s) issued.") % {"count": result.issued})
    if result.online:
        messages.info(
            request,
            _("%(count)s accredited participant(s) take part online and get no badge.")
            % {"count": result.online},
        )
    if result.skipped:
        messages.warning(
            request,
            _("%(count)s registration(s) were no longer accredited and got no badge.")
            % {"count": result.skipped},
        )
    return redirect("participants:badges", code=meeting.code)


# Printing reads only: issuing is a POST of its own (badge_issue, badges_issue). The PDFs are
# rendered outside the request's transaction (ATOMIC_REQUESTS), which would stay open meanwhile.
# `?sheet=a4`: four cards on each A4 sheet, with cut marks; A6 cards (one a page) otherwise.
@transaction.non_atomic_requests
@rule_required("participants.issue_badge", load=_registration)
def badge(request, registration, pk):
    if not registration.has_badge:
        messages.error(request, _("Issue the badge of %(name)s first.") % {"name": registration.full_name})
        return redirect("admin:participants_registration_change", registration.pk)
    sheet = choice_param(request.GET, "sheet", Sheet.choices, default=Sheet.A6)
    pdf = badges_pdf(meeting=registration.meeting, registrations=[registration], sheet=sheet)
    return _pdf_response(pdf, f"badge-{registration.pk}.pdf")


@transaction.non_atomic_requests
@rule_required("participants.issue_badge")
def badges_batch(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    sheet = choice_param(request.GET, "sheet", Sheet.choices, default=Sheet.A6)
    pdf = badges_pdf(meeting=meeting, registrations=selectors.badge_holders(meeting=meeting), sheet=sheet)
    return _pdf_response(pdf, f"badges-{meeting.code}.pdf")


# The badge photo: its delegate uploads it from "My registrations" (the secretariat from the
# admin); it is personal, so it is served only to them, never cached, never under a media URL.
@rule_required("participants.change_badge_photo", load=_registration)
@require_POST
def badge_photo_upload(request, registration, pk):
    form = BadgePhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            badge_services.registration_set_badge_photo(
                registration=registration, uploaded=form.cleaned_data["photo"], by=request.user
            )
        except ValidationError as exc:
            messages_add_service_errors(request, exc)
        else:
            messages.success(request, _("Your badge photo is saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, _("Badge photo: %(error)s") % {"error": error})
    if registration.user_id == request.user.pk:
        return redirect("participants:mine")
    return redirect("admin:participants_registration_change", registration.pk)


@rule_required("participants.change_badge_photo", load=_registration)
@require_POST
def badge_photo_remove(request, registration, pk):
    try:
        badge_services.registration_remove_badge_photo(registration=registration, by=request.user)
    except ValidationError as exc:
        messages_add_service_errors(request, exc)
    else:
        messages.success(request, _("Your badge photo is removed: the badge prints without one."))
    if registration.user_id == request.user.pk:
        return redirect("participants:mine")
    return redirect("admin:participants_registration_change", registration.pk)


@rule_required("participants.view_badge_photo", load=_registration)
@require_GET
def badge_photo(request, registration, pk):
    if not registration.photo:
        raise Http404  # an <img src>: nothing to show, and a GET writes no message
    with registration.photo.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="badge-photo-{registration.pk}.jpg"'
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


def _pdf_response(pdf: bytes, filename: str, *, inline=True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@rule_required("participants.check_in")
def check_in(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    form = CheckInForm(request.POST or None)
    checked = None
    if request.method == "POST" and form.is_valid():
        try:
            registration, first = badge_services.registration_check_in(
                meeting=meeting, token=form.cleaned_data["token"], by=request.user
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            checked = {"registration": registration, "first": first}
            form = CheckInForm()
    return render(
        request, "participants/check_in.html", {"meeting": meeting, "form": form, "checked": checked}
    )


# --- Staff: attendance of online participants ---------------------------------------------------


def _attendance_page(request, meeting, *, report_form=None, record_form=None, imported=None, status=200):
    stats = selectors.meeting_statistics(meeting=meeting)
    return render(
        request,
        "participants/attendance.html",
        {
            "meeting": meeting,
            "report_form": report_form or AttendanceReportForm(),
            "record_form": record_form
            or AttendanceRecordForm(registrations=selectors.accredited_participants(meeting=meeting)),
            "imported": imported,
            "days": stats["days"],
            "rows": selectors.attendance_of_meeting(meeting=meeting),
            "online_count": selectors.online_participants(meeting=meeting).count(),
            "has_join_details": bool(meeting.online_join_url or meeting.online_join_details)
            or meeting.segments.exclude(online_join_url="", online_join_details="").exists(),
        },
        status=status,
    )


@rule_required("participants.record_attendance")
@require_GET
def attendance(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    return _attendance_page(request, meeting)


@rule_required("participants.record_attendance")
@require_POST
def attendance_import(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    form = AttendanceReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():
                imported = attendance_services.attendance_import(
                    meeting=meeting, uploaded=form.cleaned_data["file"], by=request.user
                )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Attendance report imported: %(created)s day(s) recorded, %(merged)s merged with days already "
                  "recorded.") % {"created": imported.created, "merged": imported.merged},
            )  # fmt: skip
            return _attendance_page(request, meeting, imported=imported)
    return _attendance_page(request, meeting, report_form=form, status=400)


@rule_required("participants.record_attendance")
@require_POST
def attendance_record(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    form = AttendanceRecordForm(
        request.POST, registrations=selectors.accredited_participants(meeting=meeting)
    )
    if form.is_valid():
        try:
            row, _created = attendance_services.attendance_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s recorded present on %(day)s (%(mode)s).")
                % {"name": row.registration.full_name, "day": row.day, "mode": row.get_mode_display()},
            )
            return redirect("participants:attendance", code=meeting.code)
    return _attendance_page(request, meeting, record_form=form, status=400)


@rule_required("participants.record_attendance")
@require_POST
def online_details_send(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    sent = participation_services.online_details_send(meeting=meeting, by=request.user)
    messages.success(
        request, _("Connection details sent to %(count)s online participant(s).") % {"count": sent}
    )
    return redirect("participants:attendance", code=meeting.code)


# --- Observer organisations ---------------------------------------------------------------------


@rule_required("participants.register")
def observer_apply(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    form = ObserverApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observer_services.observer_apply_as(meeting=meeting, by=request.user, **data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request for admission as an observer has been received."))
            return redirect(meeting.get_absolute_url())
    return render(request, "participants/observer_apply.html", {"meeting": meeting, "form": form})


# --- Credentials --------------------------------------------------------------------------------


def _credentials_context(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    return {"meeting": meeting, "report": selectors.credentials_report(meeting=meeting)}


@rule_required("participants.view_credentials_report")
def credentials_report(request, code):
    return render(request, "participants/credentials_report.html", _credentials_context(request, code))


@rule_required("participants.view_credentials_report")
def credentials_report_pdf(request, code):
    context = _credentials_context(request, code)
    pdf = render_pdf("participants/pdf/credentials_report.html", context)
    return _pdf_response(pdf, f"credentials-{context['meeting'].code}.pdf")


# --- Visa support -------------------------------------------------------------------------------


@sensitive_post_parameters("passport_number")
@rule_required("participants.request_visa_letter", load=_registration, hide=True)
def visa_request(request, registration, pk):
    existing = getattr(registration, "visa_request", None)
    form = VisaRequestForm(request.POST or None, registration=registration)
    if request.method == "POST" and form.is_valid():
        try:
            visa_services.visa_request_create(registration=registration, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request for a visa support letter has been received."))
            return redirect("participants:mine")
    return render(
        request,
        "participants/visa_request.html",
        {"registration": registration, "form": form, "existing": existing},
    )


@registration_staff
@require_GET
def visa_requests(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    visas = selectors.meeting_visa_requests(meeting=meeting)
    return render(request, "participants/visa_requests.html", {"meeting": meeting, "visas": visas})


# Approving and refusing are two actions with two addresses: a POST names what it does, and a
# POST to the list decides nothing.
@rule_required("participants.decide_visa_request", load=load_or_404(selectors.visa_request_of_meeting))
@require_POST
def visa_request_approve(request, visa, code, pk):
    try:
        visa_services.visa_request_approve(visa=visa, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("participants:visa_requests", code=code)


@rule_required("participants.decide_visa_request", load=load_or_404(selectors.visa_request_of_meeting))
@require_POST
def visa_request_refuse(request, visa, code, pk):
    try:
        visa_services.visa_request_refuse(visa=visa, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("participants:visa_requests", code=code)


# --- Funding ------------------------------------------------------------------------------------


def _money(amounts: dict) -> str:
    return "; ".join(f"{amount:,.2f} {currency}" for currency, amount in amounts.items())


@registration_staff
def funding_overview(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    overview = selectors.funding_overview(meeting=meeting)
    for group in ("by_region", "by_donor"):
        for row in overview[group]:
            row["tickets_text"], row["dsa_text"] = _money(row["tickets"]), _money(row["dsa"])
    return render(request, "participants/funding_overview.html", {"meeting": meeting, "overview": overview})


@registration_staff
def funding_overview_xlsx(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    overview = selectors.funding_overview(meeting=meeting)
    book = tablib.Databook()
    headers = [_("Group"), _("Requests"), _("Funded"), _("Waiting list"), _("Tickets"), _("DSA")]
    for key, title in (("by_region", _("By region")), ("by_donor", _("By fund or donor"))):
        sheet = tablib.Dataset(headers=headers, title=title[:31])
        for row in overview[key]:
            sheet.append([row["label"], row["requests"], row["funded"], row["waiting_list"], _money(row["tickets"]),
                          _money(row["dsa"])])  # fmt: skip
        book.add_sheet(sheet)
    response = HttpResponse(
        book.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="funding-{meeting.code}.xlsx"'
    return response


# --- Statistics and the list of participants -----------------------------------------------------


@registration_staff
def statistics(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    stats = selectors.meeting_statistics(meeting=meeting)
    charts = [
        bar_chart(stats["by_status"], title=_("Registrations by status")),
        bar_chart(stats["by_region"], title=_("Registrations by region")),
        bar_chart(stats["by_capacity"], title=_("Registrations by capacity")),
        bar_chart(stats["by_gender"], title=_("Registrations by gender")),
        bar_chart(stats["funding"], title=_("Funded participation")),
    ]
    attended = stats["attended"]
    charts += [
        bar_chart(attended["by_region"], title=_("Present by region")),
        bar_chart(attended["by_capacity"], title=_("Present by capacity")),
        bar_chart(attended["by_gender"], title=_("Present by gender")),
        bar_chart(attended["funding"], title=_("Present: funded or not")),
    ]
    if stats["days"]:
        charts.append(
            bar_chart(
                [(date_format(d["day"], "j M"), d["parties_present"]) for d in stats["days"]],
                title=_("Parties present"),
            )
        )
        charts.append(
            bar_chart(
                [
                    row
                    for d in stats["days"]
                    for row in (
                        (f"{date_format(d['day'], 'j M')} – {_('in person')}", d["parties_in_person"]),
                        (f"{date_format(d['day'], 'j M')} – {_('online')}", d["parties_online"]),
                    )
                ],
                title=_("Parties present in person and online"),
            )
        )
    return render(
        request, "participants/statistics.html", {"meeting": meeting, "stats": stats, "charts": charts}
    )


@registration_staff
def statistics_xlsx(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    stats = selectors.meeting_statistics(meeting=meeting)
    book = tablib.Databook()
    for key, title in (("by_status", _("Status")), ("by_region", _("Region")), ("by_capacity", _("Capacity")),
                       ("by_gender", _("Gender")), ("funding", _("Funding"))):  # fmt: skip
        present = dict(stats["attended"].get(key, []))
        rows = [(label, n, present.get(label, "")) for label, n in stats[key]]
        book.add_sheet(
            tablib.Dataset(*rows, headers=[title, _("Registrations"), _("Present")], title=str(title)[:31])
        )
    attendance = tablib.Dataset(
        headers=[_("Day"), _("Participants present"), _("Present in person"), _("Present online"),
                 _("Parties present in person"), _("Parties present online"), _("Parties present"), _("Quorum met")]
    )  # fmt: skip
    for day in stats["days"]:
        attendance.append([day["day"], day["people"], day["people_in_person"], day["people_online"],
                           day["parties_in_person"], day["parties_online"], day["parties_present"],
                           day["quorum_met"]])  # fmt: skip
    attendance.title = str(_("Attendance"))
    book.add_sheet(attendance)
    response = HttpResponse(
        book.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="statistics-{meeting.code}.xlsx"'
    return response


def _list_language(request):
    return choice_param(request.GET, "language", ("en", "fr", "es"), default="en")


@registration_staff
def list_of_participants(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    language = _list_language(request)
    groups = selectors.list_of_participants(meeting=meeting, language=language)
    return render(
        request,
        "participants/list_of_participants.html",
        {"meeting": meeting, "groups": groups, "language": language},
    )


@registration_staff
def list_of_participants_pdf(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    language = _list_language(request)
    pdf = list_of_participants_document(meeting=meeting, language=language)
    return _pdf_response(pdf, f"list-of-participants-{meeting.code}-{language}.pdf", inline=False)


@registration_staff
def list_of_participants_xlsx(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    language = _list_language(request)
    response = HttpResponse(
        list_of_participants_sheet(meeting=meeting, language=language),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="list-of-participants-{meeting.code}-{language}.xlsx"'
    )
    return response


@registration_staff
def staff_meeting(request, code):
    """The registration desk's starting page for one meeting."""
    meeting = get_object_or_404(Meeting, code=code)
    statuses = selectors.registration_counts_by_status(meeting=meeting)
    without_head = selectors.delegations_without_head(meeting=meeting)
    return render(
        request, "participants/staff_meeting.html",
        {"meeting": meeting, "statuses": statuses, "without_head": without_head},
    )  # fmt: skip
