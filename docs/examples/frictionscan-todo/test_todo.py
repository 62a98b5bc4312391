from frictionscan.testing import StreamBuilder, build_repo, run_scan


def test_todo_markers_are_found(tmp_path):
    stream = StreamBuilder()
    stream.commit("2026-01-05T10:00:00", "Add app", {
        "app.py": "def handler():\n    # TODO: retry on timeout\n    return 1\n",
    })
    repo = build_repo(stream.text(), tmp_path / "repo")

    result = run_scan(repo, modules=["frictionscan_todo"],
                      overrides={"todo.effort_minutes": 30})

    (hotspot,) = result.hotspots
    assert hotspot.analysis.value("todo.count") == 1
    # the built-in rule FS116 reports the marker too; ours is TD001
    (finding,) = [f for f in hotspot.analysis.findings if f.code == "TD001"]
    assert finding.span.start_line == 2
    assert finding.effort_minutes == 30
