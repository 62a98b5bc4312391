"""Every hook goes through pluggy: wrappers, tracing and historic replay work for all of them,
and a plugin raising on a file is still an error value naming it (issue #13)."""

from __future__ import annotations

import io
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

import frictionscan
from frictionscan.cli import main
from frictionscan.core.config import Config
from frictionscan.core.errors import PluginError
from frictionscan.core.model import (
    ErrorKind,
    FileHistory,
    Finding,
    FixResult,
    Measurement,
    RuleInfo,
    SourceFile,
    Span,
)
from frictionscan.engine.session import Session
from frictionscan.plugin.hooks import HookCalls
from frictionscan.plugin.manager import PluginSpec, build_plugin_manager
from frictionscan.testing import run_scan

#: Reports one finding on every file it checks.
OWN_FINDINGS = """
    from frictionscan.api import Finding, Span, hookimpl

    @hookimpl
    def frictionscan_check_file(file):
        return Finding(code="OWN1", name="own", message="own finding", span=Span(start_line=1))
"""

#: Raises on every file it checks.
RAISING_CHECKER = """
    from frictionscan.api import hookimpl

    @hookimpl
    def frictionscan_check_file(file, source):
        raise RuntimeError(f"boom in {file.path}")
"""

#: Wraps frictionscan_check_file: sees every plugin's answer and adds a finding saying what.
CHECK_WRAPPER = """
    from frictionscan.api import AnalysisError, Finding, Span, hookimpl

    @hookimpl(wrapper=True)
    def frictionscan_check_file(file, source, config):
        answers = yield
        items = [item for answer in answers for item in answer]
        own = sum(isinstance(i, Finding) and i.code == "OWN1" for i in items)
        errors = sorted({e.plugin for e in items if isinstance(e, AnalysisError)})
        seen = Finding(code="WRAP1", name="wrapped", span=Span(start_line=1),
                       message=f"own={own} errors={','.join(errors)}")
        return [*answers, seen]
"""

#: The same with an old-style wrapper.
OLD_CHECK_WRAPPER = """
    from frictionscan.api import Finding, Span, hookimpl

    @hookimpl(hookwrapper=True)
    def frictionscan_check_file(file, source, config):
        outcome = yield
        answers = outcome.get_result()
        own = sum(getattr(i, "code", "") == "OWN1" for answer in answers for i in answer)
        seen = Finding(code="WRAP1", name="wrapped", span=Span(start_line=1),
                       message=f"own={own} errors=")
        outcome.force_result([*answers, seen])
"""

#: Adds a format, and wraps the built-in json one, from a wrapper of frictionscan_formatters.
FORMAT_WRAPPER = """
    from dataclasses import replace

    from frictionscan.api import Formatter, hookimpl

    def write_count(result, config, stream):
        stream.write(f"{len(result.hotspots)} hotspots\\n")

    @hookimpl(wrapper=True)
    def frictionscan_formatters():
        answers = yield
        out = []
        for answer in answers:
            for fmt in answer if isinstance(answer, list) else [answer]:
                if fmt.name == "json":
                    inner = fmt.write
                    def write(result, config, stream, inner=inner):
                        stream.write("// wrapped\\n")
                        inner(result, config, stream)
                    fmt = replace(fmt, write=write)
                out.append(fmt)
        return [*out, Formatter(name="count", description="how many hotspots",
                                write=write_count)]
"""


def write_plugins(directory: Path, monkeypatch: pytest.MonkeyPatch, **plugins: str) -> None:
    for name, body in plugins.items():
        (directory / f"{name}.py").write_text(textwrap.dedent(body))
    monkeypatch.syspath_prepend(str(directory))


def checked(result: frictionscan.api.ScanResult) -> list[frictionscan.api.FileAnalysis]:
    analyses = [h.analysis for h in result.hotspots if h.analysis.checked and
                not any(e.kind is not ErrorKind.PLUGIN for e in h.analysis.errors)]
    assert len(analyses) >= 5
    return analyses


# -- wrappers ---------------------------------------------------------------


@pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "workers"])
def test_a_wrapper_on_check_file_sees_every_plugins_answer(
        planted_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        in_process: bool) -> None:
    write_plugins(tmp_path, monkeypatch, own_findings=OWN_FINDINGS,
                  check_wrapper=CHECK_WRAPPER)
    result = run_scan(planted_repo, modules=["own_findings", "check_wrapper"],
                      in_process=in_process, overrides={"all_findings": True, "jobs": 2})
    assert not [e for e in result.errors if e.kind is ErrorKind.PLUGIN]
    for analysis in checked(result):
        codes = [f.code for f in analysis.findings]
        assert codes.count("OWN1") == 1 and codes.count("WRAP1") == 1, analysis.file.path
        wrap = next(f for f in analysis.findings if f.code == "WRAP1")
        assert wrap.message == "own=1 errors="


