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
CONSUMER_LAG = Gauge(  # read at scrape time; with several API workers the latest read counts
    "cdp_consumer_lag",
    "Messages behind the log end",
    ["group", "topic"],
    multiprocess_mode="mostrecent",
)
HTTP_REQUESTS = Counter("cdp_http_requests", "API requests", ["route", "status"])
PRODUCER_DELIVERED = Counter(
    "cdp_producer_delivered", "Messages the Kafka producer saw delivered", ["topic"]
)
PRODUCER_FAILED = Counter(
    "cdp_producer_failed", "Messages the Kafka producer failed to deliver", ["topic", "reason"]
)
HISTORY_ROWS = Counter("cdp_history_rows", "Rows the history sink inserted, per table", ["table"])
HISTORY_RETRIES = Counter("cdp_history_retries", "History sink batch writes retried")
HISTORY_ERASURES = Counter("cdp_history_erasures", "Erasures applied to ClickHouse")
HISTORY_COMMITS = Counter("cdp_history_commits", "Offset commits of the history sink", ["outcome"])
HISTORY_DECODED = Counter(
    "cdp_history_decoded", "Messages the history sink decoded, per path (bulk, python)", ["path"]
)
HISTORY_BULK_FAILURES = Counter(
    "cdp_history_bulk_failures", "Bulk decodes that failed (then split or decoded per message)"
)
EVENTS_DROPPED = Counter(
    "cdp_events_dropped", "Events deliberately not processed, with why", ["stage", "reason"]
)
PROFILE_READ_SECONDS = Histogram(
    "cdp_profile_read_seconds",
    "Time to read one profile for the API",
    ["route"],
    buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
)
IDENTITY_CONFLICTS = Counter(
    "cdp_identity_conflicts",
    "Identity batches re-resolved because another worker changed the graph",
)
IDENTITY_CHANGES = Counter("cdp_identity_changes", "Identity changes published", ["kind"])
