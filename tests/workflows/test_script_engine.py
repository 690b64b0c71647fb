"""The restricted script engine runs named actions and plain conditions, nothing else."""

from __future__ import annotations

import pytest

from service.workflows.script_engine import (
    ForbiddenScriptError,
    evaluate_condition,
    evaluate_condition_syntax,
    parse_action_call,
)

ACTIONS = {"extract_sow": lambda data: None}


@pytest.mark.parametrize("script", ["extract_sow()", "  extract_sow()\n"])
def test_parse_action_call_accepts_a_registered_action(script: str) -> None:
    assert parse_action_call(script, ACTIONS) == "extract_sow"


@pytest.mark.parametrize(
    "script",
    [
        "__import__('os').system('true')",
        "extract_sow(); extract_sow()",
        "extract_sow(1)",
        "x = 1",
        "delete_everything()",
        "extract_sow",
        "(",
    ],
)
def test_parse_action_call_refuses_anything_else(script: str) -> None:
    with pytest.raises(ForbiddenScriptError):
        parse_action_call(script, ACTIONS)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("len(ids) > 0", True),
        ("len(ids) == 0", False),
        ("flagged and not held", True),
        ("total >= 100 or flagged", True),
        ("status == 'ready'", False),
        ("0 < total < 1000", True),
    ],
)
def test_evaluate_condition_over_task_data(expression: str, expected: bool) -> None:
    data = {"ids": ["rev_1"], "flagged": True, "held": False, "total": 120, "status": "held"}
    assert evaluate_condition(expression, data) is expected
    evaluate_condition_syntax(expression)


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').getcwd()",
        "ids.pop()",
        "[x for x in ids]",
        "open('/etc/passwd')",
        "ids[0] == 'a'",
        "lambda: 1",
    ],
)
def test_conditions_refuse_calls_attributes_and_comprehensions(expression: str) -> None:
    with pytest.raises(ForbiddenScriptError):
        evaluate_condition_syntax(expression)
    with pytest.raises(ForbiddenScriptError):
        evaluate_condition(expression, {"ids": ["a"]})


def test_condition_naming_missing_data_is_an_error() -> None:
    with pytest.raises(ForbiddenScriptError, match="not in the task data"):
        evaluate_condition("len(unknown) > 0", {})
