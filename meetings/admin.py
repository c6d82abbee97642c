from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from minamata_portal.forms import form_add_service_errors
from minamata_portal.params import InvalidParameter, id_param
from minamata_portal.uploads import check_material_upload, check_upload
from reference.enums import RegionalGroup

from .enums import AGENDA_TRANSITIONS, MATERIAL_TRANSITIONS, MEETING_TRANSITIONS, Language
from .forms import ListChoiceField
from .models import (
    AgendaItem,
    AgendaVersion,
    Contribution,
    EventSeries,
    ExpertGroup,
    Meeting,
    MeetingMaterial,
    ParticipantInformation,
    ParticipantInformationFile,
    PartnerOrganisation,
    Session,
    SideEvent,
    SideEventSlot,
    StateGroup,
    validate_time_zone,
)
from .resources import ContributionResource, MeetingResource, SessionResource
from .selectors import SCOPE_PREFETCH, meeting_scope
from .services import agendas, information, materials, planning, programme, series, side_events
from .services import scope as scope_services


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# What rows are written and deleted with, each called with the record and the acting user:
# the inlines' saves (the admins' own rows are saved by their `save_model`), and every delete.
INLINE_SAVES = {
    Contribution: lambda record, by: planning.contribution_save(contribution=record, by=by),
    PartnerOrganisation: lambda record, by: planning.partner_save(partner=record, by=by),
    Session: lambda record, by: programme.session_save(session=record, by=by),
    SideEventSlot: lambda record, by: programme.side_event_slot_save(slot=record, by=by),
    AgendaItem: lambda record, by: agendas.agenda_item_save(item=record, by=by),
}
DELETES = {
    Meeting: lambda record, by: planning.meeting_delete(meeting=record, by=by),
    StateGroup: lambda record, by: scope_services.state_group_delete(group=record, by=by),
    ExpertGroup: lambda record, by: planning.expert_group_delete(group=record, by=by),
    Contribution: lambda record, by: planning.contribution_delete(contribution=record, by=by),
    PartnerOrganisation: lambda record, by: planning.partner_delete(partner=record, by=by),
    Session: lambda record, by: programme.session_delete(session=record, by=by),
    SideEventSlot: lambda record, by: programme.side_event_slot_delete(slot=record, by=by),
    AgendaVersion: lambda record, by: agendas.agenda_version_delete(version=record, by=by),
    AgendaItem: lambda record, by: agendas.agenda_item_delete(item=record, by=by),
    SideEvent: lambda record, by: side_events.side_event_delete(side_event=record, by=by),
}


class WritesThroughServices:
    """Deletes (one, or the "delete selected" action) and inline rows go through the services;
    each admin's `save_model` calls its own."""

    def delete_model(self, request, obj):
        DELETES[type(obj)](obj, request.user)

    def delete_queryset(self, request, queryset):
        for record in queryset:
            self.delete_model(request, record)

    def save_formset(self, request, form, formset, change):
        records = formset.save(commit=False)
        for record in formset.deleted_objects:
            DELETES[formset.model](record, request.user)
        for record in records:
            INLINE_SAVES[formset.model](record, request.user)


class VenueTimeZoneMixin:
    """Session and slot times are typed and shown in the venue's time zone, not the server's:
    the change form of a meeting (with its inlines) runs with that zone activated."""

    def _meeting_for(self, request, object_id):
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        meeting = self._meeting_for(request, object_id)
        if meeting is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with timezone.override(meeting.tz):
            extra_context = {**(extra_context or {}), "venue_time_zone": meeting.time_zone}
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
            return response


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["donor_country"]
    fields = ["donor_country", "donor_name", "amount", "currency", "note"]


class PartnerInline(admin.TabularInline):
    model = PartnerOrganisation
    extra = 0


class SideEventSlotInline(admin.TabularInline):
    model = SideEventSlot
    extra = 0
    verbose_name_plural = _("side-event slots (venue time)")


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["kind", "title_en", "room", "starts", "ends"]
    verbose_name_plural = _("programme (venue time)")
    show_change_link = True


