"""The accepted answers of a call compiled into one information document of its meeting."""

import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from calls import services
from calls.enums import Audience, CallStatus
from calls.selectors import Seat
from documents.enums import ProcessingStatus, Series
from documents.models import Document
from tests.documents.factories import docx_upload, pdf_upload
from tests.factories import country

from .conftest import make_call

pytestmark = pytest.mark.django_db


def _pdftotext(stored, tmp_path) -> str:
    path = tmp_path / "compilation.pdf"
    with stored.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return subprocess.run(
        ["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_accepted_answers_are_compiled_into_an_inf_document_with_one_action(
    meeting, officer, zambia, japan, observer, tmp_path
):
    person, organisation = observer
    call = make_call(meeting, officer, audience=Audience.BOTH)
    zambia_answer = services.answer_submit(
        seat=Seat(call=call, country=country("ZMB")),
        text="Zambia needs support for its inventory of mercury releases.",
        files=[pdf_upload("zambia.pdf", pages=2), docx_upload("annex.docx")],
        by=zambia.user,
    )
    ngo_answer = services.answer_submit(
        seat=Seat(call=call, organisation=organisation), text="Our training courses.", by=person
    )
    japan_answer = services.answer_submit(
        seat=Seat(call=call, country=country("JPN")), text="Returned one", by=japan.user
    )
    with pytest.raises(ValidationError, match="3 answer\\(s\\) await a decision"):
        services.call_compile(call=call, by=officer)
    services.answer_accept(answer=zambia_answer, by=officer)
    services.answer_accept(answer=ngo_answer, by=officer)
    services.answer_return(answer=japan_answer, reason="Not on the subject of the call.", by=officer)

    compiled = services.call_compile(call=call, by=officer)

    document = Document.objects.get()
    assert compiled.status == CallStatus.COMPILED and compiled.compilation == document
    assert (document.symbol, document.series, document.meeting) == (
        "UNEP/MC/COP.40/INF/1",
        Series.INFORMATION,
        meeting,
    )
    assert document.title_en == "Compilation of submissions: Capacity-building and technical assistance"
    assert list(
        document.versions.exclude(status=ProcessingStatus.NOT_REQUIRED).values_list("language", flat=True)
    ) == ["en"]
    stored = document.versions.get(language="en").files.get()
    assert (stored.kind, stored.uploaded_by) == ("pdf", officer)
    text = _pdftotext(stored, tmp_path)
    # Parties first, then organisations; the returned answer is left out; Zambia's PDF follows, as received.
    assert text.index("1. Zambia") < text.index("2. Zero Mercury Working Group")
    assert "Japan" not in text and "Returned one" not in text
    assert "Zambia needs support for its inventory of mercury releases." in text
    assert "Files: zambia.pdf, annex.docx" in text
    assert "2 submissions are reproduced below as received, without formal editing." in text
    with stored.file.open("rb") as handle:
        from pypdf import PdfReader

        assert len(PdfReader(handle).pages) == 1 + 2
    assert list(call.history.values_list("status", flat=True))[:2] == ["compiled", "sent"]
    # Compiled once: the call takes no more answers, and a second compilation is refused.
    with pytest.raises(ValidationError, match="cannot become"):
        services.call_compile(call=compiled, by=officer)
    with pytest.raises(ValidationError, match="have been compiled"):
        services.answer_submit(seat=Seat(call=compiled, country=country("JPN")), text="again", by=japan.user)
    with pytest.raises(ValidationError, match="can no longer be returned"):
        services.answer_return(answer=zambia_answer, reason="Too late to change.", by=officer)
    assert Document.objects.count() == 1


def test_nothing_accepted_is_nothing_to_compile(meeting, officer, zambia):
    call = make_call(meeting, officer)
    with pytest.raises(ValidationError, match="No answer has been accepted"):
        services.call_compile(call=call, by=officer)
    assert Document.objects.count() == 0


def test_staff_compile_from_the_page(client, meeting, officer, zambia):
    call = make_call(meeting, officer)
    answer = services.answer_submit(seat=Seat(call=call, country=country("ZMB")), text="x", by=zambia.user)
    client.force_login(officer)
    client.post(reverse("calls:staff_accept", args=[answer.pk]))
    response = client.post(reverse("calls:staff_compile", args=[call.pk]), follow=True)
    assert "The answers are compiled in UNEP/MC/COP.40/INF/1." in response.content.decode()
    call.refresh_from_db()
    assert call.compilation.symbol == "UNEP/MC/COP.40/INF/1"
