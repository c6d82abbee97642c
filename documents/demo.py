"""Demo documents: COP-2's and COP-4's documents named in the secretariat's notes, with statuses
across the six languages, legacy and other conventions' symbols, and the call for submissions under
decision MC-3/8 compiled in UNEP/MC/COP.4/INF/23.

Symbols and titles come from the notes; the language statuses, dates of receipt and which Party
sent two submissions are illustrative, chosen so the processing dashboard has something late."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.html import escape

from meetings.enums import AgendaStatus
from meetings.models import AgendaItem, AgendaVersion, Meeting
from meetings.services.agendas import agenda_item_save, agenda_version_create_next
from minamata_portal.pdf import html_to_pdf
from reference.models import Country

from . import services
from .enums import Language, ProcessingStatus, Series
from .models import CallForSubmissions, Document, LanguageVersion

S = ProcessingStatus
ALL = Language.values
EN = ["en"]

# symbol, English title, agenda item label, published languages, {language: status short of published},
# extra fields
COP4 = [
    (
        "UNEP/MC/COP.4/1",
        "Provisional agenda",
        "2 (a)",
        ALL,
        {},
        {
            "title_fr": "Ordre du jour provisoire",
            "title_es": "Programa provisional",
            "title_ar": "جدول الأعمال المؤقت",
            "title_zh": "临时议程",
            "title_ru": "Предварительная повестка дня",
        },
    ),
    (
        "UNEP/MC/COP.4/14",
        "Capacity-building and technical assistance programme of the Minamata Convention on Mercury",
        "4 (f)",
        ALL,
        {},
        {
            "title_fr": "Programme de renforcement des capacités et d’assistance technique de la Convention de Minamata sur le mercure"
        },
    ),
    (
        "UNEP/MC/COP.4/15",
        "Report of the Implementation and Compliance Committee on its meeting of 7 and 8 June 2021",
        "4",
        ["en", "fr", "es"],
        {"ar": S.IN_PROCESSING, "zh": S.READY, "ru": S.IN_PROCESSING},
        {},
    ),
    (
        "UNEP/MC/COP.4/16",
        "Report of the secretariat on the national reports and short reports received",
        "4",
        ALL,
        {},
        {},
    ),
    (
        "UNEP/MC/COP.4/20",
        "Enhanced cooperation between the secretariat of the Minamata Convention and the secretariat of the Basel, Rotterdam and Stockholm conventions: implementation of decision MC-3/11",
        "5",
        ["en", "fr", "es", "ar", "zh"],
        {"ru": S.SUBMITTED},
        {},
    ),
    (
        "UNEP/MC/COP.4/22",
        "Gender roadmap of the secretariat",
        "4",
        ["en"],
        {
            "fr": S.IN_PROCESSING,
            "es": S.IN_PROCESSING,
            "ar": S.SUBMITTED,
            "zh": S.SUBMITTED,
            "ru": S.AWAITING_ORIGINAL,
        },
        {"advance_unedited": True},
    ),
    (
        "UNEP/MC/COP.4/23",
        "International cooperation and coordination",
        "5",
        ALL,
        {},
        {
            "title_fr": "Coopération et coordination internationales",
            "title_es": "Cooperación y coordinación internacionales",
            "title_ar": "التعاون والتنسيق الدوليان",
        },
    ),
    (
        "UNEP/MC/COP.4/INF/11",
        "Submissions on capacity-building and technical assistance received pursuant to decision MC-3/8",
        "4 (f)",
        EN,
        {},
        {"not_formally_edited": True},
    ),
    (
        "UNEP/MC/COP.4/INF/13",
        "Interlinkages between the chemicals and waste multilateral environmental agreements and biodiversity",
        "5",
        EN,
        {},
        {
            "author": "Secretariats of the Minamata Convention and of the Basel, Rotterdam and Stockholm conventions",
            "not_formally_edited": True,
        },
    ),
    (
        "UNEP/MC/COP.4/INF/14",
        "Chemicals, wastes and climate change: interlinkages and potential for coordinated action",
        "5",
        EN,
        {},
        {
            "author": "Secretariats of the Minamata Convention and of the Basel, Rotterdam and Stockholm conventions",
            "not_formally_edited": True,
        },
    ),
    (
        "UNEP/MC/COP.4/INF/15",
        "Report by the Executive Director of the United Nations Environment Programme to the Conference of the Parties at its fourth meeting",
        "5",
        EN,
        {},
        {"author": "United Nations Environment Programme", "not_formally_edited": True},
    ),
    (
        "UNEP/MC/COP.4/INF/16",
        "Activities of the Global Mercury Partnership",
        "5",
        EN,
        {},
        {"author": "Global Mercury Partnership", "not_formally_edited": True},
    ),
    (
        "UNEP/MC/COP.4/INF/17",
        "Joint report on cooperation and coordination between the secretariats of the Minamata Convention on Mercury and of the Basel, Rotterdam and Stockholm conventions",
        "5",
        EN,
        {},
        {
            "author": "Secretariats of the Minamata Convention and of the Basel, Rotterdam and Stockholm conventions",
            "not_formally_edited": True,
        },
    ),
    (
        "UNEP/MC/COP.4/INF/18",
        "Information submitted by the World Health Organization and the International Labour Organization",
        "5",
        EN,
        {},
        {
            "author": "World Health Organization; International Labour Organization",
            "not_formally_edited": True,
        },
    ),
    (
        "UNEP/MC/COP.4/INF/19",
        "Report on the activities of relevant international bodies",
        "4 (f)",
        EN,
        {},
        {"not_formally_edited": True},
    ),
    (
        "UNEP/MC/COP.4/INF/20",
        "Strategic Approach to International Chemicals Management and the intersessional process",
        "5",
        EN,
        {},
        {"author": "Secretariat of the Strategic Approach", "not_formally_edited": True},
    ),
    (
        "UNEP/MC/COP.4/INF/22",
        "Programme of work and budget activity sheets for the biennium 2022–2023",
        "4 (f)",
        [],
        {"en": S.READY},
        {},
    ),
    (
        "UNEP/MC/COP.4/INF/23",
        "Compilation of submissions received pursuant to decision MC-3/8",
        "4 (f)",
        [],
        {"en": S.IN_PROCESSING},
        {"not_formally_edited": True},
    ),
]
COP2 = [
    (
        "UNEP/MC/COP.2/1",
        "Provisional agenda",
        "2 (a)",
        ALL,
        {},
        {"title_fr": "Ordre du jour provisoire", "title_es": "Programa provisional"},
    ),
    (
        "UNEP/MC/COP.2/11",
        "Report of the Implementation and Compliance Committee on its first meeting",
        "4",
        ALL,
        {},
        {},
    ),
]
LEGACY = [
    ("UNEP(DTIE)/Hg/CONF/4", "Final Act of the Conference of Plenipotentiaries on the Minamata Convention on Mercury"),
    ("UNEP(DTIE)/Hg/INC.6/INF/7", "Activities of the interim secretariat: background note by the secretariat"),
    ("UNEP/CHW.15/6/Add.6", "Technical guidelines on the environmentally sound management of wastes consisting of, containing or contaminated with mercury or mercury compounds"),
]  # fmt: skip

# The COP-4 items the notes name ("Item 4 (f) of the provisional agenda", "Item 5"), used only
# if the meetings demo did not give COP-4 an agenda.
COP4_ITEMS = [
    (2, "Organizational matters", [(1, "Adoption of the agenda")]),
    (4, "Matters for consideration or action by the Conference of the Parties", [(6, "Capacity-building, technical assistance and technology transfer")]),
    (5, "International cooperation and coordination", []),
]  # fmt: skip

SUBMITTERS = [
    "ARG",
    "KHM",
    "CAN",
    "ECU",
    "GMB",
    "DEU",
    "JPN",
    "JPN",
    "MNE",
    "NLD",
    "OMN",
    "QAT",
    "SYC",
    "USA",
]

# The moves of `enums.LANGUAGE_VERSION_TRANSITIONS` (and uploads) that bring a version to each status.
STEPS = {
    S.SUBMITTED: ["submit"],
    S.IN_PROCESSING: ["submit", "start_processing"],
    S.READY: ["submit", "start_processing", "upload", "mark_ready"],
    S.PUBLISHED: ["submit", "start_processing", "upload", "mark_ready", "publish"],
}


def _pdf(symbol, title):
    return html_to_pdf(
        f"<html><body style='font-family: sans-serif'><p style='text-align:right'>{escape(symbol)}</p>"
        f"<h1 style='font-size:16pt'>{escape(title)}</h1><p>Demo copy generated by the portal.</p></body></html>"
    )


def _walk(version, status, pdf):
    for step in STEPS.get(status, []):
        if step == "upload":
            services.language_version_upload(
                version=version,
                uploaded=SimpleUploadedFile(f"{version.language}.pdf", pdf, "application/pdf"),
            )
        else:
            services.language_version_transition(version=version, action=step)


def _agenda_items(meeting):
    if meeting is None:
        return {}
    if not AgendaVersion.objects.filter(meeting=meeting).exists() and meeting.code == "cop-4":
        version = agenda_version_create_next(meeting=meeting, note="Demo: the items the notes name")
        for position, title, subs in COP4_ITEMS:
            parent = agenda_item_save(item=AgendaItem(version=version, position=position, title_en=title))
            for sub_position, sub_title in subs:
                agenda_item_save(
                    item=AgendaItem(version=version, parent=parent, position=sub_position, title_en=sub_title)
                )
    # Documents hang on the adopted agenda where there is one, else on the latest version.
    versions = AgendaVersion.objects.filter(meeting=meeting)
    latest = (
        versions.filter(status=AgendaStatus.ADOPTED).order_by("-number").first()
        or versions.order_by("-number").first()
    )
    if latest is None:
        return {}
    return {item.label: item for item in latest.items.select_related("parent")}


def _load_meeting(meeting, rows, pdfs):
    items = _agenda_items(meeting)
    created = 0
    for symbol, title, item_label, published, pending, fields in rows:
        if Document.objects.filter(symbol=symbol).exists():
            continue
        languages = sorted(set(published) | set(pending))
        document = services.document_record_existing(
            symbol=symbol,
            title_en=title,
            meeting=meeting,
            languages=languages,
            agenda_items=[items[item_label]] if item_label in items else [],
            issue_date=meeting.start_date - dt.timedelta(weeks=8) if meeting else None,
            **fields,
        )
        if meeting is not None and document.series == Series.INFORMATION:
            # Information documents are due four weeks ahead in this demo, so late ones show.
            for version in document.versions.exclude(status=S.NOT_REQUIRED):
                services.language_version_set_target(
                    version=version, target_date=meeting.start_date - dt.timedelta(weeks=4)
                )
        pdf = pdfs.setdefault(symbol, _pdf(symbol, title))
        for version in document.versions.all():
            status = S.PUBLISHED if version.language in published else pending.get(version.language)
            if status:
                _walk(version, status, pdf)
        created += 1
    return created


def load():
    meetings = {m.code: m for m in Meeting.objects.filter(code__in=["cop-2", "cop-4"])}
    pdfs = {}
    created = 0
    with transaction.atomic():
        if "cop-4" in meetings:
            created += _load_meeting(meetings["cop-4"], COP4, pdfs)
        if "cop-2" in meetings:
            created += _load_meeting(meetings["cop-2"], COP2, pdfs)
        created += _load_meeting(None, [(s, t, None, EN, {}, {}) for s, t in LEGACY], pdfs)
        call = CallForSubmissions.objects.filter(mandate="decision MC-3/8").first()
        if call is None:
            call = services.call_for_submissions_save(
                meeting=meetings.get("cop-4"),
                title="Information on capacity-building, technical assistance and technology transfer",
                mandate="decision MC-3/8",
                letter_date=dt.date(2019, 12, 13),
                addressees=(
                    "Participants in the third meeting of the Conference of the Parties; national focal points; "
                    "permanent missions to UNEP and to the United Nations Office at Geneva"
                ),
                deadline=dt.date(2021, 6, 30),
                reminder_date=dt.date(2021, 5, 20),
                compilation=Document.objects.filter(symbol="UNEP/MC/COP.4/INF/23").first(),
            )
            countries = {c.iso3: c for c in Country.objects.filter(iso3__in=SUBMITTERS)}
            pdf = _pdf("MC-3/8", "Submission")
            for n, iso3 in enumerate(SUBMITTERS):
                services.submission_record(
                    call=call,
                    country=countries.get(iso3),
                    organization="" if iso3 in countries else iso3,
                    received_on=dt.date(2020, 2, 3) + dt.timedelta(days=37 * n),
                    files=[SimpleUploadedFile(f"{iso3.lower()}-submission.pdf", pdf, "application/pdf")],
                )
    return {
        "documents": Document.objects.count(),
        "language versions published": LanguageVersion.objects.filter(status=S.PUBLISHED).count(),
        "submissions": call.submissions.count(),
    }
