"""Loading the reference tables shipped in `reference/data/` (copied from the project's shared
data, with their sources). Loading is idempotent and never overwrites a row staff corrected in
the admin unless `refresh=True`."""

import csv
import datetime as dt
import re
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django_countries import countries as country_names

from .enums import Classification, CountryKind, MemberStatus, RegionalGroup
from .models import ConventionParty, Country, CountryClassification, ReferenceDataset

DATA_DIR = Path(__file__).resolve().parent / "data"
# Art. 31: the Convention enters into force for a State on the ninetieth day after deposit.
ENTRY_INTO_FORCE_DELAY = dt.timedelta(days=90)
CONVENTION_ENTRY_INTO_FORCE = dt.date(2017, 8, 16)
# "Sources read 2026-12-01" (reference/data/README.md, section 5).
PARTIES_VALID_ON = dt.date(2026, 12, 1)

DATASETS = {
    "un_member_states": ("un_member_states.csv", "UN Member States and regional groups", 1),
    "least_developed_countries": ("least_developed_countries.csv", "Least developed countries", 2),
    "small_island_developing_states": (
        "small_island_developing_states.csv",
        "Small island developing States",
        3,
    ),
    "economies_in_transition": ("economies_in_transition.csv", "Economies in transition", 4),
    "minamata_parties": ("minamata_parties.csv", "Parties to the Minamata Convention", 5),
    "developed_economies": (
        "developed_economies.csv",
        "Developed economies (to derive 'developing country')",
        None,
    ),
}

DEVELOPED_CAVEAT = (
    "Not in the shared reference data. 'Developing country' is derived: every State that is "
    "neither in this list (WESP 2020 developed economies, entered by the portal developers, "
    "plus four European microstates WESP does not classify) nor an economy in transition. "
    "Verify against the latest WESP statistical annex before relying on it for funding."
)


# The European Union is a Party (a regional economic integration organisation, Art. 2 (j)) and
# registers, nominates and presents credentials as a State does, so it has a Country row. "EU"
# is the ISO 3166 exceptionally reserved code; "EUU" is the World Bank's three-letter code.
EUROPEAN_UNION = {
    "iso2": "EU",
    "iso3": "EUU",
    "m49": "",
    "name_en": "European Union",
    "name_fr": "Union européenne",
    "name_es": "Unión Europea",
    "regional_group": RegionalGroup.NONE,
    "member_status": MemberStatus.ORGANISATION,
    "kind": CountryKind.REIO,
    "notes": "Regional economic integration organisation (Art. 2 (j) of the Convention): a Party, "
    "not a State; in no UN regional group.",
    "source": "Minamata Convention, Art. 2 (j) and 30; minamata_parties.csv (code EU).",
}
# The Parties' table writes the EU as "EU".
PARTY_CODE_TO_ISO3 = {"EU": "EUU"}


def _read(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _readme_sections():
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    general, *rest = re.split(r"^## ", text, flags=re.M)
    sections = {}
    for block in rest:
        match = re.match(r"(\d+)\.", block)
        if match:
            sections[int(match.group(1))] = "## " + block.strip()
        elif block.startswith("Sanity"):
            sections["checks"] = "## " + block.strip()
    return general.strip(), sections


def _date(value):
    """A full date, or a year-month (first of month), or a year (1 January); None if blank."""
    value = (value or "").strip()
    if not value:
        return None, ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value), ""
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return dt.date.fromisoformat(value + "-01"), f"Day not confirmed ({value}); first of month used."
    if re.fullmatch(r"\d{4}", value):
        return dt.date(int(value), 1, 1), f"Year only ({value}); 1 January used."
    raise ValueError(f"unreadable date {value!r}")


def _join(*parts):
    return " ".join(p for p in parts if p).strip()


def _translated_name(iso2, language, fallback):
    with translation.override(language):
        name = str(country_names.name(iso2))
    return name or fallback


