"""Demo meetings: the real meetings of 2017–2022 named in the secretariat's progress reports, COP-5
and COP-6 (2023, 2025) from the Convention's meeting pages, and one upcoming demo meeting dated
from the day the demo is loaded, open for registration, so a newcomer can walk a delegate's path."""

import datetime as dt
import zoneinfo
from decimal import Decimal
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minamata_portal.pdf import html_to_pdf
from reference.enums import RegionalGroup
from reference.models import Country

from .enums import SIDE_EVENT_TRANSITIONS, MaterialKind, SeriesKind
from .enums import InformationSection as IS
from .enums import MeetingKind as K
from .enums import MeetingMode as M
from .enums import MeetingStatus as S
from .enums import SessionKind as SK
from .enums import SideEventStatus as SE
from .models import (
    AgendaItem,
    Contribution,
    EventSeries,
    ExpertGroup,
    Meeting,
    MeetingMaterial,
    ParticipantInformation,
    PartnerOrganisation,
    Session,
    SideEvent,
    SideEventSlot,
    StateGroup,
)
from .services import agendas, information, materials, planning, programme, scope, side_events
from .services import series as series_services
from .services.transition import transition

D = dt.date

MEETINGS = [
    # code, kind, number, title, mode, start, end, city, iso3, venue, tz, prefix, regions
    (
        "cop-1",
        K.COP,
        1,
        "First meeting of the Conference of the Parties to the Minamata Convention on Mercury",
        M.IN_PERSON,
        D(2017, 9, 24),
        D(2017, 9, 29),
        "Geneva",
        "CHE",
        "Centre International de Conférences Genève",
        "Europe/Zurich",
        "UNEP/MC/COP.1",
        [],
    ),
    (
        "bureau-2017-12",
        K.BUREAU,
        None,
        "Bureau of the Conference of the Parties: teleconference",
        M.ONLINE,
        D(2017, 12, 20),
        D(2017, 12, 20),
        "",
        None,
        "",
        "Europe/Zurich",
        "",
        [],
    ),
    (
        "ewg-effectiveness-2018",
        K.EXPERT_GROUP,
        None,
        "Ad hoc group of experts on effectiveness evaluation",
        M.IN_PERSON,
        D(2018, 3, 5),
        D(2018, 3, 9),
        "Ottawa",
        "CAN",
        "",
        "America/Toronto",
        "UNEP/MC/EE.1",
        [],
    ),
    (
        "bureau-2018-04",
        K.BUREAU,
        None,
        "Bureau of the Conference of the Parties: teleconference",
        M.ONLINE,
        D(2018, 4, 27),
        D(2018, 4, 27),
        "",
        None,
        "",
        "Europe/Zurich",
        "",
        [],
    ),
    (
        "sip-gb-1",
        K.SIP_BOARD,
        1,
        "First meeting of the Governing Board of the Specific International Programme",
        M.IN_PERSON,
        D(2018, 5, 15),
        D(2018, 5, 16),
        "Geneva",
        "CHE",
        "",
        "Europe/Zurich",
        "",
        [],
    ),
    (
        "icc-1",
        K.COMPLIANCE_COMMITTEE,
        1,
        "First meeting of the Implementation and Compliance Committee",
        M.IN_PERSON,
        D(2018, 5, 29),
        D(2018, 5, 30),
        "Geneva",
        "CHE",
        "",
        "Europe/Zurich",
        "UNEP/MC/ICC.1",
        [],
    ),
    (
        "bureau-2018-09",
        K.BUREAU,
        None,
        "Bureau of the Conference of the Parties: face-to-face meeting",
        M.IN_PERSON,
        D(2018, 9, 13),
        D(2018, 9, 14),
        "Geneva",
        "CHE",
        "",
        "Europe/Zurich",
        "",
        [],
    ),
    (
        "sip-gb-2",
        K.SIP_BOARD,
        2,
        "Second meeting of the Governing Board of the Specific International Programme",
        M.IN_PERSON,
        D(2018, 10, 2),
        D(2018, 10, 3),
        "Oslo",
        "NOR",
        "",
        "Europe/Oslo",
        "",
        [],
    ),
    (
        "rc-africa-2018",
        K.REGIONAL_CONSULTATION,
        None,
        "African regional consultation in preparation for COP-2",
        M.IN_PERSON,
        D(2018, 10, 9),
        D(2018, 10, 10),
        "Lusaka",
        "ZMB",
        "",
        "Africa/Lusaka",
        "",
        ["african"],
    ),
    (
        "rc-ceeca-2018",
        K.REGIONAL_CONSULTATION,
        None,
        "Central and Eastern Europe and Central Asia regional consultation in preparation for COP-2",
        M.IN_PERSON,
        D(2018, 10, 16),
        D(2018, 10, 17),
        "Chisinau",
        "MDA",
        "",
        "Europe/Chisinau",
        "",
        ["eastern_european"],
    ),
    (
        "rc-asia-pacific-2018",
        K.REGIONAL_CONSULTATION,
        None,
        "Asia and the Pacific regional consultation in preparation for COP-2",
        M.IN_PERSON,
        D(2018, 10, 23),
        D(2018, 10, 24),
        "Bangkok",
        "THA",
        "",
        "Asia/Bangkok",
        "",
        ["asia_pacific"],
    ),
    (
        "rc-grulac-2018",
        K.REGIONAL_CONSULTATION,
        None,
        "Latin America and the Caribbean regional consultation in preparation for COP-2",
        M.IN_PERSON,
        D(2018, 10, 30),
        D(2018, 10, 31),
        "Lima",
        "PER",
        "",
        "America/Lima",
        "",
        ["latin_american_caribbean"],
    ),
    (
        "cop-2",
        K.COP,
        2,
        "Second meeting of the Conference of the Parties to the Minamata Convention on Mercury",
        M.IN_PERSON,
        D(2018, 11, 19),
        D(2018, 11, 23),
        "Geneva",
        "CHE",
        "Centre International de Conférences Genève",
        "Europe/Zurich",
        "UNEP/MC/COP.2",
        [],
    ),
    (
        "cop-3",
        K.COP,
        3,
        "Third meeting of the Conference of the Parties to the Minamata Convention on Mercury",
        M.IN_PERSON,
        D(2019, 11, 25),
        D(2019, 11, 29),
        "Geneva",
        "CHE",
        "Centre International de Conférences Genève",
        "Europe/Zurich",
        "UNEP/MC/COP.3",
        [],
    ),
    (
        "icc-online-2021",
        K.COMPLIANCE_COMMITTEE,
        None,
        "Implementation and Compliance Committee: online meeting",
        M.ONLINE,
        D(2021, 6, 7),
        D(2021, 6, 8),
        "",
        None,
        "",
        "Europe/Zurich",
        "",
        [],
    ),
    (
        "cop-4",
        K.COP,
        4,
        "Fourth meeting of the Conference of the Parties to the Minamata Convention on Mercury",
        M.HYBRID,
        D(2021, 11, 1),
        D(2022, 3, 25),
        "",
        None,
        "",
        "Europe/Zurich",
        "UNEP/MC/COP.4",
        [],
    ),
    # From the Convention's meeting pages (read 2026-12-01): COP-5 and COP-6 in Geneva, COP-6's
    # regional preparatory meetings and its online events week. Nothing else is known here: no
    # venue for COP-5, no segments, no documents or decisions are invented.
    (
        "cop-5",
        K.COP,
        5,
        "Fifth meeting of the Conference of the Parties to the Minamata Convention on Mercury",
        M.IN_PERSON,
        D(2023, 10, 30),
        D(2023, 11, 3),
        "Geneva",
        "CHE",
        "",
        "Europe/Zurich",
        "UNEP/MC/COP.5",
        [],
    ),
    (
        "rc-grulac-2025",
        K.REGIONAL_CONSULTATION,
        None,
        "Latin America and the Caribbean regional preparatory meeting for COP-6",
        M.IN_PERSON,
        D(2025, 9, 3),
        D(2025, 9, 4),
        "Santiago",
        "CHL",
        "",
        "America/Santiago",
        "",
        ["latin_american_caribbean"],
    ),
    (
        "rc-eastern-europe-2025",
        K.REGIONAL_CONSULTATION,
        None,
        "Eastern European States regional preparatory meeting for COP-6",
        M.IN_PERSON,
        D(2025, 9, 16),
        D(2025, 9, 17),
        "Geneva",
        "CHE",
        "",
        "Europe/Zurich",
        "",
        ["eastern_european"],
    ),
    (
        "rc-asia-pacific-2025",
        K.REGIONAL_CONSULTATION,
        None,
        "Asia-Pacific regional preparatory meeting for COP-6",
        M.IN_PERSON,
        D(2025, 9, 23),
        D(2025, 9, 24),
        "Bangkok",
        "THA",
        "",
        "Asia/Bangkok",
        "",
        ["asia_pacific"],
    ),
    (
        "rc-africa-2025",
        K.REGIONAL_CONSULTATION,
        None,
        "African regional preparatory meeting for COP-6",
        M.IN_PERSON,
        D(2025, 10, 7),
        D(2025, 10, 9),
        "Gaborone",
        "BWA",
        "",
        "Africa/Gaborone",
        "",
        ["african"],
    ),
    (
        "cop-6-online-week",
        K.WEBINAR,
        None,
        "Online events week before COP-6",
        M.ONLINE,
        D(2025, 10, 13),
        D(2025, 10, 17),
        "",
        None,
        "",
        "Europe/Zurich",
        "",
        [],
    ),
    (
        "cop-6",
        K.COP,
        6,
        "Sixth meeting of the Conference of the Parties to the Minamata Convention on Mercury",
        M.IN_PERSON,
        D(2025, 11, 3),
        D(2025, 11, 7),
        "Geneva",
        "CHE",
        "Geneva International Conference Centre (CICG)",
        "Europe/Zurich",
        "UNEP/MC/COP.6",
        [],
    ),
]

