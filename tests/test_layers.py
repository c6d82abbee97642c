"""The apps stand in layers: each imports only the apps below it and hands data down, never up
(the README's Layout section draws them)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Bottom first. Apps on one line stand side by side and may not import each other.
LAYERS = [
    {"accounts", "reference"},
    {"outbox"},
    {"letters"},
    {"meetings"},
    {"bureau"},
    {"documents"},
    {"participants"},
    # Expert groups: members nominated by Parties and organisations, mandates, drafts for comment.
    {"expertgroups"},
    # Calls sent to Parties and observers, their answers compiled into a document.
    {"calls"},
    # The REST API reads and writes through every app's selectors, services and rules.
    {"api"},
    # Running the portal: health, status page, backups, alerts; reads the apps below.
    {"operations"},
]
APPS = set().union(*LAYERS)


def _level(app):
    return next(number for number, layer in enumerate(LAYERS) if app in layer)


def _imports(app):
    """(module, imported app, line) for every import of another project app, anywhere in the module."""
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                other = name.split(".")[0]
                if other in APPS and other != app:
                    yield str(path.relative_to(ROOT)), other, node.lineno


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == APPS


def test_no_app_imports_an_app_above_it_or_beside_it():
    upward = [
        f"{module}:{line} imports {other}"
        for app in APPS
        for module, other, line in _imports(app)
        if _level(other) >= _level(app) and not {app, other} <= {"accounts", "reference"}
    ]
    assert upward == []


def test_imports_of_other_apps_sit_at_the_top_of_the_module():
    """An import inside a function hides a circle; the only ones allowed say why in a comment."""
    hidden = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            lines = source.splitlines()
            for function in ast.walk(ast.parse(source)):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                        other = node.module.split(".")[0]
                    elif isinstance(node, ast.Import):
                        other = node.names[0].name.split(".")[0]
                    else:
                        continue
                    if other in APPS and "#" not in lines[node.lineno - 2] + lines[node.lineno - 1]:
                        hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert hidden == []
