"""The documents pages: public lists, search and downloads, and the documents officer's
processing pages. Each view is `@public` or asks one named rule of `documents/rules.py`."""

import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.models import Meeting
from minamata_portal.access import load_or_404, public, rule_required
from minamata_portal.files import stored_file_response
from minamata_portal.params import choice_param, id_param, text_param
from minamata_portal.publiccache import cached_for_visitors

from . import selectors, services
from .enums import (
    LANGUAGE_AUTONYMS,
    LANGUAGE_VERSION_TRANSITIONS,
    RIGHT_TO_LEFT,
    Language,
    Milestone,
    ProcessingStatus,
    Series,
    SupplementKind,
    Timeliness,
)
from .models import CallForSubmissions, Document, LanguageVersion, LanguageVersionFile, SubmissionFile
from .xlsx import milestones_workbook, processing_workbook

# --- Loaders: the object each rule is asked about, from the URL's arguments ----------------------


def _meeting(request, code):
    return get_object_or_404(Meeting, code=code)


def _document(request, pk):
    return get_object_or_404(Document, pk=pk)


def _version(request, pk):
    return get_object_or_404(LanguageVersion.objects.select_related("document__meeting"), pk=pk)


def _version_file(request, pk):
    return get_object_or_404(LanguageVersionFile.objects.select_related("version__document"), pk=pk)


def _call(request, pk):
    return get_object_or_404(CallForSubmissions.objects.select_related("meeting", "compilation"), pk=pk)


def _submission_file(request, pk):
    return get_object_or_404(SubmissionFile, pk=pk)


# A restricted document answers 404 (`hide=True`), so not even its existence is disclosed.
_document_or_404 = load_or_404(selectors.document_detail)


def _readable_document(request, pk, **language):
    return _document_or_404(request, pk=pk)


# --- Public -------------------------------------------------------------------------------------


@public
@cached_for_visitors(params=("language", "series", "item", "group"))
def meeting_documents(request, code):
    meeting = _meeting(request, code)
    language = choice_param(request.GET, "language", Language.values)
    series = choice_param(request.GET, "series", Series.values)
    agenda_item = id_param(request.GET, "item")
    group = "series" if request.GET.get("group") == "series" else "agenda"
    documents = selectors.meeting_documents(
        meeting=meeting, user=request.user, language=language, series=series, agenda_item=agenda_item
    )
    groups = (
        selectors.group_by_series(documents)
        if group == "series"
        else selectors.group_by_agenda_item(documents)
    )
    return render(
        request,
        "documents/meeting_documents.html",
        {
            "meeting": meeting,
            "groups": groups,
            "count": len(documents),
            "language_choices": Language.choices,
            "series_choices": Series.choices,
            "agenda_items": selectors.meeting_agenda_items(meeting),
            "selected": {"language": language, "series": series, "item": agenda_item, "group": group},
        },
    )


@public
@cached_for_visitors  # the form only: a search (?q=) is answered uncached
def search(request):
    query = text_param(request.GET, "q", max_length=200)
    results = selectors.document_search(query=query, user=request.user) if query else []
    return render(request, "documents/search.html", {"query": query, "results": results})


@rule_required("documents.read_document", load=_readable_document, hide=True, anonymous=True)
def document_detail(request, document, pk):
    versions = selectors.document_versions(document)
    published = [v for v in versions if v.status == ProcessingStatus.PUBLISHED]
    officer = request.user.has_perm("documents.manage_processing")
    if not published and not officer:
        raise Http404
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "titles": [
                {"code": code, "label": label, "title": title, "rtl": code in RIGHT_TO_LEFT}
                for code, label, title in document.titles()
            ],
            "links": [
                {
                    "code": v.language,
                    "autonym": LANGUAGE_AUTONYMS[v.language],
                    "rtl": v.language in RIGHT_TO_LEFT,
                }
                for v in published
            ],
            "agenda_items": selectors.document_agenda_items(document),
            "supplements": selectors.document_supplements(
                document=document, user=request.user, unpublished=officer
            ),
            "officer": officer,
            "can_register": request.user.has_perm("documents.register_document"),
            "versions": versions,
            "supplement_kinds": SupplementKind.choices,
        },
    )


