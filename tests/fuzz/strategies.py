"""Hypothesis strategies for hostile input: what an attacker or a careless user types."""

import os
import string
from collections import Counter
from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# What the suite ran (printed at the end by conftest.py).
COUNTS = Counter()

# Examples per property (override with FUZZ_EXAMPLES=… for a longer run).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("FUZZ_RANDOM") is None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

# Numbers that broke pages: out of every integer column's range, out of `datetime`'s years,
# digits that `str.isdigit` accepts and `int` refuses, signs and spaces.
HOSTILE_NUMBERS = [
    "0", "-1", "1", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
    str(2**64), "9" * 40, "10000", "99999", "-2018", "2018", "1e3", " 7", "7 ", "+7", "²", "١٢",
    "٣", "0x10", "1_000", "",
]  # fmt: skip
HOSTILE_TEXT = ["\x00", "a\x00b", "%00", "\ufffd", "'", '"', "<script>", "\\", "😀", "ǅ", " ", "\u202e"]

# Text drawn from the whole of Unicode but surrogates (an HTTP request cannot carry them: Django
# decodes with `errors="replace"`; the helpers' own tests send them directly).
fuzzed_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=40),
    st.text(alphabet=string.printable, max_size=400),
)
number_text = st.one_of(st.sampled_from(HOSTILE_NUMBERS), st.integers().map(str))
value = st.one_of(number_text, fuzzed_text)
surrogate_text = st.text(
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3
).flatmap(lambda s: st.tuples(st.text(max_size=5), st.just(s), st.text(max_size=5)).map("".join))

# Every query parameter a portal view reads (grep `request.GET`), plus ones it does not.
QUERY_KEYS = [
    "kind", "year", "region", "group", "annotated", "status", "language", "series", "item", "q",
    "timeliness", "page", "next", "meeting", "number", "sort", "format", "lang",
]  # fmt: skip
query = st.dictionaries(st.sampled_from(QUERY_KEYS), value, max_size=5)

INT_PATH_VALUES = [
    "0", "1", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
    str(2**64), "9" * 40, "00000000000000000000001",
]  # fmt: skip


def path_value(converter, known):
    """Values for one path argument: known objects' keys, out-of-range numbers, wrong types."""
    if converter == "int":
        inner = st.one_of(
            st.sampled_from(INT_PATH_VALUES), st.integers(min_value=0).map(str), st.sampled_from(known)
        )
    elif converter == "slug":
        inner = st.one_of(
            st.sampled_from(known),
            st.from_regex(r"\A[-a-zA-Z0-9_]{1,80}\Z"),
            st.sampled_from(HOSTILE_NUMBERS[:9]),
        )
    else:
        inner = st.one_of(st.sampled_from(known), fuzzed_text.filter(bool), number_text.filter(bool))
    return inner.map(lambda v: quote(v, safe=""))
