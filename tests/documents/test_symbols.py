"""Every symbol in the domain summary and the secretariat's notes parses into its parts and formats
back to exactly the same text; malformed symbols are refused with a message naming the problem."""

import pathlib
import re

import pytest

from documents.enums import Series
from documents.symbols import DocumentSymbol, SymbolError, format_symbol, parse_joint_symbols, parse_symbol

SHARED = pathlib.Path("/work/shared")

# Every document symbol quoted in /work/shared/DOMAIN.md and reference/*.txt (33 in all).
NOTES_SYMBOLS = [
    "UNEP(DTIE)/Hg/CONF/4",
    "UNEP(DTIE)/Hg/INC.6/INF/7",
    "UNEP/CHW.15/20",
    "UNEP/CHW.15/6/Add.6",
    "UNEP/CHW.15/INF/44",
    "UNEP/CHW.15/INF/45",
    "UNEP/FAO/RC/COP.10/16",
    "UNEP/FAO/RC/COP.10/INF/27",
    "UNEP/FAO/RC/COP.10/INF/29",
    "UNEP/MC/COP.2/11",
    "UNEP/MC/COP.4/1",
    "UNEP/MC/COP.4/14",
    "UNEP/MC/COP.4/15",
    "UNEP/MC/COP.4/16",
    "UNEP/MC/COP.4/20",
    "UNEP/MC/COP.4/22",
    "UNEP/MC/COP.4/23",
    "UNEP/MC/COP.4/INF/11",
    "UNEP/MC/COP.4/INF/13",
    "UNEP/MC/COP.4/INF/14",
    "UNEP/MC/COP.4/INF/15",
    "UNEP/MC/COP.4/INF/16",
    "UNEP/MC/COP.4/INF/17",
    "UNEP/MC/COP.4/INF/18",
    "UNEP/MC/COP.4/INF/19",
    "UNEP/MC/COP.4/INF/20",
    "UNEP/MC/COP.4/INF/22",
    "UNEP/MC/COP.4/INF/23",
    "UNEP/MC/COP.6/1/Rev.1",
    "UNEP/MC/COP.6/INF/4",
    "UNEP/POPS/COP.10/20",
    "UNEP/POPS/COP.10/INF/48",
    "UNEP/POPS/COP.10/INF/49",
]

# symbol: (prefix, series, number, supplements)
KNOWN = {
    "UNEP/MC/COP.4/23": ("UNEP/MC/COP.4", Series.WORKING, 23, ()),
    "UNEP/MC/COP.4/INF/17": ("UNEP/MC/COP.4", Series.INFORMATION, 17, ()),
    "UNEP/MC/COP.2/11": ("UNEP/MC/COP.2", Series.WORKING, 11, ()),
    "UNEP/MC/COP.4/1": ("UNEP/MC/COP.4", Series.WORKING, 1, ()),
    "UNEP(DTIE)/Hg/INC.6/INF/7": ("UNEP(DTIE)/Hg/INC.6", Series.INFORMATION, 7, ()),
    "UNEP(DTIE)/Hg/CONF/4": ("UNEP(DTIE)/Hg/CONF", Series.WORKING, 4, ()),
    "UNEP/CHW.15/6/Add.6": ("UNEP/CHW.15", Series.WORKING, 6, (("Add", 6),)),
    "UNEP/CHW.15/INF/44": ("UNEP/CHW.15", Series.INFORMATION, 44, ()),
    "UNEP/FAO/RC/COP.10/INF/29": ("UNEP/FAO/RC/COP.10", Series.INFORMATION, 29, ()),
    "UNEP/POPS/COP.10/20": ("UNEP/POPS/COP.10", Series.WORKING, 20, ()),
    "UNEP/MC/COP.4/CRP.3": ("UNEP/MC/COP.4", Series.CONFERENCE_ROOM_PAPER, 3, ()),
    "UNEP/MC/COP.4/L.2": ("UNEP/MC/COP.4", Series.LIMITED, 2, ()),
    "UNEP/MC/COP.4/23/Add.1": ("UNEP/MC/COP.4", Series.WORKING, 23, (("Add", 1),)),
    "UNEP/MC/COP.4/23/Rev.1": ("UNEP/MC/COP.4", Series.WORKING, 23, (("Rev", 1),)),
    "UNEP/MC/COP.4/23/Corr.1": ("UNEP/MC/COP.4", Series.WORKING, 23, (("Corr", 1),)),
    "UNEP/MC/COP.4/23/Add.1/Rev.1": ("UNEP/MC/COP.4", Series.WORKING, 23, (("Add", 1), ("Rev", 1))),
    "UNEP/MC/COP.4/INF/17/Corr.2": ("UNEP/MC/COP.4", Series.INFORMATION, 17, (("Corr", 2),)),
    "UNEP/MC/COP.4/L.2/Rev.1": ("UNEP/MC/COP.4", Series.LIMITED, 2, (("Rev", 1),)),
    "UNEP/MC/COP.4/CRP.12/Add.3/Corr.1": (
        "UNEP/MC/COP.4",
        Series.CONFERENCE_ROOM_PAPER,
        12,
        (("Add", 3), ("Corr", 1)),
    ),
    "UNEP/MC/EE.1/5": ("UNEP/MC/EE.1", Series.WORKING, 5, ()),
}