def _file_response(stored, *, name, inline=False):
    # Typed by the kind checked on upload; only a published PDF is shown in the browser.
    return stored_file_response(stored.file, kind=stored.kind, name=name, inline=inline)


@rule_required("documents.read_document", load=_readable_document, hide=True, anonymous=True)
def document_download(request, document, pk, language):
    """The current file of a published language version, for whoever may read the document."""
    stored = selectors.published_file(document=document, language=language)
    if stored is None:
        raise Http404
    return _file_response(
        stored, name=f"{slugify(document.symbol.replace('/', '-'))}-{language}", inline=True
    )


# --- Documents officer --------------------------------------------------------------------------


def _grid_filters(request):
    return {
        "series": choice_param(request.GET, "series", Series.values),
        "language": choice_param(request.GET, "language", Language.values),
        "status": choice_param(request.GET, "status", ProcessingStatus.values),
        "timeliness_filter": choice_param(request.GET, "timeliness", Timeliness.values),
    }


@rule_required("documents.manage_processing", load=_meeting)
def processing_dashboard(request, meeting, code):
    filters = _grid_filters(request)
    rows = selectors.processing_grid(meeting=meeting, **filters)
    return render(
        request,
        "documents/processing_dashboard.html",
        {
            "meeting": meeting,
            "rows": rows,
            "language_choices": Language.choices,
            "series_choices": Series.choices,
            "statuses": ProcessingStatus.choices,
            "timeliness_choices": Timeliness.choices,
            "Timeliness": Timeliness,
            "filters": filters,
            "late": sum(r.late for r in rows),
            "at_risk": sum(r.at_risk for r in rows),
            "today": timezone.localdate(),
            "query": request.GET.urlencode(),
        },
    )


@rule_required("documents.manage_processing", load=_meeting)
def processing_export(request, meeting, code):
    rows = selectors.processing_grid(meeting=meeting, **_grid_filters(request))
    buffer = io.BytesIO()
    processing_workbook(meeting=meeting, rows=rows).save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{meeting.code}-documents-processing.xlsx"'
    return response


def _milestone_filters(request):
    return {
        "series": choice_param(request.GET, "series", Series.values),
        "language": choice_param(request.GET, "language", Language.values),
        "officer": id_param(request.GET, "officer"),
        "late": choice_param(request.GET, "late", Milestone.values),
        "group": choice_param(request.GET, "group", selectors.MILESTONE_GROUPS, default="document"),
    }


@rule_required("documents.manage_processing", load=_meeting)
def milestones_dashboard(request, meeting, code):
    """Each required language version of the meeting's documents against the forecast, the
    submission to conference services and issuance, with what is late by officer and language."""
    filters = _milestone_filters(request)
    today = timezone.localdate()
    board = selectors.milestone_board(meeting=meeting, today=today, **filters)
    return render(
        request,
        "documents/milestones_dashboard.html",
        {
            "meeting": meeting,
            "board": board,
            "filters": filters,
            "today": today,
            "query": request.GET.urlencode(),
            "milestones": Milestone.choices,
            "language_choices": Language.choices,
            "series_choices": Series.choices,
            "group_choices": [
                ("document", _("Document")),
                ("officer", _("Responsible officer")),
                ("language", _("Language")),
            ],
        },
    )


@rule_required("documents.manage_processing", load=_meeting)
def milestones_export(request, meeting, code):
    board = selectors.milestone_board(meeting=meeting, **_milestone_filters(request))
    buffer = io.BytesIO()
    milestones_workbook(meeting=meeting, board=board).save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{meeting.code}-documents-milestones.xlsx"'
    return response


