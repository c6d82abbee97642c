import datetime as dt
import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meetings.models import Meeting
from minamata_portal.files import private_file_response

from . import selectors, services
from .enums import (
    LANGUAGE_AUTONYMS,
    RIGHT_TO_LEFT,
    Language,
    ProcessingStatus,
    Series,
    SupplementKind,
    Timeliness,
)
from .models import Document, LanguageVersion, LanguageVersionFile, SubmissionFile
from .rules import can_read_document
from .xlsx import processing_workbook


def documents_officer_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("documents.manage_processing"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _choice(value, choices):
    return value if value in choices else None


def _int(value):
    return int(value) if value and str(value).isdigit() else None


# --- Public -------------------------------------------------------------------------------------


def meeting_documents(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    language = _choice(request.GET.get("language"), Language.values)
    series = _choice(request.GET.get("series"), Series.values)
    agenda_item = _int(request.GET.get("item"))
    group = "series" if request.GET.get("group") == "series" else "agenda"
    documents = selectors.meeting_documents(
        meeting=meeting, user=request.user, language=language, series=series, agenda_item=agenda_item
    )
    for document in documents:
        document.language_links = selectors.language_links(document)
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


def meeting_documents_json(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    documents = selectors.meeting_documents(meeting=meeting, user=request.user)
    base = request.build_absolute_uri("/")[:-1]
    return JsonResponse(
        {
            "meeting": meeting.code,
            "symbol_prefix": meeting.symbol_prefix,
            "documents": [
                {
                    "symbol": d.symbol,
                    "series": d.series,
                    "number": d.number,
                    "supplement": d.suffix.lstrip("/"),
                    "titles": {code: title for code, _label, title in d.titles()},
                    "agenda_items": [item.label for item in d.agenda_items.all()],
                    "author": d.author,
                    "distribution": d.distribution,
                    "not_formally_edited": d.not_formally_edited,
                    "advance_unedited": d.advance_unedited,
                    "issue_date": d.issue_date.isoformat() if d.issue_date else None,
                    "languages": [
                        {
                            "language": v.language,
                            "published_at": v.published_at.isoformat(),
                            "url": base + d.get_absolute_url() + f"{v.language}/",
                        }
                        for v in d.published_versions
                    ],
                }
                for d in documents
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    results = selectors.document_search(query=query, user=request.user) if query else []
    for document in results:
        document.language_links = selectors.language_links(document)
    return render(request, "documents/search.html", {"query": query, "results": results})


def _readable_document(request, pk):
    document = get_object_or_404(Document.objects.select_related("meeting"), pk=pk)
    if not can_read_document(request.user, document):
        # Not even the existence of a restricted document is disclosed.
        raise Http404
    return document


def document_detail(request, pk):
    document = _readable_document(request, pk)
    versions = sorted(document.versions.all(), key=lambda v: selectors.UN_ORDER[v.language])
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
            "agenda_items": document.agenda_items.select_related("parent"),
            # Only supplements the reader could open: an addendum still in translation, or one
            # whose distribution was narrowed, is not announced by its symbol.
            "supplements": (
                selectors.documents_visible(request.user)
                if officer
                else selectors.documents_published(request.user)
            )
            .filter(amends=document)
            .order_by("symbol"),
            "officer": officer,
            "versions": versions,
            "supplement_kinds": SupplementKind.choices,
        },
    )


def _file_response(stored, *, filename):
    return private_file_response(stored.file, filename=filename)


def document_download(request, pk, language):
    """The current file of a published language version, for whoever may read the document."""
    document = _readable_document(request, pk)
    version = get_object_or_404(
        LanguageVersion, document=document, language=language, status=ProcessingStatus.PUBLISHED
    )
    stored = version.files.order_by("-number").first()
    if stored is None:
        raise Http404
    filename = f"{slugify(document.symbol.replace('/', '-'))}-{language}.{stored.kind}"
    return _file_response(stored, filename=filename)


# --- Documents officer --------------------------------------------------------------------------


def _grid_filters(request):
    return {
        "series": _choice(request.GET.get("series"), Series.values),
        "language": _choice(request.GET.get("language"), Language.values),
        "status": _choice(request.GET.get("status"), ProcessingStatus.values),
        "timeliness_filter": _choice(request.GET.get("timeliness"), Timeliness.values),
    }


@documents_officer_required
def processing_dashboard(request, code):
    meeting = get_object_or_404(Meeting, code=code)
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
            "filters": filters,
            "late": sum(r.late for r in rows),
            "at_risk": sum(r.at_risk for r in rows),
            "today": timezone.localdate(),
            "query": request.GET.urlencode(),
        },
    )


@documents_officer_required
def processing_export(request, code):
    meeting = get_object_or_404(Meeting, code=code)
    rows = selectors.processing_grid(meeting=meeting, **_grid_filters(request))
    buffer = io.BytesIO()
    processing_workbook(meeting=meeting, rows=rows).save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{meeting.code}-documents-processing.xlsx"'
    return response


ACTIONS = {
    ProcessingStatus.AWAITING_ORIGINAL: [
        ("submit", gettext_lazy("Submit to conference services")),
        ("mark_not_required", gettext_lazy("Not required")),
    ],
    ProcessingStatus.SUBMITTED: [
        ("start_processing", gettext_lazy("Start editing/translation")),
        ("mark_not_required", gettext_lazy("Not required")),
    ],
    ProcessingStatus.IN_PROCESSING: [
        ("mark_ready", gettext_lazy("Mark ready")),
        ("mark_not_required", gettext_lazy("Not required")),
    ],
    ProcessingStatus.READY: [
        ("publish", gettext_lazy("Publish")),
        ("send_back", gettext_lazy("Send back to editing")),
    ],
    ProcessingStatus.PUBLISHED: [],
    ProcessingStatus.NOT_REQUIRED: [("reinstate", gettext_lazy("Required after all"))],
}


@documents_officer_required
def version_detail(request, pk):
    version = get_object_or_404(LanguageVersion.objects.select_related("document__meeting"), pk=pk)
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
            "files": version.files.select_related("uploaded_by"),
            "steps": version.steps.select_related("by"),
            "actions": ACTIONS[version.status],
            "rtl": version.language in RIGHT_TO_LEFT,
        },
    )


