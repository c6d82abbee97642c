from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.rules import focal_point_country_ids
from meetings.models import Meeting
from reference.models import Country

from . import selectors, services
from .badges import badges_pdf
from .enums import ACCREDITED_STATUSES, RegistrationStatus
from .forms import (
    CheckInForm,
    DeclineForm,
    NominationForm,
    PreRegistrationForm,
    RegistrationForm,
    apply_errors,
)
from .models import NominationLetter, Registration
from .services import RegistrationError

staff_required = permission_required("participants.change_registration", raise_exception=True)


# --- Delegates ----------------------------------------------------------------------------------


@login_required
def meeting_register(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    existing = Registration.objects.filter(meeting=meeting, user=request.user).first()
    if existing:
        messages.info(request, _("You are already registered for this meeting."))
        return redirect("participants:mine")
    if not services.registration_is_open(meeting):
        return render(request, "participants/register_closed.html", {"meeting": meeting}, status=403)
    form = RegistrationForm(
        request.POST or None,
        initial={"first_name": request.user.first_name, "last_name": request.user.last_name,
                 "email": request.user.email, "title": request.user.title},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.registration_create(
                    meeting=meeting, user=request.user, by=request.user, **form.service_data()
                )
        except RegistrationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("You are registered. Your State's focal point will nominate you."))
            return redirect("participants:mine")
    return render(request, "participants/register.html", {"meeting": meeting, "form": form})


@login_required
def my_registrations(request):
    registrations = list(selectors.my_registrations(user=request.user))
    return render(
        request,
        "participants/my_registrations.html",
        {
            "registrations": registrations,
            "letters_enabled": selectors._letters_relation_exists(),
            "is_focal_point": bool(focal_point_country_ids(request.user)),
            "open_meetings": [
                m
                for m in Meeting.objects.filter(status="registration_open")
                if services.registration_is_open(m)
            ],
        },
    )


def _own_registration(request, pk):
    return get_object_or_404(Registration.objects.select_related("meeting"), pk=pk, user=request.user)


@login_required
def registration_edit(request, pk):
    registration = _own_registration(request, pk)
    if registration.is_locked_for_delegate or registration.status in (
        RegistrationStatus.WITHDRAWN,
        RegistrationStatus.DECLINED,
    ):
        messages.error(request, _("This registration can no longer be changed."))
        return redirect("participants:mine")
    form = RegistrationForm(request.POST or None, instance=registration)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                # The form has set the values on the instance already; the service re-checks them.
                services.registration_update(
                    registration=registration, by=request.user, **form.service_data()
                )
        except RegistrationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your registration has been updated."))
            return redirect("participants:mine")
    return render(request, "participants/register.html", {"meeting": registration.meeting, "form": form})


@login_required
@require_POST
def registration_withdraw(request, pk):
    registration = _own_registration(request, pk)
    try:
        services.registration_withdraw(registration=registration, by=request.user)
    except RegistrationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your registration has been withdrawn."))
    return redirect("participants:mine")


# --- Focal points -------------------------------------------------------------------------------


def _focal_point_country(request, iso3) -> Country:
    """The State in the URL, if the user is its focal point; 404 otherwise, so another State's
    focal point learns nothing."""
    country = Country.objects.filter(iso3=iso3.upper()).first()
    if country is None or country.pk not in focal_point_country_ids(request.user):
        raise Http404
    return country


def _focal_point_registration(request, pk) -> Registration:
    registration = get_object_or_404(Registration.objects.select_related("meeting", "country"), pk=pk)
    if registration.country_id not in focal_point_country_ids(request.user):
        raise Http404
    return registration


@login_required
def focal_point_home(request):
    countries = Country.objects.filter(pk__in=focal_point_country_ids(request.user))
    if not countries:
        raise PermissionDenied
    meetings = Meeting.objects.filter(status__in=["registration_open", "registration_closed", "in_session"])
    return render(request, "participants/fp_home.html", {"countries": countries, "meetings": meetings})


@login_required
def focal_point_state(request, code, iso3):
    country = _focal_point_country(request, iso3)
    meeting = get_object_or_404(Meeting, code=code)
    registrations = list(selectors.state_registrations(meeting=meeting, country=country))
    letters = NominationLetter.objects.filter(meeting=meeting, country=country)
    return render(
        request,
        "participants/fp_state.html",
        {"meeting": meeting, "country": country, "registrations": registrations, "letters": letters},
    )


@login_required
def focal_point_pre_register(request, code, iso3):
    country = _focal_point_country(request, iso3)
    meeting = get_object_or_404(Meeting, code=code)
    form = PreRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            with transaction.atomic():
                services.focal_point_pre_register(
                    meeting=meeting, country=country, by=request.user, email=data.pop("email"), **data
                )
        except RegistrationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The delegate has been pre-registered."))
            return redirect("participants:fp_state", code=meeting.code, iso3=country.iso3)
    return render(
        request, "participants/fp_pre_register.html", {"meeting": meeting, "country": country, "form": form}
    )


@login_required
def focal_point_nominate(request, pk):
    registration = _focal_point_registration(request, pk)
    letters = NominationLetter.objects.filter(meeting=registration.meeting, country=registration.country)
    form = NominationForm(request.POST or None, request.FILES or None, letters=letters)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                letter = form.cleaned_data["existing_letter"]
                if form.cleaned_data["letter"]:
                    letter = services.nomination_letter_upload(
                        meeting=registration.meeting, country=registration.country,
                        uploaded=form.cleaned_data["letter"], by=request.user,
                    )  # fmt: skip
                services.registration_nominate(
                    registration=registration, by=request.user, letter=letter, role=form.cleaned_data["role"]
                )
        except RegistrationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been nominated.") % {"name": registration.full_name})
            return redirect(
                "participants:fp_state", code=registration.meeting.code, iso3=registration.country.iso3
            )
    return render(request, "participants/fp_nominate.html", {"registration": registration, "form": form})


@login_required
def focal_point_decline(request, pk):
    registration = _focal_point_registration(request, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_decline(
                registration=registration, by=request.user, reason=form.cleaned_data["reason"]
            )
        except RegistrationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s has been declined.") % {"name": registration.full_name})
        return redirect(
            "participants:fp_state", code=registration.meeting.code, iso3=registration.country.iso3
        )
    return render(request, "participants/fp_decline.html", {"registration": registration, "form": form})


@login_required
def nomination_letter_download(request, pk):
    letter = get_object_or_404(NominationLetter, pk=pk)
    if not request.user.has_perm("participants.view_nomination_letter", letter):
        raise Http404
    response = FileResponse(letter.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="nomination-{letter.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def focal_point_accept(request, token):
    if request.method == "POST":
        try:
            focal_point = services.focal_point_invitation_accept(token=token, user=request.user)
        except RegistrationError as exc:
            return render(
                request, "participants/fp_accept.html", {"error": " ".join(exc.messages)}, status=403
            )
        messages.success(
            request, _("You now act as focal point for %(state)s.") % {"state": focal_point.country.name}
        )
        return redirect("participants:fp_home")
    return render(request, "participants/fp_accept.html", {})


# --- Staff: badges and check-in ---------------------------------------------------------------


@login_required
@staff_required
def badge(request, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("meeting", "country", "organisation"), pk=pk
    )
    try:
        services.registration_issue_badge(registration=registration, by=request.user)
    except RegistrationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("admin:participants_registration_change", registration.pk)
    pdf = badges_pdf(meeting=registration.meeting, registrations=[registration])
    return _pdf_response(pdf, f"badge-{registration.pk}.pdf")


@login_required
@staff_required
def badges_batch(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    registrations = list(
        Registration.objects.filter(meeting=meeting, status__in=ACCREDITED_STATUSES)
        .select_related("country", "organisation")
        .order_by("last_name", "first_name")
    )
    for registration in registrations:
        services.registration_issue_badge(registration=registration, by=request.user)
    pdf = badges_pdf(meeting=meeting, registrations=registrations)
    return _pdf_response(pdf, f"badges-{meeting.code}.pdf")


def _pdf_response(pdf: bytes, filename: str, *, inline=True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
@staff_required
def check_in(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    form = CheckInForm(request.POST or None)
    checked = None
    if request.method == "POST" and form.is_valid():
        try:
            registration, first = services.registration_check_in(
                meeting=meeting, token=form.cleaned_data["token"], by=request.user
            )
        except RegistrationError as exc:
            apply_errors(form, exc)
        else:
            checked = {"registration": registration, "first": first}
            form = CheckInForm()
    return render(
        request, "participants/check_in.html", {"meeting": meeting, "form": form, "checked": checked}
    )


# --- Observer organisations ---------------------------------------------------------------------


@login_required
def observer_apply(request, code):
    from .forms import ObserverApplicationForm

    meeting = get_object_or_404(Meeting, code=code)
    form = ObserverApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.observer_apply_as(meeting=meeting, by=request.user, **data)
        except RegistrationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your request for admission as an observer has been received."))
            return redirect(meeting.get_absolute_url())
    return render(request, "participants/observer_apply.html", {"meeting": meeting, "form": form})


# --- Credentials --------------------------------------------------------------------------------


def _credentials_context(request, code):
    if not request.user.has_perm("participants.view_credentials_report"):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting, code=code)
    return {"meeting": meeting, "report": selectors.credentials_report(meeting=meeting)}


@login_required
def credentials_report(request, code):
    return render(request, "participants/credentials_report.html", _credentials_context(request, code))


@login_required
def credentials_report_pdf(request, code):
    from minamata_portal.pdf import render_pdf

    context = _credentials_context(request, code)
    pdf = render_pdf("participants/pdf/credentials_report.html", context)
    return _pdf_response(pdf, f"credentials-{context['meeting'].code}.pdf")


# --- Visa support -------------------------------------------------------------------------------


@login_required
@sensitive_post_parameters("passport_number")
def visa_request(request, pk):
    from .forms import VisaRequestForm

    registration = _own_registration(request, pk)
    existing = getattr(registration, "visa_request", None) if hasattr(registration, "visa_request") else None
    form = VisaRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visa_request_create(registration=registration, by=request.user, **form.cleaned_data)
        except RegistrationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your request for a visa support letter has been received."))
            return redirect("participants:mine")
    return render(
        request,
        "participants/visa_request.html",
        {"registration": registration, "form": form, "existing": existing},
    )


@login_required
@staff_required
def visa_requests(request, code):
    from .models import VisaRequest

    meeting = get_object_or_404(Meeting, code=code)
    if request.method == "POST":
        visa = get_object_or_404(VisaRequest, pk=request.POST.get("visa"), registration__meeting=meeting)
        try:
            if request.POST.get("decision") == "approve":
                services.visa_request_approve(visa=visa, by=request.user)
            else:
                services.visa_request_refuse(
                    visa=visa, by=request.user, reason=request.POST.get("reason", "")
                )
        except RegistrationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("participants:visa_requests", code=meeting.code)
    visas = (
        VisaRequest.objects.filter(registration__meeting=meeting)
        .select_related("registration__country", "registration__organisation", "passport_country")
        .order_by("registration__last_name")
    )
    return render(request, "participants/visa_requests.html", {"meeting": meeting, "visas": visas})


# --- Funding ------------------------------------------------------------------------------------


def _money(amounts: dict) -> str:
    return "; ".join(f"{amount:,.2f} {currency}" for currency, amount in amounts.items())


@login_required
@staff_required
def funding_overview(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    overview = selectors.funding_overview(meeting=meeting)
    for group in ("by_region", "by_donor"):
        for row in overview[group]:
            row["tickets_text"], row["dsa_text"] = _money(row["tickets"]), _money(row["dsa"])
    return render(request, "participants/funding_overview.html", {"meeting": meeting, "overview": overview})


@login_required
@staff_required
def funding_overview_xlsx(request, code):
    import tablib

    meeting = get_object_or_404(Meeting, code=code)
    overview = selectors.funding_overview(meeting=meeting)
    book = tablib.Databook()
    headers = [_("Group"), _("Requests"), _("Funded"), _("Waiting list"), _("Tickets"), _("DSA")]
    for key, title in (("by_region", _("By region")), ("by_donor", _("By fund or donor"))):
        sheet = tablib.Dataset(headers=headers, title=title[:31])
        for row in overview[key]:
            sheet.append([row["label"], row["requests"], row["funded"], row["waiting"], _money(row["tickets"]),
                          _money(row["dsa"])])  # fmt: skip
        book.add_sheet(sheet)
    response = HttpResponse(
        book.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="funding-{meeting.code}.xlsx"'
    return response


# --- Statistics and the list of participants -----------------------------------------------------


@login_required
@staff_required
def statistics(request, code):
    from .charts import bar_chart

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
                [(f"{d['day']:%d %b}", d["parties_present"]) for d in stats["days"]],
                title=_("Parties present"),
            )
        )
    return render(
        request, "participants/statistics.html", {"meeting": meeting, "stats": stats, "charts": charts}
    )


@login_required
@staff_required
def statistics_xlsx(request, code):
    import tablib

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
        headers=[_("Day"), _("Participants present"), _("Parties present"), _("Quorum met")]
    )
    for day in stats["days"]:
        attendance.append([day["day"], day["people"], day["parties_present"], day["quorum_met"]])
    attendance.title = str(_("Attendance"))
    book.add_sheet(attendance)
    response = HttpResponse(
        book.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="statistics-{meeting.code}.xlsx"'
    return response


def _list_language(request):
    language = request.GET.get("language", "en")
    return language if language in ("en", "fr", "es") else "en"


@login_required
@staff_required
def list_of_participants(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    language = _list_language(request)
    groups = selectors.list_of_participants(meeting=meeting, language=language)
    return render(
        request,
        "participants/list_of_participants.html",
        {"meeting": meeting, "groups": groups, "language": language},
    )


@login_required
@staff_required
def list_of_participants_pdf(request, code):
    from django.utils import translation

    from minamata_portal.pdf import render_pdf

    meeting = get_object_or_404(Meeting, code=code)
    language = _list_language(request)
    with translation.override(language):
        pdf = render_pdf(
            "participants/pdf/list_of_participants.html",
            {
                "meeting": meeting,
                "groups": selectors.list_of_participants(meeting=meeting, language=language),
            },
        )
    return _pdf_response(pdf, f"list-of-participants-{meeting.code}-{language}.pdf", inline=False)


@login_required
@staff_required
def list_of_participants_xlsx(request, code):
    from .resources import list_of_participants_xlsx as build

    meeting = get_object_or_404(Meeting, code=code)
    language = _list_language(request)
    response = HttpResponse(
        build(meeting=meeting, language=language),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="list-of-participants-{meeting.code}-{language}.xlsx"'
    )
    return response


@login_required
@staff_required
def staff_meeting(request, code):
    """The registration desk's starting page for one meeting."""
    from django.db.models import Count

    meeting = get_object_or_404(Meeting, code=code)
    counts = dict(
        Registration.objects.filter(meeting=meeting).values_list("status").annotate(n=Count("id")).order_by()
    )
    statuses = [(label, counts.get(value, 0)) for value, label in RegistrationStatus.choices]
    return render(request, "participants/staff_meeting.html", {"meeting": meeting, "statuses": statuses})
