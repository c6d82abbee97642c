"""The score per module and each surviving mutant of the last `mutmut run` (read from mutants/).

    python -m mutation.report bureau.services.composition documents.symbols

A mutant counts as caught when a test failed or timed out on it; one listed in
mutation/equivalent*.md (reviewed: it cannot change behaviour) leaves the count; every other one
(survived, or reached by no selected test) is a survivor and its diff is printed. Exits 1 when a
module has survivors, so the target fails until each is killed or reviewed."""

import fnmatch
import json
import re
import subprocess
import sys
from pathlib import Path

from mutation.entries import patterns, split

ROOT = Path(__file__).resolve().parent.parent
CAUGHT = {1, 3, 24, -24, 36, 37, 152, 255}  # mutmut's exit codes for killed, timeout, type check
EQUIVALENT = re.compile(r"^- `([\w.]+__mutmut_\d+)`")


def equivalent_mutants() -> set[str]:
    # One reviewed list per area (equivalent.md, equivalent_participants.md, ...).
    return {
        m.group(1)
        for path in sorted((ROOT / "mutation").glob("equivalent*.md"))
        for line in path.read_text().splitlines()
        if (m := EQUIVALENT.match(line))
    }


def module_results(entry: str) -> dict[str, int | None]:
    """The results of an entry of MUTATION_MODULES (a module, or its rule functions: entries.py)."""
    module, _functions = split(entry)
    meta = ROOT / "mutants" / (module.replace(".", "/") + ".py.meta")
    if not meta.exists():
        raise SystemExit(f"{module}: no results in {meta.relative_to(ROOT)} (did `mutmut run` fail?)")
    selected = patterns(entry)
    results = json.loads(meta.read_text())["exit_code_by_key"]
    # A misspelled (or renamed) function matches no mutant: it would count as 100 % caught.
    unmatched = [p for p in selected if not any(fnmatch.fnmatchcase(k, p) for k in results)]
    if unmatched:
        raise SystemExit(f"{entry}: no mutant matches {', '.join(unmatched)} (misspelled or renamed?)")
    return {k: v for k, v in results.items() if any(fnmatch.fnmatchcase(k, p) for p in selected)}


def main(modules: list[str]) -> int:
    equivalent = equivalent_mutants()
    failed = False
    for module in modules:
        results = module_results(module)
        counted = {k: v for k, v in results.items() if k not in equivalent}
        caught = sum(1 for v in counted.values() if v in CAUGHT)
        survivors = sorted((k for k, v in counted.items() if v not in CAUGHT), key=_natural)
        score = 100 * caught / len(counted) if counted else 100.0
        print(
            f"{module}: {score:.1f} % ({caught} caught of {len(counted)}; "
            f"{len(results) - len(counted)} equivalent; {len(survivors)} surviving)"
        )
        for name in survivors:
            failed = True
            status = "not run (no test reaches it)" if results[name] in (None, 5, 33) else "survived"
            print(f"\n--- {name}: {status}")
            mutmut = str(Path(sys.executable).parent / "mutmut")
            shown = subprocess.run([mutmut, "show", name], cwd=ROOT, capture_output=True, text=True)  # noqa: S603
            print(shown.stdout.strip() or shown.stderr.strip())
        print()
    return 1 if failed else 0


def _natural(name: str):
    head, _, number = name.rpartition("_")
    return head, int(number) if number.isdigit() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
