"""The shipped CI integrations are valid for the systems that read them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples" / "ci"


def check(schema: str, path: Path) -> None:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent /
                                                  "check-jsonschema")
    if not Path(exe).exists():
        pytest.skip("check-jsonschema is not installed (it is in the test extra)")
    proc = subprocess.run([exe, "--builtin-schema", schema, str(path)], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_github_action_is_valid() -> None:
    check("vendor.github-actions", ROOT / "action.yml")


def test_github_workflow_example_is_valid() -> None:
    check("vendor.github-workflows", EXAMPLES / "github-workflow.yml")


def test_gitlab_example_is_valid() -> None:
    check("vendor.gitlab-ci", EXAMPLES / "gitlab-ci.yml")


def test_pre_commit_hook_definition() -> None:
    import yaml  # pyyaml comes with check-jsonschema's dependencies or ruamel

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert hook["entry"].startswith("frictionscan ci --base HEAD --head WORKTREE")


def test_docs_show_every_integration() -> None:
    doc = (ROOT / "docs" / "ci.md").read_text()
    for path in (EXAMPLES / "github-workflow.yml", EXAMPLES / "gitlab-ci.yml",
                 ROOT / ".pre-commit-hooks.yaml"):
        assert path.read_text().strip() in doc, f"{path.name} differs from docs/ci.md"


# -- the GitHub Action's steps (issue #17) --------------------------------------------------

def action_steps() -> dict[str, dict[str, object]]:
    import yaml

    steps = yaml.safe_load((ROOT / "action.yml").read_text())["runs"]["steps"]
    return {str(s.get("id") or s.get("name") or s.get("uses")): s for s in steps}


def run_step(step: dict[str, object], tmp_path: Path, **env: str) -> list[list[str]]:
    """Run a step's script with bash, a fake `python` recording its arguments, in a
    directory where `tests/**` would match files if the shell globbed it."""
    import os
    import stat

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "python"
    fake.write_text('#!/bin/sh\nprintf "%s\\0" "$@" >> "$RUNNER_TEMP/calls"\n'
                    'printf "\\n" >> "$RUNNER_TEMP/calls"\n'
                    'printf "%s\\n" "${GITHUB_STEP_SUMMARY-unset}" >> "$RUNNER_TEMP/summaries"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    work = tmp_path / "checkout"
    (work / "tests" / "unit").mkdir(parents=True, exist_ok=True)
    (work / "tests" / "unit" / "test_x.py").write_text("")
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    full = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "RUNNER_TEMP": str(temp),
            "GITHUB_OUTPUT": str(temp / "output"), "GITHUB_STEP_SUMMARY": str(temp / "summary"),
            **env}
    subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                    str(step["run"])], cwd=work, env=full, check=True)
    calls = (temp / "calls").read_text().split("\n")
    return [c.split("\0")[:-1] for c in calls if c]


def test_the_action_passes_arguments_as_written_never_globbed(tmp_path: Path) -> None:
    steps = action_steps()
    report = str(tmp_path / "runner-temp" / "frictionscan-comment.md")
    env = {"FAIL_ON": "complexity-increase", "EXTRA_ARGS": "--top 20\n--exclude tests/**",
           "ARGUMENTS": "--exclude\nsrc/a b/**\n\n", "REPORT": report}
    (call,) = run_step(steps["scan"], tmp_path, **env)
    extra = ["--top", "20", "--exclude", "tests/**", "--exclude", "src/a b/**"]
    assert call == ["-I", "-m", "frictionscan", "ci", "--format", "markdown", "--output",
                    report, "--fail-on", "complexity-increase", *extra]
    sarif = str(tmp_path / "runner-temp" / "frictionscan.sarif")
    calls = run_step(steps["sarif"], tmp_path, SARIF=sarif)
    assert calls[-1] == ["-I", "-m", "frictionscan", "ci", "--format", "sarif", "--output",
                         sarif, *extra]
    # the SARIF run does not add the report to the job summary a second time
    summaries = (tmp_path / "runner-temp" / "summaries").read_text().splitlines()
    assert summaries[0].endswith("summary") and summaries[1] == ""


def test_the_action_without_extra_arguments(tmp_path: Path) -> None:
    steps = action_steps()
    report = str(tmp_path / "r.md")
    (call,) = run_step(steps["scan"], tmp_path, FAIL_ON="", EXTRA_ARGS="", ARGUMENTS="",
                       REPORT=report)
    assert call == ["-I", "-m", "frictionscan", "ci", "--format", "markdown", "--output",
                    report]
    calls = run_step(steps["sarif"], tmp_path, SARIF=str(tmp_path / "s.sarif"))
    assert calls[-1][-1] == str(tmp_path / "s.sarif")  # no empty argument


def test_the_action_never_fails_on_the_comment_and_skips_it_for_forks() -> None:
    steps = action_steps()
    comment = steps["Create or update the sticky comment"]
    assert comment["continue-on-error"] is True
    fork = "github.event.pull_request.head.repo.full_name"
    assert f"{fork} == github.repository" in str(comment["if"])
    notice = steps["Say where the report is on a fork's pull request"]
    assert f"{fork} != github.repository" in str(notice["if"])
    assert "job summary" in str(notice["run"])
    # the job fails on the policy alone: the last step reads only the scan's exit code
    last = list(steps.values())[-1]
    assert last["run"] == 'exit "$CODE"'
    assert last["env"] == {"CODE": "${{ steps.scan.outputs.exit-code }}"}
    upload = steps["Upload the SARIF report to code scanning"]
    assert str(upload["uses"]).startswith("github/codeql-action/upload-sarif@")
    assert upload["continue-on-error"] is True
    assert upload["if"] == "steps.sarif.outputs.written == 'true'"
    cache = steps["Cache pip's downloads"]
    assert str(cache["uses"]).startswith("actions/cache@")
    install = steps["Install frictionscan"]
    assert install["env"]["PIP_CACHE_DIR"] == cache["with"]["path"]  # type: ignore[index]
    for step in steps.values():  # every Python runs isolated (docs/ci.md)
        assert "python -m" not in str(step.get("run", "")), step


def test_the_gitlab_example_updates_one_note_found_by_its_marker(tmp_path: Path) -> None:
    """The example's script against a fake GitLab: a note with the marker is updated in
    place, other notes are left alone; without one, a note is created."""
    import json
    import os
    import re
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import yaml

    job = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text())["frictionscan"]
    (script,) = [s for s in job["script"] if "<<'EOF'" in s]
    code = script.split("<<'EOF'", 1)[1].split("\n", 1)[1].rsplit("EOF", 1)[0]
    notes = [{"id": 1, "body": "LGTM"}] + [{"id": i, "body": "chatter"} for i in range(2, 120)]
    notes.insert(105, {"id": 500, "body": "<!-- frictionscan -->\nold"})
    seen: list[tuple[str, str, object]] = []

    class GitLab(BaseHTTPRequestHandler):
        def _reply(self, doc: object) -> None:
            data = json.dumps(doc).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            page = int(re.search(r"[?&]page=(\d+)", self.path).group(1))  # type: ignore[union-attr]
            assert self.headers["PRIVATE-TOKEN"] == "secret"
            seen.append(("GET", self.path, None))
            self._reply(notes[(page - 1) * 100:page * 100])

        def _write(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.command, self.path.split("?")[0], body))
            self._reply({"id": 999})

        do_PUT = do_POST = _write  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), GitLab)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (tmp_path / "frictionscan.md").write_text("<!-- frictionscan -->\nnew", encoding="utf-8")
        env = {**os.environ, "CI_API_V4_URL": f"http://127.0.0.1:{server.server_port}/api/v4",
               "CI_PROJECT_ID": "7", "CI_MERGE_REQUEST_IID": "42",
               "FRICTIONSCAN_TOKEN": "secret"}
        subprocess.run([sys.executable, "-I", "-"], input=code, text=True, cwd=tmp_path,
                       env=env, check=True)
        writes = [s for s in seen if s[0] != "GET"]
        assert writes == [("PUT", "/api/v4/projects/7/merge_requests/42/notes/500",
                           {"body": "<!-- frictionscan -->\nnew"})]
        del notes[105]  # no note of ours yet: one is created
        seen.clear()
        subprocess.run([sys.executable, "-I", "-"], input=code, text=True, cwd=tmp_path,
                       env=env, check=True)
        writes = [s for s in seen if s[0] != "GET"]
        assert writes == [("POST", "/api/v4/projects/7/merge_requests/42/notes",
                           {"body": "<!-- frictionscan -->\nnew"})]
    finally:
        server.shutdown()
