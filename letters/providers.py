"""Facts printed in a letter at rendering time but never stored with it (a passport number,
encrypted at rest where it is kept). The app that holds them registers a provider for the kind
of letter, from its own `letters` module (as `participants.letters` does for visa letters), so
letters never reads another app's models.

A provider takes the letters of its kind in a render chunk and returns, by letter id, the extra
details to print; it reads them for the whole chunk at once (a fixed number of queries).
"""

from collections.abc import Callable

_PROVIDERS: dict[str, Callable] = {}


def render_details_register(kind: str, provider: Callable) -> None:
    _PROVIDERS[kind] = provider


def render_details(letters) -> dict[int, dict]:
    """The extra details of each letter that has any, by letter id."""
    by_kind = {}
    for letter in letters:
        if letter.kind in _PROVIDERS:
            by_kind.setdefault(letter.kind, []).append(letter)
    found = {}
    for kind, of_kind in by_kind.items():
        found.update(_PROVIDERS[kind](of_kind))
    return found
