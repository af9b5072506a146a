"""The embedded stack behind `cdp stack up|down|status`.

from cdp.stack import Stack
endpoints = Stack(Path(".cdp")).up()     # idempotent; writes .cdp/stack.env
Stack(Path(".cdp")).status()             # list[StatusRow]
Stack(Path(".cdp")).down()
"""

from cdp.stack.config import StackConfig
from cdp.stack.endpoints import Endpoints
from cdp.stack.errors import StackError
from cdp.stack.kafka_roundtrip import CONSUMER_DEFAULTS
from cdp.stack.stack import SERVICES, Stack
from cdp.stack.status import StatusRow, add_row_provider, remove_row_provider

__all__ = [
    "CONSUMER_DEFAULTS",
    "SERVICES",
    "Endpoints",
    "Stack",
    "StackConfig",
    "StackError",
    "StatusRow",
    "add_row_provider",
    "remove_row_provider",
]