def symbols_in_notes():
    """The document symbols quoted in DOMAIN.md and the five progress reports (the bare meeting
    prefix "UNEP/MC/COP.2" and words such as "UNEP-administered" are not document symbols)."""
    pattern = re.compile(r"UNEP(?:\(DTIE\))?/[A-Za-z0-9().]+(?:/[A-Za-z0-9().]+)*")
    found = set()
    for path in [SHARED / "DOMAIN.md", *sorted((SHARED / "reference").glob("*.txt"))]:
        for match in pattern.findall(path.read_text()):
            symbol = match.rstrip(".")
            if re.search(r"/(\d+|INF/\d+|CRP\.\d+|L\.\d+)(/(Add|Rev|Corr)\.\d+)*$", symbol):
                found.add(symbol)
    return sorted(found)


@pytest.mark.skipif(not (SHARED / "reference").is_dir(), reason="the shared notes are not on this machine")
def test_the_list_holds_every_symbol_quoted_in_the_notes():
    assert symbols_in_notes() == NOTES_SYMBOLS


@pytest.mark.parametrize("text", NOTES_SYMBOLS)
def test_every_symbol_in_the_notes_round_trips(text):
    symbol = parse_symbol(text)
    assert format_symbol(symbol) == text
    assert str(symbol) == text
    assert symbol.prefix.startswith("UNEP")
    assert symbol.number > 0


@pytest.mark.parametrize(("text", "parts"), KNOWN.items())
def test_symbol_parses_into_its_parts(text, parts):
    prefix, series, number, supplements = parts
    symbol = parse_symbol(text)
    assert symbol == DocumentSymbol(prefix, series, number, supplements)
    assert format_symbol(symbol) == text


def test_supplement_chain_knows_its_base_and_parent():
    symbol = parse_symbol("UNEP/MC/COP.4/23/Add.1/Rev.1")
    assert str(symbol.base) == "UNEP/MC/COP.4/23"
    assert str(symbol.parent) == "UNEP/MC/COP.4/23/Add.1"
    assert symbol.suffix == "/Add.1/Rev.1"
    assert parse_symbol("UNEP/MC/COP.4/23").parent is None
    assert str(parse_symbol("UNEP/MC/COP.4/23").supplement("Corr", 1)) == "UNEP/MC/COP.4/23/Corr.1"


def test_joint_symbols_of_the_three_conventions_split_on_the_en_dash():
    text = "UNEP/CHW.15/20–UNEP/FAO/RC/COP.10/16–UNEP/POPS/COP.10/20"
    symbols = parse_joint_symbols(text)
    assert [s.prefix for s in symbols] == ["UNEP/CHW.15", "UNEP/FAO/RC/COP.10", "UNEP/POPS/COP.10"]
    assert [s.number for s in symbols] == [20, 16, 20]
    assert "–".join(map(str, symbols)) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a document symbol"),
        ("UNEP/MC/COP.4/", "does not end with a document number"),
        ("UNEP/MC/COP.4", "does not end with a document number"),
        ("UNEP/MC/COP.4/INF", "does not end with a document number"),
        ("UNEP/MC/COP.4/023", "does not end with a document number"),
        ("UNEP/MC/COP.4/0", "does not end with a document number"),
        ("UNEP/MC/COP.4/23/add.1", "does not end with a document number"),
        ("UNEP/MC/COP.4/23/Add.0", "does not end with a document number"),
        ("UNEP/MC/COP.4/CRP3", "does not end with a document number"),
        ("UNEP/MC/COP 4/23", "has no spaces"),
        ("23", "needs a prefix"),
        ("MC/23", "needs the body and session"),
        ("unep/mc/COP.4/23", "is not a valid part"),
        ("UNEP//COP.4/23", "is not a valid part"),
        ("UNEP/MC/COP.4/Add.1", "does not end with a document number"),
        ("Add.1", "has no document number"),
        ("UNEP/MC/COP.4/INF/INF/2", "is not a valid part"),
    ],
)
def test_bad_symbols_are_refused_with_a_message(text, message):
    with pytest.raises(SymbolError, match=re.escape(message)):
        parse_symbol(text)
