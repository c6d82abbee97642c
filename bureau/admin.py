"""Secretariat pages for the Bureau's records. Writes that carry a rule (seats, adoption, review
state) go through the services on the Bureau's own pages; the admin is for looking up and for
plain corrections, with history kept."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    AgendaReview,
    Body,
    BureauMeeting,
    Decision,
    DecisionParagraph,
    Mandate,
    Membership,
    ReviewComment,
    ReviewResponse,
    Term,
)


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name_en", "kind", "seats", "seats_per_region", "staggered_terms"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "term"
    extra = 0
    autocomplete_fields = ["user", "country"]
    fields = ["office", "user", "country", "region", "start_date", "end_date", "replaces", "note"]
    readonly_fields = ["region", "replaces"]

    def has_add_permission(self, request, obj=None):
        # Seats are added through `membership_add`, which checks region and overlaps.
        return False


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "start_date", "end_date"]
    list_filter = ["body"]
    list_select_related = ["body", "elected_at", "ends_at"]
    readonly_fields = ["body", "elected_at", "ends_at", "start_date", "end_date"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        # Terms are recorded and closed on the Bureau's composition pages, through the services.
        return False


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "country", "region", "office", "term", "start_date", "end_date"]
    list_filter = ["term__body", "region", "office"]
    list_select_related = ["user", "country", "term__body", "term__elected_at", "term__ends_at"]
    search_fields = ["user__email", "user__last_name", "country__name_en"]
    readonly_fields = ["term", "region", "replaces"]

    def has_add_permission(self, request):
        return False


class ResponseInline(admin.TabularInline):
    model = ReviewResponse
    extra = 0
    readonly_fields = ["reviewer", "decision", "decided_at"]
    can_delete = False


@admin.register(AgendaReview)
class AgendaReviewAdmin(admin.ModelAdmin):
    list_display = ["version", "region", "sent_at", "sent_by"]
    list_select_related = ["version__meeting", "sent_by"]
    readonly_fields = ["version", "region", "previous", "sent_by"]
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        return False


@admin.register(ReviewComment)
class ReviewCommentAdmin(SimpleHistoryAdmin):
    list_display = ["review", "item", "author", "created", "answered_at"]
    list_select_related = ["review__version__meeting", "item__parent", "author"]
    # A member's comment is their words: staff answer it, they do not edit it.
    readonly_fields = ["review", "item", "author", "text", "answered_by", "answered_at"]


@admin.register(BureauMeeting)
class BureauMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "term", "invitations_sent_at"]
    list_select_related = ["meeting", "term__body", "term__elected_at", "term__ends_at"]


class ParagraphInline(admin.TabularInline):
    model = DecisionParagraph
    extra = 0


class MandateForm(forms.ModelForm):
    """The rules of services.mandate_create (a secretariat owner, a due meeting or date, a
    paragraph of the same decision), shown on the fields when a mandate is edited here."""

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision") or getattr(self.instance, "decision", None)
        try:
            services.mandate_check(
                decision=decision,
                paragraph=cleaned.get("paragraph"),
                owner=cleaned.get("owner"),
                due_meeting=cleaned.get("due_meeting"),
                due_date=cleaned.get("due_date"),
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


class MandateInline(admin.StackedInline):
    model = Mandate
    form = MandateForm
    extra = 0
    fields = ["paragraph", "description", "owner", "due_meeting", "due_date", "status", "notes"]
    readonly_fields = ["status"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "meeting", "status", "adopted_on"]
    list_filter = ["kind", "status", "session"]
    list_select_related = ["meeting"]
    search_fields = ["title_en", "text"]
    readonly_fields = ["kind", "meeting", "session", "number", "status", "adopted_on"]
    inlines = [ParagraphInline, MandateInline]

    def has_add_permission(self, request):
        # Decisions are recorded and adopted on the Bureau's decision pages, which parse the symbol.
        return False


@admin.register(Mandate)
class MandateAdmin(SimpleHistoryAdmin):
    form = MandateForm
    list_display = ["__str__", "owner", "due_meeting", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["decision__meeting", "owner", "due_meeting"]
    readonly_fields = ["status"]
