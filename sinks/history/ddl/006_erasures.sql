-- Erasure requests applied by the history sink (which profiles, when). No personal data.
CREATE TABLE IF NOT EXISTS {database}.erasures
(
    erasure_id String,
    profile_ids Array(String),
    requested_time DateTime,
    requested_time_ms UInt64,
    reason String,
    applied_time DateTime DEFAULT now()
)
ENGINE = ReplacingMergeTree(requested_time_ms)
ORDER BY erasure_id;