def _status_action(name: str):
    """An admin action making the move `name` of `MEETING_TRANSITIONS` on each chosen meeting."""
    move = MEETING_TRANSITIONS[name]

    def action(modeladmin, request, queryset):
        changed = 0
        for meeting in queryset:
            try:
                planning.meeting_move(meeting=meeting, action=name, by=request.user)
                changed += 1
            except ValidationError as error:
                modeladmin.message_user(request, f"{meeting.code}: {_error_text(error)}", messages.ERROR)
        if changed:
            modeladmin.message_user(
                request,
                _("%(count)d meeting(s) now “%(status)s”.")
                % {"count": changed, "status": MEETING_TRANSITIONS.status_enum(move.target).label},
                messages.SUCCESS,
            )

    action.__name__ = name
    action.short_description = move.label
    action.allowed_permissions = ("change_status",)
    return action


class MeetingAdminForm(forms.ModelForm):
    # The regions served and the languages as ticks, not JSON boxes; they save the same lists.
    regions = ListChoiceField(
        label=capfirst(_("regions served")),
        choices=[(value, label) for value, label in RegionalGroup.choices if value != RegionalGroup.NONE],
        required=False,
        help_text=_(
            "Limit the meeting to these UN regional groups (with the groups and States below, if any)."
        ),
    )
    languages = ListChoiceField(
        label=capfirst(_("languages")),
        choices=Language.choices,
        required=False,
        help_text=_("Languages of interpretation and documents."),
    )

    class Meta:
        model = Meeting
        fields = ["regions", "languages"]  # the admin's fieldsets give the others