# The saved group the notes speak of for the Chisinau consultation. The notes do not list its
# States: the demo takes the Eastern European group and the five Central Asian States, for staff to
# check against the invitation list.
CEECA_NAME = "Central and Eastern Europe and Central Asia"
CEECA_CENTRAL_ASIA = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
CEECA_NOTES = (
    "Demo definition, not from a source: the Eastern European Group and the five Central Asian States "
    "(Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan). Check against the invitation list."
)

SEGMENTS = [
    (
        "cop-4-online",
        "COP-4, first segment (online)",
        M.ONLINE,
        D(2021, 11, 1),
        D(2021, 11, 5),
        "",
        None,
        "",
        "Europe/Zurich",
    ),
    (
        "cop-4-bali",
        "COP-4, resumed in-person segment",
        M.IN_PERSON,
        D(2022, 3, 21),
        D(2022, 3, 25),
        "Nusa Dua, Bali",
        "IDN",
        "Bali International Convention Centre",
        "Asia/Makassar",
    ),
]


UN_LANGUAGES = ["ar", "zh", "en", "fr", "ru", "es"]
# The expert groups the notes name; only the first met in the demo's years (Ottawa, March 2018).
EXPERT_GROUPS = {
    "Ad hoc group of experts on effectiveness evaluation": ["ewg-effectiveness-2018"],
    "Group of technical experts on mercury waste thresholds": [],
    "Expert group on interim storage of mercury": [],
    "Expert group on contaminated sites": [],
    "Expert group on the review of annexes A and B": [],
}
LANGUAGES = {
    "rc-africa-2025": ["en", "fr"],
    "rc-grulac-2025": ["en", "es"],
    "rc-eastern-europe-2025": ["en", "ru"],
    "rc-africa-2018": ["en", "fr"],
    "rc-ceeca-2018": ["en", "ru"],
    "rc-asia-pacific-2018": ["en"],
    "rc-grulac-2018": ["en", "es"],
}

