"""Spreadsheet import and export of registrations, organisation contacts and admitted observers.

Imports are all or nothing (any bad row, nothing is written, every bad row reported, model
validation on); exports neutralise cells a spreadsheet would run as formulas."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.tmp_storages import CacheStorage

from letters.rendering import format_date_range
from meetings.models import Meeting
from reference.models import Country

from .enums import ObserverStatus
from .list_pdf import list_of_participants_document
from .models import DsaRate, ObserverApplication, Organisation, Registration
from .selectors import list_of_participants
from .services.funding import dsa_rate_save
from .services.observers import organisation_save
from .services.participation import participation_mode_check
from .services.registration import (
    REGISTRATION_FIELDS,
    person_for_email,
    registration_capacity_check,
    registration_create,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ShortLivedImportStorage(CacheStorage):
    # The uploaded file waits in the cache between "preview" and "confirm"; an import that is never
    # confirmed is forgotten after an hour instead of lying on the disk.
    CACHE_LIFETIME = 3600


class SafeExportMixin:
    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        # A name typed as "=HYPERLINK(...)" must reach the spreadsheet as text, not as a formula.
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value


class AllOrNothingMixin:
    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs
        )


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key by a readable code; the message names the unknown value."""

    def __init__(self, model, field, label):
        super().__init__(model, field)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        value = (str(value).strip() if value is not None else "") or None
        if value is None:
            return None
        found = self.model.objects.filter(**{f"{self.field}__iexact": value}).first()
        if found is None:
            raise ValueError(_("No %(label)s “%(value)s”.") % {"label": self.label, "value": value})
        return found


class RegistrationResource(SafeExportMixin, AllOrNothingMixin, resources.ModelResource):
    meeting = fields.Field("meeting", "meeting", CodeWidget(Meeting, "code", _("meeting")))
    country = fields.Field("country", "country", CodeWidget(Country, "iso3", _("State (ISO alpha-3)")))
    organisation = fields.Field(
        "organisation", "organisation", CodeWidget(Organisation, "name", _("organisation"))
    )
    status = fields.Field("status", "status", readonly=True)

    class Meta:
        model = Registration
        # New registrations only: the status moves through the services, never through a sheet.
        import_id_fields = ["id"]
        fields = [
            "id", "meeting", "status", "capacity", "country", "organisation", "delegation_role", "title",
            "first_name", "last_name", "function", "department", "email", "phone", "gender", "arrival",
            "departure", "funding_requested", "visa_letter_requested", "publish_contact", "publish_email",
            "publish_phone", "correspondence_language", "participation_mode",
        ]  # fmt: skip
        export_order = fields
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = False

    def __init__(self, *args, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by

    def before_import(self, dataset, **kwargs):
        self._seen = set()
        if "id" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="id")

    def before_import_row(self, row, **kwargs):
        if row.get("id"):
            raise ValueError(_("Import adds new registrations only: leave the id column empty."))
        email = str(row.get("email") or "").strip().lower()
        row["email"] = email
        key = (str(row.get("meeting") or "").lower(), email)
        if email and key in self._seen:
            raise ValueError(_("%(email)s appears twice for this meeting in the file.") % {"email": email})
        self._seen.add(key)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.email:
            instance.user = person_for_email(
                email=instance.email, first_name=instance.first_name, last_name=instance.last_name
            )
        instance.created_by = self.by
        instance._history_user = self.by
        if not str(row.get("participation_mode") or "").strip():
            instance.participation_mode = ""  # the meeting's only mode, or in person (the service decides)

    def do_instance_save(self, instance, is_create):
        # As through the site: the registration service stores the row (and, for a Party delegate
        # asking for funding, the ranked funding request).
        saved = registration_create(
            meeting=instance.meeting, user=instance.user, by=self.by, check_window=False,
            **{field: getattr(instance, field) for field in REGISTRATION_FIELDS},
        )  # fmt: skip
        instance.pk, instance.status, instance.country = saved.pk, saved.status, saved.country

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.meeting_id and instance.capacity:
            try:
                registration_capacity_check(
                    meeting=instance.meeting, capacity=instance.capacity, country=instance.country,
                    organisation=instance.organisation,
                )  # fmt: skip
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
        if instance.meeting_id:
            try:
                participation_mode_check(
                    meeting=instance.meeting, mode=instance.participation_mode,
                    funding_requested=instance.funding_requested, visa_letter_requested=instance.visa_letter_requested,
                )  # fmt: skip
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
        super().validate_instance(instance, errors, validate_unique)


