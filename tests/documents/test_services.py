import datetime as dt
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from documents import services
from documents.enums import LANGUAGE_VERSION_TRANSITIONS, Distribution, ProcessingStatus, Series
from documents.models import Document, LanguageVersion, LanguageVersionFile, ProcessingStep, SymbolCounter
from documents.services import processing
from minamata_portal.uploads import FileKind
from tests.factories import AgendaItemFactory, MeetingFactory, StaffFactory

from .factories import docx_upload, pdf_bytes, pdf_upload, publish, register, version

pytestmark = pytest.mark.django_db
S = ProcessingStatus


@pytest.fixture
def cop4():
    return MeetingFactory(
        code="cop-4", number=4, start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 5)
    )


def test_portal_issues_numbers_per_series_from_the_meeting_prefix(cop4):
    symbols = [
        register(cop4, Series.WORKING).symbol,
        register(cop4, Series.WORKING).symbol,
        register(cop4, Series.INFORMATION).symbol,
        register(cop4, Series.CONFERENCE_ROOM_PAPER).symbol,
        register(cop4, Series.LIMITED).symbol,
        register(cop4, Series.INFORMATION).symbol,
    ]
    assert symbols == [
        "UNEP/MC/COP.4/1",
        "UNEP/MC/COP.4/2",
        "UNEP/MC/COP.4/INF/1",
        "UNEP/MC/COP.4/CRP.1",
        "UNEP/MC/COP.4/L.1",
        "UNEP/MC/COP.4/INF/2",
    ]
    assert dict(SymbolCounter.objects.values_list("series", "last_number")) == {
        "working": 2, "INF": 2, "CRP": 1, "L": 1,
    }  # fmt: skip


def test_new_document_has_six_language_versions_due_six_weeks_before_the_meeting(cop4):
    document = register(cop4, Series.WORKING, languages=["en", "fr", "es"])
    rows = dict(document.versions.values_list("language", "status"))
    assert rows == {
        "ar": S.NOT_REQUIRED, "zh": S.NOT_REQUIRED, "en": S.AWAITING_ORIGINAL,
        "fr": S.AWAITING_ORIGINAL, "es": S.AWAITING_ORIGINAL, "ru": S.NOT_REQUIRED,
    }  # fmt: skip
    assert version(document, "fr").target_date == dt.date(2021, 9, 20)
    assert version(document, "ar").target_date is None
    # Information documents have no default target.
    assert version(register(cop4, Series.INFORMATION), "en").target_date is None


def test_target_weeks_are_configurable(cop4, settings):
    settings.DOCUMENTS_TARGET_WEEKS_BEFORE = {Series.WORKING: 10, Series.INFORMATION: 2}
    assert version(register(cop4, Series.WORKING), "en").target_date == dt.date(2021, 8, 23)
    assert version(register(cop4, Series.INFORMATION), "en").target_date == dt.date(2021, 10, 18)


def test_agenda_items_link_only_within_the_meeting(cop4):
    item = AgendaItemFactory(version__meeting=cop4, position=5, title_en="International cooperation")
    document = register(cop4, agenda_items=[item])
    assert list(document.agenda_items.all()) == [item]
    other = AgendaItemFactory(position=3)
    with pytest.raises(ValidationError) as error:
        register(cop4, agenda_items=[other])
    assert "agenda_items" in error.value.message_dict
    assert Document.objects.count() == 1


def test_meeting_without_a_prefix_cannot_issue_symbols():
    meeting = MeetingFactory(symbol_prefix="")
    with pytest.raises(ValidationError) as error:
        register(meeting)
    assert "meeting" in error.value.message_dict
    assert not Document.objects.exists()
    assert not SymbolCounter.objects.exists()


def test_supplements_take_the_next_number_of_their_kind(cop4):
    base = register(
        cop4, title_en="International cooperation and coordination", distribution=Distribution.GENERAL
    )
    add1 = services.document_register_supplement(amends=base, kind="Add")
    add2 = services.document_register_supplement(amends=base, kind="Add")
    rev1 = services.document_register_supplement(amends=base, kind="Rev")
    corr1 = services.document_register_supplement(amends=base, kind="Corr")
    add1_rev1 = services.document_register_supplement(amends=add1, kind="Rev")
    assert [d.symbol for d in (add1, add2, rev1, corr1, add1_rev1)] == [
        "UNEP/MC/COP.4/1/Add.1",
        "UNEP/MC/COP.4/1/Add.2",
        "UNEP/MC/COP.4/1/Rev.1",
        "UNEP/MC/COP.4/1/Corr.1",
        "UNEP/MC/COP.4/1/Add.1/Rev.1",
    ]
    assert add1_rev1.amends == add1
    assert add1.title_en == base.title_en
    # The series counter is untouched: the next working document is 2.
    assert register(cop4).symbol == "UNEP/MC/COP.4/2"