# "The secretariat has organized a series of regional consultations ... with voluntary contributions
# from Austria, Japan, Sweden and Switzerland" (progress report to COP-2). The report names the donors,
# not the sums or which consultation each funded: the amounts below are demo figures.
REGIONAL_CONSULTATION_DONORS = [("AUT", "EUR", "25000"), ("JPN", "USD", "30000"), ("SWE", "SEK", "250000"),
                                ("CHE", "CHF", "25000")]  # fmt: skip
# The Basel and Stockholm regional and coordinating centres that arranged logistics and travel.
REGIONAL_CONSULTATION_PARTNERS = {
    "rc-africa-2018": "Africa Institute for the Environmentally Sound Management of Hazardous and Other Wastes, Pretoria",
    "rc-ceeca-2018": "Research Centre for Toxic Compounds in the Environment, Brno, Czechia",
    "rc-grulac-2018": "Basel Convention Coordinating Centre for Training and Technology Transfer for Latin America "
    "and the Caribbean, Montevideo",
    "rc-asia-pacific-2018": "Basel and Stockholm Regional Centre for South-East Asia, Jakarta",
}

# Items the progress reports cite ("Item 4 (f) of the provisional agenda", "Item 5 of the provisional
# agenda" of COP-4; the report on the secretariat to COP-2), with the procedural items every COP
# agenda opens with. Positions: (item, sub-item or None).
COP2_AGENDA = [
    ((1, None), "Opening of the meeting", ""),
    ((2, None), "Organizational matters", ""),
    ((2, 1), "Adoption of the agenda", "The Conference will have before it the provisional agenda (UNEP/MC/COP.2/1)."),
    ((2, 2), "Organization of work", ""),
    ((4, None), "Matters for consideration or action by the Conference of the Parties", ""),
    ((4, 1), "Secretariat",
     "The Conference will have before it a progress report on the main activities of the secretariat in the "
     "intersessional period, including the preparations for the second meeting and the regional consultations."),
]  # fmt: skip
COP4_AGENDA = [
    ((1, None), "Opening of the meeting", ""),
    ((2, None), "Organizational matters", ""),
    ((2, 1), "Adoption of the agenda", "The Conference will have before it the provisional agenda (UNEP/MC/COP.4/1)."),
    ((2, 2), "Organization of work", ""),
    ((4, None), "Matters for consideration or action by the Conference of the Parties", ""),
    ((4, 6), "Capacity-building, technical assistance and technology transfer",
     "The Conference will have before it a note by the secretariat on the capacity-building and technical "
     "assistance programme of the Minamata Convention on Mercury (article 14)."),
    ((5, None), "International cooperation and coordination",
     "The Conference will have before it a note by the secretariat on international cooperation and "
     "coordination (UNEP/MC/COP.4/23) and the joint report of the secretariats of the Minamata Convention and "
     "of the Basel, Rotterdam and Stockholm conventions (UNEP/MC/COP.4/INF/17)."),
]  # fmt: skip


