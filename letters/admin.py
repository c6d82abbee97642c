"""The secretariat's letter desk. Actions and views call services; they change nothing themselves."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template import TemplateSyntaxError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import Meeting

from . import services
from .enums import LetterKind, LetterStatus
from .models import Letter, LetterBatch, LetterTemplate, OutgoingMail
from .rendering import PLACEHOLDERS, compile_body, default_body_source, html_to_letter_pdf, letter_html
from .selectors import batch_progress_annotations


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "created", "sent_at"]
    list_filter = ["status", "language", "created"]
    search_fields = ["to", "subject", "trigger_key", "message_id"]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]
    list_select_related = ["letter"]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "kind",
        "recipient_name",
        "language",
        "status",
        "attempts",
        "sent_at",
        "meeting_code",
        "revoked_at",
        "pdf_link",
    ]
    list_filter = ["status", "kind", "language", "meeting", "batch"]
    search_fields = ["reference", "recipient_name", "recipient_email", "trigger_key"]
    list_select_related = ["meeting"]
    readonly_fields = [f.name for f in Letter._meta.fields if f.name != "pdf"] + ["pdf_link"]
    exclude = ["pdf"]
    actions = ["resend", "revoke"]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        # Letters come from triggers and bulk sends, never typed in.
        return False

    @admin.display(description=_("meeting"), ordering="meeting__code")
    def meeting_code(self, letter):
        return letter.meeting.code

    @admin.display(description=_("PDF"))
    def pdf_link(self, letter):
        if not letter.sha256:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("letters:download", args=[letter.pk]), _("Download")
        )

    # Both actions change letters: staff who may only look at them do not get them.
    @admin.action(
        description=_("Send the selected letters again (failed ones, or a deliberate resend)"),
        permissions=["change"],
    )
    def resend(self, request, queryset):
        done, refused = 0, []
        for letter in queryset:
            try:
                services.letter_resend(letter=letter, by=request.user)
                done += 1
            except services.LetterActionError as exc:
                refused.append(f"{letter.reference}: {exc}")
        if done:
            self.message_user(
                request, ngettext("%d letter queued again.", "%d letters queued again.", done) % done
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(
        description=_("Revoke the selected letters (verification shows them as revoked)"),
        permissions=["change"],
    )
    def revoke(self, request, queryset):
        revoked = [
            services.letter_revoke(letter=letter, by=request.user)
            for letter in queryset.filter(revoked_at=None)
        ]
        self.message_user(request, _("Revoked: %d.") % len(revoked))


class SendInvitationsForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.order_by("-start_date"))


class SendConfirmationsForm(SendInvitationsForm):
    pass


@admin.register(LetterBatch)
class LetterBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "created", "total", "queued", "rendered", "sent", "failed"]
    list_filter = ["kind", "meeting"]
    readonly_fields = ["meeting", "kind", "description", "created", "created_by"]
    change_form_template = "admin/letters/letterbatch/change_form.html"
    change_list_template = "admin/letters/letterbatch/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("meeting", "created_by")
            .annotate(**batch_progress_annotations())
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A batch is the record of a send: its letters and mails stay, and so does it.
        return False

    @admin.display(description=_("letters"), ordering="total")
    def total(self, batch):
        return batch.total

    @admin.display(description=_("queued"))
    def queued(self, batch):
        return batch.queued

    @admin.display(description=_("rendered"))
    def rendered(self, batch):
        return batch.rendered

    @admin.display(description=_("sent"))
    def sent(self, batch):
        return batch.sent

    @admin.display(description=_("failed"))
    def failed(self, batch):
        return batch.failed

    def get_urls(self):
        return [
            path(
                "send-invitations/",
                self.admin_site.admin_view(self.send_invitations_view),
                name="letters_letterbatch_send_invitations",
            ),
            path(
                "send-confirmations/",
                self.admin_site.admin_view(self.send_confirmations_view),
                name="letters_letterbatch_send_confirmations",
            ),
            *super().get_urls(),
        ]

    def _send_batch_view(self, request, *, form_class, send, nothing_new, queued, texts):
        """The two bulk sends: pick a meeting, call the service, show the batch's progress."""
        if not request.user.has_perm("letters.add_letter"):
            raise PermissionDenied
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            meeting = form.cleaned_data["meeting"]
            batch = send(meeting=meeting, by=request.user)
            if batch is None:
                self.message_user(request, nothing_new % meeting, messages.WARNING)
                return HttpResponseRedirect(reverse("admin:letters_letterbatch_changelist"))
            self.message_user(request, queued % {"n": batch.letters.count()})
            return HttpResponseRedirect(reverse("admin:letters_letterbatch_change", args=[batch.pk]))
        context = {**self.admin_site.each_context(request), **texts, "form": form, "opts": self.model._meta}
        return TemplateResponse(request, "admin/letters/letterbatch/send_invitations.html", context)

    def send_confirmations_view(self, request):
        return self._send_batch_view(
            request,
            form_class=SendConfirmationsForm,
            send=services.letter_batch_confirm_accredited,
            nothing_new=_("Every accredited participant of %s already has a confirmation letter."),
            queued=_("Confirmation letters queued: %(n)d."),
            texts={
                "title": _("Send confirmation letters to all accredited participants"),
                "intro": _(
                    "Every participant of the meeting who is accredited (or already has a badge) gets a "
                    "confirmation letter in their language. Those who already have one are skipped."
                ),
                "submit": _("Send confirmation letters"),
            },
        )

    def send_invitations_view(self, request):
        return self._send_batch_view(
            request,
            form_class=SendInvitationsForm,
            send=services.letter_batch_invite_parties,
            nothing_new=_("Every Party's focal point already has an invitation for %s: nothing new to send."),
            queued=_("Invitation letters queued: %(n)d."),
            texts={
                "title": _("Send invitation letters to all Parties' focal points"),
                "intro": _(
                    "Every active focal point of a State that is a Party to the Convention on the meeting's "
                    "opening day gets one invitation letter, in their language. Focal points who already "
                    "have one are skipped, so sending twice sends nothing twice."
                ),
                "submit": _("Send invitation letters"),
            },
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = get_object_or_404(self.get_queryset(request), pk=object_id)
        extra_context = {
            **(extra_context or {}),
            "progress": batch,
            "running": batch.queued + batch.rendered > 0,
            "failed_url": reverse("admin:letters_letter_changelist")
            + f"?batch__id__exact={batch.pk}&status__exact={LetterStatus.FAILED}",
            "letters_url": reverse("admin:letters_letter_changelist") + f"?batch__id__exact={batch.pk}",
        }
        return super().change_view(request, object_id, form_url, extra_context)


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["meeting", "kind", "language", "subject", "body", "signatory_name", "signatory_title"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18, "cols": 100})}

    def clean_body(self):
        body = self.cleaned_data["body"]
        try:
            compile_body(body)
        except TemplateSyntaxError as exc:
            raise ValidationError(_("The body does not compile: %(error)s"), params={"error": exc}) from exc
        return body


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SimpleHistoryAdmin):
    form = LetterTemplateForm
    list_display = ["meeting", "kind", "language", "version", "modified", "modified_by", "preview_link"]
    list_filter = ["kind", "language", "meeting"]
    list_select_related = ["meeting", "modified_by"]

    @admin.display(description=_("preview"))
    def preview_link(self, template):
        return format_html(
            '<a href="{}" target="_blank">{}</a>',
            reverse("admin:letters_lettertemplate_preview", args=[template.pk]),
            _("Preview PDF"),
        )

    def get_readonly_fields(self, request, obj=None):
        return ["version"] if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["body"].help_text = _("Placeholders: %s. Values are printed as text.") % ", ".join(
            f"{{{{ {name} }}}}" for name in PLACEHOLDERS
        )
        return form

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        kind = initial.get("kind") or LetterKind.INVITATION
        language = initial.get("language") or "en"
        if kind in LetterKind.values and language in ("en", "fr", "es"):
            initial.setdefault("body", default_body_source(kind, language))
        return initial

    def save_model(self, request, obj, form, change):
        services.letter_template_save(template=obj, by=request.user)

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="letters_lettertemplate_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        """The override as a PDF, addressed to a sample recipient."""
        template = get_object_or_404(LetterTemplate.objects.select_related("meeting__country"), pk=pk)
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        sample = Letter(
            kind=template.kind,
            meeting=template.meeting,
            language=template.language,
            recipient_name="H.E. Ms Sample Recipient",
            recipient_email="sample@example.org",
            recipient_address="Permanent Mission\nGeneva",
            reference=f"{services.reference_prefix(template.meeting)}/PREVIEW",
            verification_code="preview-not-a-real-code-000000",
            details={
                "country_name": "Zambia",
                "participant_name": "Sample Recipient",
                "delegation": "Zambia",
            },
            created=timezone.now(),
        )
        pdf = html_to_letter_pdf(letter_html(sample, override=template))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="preview-{template.kind}-{template.language}.pdf"'
        )
        return response


@admin.action(description=_("Send confirmation letters to the selected registrations"))
def send_confirmation_letters(modeladmin, request, queryset):
    """For the registrations' admin (participants): a bulk send of confirmation letters."""
    if not request.user.has_perm("letters.add_letter"):
        # Whoever may look at registrations is not thereby allowed to send letters.
        modeladmin.message_user(request, _("You may not send letters."), messages.ERROR)
        return None
    try:
        batch, skipped = services.letter_batch_confirm_selected(registrations=queryset, by=request.user)
    except services.LetterActionError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return None
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%d selected registration is not accredited: no confirmation letter.",
                "%d selected registrations are not accredited: no confirmation letter.",
                skipped,
            )
            % skipped,
            messages.WARNING,
        )
    if batch is None:
        modeladmin.message_user(
            request, _("Every selected registration already has its letter."), messages.WARNING
        )
        return None
    modeladmin.message_user(request, _("Confirmation letters queued: %d.") % batch.letters.count())
    return HttpResponseRedirect(reverse("admin:letters_letterbatch_change", args=[batch.pk]))
