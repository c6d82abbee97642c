"""Spreadsheet import and export of meetings, programme sessions and contributions.

An import is all or nothing: every row is validated (model validation included), every bad row is
reported with its reason, and if any row is bad nothing is written."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from reference.models import Country

from .enums import Language
from .models import Contribution, ExpertGroup, Meeting, Session
from .services import planning, programme


class AllOrNothingResource(resources.ModelResource):
    """Rows are written by the app's services (`save_record`), as every other write is."""

    def save_record(self, record, by):
        raise NotImplementedError

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        self.save_record(instance, kwargs.get("user"))
        self.after_save_instance(instance, row, **kwargs)

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # A half-imported meeting list is worse than none: roll back on any invalid row too.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs
        )


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a readable code, with a message that names the unknown value."""

    def __init__(self, model, field, label):
        super().__init__(model, field)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        value = (str(value).strip() if value is not None else "") or None
        if value is None:
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(**{f"{self.field}__iexact": value})
        except self.model.DoesNotExist:
            raise ValueError(_("No %(label)s “%(value)s”.") % {"label": self.label, "value": value}) from None


class LanguagesWidget(widgets.Widget):
    """Languages as "en, fr, es" in the sheet, a list of codes in the database."""

    def clean(self, value, row=None, **kwargs):
        codes = [
            code.strip().lower() for code in str(value or "").replace(";", ",").split(",") if code.strip()
        ]
        unknown = [code for code in codes if code not in Language.values]
        if unknown:
            raise ValueError(_("Unknown language: %s (use ar, zh, en, fr, ru, es)") % ", ".join(unknown))
        return codes

    def render(self, value, obj=None, **kwargs):
        return ", ".join(value or [])


class LocalDateTimeWidget(widgets.Widget):
    """Times in the sheet are wall-clock times at the venue; the resource attaches the meeting's
    time zone once it knows the meeting."""

    formats = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M")

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        for format in self.formats:
            try:
                return dt.datetime.strptime(str(value).strip(), format)
            except ValueError:
                continue
        raise ValueError(_("Write the time as YYYY-MM-DD HH:MM (venue time), not “%s”.") % value)


class MeetingResource(AllOrNothingResource):
    country = fields.Field(
        attribute="country",
        column_name="country",
        widget=LookupWidget(Country, "iso3", _("State with ISO code")),
    )
    parent = fields.Field(
        attribute="parent",
        column_name="segment_of",
        widget=LookupWidget(Meeting, "code", _("meeting with code")),
    )
    expert_group = fields.Field(
        attribute="expert_group",
        column_name="expert_group",
        widget=LookupWidget(ExpertGroup, "name_en", _("expert group named")),
    )
    languages = fields.Field(attribute="languages", column_name="languages", widget=LanguagesWidget())
    status = fields.Field(attribute="status", column_name="status", readonly=True)

    class Meta:
        model = Meeting
        import_id_fields = ["code"]
        fields = [
            "code", "kind", "number", "title_en", "title_fr", "title_es", "parent", "expert_group", "mode", "status",
            "start_date", "end_date", "time_zone", "venue", "city", "country", "host", "languages",
            "symbol_prefix",
        ]  # fmt: skip
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def save_record(self, record, by):
        planning.meeting_save(meeting=record, by=by)


class SessionResource(AllOrNothingResource):
    meeting = fields.Field(
        attribute="meeting",
        column_name="meeting",
        widget=LookupWidget(Meeting, "code", _("meeting with code")),
    )
    starts = fields.Field(attribute="starts", column_name="starts", widget=LocalDateTimeWidget())
    ends = fields.Field(attribute="ends", column_name="ends", widget=LocalDateTimeWidget())

    class Meta:
        model = Session
        fields = [
            "id",
            "meeting",
            "kind",
            "title_en",
            "title_fr",
            "title_es",
            "room",
            "starts",
            "ends",
            "description",
        ]
        clean_model_instances = True

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # The sheet's wall-clock times are at the venue: attach its zone before validation.
            if instance.meeting_id:
                tz = instance.meeting.tz
                for name in ("starts", "ends"):
                    value = getattr(instance, name)
                    if value is not None and timezone.is_naive(value):
                        setattr(instance, name, value.replace(tzinfo=tz))

    def get_queryset(self):
        return super().get_queryset().select_related("meeting")

    def save_record(self, record, by):
        programme.session_save(session=record, by=by)

    def dehydrate_starts(self, session):
        return session.local_starts.strftime("%Y-%m-%d %H:%M")

    def dehydrate_ends(self, session):
        return session.local_ends.strftime("%Y-%m-%d %H:%M")


class ContributionResource(AllOrNothingResource):
    meeting = fields.Field(
        attribute="meeting",
        column_name="meeting",
        widget=LookupWidget(Meeting, "code", _("meeting with code")),
    )
    donor_country = fields.Field(
        attribute="donor_country",
        column_name="donor_state",
        widget=LookupWidget(Country, "iso3", _("State with ISO code")),
    )

    class Meta:
        model = Contribution
        fields = ["id", "meeting", "donor_country", "donor_name", "amount", "currency", "note"]
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("meeting", "donor_country")

    def save_record(self, record, by):
        planning.contribution_save(contribution=record, by=by)
