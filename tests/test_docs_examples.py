"""The examples in the README and the docs are what the commands print (issue #19): each is
run on a fixture repository here and compared with its documented output, so that they
cannot drift. ``python tests/test_docs_examples.py`` rewrites them after a deliberate change
of output."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

#: The file the fix example is about: an ``else`` after ``return`` worth flattening.
FIX_SOURCE = '''\
"""Prices."""


def unit_price(item, catalogue):
    """The price of one ``item``, from the catalogue when it has one."""
    if item.sku in catalogue:
        return catalogue[item.sku]
    else:
        # no catalogue entry: the list price, less the item's discount
        base = item.list_price
        discount = base * item.discount
        return base - discount
'''


def _run(args: list[str], cwd: Path, *, stderr_too: bool = False) -> str:
    from frictionscan.cli import main

    out, err = io.StringIO(), io.StringIO()
    old, columns = os.getcwd(), os.environ.pop("COLUMNS", None)
    os.chdir(cwd)
    try:
        code = main(args, stdout=out, stderr=err)
    finally:
        os.chdir(old)
        if columns is not None:
            os.environ["COLUMNS"] = columns
    assert code == 0, err.getvalue()
    return out.getvalue() + (err.getvalue() if stderr_too else "")


def planted(dest: Path) -> Path:
    from frictionscan.testing import build_repo

    return build_repo(ROOT / "fixtures" / "repos" / "planted.fi", dest)


def fix_repo(dest: Path) -> Path:
    from frictionscan.testing import StreamBuilder, build_repo

    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add pricing", {"src/shop/pricing.py": FIX_SOURCE})
    return build_repo(s.text(), dest)


#: (document, the command line as documented, how to build its repository, the arguments,
#: whether standard error is shown after standard output)
EXAMPLES: list[tuple[str, str, Callable[[Path], Path], list[str], bool]] = [
    ("README.md", "$ frictionscan scan --top 3", planted, ["scan", "--top", "3"], False),
    ("docs/cli.md", "$ frictionscan scan --top 2 --why", planted,
     ["scan", "--top", "2", "--why"], False),
    ("docs/planning.md", "$ cd src && frictionscan explain app/engine.py",
     lambda dest: planted(dest) / "src", ["explain", "app/engine.py"], False),
    ("docs/fixes.md",
     "$ frictionscan fix                        # show what would change, as a unified diff",
     fix_repo, ["fix"], True),
]


def documented(text: str, command: str) -> tuple[int, int]:
    """Where the output of ``command`` is in ``text``: the lines after it up to the next
    command or the end of the code block (start and end offsets)."""
    start = text.index(command + "\n") + len(command) + 1
    end = start
    for line in text[start:].splitlines(keepends=True):
        if line.startswith(("$ ", "```")):
            break
        end += len(line)
    return start, end


def normal(output: str) -> str:
    """Lines without trailing blanks (rich pads the title line; editors strip it)."""
    return "".join(line.rstrip() + "\n" for line in output.splitlines())


def test_the_documented_outputs_are_what_the_commands_print(tmp_path: Path) -> None:
    for n, (doc, command, build, args, stderr_too) in enumerate(EXAMPLES):
        repo = build(tmp_path / f"repo{n}")
        text = (ROOT / doc).read_text()
        start, end = documented(text, command)
        actual = normal(_run(args, repo, stderr_too=stderr_too))
        assert text[start:end] == actual, (
            f"{doc}: the example of `{command[2:].split('  ')[0]}` is stale; run "
            f"`python tests/test_docs_examples.py` to rewrite it")


def regenerate() -> None:
    import tempfile

    sys.path.insert(0, str(ROOT))
    from frictionscan.testing import git_env

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(git_env(Path(tmp) / "home"))
        os.environ["FRICTIONSCAN_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        for n, (doc, command, build, args, stderr_too) in enumerate(EXAMPLES):
            repo = build(Path(tmp) / f"repo{n}")
            path = ROOT / doc
            text = path.read_text()
            start, end = documented(text, command)
            path.write_text(text[:start] + normal(_run(args, repo, stderr_too=stderr_too))
                            + text[end:])
            print(f"rewrote the example of {command.split('  ')[0]!r} in {doc}")


if __name__ == "__main__":
    regenerate()
