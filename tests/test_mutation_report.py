"""mutation/report.py reads mutmut's results per entry of MUTATION_MODULES."""

import json

import pytest

from mutation import report


@pytest.fixture
def results(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "ROOT", tmp_path)
    meta = tmp_path / "mutants" / "documents" / "symbols.py.meta"
    meta.parent.mkdir(parents=True)
    keys = {
        "documents.symbols.x_next_symbol__mutmut_1": 1,
        "documents.symbols.x_next_symbol__mutmut_2": 0,
        "documents.symbols.x_parse__mutmut_1": 1,
    }
    meta.write_text(json.dumps({"exit_code_by_key": keys}))


def test_an_entry_reads_the_results_of_its_functions(results):
    assert report.module_results("documents.symbols:next_symbol") == {
        "documents.symbols.x_next_symbol__mutmut_1": 1,
        "documents.symbols.x_next_symbol__mutmut_2": 0,
    }
    assert len(report.module_results("documents.symbols")) == 3


def test_a_misspelled_function_that_matches_no_mutant_stops_the_report(results):
    with pytest.raises(SystemExit) as stopped:
        report.module_results("documents.symbols:next_symbol,next_symbl")
    assert str(stopped.value) == (
        "documents.symbols:next_symbol,next_symbl: no mutant matches "
        "documents.symbols.x_next_symbl__mutmut_* (misspelled or renamed?)"
    )


def test_mutmuts_copy_of_the_project_holds_every_app_of_the_portal():
    """mutmut runs the tests in a copy of the project made of `source_paths` and `also_copy`: an
    app left out (a new one) fails every run at import."""
    import tomllib
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    root = Path(settings.BASE_DIR)
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["mutmut"]
    copied = set(config["source_paths"]) | set(config["also_copy"])
    ours = {
        Path(app.path).relative_to(root).parts[0]
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(root) and not Path(app.path).is_relative_to(root / ".venv")
    }
    assert ours and ours <= copied, sorted(ours - copied)
