"""/api/v1/: the portal's data for the Convention's website, InforMEA and the secretariat's tools.

Every view reads through the apps' selectors and writes through their services, and asks the same
named rules as the pages (`access_rule`, walked by tests/test_access_layer.py like every page)."""

from django.http import Http404
from django.middleware.http import ConditionalGetMiddleware
from django.utils import timezone
from django.utils.decorators import decorator_from_middleware
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from bureau.enums import DecisionKind, DecisionStatus
from documents.enums import Language, Series
from letters.enums import LetterKind, LetterStatus
from meetings.enums import MeetingKind, MeetingStatus
from meetings.selectors import meeting_detail
from minamata_portal.params import BIGINT_MAX, choice_param, id_param, text_param, year_param
from outbox.enums import MailStatus
from participants.enums import REGISTRATION_TRANSITIONS, Capacity, FundingStatus, RegistrationStatus
from participants.selectors import list_of_participants, registration_by_pk
from participants.services.registration import registration_accredit, registration_decline
from reference.enums import RegionalGroup

from . import selectors
from .models import ApiToken
from .serializers import (
    DecisionSerializer,
    DeclineSerializer,
    DocumentSerializer,
    LetterSerializer,
    ListOfParticipantsSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    PartySerializer,
    RegistrationSerializer,
)

conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


# Path arguments as the URL patterns accept them, so that a client (or the fuzzer) reading the
# schema asks for what can exist; an id beyond PostgreSQL's bigint is answered 404, not an error.
CODE = OpenApiParameter(
    "code",
    {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
    OpenApiParameter.PATH,
    description="Meeting code.",
    examples=[OpenApiExample("COP-4", value="cop-4")],
)
ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 0, "maximum": BIGINT_MAX},
    OpenApiParameter.PATH,
    examples=[OpenApiExample("The first", value=1)],
)


def _pk(pk: int) -> int:
    if pk > BIGINT_MAX:
        raise Http404
    return pk


def _enum(name, choices, description):
    return OpenApiParameter(name, OpenApiTypes.STR, enum=list(choices), description=description)


def _text(name, description):
    return OpenApiParameter(name, OpenApiTypes.STR, description=description)


def _int(name, description):
    return OpenApiParameter(name, OpenApiTypes.INT, description=description)


class PortalView(GenericAPIView):
    """`access_rule`: the named rule a user must hold (None: public); with `rule_on_object` the
    view checks it on the object it loads. GET answers carry an ETag of their body, so a harvester
    sending If-None-Match gets 304 Not Modified. No Last-Modified: an answer's body draws on rows
    (agenda items, mandates, language versions, rows deleted or unpublished from a list) whose
    changes no single date covers, so a date would answer If-Modified-Since with a wrong 304."""

    access_rule: str | None = None
    rule_on_object = False

    @classmethod
    def as_view(cls, **initkwargs):
        view = conditional_get(super().as_view(**initkwargs))
        view.access_rule = cls.access_rule
        view.access_public = cls.access_rule is None
        return view

    def check_object_rule(self, obj, *, hide=True):
        """The view's rule on `obj`; refused as if it did not exist (`hide`), as the pages do."""
        if not self.request.user.has_perm(self.access_rule, obj):
            if hide:
                raise Http404
            raise PermissionDenied

    def one(self, rows, pk):
        """One record of `rows` (a selector's queryset, so what its owner's pages show) by id: 404
        for an id it does not hold."""
        return Response(
            self.serializer_class(rows.get(pk=_pk(pk)), context=self.get_serializer_context()).data
        )

    def paged(self, rows, serializer_class, *, context=None):
        page = self.paginate_queryset(rows)
        data = serializer_class(
            page, many=True, context={**self.get_serializer_context(), **(context or {})}
        ).data
        return self.get_paginated_response(data)


# --- Public ------------------------------------------------------------------------------------


class MeetingList(PortalView):
    serializer_class = MeetingSerializer

    @extend_schema(
        operation_id="meetings_list",
        responses=MeetingSerializer(many=True),
        summary="Meetings",
        parameters=[
            _enum("kind", MeetingKind.values, "Kind of meeting."),
            _int("year", "Year the meeting opens in."),
            _enum("status", MeetingStatus.values, "Status."),
            _enum("region", RegionalGroup.values, "Held in or serving this UN regional group."),
            OpenApiParameter("upcoming", OpenApiTypes.BOOL, description="Only meetings not yet ended."),
        ],
    )
    def get(self, request):
        query = request.query_params
        qs = selectors.meetings_listed(
            kind=choice_param(query, "kind", MeetingKind.values),
            year=year_param(query),
            status=choice_param(query, "status", MeetingStatus.values),
            region=choice_param(query, "region", RegionalGroup.values),
            upcoming_from=timezone.localdate() if query.get("upcoming") in ("true", "1") else None,
        )
        return self.paged(qs, MeetingSerializer)


