"""The libcst rule framework; tests are generated from each rule's own examples."""

from __future__ import annotations

import re

import pytest
from frictionscan_libcst import check_source
from frictionscan_libcst.rules import BUILTIN_RULES

RULES = {r.CODE: r for r in BUILTIN_RULES}


def cases(attr: str) -> list[tuple[str, str]]:
    return [(code, src) for code, rule in RULES.items() for src in getattr(rule, attr)]


@pytest.mark.parametrize("code,source", cases("VALID"))
def test_valid_examples_are_accepted(code: str, source: str) -> None:
    assert check_source(source, "x.py", [RULES[code]]) == []


@pytest.mark.parametrize("code,source", cases("INVALID"))
def test_invalid_examples_are_flagged(code: str, source: str) -> None:
    findings = check_source(source, "x.py", [RULES[code]])
    assert findings, f"{code} did not flag:\n{source}"
    for f in findings:
        assert f.code == code and f.name == RULES[code].NAME
        assert f.span.start_line >= 1 and f.effort_minutes == RULES[code].EFFORT_MINUTES
        assert "{" not in f.message


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.CODE)
def test_rule_is_documented(rule: type) -> None:
    assert re.fullmatch(r"FS\d{3}", rule.CODE)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.NAME)
    assert rule.MESSAGE and rule.RATIONALE and rule.EFFORT_MINUTES > 0
    assert rule.VALID and rule.INVALID


def test_codes_and_names_are_unique() -> None:
    assert len({r.CODE for r in BUILTIN_RULES}) == len(BUILTIN_RULES)
    assert len({r.NAME for r in BUILTIN_RULES}) == len(BUILTIN_RULES)


def test_one_traversal_reports_every_rule_with_positions_and_symbols() -> None:
    source = (
        "class Service:\n"
        "    def handle(self, a, b, c, d, e, f, g, cache={}):\n"
        "        try:\n"
        "            run()\n"
        "        except Exception:\n"
        "            pass\n"
    )
    findings = check_source(source, "svc.py", BUILTIN_RULES)
    got = sorted((f.code, f.span.start_line, f.symbol) for f in findings)
    assert got == [("FS103", 2, "Service.handle"), ("FS104", 5, "Service.handle"),
                   ("FS105", 2, "Service.handle")]
    fs105 = next(f for f in findings if f.code == "FS105")
    assert fs105.message == ("parameter `cache` of `handle` has a mutable default, "
                             "shared by every call")
    assert fs105.span.start_col == 42


def test_elif_chains_are_not_nesting() -> None:
    arms = "".join(f"    elif x == {i}:\n        y = {i}\n" for i in range(12))
    assert check_source("def f(x):\n    if x:\n        y = 0\n" + arms, "x.py",
                        BUILTIN_RULES) == []


def test_findings_in_the_planted_repository(planted_repo) -> None:  # type: ignore[no-untyped-def]
    from frictionscan.testing import run_scan

    result = run_scan(planted_repo)
    engine = next(h for h in result.hotspots if h.path == "src/app/engine.py")
    assert [(f.code, f.symbol) for f in engine.analysis.findings
            if f.code == "FS101"] == [("FS101", "dispatch")]
    ignored = run_scan(planted_repo, overrides={"libcst.ignore": ["FS101"]})
    engine = next(h for h in ignored.hotspots if h.path == "src/app/engine.py")
    assert "FS101" not in {f.code for f in engine.analysis.findings}


