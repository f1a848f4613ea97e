"""Rule types: one module each, listed in an explicit registry.

Every module has ``TYPE`` (the name used in the rules file), ``SCOPE`` (``closing`` or
``transfer``: when the whole group is not applicable), ``compile(section, ctx)`` that
validates the rule's keys and returns a frozen rule, and ``evaluate(rule, view)``
returning a CheckResult. Closing elements also offer ``locate(rule, text)``: where the
element is said.
"""

from __future__ import annotations

from types import ModuleType

from qa_scoring.checks import (
    announcement,
    app_invitation,
    ask_before_routing,
    closing_phrase,
    customer_name,
    order,
    routing_destination,
    time_greeting,
)
from qa_scoring.checks.base import BaseRule, CompileContext

REGISTRY: dict[str, ModuleType] = {
    m.TYPE: m
    for m in (
        closing_phrase,
        app_invitation,
        time_greeting,
        customer_name,
        order,
        ask_before_routing,
        routing_destination,
        announcement,
    )
}

__all__ = ["REGISTRY", "BaseRule", "CompileContext"]
