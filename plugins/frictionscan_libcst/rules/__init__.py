"""The built-in rules, one per module."""

from __future__ import annotations

from frictionscan_libcst.rules.assert_validation import AssertValidation
from frictionscan_libcst.rules.bare_except import BareExcept
from frictionscan_libcst.rules.blanket_ignore import BlanketIgnore
from frictionscan_libcst.rules.boolean_flag import BooleanFlag
from frictionscan_libcst.rules.commented_out_code import CommentedOutCode
from frictionscan_libcst.rules.complex_condition import ComplexCondition
from frictionscan_libcst.rules.deep_nesting import DeepNesting
from frictionscan_libcst.rules.duplicated_string import DuplicatedString
from frictionscan_libcst.rules.else_after_return import ElseAfterReturn
from frictionscan_libcst.rules.global_mutation import GlobalMutation
from frictionscan_libcst.rules.god_class import GodClass
from frictionscan_libcst.rules.long_elif_chain import LongElifChain
from frictionscan_libcst.rules.long_function import LongFunction
from frictionscan_libcst.rules.magic_number import MagicNumber
from frictionscan_libcst.rules.mutable_default import MutableDefault
from frictionscan_libcst.rules.none_comparison import NoneComparison
from frictionscan_libcst.rules.print_call import PrintCall
from frictionscan_libcst.rules.star_import import StarImport
from frictionscan_libcst.rules.swallowed_exception import SwallowedException
from frictionscan_libcst.rules.todo_marker import TodoMarker
from frictionscan_libcst.rules.too_many_parameters import TooManyParameters
from frictionscan_libcst.rules.too_many_returns import TooManyReturns

#: Every built-in rule, in code order.
BUILTIN_RULES = tuple(sorted((
    AssertValidation, BareExcept, BlanketIgnore, BooleanFlag, CommentedOutCode,
    ComplexCondition, DeepNesting, DuplicatedString, ElseAfterReturn, GlobalMutation, GodClass,
    LongElifChain, LongFunction, MagicNumber, MutableDefault, NoneComparison, PrintCall,
    StarImport, SwallowedException, TodoMarker, TooManyParameters, TooManyReturns,
), key=lambda rule: rule.CODE))