class SavedByServiceMixin:
    """Rows are saved by the app's service (`save_service(<model name>=instance, by=...)`), not by
    the resource: the admin passes the importing user as `by`."""

    save_service = None
    instance_argument = ""

    def __init__(self, *args, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by

    def do_instance_save(self, instance, is_create):
        self.save_service(by=self.by, **{self.instance_argument: instance})


class OrganisationResource(SafeExportMixin, AllOrNothingMixin, SavedByServiceMixin, resources.ModelResource):
    country = fields.Field("country", "country", CodeWidget(Country, "iso3", _("State (ISO alpha-3)")))
    save_service = staticmethod(organisation_save)
    instance_argument = "organisation"

    class Meta:
        model = Organisation
        import_id_fields = ["name"]
        fields = ["name", "acronym", "kind", "country", "website", "contact_email"]
        clean_model_instances = True
        use_transactions = True


class AdmittedObserverResource(SafeExportMixin, resources.ModelResource):
    """The list of admitted observers, for the meeting's information document."""

    organisation = fields.Field("organisation__name", _("Organisation"))
    acronym = fields.Field("organisation__acronym", _("Acronym"))
    kind = fields.Field(attribute="organisation", column_name=_("Kind"))
    headquarters = fields.Field("organisation__country__name_en", _("Headquarters"))
    meeting = fields.Field("meeting__code", _("Admitted at"))

    class Meta:
        model = ObserverApplication
        fields = ["organisation", "acronym", "kind", "headquarters", "meeting", "contact_email"]

    def dehydrate_kind(self, application):
        return application.organisation.get_kind_display()

    def filter_export(self, queryset, **kwargs):
        return queryset.filter(status=ObserverStatus.ADMITTED).select_related(
            "organisation__country", "meeting"
        )


class DsaRateResource(SafeExportMixin, AllOrNothingMixin, SavedByServiceMixin, resources.ModelResource):
    """DSA rates as the ICSC publishes them each month: one row per place and period."""

    country = fields.Field("country", "country", CodeWidget(Country, "iso3", _("State (ISO alpha-3)")))
    save_service = staticmethod(dsa_rate_save)
    instance_argument = "rate"

    class Meta:
        model = DsaRate
        import_id_fields = ["country", "location", "valid_from"]
        fields = [
            "country",
            "location",
            "valid_from",
            "valid_until",
            "daily_rate",
            "currency",
            "room_percent",
        ]
        clean_model_instances = True
        use_transactions = True


class ListOfParticipantsResource(SafeExportMixin, resources.Resource):
    """The list of participants as a sheet: one row per accredited person, in the list's order.
    Contact details only for those who consented to their publication."""

    group = fields.Field("group", _("Group"))
    represents = fields.Field("represents", _("State or organisation"))
    title = fields.Field("title", _("Title"))
    name = fields.Field("name", _("Name"))
    function = fields.Field("function", _("Function"))
    department = fields.Field("department", _("Ministry or department"))
    address = fields.Field("address", _("Postal address"))
    email = fields.Field("email", _("E-mail"))
    phone = fields.Field("phone", _("Telephone"))


def list_of_participants_xlsx(*, meeting, language: str) -> bytes:
    rows = []
    with translation.override(language):
        for group in list_of_participants(meeting=meeting, language=language):
            for label, people in group["blocks"]:
                for p in people:
                    rows.append(SimpleNamespace(
                        group=group["heading"], represents=label, title=p.title, name=f"{p.first_name} {p.last_name}",
                        function=p.function, department=p.department, address=p.published_address,
                        email=p.published_email, phone=p.published_phone,
                    ))  # fmt: skip
        dataset = ListOfParticipantsResource().export(rows)
    return dataset.export("xlsx")


def list_of_participants_pdf(*, meeting, language: str) -> bytes:
    """The list as UN lists are printed, in `language` (headings, State names, the meeting's title
    and dates), drawn by `list_pdf` (ReportLab; see there why not WeasyPrint)."""
    with translation.override(language):
        return list_of_participants_document(
            meeting=meeting,
            groups=list_of_participants(meeting=meeting, language=language),
            dates=format_date_range(meeting.start_date, meeting.end_date, language),
        )