# The COPs' titles and the agenda's standing items in French and Spanish, as the UN words them.
TITLES_FR_ES = {
    "cop-1": (
        "Première réunion de la Conférence des Parties à la Convention de Minamata sur le mercure",
        "Primera reunión de la Conferencia de las Partes en el Convenio de Minamata sobre el Mercurio",
    ),
    "cop-2": (
        "Deuxième réunion de la Conférence des Parties à la Convention de Minamata sur le mercure",
        "Segunda reunión de la Conferencia de las Partes en el Convenio de Minamata sobre el Mercurio",
    ),
    "cop-3": (
        "Troisième réunion de la Conférence des Parties à la Convention de Minamata sur le mercure",
        "Tercera reunión de la Conferencia de las Partes en el Convenio de Minamata sobre el Mercurio",
    ),
    "cop-4": (
        "Quatrième réunion de la Conférence des Parties à la Convention de Minamata sur le mercure",
        "Cuarta reunión de la Conferencia de las Partes en el Convenio de Minamata sobre el Mercurio",
    ),
    "cop-5": (
        "Cinquième réunion de la Conférence des Parties à la Convention de Minamata sur le mercure",
        "Quinta reunión de la Conferencia de las Partes en el Convenio de Minamata sobre el Mercurio",
    ),
    "cop-6": (
        "Sixième réunion de la Conférence des Parties à la Convention de Minamata sur le mercure",
        "Sexta reunión de la Conferencia de las Partes en el Convenio de Minamata sobre el Mercurio",
    ),
    "cop-4-online": ("COP-4, première partie (en ligne)", "COP-4, primera parte (en línea)"),
    "cop-4-bali": ("COP-4, reprise de la réunion en présentiel", "COP-4, continuación presencial"),
}
ITEMS_FR_ES = {
    "Opening of the meeting": ("Ouverture de la réunion", "Apertura de la reunión"),
    "Organizational matters": ("Questions d’organisation", "Cuestiones de organización"),
    "Adoption of the agenda": ("Adoption de l’ordre du jour", "Aprobación del programa"),
    "Organization of work": ("Organisation des travaux", "Organización de los trabajos"),
    "Matters for consideration or action by the Conference of the Parties": (
        "Questions soumises à la Conférence des Parties pour examen ou décision",
        "Cuestiones para examen o adopción de medidas por la Conferencia de las Partes",
    ),
    "Secretariat": ("Secrétariat", "Secretaría"),
    "Capacity-building, technical assistance and technology transfer": (
        "Renforcement des capacités, assistance technique et transfert de technologies",
        "Creación de capacidad, asistencia técnica y transferencia de tecnología",
    ),
    "International cooperation and coordination": (
        "Coopération et coordination internationales",
        "Cooperación y coordinación internacionales",
    ),
}  # fmt: skip


def _titles(title):
    fr, es = ITEMS_FR_ES.get(title, ("", ""))
    return {"title_en": title, "title_fr": fr, "title_es": es}


def _agenda(meeting, items, actions, *, revise_to=None):
    """One agenda version walked through `actions` with the real transition service; with
    `revise_to`, a second version is then started (the first is superseded) and walked on."""
    if meeting.agenda_versions.exists():
        return 0
    version = agendas.agenda_version_create_next(meeting=meeting, note="Demo")
    parents = {}
    for (number, letter), title, annotation in items:
        if letter is None:
            parents[number] = agendas.agenda_item_save(
                item=AgendaItem(version=version, position=number, annotation=annotation, **_titles(title))
            )
        else:
            agendas.agenda_item_save(
                item=AgendaItem(
                    version=version,
                    parent=parents[number],
                    position=letter,
                    annotation=annotation,
                    **_titles(title),
                )
            )
    for action in actions:
        agendas.agenda_version_move(version=version, action=action)
    if revise_to:
        version = agendas.agenda_version_create_next(
            meeting=meeting, note="Revised after the Bureau's review"
        )
        for action in revise_to:
            agendas.agenda_version_move(version=version, action=action)
    return meeting.agenda_versions.count()


def _at(meeting, day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=meeting.tz)


def _cop2_programme(cop2):
    if cop2.sessions.exists():
        return
    days = [cop2.start_date + dt.timedelta(days=n) for n in range(5)]
    plan = []
    for n, day in enumerate(days):
        plan.append((SK.PLENARY, "Plenary" if n else "Opening plenary", "Room 1", day, (10, 0), (13, 0)))
        plan.append((SK.PLENARY, "Closing plenary" if n == 4 else "Plenary", "Room 1", day, (15, 0), (18, 0)))
    for group, room in [("African States", "Room 3"), ("Asia-Pacific States", "Room 4"),
                        ("Latin American and Caribbean States", "Room 5"), ("Eastern European States", "Room 6"),
                        ("Western European and other States", "Room 7")]:  # fmt: skip
        plan.append((SK.REGIONAL_GROUP, f"Regional group: {group}", room, days[0], (8, 30), (9, 45)))
    plan.append(
        (
            SK.CONTACT_GROUP,
            "Contact group on the programme of work and budget",
            "Room 2",
            days[1],
            (15, 0),
            (18, 0),
        )
    )
    plan.append(
        (
            SK.CONTACT_GROUP,
            "Contact group on the programme of work and budget",
            "Room 2",
            days[2],
            (19, 0),
            (21, 0),
        )
    )
    plan.append(
        (
            SK.INFORMATION_SESSION,
            "Information session for delegates new to the Convention",
            "Room 2",
            days[0],
            (8, 30),
            (9, 30),
        )
    )
    for kind, title, room, day, start, end in plan:
        programme.session_save(
            session=Session(meeting=cop2, kind=kind, title_en=title, room=room,
                            starts=_at(cop2, day, *start), ends=_at(cop2, day, *end))
        )  # fmt: skip


