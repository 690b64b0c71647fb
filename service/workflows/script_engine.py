"""A script engine for SpiffWorkflow that runs no arbitrary code.

SpiffWorkflow's default engine hands every script and gateway condition to
Python's ``eval``/``exec``, so a process file is as powerful as the process
that loads it. Ours understands two things only:

- a script task whose script is one call of a named action, ``extract_sow()``,
  where the action is one the runner registered;
- a condition built from task-data names, literals, comparisons, ``and``,
  ``or``, ``not`` and ``len(name)``.

Anything else is refused when the process is loaded (``validate_process``)
and again when it runs.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

Action = Callable[[dict[str, Any]], None]

_COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}


class ForbiddenScriptError(ValueError):
    """A process script or condition uses something the restricted engine does not allow."""


def parse_action_call(script: str, allowed: Mapping[str, Action]) -> str:
    """Return the action name of a script that is exactly ``name()``."""
    try:
        tree = ast.parse(script.strip(), mode="exec")
    except SyntaxError as exc:
        raise ForbiddenScriptError(f"script is not valid: {exc.msg}") from None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        raise ForbiddenScriptError(f"a script must be one action call, got {script!r}")
    call = tree.body[0].value
    is_bare_call = isinstance(call, ast.Call) and not call.args and not call.keywords
    if not (is_bare_call and isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
        raise ForbiddenScriptError(f"a script must be one call without arguments, got {script!r}")
    if call.func.id not in allowed:
        raise ForbiddenScriptError(f"unknown action {call.func.id!r}; allowed: {', '.join(sorted(allowed))}")
    return call.func.id


def evaluate_condition(expression: str, data: Mapping[str, Any]) -> Any:
    """Evaluate a gateway condition over task data without ``eval``."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ForbiddenScriptError(f"condition is not valid: {exc.msg}") from None
    return _evaluate(tree.body, data)


def _evaluate(node: ast.AST, data: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.id]
        if node.id not in data:
            raise ForbiddenScriptError(f"condition names {node.id!r}, which is not in the task data")
        return data[node.id]
    if isinstance(node, ast.BoolOp):
        values = (_evaluate(v, data) for v in node.values)
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not _evaluate(node.operand, data)
    if isinstance(node, ast.Compare):
        left = _evaluate(node.left, data)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _evaluate(comparator, data)
            if not _COMPARISONS[type(op)](left, right):
                return False
            left = right
        return True
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "len"
        and len(node.args) == 1
        and not node.keywords
    ):
        return len(_evaluate(node.args[0], data))
    raise ForbiddenScriptError(f"conditions may not use {type(node).__name__}")


class RestrictedScriptEngine(PythonScriptEngine):
    """Runs registered actions for script tasks and evaluates conditions without ``eval``."""

    def __init__(self, actions: Mapping[str, Action]) -> None:
        super().__init__()
        self.actions = dict(actions)

    def validate(self, expression: str) -> None:
        evaluate_condition_syntax(expression)

    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        return evaluate_condition(expression, task.data)

    def execute(self, task: Any, script: str, external_context: Any = None) -> bool:
        name = parse_action_call(script, self.actions)
        self.actions[name](task.data)
        return True

    def call_service(self, task: Any, **kwargs: Any) -> Any:
        raise ForbiddenScriptError("service task operators are not used; use script tasks calling actions")


def evaluate_condition_syntax(expression: str) -> None:
    """Refuse a condition that uses anything but the allowed constructs (no data needed)."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ForbiddenScriptError(f"condition is not valid: {exc.msg}") from None
    allowed = (
        ast.Expression,
        ast.Constant,
        ast.Name,
        ast.Load,
        ast.BoolOp,
        ast.And,
        ast.Or,
        ast.UnaryOp,
        ast.Not,
        ast.Compare,
        *_COMPARISONS,
    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id == "len" and len(node.args) == 1):
                raise ForbiddenScriptError("conditions may call only len(name)")
            continue
        if not isinstance(node, allowed):
            raise ForbiddenScriptError(f"conditions may not use {type(node).__name__}")
