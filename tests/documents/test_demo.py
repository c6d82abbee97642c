import datetime as dt

import pytest

from documents import demo, selectors
from documents.models import CallForSubmissions, Document
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_demo_holds_cop2_and_cop4_documents_and_the_dashboard_shows_what_is_late():
    MeetingFactory(code="cop-2", number=2, start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23))
    cop4 = MeetingFactory(
        code="cop-4", number=4, start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 5)
    )
    counts = demo.load()
    assert counts["documents"] == 23 and counts["submissions"] == 14
    symbols = set(Document.objects.values_list("symbol", flat=True))
    assert {
        "UNEP/MC/COP.2/11",
        "UNEP/MC/COP.4/23",
        "UNEP/MC/COP.4/INF/17",
        "UNEP(DTIE)/Hg/INC.6/INF/7",
    } <= symbols
    assert Document.objects.get(symbol="UNEP/MC/COP.4/INF/17").not_formally_edited
    grid = selectors.processing_grid(meeting=cop4, today=dt.date(2021, 10, 20))
    late = {row.document.symbol: row.late for row in grid if row.late}
    assert late == {
        "UNEP/MC/COP.4/15": 3, "UNEP/MC/COP.4/20": 1, "UNEP/MC/COP.4/22": 5,
        "UNEP/MC/COP.4/INF/22": 1, "UNEP/MC/COP.4/INF/23": 1,
    }  # fmt: skip
    # The item the notes give for the capacity-building note, on the agenda the demo supplied.
    assert [i.label for i in Document.objects.get(symbol="UNEP/MC/COP.4/14").agenda_items.all()] == ["4 (f)"]
    compilation = selectors.call_compilation(call=CallForSubmissions.objects.get())
    assert (len(compilation.submissions), compilation.parties) == (14, 13)
    # Loading twice adds nothing.
    assert demo.load()["documents"] == 23