def test_an_old_style_hookwrapper_on_check_file_works(
        planted_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_plugins(tmp_path, monkeypatch, own_findings=OWN_FINDINGS,
                  old_wrapper=OLD_CHECK_WRAPPER)
    result = run_scan(planted_repo, modules=["own_findings", "old_wrapper"],
                      overrides={"all_findings": True})
    assert not [e for e in result.errors if e.kind is ErrorKind.PLUGIN]
    for analysis in checked(result):
        assert [f.message for f in analysis.findings if f.code == "WRAP1"] == \
            ["own=1 errors="]


def test_a_wrapper_on_formatters_adds_and_wraps_formats(
        planted_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_plugins(tmp_path, monkeypatch, format_wrapper=FORMAT_WRAPPER)
    monkeypatch.chdir(tmp_path)
    for fmt in ("count", "json"):
        out, err = io.StringIO(), io.StringIO()
        code = main(["scan", str(planted_repo), "-j", "1", "-f", fmt, "-p", "format_wrapper"],
                    stdout=out, stderr=err)
        assert code == 0, err.getvalue()
        if fmt == "count":
            assert out.getvalue() == "11 hotspots\n"
        else:
            first, rest = out.getvalue().split("\n", 1)
            assert first == "// wrapped" and json.loads(rest)["schema_version"] == 1


def test_a_wrapper_on_fix_file_wraps_each_plugins_step() -> None:
    class Appender:
        def __init__(self, text: str) -> None:
            self.text = text

        @frictionscan.hookimpl
        def frictionscan_fix_file(self, source: str) -> FixResult:
            return FixResult(source=source + self.text)

    class StepWrapper:
        @frictionscan.hookimpl(wrapper=True)
        def frictionscan_fix_file(self, source: str):  # type: ignore[no-untyped-def]
            answers = yield
            return [FixResult(source=a.source + "#\n") for a in answers]

    objects = (("a", Appender("a = 1\n")), ("b", Appender("b = 2\n")), ("wrap", StepWrapper()))
    hooks = HookCalls(build_plugin_manager(PluginSpec(autoload=False, objects=objects,
                                                      blocked=("libcst",))))
    result = hooks.fix_file(SourceFile(path="m.py"), "", Config(root="/r"), frozenset(), False)
    # pluggy calls the last registered first; each step on the previous one's text, wrapped
    assert result.error is None
    assert result.source == "b = 2\n#\na = 1\n#\n"


def test_wrappers_do_not_answer_hooks_that_need_an_answer() -> None:
    class RankWrapper:
        @frictionscan.hookimpl(wrapper=True)
        def frictionscan_rank(self):  # type: ignore[no-untyped-def]
            return (yield)

    pm = build_plugin_manager(PluginSpec(autoload=False, blocked=("scoring",),
                                         objects=(("rank_wrapper", RankWrapper()),)))
    with pytest.raises(PluginError, match="no plugin answered frictionscan_rank"):
        HookCalls(pm).rank([], Config(root="/r"))


# -- a raising plugin costs only its own results ------------------------------


@pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "workers"])
def test_a_plugin_raising_in_check_file_is_an_error_naming_it(
        planted_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        in_process: bool) -> None:
    write_plugins(tmp_path, monkeypatch, own_findings=OWN_FINDINGS,
                  raising_checker=RAISING_CHECKER, check_wrapper=CHECK_WRAPPER)
    result = run_scan(planted_repo, modules=["own_findings", "raising_checker",
                                             "check_wrapper"],
                      in_process=in_process, overrides={"all_findings": True, "jobs": 2})
    for analysis in checked(result):
        path = analysis.file.path
        errors = [e for e in analysis.errors if e.kind is ErrorKind.PLUGIN]
        assert [(e.plugin, e.hook, e.path, e.message) for e in errors] == [
            ("raising_checker", "frictionscan_check_file", path, f"RuntimeError: boom in {path}")]
        # the other plugins' findings for the file survive; the wrapper saw the error value
        assert sorted(f.code for f in analysis.findings if f.code in ("OWN1", "WRAP1")) == \
            ["OWN1", "WRAP1"]
        wrap = next(f for f in analysis.findings if f.code == "WRAP1")
        assert wrap.message == "own=1 errors=raising_checker"