# Demo requests: the organisations are real participants in the Convention's work, the events are not.
COP2_SIDE_EVENTS = [
    ("Zero Mercury Working Group", "Phasing down dental amalgam: experiences from Parties", SE.SCHEDULED, 0, "Room XII"),
    ("UNEP Global Mercury Partnership", "Artisanal and small-scale gold mining: national action plans", SE.SCHEDULED, 1,
     "Room XII"),
    ("World Health Organization", "Mercury-added medical devices after 2020", SE.APPROVED, None, ""),
    ("IPEN", "Mercury in skin-lightening creams", SE.SUBMITTED, None, ""),
    ("Example Trade Association", "Product showcase", SE.DECLINED, None, ""),
]  # fmt: skip


def _cop2_side_events(cop2):
    if cop2.side_events.exists():
        return
    slots = []
    for n in range(4):
        day = cop2.start_date + dt.timedelta(days=n)
        for start, end in [((13, 15), (14, 45)), ((18, 15), (19, 45))]:
            slots.append(
                programme.side_event_slot_save(
                    slot=SideEventSlot(meeting=cop2, starts=_at(cop2, day, *start), ends=_at(cop2, day, *end))
                )
            )
    # Recorded with the services that do not mail (not the request form, nor the review services):
    # COP-2 was held in 2018, its requests are closed, and the demo must not mail anyone.
    for n, (organisation, title, status, slot_index, room) in enumerate(COP2_SIDE_EVENTS):
        event = side_events.side_event_save(
            side_event=SideEvent(
                meeting=cop2, organisation=organisation, title=title,
                description=f"{title}. A side event during the second meeting of the Conference of the Parties.",
                expected_attendance=40 + 10 * n, contact_name="Demo organiser",
                contact_email=f"side-event-{n + 1}@demo.mercury.test",
            ),
            preferred_slots=slots[n : n + 3],
        )  # fmt: skip
        if status == SE.DECLINED:
            transition(record=event, table=SIDE_EVENT_TRANSITIONS, action="decline",
                       decline_reason="Side events must not promote commercial products.")  # fmt: skip
        elif status in (SE.APPROVED, SE.SCHEDULED):
            event = transition(record=event, table=SIDE_EVENT_TRANSITIONS, action="approve")
        if status == SE.SCHEDULED:
            slot = slots[slot_index]
            session = programme.session_save(
                session=Session(meeting=cop2, kind=SK.SIDE_EVENT, title_en=title, room=room,
                                starts=slot.starts, ends=slot.ends, description=organisation)
            )  # fmt: skip
            transition(record=event, table=SIDE_EVENT_TRANSITIONS, action="schedule", session=session)


# The demo's meetings were all held: each walks the path a real one takes.
HELD_PATH = ["open_registration", "close_registration", "open_session", "record_held"]


def _meeting(code, **fields):
    """The demo meeting `code` with `fields`, written by the service and, if new, walked to held."""
    meeting = Meeting.objects.filter(code=code).first() or Meeting(code=code)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting = planning.meeting_save(meeting=meeting)
    if meeting.status == S.PLANNED:
        for action in HELD_PATH:
            meeting = planning.meeting_move(meeting=meeting, action=action)
    return meeting


def _ceeca_scope(countries):
    """The Chisinau consultation limited to the saved group "Central and Eastern Europe and
    Central Asia" (the UN regional groups cannot express it)."""
    group = StateGroup.objects.filter(name_en=CEECA_NAME).first()
    if group is None:
        members = [c for c in countries.values() if c.regional_group == RegionalGroup.EASTERN_EUROPEAN]
        members += [countries[iso3] for iso3 in CEECA_CENTRAL_ASIA if iso3 in countries]
        group = scope.state_group_save(
            group=StateGroup(
                name_en=CEECA_NAME,
                name_fr="Europe centrale et orientale et Asie centrale",
                name_es="Europa Central y Oriental y Asia Central",
                notes=CEECA_NOTES,
            ),
            members=members,
        )
    chisinau = Meeting.objects.get(code="rc-ceeca-2018")
    if not chisinau.scope_groups.exists():
        chisinau.regions = []
        planning.meeting_save(meeting=chisinau, scope_groups=[group])


