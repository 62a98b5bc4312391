"""A repository, or a pull request, must never make frictionscan run its code; and a scan
that is killed must not leave its workers behind (issue #12).

The hostile repository holds a module named after every library frictionscan imports
(third-party and standard library, also those imported lazily, in workers or only for one
output format). Each one, if imported, leaves a marker file; every entry point is run with the
repository as its current directory and must succeed without leaving any.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from frictionscan.testing import StreamBuilder, build_repo

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CONSOLE_SCRIPT = Path(sys.executable).parent / "frictionscan"

#: Libraries frictionscan and its plugins import (with their own dependencies).
THIRD_PARTY = ("pluggy", "radon", "git", "gitdb", "smmap", "libcst", "rich", "pygments",
               "markdown_it", "jinja2", "markupsafe", "tomli", "tomlkit", "yaml", "matplotlib",
               "numpy", "pip")
#: Standard-library modules frictionscan imports after ``python -m`` has set up sys.path
#: (Python's own start-up imports, such as ``os`` or ``runpy``, come before any of our code),
#: and those multiprocessing imports in a new interpreter.
STDLIB = ("__future__", "typing", "json", "sqlite3", "tomllib", "tempfile", "dataclasses",
          "argparse", "subprocess", "threading", "hashlib", "csv", "difflib", "ast", "tokenize",
          "signal", "ctypes", "multiprocessing", "pickle", "socket", "selectors", "struct",
          "inspect", "enum", "html", "random", "string", "calendar", "datetime", "pathlib",
          "shutil", "textwrap", "traceback", "fnmatch", "gettext")
#: Shadowed as packages (a directory with ``__init__.py``) rather than as modules.
AS_PACKAGE = ("rich", "yaml", "multiprocessing")

APP = "def route(value, mode):\n    if value and mode:\n        return 1\n    return 2\n"
WORSE = ("def route(value, mode, items=[]):\n    if value and mode and items:\n"
         "        return 1\n    try:\n        pass\n    except Exception:\n        pass\n"
         "    return 2\n")


def shadow(name: str, markers: Path) -> str:
    return f"open({str(markers / name)!r}, 'a').close()  # imported: the repository ran\n"


@pytest.fixture(scope="module")
def markers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("markers")


@pytest.fixture(autouse=True)
def _no_markers_yet(markers: Path) -> None:
    for marker in markers.iterdir():
        marker.unlink()


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory: pytest.TempPathFactory, markers: Path) -> Path:
    """A repository (checked out on the branch ``feature``, based on ``main``) whose top
    level shadows every module frictionscan might import."""
    files: dict[str, str | bytes | None] = {f"app/mod{i}.py": APP for i in range(8)}
    files["app/__init__.py"] = ""
    for name in THIRD_PARTY + STDLIB:
        path = f"{name}/__init__.py" if name in AS_PACKAGE else f"{name}.py"
        files[path] = shadow(name, markers)
    s = StreamBuilder()
    s.commit("2025-01-02", "initial", files)
    s.commit("2025-02-03", "more routes", {"app/mod1.py": APP + "\n\ndef g():\n    pass\n"})
    s.commit("2025-03-04", "worse", {"app/mod2.py": WORSE}, branch="feature")
    return build_repo(s.text(), tmp_path_factory.mktemp("hostile") / "repo", branch="feature")


def clean_env(**extra: str) -> dict[str, str]:
    """The tests' environment without anything that would hide the problem."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONSAFEPATH", "PYTHONSTARTUP")
           and not k.startswith("GITHUB_")}
    env.update(extra)
    return env


def run_in(cwd: Path, argv: list[str], timeout: float = 120,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env or clean_env(), capture_output=True,
                          text=True, timeout=timeout)


def assert_nothing_ran(markers: Path, proc: subprocess.CompletedProcess[str]) -> None:
    ran = sorted(p.name for p in markers.iterdir())
    assert not ran, f"imported from the repository: {ran}\n{proc.stderr[-3000:]}"
    assert proc.returncode == 0, proc.stderr[-3000:]


