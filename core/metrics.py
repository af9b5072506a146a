"""Prometheus metric names and labels, in one module. Every outcome is counted."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS_RECEIVED = Counter("cdp_events_received", "Events received by a stage", ["stage"])
EVENTS_ACCEPTED = Counter("cdp_events_accepted", "Events accepted by a stage", ["stage"])
EVENTS_REJECTED = Counter(
    "cdp_events_rejected", "Events rejected (dead-lettered) by a stage", ["stage", "reason"]
)
EVENTS_DUPLICATE = Counter("cdp_events_duplicate", "Replays skipped by event_id", ["stage"])
IDENTITY_MERGES = Counter("cdp_identity_merges", "Profiles merged into another")
IDENTITY_REFUSALS = Counter("cdp_identity_refusals", "Identity links refused", ["reason"])
BATCH_SECONDS = Histogram("cdp_batch_seconds", "Time to process one batch", ["stage"])
CONSUMER_LAG = Gauge("cdp_consumer_lag", "Messages behind the log end", ["group", "topic"])
HTTP_REQUESTS = Counter("cdp_http_requests", "API requests", ["route", "status"])