# The upcoming meeting a newcomer can walk through: dated from the day the demo is loaded.
UPCOMING_CODE = "demo-hybrid"
UPCOMING_TITLES = {
    "title_en": "DEMO meeting (not a real meeting): hybrid workshop on mercury inventories",
    "title_fr": "Réunion de DÉMONSTRATION (fictive) : atelier hybride sur les inventaires de mercure",
    "title_es": "Reunión de DEMOSTRACIÓN (ficticia): taller híbrido sobre inventarios de mercurio",
}
UPCOMING_SEGMENT_TITLES = {
    "title_en": "DEMO meeting, online segment (not a real meeting)",
    "title_fr": "Réunion de DÉMONSTRATION, partie en ligne (fictive)",
    "title_es": "Reunión de DEMOSTRACIÓN, parte en línea (ficticia)",
}
UPCOMING_OPENS_IN_DAYS = 60
UPCOMING_ONLINE_SEGMENT_DAYS_BEFORE = 7


def _upcoming_demo_meeting(countries, *, today=None):
    """A hybrid demo meeting opening UPCOMING_OPENS_IN_DAYS after the day the demo is loaded,
    registration open now, with an online segment the week before. Loading again keeps it, unless
    it has started by then: it is then moved ahead again (the demo always has a meeting to join)."""
    today = today or timezone.localdate()
    start = today + dt.timedelta(days=UPCOMING_OPENS_IN_DAYS)
    online_start = start - dt.timedelta(days=UPCOMING_ONLINE_SEGMENT_DAYS_BEFORE)
    existing = Meeting.objects.filter(code=UPCOMING_CODE).first()
    if existing is not None and existing.start_date > today + dt.timedelta(
        days=UPCOMING_ONLINE_SEGMENT_DAYS_BEFORE
    ):
        return existing
    now = timezone.now()
    meeting = existing or Meeting(code=UPCOMING_CODE)
    fields = dict(
        kind=K.WORKSHOP, **UPCOMING_TITLES, mode=M.HYBRID, start_date=online_start,
        end_date=start + dt.timedelta(days=4), city="Geneva", country=countries.get("CHE"),
        venue="Demo venue (Geneva)", time_zone="Europe/Zurich", languages=["en", "fr", "es"],
        registration_opens=now - dt.timedelta(days=1),
        registration_closes=dt.datetime.combine(online_start - dt.timedelta(days=1), dt.time(23, 59),
                                                tzinfo=zoneinfo.ZoneInfo("Europe/Zurich")),
        online_join_url="https://meet.example.org/j/demo-hybrid-plenary",
        online_join_details="Demo only. Meeting ID 000 000 0000, passcode DEMO (not a real meeting).",
    )  # fmt: skip
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting = planning.meeting_save(meeting=meeting)
    if meeting.status == S.PLANNED:
        meeting = planning.meeting_move(meeting=meeting, action="open_registration")
    segment = Meeting.objects.filter(code=f"{UPCOMING_CODE}-online").first() or Meeting(
        code=f"{UPCOMING_CODE}-online"
    )
    segment_fields = dict(
        kind=K.WORKSHOP, **UPCOMING_SEGMENT_TITLES, mode=M.ONLINE, parent=meeting, start_date=online_start,
        end_date=online_start + dt.timedelta(days=1), time_zone="Europe/Zurich", languages=["en", "fr", "es"],
        online_join_url="https://meet.example.org/j/demo-hybrid-online-segment",
        online_join_details="Demo only. Meeting ID 000 000 0001, passcode DEMO (not a real meeting).",
    )  # fmt: skip
    for name, value in segment_fields.items():
        setattr(segment, name, value)
    planning.meeting_save(meeting=segment)
    return meeting


