"""The shared libcst toolkit of the public API: one parse per file, a fast read-only
traversal, and positions for the nodes a plugin reports.

Every plugin that reads libcst trees should go through :func:`parse_module`, so that a file is
parsed once per worker whatever the number of plugins (the *libcst* rules and the *radon*
plugin's fallback for syntax newer than the interpreter share one tree). Importing this
module imports libcst (0.2 s): import it where files are analysed, never at plugin import
time, so that a scan answered from the cache does not pay for it.

Why not libcst's own machinery:

libcst's own visitor machinery rebuilds every node on the way back up (it is shared with
transformers) and its ``PositionProvider`` records every node through a context manager; on
pytest's 271 files they cost 6.1 s and 15.7 s against 7.3 s for parsing itself. Rules only
read the tree, and positions are only needed for the few nodes that are reported, so:

* :func:`visit_batched` walks the dataclass fields of each node with an explicit stack and
  calls the rules' ``visit_<Node>`` / ``leave_<Node>`` methods (5x faster than
  ``libcst.visit_batched``). Parents are visited before their children and left after them,
  as in libcst; siblings come in the order of the node's dataclass fields, which is not
  always source order (a class's body before its bases), and visitors cannot prune children.
  Findings are sorted by position afterwards, so no rule output depends on that order;
* :func:`positions_of` computes the positions of the reported nodes only, by printing the
  module through a state that counts lines and records just those nodes (about the cost of
  printing the module; the full provider costs 1.5x a parse). :func:`positions` (every node)
  runs libcst's own position codegen with a cheaper line counter. Both fall back to the
  public ``MetadataWrapper`` if libcst's internals ever change, and a test checks both
  against libcst's provider.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

_FIELDS: dict[type, tuple[str, ...]] = {}
_LEAVE = object()


_NAMES: dict[type, tuple[str, ...]] = {}
#: Node types without child nodes that no built-in rule reads.
_LEAF_TOKENS = (cst.SimpleWhitespace, cst.Newline)
_NODE_TYPES: dict[type, bool] = {}


def _is_node(t: type) -> bool:
    known = _NODE_TYPES.get(t)
    if known is None:
        known = _NODE_TYPES[t] = isinstance(t, type) and issubclass(t, cst.CSTNode)
    return known


def _visitor_names(cls: type) -> tuple[str, ...]:
    """Names of the visit_/leave_ methods a visitor class defines (libcst's own
    ``get_visitors`` inspects every member of every instance: 13 s of 26 s on sphinx)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(
            n for n in dir(cls)
            if (n.startswith("visit_") or n.startswith("leave_"))
            and callable(getattr(cls, n)) and not getattr(getattr(cls, n), "_is_no_op", False))
    return names


def _fields(t: type) -> tuple[str, ...]:
    names = _FIELDS.get(t)
    if names is None:
        names = _FIELDS[t] = tuple(f.name for f in dataclasses.fields(t))
    return names


_last_parse: tuple[str, cst.Module] | None = None


def parse_module(source: str) -> cst.Module:
    """``libcst.parse_module(source)``, remembering the last result: the worker reads a file
    once and passes the same text to every plugin, so a second plugin that needs the tree of
    the same file (the *radon* plugin, for syntax newer than the interpreter's ``ast``) gets
    it without parsing again. Trees are immutable, so sharing one is safe."""
    global _last_parse
    if _last_parse is not None and _last_parse[0] is source:
        return _last_parse[1]
    module = cst.parse_module(source)
    _last_parse = (source, module)
    return module


def visit_batched(module: cst.Module, visitors: Sequence[cst.BatchableCSTVisitor],
                  before_visit: Callable[[cst.CSTNode], None] | None = None,
                  after_leave: Callable[[cst.CSTNode], None] | None = None,
                  on_error: Callable[[cst.BatchableCSTVisitor, Exception], None] | None = None
                  ) -> None:
    """Call every visitor's ``visit_*`` and ``leave_*`` methods in one depth-first walk.

    A visitor that raises is reported to ``on_error`` (or the exception propagates when there
    is none) and is not called again; the others carry on. Plain whitespace and newline
    tokens (nodes without children, half of all nodes) are walked, and passed to
    ``before_visit`` / ``after_leave``, only when a visitor has a method for them.
    """
    methods: dict[str, list[tuple[int, Callable[[Any], None]]]] = {}
    for i, v in enumerate(visitors):
        for name in _visitor_names(type(v)):
            methods.setdefault(name, []).append((i, getattr(v, name)))
    skip = frozenset(t for t in _LEAF_TOKENS
                     if f"visit_{t.__name__}" not in methods
                     and f"leave_{t.__name__}" not in methods)
    failed: set[int] = set()
    table: dict[tuple[str, type], list[tuple[int, Callable[[Any], None]]]] = {}

    def call(prefix: str, node: cst.CSTNode) -> None:
        key = (prefix, type(node))
        fns = table.get(key)
        if fns is None:
            fns = table[key] = methods.get(prefix + type(node).__name__, [])
        for i, fn in fns:
            if i in failed:
                continue
            try:
                fn(node)
            except Exception as exc:
                if on_error is None:
                    raise
                failed.add(i)
                on_error(visitors[i], exc)

    stack: list[Any] = [module]
    while stack:
        node = stack.pop()
        if node is _LEAVE:
            done = stack.pop()
            call("leave_", done)
            if after_leave is not None:
                after_leave(done)
            continue
        if before_visit is not None:
            before_visit(node)
        call("visit_", node)
        stack.append(node)
        stack.append(_LEAVE)
        children: list[cst.CSTNode] = []
        for name in _fields(type(node)):
            value = getattr(node, name)
            kind = type(value)
            if kind in (list, tuple):
                children.extend(c for c in value if _is_node(type(c)) and type(c) not in skip)
            elif kind not in skip and _is_node(kind):
                children.append(value)
        stack.extend(reversed(children))


