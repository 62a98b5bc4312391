"""Built-in plugin *kinds*: what each file is, from the conventions of Python projects.

Each kind is ranked on its own (tests never dilute the ranking of product code) and the
``kinds`` option chooses which rankings a report shows, product code by default
(docs/cli.md#kinds-of-files). The conventions are those of the time-travel evaluation the
ranking is judged by (``shared/eval``: its "target files" are this plugin's product files),
plus root-level modules, which a single-module project ships:

* ``test``: a ``test``, ``tests``, ``testing`` or test-data directory anywhere in the path,
  or a file named ``test_*.py``, ``*_test.py``, ``*_tests.py`` or ``conftest.py``;
* ``docs``: documentation, examples and benchmarks (``doc``, ``docs``, ``example(s)``,
  ``gallery``, ``demo(s)``, ``bench``, ``benchmark(s)``, ``profiling`` anywhere in the path);
* ``vendored``: ``_vendor``, ``vendor``, ``vendored``, ``third_party``, ``thirdparty``
  anywhere in the path (most are excluded by default anyway, ``default_excludes``);
* ``tooling``: build, release and developer scripts: a top-level ``scripts``, ``tools``,
  ``ci``, ``bin``, ``misc``, ``utils``, ``contrib``, ``release``... directory, and the usual
  files at the root (``setup.py``, ``noxfile.py``, ``tasks.py``...; ``kind.root_tooling``);
* ``product``: everything else.

Every list is an option under ``[tool.frictionscan.kind]`` (globs, matched like
``include``); ``kind.product`` names files that are product code whatever else matches.
The engine makes a file ``generated`` when its first lines say so (``@generated``, ``DO NOT
EDIT``...), whatever this plugin said.
"""

from __future__ import annotations

from frictionscan.api import Config, OptionParser, SourceFile, globs, hookimpl, match_any

__version__ = "0.1.0"

_ANYWHERE = "**/{}/**"

#: Default globs per kind, in the order they are tried (the first that matches wins).
DEFAULTS: dict[str, tuple[str, ...]] = {
    "vendored": tuple(_ANYWHERE.format(d) for d in (
        "_vendor", "vendor", "vendored", "third_party", "thirdparty")),
    "test": (*(_ANYWHERE.format(d) for d in (
        "test", "tests", "testing", "test-data", "test_data", "testdata")),
        "**/test_*.py", "**/*_test.py", "**/*_tests.py", "**/conftest.py"),
    "docs": tuple(_ANYWHERE.format(d) for d in (
        "doc", "docs", "example", "examples", "gallery", "demo", "demos", "bench",
        "benchmark", "benchmarks", "profiling")),
    "tooling": tuple(f"{d}/**" for d in (
        "scripts", "script", "tools", "tool", "misc", "utils", "extra", "ci", "action",
        "build-project", "release", "bin", "contrib", ".github")),
}

#: Files at the repository's root that are tooling (a root-level module of another name
#: is product code: single-module projects ship one).
ROOT_TOOLING = ("setup.py", "noxfile.py", "tasks.py", "fabfile.py", "dodo.py", "pavement.py",
                "runtests.py", "manage.py", "hatch_build.py", "build.py")


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    for kind, default in DEFAULTS.items():
        parser.addoption(f"kind.{kind}", type=list, default=list(default), validate=globs,
                         help=f"globs of the files that are {kind} code (replaces the "
                              f"defaults; docs/cli.md#kinds-of-files)")
    parser.addoption("kind.root_tooling", type=list, default=list(ROOT_TOOLING),
                     help="names of files at the repository's root that are tooling")
    parser.addoption("kind.product", type=list, default=[], validate=globs,
                     help="globs of files that are product code whatever else matches")


@hookimpl(trylast=True)
def frictionscan_file_kind(file: SourceFile, config: Config) -> str:
    path = file.path
    if match_any(path, config.getoption("kind.product", [])):
        return "product"
    for kind, default in DEFAULTS.items():
        if match_any(path, config.getoption(f"kind.{kind}", default)):
            return kind
    if "/" not in path and path in config.getoption("kind.root_tooling", ROOT_TOOLING):
        return "tooling"
    return "product"
