"""Documents: issuing symbols through the service (with the counter lock), the processing grid,
the milestones board, its XLSX export, the public list and the full-text search, at 1,000 documents (6,000 language
versions) on PostgreSQL.

`make bench BENCH_ARGS=documents` (DOCUMENTS_BENCH_N=300 for a shorter run).
"""

import datetime as dt
import io
import os
import time

N = int(os.environ.get("DOCUMENTS_BENCH_N", "1000"))
MEETING_CODE = "bench-documents-cop"
WORDS = [
    "cooperation", "coordination", "mercury", "réunion", "capacity-building", "assistance", "waste",
    "emissions", "releases", "artisanal", "gold", "mining", "reporting", "effectiveness", "evaluation",
]  # fmt: skip


def _fresh_meeting():
    from documents.models import Document, SymbolCounter
    from meetings.models import Meeting

    meeting = Meeting.objects.filter(code=MEETING_CODE).first()
    if meeting is not None:
        Document.objects.filter(meeting=meeting).exclude(amends=None).delete()
        Document.objects.filter(meeting=meeting).delete()
        meeting.delete()
    SymbolCounter.objects.filter(prefix="UNEP/MC/COP.99").delete()
    return Meeting.objects.create(
        code=MEETING_CODE, kind="cop", number=99, title_en="Bench COP", symbol_prefix="UNEP/MC/COP.99",
        start_date=dt.date.today() + dt.timedelta(weeks=7), end_date=dt.date.today() + dt.timedelta(weeks=8),
    )  # fmt: skip


def _timed(label, fn, repeat=5):
    fn()  # warm
    started = time.perf_counter()
    for _ in range(repeat):
        result = fn()
    elapsed = (time.perf_counter() - started) / repeat
    print(f"   {label}: {elapsed * 1000:.1f} ms", flush=True)
    return result


def run():
    from django.contrib.auth.models import AnonymousUser

    from documents import selectors, services
    from documents.enums import ProcessingStatus
    from documents.models import LanguageVersion
    from documents.xlsx import processing_workbook

    meeting = _fresh_meeting()
    started = time.perf_counter()
    for i in range(N):
        services.document_register(
            meeting=meeting,
            series="INF" if i % 3 else "working",
            title_en=" ".join(WORDS[(i + k) % len(WORDS)] for k in range(6)),
        )
    elapsed = time.perf_counter() - started
    print(f"   register {N} documents (symbol issued under lock, 6 language versions each): "
          f"{elapsed:.1f} s, {elapsed / N * 1000:.1f} ms per document", flush=True)  # fmt: skip
    # Publish English for half of them, directly: the bench measures the reads.
    half = LanguageVersion.objects.filter(
        document__meeting=meeting, language="en", document__number__lte=N // 2
    )
    half.update(status=ProcessingStatus.PUBLISHED, published_at=dt.datetime.now(dt.UTC))

    rows = _timed(
        f"processing grid, {N} documents × 6 languages", lambda: selectors.processing_grid(meeting=meeting)
    )
    print(f"     ({sum(r.late + r.at_risk for r in rows)} late or at risk)")

    board = _timed(
        f"milestones board, {N} documents × required languages",
        lambda: selectors.milestone_board(meeting=meeting, group="officer"),
    )
    print(f"     ({len(board.rows)} rows, {sum(board.late.values())} late against a milestone)")

    def export():
        buffer = io.BytesIO()
        processing_workbook(meeting=meeting, rows=selectors.processing_grid(meeting=meeting)).save(buffer)
        return buffer

    size = _timed(f"XLSX export of the grid, {N} rows", export, repeat=2).tell()
    print(f"     ({size / 1024:.0f} KB)")
    anonymous = AnonymousUser()
    docs = _timed(
        "public list of published documents",
        lambda: selectors.meeting_documents(meeting=meeting, user=anonymous),
    )
    print(f"     ({len(docs)} documents)")
    found = _timed(
        "full-text search 'reunion cooperation' (accent-insensitive)",
        lambda: selectors.document_search(query="reunion cooperation", user=anonymous),
    )
    print(f"     ({len(found)} found, limit 100)")
    _timed(
        "symbol search 'UNEP/MC/COP.99/INF/1'",
        lambda: selectors.document_search(query="UNEP/MC/COP.99/INF/1", user=anonymous),
    )