class MeetingDetail(PortalView):
    serializer_class = MeetingDetailSerializer

    @extend_schema(
        operation_id="meeting_retrieve",
        summary="One meeting, with its segments and agenda",
        parameters=[CODE],
    )
    def get(self, request, code):
        meeting = selectors.meeting_for_api(code=code, user=request.user)
        data = MeetingDetailSerializer(meeting, context=self.get_serializer_context()).data
        return Response(data)


class DocumentList(PortalView):
    serializer_class = DocumentSerializer

    @extend_schema(
        operation_id="documents_list",
        responses=DocumentSerializer(many=True),
        summary="Published documents",
        parameters=[
            _text("meeting", "Code of the meeting (its segments' documents included)."),
            _int("agenda_item", "Id of an agenda item."),
            _enum("series", Series.values, "Series."),
            _enum("language", Language.values, "Only documents published in this language (ISO 639-1)."),
            _text("symbol", "Symbol or its beginning, e.g. UNEP/MC/COP.4/INF."),
            _text("q", "Full-text search in titles and symbols."),
        ],
    )
    def get(self, request):
        query = request.query_params
        meeting = None
        if code := text_param(query, "meeting", max_length=40):
            meeting = meeting_detail(code=code)
        qs = selectors.documents_for_api(
            user=request.user,
            meeting=meeting,
            agenda_item=id_param(query, "agenda_item"),
            series=choice_param(query, "series", Series.values),
            language=choice_param(query, "language", Language.values),
            symbol=text_param(query, "symbol", max_length=120),
            text=text_param(query, "q"),
        )
        return self.paged(qs, DocumentSerializer)


class DocumentDetail(PortalView):
    serializer_class = DocumentSerializer

    @extend_schema(
        operation_id="document_retrieve",
        summary="One published document with its language files",
        parameters=[ID],
    )
    def get(self, request, pk):
        return self.one(selectors.documents_for_api(user=request.user), pk)


class DecisionList(PortalView):
    serializer_class = DecisionSerializer

    @extend_schema(
        operation_id="decisions_list",
        responses=DecisionSerializer(many=True),
        summary="Decisions",
        description="Adopted COP decisions; with the Bureau's rights, drafts and Bureau decisions too.",
        parameters=[
            _text("meeting", "Code of the meeting that took them."),
            _text("symbol", "The symbol, e.g. MC-3/11."),
            _enum("kind", DecisionKind.values, "COP or Bureau."),
            _enum("status", DecisionStatus.values, "Draft or adopted."),
        ],
    )
    def get(self, request):
        query = request.query_params
        qs = selectors.decisions_for_api(
            user=request.user,
            meeting=text_param(query, "meeting", max_length=40),
            symbol=text_param(query, "symbol", max_length=60),
            kind=choice_param(query, "kind", DecisionKind.values),
            status=choice_param(query, "status", DecisionStatus.values),
        )
        return self.paged(qs, DecisionSerializer)


class DecisionDetail(PortalView):
    serializer_class = DecisionSerializer

    @extend_schema(
        operation_id="decision_retrieve",
        summary="One decision with its paragraphs and mandates",
        parameters=[ID],
    )
    def get(self, request, pk):
        return self.one(selectors.decisions_for_api(user=request.user), pk)


class PartyList(PortalView):
    serializer_class = PartySerializer

    @extend_schema(
        operation_id="parties_list",
        responses=PartySerializer(many=True),
        summary="Parties to the Convention with their dates",
    )
    def get(self, request):
        return self.paged(selectors.parties_for_api(), PartySerializer)


# --- Staff tools and focal points (personal tokens) --------------------------------------------


def _registration_actions(request):
    user, token = request.user, request.auth
    may_write = not isinstance(token, ApiToken) or token.may_write

    def actions(registration):
        if not may_write:
            return []
        found = []
        if REGISTRATION_TRANSITIONS.can(registration, "accredit", user):
            found.append("accredit")
        if REGISTRATION_TRANSITIONS.can(registration, "decline", user) or REGISTRATION_TRANSITIONS.can(
            registration, "decline_nomination", user
        ):
            found.append("decline")
        return found

    return actions


class RegistrationList(PortalView):
    access_rule = "api.read_registrations"
    serializer_class = RegistrationSerializer

    @extend_schema(
        operation_id="registrations_list",
        responses=RegistrationSerializer(many=True),
        summary="A meeting's registrations",
        description="All of them for the registration desk; a focal point's own States' only.",
        parameters=[
            CODE,
            _enum("status", RegistrationStatus.values, "Status."),
            _enum("capacity", Capacity.values, "Capacity."),
            _text("country", "ISO alpha-3 of the State represented."),
            _enum("region", RegionalGroup.values, "UN regional group of the State."),
            _enum("funding_status", FundingStatus.values, "Status of the funding request."),
            _text("q", "Name, e-mail, State or organisation."),
        ],
    )
    def get(self, request, code):
        meeting = meeting_detail(code=code)
        query = request.query_params
        qs = selectors.registrations_filtered(
            selectors.registrations_readable(user=request.user, meeting=meeting),
            status=choice_param(query, "status", RegistrationStatus.values),
            capacity=choice_param(query, "capacity", Capacity.values),
            country=text_param(query, "country", max_length=3),
            region=choice_param(query, "region", RegionalGroup.values),
            funding_status=choice_param(query, "funding_status", FundingStatus.values),
            q=text_param(query, "q"),
        )
        return self.paged(
            qs,
            RegistrationSerializer,
            context={"registration_actions": _registration_actions(request)},
        )


