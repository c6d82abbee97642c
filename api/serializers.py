"""The API's shapes. Read-only: every field is computed from rows the selectors fetched (with
their relations prefetched), so a serializer never queries on its own.

Names follow what InforMEA's harvester and a Drupal feed map (README, "Field mapping"): `symbol`,
`treaty`, `titles` keyed by ISO 639-1 language code, ISO 8601 dates."""

import datetime as dt

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bureau.enums import DecisionKind, DecisionStatus, MandateStatus
from documents.enums import Distribution, Language, ProcessingStatus, Series, SupplementKind
from letters.enums import LetterKind, LetterStatus
from meetings.enums import AgendaStatus, MeetingKind, MeetingMode, MeetingStatus
from outbox.enums import MailStatus
from participants.enums import Capacity, DelegationRole, RegistrationStatus

TREATY = "minamata"
MEETING_LANGUAGES = ("en", "fr", "es")


def _absolute(context, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


def _titles(obj, languages, field="title") -> dict:
    return {code: getattr(obj, f"{field}_{code}") for code in languages if getattr(obj, f"{field}_{code}")}


TITLES_SCHEMA = {
    "type": "object",
    "description": "The title in each language it exists in, keyed by ISO 639-1 code (ar, zh, en, fr, ru, es).",
    "additionalProperties": {"type": "string"},
}


class TitlesField(serializers.Field):
    def __init__(self, languages=MEETING_LANGUAGES, field="title", **kwargs):
        self.languages, self.field = languages, field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return _titles(value, self.languages, self.field)


extend_schema_field(TITLES_SCHEMA)(TitlesField)


# --- Meetings ----------------------------------------------------------------------------------


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True, help_text="The meeting's short code, used in every address.")
    treaty = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=MeetingKind.choices, read_only=True)
    number = serializers.IntegerField(read_only=True, allow_null=True)
    title = serializers.CharField(read_only=True)
    titles = TitlesField()
    status = serializers.ChoiceField(choices=MeetingStatus.choices, read_only=True)
    mode = serializers.ChoiceField(choices=MeetingMode.choices, read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True)
    time_zone = serializers.CharField(read_only=True, help_text="IANA name of the venue's time zone.")
    starts = serializers.SerializerMethodField()
    ends = serializers.SerializerMethodField()
    venue = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)
    country = serializers.SerializerMethodField()
    regions = serializers.ListField(child=serializers.CharField(), read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    symbol_prefix = serializers.CharField(read_only=True)
    parent = serializers.SerializerMethodField()
    expert_group = serializers.SerializerMethodField()
    modified = serializers.DateTimeField(read_only=True)
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_treaty(self, meeting) -> str:
        return TREATY

    @extend_schema_field({"type": "string", "format": "date-time"})
    def get_starts(self, meeting) -> str:
        """Midnight of the opening day at the venue, with its UTC offset."""
        return dt.datetime.combine(meeting.start_date, dt.time.min, tzinfo=meeting.tz).isoformat()

    @extend_schema_field({"type": "string", "format": "date-time"})
    def get_ends(self, meeting) -> str:
        return dt.datetime.combine(meeting.end_date, dt.time(23, 59, 59), tzinfo=meeting.tz).isoformat()

    @extend_schema_field({"type": "string", "nullable": True, "description": "ISO 3166-1 alpha-3"})
    def get_country(self, meeting):
        return meeting.country.iso3 if meeting.country_id else None

    @extend_schema_field(
        {"type": "string", "nullable": True, "description": "Code of the meeting this is a segment of."}
    )
    def get_parent(self, meeting):
        return meeting.parent.code if meeting.parent_id else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_expert_group(self, meeting):
        return meeting.expert_group.name_en if meeting.expert_group_id else None

    def get_url(self, meeting) -> str:
        return _absolute(self.context, meeting.get_absolute_url())

    def get_api_url(self, meeting) -> str:
        return _absolute(self.context, reverse("api:meeting", kwargs={"code": meeting.code}))


class DocumentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    symbol = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True, help_text='The UN label: "4" or "4 (f)".')
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    title = serializers.CharField(read_only=True)
    titles = TitlesField()
    annotation = serializers.CharField(read_only=True)
    documents = DocumentRefSerializer(many=True, read_only=True, source="api_documents")


class AgendaSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="number", read_only=True)
    status = serializers.ChoiceField(choices=AgendaStatus.choices, read_only=True)
    items = AgendaItemSerializer(many=True, read_only=True, source="api_items")


class MeetingDetailSerializer(MeetingSerializer):
    host = serializers.CharField(read_only=True)
    registration_opens = serializers.DateTimeField(read_only=True, allow_null=True)
    registration_closes = serializers.DateTimeField(read_only=True, allow_null=True)
    segments = MeetingSerializer(many=True, read_only=True, source="api_segments")
    agenda = AgendaSerializer(read_only=True, allow_null=True, source="api_agenda")


# --- Documents ---------------------------------------------------------------------------------


class LanguageFileSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Bytes.")
    uploaded_at = serializers.DateTimeField(read_only=True)


class LanguageVersionSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices, read_only=True, help_text="ISO 639-1 code.")
    status = serializers.ChoiceField(choices=ProcessingStatus.choices, read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    file_url = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_file_url(self, version):
        if not version.api_files:
            return None
        url = reverse("documents:download", kwargs={"pk": version.document_id, "language": version.language})
        return _absolute(self.context, url)

    @extend_schema_field(LanguageFileSerializer(allow_null=True))
    def get_file(self, version):
        return LanguageFileSerializer(version.api_files[0]).data if version.api_files else None


class AgendaItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    symbol = serializers.CharField(read_only=True, help_text="The UN document symbol, e.g. UNEP/MC/COP.4/1.")
    treaty = serializers.SerializerMethodField()
    meeting = serializers.SerializerMethodField()
    series = serializers.ChoiceField(choices=Series.choices, read_only=True)
    number = serializers.IntegerField(read_only=True)
    supplement = serializers.SerializerMethodField()
    supplement_kind = serializers.ChoiceField(choices=[*SupplementKind.choices, ("", "")], read_only=True)
    amends = serializers.SerializerMethodField()
    title = serializers.CharField(read_only=True)
    titles = TitlesField(languages=Language.values)
    agenda_items = AgendaItemRefSerializer(many=True, read_only=True, source="api_agenda_items")
    author = serializers.CharField(read_only=True)
    distribution = serializers.ChoiceField(choices=Distribution.choices, read_only=True)
    not_formally_edited = serializers.BooleanField(read_only=True)
    advance_unedited = serializers.BooleanField(read_only=True)
    issue_date = serializers.DateField(read_only=True, allow_null=True)
    original_language = serializers.ChoiceField(choices=Language.choices, read_only=True)
    languages = LanguageVersionSerializer(many=True, read_only=True, source="published_versions")
    url = serializers.SerializerMethodField()

    def get_treaty(self, document) -> str:
        return TREATY

    @extend_schema_field({"type": "string", "nullable": True})
    def get_meeting(self, document):
        return document.meeting.code if document.meeting_id else None

    def get_supplement(self, document) -> str:
        return document.suffix.lstrip("/")

    @extend_schema_field(
        {"type": "string", "nullable": True, "description": "Symbol of the amended document."}
    )
    def get_amends(self, document):
        return document.amends.symbol if document.amends_id else None

    def get_url(self, document) -> str:
        return _absolute(self.context, document.get_absolute_url())


# --- Decisions ---------------------------------------------------------------------------------


class ParagraphSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)


class MandateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    paragraph = serializers.SerializerMethodField()
    description = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=MandateStatus.choices, read_only=True)
    due_date = serializers.DateField(source="due_on", read_only=True, allow_null=True)

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_paragraph(self, mandate):
        return mandate.paragraph.number if mandate.paragraph_id else None


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    symbol = serializers.CharField(read_only=True, help_text="MC-3/11 for a COP decision.")
    treaty = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=DecisionKind.choices, read_only=True)
    session = serializers.IntegerField(read_only=True, allow_null=True)
    number = serializers.IntegerField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=DecisionStatus.choices, read_only=True)
    meeting = serializers.CharField(source="meeting.code", read_only=True)
    title = serializers.CharField(read_only=True)
    titles = TitlesField()
    text = serializers.CharField(read_only=True)
    paragraphs = ParagraphSerializer(many=True, read_only=True, source="paragraphs.all")
    mandates = MandateSerializer(many=True, read_only=True, source="mandates.all")
    adopted_on = serializers.DateField(read_only=True, allow_null=True)
    modified = serializers.DateTimeField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_treaty(self, decision) -> str:
        return TREATY

    def get_type(self, decision) -> str:
        return "decision"

    def get_url(self, decision) -> str:
        return _absolute(self.context, decision.get_absolute_url())


