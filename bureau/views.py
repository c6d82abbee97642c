"""The Bureau's pages. Members of the current term and the secretariat reach them; adopted COP
decisions are public. Every view names its rule (`bureau/rules.py`), reads through selectors and
writes through services; a page with several forms checks the rule of the action posted."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meetings.enums import Language
from meetings.models import AgendaVersion, Meeting
from minamata_portal.access import load_or_404, public, rule_required
from minamata_portal.files import stored_file_response
from minamata_portal.forms import form_add_service_errors, messages_add_service_errors
from minamata_portal.publiccache import cached_for_visitors

from . import selectors, services
from .forms import (
    AdoptForm,
    AnswerForm,
    CommentForm,
    DecisionForm,
    MandateCreateForm,
    MandateForm,
    MembershipForm,
    ReplaceForm,
    ReportFileForm,
    ReportForm,
    ReportRemoveForm,
    ReportSymbolForm,
    RespondForm,
    ReviseForm,
    SendForm,
    TermCloseForm,
    TermForm,
)
from .models import ReviewComment

BUREAU_ONLY = gettext_lazy("Only the members of the Bureau in office and the secretariat see this page.")


def _require(request, rule: str, obj=None) -> None:
    """Refuse the action posted on a page whose other actions another rule opens."""
    if not request.user.has_perm(rule, obj):
        raise PermissionDenied


_load_term = load_or_404(selectors.term_detail)
_load_review = load_or_404(selectors.review_detail)
_load_meeting = load_or_404(selectors.bureau_meeting_detail)
_load_bureau_meeting_report = load_or_404(selectors.bureau_meeting_report)
_load_report = load_or_404(selectors.meeting_report_for)
_load_report_file = load_or_404(selectors.report_file_for)
_load_decision = load_or_404(selectors.decision_detail)
_load_mandate = load_or_404(selectors.mandate_get)


@rule_required("bureau.view_bureau_pages", message=BUREAU_ONLY)
def home(request):
    term = selectors.term_current()
    return render(
        request,
        "bureau/home.html",
        {
            "term": term,
            "members": selectors.bureau_members_on(),
            "awaiting": selectors.reviews_awaiting(user=request.user),
            "meetings": selectors.bureau_meeting_list()[:5],
        },
    )


@rule_required("bureau.view_bureau_pages", message=BUREAU_ONLY)
def composition(request):
    can_change_composition = request.user.has_perm("bureau.change_composition")
    term_form = TermForm()
    status = 200
    if request.method == "POST":
        _require(request, "bureau.change_composition")
        term_form = TermForm(request.POST)
        if term_form.is_valid():
            try:
                term = services.term_create(**term_form.cleaned_data, by=request.user)
            except ValidationError as exc:
                form_add_service_errors(term_form, exc)
            else:
                messages.success(request, _("The term was recorded; add its members."))
                return redirect(term)
        status = 400
    bodies = []
    for body in selectors.body_list():
        terms = list(selectors.term_list(body=body, with_memberships=True))
        bodies.append(
            {
                "body": body,
                "terms": [{"term": t, "balance": selectors.term_balance(term=t)} for t in terms],
                "rotation": selectors.body_rotation(body=body),
            }
        )
    return render(
        request,
        "bureau/composition.html",
        {"bodies": bodies, "can_change_composition": can_change_composition, "term_form": term_form},
        status=status,
    )


@rule_required("bureau.view_bureau_pages", load=_load_term, message=BUREAU_ONLY)
def term_detail(request, term, pk):
    can_change_composition = request.user.has_perm("bureau.change_composition")
    add_form, replace_form, close_form = MembershipForm(), ReplaceForm(term=term), TermCloseForm()
    status = 200
    if request.method == "POST":
        _require(request, "bureau.change_composition")
        action = request.POST.get("action")
        try:
            if action == "add":
                add_form = MembershipForm(request.POST)
                if add_form.is_valid():
                    data = add_form.cleaned_data
                    services.membership_add(
                        term=term, user=data["user"], country=data["country"], office=data["office"],
                        start_date=data["start_date"], end_date=data["end_date"], region=data["region"] or None,
                        note=data["note"], by=request.user,
                    )  # fmt: skip
                    messages.success(request, _("The member was added."))
                    return redirect(term)
            elif action == "replace":
                replace_form = ReplaceForm(request.POST, term=term)
                if replace_form.is_valid():
                    data = replace_form.cleaned_data
                    services.membership_replace(
                        membership=data["membership"], user=data["user"], on=data["on"], note=data["note"],
                        by=request.user,
                    )  # fmt: skip
                    messages.success(request, _("The replacement was recorded."))
                    return redirect(term)
            elif action == "close":
                close_form = TermCloseForm(request.POST)
                if close_form.is_valid():
                    services.term_close(
                        term=term, end_date=close_form.cleaned_data["end_date"],
                        ends_at=close_form.cleaned_data["ends_at"], by=request.user,
                    )  # fmt: skip
                    messages.success(
                        request, _("The term ends on the date given; its members lose access then.")
                    )
                    return redirect(term)
            else:
                raise PermissionDenied
        except ValidationError as exc:
            form_add_service_errors({"add": add_form, "close": close_form}.get(action, replace_form), exc)
        status = 400
    return render(
        request,
        "bureau/term_detail.html",
        {
            "term": term,
            "memberships": selectors.term_memberships(term=term),
            "balance": selectors.term_balance(term=term),
            "can_change_composition": can_change_composition,
            "add_form": add_form,
            "replace_form": replace_form,
            "close_form": close_form,
        },
        status=status,
    )


@rule_required("bureau.view_bureau_pages", message=BUREAU_ONLY)
def review_list(request):
    can_manage_reviews = request.user.has_perm("bureau.manage_reviews")
    drafts = selectors.agenda_versions_awaiting_review() if can_manage_reviews else []
    return render(
        request,
        "bureau/review_list.html",
        {
            # The secretariat follows every review; a member sees those sent to them.
            "reviews": selectors.review_list(
                user=None if request.user.has_perm("bureau.view_all_reviews") else request.user
            ),
            "drafts": [
                (v, SendForm(initial={"version": v.pk, "region": _default_region(v.meeting)})) for v in drafts
            ],
            "can_manage_reviews": can_manage_reviews,
        },
    )


def _default_region(meeting: Meeting) -> str:
    return meeting.regions[0] if len(meeting.regions or []) == 1 else ""


@rule_required("bureau.manage_reviews")
@require_POST
def review_send(request):
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete."))
        return redirect("bureau:reviews")
    try:
        version = selectors.agenda_version_for_review(pk=form.cleaned_data["version"])
    except AgendaVersion.DoesNotExist as exc:
        raise Http404 from exc
    try:
        review = services.agenda_review_send(
            version=version,
            by=request.user,
            region=form.cleaned_data["region"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as exc:
        messages_add_service_errors(request, exc)
        return redirect("bureau:reviews")
    messages.success(request, _("Sent to %(n)s reviewer(s).") % {"n": review.responses.count()})
    return redirect(review)


@rule_required(
    "bureau.view_review",
    load=_load_review,
    message=gettext_lazy("This agenda was sent to other members of the Bureau."),
)
def review_detail(request, review, pk):
    user = request.user
    can_review = user.has_perm("bureau.review_agenda", review)
    can_manage_reviews = user.has_perm("bureau.manage_reviews")
    responses = list(review.responses.all())
    mine = next((r for r in responses if r.reviewer_id == user.pk), None) if can_review else None
    rows, overall = selectors.review_items_with_comments(review=review)
    comment_form = CommentForm(items=[r["item"] for r in rows])
    respond_form = RespondForm()
    revise_form = ReviseForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        status = 400
        try:
            if action == "comment":
                _require(request, "bureau.review_agenda", review)
                comment_form = CommentForm(request.POST, items=[r["item"] for r in rows])
                if comment_form.is_valid():
                    item = next(
                        (r["item"] for r in rows if r["item"].pk == comment_form.cleaned_data["item"]), None
                    )
                    services.review_comment_add(
                        review=review, by=user, text=comment_form.cleaned_data["text"], item=item
                    )
                    messages.success(request, _("Your comment was sent to the secretariat."))
                    return redirect(review)
            elif action == "respond":
                _require(request, "bureau.review_agenda", review)
                respond_form = RespondForm(request.POST)
                if respond_form.is_valid():
                    response = services.agenda_review_respond(
                        review=review, by=user, decision=respond_form.cleaned_data["decision"]
                    )
                    messages.success(
                        request, _("Recorded: %(decision)s.") % {"decision": response.get_decision_display()}
                    )
                    return redirect(review)
            elif action == "answer":
                _require(request, "bureau.manage_reviews")
                form = AnswerForm(request.POST)
                if form.is_valid():
                    try:
                        comment = selectors.review_comment_of(review=review, pk=form.cleaned_data["comment"])
                    except ReviewComment.DoesNotExist as exc:
                        raise Http404 from exc
                    services.review_comment_answer(
                        comment=comment, by=user, answer=form.cleaned_data["answer"]
                    )
                    messages.success(request, _("Your answer was recorded."))
                    return redirect(review)
                messages.error(request, _("answer: Write an answer before sending it."))
            elif action == "revise":
                _require(request, "bureau.manage_reviews")
                revise_form = ReviseForm(request.POST)
                if revise_form.is_valid():
                    new_review = services.agenda_review_revise(
                        review=review, by=user, note=revise_form.cleaned_data["note"]
                    )
                    messages.success(
                        request,
                        _("Version %(n)s was sent to the reviewers.") % {"n": new_review.version.number},
                    )
                    return redirect(new_review)
            else:
                raise PermissionDenied
        except ValidationError as exc:
            messages_add_service_errors(request, exc)
    return render(
        request,
        "bureau/review_detail.html",
        {
            "review": review,
            "version": review.version,
            "rows": rows,
            "overall": overall,
            "responses": responses,
            "mine": mine,
            "can_manage_reviews": can_manage_reviews,
            "comment_form": comment_form,
            "respond_form": respond_form,
            "revise_form": revise_form,
            "open": selectors.review_is_open(review=review),
        },
        status=status,
    )


@rule_required("bureau.view_bureau_pages", message=BUREAU_ONLY)
def meeting_list(request):
    return render(request, "bureau/meeting_list.html", {"meetings": selectors.bureau_meeting_list()})


@rule_required("bureau.view_bureau_pages", load=_load_meeting, message=BUREAU_ONLY)
def meeting_detail(request, meeting, code):
    can_manage_meetings = request.user.has_perm("bureau.manage_meetings")
    record = getattr(meeting, "bureau", None)
    report_form = ReportForm(initial={"report": record.report if record else ""})
    status = 200
    if request.method == "POST":
        _require(request, "bureau.manage_meetings")
        try:
            if request.POST.get("action") == "invite":
                n = services.bureau_meeting_invite(meeting=meeting, by=request.user)
                messages.success(request, _("Invitations queued for %(n)s member(s).") % {"n": n})
                return redirect("bureau:meeting", code=code)
            report_form = ReportForm(request.POST, request.FILES)
            if report_form.is_valid():
                if report_form.cleaned_data["report_file"]:
                    # A report's file (public once the report is published) is the reports' rule's.
                    _require(request, "bureau.manage_reports")
                services.bureau_meeting_report_save(
                    meeting=meeting, report=report_form.cleaned_data["report"],
                    report_file=report_form.cleaned_data["report_file"],
                    language=report_form.cleaned_data["report_language"] or Language.ENGLISH, by=request.user,
                )  # fmt: skip
                messages.success(request, _("The report was saved."))
                return redirect("bureau:meeting", code=code)
        except ValidationError as exc:
            messages_add_service_errors(request, exc)
        status = 400
    published_report = selectors.meeting_report_for(code=code)
    return render(
        request,
        "bureau/meeting_detail.html",
        {
            "meeting": meeting,
            "record": record,
            "can_manage_meetings": can_manage_meetings,
            "report_form": report_form,
            "published_report": published_report,
            "report_links": selectors.report_links(
                published_report, selectors.meeting_report_files(report=published_report)
            ),
        },
        status=status,
    )


@rule_required("bureau.read_report", load=_load_bureau_meeting_report, anonymous=True, message=BUREAU_ONLY)
def meeting_report_file(request, report, code):
    """The report of a Bureau meeting, in the visitor's language where it has it (else the first in
    the UN's order). Uploads are not served under MEDIA_URL (see settings), so the file goes out
    through this view: to the members in office and staff until staff publish it, then to anyone;
    an attachment typed by the kind its bytes were checked as (never by the uploader's file name)."""
    files = selectors.report_files_in_order(selectors.meeting_report_files(report=report))
    if not files:
        raise Http404
    return stored_file_response(files[0].file, kind=files[0].kind, name=f"{code}-report")


# --- Meetings' reports ----------------------------------------------------------------------------


@public
@cached_for_visitors
def report_list(request):
    """Published reports of the Bureau, the committees and the meetings, in the languages they have;
    the Bureau and staff also see those not published yet."""
    unpublished = request.user.has_perm("bureau.view_unpublished_reports")
    return render(
        request,
        "bureau/report_list.html",
        {
            "groups": selectors.report_list(unpublished=unpublished),
            "unpublished": unpublished,
            "can_manage_reports": request.user.has_perm("bureau.manage_reports"),
        },
    )


# A report not published is hidden (404) from those who may not read it yet.
@rule_required("bureau.read_report", load=_load_report, hide=True, anonymous=True)
def report_detail(request, report, code):
    user = request.user
    meeting = report.meeting
    can_manage_reports = user.has_perm("bureau.manage_reports")
    can_publish_reports = user.has_perm("bureau.publish_reports")
    upload_form = ReportFileForm()
    symbol_form = ReportSymbolForm(initial={"symbol": report.symbol})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        status = 400
        try:
            if action == "upload":
                _require(request, "bureau.manage_reports")
                upload_form = ReportFileForm(request.POST, request.FILES)
                if upload_form.is_valid():
                    stored = services.meeting_report_file_save(
                        meeting=meeting, language=upload_form.cleaned_data["language"],
                        file=upload_form.cleaned_data["file"], by=user,
                    )  # fmt: skip
                    messages.success(
                        request,
                        _("The report in %(language)s was saved.")
                        % {"language": stored.get_language_display()},
                    )
                    return redirect("bureau:report", code=code)
            elif action == "symbol":
                _require(request, "bureau.manage_reports")
                symbol_form = ReportSymbolForm(request.POST)
                if symbol_form.is_valid():
                    services.meeting_report_update(
                        meeting=meeting, symbol=symbol_form.cleaned_data["symbol"], by=user
                    )
                    messages.success(request, _("The symbol was saved."))
                    return redirect("bureau:report", code=code)
            elif action == "remove":
                _require(request, "bureau.manage_reports")
                remove_form = ReportRemoveForm(request.POST)
                if not report.pk or not remove_form.is_valid():
                    raise ValidationError({"language": _("Choose the language whose file to remove.")})
                services.meeting_report_file_remove(
                    report=report, language=remove_form.cleaned_data["language"], by=user
                )
                messages.success(request, _("The file was removed."))
                return redirect("bureau:report", code=code)
            elif action in ("publish", "withdraw"):
                _require(request, "bureau.publish_reports")
                if not report.pk:
                    raise ValidationError(
                        _("Upload the report in one language at least before publishing it.")
                    )
                if action == "publish":
                    services.meeting_report_publish(report=report, by=user)
                    messages.success(request, _("The report is published on the public pages."))
                else:
                    services.meeting_report_withdraw(report=report, by=user)
                    messages.success(
                        request, _("The report was withdrawn: only the Bureau and the secretariat see it.")
                    )
                return redirect("bureau:report", code=code)
            else:
                raise PermissionDenied
        except ValidationError as exc:
            if action == "upload":
                form_add_service_errors(upload_form, exc)
            elif action == "symbol":
                form_add_service_errors(symbol_form, exc)
            else:
                messages_add_service_errors(request, exc)
    insider = user.has_perm("bureau.view_unpublished_reports")
    files = selectors.meeting_report_files(report=report)
    return render(
        request,
        "bureau/report_detail.html",
        {
            "report": report,
            "meeting": meeting,
            "files": files,
            "links": selectors.report_links(report, files),
            "insider": insider,
            "can_manage_reports": can_manage_reports,
            "can_publish_reports": can_publish_reports,
            "upload_form": upload_form,
            "symbol_form": symbol_form,
            "history": selectors.meeting_report_history(report=report) if insider else [],
        },
        status=status,
    )


@rule_required("bureau.read_report", load=_load_report_file, hide=True, anonymous=True)
def report_file(request, stored, code, language):
    """One language of a meeting's report: published, to anyone; until then, to the Bureau and staff.
    A PDF opens in the browser; anything else is an attachment, typed by its checked kind."""
    return stored_file_response(stored.file, kind=stored.kind, name=f"{code}-report-{language}", inline=True)


@public
@cached_for_visitors
def decision_list(request):
    """Adopted COP decisions, public; the Bureau and staff also see Bureau decisions and drafts."""
    insider = request.user.has_perm("bureau.view_bureau_pages")
    decisions = selectors.decisions_all() if insider else selectors.decisions_public()
    return render(
        request,
        "bureau/decision_list.html",
        {
            "decisions": decisions,
            "insider": insider,
            "can_record_decisions": request.user.has_perm("bureau.record_decisions"),
        },
    )


# Adopted COP decisions are open to anyone, signed in or not; the rule hides the rest (404).
@rule_required("bureau.read_decision", load=_load_decision, hide=True, anonymous=True)
def decision_detail(request, decision, pk):
    user = request.user
    insider = user.has_perm("bureau.view_bureau_pages")
    can_record_decisions = user.has_perm("bureau.record_decisions")
    can_manage_mandates = user.has_perm("bureau.manage_mandates")
    adopt_form = AdoptForm(initial={"adopted_on": decision.meeting.end_date})
    mandate_form = MandateCreateForm(decision=decision) if can_manage_mandates else None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "adopt":
                _require(request, "bureau.record_decisions")
                adopt_form = AdoptForm(request.POST)
                if adopt_form.is_valid():
                    decision = services.decision_adopt(
                        decision=decision, number=adopt_form.cleaned_data["number"],
                        on=adopt_form.cleaned_data["adopted_on"], by=user,
                    )  # fmt: skip
                    messages.success(request, _("Adopted as %(symbol)s.") % {"symbol": decision.symbol})
                    return redirect(decision)
            elif action == "mandate":
                _require(request, "bureau.manage_mandates")
                mandate_form = MandateCreateForm(request.POST, decision=decision)
                if mandate_form.is_valid():
                    services.mandate_create(decision=decision, **mandate_form.cleaned_data, by=user)
                    messages.success(request, _("The request to the secretariat was recorded."))
                    return redirect(decision)
            else:
                raise PermissionDenied
        except ValidationError as exc:
            form_add_service_errors(adopt_form if action == "adopt" else mandate_form, exc)
        status = 400
    return render(
        request,
        "bureau/decision_detail.html",
        {
            "decision": decision,
            "insider": insider,
            "can_record_decisions": can_record_decisions,
            "can_manage_mandates": can_manage_mandates,
            "adopt_form": adopt_form,
            "mandate_form": mandate_form,
            "history": selectors.mandate_history(decision=decision) if can_manage_mandates else [],
        },
        status=status,
    )


@rule_required("bureau.record_decisions")
def decision_new(request):
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_create(
                meeting=data["meeting"], kind=data["kind"], symbol=data["symbol"], number=data["number"],
                title_en=data["title_en"], text=data["text"], paragraphs=data["paragraphs"],
                adopted_on=data["adopted_on"], by=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("%(symbol)s was recorded.") % {"symbol": decision.symbol})
            return redirect(decision)
    return render(
        request, "bureau/decision_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@rule_required("bureau.manage_mandates")
def follow_up(request):
    return render(request, "bureau/follow_up.html", selectors.mandate_follow_up())


@rule_required("bureau.manage_mandates", load=_load_mandate)
@require_POST
def mandate_update(request, mandate, pk):
    form = MandateForm(request.POST)
    if form.is_valid():
        try:
            services.mandate_update(
                mandate=mandate,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The mandate was updated."))
        except ValidationError as exc:
            messages_add_service_errors(request, exc)
    else:
        messages.error(request, _("status: Choose a status."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("bureau:follow_up")
