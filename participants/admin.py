from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin, ExportMixin, ImportExportModelAdmin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from meetings.forms import ListChoiceField
from meetings.models import Meeting
from minamata_portal.forms import form_add_service_errors
from participants.letters import send_confirmation_letters
from reference.enums import Classification

from .badge_forms import BadgeColoursField, BadgePhotoForm
from .enums import ITINERARY_OPEN_STATUSES, CredentialsVerdict
from .models import (
    Attendance,
    Credentials,
    DsaRate,
    FocalPointInvitation,
    FundingRequest,
    MeetingParticipationSettings,
    NominationLetter,
    ObserverApplication,
    Organisation,
    Registration,
    RegistrationRequest,
    VisaRequest,
)
from .resources import (
    AdmittedObserverResource,
    DsaRateResource,
    OrganisationResource,
    RegistrationResource,
    ShortLivedImportStorage,
)
from .services import badges as badge_services
from .services import credentials as credentials_services
from .services import focal_points as focal_point_services
from .services import funding as funding_services
from .services import observers as observer_services
from .services import registration as registration_services


class RuleActionsMixin:
    """The admin's actions ask the named rules of participants/rules.py (`permissions=["accredit"]`
    asks `has_accredit_permission`), as the pages do."""

    def has_accredit_permission(self, request):
        return request.user.has_perm("participants.accredit_registration")

    def has_issue_badge_permission(self, request):
        return request.user.has_perm("participants.issue_badge")

    def has_manage_permission(self, request):
        return request.user.has_perm("participants.manage_registrations")


class ImportedByUserMixin:
    """The import resources save through the services, as the importing user."""

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "by": request.user}


def _run_service(modeladmin, request, queryset, service, done_message):
    """Apply a service to each selected row; report each refusal with the person's name."""
    done, refused = 0, []
    for obj in queryset:
        try:
            service(obj, request.user)
            done += 1
        except ValidationError as exc:
            refused.append(f"{obj}: {' '.join(exc.messages)}")
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    for line in refused:
        modeladmin.message_user(request, line, messages.ERROR)


