"""Each refusal of a document symbol says exactly what is wrong (issue 19: mutation testing of
documents/symbols.py); each test was seen failing against the mutant it kills (`make mutation`)."""

import pytest

from documents.symbols import SymbolError, parse_symbol, validate_prefix


def _refusal(parse, text):
    with pytest.raises(SymbolError) as err:
        parse(text)
    return str(err.value)


def test_empty_symbol_is_refused_with_an_example():
    assert _refusal(parse_symbol, "  ") == "Enter a document symbol, such as UNEP/MC/COP.4/23."


def test_symbol_with_a_space_is_refused_quoting_it():
    assert (
        _refusal(parse_symbol, "UNEP/MC/COP.4/ 23") == "A document symbol has no spaces: “UNEP/MC/COP.4/ 23”."
    )


def test_symbol_of_supplements_only_is_refused_for_its_missing_number():
    assert _refusal(parse_symbol, "Add.1/Rev.1") == "“Add.1/Rev.1” has no document number."


def test_symbol_not_ending_with_a_number_is_refused_listing_the_accepted_endings():
    assert _refusal(parse_symbol, "UNEP/MC/COP.4/X") == (
        "“UNEP/MC/COP.4/X” does not end with a document number (23, INF/17, CRP.3, L.2), "
        "optionally followed by /Add.1, /Rev.1 or /Corr.1."
    )


def test_symbol_with_a_bad_prefix_is_refused_quoting_the_symbol_and_the_reason():
    assert _refusal(parse_symbol, "23") == ("“23”: A document symbol needs a prefix such as UNEP/MC/COP.4.")


def test_empty_prefix_is_refused_with_an_example():
    assert _refusal(validate_prefix, "") == "A document symbol needs a prefix such as UNEP/MC/COP.4."


def test_prefix_without_a_session_is_refused_with_an_example():
    assert _refusal(validate_prefix, "UNEP") == (
        "“UNEP” is not a symbol prefix: it needs the body and session, as in UNEP/MC/COP.4."
    )


@pytest.mark.parametrize("segment", ["INF", "Add", "Rev", "Corr"])
def test_series_and_supplement_words_are_not_parts_of_a_prefix(segment):
    assert _refusal(validate_prefix, f"UNEP/MC/{segment}") == (
        f"“{segment}” in “UNEP/MC/{segment}” is not a valid part of a symbol prefix."
    )


def test_prefix_words_that_only_resemble_supplements_are_accepted():
    assert validate_prefix("UNEP/MC/ADD") == "UNEP/MC/ADD"
    assert validate_prefix("UNEP/MC/REV") == "UNEP/MC/REV"
    assert validate_prefix("UNEP/MC/CORR") == "UNEP/MC/CORR"
