"""The built-in rules, one per module."""

from __future__ import annotations

from frictionscan_libcst.rules.deep_nesting import DeepNesting
from frictionscan_libcst.rules.long_function import LongFunction
from frictionscan_libcst.rules.mutable_default import MutableDefault
from frictionscan_libcst.rules.swallowed_exception import SwallowedException
from frictionscan_libcst.rules.too_many_parameters import TooManyParameters

BUILTIN_RULES = (DeepNesting, LongFunction, TooManyParameters, SwallowedException,
                 MutableDefault)
