from django.utils import translation


def in_current_language(obj, field: str) -> str:
    """`<field>_<language>` of `obj` for the active language, falling back to English where the
    translation is missing (records carry their titles and names in several languages)."""
    language = (translation.get_language() or "en")[:2]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_en")
