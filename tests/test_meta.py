"""The project checks itself: docs match code, built-ins match plugins/, the wheel is whole,
fixture streams match their builders, and the plugin-author walkthrough really works."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from frictionscan.plugin.hookdoc import hooks_markdown
from frictionscan.plugin.manager import BUILTIN_PLUGINS, PluginSpec, build_plugin_manager
from frictionscan.testing import run_scan

PLUGINS = ROOT / "plugins"
EXAMPLE = ROOT / "docs" / "examples" / "frictionscan-todo"


def test_hook_reference_is_up_to_date() -> None:
    pm = build_plugin_manager(PluginSpec(autoload=False))
    expected = hooks_markdown(pm)
    actual = (ROOT / "docs" / "hooks.md").read_text()
    assert actual == expected, "docs/hooks.md is stale: run `frictionscan hooks > docs/hooks.md`"


def test_every_hook_is_exercised_by_a_builtin_or_documented_example() -> None:
    pm = build_plugin_manager(PluginSpec(autoload=False))
    hooks = [n for n in dir(pm.hook) if n.startswith("frictionscan_")]
    implemented = {h for n in hooks for h in [n] if getattr(pm.hook, n).get_hookimpls()}
    assert set(hooks) == implemented


def test_builtin_list_matches_plugins_directory() -> None:
    on_disk = sorted(p.name for p in PLUGINS.iterdir() if (p / "__init__.py").exists())
    assert sorted(BUILTIN_PLUGINS.values()) == on_disk
    assert not (PLUGINS / "__init__.py").exists()  # `plugins` itself is not a package


def lint_imports(tmp_path: Path, shadow: Path | None = None) -> subprocess.CompletedProcess[str]:
    """import-linter on the contracts in pyproject.toml (``shadow``: a folder put first on
    the path, holding a changed copy of a package)."""
    linter = Path(sys.executable).parent / "lint-imports"
    if not linter.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    env = dict(os.environ)
    if shadow is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(shadow), env.get("PYTHONPATH", "")])
    return subprocess.run([str(linter), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
                          cwd=tmp_path, env=env, capture_output=True, text=True)


def test_import_contracts_are_kept(tmp_path: Path) -> None:
    proc = lint_imports(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 kept, 0 broken" in proc.stdout


@pytest.mark.parametrize("added, broken", [
    ("import frictionscan.engine.session", "Plugins import only the public API"),
    ("from frictionscan_libcst import hookspecs", "Plugins never import each other"),
])
def test_a_plugin_breaking_a_room_rule_fails_the_contract(tmp_path: Path, added: str,
                                                          broken: str) -> None:
    shadow = tmp_path / "shadow"
    copy = shadow / "frictionscan_scoring"
    shutil.copytree(PLUGINS / "frictionscan_scoring", copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    init = copy / "__init__.py"
    init.write_text(init.read_text() + f"\n{added}  # breaks a rule\n")
    proc = lint_imports(tmp_path, shadow)
    assert proc.returncode != 0
    assert f"{broken}" in proc.stdout and "BROKEN" in proc.stdout


def test_wheel_contains_every_builtin_plugin(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    proc = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel",
                           "-d", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in (*BUILTIN_PLUGINS.values(), "frictionscan"):
        assert f"{module}/__init__.py" in names, module
    assert "frictionscan_libcst/rules/deep_nesting.py" in names
    assert "frictionscan_libcst/rules_index.json" in names
    assert "frictionscan_report/templates/plan.html.j2" in names
    assert not any(n.startswith("plugins/") for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "frictionscan = frictionscan.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_fixture_streams_match_their_builders() -> None:
    spec = importlib.util.spec_from_file_location("build_fixtures",
                                                  FIXTURES / "build_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, build in module.BUILDERS.items():
        committed = (FIXTURES / "repos" / f"{name}.fi").read_bytes()
        assert committed == build().bytes(), f"run python fixtures/build_fixtures.py ({name})"


def test_writing_plugins_walkthrough_runs(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    doc = (ROOT / "docs" / "writing-plugins.md").read_text()
    for name in ("frictionscan_todo/__init__.py", "pyproject.toml", "test_todo.py"):
        assert (EXAMPLE / name).read_text().strip() in doc, f"{name} differs from the doc"
    monkeypatch.syspath_prepend(str(EXAMPLE))
    spec = importlib.util.spec_from_file_location("test_todo", EXAMPLE / "test_todo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.test_todo_markers_are_found(tmp_path)


def normalised(doc: dict) -> dict:  # type: ignore[type-arg]
    doc["repository"]["root"] = "<root>"
    doc["stats"] = {k: v for k, v in doc["stats"].items() if not k.startswith("seconds_")}
    return doc


def test_golden_json(planted_repo: Path) -> None:
    from frictionscan_report.json_format import result_dict

    from frictionscan.core.config import Config

    result = run_scan(planted_repo)
    doc = normalised(result_dict(result, Config(root=str(planted_repo))))
    golden = FIXTURES / "expected" / "planted.json"
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("FRICTIONSCAN_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text(), "set FRICTIONSCAN_UPDATE_GOLDEN=1 to accept"


def test_rule_catalogue_is_up_to_date() -> None:
    from frictionscan_libcst.catalogue import rules_markdown

    assert (ROOT / "docs" / "rules.md").read_text() == rules_markdown(), (
        "docs/rules.md is stale: run `python -m frictionscan_libcst.catalogue > docs/rules.md`")


def test_writing_rules_example_runs() -> None:
    example = ROOT / "docs" / "examples" / "frictionscan-http-rules"
    doc = (ROOT / "docs" / "writing-rules.md").read_text()
    for name in ("frictionscan_http_rules/__init__.py", "pyproject.toml", "test_http_rules.py"):
        assert (example / name).read_text().strip() in doc, f"{name} differs from the doc"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--rootdir", str(example), str(example)],
                          capture_output=True, text=True, cwd=example)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "6 passed" in proc.stdout


def test_rules_index_is_up_to_date() -> None:
    from frictionscan_libcst.catalogue import rules_index

    index = ROOT / "plugins" / "frictionscan_libcst" / "rules_index.json"
    assert index.read_text() == rules_index(), (
        "rules_index.json is stale: run `python -m frictionscan_libcst.catalogue --index`")


def test_a_cached_scan_imports_neither_libcst_nor_gitpython(planted_copy: Path) -> None:
    code = ("import sys, json; from frictionscan.cli import main; "
            f"main(['scan', {str(planted_copy)!r}, '-f', 'json', '-q']); "
            "print('LIBCST', 'libcst' in sys.modules, 'GIT', 'git' in sys.modules, "
            "file=sys.stderr)")
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert "GIT True" in cold.stderr, cold.stderr  # the history is read through GitPython
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert "LIBCST False GIT False" in warm.stderr, warm.stderr


def test_no_builtin_hook_implementation_has_a_default_argument() -> None:
    """pluggy before 1.7 never passes a hook argument that has a default value in the
    implementation: on pluggy 1.5 (which pyproject.toml allows) the roadmap never saw the
    evidence. Found by CI's run with the lowest versions (issue #19)."""
    import inspect

    pm = build_plugin_manager(PluginSpec(autoload=False))
    defaults = []
    for name in dir(pm.hook):
        if not name.startswith("frictionscan_"):
            continue
        for impl in getattr(pm.hook, name).get_hookimpls():
            for param in inspect.signature(impl.function).parameters.values():
                if param.default is not inspect.Parameter.empty:
                    defaults.append(f"{impl.plugin_name}.{impl.function.__name__}({param.name})")
    assert not defaults
