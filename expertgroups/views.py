"""The expert groups' pages: the public page of each group; the focal points' and observer
contacts' nominations; the drafts a group's members comment on; the secretariat's record of who
commented. Every view names its rule (`expertgroups/rules.py`), reads through selectors and writes
through services."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minamata_portal.access import load_or_404, public, rule_required
from minamata_portal.files import stored_file_response
from minamata_portal.forms import form_add_service_errors, messages_add_service_errors
from participants.selectors import organisations_represented_by

from . import selectors, services
from .forms import CommentForm, DraftForm, NominationForm

_load_group = load_or_404(selectors.expert_group_detail)
_load_nomination = load_or_404(selectors.nomination_detail)
_load_draft = load_or_404(selectors.draft_detail)


def _require(request, rule: str, obj=None) -> None:
    """Refuse the action posted on a page whose other actions another rule opens."""
    if not request.user.has_perm(rule, obj):
        raise PermissionDenied


@public
def group_list(request):
    return render(request, "expertgroups/group_list.html", {"groups": selectors.expert_groups()})


@public
def group_detail(request, pk):
    try:
        group = selectors.expert_group_detail(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(
        request,
        "expertgroups/group_detail.html",
        {
            "group": group,
            "mandate": selectors.mandate_summary(group=group),
            "meetings": selectors.group_meetings(group=group),
            "members": selectors.members_public(group=group),
            "outputs": selectors.group_outputs(group=group, user=request.user),
            "can_see_drafts": request.user.has_perm("expertgroups.view_group_drafts", group),
        },
    )


@rule_required("expertgroups.nominate")
def nominate(request):
    user = request.user
    countries = [fp.country for fp in user.focal_points.filter(active=True).select_related("country")]
    organisations = list(organisations_represented_by(user))
    form = NominationForm(countries=countries, organisations=organisations)
    status = 200
    if request.method == "POST":
        form = NominationForm(request.POST, countries=countries, organisations=organisations)
        status = 400
        if form.is_valid():
            try:
                nomination = services.nomination_create(**form.cleaned_data, by=user)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s was nominated to the %(group)s.")
                    % {"name": nomination.name, "group": nomination.group},
                )
                return redirect("expertgroups:nominate")
    return render(
        request,
        "expertgroups/nominate.html",
        {"form": form, "nominations": selectors.nominations_for_nominator(user=user)},
        status=status,
    )


@rule_required("expertgroups.withdraw_nomination", load=_load_nomination, hide=True)
@require_POST
def nomination_withdraw(request, nomination, pk):
    try:
        services.nomination_withdraw(nomination=nomination, by=request.user)
    except ValidationError as exc:
        messages_add_service_errors(request, exc)
    else:
        messages.success(request, _("The nomination was withdrawn."))
    return redirect("expertgroups:nominate")


@rule_required("expertgroups.act_as_expert")
def my_groups(request):
    """The groups the signed-in expert serves on, each with its drafts for comment."""
    return render(
        request, "expertgroups/mine.html", {"memberships": selectors.memberships_of(user=request.user)}
    )


@rule_required("expertgroups.view_group_drafts", load=_load_group, hide=True)
def group_drafts(request, group, pk):
    user = request.user
    can_manage = user.has_perm("expertgroups.manage")
    form = DraftForm(group=group) if can_manage else None
    status = 200
    if request.method == "POST":
        _require(request, "expertgroups.manage")
        form = DraftForm(request.POST, request.FILES, group=group)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                draft = services.draft_put_out(
                    group=group, title=data["title"], file=data["file"],
                    paragraphs=services.paragraphs_from_text(data["paragraphs"]),
                    comments_until=data["comments_until"], revises=data["revises"], by=user,
                )  # fmt: skip
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, _("The draft is out to the group's members for comment."))
                return redirect("expertgroups:draft", pk=draft.pk)
    return render(
        request,
        "expertgroups/drafts.html",
        {
            "group": group,
            "drafts": selectors.group_drafts(group=group),
            "form": form,
            "can_manage": can_manage,
        },
        status=status,
    )


@rule_required("expertgroups.view_draft", load=_load_draft, hide=True)
def draft_detail(request, draft, pk):
    user = request.user
    member = selectors.membership_of(user=user, group_id=draft.group_id)
    status = 200
    failed = None
    if request.method == "POST":
        _require(request, "expertgroups.comment_on_draft", draft)
        form = CommentForm(request.POST)
        status = 400
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            services.draft_comment(
                draft=draft, paragraph=form.cleaned_data["paragraph"], member=member,
                text=form.cleaned_data["text"], by=user,
            )  # fmt: skip
        except ValidationError as exc:
            failed = exc
            messages_add_service_errors(request, exc)
        else:
            messages.success(request, _("Your comment was recorded."))
            return redirect("expertgroups:draft", pk=draft.pk)
    return render(
        request,
        "expertgroups/draft_detail.html",
        {
            "draft": draft,
            "group": draft.group,
            "paragraphs": selectors.draft_paragraphs(draft=draft, member=member),
            "member": member,
            "is_open": selectors.draft_is_open(draft=draft),
            "today": timezone.localdate(),
            "can_manage": user.has_perm("expertgroups.manage"),
            "failed": failed,
        },
        status=status,
    )


@rule_required("expertgroups.view_draft", load=_load_draft, hide=True)
def draft_file(request, draft, pk):
    return stored_file_response(draft.file, kind=draft.kind, name=f"draft-{draft.pk}", inline=True)


# Hidden (404) to anyone else, as the drafts are: a draft's number tells nothing.
@rule_required("expertgroups.manage", load=_load_draft, hide=True)
def draft_comments(request, draft, pk):
    return render(
        request,
        "expertgroups/draft_comments.html",
        {"draft": draft, "group": draft.group, **selectors.draft_comment_record(draft=draft)},
    )