# COP-6's information for participants: only what the notes say (the venue and dates, the
# portal's own rules on visa letters and funding, the secretariat's address printed on every
# letter). Accommodation and health and security are left empty: the notes say nothing of them,
# so the page does not show them.
COP6_INFORMATION = {
    IS.VENUE: {
        "en": "Geneva International Conference Centre (CICG), Geneva, Switzerland. The meeting is held "
        "from 3 to 7 November 2025.\n\nParticipants attending in person collect their badge at the "
        "registration desk on presentation of their letter of confirmation and their passport or "
        "national identity card.",
        "fr": "Centre international de conférences de Genève (CICG), Genève (Suisse). La réunion se "
        "tient du 3 au 7 novembre 2025.\n\nLes participants présents sur place retirent leur badge au "
        "comptoir d’inscription sur présentation de leur lettre de confirmation et de leur passeport "
        "ou de leur carte d’identité nationale.",
        "es": "Centro Internacional de Conferencias de Ginebra (CICG), Ginebra (Suiza). La reunión se "
        "celebra del 3 al 7 de noviembre de 2025.\n\nLos participantes que asisten en persona recogen "
        "su credencial en el mostrador de inscripción presentando su carta de confirmación y su "
        "pasaporte o documento nacional de identidad.",
    },
    IS.VISAS: {
        "en": "Participants who need a visa to enter Switzerland apply to a Swiss embassy or "
        "consulate. Registered participants attending in person may ask the secretariat for a visa "
        "support letter under “My registrations” on this portal, giving their passport details and "
        "the embassy or consulate. The passport must be valid for six months after the end of the "
        "meeting.",
        "fr": "Les participants qui ont besoin d’un visa pour entrer en Suisse en font la demande "
        "auprès d’une ambassade ou d’un consulat de Suisse. Les participants inscrits qui assistent "
        "à la réunion sur place peuvent demander au secrétariat une lettre d’appui à la demande de "
        "visa sous « Mes inscriptions » sur ce portail, en indiquant les données de leur passeport et "
        "l’ambassade ou le consulat. Le passeport doit être valide six mois après la fin de la "
        "réunion.",
        "es": "Los participantes que necesitan un visado para entrar en Suiza lo solicitan en una "
        "embajada o un consulado de Suiza. Los participantes inscritos que asisten en persona pueden "
        "pedir a la secretaría una carta de apoyo a la solicitud de visado en «Mis inscripciones» en "
        "este portal, indicando los datos de su pasaporte y la embajada o el consulado. El pasaporte "
        "debe ser válido durante seis meses después del final de la reunión.",
    },
    IS.TRAVEL: {
        "en": "Funding for a delegate of an eligible Party is requested through the registration on "
        "this portal; eligibility is read from the State's classifications on the meeting's dates, "
        "with priority to the least developed countries, and funded places are limited. The usual "
        "package is an economy-class ticket bought by the secretariat, the daily subsistence "
        "allowance (DSA) at the rate for Geneva and terminal expenses; the DSA is paid at on-site "
        "registration.",
    },
    IS.CONTACTS: {
        "en": "Secretariat of the Minamata Convention on Mercury\nInternational Environment House\n"
        "11–13 chemin des Anémones\nCH-1219 Châtelaine, Geneva, Switzerland",
        "fr": "Secrétariat de la Convention de Minamata sur le mercure\nMaison internationale de "
        "l’environnement\n11–13 chemin des Anémones\nCH-1219 Châtelaine, Genève (Suisse)",
        "es": "Secretaría del Convenio de Minamata sobre el Mercurio\nMaison internationale de "
        "l’environnement\n11–13 chemin des Anémones\nCH-1219 Châtelaine, Ginebra (Suiza)",
    },
}


def _cop6_information():
    """COP-6's information for participants, written through the service once: an entry staff
    have since changed or deleted is left as they made it on the next load. Travel and DSA is in
    English only, so the French and Spanish pages show it in English with a note."""
    cop6 = Meeting.objects.get(code="cop-6")
    if cop6.participant_information.exists():
        return
    for section, texts in COP6_INFORMATION.items():
        for language, body in texts.items():
            information.participant_information_save(
                information=ParticipantInformation(
                    meeting=cop6, section=section, language=language, body=body
                )
            )


# "Minamata Online" (progress report to COP-4, UNEP/MC/COP.4/INF/…: sessions on 15 and 22 October and
# 12 and 17 November 2020, delivered with the Global Mercury Partnership, the BRS secretariat and the
# International Conference on Mercury as a Global Pollutant; "recordings and presentations from the
# Minamata Online sessions are available on the Convention website"). Recording addresses are the
# demo's own (demo.mercury.test), not the real ones.
MINAMATA_ONLINE = [
    ("mo-2020-10-15", D(2020, 10, 15), "Minamata Online: Mercury material flow: waste",
     "Global Mercury Partnership (waste management partnership area)",
     "How mercury moves through waste streams, and what inventories under the Convention need to "
     "capture. Presenters from the Global Mercury Partnership answered questions from Parties."),
    ("mo-2020-10-22", D(2020, 10, 22), "Minamata Online: Article 8 emissions",
     "Secretariat of the Minamata Convention",
     "Controlling emissions from the sources listed in Annex D: best available techniques and best "
     "environmental practices, and the inventories Parties report under Article 8."),
    ("mo-2020-11-12", D(2020, 11, 12), "Minamata Online: Article 11 mercury wastes",
     "Secretariat of the Basel, Rotterdam and Stockholm conventions",
     "Environmentally sound management of mercury wastes under the Basel Convention and its links with "
     "Article 11 of the Minamata Convention, presented by the BRS secretariat."),
    ("mo-2020-11-17", D(2020, 11, 17), "Minamata Online: Multimedia modelling of global mercury movement",
     "International Conference on Mercury as a Global Pollutant (mercury science stream)",
     "Models of mercury moving between air, water, soil and living things, and what they tell the "
     "evaluation of the Convention's effectiveness."),
]  # fmt: skip