class RegistrationView(PortalView):
    access_rule = "api.read_registration"
    rule_on_object = True
    serializer_class = RegistrationSerializer

    def registration(self, pk):
        registration = registration_by_pk(pk=_pk(pk))
        self.check_object_rule(registration)
        return registration

    def respond(self, registration, status=200):
        context = {
            **self.get_serializer_context(),
            "registration_actions": _registration_actions(self.request),
        }
        data = RegistrationSerializer(registration, context=context).data
        return Response(data, status=status)


class RegistrationDetail(RegistrationView):
    @extend_schema(operation_id="registration_retrieve", summary="One registration", parameters=[ID])
    def get(self, request, pk):
        return self.respond(self.registration(pk))


class RegistrationAccredit(RegistrationView):
    access_rule = "participants.accredit_registration"

    @extend_schema(
        operation_id="registration_accredit",
        parameters=[ID],
        summary="Accredit a registration",
        request=None,
        responses={200: RegistrationSerializer},
    )
    def post(self, request, pk):
        registration = registration_by_pk(pk=_pk(pk))
        if not request.user.has_perm("api.read_registration", registration):
            raise Http404
        if not request.user.has_perm(self.access_rule, registration):
            raise PermissionDenied
        registration_accredit(registration=registration, by=request.user)
        return self.respond(registration_by_pk(pk=_pk(pk)))


class RegistrationDecline(RegistrationView):
    serializer_class = DeclineSerializer

    @extend_schema(
        operation_id="registration_decline",
        parameters=[ID],
        summary="Decline a registration",
        request=DeclineSerializer,
        responses={200: RegistrationSerializer},
    )
    def post(self, request, pk):
        registration = self.registration(pk)
        form = DeclineSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        reason = form.validated_data["reason"]
        user = request.user
        # The desk declines as the admin does; a focal point as on their State's page.
        if user.has_perm("participants.manage_registrations"):
            registration_decline(registration=registration, by=user, reason=reason)
        elif user.has_perm("participants.nominate_registration", registration):
            registration_decline(registration=registration, by=user, reason=reason, as_focal_point=True)
        else:
            raise PermissionDenied
        return self.respond(registration_by_pk(pk=_pk(pk)))


class LetterList(PortalView):
    access_rule = "letters.view_own_letters"
    serializer_class = LetterSerializer

    @extend_schema(
        operation_id="letters_list",
        responses=LetterSerializer(many=True),
        summary="Letters with their delivery",
        description="Every letter for the staff who run letters; one's own letters for anyone else.",
        parameters=[
            _text("meeting", "Code of the meeting."),
            _enum("kind", LetterKind.values, "Kind of letter."),
            _enum("status", LetterStatus.values, "The letter's status."),
            _enum("delivery", MailStatus.values, "The status of its e-mail."),
            _int("registration", "Id of the registration."),
        ],
    )
    def get(self, request):
        query = request.query_params
        qs = selectors.letters_filtered(
            selectors.letters_readable(user=request.user),
            meeting=text_param(query, "meeting", max_length=40),
            kind=choice_param(query, "kind", LetterKind.values),
            status=choice_param(query, "status", LetterStatus.values),
            delivery=choice_param(query, "delivery", MailStatus.values),
            registration=id_param(query, "registration"),
        )
        return self.paged(qs, LetterSerializer)


class ParticipantList(PortalView):
    access_rule = "participants.manage_registrations"
    serializer_class = ListOfParticipantsSerializer

    @extend_schema(
        operation_id="participants_list",
        summary="The list of participants",
        parameters=[CODE, _enum("language", ("en", "fr", "es"), "Language of the headings and State names.")],
    )
    def get(self, request, code):
        meeting = meeting_detail(code=code)
        language = choice_param(request.query_params, "language", ("en", "fr", "es"), default="en")
        groups = list_of_participants(meeting=meeting, language=language)
        data = {
            "meeting": meeting.code,
            "language": language,
            "count": sum(len(people) for group in groups for _label, people in group["blocks"]),
            "groups": [
                {
                    "key": group["key"],
                    "heading": group["heading"],
                    "delegations": [
                        {"represents": label, "participants": people} for label, people in group["blocks"]
                    ],
                }
                for group in groups
            ],
        }
        return Response(ListOfParticipantsSerializer(data).data)