def test_legacy_and_other_conventions_symbols_are_recorded_as_issued():
    inc6 = services.document_record_existing(
        symbol="UNEP(DTIE)/Hg/INC.6/INF/7", title_en="Interim secretariat"
    )
    basel = services.document_record_existing(
        symbol="UNEP/CHW.15/6/Add.6", title_en="Technical guidelines on mercury wastes"
    )
    assert (inc6.prefix, inc6.series, inc6.number, inc6.suffix) == ("UNEP(DTIE)/Hg/INC.6", "INF", 7, "")
    assert (basel.prefix, basel.number, basel.suffix, basel.supplement_kind) == (
        "UNEP/CHW.15",
        6,
        "/Add.6",
        "Add",
    )
    assert inc6.recorded_as_is and basel.recorded_as_is


def test_a_recorded_number_is_never_issued_again(cop4):
    services.document_record_existing(
        symbol="UNEP/MC/COP.4/23", title_en="International cooperation", meeting=cop4
    )
    assert register(cop4).symbol == "UNEP/MC/COP.4/24"


def test_a_deleted_documents_number_is_not_reused(cop4):
    first = register(cop4)
    first.delete()
    assert register(cop4).symbol == "UNEP/MC/COP.4/2"


@pytest.mark.parametrize("symbol", ["UNEP/MC/COP.4/23/add.1", "UNEP/MC/COP.4/", "nonsense"])
def test_bad_symbol_is_refused_and_nothing_is_recorded(symbol):
    with pytest.raises(ValidationError) as error:
        services.document_record_existing(symbol=symbol, title_en="x")
    assert list(error.value.message_dict) == ["symbol"]
    assert not Document.objects.exists()
    assert not SymbolCounter.objects.exists()


def test_duplicate_symbol_is_refused_and_nothing_changes(cop4):
    register(cop4)
    before = (Document.objects.count(), LanguageVersion.objects.count())
    with pytest.raises(ValidationError) as error:
        services.document_record_existing(symbol="UNEP/MC/COP.4/1", title_en="Again", meeting=cop4)
    assert "already in use" in error.value.message_dict["symbol"][0]
    assert (Document.objects.count(), LanguageVersion.objects.count()) == before


