"""The secretariat's desk for expert groups. Nominations are appointed or declined by actions that
call the services; members' terms, roles and consent are changed through `member_update`; a mandate
record is added through `mandate_record` (the first sets the mandate, each later one extends it).
What no service writes is shown read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from minamata_portal.forms import form_add_service_errors

from . import services
from .forms import DeclineForm
from .models import Draft, DraftComment, GroupMandate, Member, Nomination


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["name", "group", "nominator", "role", "status", "nominated_at"]
    list_select_related = ["group", "country", "organisation"]
    list_filter = ["status", "group", "role"]
    search_fields = ["name", "email", "country__name_en", "organisation__name"]
    actions = ["appoint", "decline"]

    def has_decide_permission(self, request):
        return request.user.has_perm("expertgroups.decide_nominations")

    @admin.action(description=gettext_lazy("Appoint (term until the end of the group's mandate)"),
                  permissions=["decide"])  # fmt: skip
    def appoint(self, request, queryset):
        appointed = 0
        for nomination in queryset:
            try:
                services.nomination_appoint(nomination=nomination, by=request.user)
                appointed += 1
            except ValidationError as error:
                self.message_user(request, f"{nomination.name}: {' '.join(error.messages)}", messages.ERROR)
        if appointed:
            self.message_user(
                request, _("%(count)d expert(s) appointed.") % {"count": appointed}, messages.SUCCESS
            )

    @admin.action(description=gettext_lazy("Decline, with a reason"), permissions=["decide"])
    def decline(self, request, queryset):
        form = DeclineForm(request.POST if "decline_reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            declined = 0
            for nomination in queryset:
                try:
                    services.nomination_decline(
                        nomination=nomination, reason=form.cleaned_data["decline_reason"], by=request.user
                    )
                    declined += 1
                except ValidationError as error:
                    self.message_user(
                        request, f"{nomination.name}: {' '.join(error.messages)}", messages.ERROR
                    )
            if declined:
                self.message_user(
                    request, _("%(count)d nomination(s) declined.") % {"count": declined}, messages.SUCCESS
                )
            return None
        return render(
            request,
            "admin/expertgroups/decline.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Decline nominations"),
                "nominations": queryset,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["role", "term_from", "term_to", "publish_consent"]

    def clean(self):
        data = super().clean()
        try:
            services.member_term_check(term_from=data.get("term_from"), term_to=data.get("term_to"))
        except ValidationError as error:
            form_add_service_errors(self, error)
        return data


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    form = MemberForm
    list_display = ["name", "group", "role", "country", "organisation", "region", "term_from", "term_to",
                    "publish_consent"]  # fmt: skip
    list_select_related = ["group", "country", "organisation"]
    list_filter = ["group", "role", "region", "publish_consent"]
    search_fields = ["name", "email"]
    readonly_fields = ["nomination", "group", "user", "name", "email", "country", "organisation", "region",
                       "expertise"]  # fmt: skip

    def has_add_permission(self, request, obj=None):
        return False  # a member comes from an appointed nomination

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.member_update(
            member=obj, term_from=data["term_from"], term_to=data["term_to"], role=data["role"],
            publish_consent=data["publish_consent"], by=request.user,
        )  # fmt: skip


class GroupMandateForm(forms.ModelForm):
    class Meta:
        model = GroupMandate
        fields = ["group", "decision", "ends_with_meeting", "ends_on"]

    def clean(self):
        data = super().clean()
        try:
            services.mandate_record_check(
                group=data.get("group"), decision=data.get("decision"),
                ends_with_meeting=data.get("ends_with_meeting"), ends_on=data.get("ends_on"),
            )  # fmt: skip
        except ValidationError as error:
            form_add_service_errors(self, error)
        return data


@admin.register(GroupMandate)
class GroupMandateAdmin(SimpleHistoryAdmin):
    form = GroupMandateForm
    list_display = ["group", "decision", "ends_with_meeting", "ends_on", "extends"]
    list_select_related = ["group", "decision", "ends_with_meeting", "extends__group", "extends__decision"]
    list_filter = ["group"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.mandate_record(
            group=data["group"], decision=data["decision"], ends_with_meeting=data["ends_with_meeting"],
            ends_on=data["ends_on"], by=request.user,
        )  # fmt: skip
        obj.pk = saved.pk


@admin.register(Draft)
class DraftAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "group", "comments_until", "revises", "created", "page"]
    list_select_related = ["group", "revises"]
    list_filter = ["group"]

    @admin.display(description=gettext_lazy("page"))
    def page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("expertgroups:draft_comments", args=[obj.pk]),
                           _("Who commented"))  # fmt: skip

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("expertgroups.manage")


@admin.register(DraftComment)
class DraftCommentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["member", "paragraph", "created"]
    list_select_related = ["member", "paragraph__draft"]
    list_filter = ["paragraph__draft__group"]