# --- Parties -----------------------------------------------------------------------------------


class PartySerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-3, or EU.")
    name = serializers.CharField(source="name_en", read_only=True)
    country = serializers.SerializerMethodField()
    deposit_date = serializers.DateField(read_only=True, allow_null=True)
    instrument_type = serializers.CharField(read_only=True)
    entry_into_force = serializers.DateField(read_only=True, allow_null=True)

    @extend_schema_field(
        {"type": "string", "nullable": True, "description": "ISO alpha-3 of the State; null for the EU."}
    )
    def get_country(self, party):
        return party.country.iso3 if party.country_id else None


# --- Staff: registrations, letters, list of participants ---------------------------------------


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    meeting = serializers.CharField(source="meeting.code", read_only=True)
    status = serializers.ChoiceField(choices=RegistrationStatus.choices, read_only=True)
    capacity = serializers.ChoiceField(choices=Capacity.choices, read_only=True)
    country = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    delegation_role = serializers.ChoiceField(choices=[*DelegationRole.choices, ("", "")], read_only=True)
    title = serializers.CharField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    function = serializers.CharField(read_only=True)
    department = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    funding_requested = serializers.BooleanField(read_only=True)
    visa_letter_requested = serializers.BooleanField(read_only=True)
    status_note = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    modified = serializers.DateTimeField(read_only=True)
    actions = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "nullable": True, "description": "ISO alpha-3"})
    def get_country(self, registration):
        return registration.country.iso3 if registration.country_id else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_organisation(self, registration):
        return registration.organisation.name if registration.organisation_id else None

    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": ["accredit", "decline"]}})
    def get_actions(self, registration):
        """What the requesting user may do to it through the API now."""
        actions = self.context.get("registration_actions")
        return actions(registration) if actions else []


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class LetterSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=LetterKind.choices, read_only=True)
    meeting = serializers.CharField(source="meeting.code", read_only=True)
    language = serializers.CharField(read_only=True)
    registration = serializers.IntegerField(source="registration_id", read_only=True, allow_null=True)
    recipient_name = serializers.CharField(read_only=True)
    recipient_email = serializers.EmailField(read_only=True)
    status = serializers.ChoiceField(choices=LetterStatus.choices, read_only=True)
    delivery = serializers.ChoiceField(
        choices=MailStatus.choices, source="delivery_status", read_only=True, allow_null=True,
        help_text="The status of its latest e-mail; null before it has one.",
    )  # fmt: skip
    created = serializers.DateTimeField(read_only=True)
    rendered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    pdf_url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_pdf_url(self, letter):
        if not letter.sha256 or letter.pdf_purged_at:
            return None
        return _absolute(self.context, reverse("letters:download", kwargs={"pk": letter.pk}))


class ParticipantSerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    function = serializers.CharField(read_only=True)
    department = serializers.CharField(read_only=True)
    delegation_role = serializers.ChoiceField(choices=[*DelegationRole.choices, ("", "")], read_only=True)
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "description": "Only where the participant agreed to publish it.",
        }
    )
    def get_email(self, person):
        return person.published_email or None

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "description": "Only where the participant agreed to publish it.",
        }
    )
    def get_phone(self, person):
        return person.published_phone or None

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "description": "The postal address, only where the participant agreed to publish it.",
        }
    )
    def get_address(self, person):
        return person.published_address or None


class DelegationSerializer(serializers.Serializer):
    represents = serializers.CharField(read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)


class ParticipantGroupSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["parties", "non_party", "un", "igo", "ngo"], read_only=True)
    heading = serializers.CharField(read_only=True)
    delegations = DelegationSerializer(many=True, read_only=True)


class ListOfParticipantsSerializer(serializers.Serializer):
    meeting = serializers.CharField(read_only=True)
    language = serializers.ChoiceField(choices=MEETING_LANGUAGES, read_only=True)
    count = serializers.IntegerField(read_only=True)
    groups = ParticipantGroupSerializer(many=True, read_only=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)
