"""The secretariat's letter desk. Actions and views call services; they change nothing themselves."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template import TemplateSyntaxError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from outbox.enums import MailStatus

from .bulk import bulk_send, bulk_sends
from .enums import LETTER_TRANSITIONS, LetterKind
from .models import Letter, LetterBatch, LetterTemplate
from .rendering import PLACEHOLDERS, compile_body, default_body_source, html_to_letter_pdf, letter_html
from .selectors import batch_progress_annotations, undelivered_letters
from .services.issuing import LetterActionError, letter_resend, letter_revoke, reference_prefix
from .services.templates import letter_template_save


class UndeliveredFilter(admin.SimpleListFilter):
    """The letters a batch counts as not delivered (the batch page's link): not rendered, or
    rendered with their e-mail failed for good."""

    title = _("delivery problem")
    parameter_name = "undelivered"

    def lookups(self, request, model_admin):
        return [("yes", _("Not delivered (could not be rendered, or e-mail failed)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(undelivered_letters())
        return queryset


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "kind",
        "recipient_name",
        "language",
        "status",
        "delivery",
        "sent_at",
        "meeting_code",
        "revoked_at",
        "pdf_link",
    ]
    list_filter = [
        "status",
        ("mail__status", admin.ChoicesFieldListFilter),
        UndeliveredFilter,
        "kind",
        "language",
        "meeting",
        "batch",
    ]
    search_fields = ["reference", "recipient_name", "recipient_email", "trigger_key"]
    list_select_related = ["meeting", "mail"]
    readonly_fields = [f.name for f in Letter._meta.fields if f.name != "pdf"] + [
        "delivery",
        "sent_at",
        "pdf_link",
    ]
    exclude = ["pdf"]
    actions = ["resend", "revoke"]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        # Letters come from triggers and bulk sends, never typed in.
        return False

    def has_delete_permission(self, request, obj=None):
        # A letter is a record the verification page answers for, and its trigger key what
        # keeps it issued once: deleting it would free the key. Staff revoke it instead.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mail")

    @admin.display(description=_("e-mail"), ordering="mail__status")
    def delivery(self, letter):
        # Read from the letter's latest e-mail (outbox), never copied onto the letter.
        status = letter.delivery_status
        return MailStatus(status).label if status else "–"

    @admin.display(description=_("e-mailed on"), ordering="mail__sent_at")
    def sent_at(self, letter):
        return letter.mail.sent_at if letter.mail_id else None

    def has_send_letter_permission(self, request):
        return request.user.has_perm("letters.send_letter")

    @admin.display(description=_("meeting"), ordering="meeting__code")
    def meeting_code(self, letter):
        return letter.meeting.code

    @admin.display(description=_("PDF"))
    def pdf_link(self, letter):
        if letter.pdf_purged_at:
            return _("deleted on %s") % date_format(
                timezone.localtime(letter.pdf_purged_at), "SHORT_DATE_FORMAT"
            )
        if not letter.sha256:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("letters:download", args=[letter.pk]), _("Download")
        )

    # Both actions change letters: staff who may only look at them do not get them.
    @admin.action(
        description=_("Send the selected letters again (failed ones, or a deliberate resend)"),
        permissions=["send_letter"],
    )
    def resend(self, request, queryset):
        done, refused = 0, []
        for letter in queryset:
            try:
                letter_resend(letter=letter, by=request.user)
                done += 1
            except LetterActionError as exc:
                refused.append(f"{letter.reference}: {exc}")
            except ValidationError as exc:
                refused.append(f"{letter.reference}: {' '.join(exc.messages)}")
        if done:
            self.message_user(
                request, ngettext("%d letter queued again.", "%d letters queued again.", done) % done
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(
        description=_("Revoke the selected letters (verification shows them as revoked)"),
        permissions=["send_letter"],
    )
    def revoke(self, request, queryset):
        revoked = 0
        for letter in queryset.filter(status__in=LETTER_TRANSITIONS.sources_of("revoke")):
            try:
                letter_revoke(letter=letter, by=request.user)
                revoked += 1
            except LetterActionError as exc:
                # Revoked by someone else since the list was read.
                self.message_user(request, f"{letter.reference}: {exc}", messages.WARNING)
        self.message_user(request, _("Revoked: %d.") % revoked)


class BulkSendForm(forms.Form):
    # The meeting model through letters' own reference to it: letters imports no meetings.
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=LetterBatch.meeting.field.related_model.objects.order_by("-start_date"),
    )


@admin.register(LetterBatch)
class LetterBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "created", "total", "to_render", "mailing", "delivered", "undelivered"]
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

    @admin.display(description=_("waiting to be rendered"))
    def to_render(self, batch):
        return batch.to_render

    @admin.display(description=_("being e-mailed"))
    def mailing(self, batch):
        return batch.mailing

    @admin.display(description=_("delivered"))
    def delivered(self, batch):
        return batch.delivered

    @admin.display(description=_("not delivered"))
    def undelivered(self, batch):
        return batch.undelivered

    def get_urls(self):
        # One page per bulk send the apps registered (letters.bulk); the URL names stay
        # letters_letterbatch_send_<key>.
        return [
            path(
                f"send-{bulk.key}/",
                self.admin_site.admin_view(self.send_view),
                {"key": bulk.key},
                name=f"letters_letterbatch_send_{bulk.key}",
            )
            for bulk in bulk_sends()
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        sends = [
            {"title": bulk.title, "url": reverse(f"admin:letters_letterbatch_send_{bulk.key}")}
            for bulk in bulk_sends()
        ]
        extra_context = {**(extra_context or {}), "bulk_sends": sends}
        return super().changelist_view(request, extra_context)

    def send_view(self, request, key):
        """A bulk send: pick a meeting, call the app's send, show the batch's progress."""
        if not request.user.has_perm("letters.send_letters"):
            raise PermissionDenied
        bulk = bulk_send(key)
        if bulk is None:
            raise Http404
        form = BulkSendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            meeting = form.cleaned_data["meeting"]
            batch = bulk.send(meeting=meeting, by=request.user)
            if batch is None:
                self.message_user(request, bulk.nothing_new % meeting, messages.WARNING)
                return HttpResponseRedirect(reverse("admin:letters_letterbatch_changelist"))
            self.message_user(request, bulk.queued % {"n": batch.letters.count()})
            return HttpResponseRedirect(reverse("admin:letters_letterbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": bulk.title,
            "intro": bulk.intro,
            "submit": bulk.submit,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/letters/letterbatch/send_invitations.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = get_object_or_404(self.get_queryset(request), pk=object_id)
        extra_context = {
            **(extra_context or {}),
            "progress": batch,
            "running": batch.to_render + batch.mailing > 0,
            # A revoked letter is never delivered nor undelivered: the bar fills without it.
            "progress_max": batch.total - batch.revoked,
            # The same letters the "not delivered" count counts.
            "failed_url": reverse("admin:letters_letter_changelist")
            + f"?batch__id__exact={batch.pk}&{UndeliveredFilter.parameter_name}=yes",
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
        letter_template_save(template=obj, by=request.user)

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
        if not request.user.has_perm("letters.preview_template", template):
            raise PermissionDenied
        sample = Letter(
            kind=template.kind,
            meeting=template.meeting,
            language=template.language,
            recipient_name="H.E. Ms Sample Recipient",
            recipient_email="sample@example.org",
            recipient_address="Permanent Mission\nGeneva",
            reference=f"{reference_prefix(template.meeting)}/PREVIEW",
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
