"""The hook reference in Markdown, generated from the hookspec docstrings.

``frictionscan hooks`` prints it; docs/hooks.md is this text, and a test fails when they differ.
"""

from __future__ import annotations

import inspect

import pluggy

HEADER = """# Hook reference

Generated from the hook specifications by `frictionscan hooks`; do not edit by hand (a test
compares this file with the specifications). Implement a hook with `@frictionscan.hookimpl` on
a function of the same name in your plugin module; accept any subset of the arguments.

"""


def _signature(func: object) -> str:
    sig = inspect.signature(func)  # type: ignore[arg-type]
    params = ", ".join(sig.parameters)
    return f"{getattr(func, '__name__', '?')}({params})"


def hooks_markdown(pm: pluggy.PluginManager) -> str:
    """Every hook with a specification, in declaration order, as Markdown."""
    specs = []
    for name in dir(pm.hook):
        caller = getattr(pm.hook, name)
        spec = getattr(caller, "spec", None)
        if not name.startswith("frictionscan_") or spec is None:
            continue
        func = spec.function
        line = inspect.getsourcelines(func)[1]
        specs.append((spec.namespace.__name__, line, name, func, spec.opts))
    specs.sort(key=lambda s: (s[0] != "frictionscan.hookspecs", s[0], s[1]))
    out = [HEADER]
    for module, _, _name, func, opts in specs:
        kinds = [k for k in ("firstresult", "historic") if opts.get(k)]
        kind = ", ".join(kinds) if kinds else "collects all results"
        out.append(f"## `{_signature(func)}`\n\n")
        out.append(f"*{kind}; defined in `{module}`*\n\n")
        doc = inspect.cleandoc(func.__doc__ or "").strip()
        out.append(doc + "\n\n")
    return "".join(out).rstrip() + "\n"
