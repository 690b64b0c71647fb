"""Reference BPMN processes that drive Handoff end to end through its API.

``deal_to_delivery`` and ``time_to_bill`` run on SpiffWorkflow with a
restricted script engine; their state is persisted as JSON after every step.
"""

from service.workflows.deal_to_delivery import ProjectInfo, build_project_setup, deal_to_delivery_process
from service.workflows.runner import ProcessDefinition, ProcessRun
from service.workflows.script_engine import ForbiddenScriptError, RestrictedScriptEngine
from service.workflows.time_to_bill import InvoiceHeader, build_invoice, time_to_bill_process

__all__ = [
    "ForbiddenScriptError",
    "InvoiceHeader",
    "ProcessDefinition",
    "ProcessRun",
    "ProjectInfo",
    "RestrictedScriptEngine",
    "build_invoice",
    "build_project_setup",
    "deal_to_delivery_process",
    "time_to_bill_process",
]
