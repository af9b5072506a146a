-- The append-only event log: one row per accepted (resolved) touchpoint. No personal data here
-- (identifier values, names, addresses, free attributes live in `pii`, which erasure deletes).
-- Dedup: ReplacingMergeTree(resolved_time_ms) keyed by event_id within (event_type, event_date);
-- read it through `events_current` (or `FROM events FINAL`) so a replay never double-counts.
-- Absent values: '' for strings, 0 with has_* = 0 for numbers, 1970-01-01 for dates.
CREATE TABLE IF NOT EXISTS {database}.events
(
    event_id String,
    event_type String,
    source_system String,
    event_time DateTime,
    event_time_ms UInt64,
    event_date Date,
    received_time DateTime,
    received_time_ms UInt64,
    resolved_time DateTime,
    resolved_time_ms UInt64,
    profile_id String,
    household_id String,
    channel String,
    direction String,
    outcome String,
    in_reply_to String,
    department String,
    campaign_id String,
    purpose String,
    amount Float64,
    has_amount UInt8,
    currency String,
    cost Float64,
    has_cost UInt8,
    quantity Int32,
    has_quantity UInt8,
    product String,
    product_category String,
    order_id String,
    invoice_id String,
    policy_id String,
    due_date Date,
    paid_date Date,
    start_date Date,
    end_date Date,
    complaint_id String,
    complaint_status String,
    page String,
    document String,
    survey_id String,
    question String,
    answer String,
    score Int32,
    has_score UInt8,
    consent_purpose String,
    consent_channel String,
    consent_state String,
    identifier_types Array(String),
    relation_kinds Array(String),
    inserted_time DateTime DEFAULT now()
)
ENGINE = ReplacingMergeTree(resolved_time_ms)
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_type, event_date, event_id);
