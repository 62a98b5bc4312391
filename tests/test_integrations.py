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