def test_a_wrapper_raising_is_an_error_naming_the_wrapper() -> None:
    class Own:
        @frictionscan.hookimpl
        def frictionscan_check_file(self) -> Finding:
            return Finding(code="OWN1", name="own", message="m", span=Span(start_line=1))

    class BadWrapper:
        @frictionscan.hookimpl(wrapper=True)
        def frictionscan_check_file(self):  # type: ignore[no-untyped-def]
            yield
            raise ValueError("wrapper broke")

    hooks = HookCalls(build_plugin_manager(PluginSpec(
        autoload=False, blocked=("libcst",), objects=(("own", Own()), ("bad", BadWrapper())))))
    findings, errors = hooks.check_file(SourceFile(path="m.py"), "x = 1\n", Config(root="/r"))
    assert findings == []
    assert [(e.plugin, e.hook, e.path, e.message) for e in errors] == [
        ("bad", "frictionscan_check_file", "m.py", "ValueError: wrapper broke")]


def test_a_plugin_returning_the_wrong_type_costs_only_its_results() -> None:
    class Wrong:
        @frictionscan.hookimpl
        def frictionscan_measure_file(self) -> str:
            return "not a measurement"

    class Own:
        @frictionscan.hookimpl
        def frictionscan_measure_file(self, source: str) -> frictionscan.api.Measurement:
            return frictionscan.api.Measurement(key="own.size", value=len(source))

    hooks = HookCalls(build_plugin_manager(PluginSpec(
        autoload=False, blocked=("radon", "git"), objects=(("wrong", Wrong()), ("own", Own())))))
    found, errors = hooks.measure_file(SourceFile(path="m.py"), "x = 1\n",
                                       FileHistory.empty("m.py"), Config(root="/r"))
    assert [(m.key, m.value) for m in found] == [("own.size", 6)]
    assert [(e.plugin, e.message) for e in errors] == [
        ("wrong", "TypeError: returned str, expected Measurement")]


# -- historic hooks -------------------------------------------------------------


def test_a_plugin_registered_after_start_up_declares_its_options(planted_repo: Path) -> None:
    class Late:
        @frictionscan.hookimpl
        def frictionscan_addoption(self, parser: frictionscan.api.OptionParser) -> None:
            parser.addoption("late.level", type=int, default=1, help="how late")

    session = Session.start(PluginSpec(autoload=False))
    session.pm.register_plugin(Late(), "late", "object")
    options = {o.key: o for o in session.options}
    assert options["late.level"].plugin == "late"
    assert options["git.half_life_days"].plugin == "git"  # the others keep theirs
    assert options["libcst.ignore"].plugin == "libcst"
    config = session.configure(planted_repo, overrides={"late.level": 3})
    assert config.getoption("late.level") == 3


def test_a_late_plugin_raising_in_addoption_is_named_and_not_registered() -> None:
    class Broken:
        @frictionscan.hookimpl
        def frictionscan_addoption(self) -> None:
            raise KeyError("nope")

    session = Session.start(PluginSpec(autoload=False))
    with pytest.raises(PluginError, match="plugin 'broken' raised in frictionscan_addoption: "
                                          "KeyError"):
        session.pm.register_plugin(Broken(), "broken", "object")
    assert session.pm.get_plugin("broken") is None


def test_a_plugin_raising_in_addoption_at_start_up_is_named() -> None:
    class Broken:
        @frictionscan.hookimpl
        def frictionscan_addoption(self) -> None:
            raise KeyError("nope")

    with pytest.raises(PluginError, match="plugin 'broken' raised in frictionscan_addoption: "
                                          "KeyError"):
        Session.start(PluginSpec(autoload=False, objects=(("broken", Broken()),)))


def test_addhooks_runs_once_per_plugin() -> None:
    calls: list[str] = []

    class Counting:
        def __init__(self, name: str) -> None:
            self.name = name

        @frictionscan.hookimpl
        def frictionscan_addhooks(self) -> None:
            calls.append(self.name)

    names = ["one", "two", "three", "four"]
    pm = build_plugin_manager(PluginSpec(autoload=False,
                                         objects=tuple((n, Counting(n)) for n in names)))
    assert calls == names
    pm.register_plugin(Counting("late"), "late", "object")
    assert calls == [*names, "late"]


# -- tracing ----------------------------------------------------------------------


@pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "workers"])
def test_debug_tracing_shows_per_file_hooks(planted_repo: Path, monkeypatch: pytest.MonkeyPatch,
                                           capfd: pytest.CaptureFixture[str],
                                           in_process: bool) -> None:
    monkeypatch.setenv("FRICTIONSCAN_DEBUG", "1")
    run_scan(planted_repo, in_process=in_process, overrides={"all_findings": True, "jobs": 1})
    err = capfd.readouterr().err
    for hook in ("frictionscan_addoption", "frictionscan_measure_file",
                 "frictionscan_check_file", "frictionscan_rules"):
        assert f"{hook} [hook]" in err, hook
    # each file's call, with its arguments
    assert "file: SourceFile(path='src/app/engine.py'" in err


# -- who offers what ------------------------------------------------------------


def test_rules_name_their_plugin_also_those_a_wrapper_adds() -> None:
    def info(code: str) -> RuleInfo:
        return RuleInfo(code=code, name=code.lower(), summary="s", effort_minutes=1)

    class Extra:
        @frictionscan.hookimpl
        def frictionscan_rules(self) -> RuleInfo:
            return info("XTR1")

    class Adder:
        @frictionscan.hookimpl(wrapper=True)
        def frictionscan_rules(self):  # type: ignore[no-untyped-def]
            return [*(yield), [info("ADD1")]]

    hooks = HookCalls(build_plugin_manager(PluginSpec(
        autoload=False, objects=(("extra", Extra()), ("adder", Adder())))))
    owners = {info.code: plugin for plugin, info in hooks.rules(None)}
    assert owners["XTR1"] == "extra" and owners["ADD1"] == "adder"
    assert owners["FS101"] == "libcst"


def test_a_format_offered_twice_names_both_plugins() -> None:
    class Table:
        @frictionscan.hookimpl
        def frictionscan_formatters(self) -> frictionscan.api.Formatter:
            return frictionscan.api.Formatter(name="table", description="d",
                                              write=lambda *a: None)

    hooks = HookCalls(build_plugin_manager(PluginSpec(autoload=False,
                                                      objects=(("mytable", Table()),))))
    with pytest.raises(PluginError, match="format 'table' is offered by both plugin 'mytable' "
                                          "and plugin 'report'"):
        hooks.formatters("scan")


def test_an_unhashable_plugin_object_is_refused_with_one_line() -> None:
    @dataclass
    class Unhashable:  # eq=True without frozen: no __hash__, which pluggy's subsets need
        level: int = 1

        @frictionscan.hookimpl
        def frictionscan_measure_file(self, history: FileHistory) -> None:
            return None

    with pytest.raises(PluginError, match="plugin 'plain' .* cannot be registered: "
                                          "Unhashable objects are not hashable"):
        build_plugin_manager(PluginSpec(autoload=False, objects=(("plain", Unhashable()),)))


def test_a_plugin_raising_in_addhooks_is_named() -> None:
    class Broken:
        @frictionscan.hookimpl
        def frictionscan_addhooks(self) -> None:
            raise RuntimeError("no hooks today")

    with pytest.raises(PluginError, match="plugin 'broken' raised in frictionscan_addhooks: "
                                          "RuntimeError: no hooks today"):
        build_plugin_manager(PluginSpec(autoload=False, objects=(("broken", Broken()),)))


def test_measure_file_runs_content_and_history_halves_each_wrapped() -> None:
    class Content:
        @frictionscan.hookimpl
        def frictionscan_measure_file(self, source: str) -> Measurement:
            return Measurement(key="content.size", value=len(source))

    class HistoryOnly:
        @frictionscan.hookimpl
        def frictionscan_measure_file(self, history: FileHistory) -> Measurement:
            return Measurement(key="history.seen", value=1)

    class Wrapper:
        @frictionscan.hookimpl(wrapper=True)
        def frictionscan_measure_file(self, source):  # type: ignore[no-untyped-def]
            answers = yield
            half = "history" if source is None else "content"
            return [*answers, Measurement(key=f"wrap.{half}", value=1)]

    hooks = HookCalls(build_plugin_manager(PluginSpec(
        autoload=False, blocked=("git", "radon"),
        objects=(("content", Content()), ("history", HistoryOnly()), ("wrap", Wrapper())))))
    file, history, config = SourceFile(path="m.py"), FileHistory.empty("m.py"), \
        Config(root="/r")
    content, errors = hooks.measure_file(file, "x = 1\n", history, config)
    assert [m.key for m in content] == ["content.size", "wrap.content"] and not errors
    past, errors = hooks.measure_history(file, history, config)
    assert [m.key for m in past] == ["history.seen", "wrap.history"] and not errors
    assert not hooks.content_needs_history
