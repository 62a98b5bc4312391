"""The hook reference in Markdown, generated from the hookspec docstrings.

``frictionscan hooks`` prints it; docs/hooks.md is this text, and a test fails when they differ.
"""

from __future__ import annotations

import inspect
import re

import pluggy

HEADER = """# Hook reference

Generated from the hook specifications by `frictionscan hooks`; do not edit by hand (a test
compares this file with the specifications). Implement a hook with `@hookimpl` (from
`frictionscan.api`) on a function of the same name in your plugin module; accept any subset
of the arguments.

"""


def _signature(func: object) -> str:
    sig = inspect.signature(func)  # type: ignore[arg-type]
    params = ", ".join(sig.parameters)
    return f"{getattr(func, '__name__', '?')}({params})"


def _typed_signature(func: object) -> str:
    sig = inspect.signature(func)  # type: ignore[arg-type]
    params = ",\n    ".join(
        f"{name}: {p.annotation}" if p.annotation is not inspect.Parameter.empty else name
        for name, p in sig.parameters.items())
    ret = f" -> {sig.return_annotation}" if sig.return_annotation is not sig.empty else ""
    body = f"\n    {params},\n" if params else ""
    return f"def {getattr(func, '__name__', '?')}({body}){ret}: ..."


def rst_to_markdown(text: str) -> str:
    """The reStructuredText bits of a docstring, as Markdown."""
    text = re.sub(r":(?:class|func|mod|ref|attr|meth):`~(?:[\w.]+\.)?([^`]+)`", r"`\1`", text)
    text = re.sub(r":(?:class|func|mod|ref|attr|meth):`([^`]+)`", r"`\1`", text)
    text = re.sub(r"``([^`]+)``", r"`\1`", text)
    text = re.sub(r"^:param (\w+): ", r"- `\1`: ", text, flags=re.M)
    text = re.sub(r"^:returns?: ", r"- returns: ", text, flags=re.M)
    text = re.sub(r"^\.\. versionadded:: (\S+)", r"*New in \1.*", text, flags=re.M)
    text = re.sub(r"^\.\. versionchanged:: (\S+)", r"*Changed in \1:*", text, flags=re.M)
    return text


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
    specs.sort(key=lambda s: (s[0] != "frictionscan.plugin.hookspecs", s[0], s[1]))
    from frictionscan.plugin import hookspecs

    conventions = inspect.cleandoc(hookspecs.__doc__ or "").split("\n\n", 1)[-1]
    out = [HEADER, rst_to_markdown(conventions).strip() + "\n\n"]
    for module, _, _name, func, opts in specs:
        kinds = [k for k in ("firstresult", "historic") if opts.get(k)]
        kind = ", ".join(kinds) if kinds else "collects all results"
        out.append(f"## `{_signature(func)}`\n\n")
        out.append(f"*{kind}; defined in `{module}`*\n\n")
        out.append(f"```python\n{_typed_signature(func)}\n```\n\n")
        doc = inspect.cleandoc(func.__doc__ or "").strip()
        out.append(rst_to_markdown(doc) + "\n\n")
    return "".join(out).rstrip() + "\n"