class FundingStatusFilter(admin.ChoicesFieldListFilter):
    """The funding request's status, titled so: beside the registration's own status, two
    filters both called "By status" would not say which is which."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("funding status")


class FundingFilter(admin.SimpleListFilter):
    title = _("funding")
    parameter_name = "funding"

    def lookups(self, request, model_admin):
        return [("asked", _("Funding requested")), ("none", _("No funding requested"))]

    def queryset(self, request, queryset):
        if self.value() == "asked":
            return queryset.filter(funding_requested=True)
        if self.value() == "none":
            return queryset.filter(funding_requested=False)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(
    RuleActionsMixin, ImportedByUserMixin, ExportActionMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    resource_classes = [RegistrationResource]
    tmp_storage_class = ShortLivedImportStorage
    # "Export selected" answers with the spreadsheet at once (XLSX first), no intermediate form.
    skip_export_form_from_action = True
    export_formats = [base_formats.XLSX, base_formats.CSV]
    import_formats = [base_formats.XLSX, base_formats.CSV]
    # Six columns, so that the badge column shows at 1280 px beside the admin's navigation and
    # filters: the capacity goes under whom the person represents, the mode (online) under the
    # status; both still have their filters.
    list_display = ["full_name", "meeting_code", "represents_display", "role", "status_display", "badge_link"]
    list_filter = [
        ("meeting", admin.RelatedOnlyFieldListFilter), "status", "capacity", ("country", admin.RelatedOnlyFieldListFilter),
        "country__regional_group", FundingFilter, ("funding__status", FundingStatusFilter), "participation_mode",
    ]  # fmt: skip
    search_fields = [
        "first_name",
        "last_name",
        "email",
        "user__email",
        "country__name_en",
        "organisation__name",
    ]
    list_select_related = ["meeting", "country", "organisation"]
    autocomplete_fields = ["user", "country", "organisation"]
    # Statuses change only through the actions (the services); the form never sets them.
    readonly_fields = [
        "status", "status_note", "nomination_letter_link", "photo_link", "created_by", "created", "modified",
    ]  # fmt: skip
    exclude = ["nomination_letter"]
    actions = ["accredit", "decline", "reset", "withdraw", "issue_badges", send_confirmation_letters]
    list_per_page = 100

    def has_send_letters_permission(self, request):
        # The action `send_confirmation_letters` (participants/letters.py) asks the letters' rule.
        return request.user.has_perm("letters.send_letters")

    def get_readonly_fields(self, request, obj=None):
        # Whose registration, for which meeting, is fixed once it exists (no service moves it).
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "meeting", "user"] if obj is not None else fields

    @admin.display(description=_("meeting"), ordering="meeting__start_date")
    def meeting_code(self, obj):
        return obj.meeting.code

    @admin.display(description=_("represents"), ordering="country__name_en")
    def represents_display(self, obj):
        return format_html("{}<br><small>{}</small>", obj.represents, obj.get_capacity_display())

    @admin.display(description=_("role"), ordering="delegation_role")
    def role(self, obj):
        return obj.get_delegation_role_display()

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        if obj.is_online:
            return format_html(
                "{}<br><small>{}</small>", obj.get_status_display(), obj.get_participation_mode_display()
            )
        return obj.get_status_display()

    @admin.display(description=_("badge"))
    def badge_link(self, obj):
        # Issuing changes the status: a POST (the button submits the change list's form, with its
        # CSRF token, to the issuing view). Printing an issued badge is a plain link.
        if obj.can_issue_badge and not obj.is_online:
            return format_html(
                '<button type="submit" formmethod="post" formaction="{}" class="button">{}</button>',
                reverse("participants:badge_issue", args=[obj.pk]), _("Issue badge"),
            )  # fmt: skip
        if obj.has_badge:
            return format_html(
                '<a href="{}">{}</a>', reverse("participants:badge", args=[obj.pk]), _("Badge")
            )
        return ""

    @admin.display(description=_("current badge photo"))
    def photo_link(self, obj):
        # The photo is personal: shown through the checked view, never from a media URL.
        if not obj.photo:
            return "—"
        url = reverse("participants:badge_photo", args=[obj.pk])
        return format_html('<a href="{}"><img src="{}" alt="" width="60"></a>', url, url)

    @admin.display(description=_("nomination letter"))
    def nomination_letter_link(self, obj):
        if not obj.nomination_letter_id:
            return "—"
        url = reverse("participants:nomination_letter", args=[obj.nomination_letter_id])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def _save_through_service(self, obj, cleaned_data, by, change):
        data = {k: v for k, v in cleaned_data.items() if k in registration_services.REGISTRATION_FIELDS}
        if change:
            return registration_services.registration_update(
                registration=obj, by=by, as_delegate=False, **data
            )
        return registration_services.registration_create(
            meeting=cleaned_data["meeting"], user=cleaned_data["user"], by=by, check_window=False, **data
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change, **kwargs)

        class CheckedRegistrationForm(base):
            def clean(self):
                # The service's refusals belong on the form, not on an error page: ask the same
                # checks the service makes (they write nothing).
                cleaned = super().clean()
                if self.errors:
                    return cleaned
                data = {k: v for k, v in cleaned.items() if k in registration_services.REGISTRATION_FIELDS}
                try:
                    if change:
                        registration_services.registration_change_check(
                            registration=obj, data=data, as_delegate=False
                        )
                        merged = {
                            k: data.get(k, getattr(obj, k)) for k in ("capacity", "country", "organisation")
                        }
                        meeting = obj.meeting
                    else:
                        merged = registration_services.registration_clean_data(
                            user=cleaned.get("user"), data=data
                        )
                        meeting = cleaned["meeting"]
                    registration_services.registration_capacity_check(
                        meeting=meeting, capacity=merged.get("capacity"), country=merged.get("country"),
                        organisation=merged.get("organisation"),
                    )  # fmt: skip
                except ValidationError as exc:
                    form_add_service_errors(self, exc)
                return cleaned

            def clean_photo(self):
                # Only a new upload, checked as the delegate's is (the field gives back the stored
                # photo when none is chosen); the service stores it after the save.
                photo = self.cleaned_data.get("photo")
                if isinstance(photo, UploadedFile):
                    checked = BadgePhotoForm(files={"photo": photo})
                    if not checked.is_valid():
                        raise ValidationError(checked.errors["photo"])
                return photo

        if "photo" in CheckedRegistrationForm.base_fields:
            CheckedRegistrationForm.base_fields["photo"] = forms.FileField(
                label=_("new badge photo"), required=False,
                widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
                help_text=_("JPEG or PNG; cropped to the badge's frame and stored as JPEG without its metadata."),
            )  # fmt: skip
        if "correspondence_language" in CheckedRegistrationForm.base_fields:
            # Left out (an older form, a script): the service takes the language in use.
            CheckedRegistrationForm.base_fields["correspondence_language"].required = False
        if "country" in CheckedRegistrationForm.base_fields:
            # The search offers every State: which may take part depends on the meeting chosen.
            CheckedRegistrationForm.base_fields["country"].help_text = _(
                "For delegates of a State. A meeting limited to some States (its scope) takes delegates of "
                "those States only: another is refused with the meeting's scope."
            )
        return CheckedRegistrationForm

    def save_model(self, request, obj, form, change):
        # On-site registration and corrections by staff go through the services like everything else.
        saved = self._save_through_service(obj, form.cleaned_data, request.user, change)
        obj.pk = saved.pk
        if "photo" in form.changed_data and isinstance(form.cleaned_data.get("photo"), UploadedFile):
            badge_services.registration_set_badge_photo(
                registration=saved, uploaded=form.cleaned_data["photo"], by=request.user
            )

    @admin.action(description=_("Accredit selected registrations"), permissions=["accredit"])
    def accredit(self, request, queryset):
        _run_service(
            self, request, queryset, lambda r, by: registration_services.registration_accredit(registration=r, by=by),
            _("%(count)s registration(s) accredited."),
        )  # fmt: skip

    @admin.action(description=_("Decline selected registrations"), permissions=["accredit"])
    def decline(self, request, queryset):
        _run_service(
            self, request, queryset, lambda r, by: registration_services.registration_decline(registration=r, by=by),
            _("%(count)s registration(s) declined."),
        )  # fmt: skip

    @admin.action(description=_("Reset selected to pre-registered"), permissions=["accredit"])
    def reset(self, request, queryset):
        _run_service(
            self, request, queryset, lambda r, by: registration_services.registration_reset(registration=r, by=by),
            _("%(count)s registration(s) reset to pre-registered."),
        )  # fmt: skip

    @admin.action(
        description=_("Issue the badges of the selected registrations"), permissions=["issue_badge"]
    )
    def issue_badges(self, request, queryset):
        _run_service(
            self, request, queryset, lambda r, by: badge_services.registration_issue_badge(registration=r, by=by),
            _("%(count)s badge(s) issued."),
        )  # fmt: skip

    @admin.action(description=_("Withdraw selected registrations"), permissions=["accredit"])
    def withdraw(self, request, queryset):
        _run_service(
            self, request, queryset,
            lambda r, by: registration_services.registration_withdraw(registration=r, by=by, as_delegate=False),
            _("%(count)s registration(s) withdrawn."),
        )  # fmt: skip


@admin.register(NominationLetter)
class NominationLetterAdmin(admin.ModelAdmin):
    list_display = ["country", "meeting", "original_name", "uploaded", "uploaded_by", "download"]
    list_filter = ["meeting"]
    list_select_related = ["country", "meeting", "uploaded_by"]
    search_fields = ["country__name_en", "original_name"]
    readonly_fields = ["meeting", "country", "file", "original_name", "size", "uploaded_by", "uploaded"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("participants:nomination_letter", args=[obj.pk]), _("Download")
        )


@admin.register(Organisation)
class OrganisationAdmin(ImportedByUserMixin, ImportExportModelAdmin):
    resource_classes = [OrganisationResource]
    tmp_storage_class = ShortLivedImportStorage
    list_display = ["name", "acronym", "kind", "country", "contact_email"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]

    def save_model(self, request, obj, form, change):
        # The form has set its values on `obj`; the service checks and saves them.
        observer_services.organisation_save(organisation=obj, by=request.user)


@admin.register(RegistrationRequest)
class RegistrationRequestAdmin(SimpleHistoryAdmin):
    """A focal point's request to a person who has an account. Read-only: the moves of
    REGISTRATION_REQUEST_TRANSITIONS belong to the person asked (accept, refuse, from "My
    registrations") and to the focal point of the State (withdraw, from the State's page), and go
    through `focal_point_services`; the admin lists, filters and shows, with the history."""

    list_display = ["user", "country", "meeting", "status", "created_by", "created", "answered",
                    "registration"]  # fmt: skip
    list_filter = ["status", "meeting", "country"]
    list_select_related = ["user", "country", "meeting", "created_by", "registration"]
    search_fields = ["user__email", "user__last_name", "country__name_en"]
    date_hierarchy = "created"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in RegistrationRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A request ends by a move (refused, withdrawn), which keeps who did it and when.
        return False


@admin.register(ObserverApplication)
class ObserverApplicationAdmin(RuleActionsMixin, ExportMixin, SimpleHistoryAdmin):
    """Requests come from the organisations (observer_services.observer_apply, which checks the
    deadline and earlier admissions) and are decided by the actions: the admin adds none and shows
    each request read-only."""

    resource_classes = [AdmittedObserverResource]
    list_display = ["organisation", "meeting", "status", "contact_email", "submitted"]
    list_filter = ["meeting", "status", "organisation__kind"]
    list_select_related = ["organisation", "meeting"]
    search_fields = ["organisation__name", "contact_email"]
    actions = ["admit", "refuse"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ObserverApplication._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Admit selected organisations as observers"), permissions=["manage"])
    def admit(self, request, queryset):
        _run_service(
            self, request, queryset, lambda a, by: observer_services.observer_admit(application=a, by=by),
            _("%(count)s organisation(s) admitted."),
        )  # fmt: skip

    @admin.action(description=_("Decline selected requests"), permissions=["manage"])
    def refuse(self, request, queryset):
        _run_service(
            self, request, queryset, lambda a, by: observer_services.observer_decline(application=a, by=by),
            _("%(count)s request(s) declined."),
        )  # fmt: skip


class MeetingParticipationSettingsForm(forms.ModelForm):
    # The classifications as ticks, not a JSON box; they save the same list of codes.
    eligible_classifications = ListChoiceField(
        label=capfirst(_("eligible classifications")),
        choices=Classification.choices,
        required=False,
        help_text=_("The classifications that make a Party eligible for funding; none ticked: all of them."),
    )
    badge_colours = BadgeColoursField(label=_("badge colours"))

    class Meta:
        model = MeetingParticipationSettings
        # Every field, as the admin showed them before it had a form of its own.
        fields = "__all__"  # noqa: DJ007


@admin.register(MeetingParticipationSettings)
class MeetingParticipationSettingsAdmin(admin.ModelAdmin):
    form = MeetingParticipationSettingsForm
    list_display = [
        "meeting", "observer_deadline", "funding_policy", "funded_per_party", "funded_places", "quorum_fraction",
    ]  # fmt: skip
    list_select_related = ["meeting"]

    def get_readonly_fields(self, request, obj=None):
        # One row per meeting: which meeting is fixed once the settings exist.
        return ["meeting"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        changes = {field: getattr(obj, field) for field in form.changed_data if field != "meeting"}
        saved = funding_services.meeting_settings_update(meeting=obj.meeting, by=request.user, **changes)
        obj.pk = saved.pk


@admin.register(FocalPointInvitation)
class FocalPointInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "country", "language", "created", "created_by", "accepted_by", "accepted_at"]
    list_select_related = ["country", "created_by", "accepted_by"]
    fields = ["country", "email", "kind", "language"]
    autocomplete_fields = ["country"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # The invitation is created and mailed by the service; the admin form only collects it.
        invitation = focal_point_services.focal_point_invite(
            country=obj.country, email=obj.email, kind=obj.kind or "nfp", by=request.user,
            language=obj.language or "en",
        )  # fmt: skip
        obj.pk = invitation.pk


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    """Attendance is recorded by the check-in desk (services.badges.registration_check_in), the
    platform's report and staff entries (services.attendance, the staff's attendance page): the
    admin only shows it."""

    list_display = [
        "registration",
        "day",
        "mode",
        "source",
        "joined_at",
        "left_at",
        "checked_in_at",
        "checked_in_by",
    ]
    list_filter = ["registration__meeting", "day", "mode", "source"]
    list_select_related = ["registration__meeting", "checked_in_by"]
    search_fields = ["registration__last_name", "registration__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Credentials)
class CredentialsAdmin(RuleActionsMixin, SimpleHistoryAdmin):
    list_display = ["country", "meeting", "form", "issuer", "received_at", "verdict"]
    list_filter = ["meeting", "verdict", "form", "issuer"]
    list_select_related = ["country", "meeting"]
    search_fields = ["country__name_en"]
    autocomplete_fields = ["country", "delegates"]
    readonly_fields = ["verdict", "recorded_by"]
    actions = ["in_order", "copy", "not_in_due_form", "not_in_order", "pending"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change, **kwargs)

        class CheckedCredentialsForm(base):
            def clean(self):
                # The same rules as credentials_services.credentials_record, shown on their fields.
                cleaned = super().clean()
                meeting, country = cleaned.get("meeting"), cleaned.get("country")
                if meeting and country:
                    try:
                        credentials_services.credentials_check(
                            meeting=meeting, country=country, delegates=cleaned.get("delegates") or (),
                            issuer=cleaned.get("issuer"), authorised_by=cleaned.get("authorised_by", ""),
                            authorisation=cleaned.get("authorisation", ""),
                        )  # fmt: skip
                    except ValidationError as exc:
                        form_add_service_errors(self, exc)
                return cleaned

        return CheckedCredentialsForm

    def get_readonly_fields(self, request, obj=None):
        # Credentials are one record per Party and meeting: which ones is fixed once recorded.
        return [*self.readonly_fields, "meeting", "country"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = credentials_services.credentials_record(
            meeting=obj.meeting, country=obj.country, form=data["form"], issuer=data["issuer"],
            received_at=data["received_at"], issuer_other=data.get("issuer_other", ""),
            notes=data.get("notes", ""), delegates=list(data.get("delegates") or ()), by=request.user,
            authorised_by=data.get("authorised_by", ""), authorisation=data.get("authorisation", ""),
        )  # fmt: skip
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # The service has set the delegates; the form's many-to-many save would write them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _decide(self, request, queryset, verdict):
        _run_service(
            self, request, queryset, lambda c, by: credentials_services.credentials_decide(credentials=c, verdict=verdict, by=by),
            _("%(count)s credentials updated."),
        )  # fmt: skip

    @admin.action(description=_("Mark selected credentials in order"), permissions=["manage"])
    def in_order(self, request, queryset):
        self._decide(request, queryset, CredentialsVerdict.IN_ORDER)

    @admin.action(description=_("Mark selected credentials as copies only"), permissions=["manage"])
    def copy(self, request, queryset):
        self._decide(request, queryset, CredentialsVerdict.COPY)

    @admin.action(description=_("Mark selected credentials not in due form"), permissions=["manage"])
    def not_in_due_form(self, request, queryset):
        self._decide(request, queryset, CredentialsVerdict.NOT_IN_DUE_FORM)

    @admin.action(description=_("Mark selected credentials not in order"), permissions=["manage"])
    def not_in_order(self, request, queryset):
        self._decide(request, queryset, CredentialsVerdict.NOT_IN_ORDER)

    @admin.action(description=_("Mark selected credentials pending"), permissions=["manage"])
    def pending(self, request, queryset):
        self._decide(request, queryset, CredentialsVerdict.PENDING)


@admin.register(VisaRequest)
class VisaRequestAdmin(SimpleHistoryAdmin):
    list_display = ["registration", "masked_passport", "passport_country", "passport_expires", "status"]
    list_filter = ["registration__meeting", "status"]
    list_select_related = ["registration__meeting", "passport_country"]
    search_fields = ["registration__last_name", "registration__email"]
    fields = [
        "registration", "status", "masked_passport", "passport_country", "passport_issued", "passport_expires",
        "embassy", "refusal_reason", "decided_by", "decided_at", "purged_at",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("passport number"))
    def masked_passport(self, obj):
        return obj.passport_number_masked

    def has_add_permission(self, request):
        return False


@admin.register(DsaRate)
class DsaRateAdmin(ImportedByUserMixin, ImportExportModelAdmin):
    resource_classes = [DsaRateResource]
    tmp_storage_class = ShortLivedImportStorage
    list_display = [
        "location",
        "country",
        "valid_from",
        "valid_until",
        "daily_rate",
        "currency",
        "room_percent",
    ]
    list_filter = ["currency"]
    list_select_related = ["country"]
    search_fields = ["location", "country__name_en"]
    autocomplete_fields = ["country"]

    def save_model(self, request, obj, form, change):
        # The form has set its values on `obj`; the service checks and saves them (as the import does).
        funding_services.dsa_rate_save(rate=obj, by=request.user)


TICKET_FIELDS = ["itinerary", "travel_class", "ticket_cost", "ticket_currency"]
DSA_INPUT_FIELDS = ["lodging_provided", "meals_percent_provided", "terminal_expenses"]


@admin.register(FundingRequest)
class FundingRequestAdmin(RuleActionsMixin, SimpleHistoryAdmin):
    list_display = ["registration", "country", "priority", "status", "donor", "ticket", "dsa"]
    list_filter = [
        "registration__meeting",
        "status",
        "priority",
        "registration__country__regional_group",
        "donor",
    ]
    list_select_related = ["registration__country", "registration__meeting"]
    search_fields = ["registration__last_name", "registration__country__name_en"]
    ordering = ["registration__meeting", "priority", "created"]
    fields = [
        "registration", "status", "priority", "donor", "decision_note", *TICKET_FIELDS,
        "lodging_provided", "meals_percent_provided", "terminal_expenses", "dsa_rate", "dsa_nights", "dsa_amount",
        "dsa_currency", "dsa_paid_at", "dsa_paid_by", "receipt_signed", "decided_by", "decided_at",
    ]  # fmt: skip
    autocomplete_fields = ["registration"]
    actions = ["approve", "allocate", "decline", "issue_ticket", "compute_dsa", "pay_dsa", "close"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["status", "priority", "decision_note", "dsa_rate", "dsa_nights", "dsa_amount", "dsa_currency",
                 "dsa_paid_at", "dsa_paid_by", "receipt_signed", "decided_by", "decided_at"]  # fmt: skip
        if obj is not None:
            fixed.append("registration")
            # The itinerary is frozen once the ticket is issued, what the DSA is computed from
            # once it is computed (each through its service, funding_update_*).
            if obj.status not in ITINERARY_OPEN_STATUSES:
                fixed += TICKET_FIELDS
            if obj.dsa_amount is not None:
                fixed += DSA_INPUT_FIELDS
        return fixed

    def has_add_permission(self, request):
        return False  # requests come from registrations (funding_services.funding_request_create)

    @admin.display(description=_("State"), ordering="registration__country__name_en")
    def country(self, obj):
        return obj.registration.country

    @admin.display(description=_("ticket"))
    def ticket(self, obj):
        return f"{obj.ticket_cost:,.2f} {obj.ticket_currency}" if obj.ticket_cost is not None else ""

    @admin.display(description=_("DSA"))
    def dsa(self, obj):
        return f"{obj.dsa_amount:,.2f} {obj.dsa_currency}" if obj.dsa_amount is not None else ""

    def save_model(self, request, obj, form, change):
        # Only what a service may change is editable here; each goes through its service.
        data, by = form.cleaned_data, request.user
        if "donor" in form.changed_data:
            funding_services.funding_set_donor(funding=obj, by=by, donor=data["donor"])
        if set(TICKET_FIELDS) & set(form.changed_data):
            funding_services.funding_update_itinerary(
                funding=obj, by=by, itinerary=data["itinerary"], travel_class=data["travel_class"],
                ticket_cost=data["ticket_cost"], ticket_currency=data["ticket_currency"],
            )  # fmt: skip
        if set(DSA_INPUT_FIELDS) & set(form.changed_data):
            funding_services.funding_update_dsa_inputs(
                funding=obj, by=by, lodging_provided=data["lodging_provided"],
                meals_percent=data["meals_percent_provided"], terminal_expenses=data["terminal_expenses"],
            )  # fmt: skip

    @admin.action(description=_("Approve selected (within the limits)"), permissions=["manage"])
    def approve(self, request, queryset):
        _run_service(
            self, request, queryset.order_by("priority", "created"),
            lambda f, by: funding_services.funding_approve(funding=f, by=by), _("%(count)s request(s) processed."),
        )  # fmt: skip

    @admin.action(
        description=_("Allocate funded places for the selected requests' meetings"), permissions=["manage"]
    )
    def allocate(self, request, queryset):
        for meeting_id in set(queryset.values_list("registration__meeting", flat=True)):
            outcome = funding_services.funding_allocate(
                meeting=Meeting.objects.get(pk=meeting_id), by=request.user
            )
            self.message_user(
                request, _("Approved %(approved)s, waiting list %(waiting)s, refused %(refusals)s.") % outcome
            )

    @admin.action(description=_("Decline selected"), permissions=["manage"])
    def decline(self, request, queryset):
        _run_service(
            self, request, queryset, lambda f, by: funding_services.funding_decline(funding=f, by=by),
            _("%(count)s request(s) declined."),
        )  # fmt: skip

    @admin.action(description=_("Ticket issued (freezes the itinerary)"), permissions=["manage"])
    def issue_ticket(self, request, queryset):
        _run_service(
            self, request, queryset,
            lambda f, by: funding_services.funding_issue_ticket(
                funding=f, by=by, itinerary=f.itinerary, travel_class=f.travel_class, cost=f.ticket_cost,
                currency=f.ticket_currency or "USD",
            ),
            _("%(count)s ticket(s) recorded."),
        )  # fmt: skip

    @admin.action(description=_("Compute DSA"), permissions=["manage"])
    def compute_dsa(self, request, queryset):
        _run_service(
            self, request, queryset,
            lambda f, by: funding_services.funding_compute_dsa(
                funding=f, by=by, lodging_provided=f.lodging_provided, meals_percent=f.meals_percent_provided,
                terminal_expenses=f.terminal_expenses,
            ),
            _("DSA computed for %(count)s participant(s)."),
        )  # fmt: skip

    @admin.action(description=_("DSA paid, receipt signed"), permissions=["manage"])
    def pay_dsa(self, request, queryset):
        _run_service(
            self, request, queryset, lambda f, by: funding_services.funding_pay_dsa(funding=f, by=by, receipt_signed=True),
            _("DSA payment recorded for %(count)s participant(s)."),
        )  # fmt: skip

    @admin.action(description=_("Close selected"), permissions=["manage"])
    def close(self, request, queryset):
        _run_service(
            self, request, queryset, lambda f, by: funding_services.funding_close(funding=f, by=by),
            _("%(count)s request(s) closed."),
        )  # fmt: skip