@require_POST
@documents_officer_required
def version_transition(request, pk):
    version = get_object_or_404(LanguageVersion, pk=pk)
    action = services.TRANSITION_FUNCTIONS.get(request.POST.get("action"))
    if action is None:
        messages.error(request, _("Action: unknown action."))
    else:
        try:
            action(version=version, by=request.user, note=(request.POST.get("note") or "")[:300])
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            version.refresh_from_db()
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
@documents_officer_required
def version_set_target(request, pk):
    version = get_object_or_404(LanguageVersion, pk=pk)
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
@documents_officer_required
def document_supplement(request, pk):
    """Issue an addendum, revision or corrigendum of a document, under the next symbol."""
    document = get_object_or_404(Document, pk=pk)
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


@documents_officer_required
def file_download(request, pk):
    stored = get_object_or_404(LanguageVersionFile.objects.select_related("version__document"), pk=pk)
    symbol = slugify(stored.version.document.symbol.replace("/", "-"))
    return _file_response(
        stored, filename=f"{symbol}-{stored.version.language}-{stored.number}.{stored.kind}"
    )


@documents_officer_required
def call_compilation(request, pk):
    from .models import CallForSubmissions

    call = get_object_or_404(CallForSubmissions.objects.select_related("meeting", "compilation"), pk=pk)
    return render(
        request, "documents/call_compilation.html", {"compilation": selectors.call_compilation(call=call)}
    )


@documents_officer_required
def submission_file_download(request, pk):
    stored = get_object_or_404(SubmissionFile, pk=pk)
    return _file_response(stored, filename=f"submission-{stored.submission_id}-{stored.pk}.{stored.kind}")