ENTRY_POINTS = {"python -m": [PYTHON, "-m", "frictionscan"],
                "console script": [str(CONSOLE_SCRIPT)]}
COMMANDS = {
    "scan": ["scan", "--jobs", "2", "--no-cache", "-f", "json"],
    "plan html": ["plan", "-f", "html", "--jobs", "2", "--no-cache", "-o", "{out}/plan.html"],
    "explain": ["explain", "app/mod2.py", "--no-cache", "-f", "json"],
    "ci": ["ci", "--base", "main", "--format", "markdown", "--jobs", "2", "--no-cache"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_the_repository_is_never_imported_from(hostile_repo: Path, markers: Path,
                                               tmp_path: Path, entry: str,
                                               command: str) -> None:
    """``python -m`` puts the current directory first on sys.path: a repository's
    ``pluggy.py`` replaced the real pluggy (issue #12, case 1). Workers really run (two of
    them, no cache)."""
    if entry == "console script" and not CONSOLE_SCRIPT.exists():
        pytest.skip("the console script is not installed next to this interpreter")
    args = [a.format(out=tmp_path) for a in COMMANDS[command]]
    proc = run_in(hostile_repo, ENTRY_POINTS[entry] + args)
    assert_nothing_ran(markers, proc)
    assert proc.stdout or (tmp_path / "plan.html").stat().st_size > 1000


DRIVER = '''
import sys

if __name__ == "__main__":
    import multiprocessing

    multiprocessing.set_start_method(sys.argv[1])
    try:
        import frictionscan.engine.isolation
    except ImportError:  # before the fix
        pass
    else:
        frictionscan.engine.isolation.SAFE_PATH_ENV = sys.argv[2] == "env"
    from frictionscan.cli import main

    raise SystemExit(main(sys.argv[3:]))
'''

PROBE = '''
import json
import os
import sys

import frictionscan


@frictionscan.hookimpl
def frictionscan_measure_file(file):
    if file.path.startswith("app/"):
        with open(os.path.join({out!r}, str(os.getpid())), "w") as f:
            json.dump({{"cwd": os.getcwd(), "safe": os.environ.get("PYTHONSAFEPATH"),
                        "path": sys.path}}, f)
'''


@pytest.mark.parametrize("way", ["env", "chdir"])
@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_spawned_workers_start_with_a_clean_path(hostile_repo: Path, markers: Path,
                                                 tmp_path: Path, method: str, way: str) -> None:
    """``spawn`` and ``forkserver`` (macOS's default, and Linux's from Python 3.14) start a new
    interpreter with ``python -c``, whose sys.path starts with the current directory while
    multiprocessing imports pickle, socket, threading...; the workers then get their
    environment and current directory back. ``chdir`` is what Python 3.10 does (it has no
    PYTHONSAFEPATH), forced here on any version."""
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method on this platform")
    if way == "env" and sys.version_info < (3, 11):
        pytest.skip("PYTHONSAFEPATH is new in Python 3.11")
    driver, probes = tmp_path / "driver", tmp_path / "probes"
    driver.mkdir()
    probes.mkdir()
    (driver / "run.py").write_text(DRIVER)
    (driver / "probe_plugin.py").write_text(PROBE.format(out=str(probes)))
    proc = run_in(hostile_repo, [PYTHON, str(driver / "run.py"), method, way, "scan",
                                 "--jobs", "2", "--no-cache", "-f", "json",
                                 "-p", "probe_plugin"],
                  env=clean_env(PYTHONPATH=str(driver)))
    assert_nothing_ran(markers, proc)
    seen = [json.loads(p.read_text()) for p in probes.iterdir()]
    assert seen, "no worker analysed anything"
    for worker in seen:  # as the parent had them
        assert Path(worker["cwd"]).resolve() == hostile_repo.resolve()
        assert worker["safe"] is None
        assert "" not in worker["path"]


def test_an_installed_plugin_given_with_p_does_not_open_the_repository(
        hostile_repo: Path, markers: Path, tmp_path: Path) -> None:
    """``-p MODULE`` put the current directory first on sys.path even when MODULE is
    installed: run from the repository, everything imported afterwards (libcst, json...)
    came from it. Now only a module found nowhere else adds the directory."""
    (tmp_path / "probe_plugin.py").write_text(PROBE.format(out=str(tmp_path)))
    entry = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [PYTHON, "-m", "frictionscan"]
    proc = run_in(hostile_repo, entry + ["scan", "--jobs", "2", "--no-cache", "-f", "json",
                                         "-p", "probe_plugin"],
                  env=clean_env(PYTHONPATH=str(tmp_path)))
    assert_nothing_ran(markers, proc)
    assert list(tmp_path.glob("[0-9]*")), "the plugin ran in no worker"  # (one or both)


def test_a_local_plugin_given_with_p_still_loads_from_the_current_directory(
        tmp_path: Path) -> None:
    """-p MODULE is the user's explicit choice: it still imports from the current directory
    under ``python -m``."""
    (tmp_path / "localplug.py").write_text(textwrap.dedent('''
        import frictionscan

        @frictionscan.hookimpl
        def frictionscan_measure_file(file):
            return None
    '''))
    proc = run_in(tmp_path, [PYTHON, "-m", "frictionscan", "plugins", "-p", "localplug"])
    assert proc.returncode == 0, proc.stderr
    assert "localplug" in proc.stdout


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_local_plugin_from_the_repository_does_not_let_its_neighbours_shadow_libraries(
        hostile_repo: Path, markers: Path, tmp_path: Path, entry: str) -> None:
    """``-p localplug`` run from a repository puts the directory on sys.path to find the
    plugin: at the end, so that the repository's ``rich.py`` or ``json.py`` never replaces
    the real module (the directory used to go first)."""
    if entry == "console script" and not CONSOLE_SCRIPT.exists():
        pytest.skip("no console script in this environment")
    repo = tmp_path / "repo"
    shutil.copytree(hostile_repo, repo, symlinks=True)
    out = tmp_path / "probes"
    out.mkdir()
    (repo / "localplug.py").write_text(PROBE.format(out=str(out)))
    proc = run_in(repo, ENTRY_POINTS[entry] + ["scan", "--jobs", "2", "--no-cache", "-f",
                                               "json", "-p", "localplug"])
    assert_nothing_ran(markers, proc)
    assert list(out.glob("[0-9]*")), "the plugin ran in no worker"


# --- the GitHub Action (issue #12, case 2) ----------------------------------------------


PYTHON_CALL = re.compile(r"(?<![\w/.$-])python3?(?:\s+\S+)?")


def runs_python(script: str) -> bool:
    """Whether a step's script runs Python (or frictionscan's console script)."""
    return bool(PYTHON_CALL.search(script)) or any(
        line.strip().startswith("frictionscan ") for line in script.splitlines())


def _expression(text: str, values: dict[str, str]) -> str:
    """``${{ name }}`` replaced from ``values``; anything else is a failure of the test."""
    out, rest = "", text
    while "${{" in rest:
        head, _, tail = rest.partition("${{")
        expr, _, rest = tail.partition("}}")
        assert expr.strip() in values, f"cannot emulate ${{{{{expr}}}}} in action.yml"
        out += head + values[expr.strip()]
    return out + rest


def test_the_action_never_runs_code_from_the_pull_request(hostile_repo: Path, markers: Path,
                                                          tmp_path: Path) -> None:
    """Every step of action.yml that runs Python, run as the runner would (bash, the working
    directory in the checked-out pull request unless the step says otherwise), in a checkout
    that also holds ``pip.py`` and ``frictionscan.py``: nothing of it may run."""
    workspace = tmp_path / "workspace"
    shutil.copytree(hostile_repo, workspace, symlinks=True)
    (workspace / "frictionscan.py").write_text(shadow("frictionscan", markers))
    action_path, runner_temp = tmp_path / "action", tmp_path / "runner-temp"
    action_path.mkdir()  # nothing installable: pip runs, fails at once, and needs no network
    runner_temp.mkdir()
    output = tmp_path / "github-output"
    output.touch()
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    values = {f"inputs.{name}": str(spec.get("default", ""))
              for name, spec in action["inputs"].items()}
    values["inputs.args"] = "--base main --jobs 2 --no-cache"
    values.update({"github.action_path": str(action_path), "runner.temp": str(runner_temp),
                   "github.workspace": str(workspace)})
    venv_bin = str(Path(PYTHON).parent)
    ran = []
    for step in action["runs"]["steps"]:
        script = step.get("run", "")
        if not runs_python(script):
            continue
        env = clean_env(PATH=venv_bin + os.pathsep + os.environ["PATH"],
                        GITHUB_OUTPUT=str(output), GITHUB_WORKSPACE=str(workspace),
                        RUNNER_TEMP=str(runner_temp))
        env.update({k: _expression(str(v), values) for k, v in step.get("env", {}).items()})
        cwd = Path(_expression(step.get("working-directory", str(workspace)), values))
        assert step["shell"] == "bash"
        proc = run_in(cwd, ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                            _expression(script, values)], env=env)
        ran.append((step["name"], proc))
    names = [name for name, _ in ran]
    assert len(ran) >= 2, f"the install and the scan steps were not found: {names}"
    install, scan = ran[0][1], dict(ran)["Compare the pull request with its base"]
    assert not sorted(p.name for p in markers.iterdir()), \
        "\n".join(f"{name}: {proc.stderr[-2000:]}" for name, proc in ran)
    assert str(action_path) in install.stderr, install.stderr  # pip really ran, on the action
    assert "exit-code=" in output.read_text(), scan.stderr
    assert (runner_temp / "frictionscan-comment.md").read_text().startswith("<!-- frictionscan")
    assert json.loads((runner_temp / "frictionscan.sarif").read_text())["version"] == "2.1.0"


# --- workers die with their parent (issue #12, case 3) ------------------------------------


SLEEPY = '''
import os
import time

import frictionscan


@frictionscan.hookimpl
def frictionscan_measure_file(file):
    if file.path.startswith("app/"):  # not the warm-up file
        open(os.path.join({out!r}, str(os.getpid())), "w").close()
        time.sleep(300)
'''

NO_PDEATHSIG = '''
import contextlib
import sys

with contextlib.suppress(ImportError):  # (before the fix)
    import frictionscan.engine.isolation

    frictionscan.engine.isolation._kill_with_parent = lambda: None  # inherited by forked workers
from frictionscan.cli import main

raise SystemExit(main(sys.argv[1:]))
'''


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"  # a zombie is dead, only not reaped


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("how", ["default", "without PR_SET_PDEATHSIG"])
def test_workers_die_with_a_killed_scan(hostile_repo: Path, tmp_path: Path, how: str) -> None:
    """kill -9 of the scan (a CI timeout, the OOM killer) left its workers running for good.
    Each worker here sleeps in a plugin hook; once both are busy the parent is killed."""
    pids = tmp_path / "pids"
    pids.mkdir()
    (tmp_path / "sleepy_plugin.py").write_text(SLEEPY.format(out=str(pids)))
    (tmp_path / "no_pdeathsig.py").write_text(NO_PDEATHSIG)
    if how == "default":
        head = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [PYTHON, "-m", "frictionscan"]
    else:  # the portable way alone (with fork, each worker also holds its elders' sentinels)
        head = [PYTHON, str(tmp_path / "no_pdeathsig.py")]
    argv = head + ["scan", str(hostile_repo), "-p", "sleepy_plugin", "--jobs", "2",
                   "--no-cache", "-f", "json"]
    proc = subprocess.Popen(argv, cwd=tmp_path, env=clean_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(list(pids.iterdir())) < 2 and proc.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [int(p.name) for p in pids.iterdir()]
        assert len(workers) == 2, proc.stderr.read().decode() if proc.poll() is not None \
            else "the workers did not start"
        assert all(_parent(w) == proc.pid for w in workers)
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "workers outlived their killed parent"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the process group
        proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()


def test_action_runs_python_isolated() -> None:
    """The static half of the action's check: each ``python`` it runs is isolated (-I), so a
    module in the checkout cannot replace pip or frictionscan whatever the directory; and
    frictionscan itself is not run through a console script on PATH."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    scripts = [step.get("run", "") for step in action["runs"]["steps"]]
    calls = [m.group(0) for script in scripts for m in PYTHON_CALL.finditer(script)]
    assert len(calls) >= 2, calls
    assert all(call.split()[1:] == ["-I"] for call in calls), calls
    assert not [line for script in scripts for line in script.splitlines()
                if line.strip().startswith("frictionscan ")]


def test_a_repository_config_cannot_send_the_cache_outside_the_repository(
        tmp_path: Path) -> None:
    """``cache_dir = "/etc"`` in a repository's own configuration would make frictionscan
    write (as whoever runs it) outside the checkout: refused with one line, exit 2. A
    ``--config`` file outside the repository may put it anywhere."""
    from test_cli import assert_one_line_error, run

    from frictionscan.core.errors import ExitCode

    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", {"app.py": "def f(x):\n    return x\n"})
    repo = build_repo(s.text(), tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    for setting in (str(elsewhere), "../elsewhere", "~/somewhere"):
        (repo / ".frictionscan.toml").write_text(f'cache_dir = "{setting}"\n')
        for args in (("scan", str(repo), "-f", "json"), ("cache", "clear", str(repo))):
            code, out, err = run(*args)
            assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "may not put the cache outside")
            assert ".frictionscan.toml" in err, (setting, args)
        assert not elsewhere.exists()
    for setting in ("xdg", ".cache/fs"):
        (repo / ".frictionscan.toml").write_text(f'cache_dir = "{setting}"\n')
        code, out, err = run("scan", str(repo), "-f", "json", "--no-cache")
        assert code == 0, err
    # a caller's own setting (the API, a benchmark) is not the repository's: anywhere
    from frictionscan.testing import run_scan

    (repo / ".frictionscan.toml").write_text('cache_dir = "/etc"\n')
    run_scan(repo, overrides={"cache_dir": str(tmp_path / "api-cache")}, cache=True)
    assert (tmp_path / "api-cache" / "frictionscan.sqlite3").exists()
    outside = tmp_path / "ci.toml"
    outside.write_text(f'cache_dir = "{elsewhere}"\n')
    code, out, err = run("scan", str(repo), "-f", "json", "--config", str(outside))
    assert code == 0, err
    assert (elsewhere / "frictionscan.sqlite3").exists()


def test_a_cache_that_cannot_be_used_is_said_on_stderr_when_the_report_goes_to_a_file(
        tmp_path: Path) -> None:
    """With ``-o FILE`` the report's warnings are in the file, where nobody looks during the
    run: they are said on standard error too (the scan still succeeds)."""
    from test_cli import run

    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", {"app.py": "def f(x):\n    return x\n",
                                           "notes.txt": "not a directory\n"})
    repo = build_repo(s.text(), tmp_path / "repo")
    (repo / ".frictionscan.toml").write_text('cache_dir = "notes.txt/cache"\n')
    code, out, err = run("scan", str(repo), "-f", "json", "-o", str(tmp_path / "o.json"))
    assert code == 0, err
    assert err.startswith("warning: cache at ") and "unusable" in err
    assert json.loads((tmp_path / "o.json").read_text())["warnings"]