@rule_required("documents.manage_processing", load=_version)
def version_detail(request, version, pk):
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            messages.error(request, _("File: choose a PDF or Word file to upload."))
        else:
            try:
                stored = services.language_version_upload(version=version, uploaded=uploaded, by=request.user)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        messages.error(request, f"{_('File') if field == 'file' else field}: {error}")
            else:
                messages.success(request, _("Upload %(n)s stored.") % {"n": stored.number})
                return redirect("documents:version", pk=version.pk)
    return render(
        request,
        "documents/version_detail.html",
        {
            "version": version,
            "document": version.document,
            "files": selectors.version_files(version),
            "steps": selectors.version_steps(version),
            "actions": [
                m
                for m in LANGUAGE_VERSION_TRANSITIONS.actions_from(version.status)
                if LANGUAGE_VERSION_TRANSITIONS.can(version, m.action, request.user)
            ],
            "rtl": version.language in RIGHT_TO_LEFT,
        },
    )


@require_POST
@rule_required("documents.manage_processing", load=_version)
def version_transition(request, version, pk):
    action = request.POST.get("action") or ""
    if action not in LANGUAGE_VERSION_TRANSITIONS:
        messages.error(request, _("Action: unknown action."))
    else:
        rule = LANGUAGE_VERSION_TRANSITIONS[action].rule
        if rule and not request.user.has_perm(rule, version):
            raise PermissionDenied
        try:
            version = services.language_version_transition(
                version=version, action=action, by=request.user, note=(request.POST.get("note") or "")[:300]
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(
                    request,
                    _("%(symbol)s (%(language)s): %(error)s")
                    % {
                        "symbol": version.document.symbol,
                        "language": version.get_language_display(),
                        "error": error,
                    },
                )
        else:
            messages.success(
                request,
                _("%(symbol)s (%(language)s) is now “%(status)s”.")
                % {
                    "symbol": version.document.symbol,
                    "language": version.get_language_display(),
                    "status": version.get_status_display(),
                },
            )
    following = request.POST.get("next") or ""
    # Django's check, not a prefix test: browsers read "/\evil.example" as another host.
    if following.startswith("/") and url_has_allowed_host_and_scheme(
        following, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(following)
    return redirect("documents:version", pk=pk)


@require_POST
@rule_required("documents.manage_processing", load=_version)
def version_set_target(request, version, pk):
    raw = (request.POST.get("target_date") or "").strip()
    try:
        target = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        messages.error(request, _("Target date: enter a date as YYYY-MM-DD."))
    else:
        services.language_version_set_target(version=version, target_date=target, by=request.user)
        messages.success(request, _("Target date saved."))
    return redirect("documents:version", pk=pk)


@require_POST
@rule_required("documents.register_document", load=_document)
def document_supplement(request, document, pk):
    """Issue an addendum, revision or corrigendum of a document, under the next symbol."""
    try:
        created = services.document_register_supplement(
            amends=document, kind=request.POST.get("kind") or "", by=request.user
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                messages.error(request, f"{field}: {error}")
        return redirect(document.get_absolute_url())
    messages.success(request, _("%(symbol)s issued.") % {"symbol": created.symbol})
    return redirect(created.get_absolute_url())


@rule_required("documents.manage_processing", load=_version_file)
def file_download(request, stored, pk):
    symbol = slugify(stored.version.document.symbol.replace("/", "-"))
    return _file_response(stored, name=f"{symbol}-{stored.version.language}-{stored.number}")


@rule_required("documents.view_submissions", load=_call)
def call_compilation(request, call, pk):
    return render(
        request, "documents/call_compilation.html", {"compilation": selectors.call_compilation(call=call)}
    )


@rule_required("documents.view_submissions", load=_submission_file)
def submission_file_download(request, stored, pk):
    return _file_response(stored, name=f"submission-{stored.submission_id}-{stored.pk}")
