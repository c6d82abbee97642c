"""UN document symbols: parsing and formatting, as pure functions.

A symbol reads, left to right: the prefix naming the body and session (`UNEP/MC/COP.4`,
`UNEP(DTIE)/Hg/INC.6`, `UNEP/CHW.15`), the series (nothing for working documents, `INF/` for
information documents, `CRP.` for conference room papers, `L.` for limited in-session drafts), the
number, then any chain of addenda, revisions and corrigenda (`/Add.1`, `/Rev.1`, `/Corr.1`, in the
order they were issued: `…/23/Add.1/Rev.1` is the first revision of the first addendum).

Formatting a parsed symbol gives back exactly the text parsed, so the portal can store the parts and
still show the symbol the conference services issued. Joint documents of several conventions carry
several symbols joined by an en dash; `parse_joint_symbols` splits them.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .enums import Series, SupplementKind

# A prefix segment: "UNEP", "MC", "COP.4", "UNEP(DTIE)", "Hg", "FAO", "CHW.15", "INC.6", "EE.1".
_SEGMENT = re.compile(r"^[A-Z][A-Za-z]*(\([A-Z]+\))?(\.\d+)?$")
_NUMBER = re.compile(r"^[1-9]\d*$")
_LETTERED = re.compile(r"^(CRP|L)\.([1-9]\d*)$")
_SUPPLEMENT = re.compile(r"^(Add|Rev|Corr)\.([1-9]\d*)$")
JOINT_SEPARATOR = "–"  # en dash, as the conference services print joint symbols


class SymbolError(ValueError):
    """A symbol that does not follow UN practice; the message says what is wrong."""


@dataclass(frozen=True)
class DocumentSymbol:
    prefix: str
    series: str
    number: int
    supplements: tuple[tuple[str, int], ...] = ()

    def __str__(self) -> str:
        return format_symbol(self)

    @property
    def base(self) -> "DocumentSymbol":
        """The symbol of the original document this one supplements (itself if none)."""
        return DocumentSymbol(self.prefix, self.series, self.number)

    @property
    def parent(self) -> "DocumentSymbol | None":
        """The document this one directly amends: `…/23/Add.1` for `…/23/Add.1/Rev.1`."""
        if not self.supplements:
            return None
        return DocumentSymbol(self.prefix, self.series, self.number, self.supplements[:-1])

    @property
    def suffix(self) -> str:
        return "".join(f"/{kind}.{n}" for kind, n in self.supplements)

    def supplement(self, kind: str, n: int) -> "DocumentSymbol":
        return DocumentSymbol(self.prefix, self.series, self.number, (*self.supplements, (kind, n)))


def format_symbol(symbol: DocumentSymbol) -> str:
    series = Series(symbol.series)
    if series == Series.INFORMATION:
        body = f"INF/{symbol.number}"
    elif series in (Series.CONFERENCE_ROOM_PAPER, Series.LIMITED):
        body = f"{series.value}.{symbol.number}"
    else:
        body = str(symbol.number)
    return f"{symbol.prefix}/{body}{symbol.suffix}"


def validate_prefix(prefix: str) -> str:
    prefix = (prefix or "").strip()
    if not prefix:
        raise SymbolError(_("A document symbol needs a prefix such as UNEP/MC/COP.4."))
    segments = prefix.split("/")
    if len(segments) < 2:
        raise SymbolError(
            _("“%(prefix)s” is not a symbol prefix: it needs the body and session, as in UNEP/MC/COP.4.")
            % {"prefix": prefix}
        )
    for segment in segments:
        if not _SEGMENT.match(segment) or segment in ("INF", "Add", "Rev", "Corr"):
            raise SymbolError(
                _("“%(segment)s” in “%(prefix)s” is not a valid part of a symbol prefix.")
                % {"segment": segment, "prefix": prefix}
            )
    return prefix


def parse_symbol(text: str) -> DocumentSymbol:
    """Parse one symbol; raise SymbolError naming what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise SymbolError(_("Enter a document symbol, such as UNEP/MC/COP.4/23."))
    text = text.strip()
    if text != text.replace(" ", ""):
        raise SymbolError(_("A document symbol has no spaces: “%(symbol)s”.") % {"symbol": text})
    parts = text.split("/")
    supplements = []
    while parts and _SUPPLEMENT.match(parts[-1]):
        kind, n = _SUPPLEMENT.match(parts.pop()).groups()
        supplements.insert(0, (SupplementKind(kind).value, int(n)))
    if not parts:
        raise SymbolError(_("“%(symbol)s” has no document number.") % {"symbol": text})
    last = parts.pop()
    lettered = _LETTERED.match(last)
    if lettered:
        series = Series.CONFERENCE_ROOM_PAPER if lettered.group(1) == "CRP" else Series.LIMITED
        number = int(lettered.group(2))
    elif _NUMBER.match(last):
        number = int(last)
        if parts and parts[-1] == "INF":
            parts.pop()
            series = Series.INFORMATION
        else:
            series = Series.WORKING
    else:
        raise SymbolError(
            _(
                "“%(symbol)s” does not end with a document number (23, INF/17, CRP.3, L.2), "
                "optionally followed by /Add.1, /Rev.1 or /Corr.1."
            )
            % {"symbol": text}
        )
    try:
        prefix = validate_prefix("/".join(parts))
    except SymbolError as exc:
        raise SymbolError(_("“%(symbol)s”: %(error)s") % {"symbol": text, "error": exc}) from None
    return DocumentSymbol(prefix=prefix, series=series.value, number=number, supplements=tuple(supplements))


def parse_joint_symbols(text: str) -> list[DocumentSymbol]:
    """`UNEP/CHW.15/20–UNEP/FAO/RC/COP.10/16–UNEP/POPS/COP.10/20` → three symbols."""
    return [parse_symbol(part) for part in text.split(JOINT_SEPARATOR)]
