"""Reads of the participants app. List selectors fetch their relations up front so a page runs
a fixed number of queries whatever the number of rows."""

from django.db.models import QuerySet

from reference.models import Country

from .enums import ACCREDITED_STATUSES, Capacity
from .models import Registration


def _letters_relation_exists() -> bool:
    return any(
        getattr(f, "related_name", None) == "letters" or f.name == "letters"
        for f in Registration._meta.get_fields()
        if f.is_relation and f.auto_created
    )


def my_registrations(*, user) -> QuerySet[Registration]:
    qs = (
        Registration.objects.filter(user=user)
        .select_related("meeting", "country", "organisation")
        .order_by("-meeting__start_date")
    )
    if _letters_relation_exists():
        qs = qs.prefetch_related("letters")
    return qs


def state_registrations(*, meeting, country) -> QuerySet[Registration]:
    """What a focal point sees: every registration of their State for the meeting."""
    return (
        Registration.objects.filter(meeting=meeting, country=country)
        .select_related("user", "nomination_letter", "country")
        .order_by("last_name", "first_name")
    )


def admin_registrations(queryset):
    return queryset.select_related("meeting", "country", "organisation", "funding")


ORDER_OF_GROUPS = [
    ("parties", Capacity.PARTY),
    ("non_party", Capacity.NON_PARTY_STATE),
    ("un", (Capacity.UN_BODY, Capacity.SPECIALISED_AGENCY, Capacity.SECRETARIAT)),
    ("igo", Capacity.IGO),
    ("ngo", (Capacity.NGO, Capacity.MEDIA)),
]


def accredited_participants(*, meeting) -> QuerySet[Registration]:
    return Registration.objects.filter(meeting=meeting, status__in=ACCREDITED_STATUSES).select_related(
        "country", "organisation"
    )


def list_of_participants(*, meeting, language: str = "en") -> list[dict]:
    """The official list: Parties (alphabetical by State name in `language`), then non-party
    States, UN bodies and agencies, IGOs, NGOs. Each group holds (heading, people)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    name_field = f"name_{language}" if language in ("en", "fr", "es") else "name_en"
    people = list(accredited_participants(meeting=meeting).order_by("last_name", "first_name"))
    groups = []
    with override(language):
        headings = {
            "parties": _("Parties"),
            "non_party": _("States not parties to the Convention"),
            "un": _("United Nations bodies and specialised agencies"),
            "igo": _("Intergovernmental organisations"),
            "ngo": _("Non-governmental organisations"),
        }
        for key, capacities in ORDER_OF_GROUPS:
            capacities = capacities if isinstance(capacities, tuple) else (capacities,)
            members = [p for p in people if p.capacity in capacities]
            if not members:
                continue
            blocks = {}
            for person in members:
                if person.country_id:
                    label = getattr(person.country, name_field) or person.country.name_en
                else:
                    label = person.organisation.name if person.organisation_id else _("Secretariat")
                blocks.setdefault(label, []).append(person)
            # Head of delegation first, then alternates, then the rest by name.
            order = {"head": 0, "alternate": 1, "adviser": 2}
            sorted_blocks = [
                (label, sorted(blocks[label], key=lambda p: (order.get(p.delegation_role, 3), p.last_name)))
                for label in sorted(blocks, key=_collate)
            ]
            groups.append({"key": key, "heading": headings[key], "blocks": sorted_blocks})
    return groups


def _collate(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def parties_on(day) -> QuerySet[Country]:
    return Country.objects.filter(party_records__entry_into_force__lte=day).distinct()
