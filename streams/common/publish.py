"""Publish a batch with a confluent-kafka producer and wait until the broker has all of it:
a processor acknowledges its input only after this returns (at-least-once)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger(__name__)

Record = tuple[str, bytes | None, bytes]  # topic, key, value


class DeliveryFailed(RuntimeError):
    """The broker did not take some records (an outage: the batch is published again)."""


def publish(
    producer: Any,
    records: Iterable[Record],
    *,
    flush_timeout: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    errors: list[str] = []

    def on_delivery(err: Any, _msg: Any) -> None:
        if err is not None:
            errors.append(str(err))

    count = 0
    for topic, key, value in records:
        while True:
            try:
                producer.produce(topic, value, key, on_delivery=on_delivery)
                break
            except BufferError:  # local queue full: let it drain
                producer.poll(0.05)
        count += 1
        if count % 1000 == 0:
            producer.poll(0)
    remaining = producer.flush(flush_timeout)
    if remaining or errors:
        raise DeliveryFailed(
            f"{remaining} records not delivered, {len(errors)} failed"
            + (f" (first: {errors[0]})" if errors else "")
        )
    return count