@transaction.atomic
def reference_data_load(*, refresh: bool = False) -> dict[str, int]:
    general, sections = _readme_sections()
    counts = {}

    def put(model, lookup, values):
        if refresh:
            obj, _ = model.objects.update_or_create(**lookup, defaults=values)
        else:
            obj, _ = model.objects.get_or_create(**lookup, defaults=values)
        return obj

    by_iso3 = {}
    for row in _read("un_member_states.csv"):
        by_iso3[row["iso3"]] = put(
            Country,
            {"iso3": row["iso3"]},
            {
                "iso2": row["iso2"],
                "m49": row["m49"],
                "name_en": row["name_en"],
                "name_fr": _translated_name(row["iso2"], "fr", row["name_en"]),
                "name_es": _translated_name(row["iso2"], "es", row["name_en"]),
                "regional_group": row["un_regional_group"],
                "member_status": row["member_status"],
                "notes": row["notes"],
                "source": row["source"],
            },
        )
    counts["countries"] = len(by_iso3)
    by_iso3[EUROPEAN_UNION["iso3"]] = put(
        Country, {"iso3": EUROPEAN_UNION["iso3"]}, {k: v for k, v in EUROPEAN_UNION.items() if k != "iso3"}
    )

    def classify(iso3, kind, start=None, end=None, scheduled_end=None, notes="", source=""):
        return put(
            CountryClassification,
            {"country": by_iso3[iso3], "kind": kind, "start": start},
            {"end": end, "scheduled_end": scheduled_end, "notes": notes, "source": source},
        )

    ldc = 0
    for row in _read("least_developed_countries.csv"):
        start, start_note = _date(row["added"])
        end, end_note = _date(row["graduated"])
        scheduled, _scheduled_note = _date(row["scheduled_graduation"])
        note = _join(
            row["notes"],
            start_note,
            end_note,
            f"Scheduled graduation {row['scheduled_graduation']} is not applied to eligibility."
            if scheduled
            else "",
        )
        classify(row["iso3"], Classification.LEAST_DEVELOPED, start, end, scheduled, note, row["source"])
        ldc += 1
    counts["ldc"] = ldc

    sids = skipped_sids = 0
    for row in _read("small_island_developing_states.csv"):
        if not row["iso3"] or row["iso3"] not in by_iso3:
            # Associate members of the regional commissions (territories) and Cook Islands/Niue
            # are not States the portal registers delegations for.
            skipped_sids += 1
            continue
        classify(
            row["iso3"],
            Classification.SMALL_ISLAND,
            notes=_join(row["notes"], f"Region: {row['region']}." if row["region"] else ""),
            source=row["source"],
        )
        sids += 1
    counts["sids"] = sids
    counts["sids_not_states"] = skipped_sids

    eit = set()
    for row in _read("economies_in_transition.csv"):
        classify(
            row["iso3"],
            Classification.ECONOMY_IN_TRANSITION,
            notes=_join(row["subgroup"], row["notes"]),
            source=row["source"],
        )
        eit.add(row["iso3"])
    counts["eit"] = len(eit)

    developed = {row["iso3"] for row in _read("developed_economies.csv")}
    developing = 0
    for iso3, country in by_iso3.items():
        if iso3 in developed or iso3 in eit or country.kind != CountryKind.STATE:
            # The EU is no State: not a developing country, and no classification applies.
            continue
        classify(
            iso3,
            Classification.DEVELOPING,
            notes="Derived: not a developed economy (WESP 2020) and not an economy in transition.",
            source="Portal rule over developed_economies.csv and economies_in_transition.csv",
        )
        developing += 1
    counts["developing"] = developing

    parties = date_unknown = 0
    for row in _read("minamata_parties.csv"):
        deposit, _ = _date(row["deposit_date"])
        eif, _ = _date(row["entry_into_force"])
        note = row["notes"]
        if eif is None and deposit is not None:
            eif = max(deposit + ENTRY_INTO_FORCE_DELAY, CONVENTION_ENTRY_INTO_FORCE)
            note = _join(note, "Entry into force computed: 90th day after deposit (Art. 31).")
        if deposit is None and eif is None:
            # A Party from an unknown date (Cameroon): never a guessed date.
            note = _join(
                note, "Date of deposit unknown: a Party whose date of becoming a Party is not known."
            )
            date_unknown += 1
        code = row["iso3"]
        country = by_iso3.get(PARTY_CODE_TO_ISO3.get(code, code))
        record = put(
            ConventionParty,
            {"code": code},
            {
                "country": country,
                "name_en": row["name_en"],
                "deposit_date": deposit,
                "instrument_type": row["instrument_type"],
                "entry_into_force": eif,
                "notes": note,
                "source": row["source"],
            },
        )
        if record.country_id is None and country is not None:
            # Loaded before the EU had its Country row: link it, whatever `refresh` says.
            ConventionParty.objects.filter(pk=record.pk).update(country=country)
        parties += 1
    counts["parties"] = parties
    counts["parties_date_unknown"] = date_unknown

    for key, (file_name, title, section) in DATASETS.items():
        caveat = DEVELOPED_CAVEAT if section is None else _join(general, "\n\n" + sections.get(section, ""))
        ReferenceDataset.objects.update_or_create(
            key=key,
            defaults={
                "title": title,
                "file_name": file_name,
                "valid_on": PARTIES_VALID_ON if key == "minamata_parties" else dt.date(2026, 11, 23),
                "rows": len(_read(file_name)),
                "caveats": caveat.strip(),
            },
        )
    return counts


# --- Staff's corrections in the admin -----------------------------------------------------


def _history_user(obj, by):
    if by is not None:
        obj._history_user = by


@transaction.atomic
def country_save(*, country: Country, by=None) -> Country:
    """A State (or the EU) as staff corrected it in the admin: validated (field checks and the
    unique codes), saved and recorded in its history with who changed it."""
    country.full_clean()
    _history_user(country, by)
    country.save()
    return country


@transaction.atomic
def convention_party_save(*, party: ConventionParty, by=None) -> ConventionParty:
    """A Party record as staff corrected it. A deposit date without an entry into force gets the
    Convention's (the 90th day after deposit, not before 16 August 2017); with neither date the
    Party's date is unknown and stays so (PARTY_DATE_UNKNOWN), never guessed."""
    if party.deposit_date is not None and party.entry_into_force is None:
        party.entry_into_force = max(party.deposit_date + ENTRY_INTO_FORCE_DELAY, CONVENTION_ENTRY_INTO_FORCE)
    party.full_clean()
    _history_user(party, by)
    party.save()
    return party