@admin.register(Meeting)
class MeetingAdmin(WritesThroughServices, VenueTimeZoneMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    form = MeetingAdminForm
    resource_classes = [MeetingResource]
    list_display = ["title_en", "code", "kind", "mode", "status", "start_date", "end_date", "city", "country",
                    "venue_confirmed", "scope"]  # fmt: skip
    list_filter = [
        "kind",
        "mode",
        "status",
        ("parent", admin.EmptyFieldListFilter),
        "country__regional_group",
        "expert_group",
        "venue_confirmed",
        "start_date",
    ]
    search_fields = ["title_en", "title_fr", "title_es", "code", "city", "venue", "host", "symbol_prefix"]
    date_hierarchy = "start_date"
    list_select_related = ["country", "parent"]
    autocomplete_fields = ["country", "parent", "expert_group", "scope_states", "series"]
    filter_horizontal = ["back_to_back_with", "scope_groups"]
    readonly_fields = ["status"]
    inlines = [ContributionInline, PartnerInline, SessionInline, SideEventSlotInline]
    actions = ["create_next_cop", *(_status_action(name) for name in MEETING_TRANSITIONS.moves)]
    fieldsets = [
        (None, {"fields": ["kind", "number", "code", "title_en", "title_fr", "title_es", "parent", "expert_group",
                           "status"]}),
        (_("Where and when"), {"fields": ["mode", "start_date", "end_date", "time_zone", "venue", "city", "country",
                                          "host", "venue_confirmed"]}),
        (_("Organisation"), {"fields": ["registration_opens", "registration_closes", "languages",
                                        "back_to_back_with", "symbol_prefix"]}),
        (_("Scope (which States may take part; observers are not limited)"),
         {"fields": ["regions", "scope_groups", "scope_states"],
          "description": _("Leave all three empty for a meeting open to every State. A segment with no scope of "
                           "its own takes its meeting's.")}),
        (_("Online participation (sent to accredited online participants only)"),
         {"fields": ["online_join_url", "online_join_details"]}),
        (_("Series of online events"),
         {"fields": ["series", "seats"],
          "description": _("An event of a series takes registrations as seats, confirmed at once while seats "
                           "remain; the join link is e-mailed to each registrant.")}),
        (_("After the event (shown on the public page)"),
         {"fields": ["recording_url", "summary_en", "summary_fr", "summary_es"]}),
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*SCOPE_PREFETCH)

    @admin.display(description=_("scope"))
    def scope(self, meeting):
        found = meeting_scope(meeting)
        return found.describe() if found.is_limited else "—"

    def _meeting_for(self, request, object_id):
        if object_id:
            meeting = Meeting.objects.filter(pk=object_id).first()
            if meeting is None or request.method != "POST":
                return meeting
        # A new meeting, or a changed time zone: read the programme in the zone being saved.
        time_zone = request.POST.get("time_zone", "")
        try:
            validate_time_zone(time_zone)
        except ValidationError:
            return None
        return Meeting(time_zone=time_zone)

    def has_change_status_permission(self, request):
        return request.user.has_perm("meetings.change_meeting_status")

    def has_create_next_cop_permission(self, request):
        return request.user.has_perm("meetings.create_next_cop")

    def save_model(self, request, obj, form, change):
        planning.meeting_save(
            meeting=obj,
            back_to_back_with=form.cleaned_data.get("back_to_back_with"),
            scope_states=form.cleaned_data.get("scope_states"),
            scope_groups=form.cleaned_data.get("scope_groups"),
            by=request.user,
        )

    def save_related(self, request, form, formsets, change):
        # The meetings held back-to-back and the scope were set by meeting_save; the inlines go
        # through theirs.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("Create the next COP from this one"), permissions=["create_next_cop"])
    def create_next_cop(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one COP."), messages.ERROR)
            return None
        try:
            successor = planning.meeting_create_next_cop(meeting=queryset.get(), by=request.user)
        except ValidationError as error:
            self.message_user(request, _error_text(error), messages.ERROR)
            return None
        self.message_user(
            request,
            _(
                "%(meeting)s created for %(start)s to %(end)s with a draft agenda; its venue is to be "
                "confirmed."
            )
            % {"meeting": successor.code.upper(), "start": successor.start_date, "end": successor.end_date},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:meetings_meeting_change", args=[successor.pk]))


@admin.register(ExpertGroup)
class ExpertGroupAdmin(WritesThroughServices, admin.ModelAdmin):
    list_display = ["name_en", "established_by"]
    search_fields = ["name_en", "name_fr", "name_es", "established_by"]

    def save_model(self, request, obj, form, change):
        planning.expert_group_save(group=obj, by=request.user)


@admin.register(StateGroup)
class StateGroupAdmin(WritesThroughServices, SimpleHistoryAdmin):
    list_display = ["name_en", "member_count", "notes"]
    search_fields = ["name_en", "name_fr", "name_es"]
    autocomplete_fields = ["members"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=_("States"), ordering="member_total")
    def member_count(self, group):
        return group.member_total

    def save_model(self, request, obj, form, change):
        scope_services.state_group_save(group=obj, members=form.cleaned_data.get("members"), by=request.user)

    def get_deleted_objects(self, objs, request):
        # A group a meeting's scope uses is shown as protected: the admin refuses to delete it
        # (one, or "delete selected"), naming the meetings, as state_group_delete does.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for group in objs:
            try:
                scope_services.state_group_delete_check(group)
            except ValidationError as error:
                protected.append(_error_text(error))
        return deleted, counts, perms_needed, protected

    def save_related(self, request, form, formsets, change):
        # The members were set by state_group_save.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Contribution)
class ContributionAdmin(WritesThroughServices, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ContributionResource]
    list_display = ["meeting", "donor", "amount", "currency", "note"]
    list_filter = ["currency", "meeting__kind", "donor_country"]
    search_fields = ["meeting__code", "meeting__title_en", "donor_country__name_en", "donor_name", "note"]
    list_select_related = ["meeting", "donor_country"]
    autocomplete_fields = ["meeting", "donor_country"]

    def save_model(self, request, obj, form, change):
        planning.contribution_save(contribution=obj, by=request.user)


@admin.register(Session)
class SessionAdmin(WritesThroughServices, VenueTimeZoneMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [SessionResource]
    list_display = ["title_en", "meeting", "kind", "room", "venue_starts", "venue_ends"]
    list_filter = ["kind", "meeting__kind", "meeting"]
    search_fields = ["title_en", "title_fr", "title_es", "room", "meeting__code"]
    list_select_related = ["meeting"]
    autocomplete_fields = ["meeting"]

    def _meeting_for(self, request, object_id):
        if object_id:
            session = Session.objects.select_related("meeting").filter(pk=object_id).first()
            return session.meeting if session else None
        # The add form's meeting, as posted or as the admin's link gives it; anything that is not an
        # id in range ("²", "99999999999999999999") names no meeting (see minamata_portal.params).
        try:
            meeting_id = id_param(request.POST, "meeting") or id_param(request.GET, "meeting")
        except InvalidParameter:
            return None
        return Meeting.objects.filter(pk=meeting_id).first() if meeting_id else None

    def save_model(self, request, obj, form, change):
        programme.session_save(session=obj, by=request.user)

    @admin.display(description=_("starts (venue time)"), ordering="starts")
    def venue_starts(self, session):
        return session.local_starts.strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("ends (venue time)"), ordering="ends")
    def venue_ends(self, session):
        return session.local_ends.strftime("%Y-%m-%d %H:%M")


class SideEventAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("meeting") is not None and cleaned.get("preferred_slots") is not None:
            side_events.side_event_slots_check(
                meeting=cleaned["meeting"], preferred_slots=cleaned["preferred_slots"]
            )
        return cleaned


@admin.register(SideEvent)
class SideEventAdmin(WritesThroughServices, SimpleHistoryAdmin):
    form = SideEventAdminForm
    list_display = ["title", "organisation", "meeting", "status", "expected_attendance", "created", "review"]
    list_filter = ["status", "meeting"]
    search_fields = ["title", "organisation", "co_organisers", "contact_name", "contact_email"]
    list_select_related = ["meeting"]
    readonly_fields = ["status", "decline_reason", "session", "submitted_by", "created"]
    filter_horizontal = ["preferred_slots"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # A new form class per call: narrowing its field here is safe across requests.
        form = super().get_form(request, obj, change, **kwargs)
        if "preferred_slots" in form.base_fields:
            # Slots of the event's own meeting, with the meeting loaded for their venue-time labels.
            slots = SideEventSlot.objects.select_related("meeting").order_by("starts")
            if obj is not None:
                slots = slots.filter(meeting_id=obj.meeting_id)
            form.base_fields["preferred_slots"].queryset = slots
        return form

    def save_model(self, request, obj, form, change):
        side_events.side_event_save(
            side_event=obj, preferred_slots=form.cleaned_data.get("preferred_slots"), by=request.user
        )

    def save_related(self, request, form, formsets, change):
        # The preferred slots were set by side_event_save.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description=_("review"))
    def review(self, side_event):
        return format_html(
            '<a href="{}">{}</a>', reverse("meetings:side_event_review", args=[side_event.pk]), _("Review")
        )


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["parent", "position", "title_en", "title_fr", "title_es", "annotation"]

    def get_formset(self, request, obj=None, **kwargs):
        # Inline instances are made per request: remembering the version here is safe.
        self._version = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # A sub-item hangs under an item of the same version, never under another sub-item.
            version = getattr(self, "_version", None)
            kwargs["queryset"] = (
                AgendaItem.objects.filter(version=version, parent__isnull=True).order_by("position")
                if version is not None
                else AgendaItem.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _agenda_action(name: str):
    """An admin action making the move `name` of `AGENDA_TRANSITIONS` on each chosen version."""
    move = AGENDA_TRANSITIONS[name]

    def action(modeladmin, request, queryset):
        for version in queryset:
            try:
                agendas.agenda_version_move(version=version, action=name, by=request.user)
            except ValidationError as error:
                modeladmin.message_user(request, f"{version}: {_error_text(error)}", messages.ERROR)
            else:
                label = AGENDA_TRANSITIONS.status_enum(move.target).label
                modeladmin.message_user(request, f"{version}: {label}", messages.SUCCESS)

    action.__name__ = name
    action.short_description = move.label
    action.allowed_permissions = ("change_status",)
    return action


@admin.register(AgendaVersion)
class AgendaVersionAdmin(WritesThroughServices, SimpleHistoryAdmin):
    list_display = ["meeting", "number", "status", "created"]
    list_filter = ["status", "meeting__kind"]
    search_fields = ["meeting__title_en", "meeting__code"]
    list_select_related = ["meeting"]
    autocomplete_fields = ["meeting"]
    # The status moves only through the guarded transitions (the actions below, the Bureau review).
    readonly_fields = ["status"]
    inlines = [AgendaItemInline]
    actions = [_agenda_action(name) for name in ("send_for_review", "issue", "adopt")]

    def get_readonly_fields(self, request, obj=None):
        return ["status", "meeting", "number"] if obj else ["status"]

    def has_change_status_permission(self, request):
        return request.user.has_perm("meetings.change_agenda_status")

    def save_model(self, request, obj, form, change):
        agendas.agenda_version_save(version=obj, by=request.user)


# ---------------------------------------------------------------------------------------------
# Information for participants


class ParticipantInformationFileForm(forms.ModelForm):
    class Meta:
        model = ParticipantInformationFile
        fields = ["title", "file"]

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("file")
        if uploaded and "file" in self.changed_data:
            try:
                # The check `participant_information_file_save` makes, said on the field first.
                check_upload(uploaded, field="file")
            except ValidationError as error:
                form_add_service_errors(self, error)
        return cleaned


class ParticipantInformationFileInline(admin.TabularInline):
    model = ParticipantInformationFile
    form = ParticipantInformationFileForm
    extra = 1
    fields = ["title", "file", "kind", "size", "uploaded_at", "uploaded_by"]
    readonly_fields = ["kind", "size", "uploaded_at", "uploaded_by"]


@admin.register(ParticipantInformation)
class ParticipantInformationAdmin(SimpleHistoryAdmin):
    """A section of a meeting's information for participants in one language, with its files;
    written through `meetings.services.information`, by those the rule
    `meetings.edit_participant_information` names."""

    list_display = ["meeting", "section", "language", "modified", "modified_by", "public_page"]
    list_filter = ["section", "language", "meeting__kind"]
    search_fields = ["meeting__code", "meeting__title_en", "body"]
    list_select_related = ["meeting", "modified_by"]
    autocomplete_fields = ["meeting"]
    fields = ["meeting", "section", "language", "body", "modified", "modified_by"]
    inlines = [ParticipantInformationFileInline]

    def get_readonly_fields(self, request, obj=None):
        # Files are stored under the meeting: an entry stays with its meeting, section and language.
        fixed = ["meeting", "section", "language"] if obj else []
        return [*fixed, "modified", "modified_by"]

    def _may_edit(self, request):
        return request.user.has_perm("meetings.edit_participant_information")

    def has_add_permission(self, request):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request)

    @admin.display(description=_("public page"))
    def public_page(self, entry):
        return format_html(
            '<a href="{}">{}</a>', reverse("meetings:information", args=[entry.meeting.code]), _("View")
        )

    def save_model(self, request, obj, form, change):
        information.participant_information_save(information=obj, by=request.user)

    def delete_model(self, request, obj):
        information.participant_information_delete(information=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            self.delete_model(request, entry)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for record in formset.deleted_objects:
            information.participant_information_file_delete(file=record, by=request.user)
        for file_form in formset.forms:
            if file_form in formset.deleted_forms or not file_form.has_changed():
                continue
            uploaded = file_form.cleaned_data.get("file") if "file" in file_form.changed_data else None
            record = file_form.instance
            record.information = form.instance
            information.participant_information_file_save(file=record, uploaded=uploaded, by=request.user)


# ---------------------------------------------------------------------------------------------
# Meeting materials


class MeetingMaterialForm(forms.ModelForm):
    class Meta:
        model = MeetingMaterial
        fields = ["meeting", "session", "kind", "title", "presented_by", "language", "file"]

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("file")
        if uploaded and "file" in self.changed_data:
            try:
                # The check `meeting_material_save` makes, said on the field first.
                check_material_upload(uploaded, field="file")
            except ValidationError as error:
                form_add_service_errors(self, error)
        return cleaned


def _material_action(name: str):
    """An admin action making the move `name` of `MATERIAL_TRANSITIONS` on each chosen material."""
    move = MATERIAL_TRANSITIONS[name]
    service = {
        "publish": materials.meeting_material_publish,
        "withdraw": materials.meeting_material_withdraw,
    }[name]

    def action(modeladmin, request, queryset):
        for material in queryset:
            try:
                service(material=material, by=request.user)
            except ValidationError as error:
                modeladmin.message_user(request, f"{material}: {_error_text(error)}", messages.ERROR)
            else:
                label = MATERIAL_TRANSITIONS.status_enum(move.target).label
                modeladmin.message_user(request, f"{material}: {label}", messages.SUCCESS)

    action.__name__ = f"material_{name}"
    action.short_description = move.label
    action.allowed_permissions = ("publish",)
    return action


@admin.register(MeetingMaterial)
class MeetingMaterialAdmin(SimpleHistoryAdmin):
    """Presentations, statements and photos of a meeting or one of its sessions: uploaded through
    `meetings.services.materials` (checked by content and size), published and withdrawn by the
    actions (rule `meetings.publish_materials`)."""

    form = MeetingMaterialForm
    list_display = ["title", "meeting", "session", "kind", "language", "file_kind", "status", "published_at"]
    list_filter = ["status", "kind", "meeting__kind", "meeting"]
    search_fields = ["title", "presented_by", "meeting__code", "meeting__title_en"]
    list_select_related = ["meeting", "session"]
    autocomplete_fields = ["meeting", "session"]
    readonly_fields = [
        "file_link",
        "file_kind",
        "size",
        "status",
        "uploaded_at",
        "uploaded_by",
        "published_at",
        "published_by",
    ]
    actions = [_material_action("publish"), _material_action("withdraw")]

    def get_readonly_fields(self, request, obj=None):
        # The stored file is under its meeting: a material stays with its meeting.
        return ["meeting", *self.readonly_fields] if obj else self.readonly_fields

    def _may_manage(self, request):
        return request.user.has_perm("meetings.manage_materials")

    def has_add_permission(self, request):
        return self._may_manage(request)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_publish_permission(self, request):
        return request.user.has_perm("meetings.publish_materials")

    @admin.display(description=_("stored file"))
    def file_link(self, material):
        if not material.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("meetings:material_file", args=[material.meeting.code, material.pk]),
            _("Open"),
        )

    def save_model(self, request, obj, form, change):
        uploaded = form.cleaned_data.get("file") if "file" in form.changed_data else None
        materials.meeting_material_save(material=obj, uploaded=uploaded, by=request.user)

    def delete_model(self, request, obj):
        materials.meeting_material_delete(material=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for material in queryset:
            self.delete_model(request, material)


# ---------------------------------------------------------------------------------------------
# Series of online events


class SeriesEventInline(admin.TabularInline):
    """The series' events, read here; each is planned and changed on its meeting's page."""

    model = Meeting
    fk_name = "series"
    fields = ["code", "title_en", "start_date", "status", "seats"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(EventSeries)
class EventSeriesAdmin(SimpleHistoryAdmin):
    list_display = ["title_en", "kind", "code", "event_count"]
    list_filter = ["kind"]
    search_fields = ["title_en", "title_fr", "title_es", "code"]
    inlines = [SeriesEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(event_total=Count("events"))

    @admin.display(description=_("events"), ordering="event_total")
    def event_count(self, series_record):
        return series_record.event_total

    def save_model(self, request, obj, form, change):
        series.event_series_save(series=obj, by=request.user)

    def delete_model(self, request, obj):
        try:
            series.event_series_delete(series=obj, by=request.user)
        except ValidationError as error:
            self.message_user(request, _error_text(error), messages.ERROR)

    def delete_queryset(self, request, queryset):
        for record in queryset:
            self.delete_model(request, record)