def test_fast_walk_and_positions_agree_with_libcst() -> None:
    import libcst as cst
    from conftest import ROOT
    from libcst.metadata import MetadataWrapper, PositionProvider

    from frictionscan.api.cst import positions, positions_of, visit_batched

    source = (ROOT / "plugins" / "frictionscan_libcst" / "rules" / "deep_nesting.py").read_text()
    source += "\nx = '''a\r\nb'''\r\ny = (1,\r  2)\n"

    class Recorder(cst.BatchableCSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.events: list[str] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.events.append("+" + node.name.value)

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            self.events.append("-" + original_node.name.value)

        def visit_Name(self, node: cst.Name) -> None:
            self.events.append(node.value)

    module = cst.parse_module(source)
    ours, theirs = Recorder(), Recorder()
    visit_batched(module, [ours])
    cst.visit_batched(module, [theirs])
    # same events; sibling order follows dataclass fields (e.g. a class body before its bases)
    assert sorted(ours.events) == sorted(theirs.events)
    scopes = [e for e in ours.events if e[0] in "+-"]
    assert scopes == [e for e in theirs.events if e[0] in "+-"]
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert dict(positions(module)) == dict(expected)
    every_node = [n for n in expected if n is not module]  # (the module's end differs)
    assert dict(positions_of(module, every_node)) == {n: expected[n] for n in every_node}
    some = every_node[::7]
    assert dict(positions_of(module, some)) == {n: expected[n] for n in some}
    # whitespace leaves are skipped unless a visitor asks for them
    class Spaces(cst.BatchableCSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.count = 0

        def visit_SimpleWhitespace(self, node: cst.SimpleWhitespace) -> None:
            self.count += 1

    ours_ws, theirs_ws = Spaces(), Spaces()
    visit_batched(module, [ours_ws])
    cst.visit_batched(module, [theirs_ws])
    assert ours_ws.count == theirs_ws.count > 100
    early = [n for n in every_node if expected[n].end.line <= 3]  # printing stops after them
    assert early and dict(positions_of(module, early)) == {n: expected[n] for n in early}
    assert positions_of(module, []) == {}


def test_third_party_rules_join_the_same_traversal(planted_repo) -> None:  # type: ignore[no-untyped-def]
    import libcst as cst
    from frictionscan_libcst.rule import Rule

    import frictionscan
    from frictionscan.testing import run_scan

    class NoVersion(Rule):
        CODE = "XX001"
        NAME = "version-constant"
        MESSAGE = "module constant {name}"
        RATIONALE = "test rule"
        VALID = ("x = 1\n",)
        INVALID = ("VERSION = 1\n",)

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == "VERSION":
                self.report(node, name=node.value)

    class RulePlugin:
        @frictionscan.hookimpl
        def frictionscan_libcst_rules(self):  # type: ignore[no-untyped-def]
            return [NoVersion]

    result = run_scan(planted_repo, plugins=[RulePlugin()])
    engine = next(h for h in result.hotspots if h.path == "src/app/engine.py")
    assert {"FS101", "XX001"} <= {f.code for f in engine.analysis.findings}
    plain = run_scan(planted_repo)
    engine = next(h for h in plain.hotspots if h.path == "src/app/engine.py")
    assert "XX001" not in {f.code for f in engine.analysis.findings}


FIXABLE = [r for r in BUILTIN_RULES if r.FIX]


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: r.CODE)
def test_fixable_rules_document_their_fixes(rule: type) -> None:
    assert rule.FIX in ("safe", "unsafe") and rule.FIXED


@pytest.mark.parametrize("code,before,after", [(r.CODE, b, a) for r in FIXABLE
                                                for b, a in r.FIXED])
def test_fixes_turn_before_into_after(code: str, before: str, after: str) -> None:
    from frictionscan_libcst.fixes import fix_source

    outcome = fix_source(before, "x.py", [RULES[code]], None, unsafe=True)
    assert outcome.error is None
    assert outcome.source == after
    assert outcome.applied and all(c == code for c, _, _ in outcome.applied)
    # a fixed file has nothing left to fix
    assert fix_source(after, "x.py", [RULES[code]], None, unsafe=True).applied == []


def test_unsafe_fixes_need_permission() -> None:
    from frictionscan_libcst.fixes import fix_source

    source = "def f(x=[]):\n    if x == None:\n        return 1\n    return 2\n"
    outcome = fix_source(source, "x.py", BUILTIN_RULES, None)
    assert outcome.source == source and outcome.applied == []
    assert sorted(c for c, _, _ in outcome.skipped_unsafe) == ["FS105", "FS120"]
    outcome = fix_source(source, "x.py", BUILTIN_RULES, None, unsafe=True, codes={"FS120"})
    assert outcome.source == source.replace("== None", "is None")


def test_nested_fixes_are_applied_over_several_rounds() -> None:
    from frictionscan_libcst.fixes import fix_source

    source = ("def f(x):\n    if x:\n        return 1\n    else:\n        a = 1\n        b = 2\n"
              "        if x == None:\n            return 2\n        else:\n            log(x)\n"
              "            log(a)\n            return b\n")
    outcome = fix_source(source, "x.py", BUILTIN_RULES, None, unsafe=True)
    assert outcome.source == ("def f(x):\n    if x:\n        return 1\n    a = 1\n    b = 2\n"
                              "    if x is None:\n        return 2\n    log(x)\n    log(a)\n"
                              "    return b\n")


def test_a_rule_that_raises_costs_only_its_own_findings(planted_repo) -> None:  # type: ignore[no-untyped-def]
    import libcst as cst
    from frictionscan_libcst.rule import Rule

    import frictionscan
    from frictionscan.core.model import ErrorKind
    from frictionscan.testing import run_scan

    class Broken(Rule):
        CODE = "XX002"
        NAME = "broken-rule"
        MESSAGE = "never"

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            raise ZeroDivisionError("bad rule")

    class RulePlugin:
        @frictionscan.hookimpl
        def frictionscan_libcst_rules(self):  # type: ignore[no-untyped-def]
            return [Broken]

    result = run_scan(planted_repo, plugins=[RulePlugin()])
    engine = next(h for h in result.hotspots if h.path == "src/app/engine.py")
    assert "FS101" in {f.code for f in engine.analysis.findings}  # the other rules still ran
    errors = [e for e in engine.analysis.errors if e.kind is ErrorKind.PLUGIN]
    assert [e.message for e in errors] == [
        "rule XX002 (broken-rule) raised ZeroDivisionError: bad rule"]
    assert errors[0].path == "src/app/engine.py" and errors[0].plugin == "libcst"


def test_a_file_that_does_not_parse_has_one_error(planted_repo) -> None:  # type: ignore[no-untyped-def]
    from frictionscan.core.model import ErrorKind
    from frictionscan.testing import run_scan

    result = run_scan(planted_repo)
    broken = [e for e in result.errors if e.path == "src/app/broken.py"]
    assert [e.kind for e in broken] == [ErrorKind.PARSE]


def test_rules_command_lists_every_rule() -> None:
    from test_cli import run

    code, out, _ = run("rules")
    assert code == 0
    for rule in BUILTIN_RULES:
        assert rule.CODE in out
    assert "FS901" in out and "core" in out
    assert "unsafe" in out and "safe" in out