def _fast_positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    from libcst.metadata.position_provider import PositionProvidingCodegenState

    class _State(PositionProvidingCodegenState):
        __slots__ = ()

        def _update_position(self, value: str) -> None:
            newlines = value.count("\n") + value.count("\r") - value.count("\r\n")
            if newlines:
                self.line += newlines
                last = max(value.rfind("\n"), value.rfind("\r"))
                self.column = len(value) - last - 1
            else:
                self.column += len(value)

    provider = PositionProvider()
    module._codegen(_State(default_indent=module.default_indent,
                           default_newline=module.default_newline, provider=provider))
    computed: Mapping[cst.CSTNode, CodeRange] = provider._computed  # type: ignore[assignment]
    return computed


class _LineTracker:
    """A codegen state that prints nothing and records the syntactic positions of the
    ``wanted`` nodes only (libcst's ``PositionProvider`` records every node, through a
    context manager each: most of its cost)."""

    def __init__(self, module: cst.Module, wanted: Iterable[cst.CSTNode]) -> None:
        self.default_indent = module.default_indent
        self.default_newline = module.default_newline
        self.provider = None
        self.indent_tokens: list[str] = []
        self.tokens: list[str] = []
        self.line, self.column = 1, 0
        self.wanted = {id(n) for n in wanted}
        #: The nodes asked for (``wanted`` grows with the nodes their ranges start or end
        #: at); printing stops once all of them have their range.
        self.targets = set(self.wanted)
        self.starts: dict[int, CodePosition] = {}
        self.result: dict[int, CodeRange] = {}

    def _recorded(self, key: int) -> None:
        self.targets.discard(key)
        if not self.targets:
            raise _AllFound

    def _advance(self, value: str) -> None:
        if "\n" not in value and "\r" not in value:  # most tokens
            self.column += len(value)
            return
        self.line += value.count("\n") + value.count("\r") - value.count("\r\n")
        self.column = len(value) - max(value.rfind("\n"), value.rfind("\r")) - 1

    def increase_indent(self, value: str) -> None:
        self.indent_tokens.append(value)

    def decrease_indent(self) -> None:
        self.indent_tokens.pop()

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self._advance(token)

    add_token = _advance

    def pop_trailing_newline(self) -> None:
        pass  # only the Module node's own end differs from libcst's; rules never report it

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.starts[id(node)] = CodePosition(self.line, self.column)

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.wanted and key not in self.result:
            self.result[key] = CodeRange(self.starts[key], CodePosition(self.line, self.column))
            self._recorded(key)

    def record_syntactic_position(self, node: cst.CSTNode, *,
                                  start_node: cst.CSTNode | None = None,
                                  end_node: cst.CSTNode | None = None) -> Any:
        if id(node) not in self.wanted:
            return _NO_RECORD
        for extra in (start_node, end_node):
            if extra is not None:
                self.wanted.add(id(extra))
        return self._record(node, start_node, end_node)

    @contextlib.contextmanager
    def _record(self, node: cst.CSTNode, start_node: cst.CSTNode | None,
                end_node: cst.CSTNode | None) -> Iterator[None]:
        start = CodePosition(self.line, self.column)
        try:
            yield
        finally:
            end = CodePosition(self.line, self.column)
            if start_node is not None:
                start = self.result[id(start_node)].start
            if end_node is not None:
                end = self.result[id(end_node)].end
            self.result[id(node)] = CodeRange(start, end)
            self._recorded(id(node))


_NO_RECORD = contextlib.nullcontext()


class _AllFound(Exception):  # noqa: N818 - a signal, not an error
    """Every node asked for has its position: the rest of the module need not be printed."""


def positions_of(module: cst.Module,
                 nodes: Iterable[cst.CSTNode]) -> Mapping[cst.CSTNode, CodeRange]:
    """Syntactic positions (as libcst's ``PositionProvider``) of ``nodes`` only: about the
    cost of printing the module, a fraction of computing every node's position."""
    nodes = list(nodes)
    if not nodes:
        return {}
    try:
        tracker = _LineTracker(module, nodes)
        with contextlib.suppress(_AllFound):
            module._codegen(tracker)  # type: ignore[arg-type]
        return {n: tracker.result[id(n)] for n in nodes}
    except (AttributeError, TypeError, KeyError):  # libcst internals changed
        every = positions(module)
        return {n: every[n] for n in nodes}


def positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """Syntactic positions (as libcst's ``PositionProvider``) of every node of ``module``."""
    try:
        return _fast_positions(module)
    except (ImportError, AttributeError, TypeError):  # libcst internals changed
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