def _minamata_online():
    """The "Minamata Online" series of 2020: four held sessions, each with its recording, a short
    summary and its presentation, published. Written once: what staff changed since is kept."""
    found = EventSeries.objects.filter(code="minamata-online").first()
    if found is not None:
        return found
    online = series_services.event_series_save(
        series=EventSeries(
            code="minamata-online",
            kind=SeriesKind.ONLINE_SESSIONS,
            title_en="Minamata Online",
            title_fr="Minamata Online (sessions en ligne)",
            title_es="Minamata Online (sesiones en línea)",
            description_en=(
                "Online sessions through which the secretariat made tools, information, guidance and "
                "expertise available during the coronavirus disease pandemic, delivered with experts from "
                "regional and subregional centres, the Global Mercury Partnership and other international "
                "organizations."
            ),
        )
    )
    for code, day, title, presenter, summary in MINAMATA_ONLINE:
        meeting = _meeting(
            code, kind=K.WEBINAR, title_en=title, mode=M.ONLINE, start_date=day, end_date=day,
            time_zone="Europe/Zurich", languages=["en"], series=online, seats=500,
            recording_url=f"https://demo.mercury.test/minamata-online/{code}", summary_en=summary,
        )  # fmt: skip
        html = (
            f"<h1>{escape(title)}</h1><p>{escape(presenter)}</p><p>{day:%d %B %Y}</p>"
            "<p>Demo presentation: the real slides are on the Convention's website.</p>"
        )
        upload = SimpleUploadedFile(f"{code}.pdf", html_to_pdf(html), content_type="application/pdf")
        material = materials.meeting_material_save(
            material=MeetingMaterial(
                meeting=meeting, kind=MaterialKind.PRESENTATION, title=title.split(": ", 1)[1],
                presented_by=presenter,
            ),
            uploaded=upload,
        )  # fmt: skip
        materials.meeting_material_publish(material=material)
    return online


def load():
    countries = {c.iso3: c for c in Country.objects.all()}
    groups = {}
    for name in EXPERT_GROUPS:
        groups[name] = ExpertGroup.objects.filter(name_en=name).first() or planning.expert_group_save(
            group=ExpertGroup(name_en=name)
        )
    group_of = {code: groups[name] for name, codes in EXPERT_GROUPS.items() for code in codes}
    for code, kind, number, title, mode, start, end, city, iso3, venue, tz, prefix, regions in MEETINGS:
        title_fr, title_es = TITLES_FR_ES.get(code, ("", ""))
        _meeting(
            code, kind=kind, number=number, title_en=title, title_fr=title_fr, title_es=title_es, mode=mode,
            start_date=start, end_date=end, city=city, country=countries.get(iso3), venue=venue, time_zone=tz,
            symbol_prefix=prefix, regions=regions, expert_group=group_of.get(code),
            languages=UN_LANGUAGES if kind == K.COP else LANGUAGES.get(code, ["en"]),
        )  # fmt: skip
    cop4 = Meeting.objects.get(code="cop-4")
    for code, title, mode, start, end, city, iso3, venue, tz in SEGMENTS:
        title_fr, title_es = TITLES_FR_ES.get(code, ("", ""))
        _meeting(
            code, kind=K.COP, number=4, title_en=title, title_fr=title_fr, title_es=title_es, mode=mode,
            start_date=start, end_date=end, city=city, country=countries.get(iso3), venue=venue, time_zone=tz,
            parent=cop4, symbol_prefix="UNEP/MC/COP.4", languages=UN_LANGUAGES,
            host="Government of Indonesia" if code == "cop-4-bali" else "",
        )  # fmt: skip

    _ceeca_scope(countries)
    upcoming = _upcoming_demo_meeting(countries)

    consultations = Meeting.objects.filter(kind=K.REGIONAL_CONSULTATION, start_date__year=2018)
    for meeting in consultations:
        donors = set(meeting.contributions.values_list("donor_country__iso3", flat=True))
        for iso3, currency, amount in REGIONAL_CONSULTATION_DONORS:
            if iso3 not in donors:
                planning.contribution_save(
                    contribution=Contribution(meeting=meeting, donor_country=countries[iso3],
                                              amount=Decimal(amount), currency=currency, note="Demo amount")
                )  # fmt: skip
        partner = REGIONAL_CONSULTATION_PARTNERS.get(meeting.code)
        if partner and not meeting.partners.filter(name=partner).exists():
            planning.partner_save(
                partner=PartnerOrganisation(meeting=meeting, name=partner, role="Logistics and participants' travel")
            )  # fmt: skip
    cop2 = Meeting.objects.get(code="cop-2")
    _agenda(cop2, COP2_AGENDA, ["issue", "adopt"])
    _agenda(cop4, COP4_AGENDA, ["send_for_review"], revise_to=["issue", "adopt"])
    _cop2_programme(cop2)
    _cop2_side_events(cop2)
    _cop6_information()
    online = _minamata_online()
    return {
        "upcoming demo meeting": f"{upcoming.code} ({upcoming.start_date:%d %b %Y}, registration open)",
        "meetings": Meeting.objects.count(),
        "agenda versions": cop2.agenda_versions.count() + cop4.agenda_versions.count(),
        "contributions": Contribution.objects.count(),
        "programme sessions": Session.objects.count(),
        "side events": SideEvent.objects.count(),
        "information for participants (sections per language)": ParticipantInformation.objects.count(),
        "Minamata Online sessions (with recording and presentation)": online.events.count(),
    }