def test_database_refuses_a_duplicate_number_in_a_series(cop4):
    register(cop4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(
            symbol="UNEP/MC/COP.4/01", prefix="UNEP/MC/COP.4", series="working", number=1, title_en="Sneaky"
        )


def test_concurrent_registration_never_issues_a_number_twice(transactional_db):
    # Two threads, two database connections, both committing: a real race on the counter row.
    meeting = MeetingFactory(number=7, code="cop-7", country=None)
    barrier = threading.Barrier(2)
    issued, errors = [], []

    def officer():
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                issued.append(register(meeting).number)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=officer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(issued) == list(range(1, 11))
    assert SymbolCounter.objects.get(prefix="UNEP/MC/COP.7", series="working").last_number == 10


# --- Processing ---------------------------------------------------------------------------------


def test_language_version_goes_through_every_step_with_history(cop4):
    officer = StaffFactory()
    document = register(cop4)
    publish(document, by=officer)
    v = version(document)
    assert v.status == S.PUBLISHED
    assert v.published_at is not None
    assert list(v.steps.values_list("from_status", "to_status", "by")) == [
        (S.AWAITING_ORIGINAL, S.SUBMITTED, officer.pk),
        (S.SUBMITTED, S.IN_PROCESSING, officer.pk),
        (S.IN_PROCESSING, S.READY, officer.pk),
        (S.READY, S.PUBLISHED, officer.pk),
    ]


def test_who_registered_and_who_moved_is_kept(cop4):
    officer = StaffFactory()
    document = register(cop4, by=officer)
    v = version(document)
    services.language_version_submit(version=v, by=officer)
    services.language_version_set_target(version=v, target_date=dt.date(2021, 9, 1), by=officer)
    assert document.history.get().history_user == officer
    assert [(h.status, h.target_date, h.history_user) for h in v.history.order_by("history_id")] == [
        (S.AWAITING_ORIGINAL, dt.date(2021, 9, 20), officer),
        (S.SUBMITTED, dt.date(2021, 9, 20), officer),
        (S.SUBMITTED, dt.date(2021, 9, 1), officer),
    ]


def test_publishing_before_ready_is_refused_and_nothing_changes(cop4):
    v = version(register(cop4))
    services.language_version_submit(version=v)
    with pytest.raises(ValidationError, match="cannot become “Published”"):
        services.language_version_publish(version=v)
    v.refresh_from_db()
    assert (v.status, v.published_at, v.steps.count()) == (S.SUBMITTED, None, 1)


def test_marking_ready_needs_a_file(cop4):
    v = version(register(cop4))
    services.language_version_submit(version=v)
    services.language_version_start_processing(version=v)
    with pytest.raises(ValidationError) as error:
        services.language_version_mark_ready(version=v)
    assert "file" in error.value.message_dict
    v.refresh_from_db()
    assert v.status == S.IN_PROCESSING


def test_not_required_and_back(cop4):
    v = version(register(cop4), "ru")
    services.language_version_mark_not_required(version=v, note="Russian not needed for this meeting")
    services.language_version_reinstate(version=v)
    v.refresh_from_db()
    assert v.status == S.AWAITING_ORIGINAL
    assert v.steps.first().note == "Russian not needed for this meeting"


def test_published_version_cannot_move_again(cop4):
    v = version(publish(register(cop4)))
    with pytest.raises(ValidationError):
        services.language_version_mark_not_required(version=v)


# --- Files --------------------------------------------------------------------------------------


def test_uploads_are_kept_as_versions_and_typed_by_content(cop4):
    v = version(register(cop4))
    first = services.language_version_upload(version=v, uploaded=pdf_upload("draft.pdf"))
    # A Word file uploaded under a .pdf name is still recognised as Word.
    second = services.language_version_upload(version=v, uploaded=docx_upload("final.pdf"))
    assert [(f.number, f.kind, f.original_name) for f in v.files.order_by("number")] == [
        (1, FileKind.PDF, "draft.pdf"),
        (2, FileKind.DOCX, "final.pdf"),
    ]
    # Stored under a name the portal chose, with the extension of the checked kind.
    assert re.fullmatch(r"documents/UNEP_MC_COP\.4_1/en/[0-9a-f]{32}\.pdf", first.file.name)
    assert re.fullmatch(r"documents/UNEP_MC_COP\.4_1/en/[0-9a-f]{32}\.docx", second.file.name)
    with second.file.open("rb") as stored:
        assert stored.read(2) == b"PK"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"This is plain text pretending to be a PDF", "not a PDF or Word document"),
        (b"%PDF-1.7\n%broken and truncated", "cannot be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not a PDF or Word document"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(cop4, content, message):
    v = version(register(cop4))
    with pytest.raises(ValidationError) as error:
        services.language_version_upload(
            version=v, uploaded=SimpleUploadedFile("report.pdf", content, "application/pdf")
        )
    assert message in error.value.message_dict["file"][0]
    assert not LanguageVersionFile.objects.exists()


def test_a_file_over_the_limit_is_refused(cop4, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    v = version(register(cop4))
    upload = SimpleUploadedFile("big.pdf", pdf_bytes(pages=20), "application/pdf")
    assert upload.size > 1000
    with pytest.raises(ValidationError, match="larger than"):
        services.language_version_upload(version=v, uploaded=upload)
    assert not LanguageVersionFile.objects.exists()


def test_published_version_takes_no_new_file(cop4):
    v = version(publish(register(cop4)))
    with pytest.raises(ValidationError, match="takes no new file"):
        services.language_version_upload(version=v, uploaded=pdf_upload())
    assert v.files.count() == 1


def test_history_counts_only_real_steps(cop4):
    v = version(register(cop4))
    with pytest.raises(ValidationError):
        services.language_version_start_processing(version=v)
    assert not ProcessingStep.objects.exists()


def test_each_move_starts_only_from_its_own_statuses(cop4):
    # The old table was keyed by target status, so "send back" moved a version that was never
    # ready, and "start processing" took a ready version back: each action now has its sources.
    v = version(register(cop4))
    services.language_version_submit(version=v)
    with pytest.raises(ValidationError, match="cannot become"):
        services.language_version_send_back(version=v)
    services.language_version_start_processing(version=v)
    services.language_version_upload(version=v, uploaded=pdf_upload())
    services.language_version_mark_ready(version=v)
    with pytest.raises(ValidationError, match="cannot become"):
        services.language_version_start_processing(version=v)
    services.language_version_send_back(version=v, note="Footnotes missing")
    v.refresh_from_db()
    assert v.status == S.IN_PROCESSING
    assert list(v.steps.values_list("to_status", "note")) == [
        (S.SUBMITTED, ""),
        (S.IN_PROCESSING, ""),
        (S.READY, ""),
        (S.IN_PROCESSING, "Footnotes missing"),
    ]


def test_every_named_move_goes_through_the_one_transition(cop4, monkeypatch):
    made = []
    real = processing.language_version_transition

    def spy(**kwargs):
        made.append(kwargs["action"])
        return real(**kwargs)

    monkeypatch.setattr(processing, "language_version_transition", spy)
    v = version(register(cop4), "ru")
    services.language_version_mark_not_required(version=v)
    services.language_version_reinstate(version=v)
    publish(v.document, languages=["ru"])
    assert made == ["mark_not_required", "reinstate", "submit", "start_processing", "mark_ready", "publish"]


def test_the_table_gives_the_moves_and_the_can_properties(cop4):
    v = version(register(cop4))
    assert [m.action for m in LANGUAGE_VERSION_TRANSITIONS.actions_from(S.READY)] == [
        "publish",
        "send_back",
        "mark_not_required",
    ]
    assert (v.can_submit, v.can_publish, v.takes_files) == (True, False, True)
    v = version(publish(register(cop4)))
    assert LANGUAGE_VERSION_TRANSITIONS.actions_from(v.status) == []
    assert (v.can_mark_not_required, v.takes_files) == (False, False)
