"""Runs a BPMN process with SpiffWorkflow, persisting its state after every step.

A process is a BPMN file plus the Python behind it: *actions* for its script
tasks (each mutates the task data) and *waiters* for its user tasks. A waiter
looks at the task data and answers ``None`` while the humans have not decided
yet, or the data to merge when they have; the runner then completes the task.
Because the state is written to disk after every change, a runner started
again on the same state file resumes at the task it was waiting on.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState

from service.workflows.script_engine import (
    Action,
    ForbiddenScriptError,
    RestrictedScriptEngine,
    evaluate_condition_syntax,
    parse_action_call,
)

Waiter = Callable[[dict[str, Any]], dict[str, Any] | None]

_SERIALIZER = BpmnWorkflowSerializer()


@dataclass
class ProcessDefinition:
    """A BPMN process and the code its tasks run."""

    process_id: str
    bpmn_path: Path
    actions: Mapping[str, Action]
    waiters: Mapping[str, Waiter] = field(default_factory=dict)

    @classmethod
    def packaged(
        cls, process_id: str, *, actions: Mapping[str, Action], waiters: Mapping[str, Waiter]
    ) -> ProcessDefinition:
        path = Path(str(resources.files("service.workflows") / "processes" / f"{process_id}.bpmn"))
        return cls(process_id=process_id, bpmn_path=path, actions=actions, waiters=waiters)


def load_process_spec(definition: ProcessDefinition) -> Any:
    """Parse the BPMN file and refuse scripts or conditions the restricted engine would not run."""
    parser = BpmnParser()
    parser.add_bpmn_file(str(definition.bpmn_path))
    spec = parser.get_spec(definition.process_id)
    for task_spec in spec.task_specs.values():
        script = getattr(task_spec, "script", None)
        if script is not None:
            parse_action_call(script, definition.actions)
        for condition, _target in getattr(task_spec, "cond_task_specs", []) or []:
            if condition is not None:
                evaluate_condition_syntax(condition.args[0])
        if getattr(task_spec, "manual", False) and task_spec.name not in definition.waiters:
            raise ForbiddenScriptError(f"user task {task_spec.name!r} has no waiter")
    return spec


class ProcessRun:
    """One running instance of a process, persisted to ``state_path``."""

    def __init__(
        self,
        definition: ProcessDefinition,
        workflow: BpmnWorkflow,
        state_path: Path,
        history: list[dict[str, Any]],
    ) -> None:
        self.definition = definition
        self.workflow = workflow
        self.state_path = state_path
        self.history = history
        self.workflow.script_engine = RestrictedScriptEngine(definition.actions)

    @classmethod
    def start(cls, definition: ProcessDefinition, *, state_path: Path, data: Mapping[str, Any]) -> ProcessRun:
        spec = load_process_spec(definition)
        workflow = BpmnWorkflow(spec, script_engine=RestrictedScriptEngine(definition.actions))
        start_task = workflow.get_tasks(state=TaskState.READY)[0]
        start_task.data.update(dict(data))
        run = cls(definition, workflow, state_path, history=[])
        run._record("started")
        run._persist()
        return run

    @classmethod
    def resume(cls, definition: ProcessDefinition, *, state_path: Path) -> ProcessRun:
        load_process_spec(definition)  # validates the file the state refers to
        saved = json.loads(state_path.read_text())
        if saved["process_id"] != definition.process_id:
            raise ValueError(f"{state_path} holds {saved['process_id']!r}, not {definition.process_id!r}")
        workflow = _SERIALIZER.deserialize_json(saved["workflow"])
        return cls(definition, workflow, state_path, history=saved["history"])

    @property
    def completed(self) -> bool:
        return bool(self.workflow.completed)

    @property
    def data(self) -> dict[str, Any]:
        if self.completed:
            return dict(self.workflow.data)
        ready = self.workflow.get_tasks(state=TaskState.READY)
        return dict(ready[0].data) if ready else {}

    def waiting_on(self) -> list[str]:
        """The user tasks waiting for people, by BPMN id."""
        return [t.task_spec.name for t in self.workflow.get_tasks(state=TaskState.READY, manual=True)]

    def step(self) -> bool:
        """Run what can run now; complete user tasks whose decisions are in. True when anything moved."""
        moved = False
        while True:
            before = len(self.workflow.get_tasks(state=TaskState.COMPLETED))
            self.workflow.do_engine_steps(did_complete_task=self._on_completed)
            progressed = len(self.workflow.get_tasks(state=TaskState.COMPLETED)) != before
            completed_user_task = False
            for task in self.workflow.get_tasks(state=TaskState.READY, manual=True):
                outcome = self.definition.waiters[task.task_spec.name](task.data)
                if outcome is not None:
                    task.data.update(outcome)
                    task.run()
                    self._record(task.task_spec.name)
                    completed_user_task = True
            if progressed or completed_user_task:
                moved = True
                self._persist()
            if not completed_user_task:
                return moved

    def run_until_blocked_or_done(
        self,
        *,
        timeout_seconds: float,
        poll_seconds: float = 0.5,
        on_waiting: Callable[[list[str]], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> bool:
        """Step until the process completes or ``timeout_seconds`` pass; True when completed."""
        deadline = time.monotonic() + timeout_seconds
        delay = poll_seconds
        announced: list[str] = []
        while True:
            moved = self.step()
            if self.completed:
                return True
            waiting = self.waiting_on()
            if on_waiting is not None and waiting and waiting != announced:
                on_waiting(waiting)
                announced = waiting
            if time.monotonic() >= deadline:
                return False
            # Back off while nobody decides; start quick again once something moved.
            delay = poll_seconds if moved else min(delay * 1.5, 5.0)
            sleep(delay)

    def _on_completed(self, task: Any) -> None:
        if getattr(task.task_spec, "script", None) is not None:
            self._record(task.task_spec.name)

    def _record(self, step: str) -> None:
        self.history.append({"step": step, "at": datetime.now(UTC).isoformat()})

    def _persist(self) -> None:
        document = {
            "process_id": self.definition.process_id,
            "history": self.history,
            "workflow": _SERIALIZER.serialize_json(self.workflow),
        }
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.state_path.with_suffix(".partial")
        partial.write_text(json.dumps(document))
        os.replace(partial, self.state_path)  # atomic: a crash leaves the old state or the new one
