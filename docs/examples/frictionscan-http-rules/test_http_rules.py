import pytest
from frictionscan_http_rules import RequestWithoutTimeout
from frictionscan_libcst import check_source
from frictionscan_libcst.fixes import fix_source

from frictionscan.testing import StreamBuilder, build_repo, run_scan


@pytest.mark.parametrize("source", RequestWithoutTimeout.VALID)
def test_valid(source):
    assert check_source(source, "app.py", [RequestWithoutTimeout]) == []


@pytest.mark.parametrize("source", RequestWithoutTimeout.INVALID)
def test_invalid(source):
    (finding,) = check_source(source, "app.py", [RequestWithoutTimeout])
    assert finding.code == "HT001" and finding.fix_available


@pytest.mark.parametrize("before,after", RequestWithoutTimeout.FIXED)
def test_fix(before, after):
    assert fix_source(before, "app.py", [RequestWithoutTimeout], None,
                      unsafe=True).source == after


def test_in_a_scan(tmp_path):
    stream = StreamBuilder()
    stream.commit("2026-01-05T10:00:00", "Add client", {
        "client.py": "import requests\n\n\ndef fetch(url):\n    return requests.get(url)\n",
    })
    repo = build_repo(stream.text(), tmp_path / "repo")

    result = run_scan(repo, modules=["frictionscan_http_rules"])

    (hotspot,) = result.hotspots
    assert [f.code for f in hotspot.analysis.findings] == ["HT001"]
