"""The compilation of a call's accepted answers into one information document of its meeting."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from documents.enums import Series
from documents.services.processing import language_version_upload
from documents.services.registration import document_register
from minamata_portal.pdf import render_pdf
from minamata_portal.uploads import FileKind

from ..enums import AnswerStatus
from ..models import Answer, Call
from ..selectors import call_accepted_answers
from .transition import transition


def _compilation_pdf(call: Call, answers: list[Answer]) -> bytes:
    """The compilation's text (each answer's text and the list of its files), followed by the
    pages of the PDF files as they were received; a Word file is listed, not reproduced."""
    # The compilation is issued in English, without formal editing, as the UN issues them.
    with translation.override("en"):
        text = render_pdf("calls/compilation_pdf.html", {"call": call, "answers": answers})
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(text)))
    for answer in answers:
        for stored in answer.files.all():
            if stored.kind == FileKind.PDF:
                with stored.file.open("rb") as handle:
                    writer.append(PdfReader(io.BytesIO(handle.read())))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@transaction.atomic
def call_compile(*, call: Call, by) -> Call:
    """Register an information document of the call's meeting (the next INF symbol), put the
    compiled PDF in its English version, and mark the call compiled: one action. Refused while an
    answer awaits the secretariat's decision, or when none was accepted."""
    call = Call.objects.select_for_update().select_related("meeting").get(pk=call.pk)
    waiting = Answer.objects.filter(call=call, status=AnswerStatus.SUBMITTED).count()
    if waiting:
        raise ValidationError(
            _("%(n)d answer(s) await a decision: accept or return them before compiling.") % {"n": waiting}
        )
    answers = call_accepted_answers(call)
    if not answers:
        raise ValidationError(_("No answer has been accepted: there is nothing to compile."))
    with translation.override("en"):
        title = _("Compilation of submissions: %(title)s") % {"title": call.title}
    document = document_register(
        meeting=call.meeting, series=Series.INFORMATION, title_en=title[:300], languages=("en",), by=by
    )
    version = document.versions.get(language="en")
    pdf = _compilation_pdf(call, answers)
    language_version_upload(
        version=version, uploaded=ContentFile(pdf, name=f"{document.symbol.replace('/', '_')}.pdf"), by=by
    )
    return transition(call, "compile", by=by, changes={"compilation": document})
