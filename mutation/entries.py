"""What one entry of MUTATION_MODULES mutates, as mutmut's mutant-name patterns.

    python -m mutation.entries participants.selectors:registration_is_open,funding_eligibility

An entry is a module (every function of its file: `documents.symbols`) or a module and, after a
colon, the rule functions in it (`Class.method` for a method), for a file whose other functions
are not rules (a selectors module of list pages). Prints one pattern per line, for `mutmut run`."""

import sys


def split(entry: str) -> tuple[str, list[str]]:
    """The module of an entry and its functions (none: the whole module)."""
    module, _, functions = entry.partition(":")
    return module, [f for f in functions.split(",") if f]


def patterns(entry: str) -> list[str]:
    module, functions = split(entry)
    if not functions:
        return [f"{module}.*"]
    # mutmut names a function's mutants `module.x_<function>__mutmut_<n>` and a method's
    # `module.xǁ<Class>ǁ<method>__mutmut_<n>`.
    return [
        f"{module}.xǁ{'ǁ'.join(name.split('.'))}__mutmut_*" if "." in name else f"{module}.x_{name}__mutmut_*"
        for name in functions
    ]


if __name__ == "__main__":
    print("\n".join(p for entry in sys.argv[1:] for p in patterns(entry)))
