"""`frictionscan backtest`: labels, metrics, and an end-to-end run with planted outcomes."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import git
from test_cli import assert_one_line_error, run

from frictionscan.core.errors import ExitCode
from frictionscan.core.model import Commit, FileChange
from frictionscan.views.backtest import capture, effort_capture, label, popt, precision_at, spearman

FIX = r"\bfix"


def commit(subject: str, *changes: FileChange, author: str = "Ada",
           parents: tuple[str, ...] = ("p",)) -> Commit:
    return Commit(sha=subject, parents=parents, author=author, email=f"{author}@x",
                  when=datetime(2026, 1, 1, tzinfo=timezone.utc), subject=subject,
                  changes=changes)


def test_labels_follow_renames_and_skip_merges_bots_and_mass_edits() -> None:
    commits = [
        commit("move", FileChange(path="new.py", old_path="old.py")),
        commit("fix crash", FileChange(path="new.py"), FileChange(path="gone.py")),
        commit("closes #12", FileChange(path="a.py")),
        commit("fix merge", FileChange(path="a.py"), parents=("p", "q")),
        commit("fix deps", FileChange(path="a.py"), author="dependabot[bot]"),
        commit("fix format", *[FileChange(path=f"f{i}.py") for i in range(30)]),
        commit("fix the docs build", FileChange(path="docs/conf.py")),
        commit("docs", FileChange(path="a.py")),
        commit("feat: fix-up the parser", FileChange(path="a.py")),
    ]
    ranked = {"old.py", "a.py", *(f"f{i}.py" for i in range(30))}
    labels = label(commits, ranked, FIX)
    assert labels.touches == {"old.py": 1, "a.py": 1}
    # a fix touching no ranked file is a fix commit all the same (it lands elsewhere); one
    # touching more than 20 ranked files is a mass edit; a feat: subject is never a fix
    assert labels.fix_commits == 3
    assert labels.excluded == {"merges": 1, "bots": 1, "mass edits": 1}


def test_metrics_on_a_known_ranking() -> None:
    fixes = {"a": 5, "b": 3, "c": 0, "d": 0, "e": 2}
    loc = {"a": 100.0, "b": 100.0, "c": 100.0, "d": 100.0, "e": 600.0}
    order = ["a", "b", "c", "d", "e"]
    assert capture(order, fixes) == 0.5  # top 20% = 1 file, 5 of 10 touches
    assert effort_capture(order, fixes, loc) == 0.8  # 200 of 1000 lines: a and b
    assert precision_at(order, fixes, 2) == 1.0
    assert popt(["a", "b", "e", "c", "d"], fixes, loc) == pytest.approx(1.0)  # by density
    assert popt(["c", "d", "e", "b", "a"], fixes, loc) == pytest.approx(0.0)  # the worst
    assert 0 < popt(order, fixes, loc) < 1
    assert spearman([5, 4, 3, 2, 1], [5, 3, 0, 0, 2]) > 0.5
    assert math.isnan(capture(order, {}))


def test_backtest_on_planted_history(planted_repo: Path) -> None:
    # cut at the end of 2025: the engine's later "Fix crash in dispatch" commits are the test
    code, out, err = run("backtest", str(planted_repo), "--at", "HEAD~9", "--horizon",
                         "6 months", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    (cut,) = doc["cuts"]
    # "Fix crash in dispatch (20)" touches engine and broken; "(24)" engine, util, billing
    # and helpers
    assert cut["summary"]["fix_commits"] == 2 and cut["summary"]["files_with_fixes"] == 5
    assert any("too few" in w for w in cut["warnings"])
    hotspot = doc["mean"]["frictionscan (hotspot order)"]
    assert hotspot["precision10"] > 0 and hotspot["top20_files"] >= 1 / 3
    assert set(doc["mean"]) >= {"lines of code", "revisions", "random (mean of 50)"}
    assert git(planted_repo, "status", "--porcelain") == ""  # nothing was checked out


def test_backtest_table_and_markdown(planted_repo: Path) -> None:
    code, out, _ = run("backtest", str(planted_repo), "--months-ago", "6", "--horizon",
                       "6 months")
    assert code == 0 and "Backtest" in out and "frictionscan" in out
    code, out, _ = run("backtest", str(planted_repo), "--months-ago", "6", "--horizon",
                       "6 months", "--format", "markdown", "--cuts", "2")
    assert "**frictionscan backtest** (mean of 2 cuts, horizon 6 months)" in out
    assert "| revisions |" in out


def test_backtest_writes_to_the_output_file(planted_repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "backtest.md"
    code, out, err = run("backtest", str(planted_repo), "--months-ago", "6", "--horizon",
                         "6 months", "--format", "markdown", "-o", str(target))
    assert code == 0, err
    assert out == "" and target.read_text().startswith("**frictionscan backtest**")


def test_backtest_bad_input(planted_repo: Path) -> None:
    code, _, err = run("backtest", str(planted_repo), "--at", "nope")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "--at 'nope' is not a commit")
    code, _, err = run("backtest", str(planted_repo), "--months-ago", "600")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "the history is too short")
    code, _, err = run("backtest", str(planted_repo), "--horizon", "soon")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "--horizon")


def test_scan_effort_order(planted_repo: Path) -> None:
    code, out, _ = run("scan", str(planted_repo), "-f", "json", "--order", "effort")
    doc = json.loads(out)
    assert doc["order"] == "effort"
    # the score is the key of the order asked for; both keys are there
    keys = [h["score"] for h in doc["hotspots"]]
    assert keys == sorted(keys, reverse=True)
    assert all(h["score"] == h["scores"]["effort"] for h in doc["hotspots"])
    assert all(h["scores"]["hotspot"] >= 0 for h in doc["hotspots"])


# -- backtest --calibrate ---------------------------------------------------------------------


def busy(k: int) -> str:
    """A small file: 20 lines."""
    return "".join(f"def step_{i}(x):\n    return x + {k}\n" for i in range(10))


def big(name: str) -> str:
    """A large file: 150 lines, no friction findings."""
    return "".join(f"def {name}_{i}(x):\n    if x > {i}:\n        return x\n    return -x\n\n\n"
                   for i in range(25))


@pytest.fixture(scope="module")
def calibration_repo(tmp_path_factory: pytest.TempPathFactory, isolated_git: None) -> Path:
    """Five small files changed all autumn and five large ones changed once, early in the
    year; after the cut (the "release" commit) every bug fix lands in a small, busy file.
    The default score ranks the large files first (size weighs more than change); change
    weighed more, and size less, finds the fixes."""
    from frictionscan.testing import StreamBuilder, build_repo

    s = StreamBuilder()
    s.commit("2025-01-05T10:00:00", "start",
             {**{f"lib/big{i}.py": big(f"big{i}") for i in range(5)},
              **{f"lib/busy{i}.py": busy(0) for i in range(5)}})
    for k in range(1, 21):
        s.commit(f"2025-09-{k:02d}T10:00:00", f"tweak {k}",
                 {f"lib/busy{i}.py": busy(k) for i in range(5)})
    s.commit("2025-11-01T10:00:00", "release", {"README.md": "release\n"})
    for k in range(25):
        i = k % 5
        s.commit(f"2025-12-{1 + k:02d}T10:00:00", f"fix crash in busy{i} ({k})",
                 {f"lib/busy{i}.py": busy(100 + k)})
    repo = build_repo(s.text(), tmp_path_factory.mktemp("calibration") / "repo")
    return repo


def test_calibrate_fits_the_weights_and_writes_them_keeping_the_file(
        calibration_repo: Path, tmp_path: Path) -> None:
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(calibration_repo, repo, symlinks=True)
    config = repo / ".frictionscan.toml"
    config.write_text('# the team\'s settings\nsince = "12 months"  # a year\n')
    cut = git(repo, "log", "--format=%H", "--grep=release").strip()
    args = ("backtest", str(repo), "--at", cut, "--horizon", "6 months", "--format", "json")
    code, out, err = run(*args, "--calibrate")
    assert code == 0, err
    doc = json.loads(out)
    fit = doc["calibration"]
    current, chosen = fit["current"], fit["chosen"]
    # the effort order is judged by its own key, whose exponents the options do not move
    effort = doc["mean"]["frictionscan (effort order)"]
    assert all(c["top20_loc"] == pytest.approx(effort["top20_loc"]) and
               c["popt"] == pytest.approx(effort["popt"]) for c in fit["candidates"])
    assert current["options"] == {"scoring.change_weight": 0.25, "scoring.fixes_weight": 0.5,
                                  "scoring.size_weight": 0.75}
    assert current["top20_files"] == 0.0  # the large files are first: no fix among them
    assert chosen["options"]["scoring.change_weight"] > 0.25 or \
        chosen["options"]["scoring.size_weight"] < 0.75
    assert chosen["top20_files"] == pytest.approx(0.4)  # two of the five fixed files
    assert fit["changed"] and fit["written_to"] == ".frictionscan.toml"
    assert any("overfitting" in w for w in fit["warnings"])  # 25 fix commits, one cut
    assert any("one cut" in w for w in fit["warnings"])
    text = config.read_text()
    assert text.startswith('# the team\'s settings\nsince = "12 months"  # a year\n')
    assert "[scoring]" in text
    # the next scan uses the weights, and says so
    code, out, err = run("scan", str(repo), "-f", "json")
    assert code == 0, err
    hot = next(h for h in json.loads(out)["hotspots"] if h["path"] == "lib/busy0.py")
    assert any("_weight)" in c["reason"] for c in hot["components"].values())
    # fitted once, a second calibration keeps them
    code, out, err = run(*args, "--calibrate")
    again = json.loads(out)["calibration"]
    assert not again["changed"] and again["written_to"] is None
    assert config.read_text() == text
    code, out, _ = run(*args[:-2], "--calibrate")  # the table says what it did
    assert "Calibration" in out and "kept the current options" in out


def test_calibrate_writes_into_pyproject_when_that_is_the_config(calibration_repo: Path,
                                                                 tmp_path: Path) -> None:
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(calibration_repo, repo, symlinks=True)
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.ruff]\nline-length = 99\n')
    cut = git(repo, "log", "--format=%H", "--grep=release").strip()
    code, out, err = run("backtest", str(repo), "--at", cut, "--horizon", "6 months",
                         "--calibrate", "--format", "markdown")
    assert code == 0, err
    assert "**Calibration**" in out and "wrote scoring." in out
    text = (repo / "pyproject.toml").read_text()
    assert text.startswith('[project]\nname = "x"\n\n[tool.ruff]\nline-length = 99\n')
    assert "[tool.frictionscan.scoring]" in text


def test_a_history_without_fixes_gives_strict_json(tmp_path: Path) -> None:
    from frictionscan.testing import StreamBuilder, build_repo

    s = StreamBuilder()
    for k in range(30):
        s.commit(f"2025-{1 + k % 12:02d}-{1 + k // 12:02d}T10:00:00", f"tweak {k}",
                 {f"a{k % 5}.py": f"def f(x):\n    if x:\n        return {k}\n"})
    repo = build_repo(s.text(), tmp_path / "repo")
    code, out, err = run("backtest", str(repo), "--months-ago", "1", "--horizon", "1 months",
                         "--calibrate", "--cuts", "1", "--format", "json")
    assert code == 0, err

    def reject(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    doc = json.loads(out, parse_constant=reject)
    assert doc["mean"]["revisions"]["top20_files"] is None
    assert doc["calibration"]["current"]["top20_files"] is None
    assert not doc["calibration"]["changed"]
    assert not (repo / ".frictionscan.toml").exists()


def test_score_weights_are_checked(planted_copy: Path) -> None:
    (planted_copy / ".frictionscan.toml").write_text("[scoring]\ncomplexity_weight = -1\n")
    code, _, err = run("scan", str(planted_copy))
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "between 0 and 3")


def test_calibration_judges_the_effort_order_by_its_own_key() -> None:
    """The effort order the scan shows is the scoring plugin's ``effort`` key, not the
    hotspot score per line; only a score without that key falls back to score per line."""
    from frictionscan.core.model import FileAnalysis, FileHistory, Hotspot, SourceFile
    from frictionscan.views.calibrate import effort_key

    analysis = FileAnalysis(file=SourceFile(path="lib/a.py"), history=FileHistory(path="lib/a.py"))
    keyed = Hotspot(analysis=analysis, score=100.0,
                    scores=(("hotspot", 100.0), ("effort", 0.5)))
    assert effort_key(keyed, 50.0) == 0.5
    plain = Hotspot(analysis=analysis, score=100.0)
    assert effort_key(plain, 50.0) == 2.0
    assert effort_key(plain, 1.0) == 10.0  # a floor of 10 lines
